"""Finding a delivery's header row, in a workbook's sheet or a CSV: partners' exports often put title
lines above the table (the report's name, when it was run, a blank line).
"""
from __future__ import annotations

from typing import Callable, Iterable

HEADER_SEARCH_ROWS = 20


def find_header(rows: Iterable[tuple[int, list[str]]],
                matches_contract: Callable[[list[str]], bool]) -> tuple[int, list[str], bool] | None:
    """(row number, headers, whether they match the contract) of numbered rows of text: the first of the top
    HEADER_SEARCH_ROWS rows that matches, else the first non-empty one; None when none has anything in it.
    Rows are read only up to the one that matches: a file whose first row is its header is read no further."""
    first = None
    for number, row in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        while row and not row[-1]:
            row.pop()
        if row and matches_contract(row):
            return number, row, True
        if row and first is None:
            first = (number, row, False)
    return first
