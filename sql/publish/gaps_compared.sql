-- Months missing (dq.gaps) inside the 24 months a source's comparison covers (facts.source_windows: its
-- latest 12 months and the 12 before), for the log and the pack: each run of months missing, with the
-- districts missing it, the months compared and the comparison's status (quality_report.gap_lines says them
-- in words; a district's pack keeps its own district's and every district's). A month missing in the middle
-- of a series is not overdue (overdue looks at the latest complete month only), so without this nothing said
-- it; the data-quality report lists every gap, these and earlier ones.
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

-- the districts missing the same months together, 'every district' first
runs AS (
    SELECT source, first_month, last_month,
           list(district ORDER BY district = 'every district' DESC, district) AS districts
    FROM inside
    GROUP BY ALL
)

SELECT r.source, month_span(r.first_month, r.last_month) AS span, r.districts,
       month_span(w.previous_first, w.current_last) AS months_compared,
       w.comparison_status
FROM runs AS r
JOIN windows AS w USING (source)
ORDER BY r.source, r.first_month, r.last_month;
