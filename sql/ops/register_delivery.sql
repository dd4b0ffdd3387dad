INSERT INTO meta.deliveries
    (delivery_id, source, form, file_name, file_path, checksum, size_bytes, received_at, run_id, status, reason,
     rows_received, file_type, warnings, extra_columns, blank_rows, modified_ns)
SELECT coalesce(max(delivery_id), 0) + 1, $source, $form, $file_name, $file_path, $checksum, $size_bytes,
       $received_at, $run_id, $status, $reason, $rows_received, $file_type, $warnings::VARCHAR[],
       $extra_columns::VARCHAR[], $blank_rows, $modified_ns
FROM meta.deliveries
RETURNING delivery_id;
