-- parse_timestamp(text): a date or a date and time written the ways partners send them (ISO, or
-- UK day-first, with or without a time, seconds with or without a fraction) as a TIMESTAMP; NULL when
-- it is none of these. Every source reads its dates through this, so a new format is added once, here;
-- the Great Expectations suites check dates as this reads them (sql/macros/read_as.sql).
-- A year before 1900 is no date of these sources: DuckDB's %Y also reads two digits ("01/02/24" as the
-- year 24), which would land a row 2,000 years early rather than quarantine it as a bad date.
-- An ISO date and time with a UTC offset or 'Z' (UTC: '2025-09-30T23:30:00Z', '2025-10-01 00:30:00+01')
-- is the moment it names, read as UK local time (Europe/London): events are counted by the UK date, and
-- an event half an hour after midnight on 1 October (BST) is October's, as a local time would make it.
CREATE OR REPLACE MACRO parse_timestamp_local(value) AS try_strptime(trim(value), [
    '%Y-%m-%d',
    '%d/%m/%Y',
    '%Y-%m-%d %H:%M:%S',
    '%Y-%m-%d %H:%M:%S.%f',
    '%Y-%m-%d %H:%M',
    '%Y-%m-%dT%H:%M:%S',
    '%Y-%m-%dT%H:%M:%S.%f',
    '%Y-%m-%dT%H:%M',
    '%d/%m/%Y %H:%M',
    '%d/%m/%Y %H:%M:%S',
    '%d-%b-%Y'
]);

CREATE OR REPLACE MACRO parse_timestamp_offset(value) AS try_strptime(regexp_replace(trim(value), 'Z$', '+00:00'), [
    '%Y-%m-%dT%H:%M:%S%z',
    '%Y-%m-%dT%H:%M:%S.%f%z',
    '%Y-%m-%dT%H:%M%z',
    '%Y-%m-%d %H:%M:%S%z',
    '%Y-%m-%d %H:%M:%S.%f%z',
    '%Y-%m-%d %H:%M%z'
]);

CREATE OR REPLACE MACRO parse_timestamp_any(value) AS
    coalesce(parse_timestamp_local(value), timezone('Europe/London', parse_timestamp_offset(value)));

CREATE OR REPLACE MACRO parse_timestamp(value) AS
    CASE WHEN parse_timestamp_any(value) >= TIMESTAMP '1900-01-01' THEN parse_timestamp_any(value) END;
