"""The districts that get a mart (ref.districts where in_county), their folder names, and matching a
name someone typed to one of them safely."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from csp import InputError
from csp.warehouse import run


@dataclass(frozen=True)
class District:
    lad_code: str
    name: str

    @property
    def slug(self) -> str:
        """Folder name: 'Folkestone and Hythe' -> 'folkestone-and-hythe'."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


def mart_districts(con: duckdb.DuckDBPyConnection, in_county: bool = True) -> list[District]:
    """The county's districts, from a connection holding ref.districts (in_county False: its neighbours in the
    lookup, such as Medway, which get no mart)."""
    rows = (con.table("ref.districts").filter("in_county" if in_county else "NOT in_county").order("lad_name")
            .project("lad_code, lad_name").fetchall())
    return [District(code, name) for code, name in rows]


def reference_districts(reference_dir: Path) -> tuple[list[District], list[District]]:
    """The same list straight from the reference files (no warehouse needed), through the same model, and the
    county's neighbours in the lookup."""
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA ref")
        con.execute("SET VARIABLE reference_dir = $dir", {"dir": str(reference_dir)})
        run(con, "reference/districts")
        return mart_districts(con), mart_districts(con, in_county=False)


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def find_district(name: str, districts: list[District], neighbours: list[District] = ()) -> District:
    """The district `name` means: its name, folder name or ONS code, ignoring case and spaces. The
    answer is always one of `districts`, so the name typed never becomes part of a path. A neighbour's
    name is refused with what a mart holds of it."""
    wanted = _key(name)

    def named(d: District) -> bool:
        return bool(wanted) and wanted in {_key(d.name), _key(d.slug), _key(d.lad_code)}

    for d in districts:
        if named(d):
            return d
    valid = ", ".join(d.name for d in districts)
    neighbour = next((d for d in neighbours if named(d)), None)
    raise InputError(f"{name!r} is not a district with a mart; valid names: {valid}" + (
        f". {neighbour.name} is a neighbouring area in the lookup, not a district of the county: it has no mart, "
        "and every district's mart gives its 12-month and year-to-date figures beside the county's"
        if neighbour else ""))
