"""How numbers are written in the pack's sentences and tables (one place, so they always agree)."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

MINUS = "\u2212"   # a real minus sign: a hyphen reads as a dash in a table


def missing(value) -> bool:
    """None, NaN, pd.NA or NaT."""
    return bool(pd.isna(value))


def months_span(first, last, source: str | None = None) -> str:
    """"November 2022 – October 2025", one month alone, "–" for none. A population delivery's months are its
    estimates' reference date, 30 June: said as the mid-years they are ("mid-2023 – mid-2024")."""
    if missing(first):
        return "–"
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    name = (lambda m: f"mid-{m.year}") if source == "population" else (lambda m: f"{m:%B %Y}")
    return name(first) if first == last else f"{name(first)} – {name(last)}"


# a row's withheld columns, by name, a comma between two: written by disclosure control (csp.marts.tables), read here
SUPPRESSED_COLUMNS = "suppressed_columns"


def withheld(row, column: str) -> bool:
    """The row's `column` is withheld under disclosure control (named in its suppressed_columns: only
    a district's pack has them)."""
    return column in text(row.get(SUPPRESSED_COLUMNS)).split(", ")


def withheld_rows(frame: pd.DataFrame, column: str) -> pd.Series:
    """withheld() for every row of `frame`: False throughout where it has no suppressed_columns."""
    if SUPPRESSED_COLUMNS not in frame:
        return pd.Series(False, index=frame.index)
    # each distinct list split once: most rows share a few
    listed = frame[SUPPRESSED_COLUMNS]
    return listed.isin([named for named in listed.dropna().unique() if column in str(named).split(", ")])


# how a cell of a CSV file starts when a spreadsheet program (Excel, LibreOffice) reads it as a formula: "=", "+", "-"
# or "@", after any tab or carriage return, which they drop. A partner's text in a data file (a file name
# "=HYPERLINK(…)", a reason quoting a value) must not run as one when the file is opened
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# a text value that is a plain number ("-6.0", "+3", "-1.5e3"): a spreadsheet reads it as that number, never runs it,
# so it is written as it is (an apostrophe would make "-6.0" another value for every tool that reads the file)
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` for a CSV file: each text value that starts as a formula would (FORMULA_STARTS) with an apostrophe in
    front, which a spreadsheet shows as it is (the value is read as text, not run); numbers, text that is a plain
    number ("-6.0", PLAIN_NUMBER), and all other text, as they are. The Parquet and DuckDB files, and the workbooks
    (whose text cells are never formulas), keep the value."""
    guarded = frame
    for name, column in frame.items():
        if isinstance(column.dtype, pd.StringDtype):
            # each distinct text looked at once: a column mostly repeats a few (areas, periods, measures), and
            # value by value this was ~1 CPU s of a Kent refresh's CSV files
            risky = column.isin([v for v in column.unique() if _formula_like(v)])
        elif column.dtype == object:   # any values (dates, None, text): each looked at
            risky = column.map(_formula_like).astype(bool)
        else:
            continue
        if risky.any():
            guarded = guarded.copy() if guarded is frame else guarded
            guarded[name] = column.mask(risky, "'" + column.astype(str))
    return guarded


def _formula_like(value) -> bool:
    """A text value a spreadsheet would run as a formula (spreadsheet_safe)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value)


def text(value) -> str:
    """A text cell: missing -> ''."""
    return "" if missing(value) else str(value)


def fixed(value, decimals: int) -> str:
    """`value` to `decimals` places with thousands commas, a half rounded away from zero as Excel shows it
    (the workbook's number formats): -6.25 -> '-6.3', where Python's formatting gives '-6.2' (half to even).
    The shortest decimal that reads back as the float is rounded, as Excel rounds its 15 digits: 2.675 -> '2.68'."""
    return f"{Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):,.{decimals}f}"


def _decimals(value) -> int:
    """A whole number to the unit; a fraction (a sum of probabilities, as KSI from adjusted severities)
    to one decimal place, so a count and the change worked out from it agree on the page."""
    return 0 if float(value).is_integer() else 1


def count(value) -> str:
    """12345 -> '12,345'; 46.67 -> '46.7'; missing -> '–'."""
    return "–" if missing(value) else fixed(value, _decimals(value))


def signed(value, decimals: int | None = None) -> str:
    """A change with its sign: '+6', '−2', '0', '+8.4' (decimals: as count() unless given)."""
    if missing(value):
        return "–"
    if decimals is None:
        decimals = _decimals(value)
    text = fixed(abs(float(value)), decimals)
    if float(text.replace(",", "")) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def percent(value, decimals: int = 1) -> str:
    """37.5 -> '37.5%'; magnitude only (the sentence says which way)."""
    return "–" if missing(value) else f"{fixed(abs(float(value)), decimals)}%"


def share(value) -> str:
    """A share held as 0-1, as a percentage to one decimal place: 0.4668 -> '46.7%'."""
    return "–" if missing(value) else f"{fixed(100 * float(value), 1)}%"


def rate(value) -> str:
    """A rate per 1,000 residents, to two decimal places as computed."""
    return "–" if missing(value) else fixed(value, 2)


# characters a partner's value can hold that a page shows as nothing, or as a plain space: named, so that a
# reason quoting the value ("motive 'Deliberate[tab]' is not one of ...") shows the partner what to fix
_UNSEEN = {"\t": "[tab]", "\r": "[carriage return]", "\n": "[line break]", "\u00a0": "[no-break space]",
           "\ufeff": "[byte-order mark]", "\u200b": "[zero-width space]"}


def visible(text: str) -> str:
    """`text` with every character a page shows as nothing or as a space (but the space itself) named:
    'Deliberate\t' -> 'Deliberate[tab]'; another control or format character by its code point ('[U+0001]')."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_UNSEEN.get(c) or (f"[U+{ord(c):04X}]" if not (c.isprintable() or c == " ") else c) for c in text)


def in_sentence(title: str) -> str:
    """A title inside a sentence: 'Road casualties (STATS19)' -> 'road casualties (STATS19)' (only the
    first letter, and not of an acronym such as 'HES extract')."""
    first = title.split(" ", 1)[0]
    return title if first.isupper() else title[:1].lower() + title[1:]


def source_note(window) -> str:
    """'Source: police recorded crime (data to October 2025)', from a row of the source windows: under a
    chart and a restricted table alike."""
    month = f" (data to {window['data_to']})" if not missing(window["data_to"]) else ""
    return f"Source: {in_sentence(window['source_title'])}{month}"


def mixed_forms(window) -> str | None:
    """'the months compared come from two layouts of the data — …', from a row of the source windows, or None
    when they came in one (facts.source_windows.mixed_forms; a window without the column has none)."""
    words = window.get("mixed_forms")
    return None if missing(words) else str(words)


def join_words(items: list[str]) -> str:
    """['a'] -> 'a'; ['a', 'b', 'c'] -> 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
