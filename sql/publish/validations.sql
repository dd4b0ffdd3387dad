-- Every stored Great Expectations result, with the delivery it checked, for the Data Docs.
SELECT v.delivery_id, v.suite, d.file_name, d.received_at, v.result
FROM meta.validations AS v
JOIN meta.deliveries AS d USING (delivery_id)
ORDER BY v.delivery_id;
