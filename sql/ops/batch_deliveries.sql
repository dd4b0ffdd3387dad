-- The batch's clean files, in batch order, with the delivery each was registered as and the data rows
-- of the clean files before it, to number and land their rows (land_batch.sql).
CREATE OR REPLACE TEMP TABLE batch_deliveries AS
SELECT
    unnest($paths) AS _file_path,
    unnest($file_names) AS file_name,
    unnest($delivery_ids) AS delivery_id,
    unnest($checksums) AS checksum,
    unnest($rows_before) AS rows_before;
