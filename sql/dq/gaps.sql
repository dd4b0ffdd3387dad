-- dq.gaps: months missing from each windowed source's series, by district. Inside a source's span of
-- data (its first to its last month with current rows), a month is missing for a county district
-- when the district has no current rows in it; a sparse source (complete_month = any_data, e.g. road
-- casualties, where a district can truly have none) is missing a month only when it has no data at
-- all. A month missing for every district is one row, district 'every district'. Consecutive months
-- make one row. A quarterly row covers its quarter's three months.
CREATE OR REPLACE TABLE dq.gaps AS
WITH current_rows AS (
    -- as facts.source_months (month_rows): a collision file alone gives a month no data, nor do rows outside
    -- the area's districts (a month of another force's rows only is missing for every district)
    SELECT DISTINCT source, month, lad_code
    FROM month_rows(getvariable('checked_tables'))
    WHERE source IN (SELECT unnest(map_keys(getvariable('window_end_settings'))))
),

covered AS (
    SELECT
        source,
        lad_code,
        CAST(unnest(generate_series(month, month + to_months(getvariable('period_months')[source] - 1), INTERVAL 1 MONTH)) AS DATE) AS month
    FROM current_rows
),

districts AS (
    SELECT lad_code, lad_name FROM ref.districts WHERE in_county
),

spine AS (
    SELECT source, CAST(unnest(generate_series(min(month), max(month), INTERVAL 1 MONTH)) AS DATE) AS month
    FROM covered
    GROUP BY source
),

month_data AS (
    SELECT s.source, s.month, count(DISTINCT c.lad_code) FILTER (WHERE c.lad_code IN (SELECT lad_code FROM districts)) AS districts_with_data,
           count(c.source) AS any_rows
    FROM spine AS s
    LEFT JOIN covered AS c USING (source, month)
    GROUP BY ALL
),

missing AS (
    -- a whole month without data, for every source
    SELECT source, month, NULL::VARCHAR AS lad_code, 'every district' AS district
    FROM month_data
    WHERE any_rows = 0
    UNION ALL
    -- a district without data in a month others have, for a source needing every district
    SELECT m.source, m.month, d.lad_code, d.lad_name
    FROM month_data AS m
    CROSS JOIN districts AS d
    WHERE m.any_rows > 0
      AND getvariable('complete_month')[m.source] = 'every_district'
      AND NOT EXISTS (SELECT 1 FROM covered AS c WHERE c.source = m.source AND c.month = m.month AND c.lad_code = d.lad_code)
),

runs AS (
    SELECT *,
        date_diff('month', DATE '2000-01-01', month)
            - row_number() OVER (PARTITION BY source, district ORDER BY month) AS run
    FROM missing
),

final AS (
    SELECT
        source,
        district,
        any_value(lad_code) AS lad_code,
        min(month) AS first_month,
        max(month) AS last_month,
        count(*) AS months
    FROM runs
    GROUP BY source, district, run
)

SELECT * FROM final
ORDER BY source, first_month, district = 'every district' DESC, district;
