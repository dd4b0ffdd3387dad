-- The catalogue's measures for the pack, in catalogue order (ref.measures).
SELECT measure_id, measure_name AS name, aim_number AS aim, aim_name, polarity, headline, source, unit, seasonality,
       rate_note
FROM ref.measures
ORDER BY catalogue_order;
