-- facts.measure_periods: every count and rate measure for every area over its source's two
-- comparisons: the rolling 12 months against the previous 12 months, and the financial year to date
-- (from April) against the same months a year earlier. Totals, change, rates per 1,000 residents,
-- the periods in words, any series break between the periods, and a status saying why a figure is
-- missing. A total is given only when every month of its period has a value, each period on its
-- own; a change only when both are: never a change against a gap. The statistics (intervals, tests,
-- verdicts) are added in comparisons.measure_change.
CREATE OR REPLACE TABLE facts.measure_periods AS
WITH source_windows AS (
    SELECT * FROM facts.source_windows
),

measures AS (
    SELECT measure_id, source, source_title, catalogue_order FROM ref.measures WHERE unit <> 'share'
),

areas AS (
    SELECT area_type, area_code, area_name, any_value(population) AS population
    FROM facts.areas
    GROUP BY ALL
),

loaded_sources AS (
    SELECT DISTINCT source FROM facts.source_months
),

financial_years AS (
    SELECT source, current_last,
           make_date(year(current_last) - CASE WHEN month(current_last) < 4 THEN 1 ELSE 0 END, 4, 1) AS fy_first
    FROM source_windows
    WHERE current_last IS NOT NULL
),

windows AS (
    SELECT source, 'rolling 12 months' AS comparison_type, current_first, current_last, previous_first, previous_last
    FROM source_windows
    WHERE current_last IS NOT NULL
    UNION ALL
    SELECT source, 'financial year to date', fy_first, current_last,
           CAST(fy_first - INTERVAL 12 MONTH AS DATE), CAST(current_last - INTERVAL 12 MONTH AS DATE)
    FROM financial_years
),

comparison_types AS (
    SELECT * FROM (VALUES ('rolling 12 months', 1), ('financial year to date', 2)) AS t (comparison_type, comparison_order)
),

grid AS (
    SELECT
        m.measure_id, m.source, m.source_title, m.catalogue_order, a.area_type, a.area_code, a.area_name, a.population,
        t.comparison_type, t.comparison_order, w.current_first, w.current_last, w.previous_first, w.previous_last,
        date_diff('month', w.current_first, w.current_last) + 1 AS period_months,
        sw.comparison_status AS source_status,
        l.source IS NOT NULL AS source_loaded
    FROM measures AS m
    CROSS JOIN areas AS a
    CROSS JOIN comparison_types AS t
    LEFT JOIN windows AS w ON w.source = m.source AND w.comparison_type = t.comparison_type
    LEFT JOIN source_windows AS sw ON sw.source = m.source
    LEFT JOIN loaded_sources AS l ON l.source = m.source
),

