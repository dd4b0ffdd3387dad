-- The batch's clean files with the delivery each was registered as, to number and land their rows.
CREATE OR REPLACE TEMP TABLE batch_deliveries AS
SELECT
    unnest($paths) AS _file_path,
    unnest($file_names) AS file_name,
    unnest($delivery_ids) AS delivery_id,
    unnest($checksums) AS checksum,
    unnest($first_reads) AS first_read;
