-- reported_runs(run_id): the runs whose deliveries a run reports as new: itself, and every run since the last one
-- that succeeded (before it) which stopped before publishing (failed, or abandoned: killed); their deliveries
-- landed, and are in the outputs this run publishes, but no run ended by saying so (ops/run_deliveries).
CREATE OR REPLACE MACRO reported_runs(this_run) AS TABLE
    SELECT run_id FROM meta.runs
    WHERE run_id = this_run
       OR (status IN ('failed', 'abandoned')
           AND started_at > coalesce((SELECT max(started_at) FROM meta.runs
                                      WHERE status = 'succeeded' AND run_id <> this_run), TIMESTAMP '0001-01-01'));
