-- Every delivery loaded, with the file it was read from (its name in its source's folder): one no
-- longer there is said (csp.ingest.deliveries.gone).
SELECT delivery_id, source, file_name FROM meta.deliveries WHERE status = 'loaded' ORDER BY delivery_id;
