"""`csp release-inputs`: the raw folder a release was made from, put together again from its manifest's inputs.

A refresh reads every file in the raw folder: later months and corrected files delivered since a release change
what a rerun as of the release's date gives (a correction replaces its months; a later month's rows are refused
as in the future, and listed). To run "as the data stood then", the rerun reads a folder holding the release's
inputs alone: each found by its checksum in the folders given (the raw folder, an archive of deliveries), copied
under its own source and name, its file time set so that the files land in the order they landed then (files
landed together land in the order of their times, caveat 73), and the sample data among them named in the
folder's .sample_data.json, as `csp synth` names them. README, "Reproducing a release".
"""
from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from pathlib import Path

from csp import InputError
from csp.checksums import sha256
from csp.synth import SAMPLE_MARKER, sample_checksums, sample_marker


class InputsRefused(InputError):
    """The release's inputs cannot be put together: what is missing or in the way, in words."""


def assemble(manifest: Path, sources: list[Path], to: Path) -> list[Path]:
    """Copy every input of `manifest` (a run_manifest.json), found by checksum in `sources`, into
    `to`/<source>/<file>; returns the files written, in landing order. Refused, writing nothing, where `to`
    holds anything, an input is found in none of `sources`, or two inputs of a source share a name."""
    inputs = sorted(json.loads(manifest.read_text(encoding="utf-8"))["inputs"], key=lambda i: i["delivery_id"])
    if to.exists() and any(to.iterdir()):
        raise InputsRefused(f"{to} is not empty: give a new folder for the release's inputs")
    clashes = [f"{source}/{name}" for (source, name), n in Counter((i["source"], i["file"]) for i in inputs).items()
               if n > 1]
    if clashes:
        raise InputsRefused(
            f"{', '.join(clashes)}: two deliveries of the release landed under the same name (a file overwritten "
            "in the raw folder), which one folder cannot hold. Replay the runs that landed them instead: "
            "README, \"Reproducing a release\"")
    wanted = {i["sha256"] for i in inputs}
    found: dict[str, Path] = {}
    sample_lists: set[Path] = set()   # every raw folder's list of sample files among them, subfolders' too
    for folder in sources:
        for path in sorted(folder.rglob("*")):
            if path.name == SAMPLE_MARKER and path.is_file():
                sample_lists.add(path.parent)
            elif path.is_file() and (checksum := sha256(path)) in wanted:
                found.setdefault(checksum, path)
    missing = [i for i in inputs if i["sha256"] not in found]
    if missing:
        raise InputsRefused(
            f"{len(missing)} of the release's {len(inputs)} input(s) found in none of {', '.join(map(str, sources))}: "
            + "; ".join(f"{i['source']}/{i['file']} (sha256 {i['sha256']})" for i in missing)
            + ". Its bytes are needed: a copy kept from the delivery (an archive of the raw folder)")
    written = []
    first = time.time_ns() - len(inputs) * 1_000_000_000   # a second apart, in landing order, none in the future
    for n, item in enumerate(inputs):
        path = to / item["source"] / item["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found[item["sha256"]], path)
        os.utime(path, ns=(first + n * 1_000_000_000,) * 2)
        written.append(path)
    sample = wanted & frozenset().union(*(sample_checksums(folder) for folder in sample_lists))
    if sample:
        (to / SAMPLE_MARKER).write_text(sample_marker(sample), encoding="utf-8")
    return written
