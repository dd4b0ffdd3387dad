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
-- date_expected: the date layout named in the reason of a bad date.
CREATE OR REPLACE MACRO checked_rows(prepared, source_name, key_label,
                                     date_expected := 'YYYY-MM-DD or DD/MM/YYYY') AS TABLE
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

current_deliveries AS (
    -- a month (or a month and scope) belongs to the latest delivery holding valid rows for it: a
    -- resubmission replaces the earlier delivery's rows, which stay here, not current
    SELECT period_month, replace_scope, max(_delivery_id) AS current_delivery_id
    FROM checked
    WHERE reject_code IS NULL
    GROUP BY ALL
),

final AS (
    SELECT
        source_name AS source,
        c.* EXCLUDE (period_month, replace_scope, copy_number, key_versions, delivery_month_rows, delivery_rows, reject_code),
        c.period_month AS month,
        CASE
            WHEN c.place_as_received IS NULL THEN 'no location'
            WHEN c.lad_code IS NULL THEN 'outside area'
            ELSE 'in area'
        END AS geography,
        c.reject_code,
        CASE c.reject_code
            WHEN 'delivery_quarantined' THEN 'the whole delivery was quarantined: ' || c.delivery_reason
            WHEN c.row_reject_code THEN c.row_reject_reason
            WHEN 'bad_date' THEN 'date ''' || coalesce(c.date_as_received, '') || ''' is missing or not a date (expected '
                                 || date_expected || ')'
            WHEN 'future_date' THEN 'dated ' || strftime(c.event_date, '%d/%m/%Y') || ', after the run date '
                                    || strftime(getvariable('as_of'), '%d/%m/%Y')
            WHEN 'outside_period' THEN 'dated ' || strftime(c.event_date, '%B %Y') || ', a month this delivery otherwise does not cover ('
                                       || c.delivery_month_rows || ' of ' || c.delivery_rows || ' rows)'
            WHEN 'missing_reference' THEN key_label || ' is missing'
            WHEN 'duplicate_row' THEN 'exact copy of an earlier row in the same file'
            WHEN 'conflicting_key' THEN key_label || ' ''' || c.record_key || ''' appears ' || c.key_versions
                                        || ' times with different content; none of them is used'
        END AS reject_reason,
        c.reject_code IS NULL AND c._delivery_id = d.current_delivery_id AS is_current
    FROM checked AS c
    LEFT JOIN current_deliveries AS d
        ON d.period_month = c.period_month AND d.replace_scope IS NOT DISTINCT FROM c.replace_scope
)

SELECT * FROM final;
