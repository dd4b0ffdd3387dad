-- The neighbouring areas: inside the police force area, outside the county (ref.districts' in_county = false,
-- e.g. Medway for Kent), shown on their own in the table files and never added to the county. The pack's
-- methods note names them (assemble.methods_note); a county without any says nothing of them.
SELECT area_name
FROM facts.areas
WHERE area_type = 'neighbour'
ORDER BY area_name;
