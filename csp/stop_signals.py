"""Ctrl-C (SIGINT) and a supervisor's SIGTERM stop a refresh the same way, wherever it is: the run is
recorded as failed, the lock released, the temporary Prefect server stopped, and the command says so
in one line and exits 130 or 143.

A signal that arrives while DuckDB runs a query surfaces as RuntimeError('Query interrupted'),
whatever the signal's handler raised: so the handlers here record which signal came, and
`as_stop()` turns the interrupted query back into the stop it was. Prefect puts its own SIGTERM
handler in place while a flow runs; it records nothing, but it is the only handler that does not, so
an interrupted query with no signal recorded was stopped by SIGTERM, and is raised as Prefect's own
TerminationSignal would have been: Prefect then handles it as it handles the signal between queries
(it reports the run as crashed, or cancelled when its runner sent the signal for the UI's Cancel:
Prefect's logic, not tested here) and sends SIGTERM again to the handler it replaced (this one, in
`csp refresh`; in a served run, the default, which ends the process).
"""
from __future__ import annotations

import contextlib
import signal
import sys
from typing import Iterator

QUERY_INTERRUPTED = "Query interrupted"   # DuckDB's words
MESSAGES = {signal.SIGINT: "interrupted", signal.SIGTERM: "stopped by a termination signal (SIGTERM)"}

_received: list[int] = []


class Terminated(BaseException):
    """SIGTERM, raised as KeyboardInterrupt is for Ctrl-C (not an Exception: nothing may catch it as an error)."""


def _stop(number: int, _frame) -> None:
    _received.append(number)
    raise KeyboardInterrupt if number == signal.SIGINT else Terminated


@contextlib.contextmanager
def caught() -> Iterator[None]:
    """In the block, SIGINT and SIGTERM are recorded as they arrive and stop the main thread; the
    handlers before it are put back after it (a caller in the same process keeps its own)."""
    _received.clear()
    previous = {number: signal.signal(number, _stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def stopped_by(exc: BaseException) -> int | None:
    """The signal that `exc` is the stop of, or None if it is not a stop."""
    if isinstance(exc, KeyboardInterrupt):
        return signal.SIGINT
    if isinstance(exc, Terminated) or _prefect_termination(exc):
        return signal.SIGTERM
    if isinstance(exc, RuntimeError) and str(exc) == QUERY_INTERRUPTED:
        return _received[-1] if _received else _unrecorded()
    return None


def _unrecorded() -> int:
    """The signal that interrupted a query when no handler here recorded one: SIGTERM if another
    handler holds it (Prefect's, while a flow runs), else SIGINT (Python's own handler: SIGTERM's
    default ends the process before any Python code runs)."""
    return signal.SIGINT if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None) else signal.SIGTERM


@contextlib.contextmanager
def as_stop() -> Iterator[None]:
    """A query interrupted by a signal in the block raises the signal's stop, not DuckDB's error (which
    Prefect would report as the run's failure, with a traceback)."""
    try:
        yield
    except RuntimeError as exc:
        stop = stopped_by(exc)
        if stop is None:
            raise
        if stop == signal.SIGINT:
            raise KeyboardInterrupt from None
        prefect = sys.modules.get("prefect.exceptions")
        if prefect and not _received:   # Prefect's handler took the signal
            raise prefect.TerminationSignal(signal.SIGTERM) from None
        raise Terminated from None


def _prefect_termination(exc: BaseException) -> bool:
    prefect = sys.modules.get("prefect.exceptions")   # never imported here: a run without Prefect has none
    return prefect is not None and isinstance(exc, prefect.TerminationSignal)
