-- Values as the row checks read them: one definition of each normalisation, used by the staging models
-- (sql/staging/*_checked.sql) and by the delivery checks (Great Expectations validates each checked
-- column as checked_<kind> gives it, csp/ingest/deliveries.py), so that what a suite accepts is what the
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
-- Any other day is no month. A CASE, not coalesce(): DuckDB worked out parse_timestamp (~3 µs a value)
-- for every value, YYYY-MM ones too, which made reading data.police.uk's months ~70x slower (~70 s a
-- national build); a CASE works out its ELSE only for the values that reach it.
CREATE OR REPLACE MACRO month_start(value) AS CASE
    WHEN try_strptime(trim(value), '%Y-%m') IS NOT NULL THEN try_strptime(trim(value), '%Y-%m')::DATE
    ELSE list_transform([parse_timestamp(value)], lambda t: CASE WHEN t = date_trunc('month', t) THEN t::DATE END)[1]
END;

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

-- checked_<kind>(text): a value of a delivery as its Great Expectations suite checks it: as the row
-- checks read it, written back as text (a month as YYYY-MM, a quarter as its first day, a whole number
-- without commas, a code upper-cased), so that the suite's patterns (csp/contracts.py, PATTERNS) and
-- allowed values see what the row checks see. A value the row checks cannot read is kept as sent
-- (trimmed), for the suite to name it; so is a date, whose pattern is parse_timestamp's formats.
-- The kinds are csp/contracts.py's READ_AS. One macro per kind, not one with a CASE on the kind: DuckDB
-- expands a macro's every branch wherever it is used, and the view of a delivery's columns as checked
-- (csp/ingest/batches.py) then took ~0.2 s to bind for each query on it.
CREATE OR REPLACE MACRO checked_code(value) AS code_value(value);
CREATE OR REPLACE MACRO checked_icd10(value) AS icd10_value(value);
CREATE OR REPLACE MACRO checked_month(value) AS coalesce(strftime(month_start(value), '%Y-%m'), text_value(value));
CREATE OR REPLACE MACRO checked_quarter(value) AS coalesce(strftime(quarter_start(value), '%Y-%m-%d'), text_value(value));
CREATE OR REPLACE MACRO checked_whole_number(value) AS coalesce(whole_number(value)::VARCHAR, text_value(value));
CREATE OR REPLACE MACRO checked_text(value) AS text_value(value);
