"""Whole months as dates (the first of the month): parsing 'YYYY-MM' and counting months on. The
comparison windows themselves are the warehouse's (sql/facts/source_windows.sql), worded in SQL."""
from __future__ import annotations

import datetime as dt


def parse_month(text: str) -> dt.date:
    """'2025-10' -> date(2025, 10, 1)."""
    year, month = text.strip()[:7].split("-")
    return dt.date(int(year), int(month), 1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)
