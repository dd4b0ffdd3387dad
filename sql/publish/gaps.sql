-- Gaps for the data-quality annex: dq.gaps (the months missing by district) summarised by source,
-- as runs of months that are not complete by the source's own rule: no data at all, or, for a
-- source whose months must cover every district, data for only some districts.
WITH expected AS (
    SELECT count(*) AS districts FROM ref.districts WHERE in_county
),

missing AS (
    SELECT source, district, CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM dq.gaps
),

short AS (
    SELECT
        m.source,
        m.month,
        CASE WHEN bool_or(m.district = 'every district') THEN 0
             ELSE any_value(e.districts) - count(DISTINCT m.district) END AS districts_with_data,
        any_value(e.districts) AS districts_expected
    FROM missing AS m
    CROSS JOIN expected AS e
    GROUP BY m.source, m.month
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
