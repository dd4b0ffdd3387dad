"""Run identity: run ids, the code version, and the data version that stamps outputs.

Outputs are stamped with the first run that produced their data version (the deliveries, code,
settings and period they come from), so re-running with nothing new rewrites identical bytes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from functools import cache

from csp.config import REPO_ROOT


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S%f")[:-3]


@cache
def code_version() -> str:
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=12"], cwd=REPO_ROOT,
                             capture_output=True, text=True, timeout=10, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import version
        return f"csp-assessment {version('csp-assessment')}"


def data_version(delivery_checksums: list[str], settings_text: str, as_of: dt.date) -> str:
    payload = {
        "deliveries": sorted(delivery_checksums),
        "code": code_version(),
        "settings": settings_text,
        "as_of_month": as_of.strftime("%Y-%m"),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
