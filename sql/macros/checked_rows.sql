-- checked_rows(prepared, source_name, key_label, ...): the row checks every source shares, so that
-- each sql/staging/<s>_checked.sql says only what is particular to its source. `prepared` names a
-- relation of the calling model (a CTE) with one row per landed row and these columns:
--   _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason
--   event_date         the DATE the row is counted by (NULL when it could not be read)
--   date_as_received   that date as sent, for the reason
--   place_as_received  the geography field as sent (LSOA, district code or name), NULL when empty
--   lad_code           the district it resolves to, NULL when it is outside the lookups
--   record_key         what identifies the record, NULL when the row (or its form) has none
--   key_required       the form must give every row a record_key
--   key_unique         a record_key may carry only one content
--   content_hash       the row's content as received, to find exact copies
--   row_reject_code, row_reject_reason: the source's own checks, NULL when the row passes them
--   replace_scope      what of its month a later delivery replaces: NULL for the whole month, else
--                      only the rows with the same scope (a district's population, a police force's crimes)
-- It returns them with month, geography, reject_code, reject_reason and is_current (valid and from
-- the latest delivery holding valid rows for its month and scope). Checks run in this order and the first
-- that fails names the row's reason. Nothing is dropped.
-- A delivery of 20 rows or more in which more rows fail one check than the contract's min_valid_share
-- allows (0.9: more than 10% of its rows) is not used: quarantined whole here, where the rows' reasons are known. Its rows
-- that failed keep their own reason, the others are delivery_quarantined, and delivery_status and
-- delivery_reason come back as the delivery's outcome ('quarantined', the share in words), which
-- dq.deliveries reports. Dates written month-first (10/13/2025) fail as bad dates in ~60% of a month's
-- rows, and the rest (day 12 or less) read as other months: without this one US-dated file replaced
-- ten months. The shares are of the delivery's own rows, so the check stays per delivery (incremental).
-- date_expected: the date layout named in the reason of a bad date.
-- share_exempt: the source's reject codes that say nothing of the delivery's own content, left out of
-- the shares (a STATS19 casualty whose collision file has not arrived yet: no_collision).
CREATE OR REPLACE MACRO checked_rows(prepared, source_name, key_label,
                                     date_expected := 'YYYY-MM-DD or DD/MM/YYYY',
                                     share_exempt := []::VARCHAR[]) AS TABLE
-- landed, source and checked are read more than once; NOT MATERIALIZED keeps DuckDB from writing
-- every wide row of them out (it spilled gigabytes at national scale): recomputing them is cheaper
-- (1.1 M rows: 12.4 s -> 6.1 s).
WITH landed AS NOT MATERIALIZED (
    SELECT
        *,
        date_trunc('month', event_date)::DATE AS period_month
    FROM query_table(prepared)
    -- the calling model's raw rows are already those of this build (in_build): repeated here so that
    -- a model cannot check more than the build's deliveries
    WHERE in_build(_delivery_id)
),

-- What the duplicate and key checks need, grouped on a few narrow columns and joined back: window
-- functions over `landed` would carry every column of every row through four sorts (10x slower at
-- scale). Only keyed rows can be copies or conflicting keys, and only the contents that occur more
-- than once and the keys with more than one content are kept, so what is joined back is small
-- (joining one row per content back to 19.8 M rows spilled gigabytes under a 1 GB memory limit).
repeated_keys AS (
    -- the keys given to more than one row of a delivery, as hashes: only their rows can be copies or
    -- conflicting keys. Grouping every key's text (17.7 M distinct nationally) spilled gigabytes; a hash
    -- that collides only sends a few more rows to `contents`, which groups the keys themselves.
    SELECT _delivery_id, hash(record_key) AS key_hash
    FROM landed
    WHERE record_key IS NOT NULL
    GROUP BY ALL
    HAVING count(*) > 1
),

contents AS (
    -- one row per distinct content of a repeated key in a delivery
    SELECT l._delivery_id, l.record_key, l.content_hash, count(*) AS copies, min(l._row_number) AS first_row
    FROM landed AS l
    SEMI JOIN repeated_keys AS r ON r._delivery_id = l._delivery_id AND r.key_hash = hash(l.record_key)
    WHERE l.record_key IS NOT NULL
    GROUP BY l._delivery_id, l.record_key, l.content_hash
),

copies AS (
    -- the contents that occur more than once, with the first row of each
    SELECT _delivery_id, record_key, content_hash, first_row FROM contents WHERE copies > 1
),

key_contents AS (
    -- keys that come with more than one content, and how many
    SELECT _delivery_id, record_key, count(*) AS key_versions
    FROM contents
    GROUP BY _delivery_id, record_key
    HAVING count(*) > 1
),

