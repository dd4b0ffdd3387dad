"""Run identity: run ids, the code version, and the data version that stamps outputs.

Outputs are stamped with the first run that produced their data version, so re-running with nothing
new rewrites identical bytes. The data version is a hash of everything the outputs are computed
from: the deliveries (checksums), the code that computes them (the files' content, not a git
label: an edited SQL file is a new version even before it is committed) and the libraries it runs on as
locked (uv.lock), the settings in effect and the reference data they point at, and the as-of day.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from collections.abc import Collection, Sequence
from functools import cache
from pathlib import Path

from csp.config import REPO_ROOT, Settings

# what the outputs are computed from, inside the repository: the code, the templates the pack and reports are
# laid out by, the methods note the pack prints, and the locked libraries that run the code (DuckDB's SQL, scipy's
# tests, the writers of every file format: uv.lock and the project's requirements, which `./run` installs)
CODE_FOLDERS = ("csp", "transforms", "flows", "sql", "expectations")
CODE_SUFFIXES = {".py", ".sql", ".json", ".yml", ".j2", ".typ", ".css"}
CODE_FILES = ("docs/methods.md", "uv.lock", "pyproject.toml")


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S%f")[:-3]


@cache
def code_version() -> str:
    """The git label of the code, for people: `git describe`."""
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=12"], cwd=REPO_ROOT,
                             capture_output=True, text=True, timeout=10, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import version
        return f"csp-assessment {version('csp-assessment')}"


def _files_digest(files: list[Path], base: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """A hash of the code's content, for the data version (a few hundred small files: ~5 ms)."""
    return _files_digest(code_files(), REPO_ROOT)


def code_files() -> list[Path]:
    return [p for folder in CODE_FOLDERS for p in (REPO_ROOT / folder).rglob("*")
            if p.suffix in CODE_SUFFIXES and p.is_file() and "__pycache__" not in p.parts] + [
        REPO_ROOT / f for f in CODE_FILES]


# settings that say where things are or how a run goes, not what the outputs say
NOT_OUTPUT_SETTINGS = {"raw_dir", "marts_dir", "warehouse", "text", "synth", "schedule", "memory_limit",
                       "publish_workers"}


def settings_fingerprint(settings: Settings) -> str:
    """The settings that change what the outputs say, with the content of every file or folder they
    name (reference data, measures catalogue, ...) rather than its path."""
    effective = {}
    for name, value in sorted(vars(settings).items()):
        if name in NOT_OUTPUT_SETTINGS:
            continue
        if isinstance(value, Path):
            files = [p for p in value.rglob("*") if p.is_file()] if value.is_dir() else [value]
            value = _files_digest(files, value if value.is_dir() else value.parent)
        effective[name] = value
    return hashlib.sha256(json.dumps(effective, sort_keys=True, default=str).encode()).hexdigest()


def rules_version(settings: Settings) -> str:
    """The code and settings rows are checked and counted by: when it changes, nothing built before is kept."""
    return hashlib.sha256(f"{code_fingerprint()} {settings_fingerprint(settings)}".encode()).hexdigest()[:16]


def data_version(delivery_checksums: list[str], settings: Settings, as_of: dt.date,
                 not_read: Sequence[tuple[str, str]] = (), gone: Sequence[tuple[str, int]] = (),
                 sample: Collection[str] = ()) -> str:
    """`delivery_checksums` ("source:checksum") in the order the deliveries landed: a later delivery replaces
    the months it covers of those of its source before it, so the same files landed in another order (a rebuild
    from files copied without their times, caveat 73) can make other figures, and must make another version.
    Only each source's own order counts: one run lands source after source, runs month after month.
    `not_read`: what lies in the raw folder where no source reads it, which the data-quality report
    lists: a stray file appearing or going changes the report, so the outputs are published again.
    `gone`: likewise the loaded deliveries whose file is no longer there (csp.ingest.deliveries.Gone).
    `sample`: the checksums of files generated as sample data (csp.synth.sample_checksums): the outputs say so of
    the deliveries among them, and only those count (the raw folder's list also names sample files since removed,
    or never delivered there)."""
    payload = {
        "deliveries": _by_source(delivery_checksums),
        "not_read": sorted(not_read),
        "gone": sorted(list(g) for g in gone),
        "sample": sorted(set(sample) & {d.split(":", 1)[1] for d in delivery_checksums}),
        "rules": rules_version(settings),
        # the day, not the month: the row checks refuse a date after it (future_date), so another day of the
        # same month can load rows an earlier one refused
        "as_of": as_of.isoformat(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def _by_source(delivery_checksums: Sequence[str]) -> dict[str, list[str]]:
    """"source:checksum" in landing order -> each source's checksums in its own landing order."""
    by_source: dict[str, list[str]] = {}
    for delivery in delivery_checksums:
        by_source.setdefault(delivery.split(":", 1)[0], []).append(delivery)
    return by_source
