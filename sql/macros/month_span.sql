-- month_span(first_month, last_month): a span of months in words, 'November 2024 – October 2025', or the
-- one month's name when it is one ('April 2025': a financial year to date ending in April).
CREATE OR REPLACE MACRO month_span(first_month, last_month) AS
    strftime(first_month, '%B %Y') || CASE WHEN last_month > first_month THEN ' – ' || strftime(last_month, '%B %Y') ELSE '' END;
