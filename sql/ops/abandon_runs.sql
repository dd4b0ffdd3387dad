-- Runs still marked running when a new run holds the lock died without finishing (killed, power cut).
UPDATE meta.runs SET status = 'abandoned', finished_at = $now
WHERE status = 'running' AND run_id <> $run_id
RETURNING run_id, started_at;
