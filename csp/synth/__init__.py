"""Generated sample partner extracts, one module per source (csp/synth/<source>.py).

Each module has `generate(out_dir, reference_dir, first_month, months, seed, population_mid_year)`
writing files in the source's real delivery layout and returning their paths; `csp synth` runs
every module found here through `generate_all`, which never writes beside or over a real delivery.
A source writes only months of the window asked for (fewer where its data comes later or by quarter),
and a month's rows depend only on the seed, the source and the month (_area.month_rng, _area.TRENDS_FROM):
the same generated alone as with others.
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import pkgutil
import shutil
import tempfile
from pathlib import Path
from types import ModuleType

from csp import InputError
from csp.checksums import sha256
from csp.periods import add_months, parse_month


# Beside the source folders in the raw folder (a name the refresh does not read as a delivery): the checksums
# of the files `generate_all` wrote, so that outputs made from them say they are made-up data
SAMPLE_MARKER = ".sample_data.json"


def sample_marker(checksums) -> str:
    """The text of a raw folder's SAMPLE_MARKER naming the files of `checksums` (sha256) as sample data: csp synth
    writes it, and csp release-inputs for the sample files among a release's inputs."""
    return json.dumps({
        "about": "sample partner extracts made up by `csp synth`, not partners' data: outputs made from them say so",
        "sha256": sorted(checksums)}, indent=1) + "\n"


def sample_checksums(raw_dir: Path) -> frozenset[str]:
    """The sha256 of every sample file generated into `raw_dir` (SAMPLE_MARKER), none if it holds none."""
    path = raw_dir / SAMPLE_MARKER
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["sha256"]) if path.is_file() else frozenset()


class SynthRefused(InputError):
    """Sample data would go beside or over delivered files: what is there, in words."""


def sample_run_date(first_month: str, months: int) -> dt.date:
    """The run date sample data of `months` months from `first_month` is made for: the 20th of the month
    after its last, when every source's extract of that month is in."""
    return add_months(parse_month(first_month), months).replace(day=20)


def generators() -> dict[str, ModuleType]:
    """source name -> its generator module."""
    return {m.name: importlib.import_module(f"{__name__}.{m.name}")
            for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}


def generate_all(raw_dir: Path, reference_dir: Path, first_month: str, months: int, seed: int,
                 population_mid_year: int) -> dict[str, list[Path]]:
    """Every source's sample extracts into raw_dir/<source>/; source -> the files written. All or
    nothing: refused, with nothing written, if any of those folders holds a delivery file that is not
    sample data of an earlier `csp synth` (made-up rows would replace or mix with real ones at the next
    refresh), or if a file would replace one of its sample files with other rows; a file the folder
    already holds as it is is left alone (a month's rows depend only on the seed, source and month), so
    that the next month is added as a partner's would be. Generated into a hidden folder inside raw_dir
    first (which the refresh does not read), so a failure part-way leaves no file behind, half-written or not."""
    from csp.ingest.deliveries import discover

    sources = generators()
    samples = sample_checksums(raw_dir)
    held = {f: sha256(f) for source in sources for f in discover(raw_dir, source)}   # each file's checksum, once
    real = {}
    for file, checksum in held.items():
        if checksum not in samples:
            real.setdefault(file.parent.name, []).append(file)
    if real:
        raise SynthRefused(
            "refused: sample data is written only beside sample data an earlier `csp synth` wrote, never beside or "
            f"over partners' files, and {raw_dir} holds "
            + "; ".join(f"{len(files)} other in {source}/ ({files[0].name}{', ...' if len(files) > 1 else ''})"
                        for source, files in real.items())
            + ". Nothing was written: give an empty folder with --raw")
    raw_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".synth-", dir=raw_dir))
    try:
        made = {source: module.generate(staging / source, reference_dir, first_month, months, seed,
                                        population_mid_year) for source, module in sources.items()}
        # a file the folder holds as it is: left; under its name with other rows (a year's road casualties with
        # other months): refused, as a partner's file would be replaced
        checksums = {f: sha256(f) for files in made.values() for f in files}
        new = {source: [f for f in files if held.get(raw_dir / source / f.name) != checksums[f]]
               for source, files in made.items()}
        if replaced := [raw_dir / source / f.name for source, files in new.items() for f in files
                        if (raw_dir / source / f.name).exists()]:
            raise SynthRefused(
                f"refused: {', '.join(str(p) for p in replaced)} would be replaced by sample data holding other rows "
                "(a year's file, holding other months of it). Nothing was written: give an empty folder with --raw")
        # named before they land (a run stopped between leaves no sample file unnamed), with those of any run
        # before; written whole and renamed into place
        marker = staging / SAMPLE_MARKER
        marker.write_text(sample_marker({checksums[f] for files in new.values() for f in files} | samples),
                          encoding="utf-8")
        os.replace(marker, raw_dir / SAMPLE_MARKER)
        written = {}
        for source, files in new.items():
            (raw_dir / source).mkdir(exist_ok=True)
            written[source] = [raw_dir / source / f.name for f in files]
            for file, final in zip(files, written[source]):
                os.replace(file, final)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
