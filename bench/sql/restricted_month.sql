-- One month of the restricted police extract (the layout of expectations/contracts/police_crime.yml),
-- deterministic for a seed: offence groups, Kent LSOAs, flags, victim details; ~0.3% without a
-- location and a few malformed values (unknown offence group, bad flag) for the row checks to find.
WITH rows AS (
    SELECT
        range AS i,
        hash($seed, $force_id, $month, range) % 1000000 / 1000000.0 AS u_group,
        hash($seed, $force_id, $month, range, 1) % 1000000 / 1000000.0 AS u_place,
        hash($seed, $force_id, $month, range, 2) % 100000 AS u_bad,
        hash($seed, $force_id, $month, range, 3) AS u_other
    FROM range($rows)
),

grouped AS (
    SELECT
        *,
        CASE
            WHEN u_bad = 7 THEN 'Violence'           -- not an offence group: quarantined row
            WHEN u_group < 0.410 THEN 'Violence against the person'
            WHEN u_group < 0.450 THEN 'Sexual offences'
            WHEN u_group < 0.462 THEN 'Robbery'
            WHEN u_group < 0.512 THEN 'Burglary'
            WHEN u_group < 0.572 THEN 'Vehicle offences'
            WHEN u_group < 0.582 THEN 'Theft from the person'
            WHEN u_group < 0.592 THEN 'Bicycle theft'
            WHEN u_group < 0.672 THEN 'Shoplifting'
            WHEN u_group < 0.742 THEN 'All other theft offences'
            WHEN u_group < 0.842 THEN 'Criminal damage and arson'
            WHEN u_group < 0.867 THEN 'Drug offences'
            WHEN u_group < 0.882 THEN 'Possession of weapons offences'
            WHEN u_group < 0.977 THEN 'Public order offences'
            ELSE 'Miscellaneous crimes against society'
        END AS offence_group
    FROM rows
),

placed AS (
    SELECT g.*, l.lsoa_code
    FROM grouped AS g
    JOIN bench_lsoa AS l
        ON l.force_id = $force_id
       AND l.k = CAST(floor(g.u_place * (SELECT count(*) FROM bench_lsoa WHERE force_id = $force_id)) AS BIGINT)
),

final AS (
    SELECT
        '46/' || strftime(strptime($month, '%Y-%m'), '%y%m') || '/' || lpad(CAST(i + 1 AS VARCHAR), 6, '0') AS crime_reference,
        strftime(strptime($month, '%Y-%m') + to_days(CAST(u_other % 28 AS INTEGER)), '%Y-%m-%d') AS recorded_date,
        ['8N', '8L', '105A', '5D', '46', '28E', '56A', '9A', '92A', '45'][1 + CAST(u_other // 29 % 10 AS INTEGER)] AS ho_offence_code,
        offence_group,
        CASE WHEN u_other % 333 = 0 THEN NULL ELSE lsoa_code END AS lsoa_code,
        CASE WHEN u_other // 7 % 100 < 18 THEN 'Y' ELSE 'N' END AS domestic_abuse,
        CASE WHEN u_other // 11 % 100 < 2 THEN 'Y' ELSE 'N' END AS hate_crime,
        CASE WHEN u_other // 11 % 100 < 2 THEN 'Race' END AS hate_strand,
        CASE WHEN u_other // 13 % 100 < 15 THEN 'Y' ELSE 'N' END AS vawg,
        CASE WHEN u_bad = 11 THEN 'maybe' WHEN u_other // 17 % 100 < 2 THEN 'Y' ELSE 'N' END AS knife,
        ['Under 18', '18-25', '26-34', '35-49', '50-64', '65 and over', 'Unknown'][1 + CAST(u_other // 19 % 7 AS INTEGER)] AS victim_age_band,
        ['Female', 'Male', 'Unknown'][1 + CAST(u_other // 23 % 3 AS INTEGER)] AS victim_sex,
        i
    FROM placed
)

SELECT * EXCLUDE (i) FROM final ORDER BY recorded_date, crime_reference;
