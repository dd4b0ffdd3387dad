"""The mart table list (config/marts.yml): which warehouse tables go into every district's mart,
which of their rows a district gets, and which cube of counts protects them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from csp.config import MARTS_SPEC

AREA_KINDS = ("own", "county", "other_districts", "neighbours")
PERIODS = ("months", "comparison")
# names spliced into generated statements (table names, columns): plain identifiers only
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
QUALIFIED = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class Cell:
    """Where a count column's values sit in their cube: each part is a column name, or a quoted
    constant ("'current'")."""

    area: str
    measure: str
    period: str


@dataclass(frozen=True)
class Derived:
    inputs: tuple[str, ...]
    trailing: int = 1     # rows up to and including this one, within the same area and measure


@dataclass(frozen=True)
class Cube:
    name: str
    cells: str
    source: str
    default_rule: str
    rules: dict[str, str] = field(default_factory=dict)

    def rule(self, measure: str) -> str:
        return self.rules.get(measure, self.default_rule)


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


def load_spec(path: Path = MARTS_SPEC, rule_names: set[str] | None = None) -> list[MartTable]:
    """The mart tables, checked: a mistake here would leak rows or skip disclosure control, so
    anything unexpected is an error naming the entry."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    known_rules = (rule_names or set()) | {"none"}
    cubes = {}
    for name, c in raw["cubes"].items():
        cube = Cube(name, c["cells"], c["source"], c["default_rule"], dict(c.get("rules") or {}))
        _check(QUALIFIED.fullmatch(cube.cells), f"cube {name}: cells must be schema.table")
        unknown = {cube.default_rule, *cube.rules.values()} - known_rules if rule_names is not None else set()
        _check(not unknown, f"cube {name}: unknown disclosure rule(s) {sorted(unknown)} (settings [disclosure])")
        cubes[name] = cube
    tables = [_table(t, cubes) for t in raw["tables"]]
    names = [t.name for t in tables]
    _check(len(set(names)) == len(names), f"{path.name}: table names repeat")
    return tables


def _table(t: dict, cubes: dict[str, Cube]) -> MartTable:
    name = t["name"]
    _check(IDENTIFIER.fullmatch(name) and len(name) <= 31, f"table {name!r}: a plain name of at most 31 characters")
    _check(QUALIFIED.fullmatch(t["table"]), f"table {name}: table must be schema.table")
    _check(t["cube"] in cubes, f"table {name}: unknown cube {t['cube']!r}")
    areas = tuple(t["areas"])
    _check(areas and set(areas) <= set(AREA_KINDS), f"table {name}: areas must be among {AREA_KINDS}")
    fine = bool(t.get("fine", False))
    _check(not fine or areas == ("own",), f"table {name}: a fine-grained table may only hold the district's own rows")
    _check(t["period"] in PERIODS, f"table {name}: period must be one of {PERIODS}")
    counts = {col: Cell(**cell) for col, cell in t["counts"].items()}
    derived = {col: Derived(tuple(d["from"]), int(d.get("trailing", 1))) for col, d in (t.get("derived") or {}).items()}
    columns = {t["area_column"], *counts, *derived} | {
        part for cell in counts.values() for part in (cell.area, cell.measure, cell.period) if not part.startswith("'")}
    _check(all(IDENTIFIER.fullmatch(c) for c in columns), f"table {name}: column names must be plain identifiers")
    _check(all(set(d.inputs) <= set(counts) for d in derived.values()), f"table {name}: derived from an unknown count")
    return MartTable(name, t["table"], t["title"], " ".join(t["description"].split()), t["grain"], t["period"],
                     t["area_column"], areas, cubes[t["cube"]], counts, derived, fine)


def _check(ok, message: str) -> None:
    if not ok:
        raise ValueError(f"config/marts.yml: {message}")
