-- Rows of a delivery whose layout was not recognised, kept as JSON records with their row numbers.
INSERT INTO raw.unrecognised_rows
SELECT $delivery_id, l._row_number, to_json(l) FROM landing AS l;
