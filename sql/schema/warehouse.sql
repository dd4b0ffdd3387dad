-- Bookkeeping tables and schemas. Safe to run on every connection.
CREATE SCHEMA IF NOT EXISTS meta;
CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS facts;
CREATE SCHEMA IF NOT EXISTS stats;
CREATE SCHEMA IF NOT EXISTS comparisons;
CREATE SCHEMA IF NOT EXISTS marts;      -- what the district marts are cut from
CREATE SCHEMA IF NOT EXISTS dq;

-- One row per file that arrived in data/raw/<source>/, loaded or not.
CREATE TABLE IF NOT EXISTS meta.deliveries (
    delivery_id   INTEGER PRIMARY KEY,
    source        VARCHAR NOT NULL,
    form          VARCHAR,            -- which layout of the source the file is in (NULL if unrecognised)
    file_name     VARCHAR NOT NULL,
    file_path     VARCHAR NOT NULL,
    checksum      VARCHAR NOT NULL,   -- sha256 of the file's bytes
    size_bytes    BIGINT NOT NULL,
    received_at   TIMESTAMP NOT NULL,
    run_id        VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,   -- loaded | quarantined
    reason        VARCHAR,            -- why a delivery was quarantined, in words for the partner
    rows_received BIGINT NOT NULL
);
-- Added with the messy-delivery handling; ADD COLUMN IF NOT EXISTS upgrades a warehouse made before it.
ALTER TABLE meta.deliveries ADD COLUMN IF NOT EXISTS file_type VARCHAR;          -- how it was read: "CSV, Windows-1252", "Excel workbook, sheet 'Crimes'"
ALTER TABLE meta.deliveries ADD COLUMN IF NOT EXISTS warnings VARCHAR[] DEFAULT []; -- loaded, but the partner should know
ALTER TABLE meta.deliveries ADD COLUMN IF NOT EXISTS extra_columns VARCHAR[] DEFAULT []; -- headers not in the contract, not loaded
ALTER TABLE meta.deliveries ADD COLUMN IF NOT EXISTS blank_rows BIGINT DEFAULT 0;   -- rows with no data in any field, not received
-- the file's modification time when read: with its path and size, a later run knows it without reading it again
ALTER TABLE meta.deliveries ADD COLUMN IF NOT EXISTS modified_ns BIGINT;

CREATE TABLE IF NOT EXISTS meta.runs (
    run_id       VARCHAR PRIMARY KEY,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL,    -- running | succeeded | failed | abandoned (died without finishing)
    code_version VARCHAR,
    data_version VARCHAR              -- hash of the deliveries, code, settings and period it used
);
-- the run's as-of date (--as-of, default its day), which the outputs' stamp names
ALTER TABLE meta.runs ADD COLUMN IF NOT EXISTS as_of DATE;

-- Every build of the derived tables (ref, staging, facts, comparisons, dq), recorded in the build's
-- own transaction: a build killed half way leaves neither its tables nor its record.
CREATE TABLE IF NOT EXISTS meta.builds (
    run_id           VARCHAR NOT NULL,
    built_at         TIMESTAMP NOT NULL,
    data_version     VARCHAR NOT NULL,  -- the tables hold exactly what this version's inputs give
    rules_version    VARCHAR NOT NULL,  -- the code, settings and reference data the rows were checked by
    as_of            DATE NOT NULL,     -- the run date the rows were checked against
    last_delivery_id INTEGER            -- the newest delivery the checked tables hold
);

-- Rows of deliveries whose layout matched no form of their source's contract, kept as received.
CREATE TABLE IF NOT EXISTS raw.unrecognised_rows (
    _delivery_id INTEGER NOT NULL,
    _row_number  BIGINT NOT NULL,
    record       JSON
);

-- Rows of a delivery that could not be split into its header's fields (too few or too many, a quote never
-- closed, the last row of a file cut short), kept as received with their reason.
CREATE TABLE IF NOT EXISTS raw.malformed_rows (
    _delivery_id     INTEGER NOT NULL,
    _row_number      BIGINT NOT NULL,
    reject_code      VARCHAR NOT NULL,   -- malformed_row | truncated_row
    reject_reason    VARCHAR NOT NULL,
    line_as_received VARCHAR
);

-- The Great Expectations result of every delivery validated, as GX's JSON: the Data Docs are built from it.
CREATE TABLE IF NOT EXISTS meta.validations (
    delivery_id INTEGER PRIMARY KEY,
    suite       VARCHAR NOT NULL,
    success     BOOLEAN NOT NULL,
    result      JSON NOT NULL
);

-- The SQL a template model (sql/<layer>/<name>.sql.j2) compiled to in the latest build, and the
-- catalogue it was compiled from: what actually ran, like dbt's compiled SQL.
CREATE TABLE IF NOT EXISTS meta.compiled_models (
    model            VARCHAR PRIMARY KEY,   -- e.g. facts.measure_monthly
    catalogue_sha256 VARCHAR NOT NULL,
    compiled_sql     VARCHAR NOT NULL
);

-- dq.deliveries is built with the derived tables; until a first build it is this empty stand-in, so that
-- ingest can ask whether later deliveries replaced a delivery's rows (ops/find_delivery), and a build what
-- each delivery's outcome was before it (ops/delivery_outcomes), from the start.
CREATE TABLE IF NOT EXISTS dq.deliveries AS
SELECT NULL::INTEGER AS delivery_id, NULL::VARCHAR AS source, NULL::VARCHAR AS file_name, NULL::VARCHAR AS run_id,
       NULL::VARCHAR AS status, NULL::VARCHAR AS reason, NULL::BIGINT AS rows_loaded, NULL::BIGINT AS rows_current
WHERE false;

-- A file not read because it holds the same bytes as an earlier delivery of another name (a copy to remove):
-- kept, so that a later run judges it as the run that found it did. Judged again once the delivery it copies
-- had been replaced (a correction landed with it or since), it was taken for the original sent again and landed,
-- undoing the correction at a run with nothing new.
CREATE TABLE IF NOT EXISTS meta.copies (
    source      VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    file_path   VARCHAR NOT NULL,
    size_bytes  BIGINT NOT NULL,
    modified_ns BIGINT NOT NULL,
    checksum    VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL   -- the run that found it
);
