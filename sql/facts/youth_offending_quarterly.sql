-- facts.youth_offending_quarterly: first-time entrants to the youth justice system and proven
-- offences by district x quarter x age band. A quarterly source: a rolling 12 months is four quarters
-- (facts.source_windows ends its window at a quarter's end).
CREATE OR REPLACE TABLE facts.youth_offending_quarterly AS
WITH source AS (
    SELECT * FROM staging.youth_offending WHERE lad_code IS NOT NULL
),

final AS (
    SELECT
        lad_code, quarter_start, age_band,
        CAST(sum(first_time_entrants) AS BIGINT) AS first_time_entrants,
        CAST(sum(proven_offences) AS BIGINT) AS proven_offences
    FROM source
    GROUP BY ALL
)

SELECT * FROM final ORDER BY lad_code, quarter_start, age_band;
