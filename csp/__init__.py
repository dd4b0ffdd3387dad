"""County community safety strategic assessment pipeline."""
from __future__ import annotations

import logging


class InWords(Exception):
    """An error whose message is all the analyst needs (what to fix or wait for): the command line
    prints it in one line, and a flow run's log shows it without the traceback."""


class InputError(ValueError, InWords):
    """Something wrong in what the analyst gave the pipeline (a settings or configuration file, an
    option, a name), said in words: the command line prints it in one line, where any other error
    is a fault in the code and shows its traceback."""

# the loggers whose INFO lines tell the analyst what a run is doing
PROGRESS_LOGGERS = ("csp", "transforms")
# Great Expectations sets this module's logger to INFO itself (on import, so a level set here would
# not last): every validation context announced the temporary folder of its docs site in the run's log
_GX_CHATTY = "great_expectations.data_context.types.base"


# Prefect logs a flow's or task's exception with its traceback
PREFECT_RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


def _warnings_and_worse(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


def _in_words(record: logging.LogRecord) -> bool:
    """An error that ends a flow or task run and is the analyst's to fix or wait for (InWords: bad input,
    a refresh already running), not a fault in the code: its one line without the traceback (the CLI
    then says it again)."""
    if record.exc_info and isinstance(record.exc_info[1], InWords):
        record.exc_info = record.exc_text = None
    return True


def show_progress() -> None:
    """Let the pipeline's progress lines through in whichever process runs it: the CLI, or a flow
    run a Prefect deployment started (Prefect shows them too, through its extra loggers)."""
    for name in PROGRESS_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    logging.getLogger(_GX_CHATTY).addFilter(_warnings_and_worse)   # once: the same filter is not added twice
    for name in PREFECT_RUN_LOGGERS:
        logging.getLogger(name).addFilter(_in_words)
