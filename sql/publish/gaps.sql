-- Gaps for the data-quality annex: runs of months, inside each windowed source's span of data, that
-- are not complete by the source's own rule (as facts.source_windows counts them): no data at all,
-- or, for a source whose months must cover every district (complete_month = every_district), data
-- for only some districts. A quarterly row covers the three months of its quarter.
WITH checked AS (
    SELECT DISTINCT source, month, lad_code
    FROM query_table(getvariable('checked_tables'), true)
    WHERE is_current AND month IS NOT NULL
      AND source IN (SELECT unnest(map_keys(getvariable('window_end_settings'))))
),

expected AS (
    SELECT count(*) AS districts FROM ref.districts WHERE in_county
),

covered AS (
    SELECT
        source,
        lad_code,
        CAST(unnest(generate_series(month, month + to_months(getvariable('period_months')[source] - 1), INTERVAL 1 MONTH)) AS DATE) AS month
    FROM checked
),

coverage AS (
    SELECT c.source, c.month, count(DISTINCT c.lad_code) FILTER (WHERE d.in_county) AS districts_with_data
    FROM covered AS c
    LEFT JOIN ref.districts AS d USING (lad_code)
    GROUP BY ALL
),

spans AS (
    SELECT source, min(month) AS first_month, max(month) AS last_month FROM coverage GROUP BY ALL
),

spine AS (
    SELECT source, CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM spans
),

short AS (
    SELECT s.source, s.month, coalesce(c.districts_with_data, 0) AS districts_with_data, e.districts AS districts_expected
    FROM spine AS s
    CROSS JOIN expected AS e
    LEFT JOIN coverage AS c USING (source, month)
    WHERE c.month IS NULL
       OR (getvariable('complete_month')[s.source] = 'every_district' AND c.districts_with_data < e.districts)
),

runs AS (
    -- consecutive months of the same kind (none / some districts) share a run number
    SELECT *,
        districts_with_data = 0 AS no_data,
        date_diff('month', DATE '2000-01-01', month)
            - row_number() OVER (PARTITION BY source, districts_with_data = 0 ORDER BY month) AS run
    FROM short
)

SELECT
    source,
    min(month) AS first_month,
    max(month) AS last_month,
    count(*) AS months,
    min(districts_with_data) AS fewest_districts,
    max(districts_with_data) AS most_districts,
    any_value(districts_expected) AS districts_expected
FROM runs
GROUP BY source, no_data, run
ORDER BY source, first_month;
