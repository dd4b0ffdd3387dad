"""County community safety strategic assessment pipeline."""
from __future__ import annotations

import logging

# the loggers whose INFO lines tell the analyst what a run is doing
PROGRESS_LOGGERS = ("csp", "transforms")


def show_progress() -> None:
    """Let the pipeline's progress lines through in whichever process runs it: the CLI, or a flow
    run a Prefect deployment started (Prefect shows them too, through its extra loggers)."""
    for name in PROGRESS_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
