-- matches_pattern('lsoa', value): whether a value has the form the data contracts give its type (csp/contracts.py,
-- PATTERNS: the patterns the Great Expectations suites check), so the row checks and the suites read one pattern.
-- The pattern is a constant of the query (a variable), so DuckDB compiles it once, as a literal's.
CREATE OR REPLACE MACRO matches_pattern(kind, value) AS regexp_full_match(value, getvariable('patterns')[kind]);
