-- A file found to be a copy of an earlier delivery and not read (meta.copies).
INSERT INTO meta.copies VALUES ($source, $file_name, $file_path, $size_bytes, $modified_ns, $checksum, $run_id);
