-- is_allowed('source.column', value): whether a value is one its data contract allows
-- (expectations/contracts/<source>.yml, `allowed`), so the row checks and the Great Expectations suite
-- read one list. An empty value is never "allowed": each model decides what a blank means.
CREATE OR REPLACE MACRO is_allowed(contract_column, value) AS
    coalesce(list_contains(getvariable('allowed_values')[contract_column], value), false);
