"""Data contracts: one YAML file per source in expectations/contracts/.

A contract names the source's columns (with the aliases partners actually send), the forms
(layouts) the source may arrive in (each with a `title`, the form in words inside a sentence: "the
force's restricted extract"), the allowed values and the delivery-level rules. The ingest
reads it to recognise and rename columns; `build_suite` turns it into the Great Expectations
suite stored beside it as JSON.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from csp import InputError
from csp.config import EXPECTATIONS_DIR, SQL_DIR

CONTRACTS_DIR = EXPECTATIONS_DIR / "contracts"

# What each strftime code of parse_timestamp's formats matches, as a regular expression: its form only
# (a day 31 of June is in the form; the row checks then find it no date).
_FORMAT_CODES = {"%Y": "[0-9]{4}", "%m": "[0-9]{1,2}", "%d": "[0-9]{1,2}", "%H": "[0-9]{1,2}", "%M": "[0-9]{1,2}",
                 "%S": "[0-9]{1,2}", "%f": "[0-9]{1,9}", "%b": "[A-Za-z]{3}", "%z": "(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)"}


def _date_pattern() -> str:
    """The forms parse_timestamp reads (sql/macros/parse_timestamp.sql, its format lists), as one pattern
    anchored at both ends: the macro is the one list of date formats, and the suites check dates against it."""
    text = (SQL_DIR / "macros" / "parse_timestamp.sql").read_text(encoding="utf-8")
    formats = re.findall(r"^\s*'(%[^']*)',?\s*$", text, flags=re.MULTILINE)
    forms = ["".join(_FORMAT_CODES.get(part, re.escape(part)) for part in re.split(r"(%[a-zA-Z])", f) if part)
             for f in formats]
    return "^(?:" + "|".join(forms) + ")$"


# The patterns the suites check, by column type, on the value as the delivery checks give it (checked_<kind>
# in sql/macros/read_as.sql): trimmed, a code upper-cased, a month or quarter as the SQL reads it written
# back as YYYY-MM / its first day, a whole number without thousands commas; a date as sent, in one of the
# forms parse_timestamp reads. Anchored at both ends. They check the form only: a value in the form that
# is none (a month 2025-13, a day 31/06/2023) passes, and the row checks quarantine it (bad_date).
PATTERNS = {
    "lsoa": r"^[EW]0[0-9]{7}$",
    "month": r"^[0-9]{4}-[0-9]{2}$",
    "date": _date_pattern(),
    "number": r"^-?[0-9]+(\.[0-9]+)?$",
    "integer": r"^-?[0-9]+$",
    "ons_code": r"^[EWSNKLM][0-9]{8}$",   # GSS: E, W, S, N, K (UK, GB, England and Wales), L, M
    "icd10": r"^[A-Z][0-9]{2}[0-9A-Z]{0,2}$",
    # a quarter's first day (a financial-year quarter, 2024/25 Q1, is read as one)
    "quarter": r"^[0-9]{4}-(?:01|04|07|10)-01$",
}

# How the delivery checks read a column of each type: the `kind` of its checked_<kind> macro (sql/macros/read_as.sql);
# any other type is trimmed text.
READ_AS = {"lsoa": "code", "ons_code": "code", "flag": "code", "icd10": "icd10", "month": "month",
           "quarter": "quarter", "integer": "whole_number"}
# Types whose blank value the row checks reject (a row must have a date, a district code...): for the
# suite a blank is then an empty string, which no pattern matches, rather than a missing value, which
# Great Expectations leaves out. So is a blank in a column with allowed values that do not include "".
BLANK_REJECTED = {"ons_code", "date", "month", "quarter", "icd10"}

# How many months one row of a source covers (delivery_rules.reporting_period). A yearly source
# (population estimates) is a denominator: it has no rolling comparison window.
REPORTING_PERIODS = {"month": 1, "quarter": 3, "year": 12}
# When a month counts as complete for the "auto" window end (delivery_rules.complete_month):
# every_district = every district of the county has data in it (a dense source: a district with
# none is a missing delivery); any_data = the month has any data (a sparse source, e.g. KSI, where
# a district can truly have none).
COMPLETE_MONTH_RULES = ("every_district", "any_data")


def normalise_header(name: str) -> str:
    """'  Crime  ID ' / 'crime_id' / 'CRIME-ID' -> 'crime id'."""
    name = name.replace("\ufeff", "")
    return re.sub(r"[\s_\-.]+", " ", name).strip().lower()


def heading_words(column: str) -> str:
    """A contract column as a heading in a partner's file may give it (always accepted, any case): a reason
    goes to the partner, whose file has no `incident_datetime`."""
    return f"'{column.replace('_', ' ')}'"


@dataclass(frozen=True)
class Contract:
    source: str
    title: str
    columns: dict[str, dict]
    forms: dict[str, dict]
    allowed: dict[str, list[str]]
    delivery_rules: dict
    # columns of a published layout the pipeline does not use: not loaded, and not worth a warning
    unused_columns: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return list(self.columns)

    @property
    def reporting_period(self) -> str:
        return self.delivery_rules.get("reporting_period", "month")

    @property
    def period_months(self) -> int:
        return REPORTING_PERIODS[self.reporting_period]

    @property
    def has_window(self) -> bool:
        return self.reporting_period != "year"

    @property
    def complete_month(self) -> str:
        return self.delivery_rules.get("complete_month", "every_district")

    @property
    def lists_every_area(self) -> bool:
        """Each return lists every area it covers, zeros included (an aggregate return): an area it never
        lists is not covered by the source (delivery_rules.lists_every_area), not one with none to count."""
        return bool(self.delivery_rules.get("lists_every_area", False))

    @property
    def expected_lag_months(self) -> int | None:
        """How many months after a month (a quarterly source: its quarter) ends its data is normally
        complete (delivery_rules.expected_lag_months); None: never called overdue."""
        return self.delivery_rules.get("expected_lag_months")

    def form_title(self, form: str) -> str:
        """The form in words, inside a sentence ("data.police.uk's public files")."""
        return self.forms[form]["title"]

    def alias_map(self) -> dict[str, str]:
        """normalised header -> contract column name."""
        out: dict[str, str] = {}
        for col, spec in self.columns.items():
            for alias in [col, *spec.get("aliases", [])]:
                out[normalise_header(alias)] = col
        return out

    def allowed_for(self, column: str) -> list[str] | None:
        spec = self.columns[column]
        if column in self.allowed:
            return self.allowed[column]
        if spec["type"] == "flag":
            return self.allowed.get("flag")
        return None

    def checked_expression(self, column: str) -> str:
        """The SQL giving a column's values as its suite checks them (checked_<kind>, sql/macros/read_as.sql):
        as the row checks read them, a blank as '' where the row checks reject a blank."""
        kind = self.columns[column]["type"]
        allowed = self.allowed_for(column)
        # a column with allowed values is compared as sent, trimmed (a flag upper-cased), as is_allowed is
        read_as = READ_AS.get(kind, "text") if allowed is None or kind == "flag" else "text"
        expression = f'checked_{read_as}("{column}")'
        if kind in BLANK_REJECTED or (allowed is not None and "" not in allowed):
            expression = f"coalesce({expression}, '')"
        return expression

    def map_headers(self, headers: list[str]) -> tuple[dict[str, str], list[str]]:
        """Map file headers to contract columns: ({header: column}, [unrecognised headers]). A layout's
        known unused columns are neither.

        Where several headers name one column, the most specific wins: the column's own name, else the
        longest alias ('Recorded Date' over 'Date', which a file may hold as the date committed), else the
        first; the others are not loaded (in the unrecognised list), rather than overwriting it.
        """
        aliases = self.alias_map()
        unused = {normalise_header(c) for c in self.unused_columns}
        best: dict[str, tuple[tuple[int, int], str]] = {}   # column -> (rank, header)
        for header in headers:
            name = normalise_header(header)
            col = aliases.get(name)
            if col:
                rank = (name != normalise_header(col), -len(name))
                if col not in best or rank < best[col][0]:
                    best[col] = (rank, header)
        winners = {header: col for col, (_, header) in best.items()}
        mapping = {header: winners[header] for header in headers if header in winners}
        extra = [header for header in headers if header not in winners and normalise_header(header) not in unused]
        return mapping, extra

    def header_form(self, headers: list[str]) -> str | None:
        """The layout a file with these headers is read as, or None: how a header row is recognised, by every reader."""
        return self.identify_form(set(self.map_headers(list(headers))[0].values()))[0]

    def identify_form(self, columns: set[str]) -> tuple[str | None, str]:
        """The form whose required columns are all present, or None and a reason in words."""
        missing_by_form = {
            form: [c for c in spec["required"] if c not in columns] for form, spec in self.forms.items()
        }
        complete = [form for form, missing in missing_by_form.items() if not missing]
        if complete:
            # the form needing the most columns is the most specific match
            return max(complete, key=lambda f: len(self.forms[f]["required"])), ""
        missing = "; ".join(f"the '{form}' layout is missing: {', '.join(heading_words(c) for c in cols)}"
                            for form, cols in sorted(missing_by_form.items(), key=lambda kv: len(kv[1])))
        return None, (f"the file's columns match no accepted layout of {self.title}: {missing} (headings in any case; "
                      f"every name accepted for each column is in expectations/contracts/{self.source}.yml)")


@cache
def load_contract(source: str) -> Contract:
    path = CONTRACTS_DIR / f"{source}.yml"
    if not path.exists():
        raise KeyError(f"no data contract for source '{source}' (expected {path})")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    contract = Contract(
        source=spec["source"],
        title=spec["title"],
        columns=spec["columns"],
        forms=spec["forms"],
        allowed={k: [str(v) for v in vals] for k, vals in spec.get("allowed", {}).items()},
        delivery_rules=spec.get("delivery_rules", {}),
        unused_columns=tuple(spec.get("unused_columns", [])),
    )
    if contract.reporting_period not in REPORTING_PERIODS:
        raise InputError(f"{path}: reporting_period '{contract.reporting_period}' is not one of {', '.join(REPORTING_PERIODS)}")
    if contract.complete_month not in COMPLETE_MONTH_RULES:
        raise InputError(f"{path}: complete_month '{contract.complete_month}' is not one of {', '.join(COMPLETE_MONTH_RULES)}")
    untitled = [form for form, spec in contract.forms.items() if not isinstance(spec.get("title"), str)]
    if untitled:
        raise InputError(f"{path}: form {', '.join(untitled)} has no title (the form in words, as \"the force's "
                         "restricted extract\")")
    lag = contract.expected_lag_months
    if lag is not None and (isinstance(lag, bool) or not isinstance(lag, int) or lag < 0):
        raise InputError(f"{path}: expected_lag_months '{lag}' is not a whole number of months (0 or more)")
    return contract


def available_sources() -> list[str]:
    return sorted(p.stem for p in CONTRACTS_DIR.glob("*.yml"))


def suite_path(source: str, form: str) -> Path:
    return EXPECTATIONS_DIR / f"{source}.{form}.json"


def build_suite(contract: Contract, form: str) -> dict:
    """The Great Expectations suite (GX 1.x JSON) that a delivery in this form must pass."""
    rules = contract.delivery_rules
    mostly = float(rules.get("min_valid_share", 1.0))
    exps: list[dict] = [
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": int(rules.get("min_rows", 1))}},
    ]
    for col in contract.forms[form]["required"]:
        exps.append({"type": "expect_column_to_exist", "kwargs": {"column": col}})
        spec = contract.columns[col]
        allowed = contract.allowed_for(col)
        if allowed is not None:
            exps.append({"type": "expect_column_values_to_be_in_set",
                         "kwargs": {"column": col, "value_set": [v for v in allowed if v != ""], "mostly": mostly}})
        elif spec["type"] in PATTERNS:
            exps.append({"type": "expect_column_values_to_match_regex",
                         "kwargs": {"column": col, "regex": PATTERNS[spec["type"]], "mostly": mostly}})
    key = rules.get("unique_key", {}).get(form)
    if key:
        exps.append({"type": "expect_column_values_to_be_unique", "kwargs": {"column": key, "mostly": mostly}})
    for exp in exps:
        exp.setdefault("meta", {})
    return {
        "name": f"{contract.source}.{form}",
        "expectations": exps,
        "meta": {"contract": f"expectations/contracts/{contract.source}.yml", "form": form,
                 "values": "as the row checks read them (checked_<kind>, sql/macros/read_as.sql)",
                 "generated_by": "csp contracts build"},
    }


def write_suites() -> list[Path]:
    """Regenerate every suite JSON from its contract (`csp contracts build`)."""
    written = []
    for source in available_sources():
        contract = load_contract(source)
        for form in contract.forms:
            path = suite_path(source, form)
            path.write_text(json.dumps(build_suite(contract, form), indent=2) + "\n", encoding="utf-8")
            written.append(path)
    return written
