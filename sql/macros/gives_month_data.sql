-- gives_month_data(row_delivery): whether a current row of this delivery shows that its source has data
-- for the row's month. Not a row of a form that is no data on its own (delivery_rules.no_months_from,
-- in the variable forms_without_months as 'source/form,...': STATS19's collision file, whose months
-- have data only once their casualties are in). month_rows(tables) reads a source's months through it.
CREATE OR REPLACE MACRO gives_month_data(row_delivery) AS
    row_delivery NOT IN (SELECT d.delivery_id FROM meta.deliveries AS d
                         WHERE list_contains(string_split(getvariable('forms_without_months'), ','),
                                             d.source || '/' || d.form));