delivery_months AS (
    SELECT
        _delivery_id,
        period_month,
        count(*) AS delivery_month_rows,
        sum(count(*)) OVER (PARTITION BY _delivery_id) AS delivery_rows
    FROM landed
    GROUP BY _delivery_id, period_month
),

source AS NOT MATERIALIZED (
    SELECT
        l.*,
        CASE WHEN l._row_number > c.first_row THEN 2 ELSE 1 END AS copy_number,
        coalesce(k.key_versions, 1) AS key_versions,
        m.delivery_month_rows,
        m.delivery_rows
    FROM landed AS l
    LEFT JOIN copies AS c
        ON c._delivery_id = l._delivery_id AND c.content_hash = l.content_hash AND c.record_key = l.record_key
    LEFT JOIN key_contents AS k ON k._delivery_id = l._delivery_id AND k.record_key = l.record_key
    JOIN delivery_months AS m ON m._delivery_id = l._delivery_id AND m.period_month IS NOT DISTINCT FROM l.period_month
),

checked AS NOT MATERIALIZED (
    SELECT
        *,
        CASE
            WHEN delivery_status = 'quarantined' THEN 'delivery_quarantined'
            WHEN row_reject_code IS NOT NULL THEN row_reject_code
            WHEN event_date IS NULL THEN 'bad_date'
            WHEN event_date > getvariable('as_of') THEN 'future_date'
            -- a stray mis-dated row must not make its delivery replace a month another delivery holds
            WHEN delivery_month_rows < coalesce(getvariable('period_min_share')[source_name], 0) * delivery_rows
                THEN 'outside_period'
            WHEN key_required AND record_key IS NULL THEN 'missing_reference'
            -- identical rows without a key can be separate events (data.police.uk gives ASB no ID and
            -- snaps locations to anonymised points): only keyed rows are duplicates
            WHEN copy_number > 1 AND record_key IS NOT NULL THEN 'duplicate_row'
            WHEN key_unique AND record_key IS NOT NULL AND key_versions > 1 THEN 'conflicting_key'
        END AS reject_code
    FROM source
),