totals AS (
    SELECT
        g.measure_id, g.area_code, g.comparison_type,
        -- summed as DECIMAL, exactly, so in any order the same: a parallel sum of doubles (KSI's adjusted severities) can
        -- differ in its last bit from one run to the next
        CAST(sum(CAST(mo.value AS DECIMAL(38, 9))) FILTER (WHERE mo.month BETWEEN g.current_first AND g.current_last)
            AS DOUBLE) AS current_total,
        count(*) FILTER (WHERE mo.counted AND mo.month BETWEEN g.current_first AND g.current_last) AS current_months,
        CAST(sum(CAST(mo.value AS DECIMAL(38, 9))) FILTER (WHERE mo.month BETWEEN g.previous_first AND g.previous_last)
            AS DOUBLE) AS previous_total,
        count(*) FILTER (WHERE mo.counted AND mo.month BETWEEN g.previous_first AND g.previous_last) AS previous_months,
        -- why a month lacks the measure (its form cannot give it), if any month of either period does
        min(mo.status) FILTER (WHERE mo.status LIKE 'not available:%'
            AND mo.month BETWEEN g.current_first AND g.current_last) AS current_gap,
        count(*) FILTER (WHERE mo.status LIKE 'not available:%'
            AND mo.month BETWEEN g.current_first AND g.current_last) AS current_gap_months,
        -- the months themselves, named where they are few (a reader looks for the month, not a count)
        string_agg(strftime(mo.month, '%B %Y'), ', ' ORDER BY mo.month) FILTER (WHERE mo.status LIKE 'not available:%'
            AND mo.month BETWEEN g.current_first AND g.current_last) AS current_gap_list,
        min(mo.status) FILTER (WHERE mo.status LIKE 'not available:%'
            AND mo.month BETWEEN g.previous_first AND g.previous_last) AS previous_gap,
        count(*) FILTER (WHERE mo.status LIKE 'not available:%'
            AND mo.month BETWEEN g.previous_first AND g.previous_last) AS previous_gap_months,
        string_agg(strftime(mo.month, '%B %Y'), ', ' ORDER BY mo.month) FILTER (WHERE mo.status LIKE 'not available:%'
            AND mo.month BETWEEN g.previous_first AND g.previous_last) AS previous_gap_list
    FROM grid AS g
    JOIN facts.measure_area_monthly AS mo
        ON mo.measure_id = g.measure_id AND mo.area_code = g.area_code
        AND (mo.month BETWEEN g.current_first AND g.current_last OR mo.month BETWEEN g.previous_first AND g.previous_last)
    GROUP BY ALL
),

breaks AS (
    SELECT m.measure_id, b.from_month, b.note
    FROM measures AS m
    JOIN facts.series_breaks AS b ON b.source = m.source AND coalesce(b.measure_id, m.measure_id) = m.measure_id
),

assessed AS (
    SELECT
        g.*,
        coalesce(t.current_months, 0) AS current_months,
        coalesce(t.previous_months, 0) AS previous_months,
        CASE WHEN t.current_months = g.period_months THEN t.current_total END AS current_value,
        -- each period's total when it has every month: a previous 12 months of restricted data is shown
        -- beside a current period that a public-form month makes unavailable (the change is then NULL)
        CASE WHEN t.previous_months = g.period_months THEN t.previous_total END AS previous_value,
        month_span(g.current_first, g.current_last) AS current_period,
        month_span(g.previous_first, g.previous_last) AS previous_period,
        CASE
            WHEN NOT g.source_loaded THEN 'not available: no ' || g.source_title || ' data has been loaded'
            WHEN g.current_last IS NULL THEN 'not available: ' || coalesce(g.source_status, 'no complete month of data')
            WHEN t.current_months IS DISTINCT FROM g.period_months THEN coalesce(
                -- how many months, unless all of them
                t.current_gap || CASE WHEN t.current_gap_months < g.period_months
                                      THEN ' (' || CASE WHEN t.current_gap_months <= 3 THEN t.current_gap_list || ': ' ELSE '' END
                                           || t.current_gap_months || ' of the ' || g.period_months || ' months)' ELSE '' END,
                'not available: ' || months_with_data(t.current_months, g.period_months, g.current_first, g.current_last))
            WHEN t.previous_months IS DISTINCT FROM g.period_months THEN 'comparison not available: ' || coalesce(
                regexp_replace(t.previous_gap, '^not available: ', 'in the previous period ')
                    || CASE WHEN t.previous_gap_months < g.period_months
                            THEN ' (' || CASE WHEN t.previous_gap_months <= 3 THEN t.previous_gap_list || ': ' ELSE '' END
                                 || t.previous_gap_months || ' of its ' || g.period_months || ' months)' ELSE '' END,
                'the previous period (' || month_span(g.previous_first, g.previous_last)
                || ') has ' || CASE WHEN coalesce(t.previous_months, 0) = 0 THEN 'no data'
                                    ELSE 'data for only ' || t.previous_months || ' of its ' || g.period_months || ' months' END)
            ELSE 'available'
        END AS status,
        -- a break between the periods, where they are compared (the previous period has every month), or
        -- inside the latest period, whose total it splits; with no previous period a break before the latest
        -- says nothing: on 12 months of data alone every ASB row named 2024's break
        (SELECT string_agg(b.note, '; ' ORDER BY b.from_month) FROM breaks AS b
         WHERE b.measure_id = g.measure_id AND b.from_month <= g.current_last
           AND (b.from_month > g.current_first
                OR b.from_month > g.previous_first AND t.previous_months = g.period_months))
            AS series_break
    FROM grid AS g
    LEFT JOIN totals AS t USING (measure_id, area_code, comparison_type)
),

final AS (
    SELECT
        measure_id, source, area_type, area_code, area_name, comparison_type, comparison_order,
        current_first, current_last, previous_first, previous_last,
        current_period, previous_period,
        current_period || ' compared with ' || previous_period AS comparison,
        period_months, current_months, previous_months,
        current_value,
        previous_value,
        current_value - previous_value AS change,
        CASE WHEN previous_value > 0 THEN 100.0 * (current_value - previous_value) / previous_value END AS pct_change,
        population,
        getvariable('population_mid_year') AS population_mid_year,
        1000.0 * current_value / nullif(population, 0) AS current_rate_per_1000,
        1000.0 * previous_value / nullif(population, 0) AS previous_rate_per_1000,
        series_break,
        status
    FROM assessed
)

SELECT * FROM final
ORDER BY measure_id, comparison_order, area_type = 'county' DESC, area_type, area_name;
