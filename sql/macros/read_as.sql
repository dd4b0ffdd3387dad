-- Values as the row checks read them: one definition of each normalisation, used by the staging models
-- (sql/staging/*_checked.sql) and by the delivery checks (Great Expectations validates each checked
-- column as checked_text gives it, csp/ingest/deliveries.py), so that what a suite accepts is what the
-- row checks load. Each returns NULL for a blank value.

-- text_value(text): trimmed.
CREATE OR REPLACE MACRO text_value(value) AS nullif(trim(value), '');

-- code_value(text): a code (LSOA, ONS area code, a Y/N flag), trimmed and upper-cased.
CREATE OR REPLACE MACRO code_value(value) AS nullif(upper(trim(value)), '');

-- icd10_value(text): an ICD-10 code without its dot, upper-cased ('y04.0' -> 'Y040').
CREATE OR REPLACE MACRO icd10_value(value) AS nullif(upper(replace(trim(value), '.', '')), '');

-- whole_number(text): a whole number, with or without thousands commas or a zero fraction ('289,742',
-- '289742.0', Excel's way of writing one); NULL for anything else ('2.5', '1e3': DuckDB's cast would
-- round them).
CREATE OR REPLACE MACRO whole_number(value) AS
    CASE WHEN regexp_full_match(trim(value), '-?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.0+)?')
        THEN try_cast(split_part(replace(trim(value), ',', ''), '.', 1) AS BIGINT) END;

-- month_start(text): the month of a data.police.uk 'Month' (YYYY-MM) as its first day; also the
-- month's first day as a date (2025-10-01, 01/10/2025: what an Excel round trip makes of 2025-10).
-- Any other day is no month.
CREATE OR REPLACE MACRO month_start(value) AS coalesce(
    try_strptime(trim(value), '%Y-%m')::DATE,
    CASE WHEN parse_timestamp(value) = date_trunc('month', parse_timestamp(value)) THEN parse_timestamp(value)::DATE END);

-- quarter_start(text): the first day of a quarter given as a financial-year quarter ('2024/25 Q1',
-- 'Q1 2024/25', '2024-25q1': any case and spacing) or as the quarter's first day; NULL for anything else
-- (a financial year whose years do not follow, '2024/26 Q1').
CREATE OR REPLACE MACRO quarter_start(value) AS list_transform([upper(replace(trim(value), ' ', ''))], lambda t: CASE
    WHEN regexp_full_match(t, '[0-9]{4}[/-][0-9]{2}Q[1-4]|Q[1-4][0-9]{4}[/-][0-9]{2}')
         AND try_cast(regexp_extract(t, '[0-9]{4}[/-]([0-9]{2})', 1) AS INTEGER)
             = (try_cast(regexp_extract(t, '([0-9]{4})[/-][0-9]{2}', 1) AS INTEGER) + 1) % 100
        THEN (make_date(try_cast(regexp_extract(t, '([0-9]{4})[/-][0-9]{2}', 1) AS INTEGER), 4, 1)
              + to_months(3 * (try_cast(regexp_extract(t, 'Q([1-4])', 1) AS INTEGER) - 1)))::DATE
    WHEN day(parse_timestamp(t)::DATE) = 1 AND month(parse_timestamp(t)::DATE) IN (1, 4, 7, 10)
        THEN parse_timestamp(t)::DATE
END)[1];

-- checked_text(kind, text): a value of a delivery as its Great Expectations suite checks it: as the row
-- checks read it, written back as text (a month as YYYY-MM, a quarter as its first day, a whole number
-- without commas, a code upper-cased), so that the suite's patterns (csp/contracts.py, PATTERNS) and
-- allowed values see what the row checks see. A value the row checks cannot read is kept as sent
-- (trimmed), for the suite to name it; so is a date, whose pattern is parse_timestamp's formats.
-- `kind` is the column's (csp/contracts.py, READ_AS).
CREATE OR REPLACE MACRO checked_text(kind, value) AS CASE kind
    WHEN 'code' THEN code_value(value)
    WHEN 'icd10' THEN icd10_value(value)
    WHEN 'month' THEN coalesce(strftime(month_start(value), '%Y-%m'), text_value(value))
    WHEN 'quarter' THEN coalesce(strftime(quarter_start(value), '%Y-%m-%d'), text_value(value))
    WHEN 'whole_number' THEN coalesce(whole_number(value)::VARCHAR, text_value(value))
    ELSE text_value(value)
END;
