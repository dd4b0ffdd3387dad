"""Generated sample partner extracts, one module per source (csp/synth/<source>.py).

Each module has `generate(out_dir, reference_dir, first_month, months, seed, population_mid_year)`
writing files in the source's real delivery layout and returning their paths; `csp synth` runs
every module found here.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def generators() -> dict[str, ModuleType]:
    """source name -> its generator module."""
    return {m.name: importlib.import_module(f"{__name__}.{m.name}")
            for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
