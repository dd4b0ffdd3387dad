-- Keep the SQL a template model compiled to (meta.compiled_models), replacing the previous build's.
INSERT OR REPLACE INTO meta.compiled_models (model, catalogue_sha256, compiled_sql)
VALUES ($model, $catalogue_sha256, $compiled_sql);
