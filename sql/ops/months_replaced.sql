-- Deliveries this run loaded ($run_id; NULL: every delivery still current in a month, for the data-quality report)
-- that replaced months of an earlier delivery, each with the months, the rows
-- before and after, and the delivery replaced (the latest earlier one whose rows there are no longer current:
-- the one current before; another scope's rows, such as another force's, stay current; of another form only
-- where no delivery of that form landed in this run for the month: STATS19's collision and casualty files, each
-- replacing its own kind, are checked apart, where a police extract and data.police.uk's file replace each
-- other). `fewer`: with under
-- half its rows there, where it held 20 or more (a handful says nothing): a delivery for a month replaces the
-- month as a whole (a corrected file), so a file of late additions, or a month's second part sent in a later
-- run, leaves the month with only its rows.
WITH new_deliveries AS (
    SELECT delivery_id FROM meta.deliveries WHERE ($run_id IS NULL OR run_id = $run_id) AND status = 'loaded'
),

valid AS (
    SELECT source, _delivery_id AS delivery_id, _source_file AS file_name, form, month, is_current
    FROM query_table(getvariable('checked_tables'), true)
    WHERE reject_code IS NULL
),

now_current AS (
    SELECT source, month, delivery_id, form, any_value(file_name) AS file_name, count(*) AS rows_now
    FROM valid
    WHERE is_current AND delivery_id IN (SELECT delivery_id FROM new_deliveries)
    GROUP BY ALL
),

replaced AS (
    SELECT source, month, delivery_id, form, any_value(file_name) AS file_name, count(*) AS rows_before
    FROM valid
    WHERE NOT is_current AND (source, month) IN (SELECT (source, month) FROM now_current)
    GROUP BY ALL
),

compared AS (
    SELECT n.source, n.delivery_id, n.file_name, n.month, n.rows_now,
           arg_max(r.file_name, r.delivery_id) AS replaced_file, arg_max(r.rows_before, r.delivery_id) AS rows_before
    FROM now_current AS n
    JOIN replaced AS r ON r.source = n.source AND r.month = n.month AND r.delivery_id < n.delivery_id
        AND (r.form = n.form
             OR (r.source, r.month, r.form) NOT IN (SELECT (source, month, form) FROM now_current))
    GROUP BY n.source, n.delivery_id, n.file_name, n.month, n.rows_now
),

islands AS (
    -- runs of consecutive months (or quarters) replaced, each said as one span: 'January – June 2025'
    SELECT *, coalesce(getvariable('period_months')[source], 1) AS period_months,
           date_diff('month', DATE '2000-01-01', month) // period_months
               - row_number() OVER (PARTITION BY source, delivery_id, replaced_file ORDER BY month) AS island
    FROM compared
),

spans AS (
    SELECT source, delivery_id, file_name, replaced_file, min(month) AS first_month,
           (max(month) + to_months(any_value(period_months) - 1))::DATE AS last_month,
           sum(rows_now) AS rows_now, sum(rows_before) AS rows_before,
           bool_or(rows_before >= 20 AND rows_now < 0.5 * rows_before) AS fewer
    FROM islands
    GROUP BY source, delivery_id, file_name, replaced_file, island
)

SELECT source, file_name, replaced_file,
       string_agg(CASE WHEN first_month = last_month THEN strftime(first_month, '%B %Y')
                       WHEN year(first_month) = year(last_month)
                           THEN strftime(first_month, '%B') || ' – ' || strftime(last_month, '%B %Y')
                       ELSE month_span(first_month, last_month) END,
                  ', ' ORDER BY first_month) AS months,
       sum(rows_now) AS rows_now, sum(rows_before) AS rows_before, bool_or(fewer) AS fewer,
       delivery_id
FROM spans
GROUP BY source, delivery_id, file_name, replaced_file
ORDER BY source, file_name;
