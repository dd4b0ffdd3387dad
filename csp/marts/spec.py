"""The mart table list (config/marts.yml): which warehouse tables go into every district's mart,
which of their rows a district gets, and which cube of counts protects them."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from csp import InputError
from csp.config import MARTS_SPEC
from csp.publish.workbook import COLUMNS, COVER, SHEET_NAME

AREA_KINDS = ("own", "county", "other_districts", "neighbours")
PERIODS = ("months", "comparison", "rows")
# names spliced into generated statements (table names, columns): plain identifiers only
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
QUALIFIED = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")
README_SHEET = "README"                       # the mart workbook's sheet after its Cover
README_TABLE, ABOUT_TABLE = "readme", "about"   # the mart DuckDB file's tables beside the spec's
# names a table may not take, ignoring case (as Excel compares sheet names), and why: each is a sheet or
# DuckDB table every mart has. Unrefused, the clash showed only as the marts were written: a workbook
# refused for a sheet name used twice, or (readme, about) the DuckDB table and its Parquet file silently
# holding the mart's own lines in place of the table's rows
RESERVED = {
    README_TABLE: f"every mart's workbook has a sheet named {README_SHEET} (Excel sheet names ignore case) "
                  f"and its DuckDB file holds a `{README_TABLE}` table",
    ABOUT_TABLE: f"every mart's DuckDB file holds an `{ABOUT_TABLE}` table (the run, marking and district)",
    COLUMNS.lower(): f"every mart's workbook ends with a sheet named {COLUMNS} (Excel sheet names ignore case), giving "
                     "each heading's column name",
    COVER.lower(): f"every mart's workbook begins with a sheet named {COVER} (Excel sheet names ignore case)",
    "history": "Excel keeps the sheet name History for itself (ignoring case)",
}


@dataclass(frozen=True)
class Cell:
    """Where a count column's values sit in their cube: each part is a column name, a quoted
    constant ("'current'"), or text naming columns in braces ("{comparison_type}: current")."""

    area: str
    measure: str
    period: str


@dataclass(frozen=True)
class Derived:
    inputs: tuple[str, ...]   # counts, or derived columns listed before this one
    trailing: int = 1     # rows up to and including this one, within the same area and measure
    lag: int = 0          # or the row this many before this one (a year earlier: 12)


@dataclass(frozen=True)
class Cube:
    name: str
    cells: tuple[str, ...]   # the warehouse tables listing its counts (sql/marts/*_cells.sql)
    default_rule: str        # for counts no measure of the catalogue covers


@dataclass(frozen=True)
class MartTable:
    name: str
    table: str
    title: str
    description: str
    grain: str
    period: str
    area_column: str
    areas: tuple[str, ...]
    cube: Cube
    counts: dict[str, Cell]
    derived: dict[str, Derived] = field(default_factory=dict)
    fine: bool = False
    source: str | None = None   # whose window the periods are (period "months" or "comparison")
    sheet: bool = True          # a sheet of the mart's workbook; false: a CSV file beside it (too many rows)


def load_spec(path: Path = MARTS_SPEC, rule_names: set[str] | None = None) -> list[MartTable]:
    """The mart tables, checked: a mistake here would leak rows or skip disclosure control, so
    anything unexpected is an error naming the entry."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    known_rules = (rule_names or set()) | {"none"}
    cubes = {}
    for name, c in raw["cubes"].items():
        cube = Cube(name, tuple(c["cells"]), c["default_rule"])
        _check(all(QUALIFIED.fullmatch(t) for t in cube.cells), f"cube {name}: cells must be schema.table")
        _check(rule_names is None or cube.default_rule in known_rules,
               f"cube {name}: unknown disclosure rule {cube.default_rule!r} (settings [disclosure])")
        cubes[name] = cube
    tables = [_table(t, cubes) for t in raw["tables"]]
    names = [t.name for t in tables]
    _check(len(set(names)) == len(names), f"{path.name}: table names repeat")
    return tables


def _table(t: dict, cubes: dict[str, Cube]) -> MartTable:
    name = t["name"]
    reserved = RESERVED.get(str(name).lower())
    _check(not reserved, f"table {name}: the name {name!r} is reserved: {reserved}")
    # its sheet's name too: a letter first (csp.publish.workbook refuses any other as it writes)
    _check(IDENTIFIER.fullmatch(name) and SHEET_NAME.fullmatch(name),
           f"table {name!r}: a plain name starting with a letter, of at most 31 characters")
    _check(QUALIFIED.fullmatch(t["table"]), f"table {name}: table must be schema.table")
    _check(t["cube"] in cubes, f"table {name}: unknown cube {t['cube']!r}")
    areas = tuple(t["areas"])
    _check(areas and set(areas) <= set(AREA_KINDS), f"table {name}: areas must be among {AREA_KINDS}")
    fine = bool(t.get("fine", False))
    _check(not fine or areas == ("own",), f"table {name}: a fine-grained table may only hold the district's own rows")
    _check(t["period"] in PERIODS, f"table {name}: period must be one of {PERIODS}")
    _check(isinstance(t.get("sheet", True), bool), f"table {name}: sheet must be true or false")
    _check((t["period"] == "rows") == ("source" not in t), f"table {name}: a source, unless each row names its period")
    counts = {col: Cell(**cell) for col, cell in (t.get("counts") or {}).items()}
    derived = {col: Derived(tuple(d["from"]), int(d.get("trailing", 1)), int(d.get("lag", 0)))
               for col, d in (t.get("derived") or {}).items()}
    columns = {t["area_column"], *counts, *derived} | {
        column for cell in counts.values() for part in (cell.area, cell.measure, cell.period) for column in columns_of(part)}
    _check(all(IDENTIFIER.fullmatch(c) for c in columns), f"table {name}: column names must be plain identifiers")
    known = set(counts)
    for column, d in derived.items():
        _check(set(d.inputs) <= known, f"table {name}: {column} derived from an unknown count")
        known.add(column)
    return MartTable(name, t["table"], t["title"], " ".join(t["description"].split()), t["grain"], t["period"],
                     t["area_column"], areas, cubes[t["cube"]], counts, derived, fine, t.get("source"),
                     t.get("sheet", True))


def columns_of(part: str) -> list[str]:
    """The columns a cell part reads: none for a quoted constant, those in braces for a text."""
    if part.startswith("'"):
        return []
    if "{" in part:
        return [field for _, field, _, _ in string.Formatter().parse(part) if field]
    return [part]


def _check(ok, message: str) -> None:
    if not ok:
        raise InputError(f"config/marts.yml: {message}")
