-- facts.source_windows: for each source with a rolling window, the 12 months ending at the latest
-- complete month, the 12 months before them, and whether the data covers both. A month is covered
-- when a current delivery holds data for it; a row of a quarterly source covers the three months of
-- its quarter. "auto" ends the window at the latest covered month, before the run month, that is
-- complete by the source's contract rule (delivery_rules.complete_month): every_district = every
-- district of the county has data in it; any_data = it has any data (sparse sources such as KSI,
-- where a district can truly have none). A period counts only once it has ended, so a quarterly
-- window ends at a quarter's end. A source published with a lag, like KSI, ends earlier by itself;
-- where the catalogue gives a source window_end_months, the window ends at the latest such month
-- (KSI: June, so July - June).
-- The settings can fix a source's window end ("YYYY-MM"; for a quarterly source a quarter's last month).
-- complete_until: the last month the monthly series count as complete, the latest complete month (by the
-- same rule, whatever month the window may end in) or a fixed window end if later; a month after it is
-- still arriving (a district's rows missing, or the run month itself) and is not shown as a count.
-- data_to: that month in words, naming any later months with rows as still arriving.
-- expected_until: the latest month whose data should be complete by the run's as-of date, by the
-- contract's expected_lag_months (months after a month, or a quarterly source's quarter, ends);
-- overdue: when complete_until is older, how far behind the run date it is and the months overdue,
-- in words (NULL when the data is as recent as expected). The log, the data-quality report and the
-- pack say it; dq.gaps looks only inside the span of data, so this is where stale data shows.
-- mixed_forms: when the 24 months compared did not all come in the same forms (layouts; facts.source_months),
-- each form in words (its contract title) with its months, and what that means for a change, e.g. 'the months
-- compared come from two layouts of the data — the force's restricted extract (November 2023 – September
-- 2025) and data.police.uk's public files (October 2025); where the two differ in level, part of a change may
-- be the layout's, not a real change'. NULL with one form throughout, or no comparison. A caveat, not a
-- series break: the verdicts stand. A change of form before the 24 months says nothing.
CREATE OR REPLACE TABLE facts.source_windows AS
WITH checked AS (
    SELECT DISTINCT source, month, lad_code
    FROM month_rows(getvariable('checked_tables'))
    WHERE source IN (SELECT unnest(map_keys(getvariable('window_end_settings'))))
),

covered AS (
    -- every month a row's reporting period covers, with the period's last month
    SELECT
        source,
        lad_code,
        CAST(unnest(generate_series(month, month + to_months(getvariable('period_months')[source] - 1), INTERVAL 1 MONTH)) AS DATE) AS month,
        (month + to_months(getvariable('period_months')[source] - 1))::DATE AS period_last_month
    FROM checked
),

months AS (
    SELECT
        c.source,
        c.month,
        max(c.period_last_month) AS period_last_month,
        count(DISTINCT c.lad_code) FILTER (WHERE d.in_county) AS districts
    FROM covered AS c
    LEFT JOIN ref.districts AS d USING (lad_code)
    GROUP BY ALL
),

complete_months AS (
    SELECT source, month
    FROM months
    WHERE period_last_month < date_trunc('month', getvariable('as_of'))
      AND CASE getvariable('complete_month')[source]
              WHEN 'any_data' THEN true
              ELSE districts = (SELECT count(*) FROM ref.districts WHERE in_county)
          END
),

settings AS (
    SELECT
        unnest(map_keys(getvariable('window_end_settings'))) AS source,
        unnest(map_values(getvariable('window_end_settings'))) AS window_end_setting
),

window_end AS (
    SELECT
        s.source,
        s.window_end_setting,
        CASE
            WHEN s.window_end_setting = 'auto' THEN (
                SELECT max(c.month) FROM complete_months AS c
                WHERE c.source = s.source
                  AND (len(coalesce(r.window_end_months, [])) = 0 OR list_contains(r.window_end_months, month(c.month))))
            ELSE strptime(s.window_end_setting, '%Y-%m')::DATE
        END AS window_end,
        (SELECT max(c.month) FROM complete_months AS c WHERE c.source = s.source) AS latest_complete_month
    FROM settings AS s
    LEFT JOIN ref.measure_sources AS r USING (source)
),

windows AS (
    SELECT
        source,
        window_end_setting,
        (window_end - INTERVAL 11 MONTH)::DATE AS current_first,
        window_end AS current_last,
        (window_end - INTERVAL 23 MONTH)::DATE AS previous_first,
        (window_end - INTERVAL 12 MONTH)::DATE AS previous_last,
        CASE WHEN window_end_setting = 'auto' THEN latest_complete_month
             ELSE greatest(window_end, latest_complete_month) END AS complete_until
    FROM window_end
),

coverage AS (
    SELECT
        w.*,
        (SELECT min(month) FROM months AS m WHERE m.source = w.source) AS first_month_with_data,
        (SELECT max(month) FROM months AS m WHERE m.source = w.source) AS last_month_with_data,
        (SELECT count(*) FROM months AS m WHERE m.source = w.source
            AND m.month BETWEEN w.current_first AND w.current_last) AS current_months_covered,
        (SELECT count(*) FROM months AS m WHERE m.source = w.source
            AND m.month BETWEEN w.previous_first AND w.previous_last) AS previous_months_covered
    FROM windows AS w
),

