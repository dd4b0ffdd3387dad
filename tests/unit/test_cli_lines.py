"""How `csp refresh --no-prefect` prints the log: progress lines as they are, warnings and errors marked."""
import logging

from csp.cli import _Lines


def line(level: int, message: str) -> str:
    record = logging.LogRecord("csp", level, __file__, 1, message, (), None)
    record.created = 0
    return _Lines("%(marked)s").format(record)


def test_a_warning_reads_as_one_and_a_progress_line_as_it_is():
    assert line(logging.INFO, "police_crime: 36 file(s), 1 new") == "police_crime: 36 file(s), 1 new"
    assert line(logging.WARNING, "Fire and rescue incidents: missing January 2026") == (
        "Warning: Fire and rescue incidents: missing January 2026")
    assert line(logging.ERROR, "the refresh failed") == "Error: the refresh failed"
