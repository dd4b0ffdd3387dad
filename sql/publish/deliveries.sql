-- Every delivery with its rows received, loaded and quarantined, for the data-quality annex.
SELECT source, file_name, status, reason, rows_received, rows_loaded, rows_quarantined, rows_no_location,
       rows_outside_area, first_month, last_month
FROM dq.deliveries
ORDER BY source, first_month NULLS LAST, file_name;
