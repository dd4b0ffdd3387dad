-- Runs still marked running when a new run holds the lock died without finishing (killed, power cut):
-- abandoned, or succeeded if the current outputs are theirs ($published_by: the run the published
-- manifest names), as a run killed just after swapping its outputs in has published them.
UPDATE meta.runs
SET status = CASE WHEN run_id = $published_by THEN 'succeeded' ELSE 'abandoned' END, finished_at = $now
WHERE status = 'running' AND run_id <> $run_id
RETURNING run_id, started_at, status;
