-- Every delivery with its rows received, loaded and quarantined, for the data-quality annex. A data.police.uk
-- street file's "Anti-social behaviour" rows are ASB incidents too (staging.asb_checked): the first and last
-- month its ASB rows are counted in (the months no restricted ASB delivery holds), so the annex can say that
-- ASB's months are not all from ASB deliveries. loaded_in: filed in the wrong folder (dq.deliveries), its rows
-- counted where they loaded.
WITH asb_counted AS (
    SELECT _delivery_id AS delivery_id, min(month) AS asb_first_month, max(month) AS asb_last_month
    FROM staging.asb_checked
    WHERE form = 'police_uk' AND reject_code IS NULL AND is_current
    GROUP BY ALL
)

SELECT d.source, d.file_name, d.status, d.reason, d.rows_received, d.rows_loaded, d.rows_quarantined, d.rows_current,
       d.rows_no_location, d.rows_outside_area, d.first_month, d.last_month, a.asb_first_month, a.asb_last_month,
       d.loaded_in
FROM dq.deliveries AS d
LEFT JOIN asb_counted AS a ON a.delivery_id = d.delivery_id AND d.source = 'police_crime'
ORDER BY d.source, d.first_month NULLS LAST, d.file_name;
