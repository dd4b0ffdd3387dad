INSERT INTO meta.deliveries
    (delivery_id, source, form, file_name, file_path, checksum, size_bytes, received_at, run_id, status, reason, rows_received)
SELECT coalesce(max(delivery_id), 0) + 1, $source, $form, $file_name, $file_path, $checksum, $size_bytes,
       $received_at, $run_id, $status, $reason, $rows_received
FROM meta.deliveries
RETURNING delivery_id;
