-- allowed_list('source.column'): the values its data contract allows, in words for a reject reason.
CREATE OR REPLACE MACRO allowed_list(contract_column) AS
    array_to_string(getvariable('allowed_values')[contract_column], ', ');
