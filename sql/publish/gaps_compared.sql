-- Months missing (dq.gaps) inside the 24 months a source's comparison covers (facts.source_windows: its
-- latest 12 months and the 12 before), for the log: each source with those gaps in words, the months
-- compared, and the comparison's status. A month missing in the middle of a series is not overdue (overdue
-- looks at the latest complete month only), so without this the log said nothing of it; the data-quality
-- report lists every gap, these and earlier ones.
WITH windows AS (
    SELECT source, previous_first, current_last, comparison_status
    FROM facts.source_windows
    WHERE current_last IS NOT NULL
),

inside AS (
    SELECT g.source, g.district, greatest(g.first_month, w.previous_first) AS first_month,
           least(g.last_month, w.current_last) AS last_month
    FROM dq.gaps AS g
    JOIN windows AS w USING (source)
    WHERE g.first_month <= w.current_last AND g.last_month >= w.previous_first
),

-- the districts missing the same months together
runs AS (
    SELECT source, first_month, last_month,
           string_agg(district, ', ' ORDER BY district = 'every district' DESC, district) AS districts
    FROM inside
    GROUP BY ALL
),

final AS (
    SELECT
        source,
        string_agg(month_span(first_month, last_month) || ' (' || districts || ')', '; '
                   ORDER BY first_month, last_month) AS missing
    FROM runs
    GROUP BY source
)

SELECT f.source, f.missing,
       month_span(w.previous_first, w.current_last) AS months_compared,
       w.comparison_status
FROM final AS f
JOIN windows AS w USING (source)
ORDER BY f.source;
