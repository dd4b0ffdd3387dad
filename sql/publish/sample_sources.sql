-- The sources whose figures use a delivery generated as sample data ($sample: the checksums of the files
-- `csp synth` wrote, csp.synth.SAMPLE_MARKER), for the pack's cover and the data-quality report to say so.
SELECT DISTINCT source
FROM dq.deliveries
WHERE status = 'loaded' AND rows_current > 0 AND list_contains($sample, checksum)
ORDER BY source;
