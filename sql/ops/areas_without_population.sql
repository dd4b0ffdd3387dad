-- The areas facts.areas holds no population for (the settings' mid-year, also given): their rates are blank.
SELECT DISTINCT area_type, area_name, getvariable('population_mid_year') AS mid_year
FROM facts.areas
WHERE population IS NULL
ORDER BY area_type = 'county' DESC, area_name;
