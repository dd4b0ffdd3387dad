"""Months and comparison windows, and how they are written in words in every output."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def parse_month(text: str) -> dt.date:
    """'2025-10' -> date(2025, 10, 1)."""
    year, month = text.strip()[:7].split("-")
    return dt.date(int(year), int(month), 1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_words(month: dt.date) -> str:
    return month.strftime("%B %Y")


@dataclass(frozen=True)
class Window:
    """A run of whole months, first and last inclusive."""

    first: dt.date
    last: dt.date

    @property
    def words(self) -> str:
        return f"{month_words(self.first)} – {month_words(self.last)}"


@dataclass(frozen=True)
class RollingComparison:
    """The rolling 12 months ending at `end` against the 12 months before them."""

    end: dt.date

    @property
    def current(self) -> Window:
        return Window(add_months(self.end, -11), self.end)

    @property
    def previous(self) -> Window:
        return Window(add_months(self.end, -23), add_months(self.end, -12))

    @property
    def words(self) -> str:
        return f"{self.current.words} compared with {self.previous.words}"
