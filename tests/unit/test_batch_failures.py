"""Which files a failed validation of a batch's shape points at (deliveries._pointed_at), and which
failures it leaves to the files' shares: tiny batches of three files, no warehouse."""
from __future__ import annotations

from pathlib import Path

import pytest

from csp.contracts import load_contract
from csp.ingest import deliveries
from csp.ingest.batches import BatchFile, PlainCsv
from csp.validate import SHAPE_ROWS, Unexpected, ValidationOutcome

IN_SET = {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "crime_type", "value_set": ["Drugs"],
                                                                   "mostly": 0.9}}
ROWS = {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}}
LANDED = [BatchFile(PlainCsv(Path(f"{n}.csv"), "", (), False, 0, 11), n, 10) for n in (1, 2, 3)]


@pytest.fixture
def holding(monkeypatch):
    """files_holding without a warehouse: file 2 holds 'Violent crime'."""
    monkeypatch.setattr(deliveries, "files_holding",
                        lambda con, contract, landed, column, values: {2} if "Violent crime" in values else set())


def _pointed_at(*failures: Unexpected):
    outcome = ValidationOutcome(success=False, unexpected=list(failures))
    return deliveries._pointed_at(None, load_contract("police_crime"), LANDED, outcome)


def test_values_a_check_allows_a_share_of_are_left_to_the_shares(holding):
    assert _pointed_at(Unexpected("crime_type", ["Violent crime"], [4], IN_SET)) == (
        set(), {"crime_type: share of its file's values in the allowed set": ["Violent crime"]})


def test_a_value_no_share_of_is_allowed_points_at_the_files_holding_it(holding):
    strict = {**IN_SET, "kwargs": {k: v for k, v in IN_SET["kwargs"].items() if k != "mostly"}}
    assert _pointed_at(Unexpected("crime_type", ["Violent crime"], [4], strict)) == ({2}, None)


def test_a_row_count_points_at_its_file(holding):
    assert _pointed_at(Unexpected(SHAPE_ROWS, [0], [2], ROWS),
                       Unexpected("crime_type", ["Violent crime"], [4], IN_SET))[0] == {3}


def test_a_failure_naming_nothing_points_at_every_file(holding):
    """An expectation that raised an error fails naming no value: no share can clear it."""
    assert _pointed_at(Unexpected("crime_type", [], [], IN_SET)) == ({1, 2, 3}, None)
    assert _pointed_at(Unexpected(None, [], [], {})) == ({1, 2, 3}, None)
