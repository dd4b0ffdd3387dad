-- months_with_data(covered, of_months, first_month, last_month): how many months of a period have
-- data, in words: 'only 5 of the 12 months November 2024 – October 2025 have data', 'only 1 of ... has
-- data', 'none of ... have data' (facts.source_windows and facts.measure_periods say it alike).
CREATE OR REPLACE MACRO months_with_data(covered, of_months, first_month, last_month) AS
    CASE WHEN coalesce(covered, 0) = 0 THEN 'none' ELSE 'only ' || covered END
    || ' of the ' || of_months || ' months ' || strftime(first_month, '%B %Y') || ' – ' || strftime(last_month, '%B %Y')
    || CASE WHEN covered = 1 THEN ' has data' ELSE ' have data' END;
