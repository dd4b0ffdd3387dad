-- Months missing from each source's series, by district, for the data-quality report.
SELECT source, district, first_month, last_month, months FROM dq.gaps ORDER BY source, first_month, district;