lateness AS (
    SELECT
        *,
        getvariable('expected_lag_months')[source] AS expected_lag_months,
        (date_trunc('month', getvariable('as_of')) - INTERVAL 1 MONTH)::DATE AS last_ended_month
    FROM coverage
),

expected AS (
    SELECT
        *,
        -- a quarterly source is due a quarter at a time: the latest quarter's end at or before the due month
        (CASE WHEN getvariable('period_months')[source] = 3
              THEN date_trunc('quarter', last_ended_month - to_months(expected_lag_months) + INTERVAL 1 MONTH)
              ELSE last_ended_month - to_months(expected_lag_months) + INTERVAL 1 MONTH
         END - INTERVAL 1 MONTH)::DATE AS expected_until
    FROM lateness
),

compared_forms AS (
    -- each month of the 24 compared, with the forms its data came in
    SELECT c.source, m.month, m.form_keys
    FROM coverage AS c
    JOIN facts.source_months AS m ON m.source = c.source AND m.month BETWEEN c.previous_first AND c.current_last
    WHERE c.current_months_covered = 12 AND c.previous_months_covered = 12
),

form_months AS (
    -- each form of a source whose months compared did not all come in the same forms
    SELECT source, month, unnest(form_keys) AS form_key
    FROM compared_forms
    WHERE source IN (SELECT source FROM compared_forms GROUP BY source HAVING count(DISTINCT form_keys) > 1)
),

form_runs AS (
    -- each form's runs of consecutive months (a month's number less its rank is the same along a run)
    SELECT source, form_key, min(month) AS first_month, max(month) AS last_month
    FROM (SELECT *, date_diff('month', DATE '2000-01-01', month)
                    - row_number() OVER (PARTITION BY source, form_key ORDER BY month) AS run
          FROM form_months)
    GROUP BY source, form_key, run
),

form_spans AS (
    -- "the force's restricted extract (November 2023 – September 2025)"
    SELECT
        source,
        min(first_month) AS first_month,
        coalesce(getvariable('form_titles')[form_key], form_key) || ' ('
            || string_agg(month_span(first_month, last_month), ', ' ORDER BY first_month) || ')' AS words
    FROM form_runs
    GROUP BY source, form_key
),

form_mix AS (
    SELECT
        source,
        'the months compared come from ' || layouts_words(spans, 'a change') AS mixed_forms
    FROM (SELECT source, list(words ORDER BY first_month, words) AS spans FROM form_spans GROUP BY source)
),

final AS (
    SELECT
        e.*,
        strftime(current_first, '%B %Y') || ' – ' || strftime(current_last, '%B %Y') AS current_period,
        strftime(previous_first, '%B %Y') || ' – ' || strftime(previous_last, '%B %Y') AS previous_period,
        current_months_covered = 12 AND previous_months_covered = 12 AS comparison_available,
        -- the latest month the outputs count, and any later months with rows, still arriving
        CASE
            WHEN last_month_with_data IS NULL THEN NULL
            WHEN complete_until IS NULL
                THEN 'no complete month (' || strftime(first_month_with_data, '%B %Y')
                     || CASE WHEN last_month_with_data > first_month_with_data THEN ' – ' || strftime(last_month_with_data, '%B %Y') ELSE '' END
                     || ' still arriving)'
            WHEN last_month_with_data <= complete_until THEN strftime(last_month_with_data, '%B %Y')
            ELSE strftime(complete_until, '%B %Y') || ' ('
                 || CASE WHEN last_month_with_data = complete_until + INTERVAL 1 MONTH THEN ''
                         ELSE strftime(complete_until + INTERVAL 1 MONTH, '%B %Y') || ' – ' END
                 || strftime(last_month_with_data, '%B %Y') || ' still arriving)'
        END AS data_to,
        CASE
            WHEN current_last IS NULL THEN 'no complete month of data'
            WHEN current_months_covered < 12
                THEN months_with_data(current_months_covered, 12, current_first, current_last)
            WHEN previous_months_covered < 12
                THEN 'comparison not available: the previous 12 months (' || strftime(previous_first, '%B %Y')
                     || ' – ' || strftime(previous_last, '%B %Y') || ') have '
                     || CASE WHEN previous_months_covered = 0 THEN 'no data'
                             ELSE 'data for only ' || previous_months_covered
                                  || CASE WHEN previous_months_covered = 1 THEN ' month' ELSE ' months' END END
                     || '; data starts ' || strftime(first_month_with_data, '%B %Y')
            ELSE 'available'
        END AS comparison_status,
        CASE
            WHEN complete_until < expected_until
                THEN 'data to ' || strftime(complete_until, '%B %Y') || ' — '
                     || date_diff('month', complete_until, last_ended_month) || ' months behind the run date; expected within '
                     || expected_lag_months || ' ('
                     || CASE WHEN expected_until = complete_until + INTERVAL 1 MONTH THEN ''
                             ELSE strftime(complete_until + INTERVAL 1 MONTH, '%B %Y') || ' – ' END
                     || strftime(expected_until, '%B %Y') || ' overdue)'
        END AS overdue,
        f.mixed_forms
    FROM expected AS e
    LEFT JOIN form_mix AS f USING (source)
)

SELECT * FROM final ORDER BY source;
