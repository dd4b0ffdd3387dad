-- Record the data version this run produced.
UPDATE meta.runs SET data_version = $data_version WHERE run_id = $run_id;
