"""Charts kept by what they are drawn from, so that a refresh draws again only the charts whose data
changed: a month of police data leaves the charts of sources with no new month as they were (in the
Kent benchmark's one-new-month refresh, KSI's and youth offending's 26 of 236 charts, each ~55 ms).

A chart's key is a hash of everything that decides its pixels: the figure function and its
arguments (each table by its columns' names, types and values: not its index, which no figure
reads and which moves when rows of other measures arrive), its title, subtitle and marking, the
code, the drawing libraries, matplotlib's settings (a matplotlibrc changes them) and the fonts it
finds. Charts are the same bytes however often they are drawn (tests/unit/test_charts.py), so a kept
chart is the chart that drawing it again would give. A difference in how equal data are held (a
column's type) only makes a chart be drawn again.

The folder lies beside the warehouse (Settings.cache, like the Data Docs cache): charts of restricted data, kept
as restricted as the warehouse. Each file is written whole under a temporary name, then renamed, so
a killed run leaves no half-written chart to copy; `prune` removes what the last run did not use.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Callable

import matplotlib
import numpy as np
import pandas as pd
import PIL
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import __freetype_version__

from csp.publish import charts
from csp.runs import code_fingerprint


@cache
def _drawn_by() -> str:
    """The code, libraries, settings and fonts a chart's pixels depend on."""
    fonts = [findfont(FontProperties(weight=weight)) for weight in ("normal", "bold")]
    return repr([code_fingerprint(), matplotlib.__version__, __freetype_version__, PIL.__version__, np.__version__,
                 pd.__version__, sys.version.split()[0], sorted(matplotlib.rcParams.items()), fonts])


def _plain(value):
    """`value` as something whose repr is exact and depends only on content: a table by its columns'
    names, dtypes and values (repr of a float round-trips; of a Timestamp, to the nanosecond)."""
    if isinstance(value, pd.DataFrame):
        return ("DataFrame", [(name, str(column.dtype), column.tolist()) for name, column in value.items()])
    if isinstance(value, pd.Series):
        return ("Series", value.name, str(value.dtype), value.tolist())
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, [_plain(v) for v in value])
    return value


def chart_key(figure: Callable[..., Figure], args: tuple, title: str, subtitle: str, marking: str) -> str:
    material = repr((_drawn_by(), figure.__module__, figure.__qualname__, _plain(args), title, subtitle, marking))
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def draw(folder: Path | None, figure: Callable[..., Figure], args: tuple, path: Path, title: str, subtitle: str,
         marking: str) -> Path:
    """charts.save(figure(*args), path, title, subtitle, marking), or its bytes from `folder` if they are
    kept there (folder None: always drawn); returns the PNG's path."""
    if folder is None:
        return charts.save(figure(*args), path, title, subtitle, marking)
    kept = folder / f"{chart_key(figure, args, title, subtitle, marking)}.png"
    png = path.with_suffix(".png")
    try:
        shutil.copyfile(kept, png)
        os.utime(kept)   # used by this run: `prune` keeps it
        return png
    except FileNotFoundError:
        pass
    charts.save(figure(*args), path, title, subtitle, marking)
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)   # restricted, as a release's folders are
    handle, temporary = tempfile.mkstemp(prefix=f".{kept.stem}-", suffix=".tmp", dir=folder)
    os.close(handle)
    shutil.copyfile(png, temporary)
    os.replace(temporary, kept)
    return png


def prune(folder: Path, used_since: float) -> int:
    """Remove the charts in `folder` not used since `used_since` (time.time() when the run's charts
    began), and any temporary file a killed run left; returns how many were removed. A second's
    margin: a file's time is taken from a clock that may lag time.time() by a few milliseconds."""
    removed = 0
    for path in list(folder.iterdir()) if folder.is_dir() else ():
        if path.suffix == ".tmp" or path.stat().st_mtime < used_since - 1:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def names(folder: Path) -> set[str]:
    """The charts kept in `folder`."""
    return {p.name for p in folder.glob("*.png")} if folder.is_dir() else set()
