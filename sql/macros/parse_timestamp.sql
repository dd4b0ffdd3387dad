-- parse_timestamp(text): a date or a date and time written the ways partners send them (ISO, or
-- UK day-first, with or without a time, seconds with or without a fraction) as a TIMESTAMP; NULL when
-- it is none of these. Every source reads its dates through this, so a new format is added once, here.
-- A year before 1900 is no date of these sources: DuckDB's %Y also reads two digits ("01/02/24" as the
-- year 24), which would land a row 2,000 years early rather than quarantine it as a bad date.
CREATE OR REPLACE MACRO parse_timestamp_any(value) AS try_strptime(trim(value), [
    '%Y-%m-%d',
    '%d/%m/%Y',
    '%Y-%m-%d %H:%M:%S',
    '%Y-%m-%d %H:%M:%S.%f',
    '%Y-%m-%d %H:%M',
    '%Y-%m-%dT%H:%M:%S',
    '%Y-%m-%dT%H:%M:%S.%f',
    '%d/%m/%Y %H:%M',
    '%d/%m/%Y %H:%M:%S',
    '%d-%b-%Y'
]);

CREATE OR REPLACE MACRO parse_timestamp(value) AS
    CASE WHEN parse_timestamp_any(value) >= TIMESTAMP '1900-01-01' THEN parse_timestamp_any(value) END;
