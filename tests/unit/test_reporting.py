"""Progress on long statements: a model that builds for a minute says how far it has got."""
from __future__ import annotations

import logging
import re

from csp.warehouse import connect, reporting


def test_a_long_statement_is_reported_with_the_share_done(tmp_path, caplog):
    with connect(tmp_path / "warehouse.duckdb") as con, caplog.at_level(logging.INFO, logger="csp.warehouse"):
        with reporting(con, "summing", every_s=0.1):
            con.execute("SELECT sum(i) FROM range(2_000_000_000) t(i)").fetchall()
    said = [r.getMessage() for r in caplog.records if r.name == "csp.warehouse"]
    assert said and all(re.fullmatch(r"still summing after \d+ s(: about \d+% done)?", line) for line in said), said
    assert any(re.search(r": about \d+% done$", line) for line in said), said


def test_a_quick_statement_says_nothing(tmp_path, caplog):
    with connect(tmp_path / "warehouse.duckdb") as con, caplog.at_level(logging.INFO, logger="csp.warehouse"):
        with reporting(con, "counting", every_s=30):
            assert con.execute("SELECT count(*) FROM range(10)").fetchone() == (10,)
    assert not [r for r in caplog.records if r.name == "csp.warehouse"]
