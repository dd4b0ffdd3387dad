"""Great Expectations Data Docs of every delivery's validation, built from the results stored in
meta.validations (GX 1.x: an ephemeral context whose local site writes to a folder).

Importing GX costs ~7 s, so the site is built only when the stored results changed: it is kept in a
cache folder beside the warehouse, named by the results' checksum, and copied into each release. A
re-run with nothing new therefore copies identical files without importing GX.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import duckdb

from csp.warehouse import run

SITE = "data_quality"


def publish_data_docs(con: duckdb.DuckDBPyConnection, folder: Path, cache_root: Path) -> list[Path]:
    """Copy the Data Docs of the stored validations into `folder`; the files written ([] if none)."""
    results = run(con, "publish/validations")
    if not results:
        return []
    key = hashlib.sha256(json.dumps([[str(v) for v in r] for r in results]).encode()).hexdigest()[:16]
    cached = cache_root / key
    if not cached.is_dir():
        cache_root.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cache_root))
        _build(results, building)
        building.rename(cached)   # whole or not at all
        for old in cache_root.iterdir():
            if old != cached:
                shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(cached, folder)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def pages(results: list[tuple]) -> list[tuple]:
    """One page per validation GX ran: the deliveries a batch's shape check passed share its result
    (csp/validate.py), so deliveries with the same batch suite and result are one page. Returns
    (first delivery, last delivery, how many, suite, first file, received, result), by first delivery."""
    merged: dict = {}
    for delivery_id, suite, file_name, received_at, result in results:
        key = (suite, result) if suite.endswith(".batch") else (delivery_id,)
        if key in merged:
            merged[key][1], merged[key][2] = delivery_id, merged[key][2] + 1
        else:
            merged[key] = [delivery_id, delivery_id, 1, suite, file_name, received_at, result]
    return sorted(tuple(m) for m in merged.values())


def _build(results: list[tuple], site: Path) -> None:
    import great_expectations as gx
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier, ValidationResultIdentifier)

    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(site_name=SITE, site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    for first, last, files, suite, file_name, received_at, result in pages(results):
        name = f"delivery {first} {file_name}" if files == 1 else f"{files} deliveries from {first} to {last}, checked together"
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(suite),
                                         RunIdentifier(run_name=name, run_time=received_at.isoformat()),
                                         f"delivery_{first}" if files == 1 else f"deliveries_{first}_{last}")
        context.validation_results_store.set(key, ExpectationSuiteValidationResult(**json.loads(result)))
    context.build_data_docs(site_names=[SITE])
