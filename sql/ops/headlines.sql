-- The county's headline changes: each offence group in the rolling 12 months against the previous 12.
SELECT offence_group, current_count, previous_count, change, pct_change, comparison
FROM comparisons.crime_rolling_12m
WHERE area_type = 'county'
ORDER BY offence_group = 'All crime' DESC, current_count DESC, offence_group;