reasoned AS NOT MATERIALIZED (
    SELECT
        *,
        CASE reject_code
            WHEN 'delivery_quarantined' THEN 'the whole delivery was quarantined: ' || delivery_reason
            WHEN row_reject_code THEN row_reject_reason
            WHEN 'bad_date' THEN 'date ''' || coalesce(date_as_received, '') || ''' is missing or not a date (expected '
                                 || date_expected || ')'
                                 -- a spreadsheet's date saved as its number (45839 = 1 July 2025): said, as the
                                 -- partner sees a date in their spreadsheet
                                 || CASE WHEN regexp_full_match(coalesce(date_as_received, ''), '[1-9][0-9]{4}([.][0-9]+)?')
                                         THEN ': it looks like an Excel date serial number (the column was saved as '
                                              || 'numbers, not dates)' ELSE '' END
            WHEN 'future_date' THEN 'dated ' || strftime(event_date, '%d/%m/%Y') || ', after the run date '
                                    || strftime(getvariable('as_of'), '%d/%m/%Y')
            -- said so the partner knows how to have it counted: a delivery of its month replaces that month whole
            WHEN 'outside_period' THEN 'dated ' || strftime(event_date, '%B %Y') || ', a month this delivery otherwise does not cover ('
                                       || format('{:,}', delivery_month_rows) || ' of ' || format('{:,}', delivery_rows) || ' rows): it is counted once a '
                                       || 'delivery of ' || strftime(event_date, '%B %Y') || ' holds it'
            WHEN 'missing_reference' THEN key_label || ' is missing'
            WHEN 'duplicate_row' THEN 'exact copy of an earlier row in the same file'
            WHEN 'conflicting_key' THEN key_label || ' ''' || record_key || ''' appears ' || key_versions
                                        || ' times with different content; none of them is used'
        END AS row_reason
    FROM checked
),

failed_checks AS (
    -- each check's failures in a delivery the ingest loaded, with the first failing row as an example
    SELECT
        _delivery_id,
        reject_code,
        count(*) AS failed_rows,
        any_value(delivery_rows) AS delivery_rows,
        arg_min(row_reason, _row_number) AS example,
        min(_row_number) AS example_row,
        -- bad dates that read as month/day/year: a file written US-style
        count(*) FILTER (WHERE reject_code = 'bad_date'
                           AND try_strptime(regexp_extract(date_as_received, '^(\d{1,2}/\d{1,2}/\d{4})\b', 1), '%m/%d/%Y')
                               IS NOT NULL) AS month_first
    FROM reasoned
    WHERE reject_code IS NOT NULL
      AND delivery_status IS DISTINCT FROM 'quarantined'
      AND NOT list_contains(share_exempt, reject_code)
    GROUP BY _delivery_id, reject_code
),

unusable AS (
    -- the deliveries with a check failed by more rows than the contract allows, named by the check
    -- most rows fail
    SELECT
        _delivery_id,
        round(100 * (1 - coalesce(getvariable('min_valid_share')[source_name], 0)), 6) AS allowed_pct,
        -- a whole percentage, unless rounding would make it look within what the contract allows
        -- or all of them (a 100% is every row)
        CASE WHEN round(100 * failed_rows / delivery_rows) = 100 AND failed_rows < delivery_rows THEN 'over 99'
             WHEN round(100 * failed_rows / delivery_rows) > allowed_pct
             THEN round(100 * failed_rows / delivery_rows)::INTEGER::VARCHAR
             ELSE format('{:.1f}', 100 * failed_rows / delivery_rows) END AS failed_pct,
        failed_pct || '% of rows '
        || CASE reject_code
               WHEN 'bad_date' THEN 'have a date that cannot be read'
               WHEN 'future_date' THEN 'are dated after the run date, ' || strftime(getvariable('as_of'), '%d/%m/%Y')
               WHEN 'outside_period' THEN 'are dated in months holding too few of its rows to be months it covers'
               WHEN 'missing_reference' THEN 'have no ' || key_label
               WHEN 'duplicate_row' THEN 'are exact copies of an earlier row'
               WHEN 'conflicting_key' THEN 'repeat ' || CASE WHEN key_label[1] IN ('a', 'e', 'i', 'o', 'u') THEN 'an ' ELSE 'a ' END
                                           || key_label || ' with other content'
               ELSE 'fail the check ' || reject_code
           END
        || ' (' || format('{:,}', failed_rows) || ' of ' || format('{:,}', delivery_rows) || '; e.g. row '
        || example_row || ': ' || example || ')'
        || CASE WHEN month_first > failed_rows / 2
                THEN ': the dates look written month first (US style, MM/DD/YYYY); those with a day of 12 or less '
                     || 'would be read as the wrong month. Send dates as DD/MM/YYYY or YYYY-MM-DD'
                ELSE '' END
        || '. The data contract allows at most ' || regexp_replace(format('{:.6f}', allowed_pct), '\.?0+$', '') || '% of rows to fail a check, so none of its rows '
        || 'is used: the months it covers keep any earlier delivery''s rows' AS reason
    FROM failed_checks
    WHERE delivery_rows - failed_rows < round(coalesce(getvariable('min_valid_share')[source_name], 0) * delivery_rows, 9)
      -- a share of a handful of rows says nothing of how the file was made (one bad row of a 13-row population
      -- file is 8%, of a 5-row one 20%): those rows are quarantined one by one, as before
      AND delivery_rows >= 20
    QUALIFY row_number() OVER (PARTITION BY _delivery_id ORDER BY failed_rows DESC, reject_code) = 1
),

outcome AS NOT MATERIALIZED (
    SELECT
        r.* EXCLUDE (reject_code, row_reason, delivery_status, delivery_reason),
        CASE WHEN r.reject_code IS NULL AND u._delivery_id IS NOT NULL THEN 'delivery_quarantined'
             ELSE r.reject_code END AS reject_code,
        CASE WHEN r.reject_code IS NULL AND u._delivery_id IS NOT NULL THEN 'the whole delivery was quarantined: ' || u.reason
             ELSE r.row_reason END AS reject_reason,
        CASE WHEN u._delivery_id IS NOT NULL THEN 'quarantined' ELSE r.delivery_status END AS delivery_status,
        coalesce(u.reason, r.delivery_reason) AS delivery_reason
    FROM reasoned AS r
    LEFT JOIN unusable AS u USING (_delivery_id)
),

current_deliveries AS (
    -- a month (or a month and scope) belongs to the latest delivery holding valid rows for it: a
    -- resubmission replaces the earlier delivery's rows, which stay here, not current
    SELECT period_month, replace_scope, max(_delivery_id) AS current_delivery_id
    FROM outcome
    WHERE reject_code IS NULL
    GROUP BY ALL
),

final AS (
    SELECT
        source_name AS source,
        c.* EXCLUDE (period_month, replace_scope, copy_number, key_versions, delivery_month_rows, delivery_rows,
                     reject_code, reject_reason),
        c.period_month AS month,
        CASE
            WHEN c.place_as_received IS NULL THEN 'no location'
            WHEN c.lad_code IS NULL THEN 'outside area'
            ELSE 'in area'
        END AS geography,
        c.reject_code,
        c.reject_reason,
        c.reject_code IS NULL AND c._delivery_id = d.current_delivery_id AS is_current
    FROM outcome AS c
    LEFT JOIN current_deliveries AS d
        ON d.period_month = c.period_month AND d.replace_scope IS NOT DISTINCT FROM c.replace_scope
)

SELECT * FROM final;
