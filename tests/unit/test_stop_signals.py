"""Which stop an exception is: DuckDB reports a query interrupted by any signal in the same words."""
from __future__ import annotations

import signal

import pytest
from prefect.exceptions import TerminationSignal

from csp import stop_signals
from csp.stop_signals import QUERY_INTERRUPTED, Terminated, as_stop


def test_an_interrupted_query_becomes_the_stop_of_the_signal_received(monkeypatch):
    monkeypatch.setattr(stop_signals, "_received", [signal.SIGINT])
    with pytest.raises(KeyboardInterrupt):
        with as_stop():
            raise RuntimeError(QUERY_INTERRUPTED)
    # none recorded: Prefect's own SIGTERM handler, the only one that records nothing, was in place,
    # and the query ends as that handler would have ended it
    monkeypatch.setattr(stop_signals, "_received", [])
    with pytest.raises(TerminationSignal):
        with as_stop():
            raise RuntimeError(QUERY_INTERRUPTED)
    assert stop_signals.stopped_by(TerminationSignal(signal.SIGTERM)) == signal.SIGTERM
    # our own handler's SIGTERM, Prefect loaded or not
    monkeypatch.setattr(stop_signals, "_received", [signal.SIGTERM])
    with pytest.raises(Terminated):
        with as_stop():
            raise RuntimeError(QUERY_INTERRUPTED)


def test_any_other_error_is_left_as_it_is(monkeypatch):
    monkeypatch.setattr(stop_signals, "_received", [signal.SIGTERM])
    with pytest.raises(RuntimeError, match="^Conversion Error"):
        with as_stop():
            raise RuntimeError("Conversion Error: could not convert")
    assert stop_signals.stopped_by(ValueError(QUERY_INTERRUPTED)) is None
    assert stop_signals.stopped_by(Terminated()) == signal.SIGTERM
