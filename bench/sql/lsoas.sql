-- bench_lsoa: the LSOAs each force's generated rows fall in. Kent's are the real 2021 codes from
-- the reference lookup (so Kent's rows reach districts); every other force gets made-up codes in
-- the valid pattern, outside the Kent lookup (E01 England, W01 Wales), one per ~1,700 residents.
CREATE OR REPLACE TEMP TABLE bench_lsoa AS
WITH forces AS (
    SELECT * FROM bench_forces
),

kent AS (
    SELECT 'kent' AS force_id, row_number() OVER (ORDER BY LSOA21CD) - 1 AS k, LSOA21CD AS lsoa_code,
           LSOA21NM AS lsoa_name, 51.0 + 0.3 * hash(LSOA21CD) % 1000 / 1000.0 AS latitude,
           0.3 + 1.2 * hash(LSOA21CD, 1) % 1000 / 1000.0 AS longitude
    FROM read_csv($reference_dir || '/lsoa21_lookup.csv', all_varchar = true)
),

others AS (
    SELECT
        f.force_id,
        r.range AS k,
        CASE WHEN f.wales THEN 'W01' ELSE 'E01' END || lpad(CAST(100000 + f.force_number * 2000 + r.range AS VARCHAR), 6, '0') AS lsoa_code,
        f.force_name || ' ' || lpad(CAST(r.range // 4 + 1 AS VARCHAR), 3, '0') || chr(65 + CAST(r.range % 4 AS INTEGER)) AS lsoa_name,
        f.latitude + (CAST(hash(f.force_id, r.range) % 1000 AS INTEGER) - 500) / 2500.0 AS latitude,
        f.longitude + (CAST(hash(f.force_id, r.range, 1) % 1000 AS INTEGER) - 500) / 1500.0 AS longitude
    FROM forces AS f
    CROSS JOIN LATERAL range(CAST(f.population_m * 600 AS BIGINT)) AS r
    WHERE f.force_id <> 'kent'
)

SELECT * FROM kent
UNION ALL
SELECT * FROM others;
