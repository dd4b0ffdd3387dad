-- An incremental build first removes the checked rows of the deliveries it checks again.
-- {checked_table}: a staging.<source>_checked table (a name, which SQL parameters cannot be).
DELETE FROM {checked_table} WHERE list_contains($build_deliveries, _delivery_id);
