"""What disclosure control (csp.marts.disclosure.protect) costs on its own, on the cubes of a built
warehouse (e.g. one after the Kent one-new-month refresh):

    ./run python -m bench.disclosure path/to/csp.duckdb [--repeat 3] [--reference old_disclosure.py]

Each cube's cells are read as publish_district_marts reads them, then protected --repeat times;
CPU seconds of each run are printed. With --reference (a copy of an earlier disclosure.py, e.g.
`git show main:csp/marts/disclosure.py > /tmp/old_disclosure.py`), the reference protects the same
cells in the same runs, alternately with the current code, and the two frames must be equal
(suppressed cells and published values).
"""
from __future__ import annotations

import argparse
import importlib.util
import inspect
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

from csp.catalogue import load_catalogue
from csp.config import load_settings
from csp.marts import disclosure
from csp.marts.cube import cube_cells, subset_measures
from csp.marts.spec import load_spec


def _module(path: Path):
    spec = importlib.util.spec_from_file_location("reference_disclosure", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reference", type=Path, help="an earlier disclosure.py to compare with")
    args = parser.parse_args()
    settings = load_settings()
    rules = disclosure.rules_from_settings(settings.disclosure)
    catalogue = load_catalogue(settings.catalogue, settings.series_breaks)
    versions = {"current": disclosure} | ({"reference": _module(args.reference)} if args.reference else {})
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        cubes = {t.cube.name: t.cube for t in load_spec(rule_names=set(rules))}
        cells = {name: cube_cells(con, cube, catalogue, rules) for name, cube in cubes.items()}
        subsets = subset_measures(catalogue, con.table("ref.offence_groups").df())
    for name, frame in cells.items():
        seconds: dict[str, list[float]] = {version: [] for version in versions}
        for _ in range(args.repeat):
            protected = {}
            for version, module in versions.items():
                started = time.process_time()
                # an earlier protect may know no subsets (before the measures' subset lines)
                extra = (subsets,) if "subsets" in inspect.signature(module.protect).parameters else ()
                protected[version] = module.protect(frame, module.rules_from_settings(settings.disclosure), *extra)
                seconds[version].append(time.process_time() - started)
            if args.reference:
                pd.testing.assert_frame_equal(protected["current"], protected["reference"])
        print(f"{name}: {len(frame)} cells, {int(protected['current']['suppressed'].sum())} suppressed"
              + (", the same frame from both" if args.reference else ""))
        for version, times in seconds.items():
            print(f"  {version}: " + ", ".join(f"{t:.2f}" for t in times) + " CPU s")


if __name__ == "__main__":
    main()
