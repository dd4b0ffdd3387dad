-- The sources whose figures use a delivery generated as sample data ($sample: the checksums of the files
-- `csp synth` wrote, csp.synth.SAMPLE_MARKER), for the pack's cover and the data-quality report to say so.
-- A population delivery's estimates of another mid-year than the settings' are in no rate (the sample's
-- mid-2024 beside the real mid-2023 the rates use), so they make no figure up.
WITH in_no_figure AS (
    SELECT _delivery_id AS delivery_id, count(*) AS rows
    FROM staging.population_checked
    WHERE is_current AND mid_year <> getvariable('population_mid_year')
    GROUP BY ALL
)

SELECT DISTINCT d.source
FROM dq.deliveries AS d
LEFT JOIN in_no_figure AS n USING (delivery_id)
WHERE d.status = 'loaded' AND d.rows_current - coalesce(n.rows, 0) > 0 AND list_contains($sample, d.checksum)
ORDER BY d.source;
