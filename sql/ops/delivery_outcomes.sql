-- Each delivery's outcome as the last build left it (dq.deliveries): a build compares them with its own, as the
-- row checks of an earlier delivery can come out otherwise (an earlier as-of date makes its rows future-dated).
SELECT delivery_id, source, file_name, run_id, status, reason FROM dq.deliveries ORDER BY delivery_id;
