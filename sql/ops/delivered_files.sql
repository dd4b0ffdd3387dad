-- Every delivery, with the file it was read from (its name in its source's folder) and its status: a
-- loaded one no longer there is said, a quarantined one so noted (csp.ingest.deliveries.gone).
SELECT delivery_id, source, file_name, status FROM meta.deliveries ORDER BY delivery_id;
