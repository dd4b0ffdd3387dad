-- month_rows(tables): source, month, lad_code and delivery_id of each current row that shows its source
-- has data for its month, of the checked tables named (the variable checked_tables: a table macro is
-- bound as it is made, before those tables are); facts.source_months, facts.source_windows and dq.gaps
-- read a source's months through it. Not a row outside the area's districts (a file of another force's
-- area, all its rows outside, would otherwise make the month one with data, and every district's count
-- in it 0); not a row of a form that is no data on its own (gives_month_data); not a data.police.uk
-- file's ASB row (is_asb, police crime's checked table alone has it): those are the ASB source's
-- (staging.asb_checked), and beside a force's extract that left out a district's crimes they made its
-- month look complete.
CREATE OR REPLACE MACRO month_rows(tables) AS TABLE
    SELECT source, month, lad_code, _delivery_id AS delivery_id
    FROM (
        SELECT * FROM query_table(tables, true)
        UNION ALL BY NAME SELECT NULL::BOOLEAN AS is_asb WHERE false
    )
    WHERE is_current AND month IS NOT NULL AND NOT coalesce(is_asb, false)
      AND lad_code IN (SELECT lad_code FROM ref.districts) AND gives_month_data(_delivery_id);
