"""Manifests: what a release was made from (inputs with checksums, code version, run) and every file
in it with its checksum, so any number can be traced back and a copy can be checked."""
from __future__ import annotations

import datetime as dt
import json
import platform
from pathlib import Path

import duckdb
import pandas as pd

from csp.catalogue import Catalogue
from csp.checksums import sha256
from csp.config import REPO_ROOT, Settings
from csp.publish.model import Stamp
from csp.runs import code_fingerprint, code_version, settings_fingerprint

MANIFEST = "run_manifest.json"


def published(outputs_dir: Path, field: str) -> str | None:
    """A field of the manifest of the release published in `outputs_dir` (data/marts/county): None before the
    first release, or where the manifest gives none."""
    path = outputs_dir / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")).get(field) if path.is_file() else None


def released_as_of(outputs_dir: Path) -> dt.date | None:
    """The as-of date of the release published in `outputs_dir`, from its manifest (published)."""
    as_of = published(outputs_dir, "as_of")
    return as_of and dt.date.fromisoformat(as_of)


def write_manifest(con: duckdb.DuckDBPyConnection, folder: Path, stamp: Stamp, files: list[Path],
                   deliveries: pd.DataFrame | None = None, **about) -> Path:
    """Inputs with checksums and row counts, code version, `about` (what the release is), and every
    output with its checksum and its path inside `folder`. `deliveries`: dq.deliveries, if already read."""
    deliveries = con.table("dq.deliveries").df() if deliveries is None else deliveries
    manifest = {
        "protective_marking": stamp.marking,
        "produced_by_run": stamp.run_id,
        "produced_at": stamp.run_at.isoformat(),
        "as_of": stamp.as_of and stamp.as_of.isoformat(),
        "data_version": stamp.data_version,
        "code_version": code_version(),
        **about,
        "inputs": [
            {"delivery_id": int(d.delivery_id), "source": d.source, "file": d.file_name, "sha256": d.checksum,
             "status": d.status, "rows_received": _count(d.rows_received), "rows_loaded": _count(d.rows_loaded),
             "rows_quarantined": _count(d.rows_quarantined),
             # the rows the outputs use (a later delivery for its months replaces its rows), and their months
             "rows_current": _count(d.rows_current), "first_month": _month(d.first_month),
             "last_month": _month(d.last_month)}
            for d in deliveries.itertuples()
        ],
        "outputs": [{"file": f.relative_to(folder).as_posix(), "sha256": sha256(f)} for f in files],
    }
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path


def release_about(catalogue: Catalogue, settings: Settings) -> dict:
    """What every manifest of a release says it was made from besides the deliveries: the code's content and the
    environment it ran in (a checkout of `code_version` gives the same `code_fingerprint` unless it was edited;
    uv.lock pins every library), the settings file as read and the hash of the settings that shape the outputs
    (csp.runs.settings_fingerprint: paths left out, the files they name by content), the catalogue's version and
    measures, and each reference data file (lookups, populations) with its checksum. With the inputs' checksums
    and `as_of`, what a rerun needs to give the same figures (README, "Reproducing a release")."""
    reference_dir = settings.reference_dir
    return {"code_fingerprint": code_fingerprint(),
            "environment": {"python": platform.python_version(), "uv_lock_sha256": sha256(REPO_ROOT / "uv.lock")},
            "settings_fingerprint": settings_fingerprint(settings), "settings": settings.text,
            "catalogue_version": catalogue.sha256, "measures": list(catalogue.measures),
            "reference_data": [{"file": f.relative_to(reference_dir).as_posix(), "sha256": sha256(f)}
                               for f in sorted(reference_dir.rglob("*")) if f.is_file()]}


def _month(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m")


def _count(value) -> int | None:
    """A row count, or None where a district mart's disclosure rule hides it (csp.marts.dq_counts)."""
    return None if pd.isna(value) else int(value)
