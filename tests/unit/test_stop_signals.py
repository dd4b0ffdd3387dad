"""Which stop an exception is: DuckDB reports a query interrupted by any signal in the same words."""
from __future__ import annotations

import signal

import pytest
from prefect.exceptions import TerminationSignal

from csp import stop_signals
from csp.stop_signals import QUERY_INTERRUPTED, Terminated, as_stop


def _interrupted_query():
    with as_stop():
        raise RuntimeError(QUERY_INTERRUPTED)


@pytest.fixture
def sigterm_handled_elsewhere():
    """A SIGTERM handler other than this module's, as Prefect's is while a flow runs."""
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    yield
    signal.signal(signal.SIGTERM, previous)


def test_an_interrupted_query_becomes_the_stop_of_the_signal_received(monkeypatch):
    monkeypatch.setattr(stop_signals, "_received", [signal.SIGINT])
    with pytest.raises(KeyboardInterrupt):
        _interrupted_query()
    monkeypatch.setattr(stop_signals, "_received", [signal.SIGTERM])
    with pytest.raises(Terminated):
        _interrupted_query()


def test_with_none_recorded_prefects_handler_took_sigterm(monkeypatch, sigterm_handled_elsewhere):
    """It ends the query as Prefect's own TerminationSignal would have ended it."""
    monkeypatch.setattr(stop_signals, "_received", [])
    with pytest.raises(TerminationSignal):
        _interrupted_query()
    assert stop_signals.stopped_by(TerminationSignal(signal.SIGTERM)) == signal.SIGTERM


def test_with_none_recorded_and_sigterm_left_to_its_default_it_was_ctrl_c(monkeypatch):
    """SIGTERM's default ends the process before any Python code runs: only Python's own Ctrl-C
    handler can have raised."""
    monkeypatch.setattr(stop_signals, "_received", [])
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        with pytest.raises(KeyboardInterrupt):
            _interrupted_query()
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_the_handlers_before_are_put_back():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with stop_signals.caught():
        assert signal.getsignal(signal.SIGTERM) is not before[1]
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_any_other_error_is_left_as_it_is(monkeypatch):
    monkeypatch.setattr(stop_signals, "_received", [signal.SIGTERM])
    with pytest.raises(RuntimeError, match="^Conversion Error"):
        with as_stop():
            raise RuntimeError("Conversion Error: could not convert")
    assert stop_signals.stopped_by(ValueError(QUERY_INTERRUPTED)) is None
    assert stop_signals.stopped_by(Terminated()) == signal.SIGTERM
