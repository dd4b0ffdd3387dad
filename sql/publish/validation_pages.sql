-- Every stored Great Expectations result's delivery and suite, its result as a checksum (deliveries a
-- batch's check passed share one result, and one page: csp/publish/data_docs.py), for the report's links.
SELECT v.delivery_id, v.suite, d.file_name, d.received_at, md5(v.result::VARCHAR) AS result
FROM meta.validations AS v
JOIN meta.deliveries AS d USING (delivery_id)
ORDER BY v.delivery_id;
