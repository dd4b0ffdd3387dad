-- facts.measure_area_monthly: every count and rate measure for every area (the county as the sum
-- of its districts, each district, and neighbours such as Medway on their own) and every month from
-- its source's first month of data to its last. A month with data gives a value (0 when nothing
-- matched) and is counted; a month without data, or delivered in a form the measure cannot be
-- counted from, gives NULL and says why. So does every month of an area that a source whose returns list
-- every area they cover, zeros included (delivery_rules.lists_every_area: youth offending), has never
-- listed: not covered by it (Kent's youth justice service and Medway, which has its own), not an area with
-- nothing to count. A quarterly source's value sits in its quarter's first
-- month, named as the quarter ("April – June 2024"); the quarter's other months are counted in it.
-- With each month: the same month a year earlier, the 12-month rolling total (only when all 12
-- months are counted and the month ends a reporting period), and any series break between the two
-- compared months. A month after its source's last complete month (facts.source_windows.complete_until:
-- a district's rows still missing, or the run month itself) is not counted either: its partial count
-- would read as a fall.
CREATE OR REPLACE TABLE facts.measure_area_monthly AS
WITH measures AS (
    SELECT measure_id, source, source_title FROM ref.measures WHERE unit <> 'share'
),

source_months AS (
    -- a period ending after the source's last complete month is still arriving: not counted
    SELECT sm.source, sm.month, sm.period_start, sm.period_months, sm.forms, w.complete_until,
           coalesce(sm.period_start + to_months(sm.period_months - 1) > w.complete_until, false) AS incomplete
    FROM facts.source_months AS sm
    LEFT JOIN facts.source_windows AS w USING (source)
),

monthly AS (
    SELECT measure_id, lad_code, month, value FROM facts.measure_monthly
),

areas AS (
    SELECT DISTINCT area_type, area_code, area_name FROM facts.areas
),

spine AS (
    -- every month from the source's first month of data to its last, so a gap is a row, not a hole
    SELECT source, CAST(unnest(generate_series(min(month), max(month), INTERVAL 1 MONTH)) AS DATE) AS month
    FROM source_months
    GROUP BY source
),

form_gaps AS (
    -- a reporting period delivered in a form the measure cannot be counted from, and why
    SELECT m.measure_id, sm.period_start, string_agg(g.reason, '; ' ORDER BY g.form) AS gap
    FROM measures AS m
    JOIN source_months AS sm USING (source)
    JOIN ref.measure_form_gaps AS g ON g.measure_id = m.measure_id AND list_contains(sm.forms, g.form)
    WHERE sm.month = sm.period_start
    GROUP BY ALL
),

covered AS (
    -- the areas a source holds rows for, in any month (facts.measure_monthly has a row for every district and
    -- month with any row of the source); the county where it holds rows for any of its districts
    SELECT DISTINCT mm.source, a.area_code
    FROM (SELECT DISTINCT source, lad_code FROM facts.measure_monthly) AS mm
    JOIN facts.areas AS a USING (lad_code)
),

uncovered AS (
    -- the areas a source listing every area it covers has never listed
    SELECT m.measure_id, a.area_code
    FROM measures AS m
    CROSS JOIN areas AS a
    WHERE coalesce(getvariable('lists_every_area')[m.source], false)
      AND NOT EXISTS (SELECT 1 FROM covered AS c WHERE c.source = m.source AND c.area_code = a.area_code)
),

area_values AS (
    -- summed as DECIMAL, exactly, so in any order the same: a parallel sum of doubles (KSI's adjusted severities) can
    -- differ in its last bit from one run to the next (so too the rolling total below)
    SELECT mo.measure_id, a.area_code, mo.month, CAST(sum(CAST(mo.value AS DECIMAL(38, 9))) AS DOUBLE) AS value
    FROM monthly AS mo
    JOIN facts.areas AS a USING (lad_code)
    GROUP BY ALL
),

counted AS (
    SELECT
        m.measure_id, m.source, a.area_type, a.area_code, a.area_name, s.month,
        coalesce(sm.period_months, 1) AS period_months,
        sm.month IS NOT NULL AND fg.gap IS NULL AND NOT sm.incomplete AND un.area_code IS NULL AS counted,
        coalesce(s.month = sm.period_start + to_months(sm.period_months - 1), false) AS ends_period,
        -- a quarter's second and third months: no value, comparison or rolling total of their own
        coalesce(sm.period_months > 1 AND s.month <> sm.period_start, false) AS inside_period,
        CASE WHEN s.month = sm.period_start AND fg.gap IS NULL AND NOT sm.incomplete AND un.area_code IS NULL
            THEN coalesce(v.value, 0) END AS value,
        CASE
            WHEN un.area_code IS NOT NULL THEN 'not available: no ' || m.source_title || ' data covers ' || a.area_name
            WHEN sm.month IS NULL THEN 'no data for this month'
            WHEN sm.incomplete
                THEN 'incomplete: the data for it is still arriving (the latest complete month is '
                     || strftime(sm.complete_until, '%B %Y') || ')'
            WHEN fg.gap IS NOT NULL THEN 'not available: ' || fg.gap
            WHEN s.month <> sm.period_start
                THEN 'counted in ' || strftime(sm.period_start, '%B') || ' – '
                     || strftime(sm.period_start + to_months(sm.period_months - 1), '%B %Y')
            ELSE 'available'
        END AS status,
        -- the period a value covers, in words: the month, or the quarter it starts
        CASE WHEN s.month = sm.period_start AND sm.period_months > 1
            THEN strftime(s.month, '%B') || ' – ' || strftime(s.month + to_months(sm.period_months - 1), '%B %Y')
            ELSE strftime(s.month, '%B %Y')
        END AS period,
        CASE WHEN s.month = sm.period_start AND sm.period_months > 1
            THEN strftime(s.month - INTERVAL 12 MONTH, '%B') || ' – '
                 || strftime(s.month + to_months(sm.period_months - 13), '%B %Y')
            ELSE strftime(s.month - INTERVAL 12 MONTH, '%B %Y')
        END AS period_year_earlier
    FROM measures AS m
    JOIN spine AS s USING (source)
    CROSS JOIN areas AS a
    LEFT JOIN source_months AS sm ON sm.source = m.source AND sm.month = s.month
    LEFT JOIN form_gaps AS fg ON fg.measure_id = m.measure_id AND fg.period_start = sm.period_start
    LEFT JOIN area_values AS v ON v.measure_id = m.measure_id AND v.area_code = a.area_code AND v.month = s.month
    LEFT JOIN uncovered AS un ON un.measure_id = m.measure_id AND un.area_code = a.area_code
),

breaks AS (
    SELECT m.measure_id, b.from_month, b.note
    FROM measures AS m
    JOIN facts.series_breaks AS b ON b.source = m.source AND coalesce(b.measure_id, m.measure_id) = m.measure_id
),

compared AS (
    SELECT
        c.*,
        y.value AS value_year_earlier,
        -- a break between the month and the same month a year earlier, where that has a count to compare with
        (SELECT string_agg(b.note, '; ' ORDER BY b.from_month) FROM breaks AS b
         WHERE b.measure_id = c.measure_id AND b.from_month > c.month - INTERVAL 12 MONTH AND b.from_month <= c.month
           AND y.value IS NOT NULL)
            AS series_break,
        -- the first month of the series segment this month belongs to (after the latest break), for trends
        (SELECT max(b.from_month) FROM breaks AS b WHERE b.measure_id = c.measure_id AND b.from_month <= c.month)
            AS segment_start
    FROM counted AS c
    LEFT JOIN counted AS y
        ON y.measure_id = c.measure_id AND y.area_code = c.area_code AND y.month = c.month - INTERVAL 12 MONTH
),

final AS (
    SELECT
        measure_id, source, area_type, area_code, area_name, month, period,
        value,
        status,
        counted,
        period_months,
        value_year_earlier,
        value - value_year_earlier AS change,
        CASE WHEN value_year_earlier > 0 THEN 100.0 * (value - value_year_earlier) / value_year_earlier END AS pct_change,
        CASE WHEN NOT inside_period THEN period || ' compared with ' || period_year_earlier END AS comparison,
        CASE WHEN ends_period AND count(*) FILTER (WHERE counted) OVER w12 = 12
            THEN CAST(sum(CAST(value AS DECIMAL(38, 9))) OVER w12 AS DOUBLE) END AS rolling_12m,
        -- a quarterly source's rolling total is given at a quarter's end only (ends_period)
        CASE WHEN period_months = 1 OR ends_period
            THEN strftime(month - INTERVAL 11 MONTH, '%B %Y') || ' – ' || strftime(month, '%B %Y') END AS rolling_12m_period,
        series_break,
        segment_start
    FROM compared
    WINDOW w12 AS (PARTITION BY measure_id, area_code ORDER BY month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)
)

SELECT * FROM final ORDER BY measure_id, area_type = 'county' DESC, area_type, area_name, month;
