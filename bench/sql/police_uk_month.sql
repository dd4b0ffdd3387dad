-- One force-month in the data.police.uk street-level layout, deterministic for a seed: crime types
-- in the shares real Kent data shows, ASB rows without a Crime ID or outcome, ~0.8% of rows without
-- a location, and a few malformed values (unknown crime type, bad LSOA) for the row checks to find.
WITH rows AS (
    SELECT
        range AS i,
        hash($seed, $force_id, $month, range) % 1000000 / 1000000.0 AS u_type,
        hash($seed, $force_id, $month, range, 1) % 1000000 / 1000000.0 AS u_place,
        hash($seed, $force_id, $month, range, 2) % 100000 AS u_bad,
        hash($seed, $force_id, $month, range, 3) AS u_other
    FROM range($rows)
),

typed AS (
    SELECT
        *,
        CASE
            WHEN u_bad = 7 THEN 'Violent crime'      -- not a data.police.uk category: quarantined row
            WHEN u_type < 0.405 THEN 'Violence and sexual offences'
            WHEN u_type < 0.515 THEN 'Anti-social behaviour'
            WHEN u_type < 0.607 THEN 'Shoplifting'
            WHEN u_type < 0.697 THEN 'Criminal damage and arson'
            WHEN u_type < 0.768 THEN 'Other theft'
            WHEN u_type < 0.821 THEN 'Vehicle crime'
            WHEN u_type < 0.866 THEN 'Public order'
            WHEN u_type < 0.906 THEN 'Drugs'
            WHEN u_type < 0.944 THEN 'Other crime'
            WHEN u_type < 0.978 THEN 'Burglary'
            WHEN u_type < 0.988 THEN 'Possession of weapons'
            WHEN u_type < 0.993 THEN 'Robbery'
            WHEN u_type < 0.997 THEN 'Bicycle theft'
            ELSE 'Theft from the person'
        END AS crime_type
    FROM rows
),

placed AS (
    SELECT t.*, l.lsoa_code, l.lsoa_name, l.latitude, l.longitude
    FROM typed AS t
    JOIN bench_lsoa AS l
        ON l.force_id = $force_id
       AND l.k = CAST(floor(t.u_place * (SELECT count(*) FROM bench_lsoa WHERE force_id = $force_id)) AS BIGINT)
),

final AS (
    SELECT
        CASE WHEN crime_type = 'Anti-social behaviour' THEN NULL ELSE sha256($force_id || $month || i) END AS "Crime ID",
        $month AS "Month",
        $force_name AS "Reported by",
        $force_name AS "Falls within",
        CASE WHEN u_other % 125 = 0 THEN NULL ELSE printf('%.6f', longitude + (u_other % 997) / 99700.0) END AS "Longitude",
        CASE WHEN u_other % 125 = 0 THEN NULL ELSE printf('%.6f', latitude + (u_other % 991) / 99100.0) END AS "Latitude",
        CASE WHEN u_other % 125 = 0 THEN 'No location' ELSE 'On or near ' || ['High Street', 'Station Road', 'Church Lane', 'Park Road', 'London Road', 'Mill Lane', 'Supermarket', 'Parking Area', 'Petrol Station', 'Nightclub'][1 + CAST(u_other % 10 AS INTEGER)] END AS "Location",
        CASE WHEN u_other % 125 = 0 THEN NULL WHEN u_bad = 11 THEN 'E0102' ELSE lsoa_code END AS "LSOA code",
        CASE WHEN u_other % 125 = 0 THEN NULL ELSE lsoa_name END AS "LSOA name",
        crime_type AS "Crime type",
        CASE WHEN crime_type = 'Anti-social behaviour' THEN NULL
             ELSE ['Unable to prosecute suspect', 'Investigation complete; no suspect identified', 'Court result unavailable',
                   'Local resolution', 'Action to be taken by another organisation', 'Status update unavailable',
                   'Offender given a caution', 'Awaiting court outcome'][1 + CAST(u_other // 7 % 8 AS INTEGER)] END AS "Last outcome category",
        NULL AS "Context",
        i
    FROM placed
)

-- sorted as data.police.uk sorts (by place), with the row's number breaking ties so the bytes never vary
SELECT * EXCLUDE (i) FROM final ORDER BY "LSOA code" IS NULL, "LSOA name", i;
