"""The measures catalogue (catalogue/measures.yml) and the series-break register, read and checked.

The catalogue is data: each measure's source, filter, unit, polarity, strategic aim, disclosure rule
and, for a share, its numerator and denominator. This module checks it (a mistake is reported with
the measure it is in, before anything is built) and hands it to the warehouse as JSON, from which
the reference models (sql/reference/measure*.sql) build ref.measures and its companions. The
filters become SQL in sql/facts/measure_monthly.sql.j2 (transforms/templates.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from csp import InputError

UNITS = ("count", "rate", "share")
POLARITIES = ("bad", "good", "neutral")   # what an increase means
NAME = re.compile(r"[a-z][a-z0-9_]*")     # ids and column names: safe to use as SQL identifiers


class CatalogueError(InputError):
    """The catalogue or the series-break register is not usable; the message says where and why."""


@dataclass(frozen=True)
class Form:
    """A layout a source can arrive in, and what it cannot tell us."""

    name: str
    title: str
    missing: dict[str, str]                           # column -> what it is, in words
    combined: dict[str, tuple[tuple[str, ...], str]]  # column -> (values it cannot tell apart, the value it uses)

    def gap(self, filters: dict) -> str | None:
        """Why a measure with these filters cannot be counted from this form (None: it can)."""
        parts = []
        lacking = [self.missing[col] for col in filters if col in self.missing]
        if lacking:
            parts.append("has no " + " or ".join(lacking))
        for col, (values, as_value) in self.combined.items():
            wanted = filters.get(col)
            if isinstance(wanted, tuple) and set(wanted) & set(values):
                parts.append(f"records {' and '.join(v.lower() for v in values)} together as '{as_value}'")
        return f"{self.title} {' and '.join(parts)}" if parts else None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    table: str
    form_column: str | None
    window_end_months: tuple[int, ...]   # months of the year a 12-month window may end in (empty: any)
    forms: dict[str, Form]


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    description: str
    source: str
    unit: str
    polarity: str
    aim: str
    headline: bool
    seasonality: bool
    disclosure: str
    value: str | None                    # column summed instead of counting rows
    filters: dict                        # column -> tuple of values, or True/False for a flag
    numerator: str | None = None
    denominator: str | None = None
    # said beside its rates where they differ from the rate its field publishes (first-time entrants: the Youth
    # Justice Board's per 100,000 aged 10-17, which needs a population by age not held here)
    rate_note: str | None = None

    @property
    def is_share(self) -> bool:
        return self.unit == "share"

    @property
    def definition(self) -> str:
        """The measure's definition in words, as ref.measures shows it."""
        if self.is_share:
            return f"{self.numerator} / {self.denominator}"
        what = f"sum of {self.value}" if self.value else "count of rows"
        conditions = [f"{col} is {str(v).lower()}" if isinstance(v, bool) else f"{col} is one of: {', '.join(v)}"
                      for col, v in self.filters.items()]
        return what + (" where " + "; ".join(conditions) if conditions else " (every row)")


@dataclass(frozen=True)
class SeriesBreak:
    source: str
    measure: str | None      # None: every measure of the source
    from_month: dt.date
    description: str


@dataclass(frozen=True)
class Catalogue:
    aims: dict[str, dict]
    disclosure_rules: dict[str, dict]
    sources: dict[str, Source]
    measures: dict[str, Measure]
    breaks: tuple[SeriesBreak, ...]
    sha256: str               # of both files' text: part of the data version that stamps outputs

    def counted(self, source: str) -> list[Measure]:
        """The source's count and rate measures (the ones computed from rows), in catalogue order."""
        return [m for m in self.measures.values() if m.source == source and not m.is_share]

    def as_json(self) -> str:
        """Everything the reference models load, as one JSON document."""
        measures = [{
            "measure_id": m.id, "measure_name": m.name, "description": m.description, "source": m.source,
            "source_title": self.sources[m.source].title, "unit": m.unit, "polarity": m.polarity, "aim": m.aim,
            "aim_number": self.aims[m.aim]["number"], "aim_name": self.aims[m.aim]["name"], "headline": m.headline,
            "seasonality": m.seasonality, "disclosure": m.disclosure, "definition": m.definition, "value": m.value,
            "numerator": m.numerator, "denominator": m.denominator, "rate_note": m.rate_note, "catalogue_order": i,
        } for i, m in enumerate(self.measures.values(), start=1)]
        gaps = [{"measure_id": m.id, "form": form.name, "reason": reason}
                for m in self.measures.values() if not m.is_share
                for form in self.sources[m.source].forms.values()
                if (reason := form.gap(m.filters))]
        doc = {
            "measures": measures,
            "form_gaps": gaps,
            "sources": [{"source": s.id, "title": s.title, "staging_table": s.table,
                         "window_end_months": list(s.window_end_months)} for s in self.sources.values()],
            "series_breaks": [{"source": b.source, "measure_id": b.measure, "from_month": b.from_month.isoformat(),
                               "description": b.description} for b in self.breaks],
            "disclosure_rules": [{"rule": name, **{k: rule.get(k) for k in ("suppress_from", "suppress_to", "round_to")},
                                  "description": rule["description"]} for name, rule in self.disclosure_rules.items()],
        }
        return json.dumps(doc, sort_keys=True)


def load_catalogue(measures_path: Path | str, breaks_path: Path | str) -> Catalogue:
    measures_text = Path(measures_path).read_text(encoding="utf-8")
    breaks_text = Path(breaks_path).read_text(encoding="utf-8")
    return parse_catalogue(measures_text, breaks_text)


@cache
def parse_catalogue(measures_text: str, breaks_text: str) -> Catalogue:
    spec = yaml.safe_load(measures_text) or {}
    aims = spec.get("aims") or {}
    rules = spec.get("disclosure_rules") or {}
    sources = {sid: _source(sid, s or {}) for sid, s in (spec.get("sources") or {}).items()}
    measures: dict[str, Measure] = {}
    for i, item in enumerate(spec.get("measures") or [], start=1):
        m = _measure(item or {}, i, aims, rules, sources)
        if m.id in measures:
            raise CatalogueError(f"measure '{m.id}' is defined twice")
        measures[m.id] = m
    for m in measures.values():
        if m.is_share:
            _check_share(m, measures)
    breaks = tuple(_series_break(b or {}, i, sources, measures)
                   for i, b in enumerate((yaml.safe_load(breaks_text) or {}).get("breaks") or [], start=1))
    digest = hashlib.sha256((measures_text + "\0" + breaks_text).encode("utf-8")).hexdigest()
    return Catalogue(aims, rules, sources, measures, breaks, digest)


def _name(value, what: str) -> str:
    if not isinstance(value, str) or not NAME.fullmatch(value):
        raise CatalogueError(f"{what} '{value}' must be lower case letters, digits and underscores")
    return value


def _source(sid: str, spec: dict) -> Source:
    _name(sid, "source")
    if not re.fullmatch(r"[a-z_]+\.[a-z_][a-z0-9_]*", str(spec.get("table", ""))):
        raise CatalogueError(f"source '{sid}' needs a table written schema.name (e.g. staging.{sid})")
    months = tuple(spec.get("window_end_months") or ())
    if any(not isinstance(mo, int) or not 1 <= mo <= 12 for mo in months):
        raise CatalogueError(f"source '{sid}': window_end_months must be months of the year (1-12)")
    forms = {}
    for name, f in (spec.get("forms") or {}).items():
        combined = {_name(col, f"source '{sid}' form '{name}' column"): (tuple(c["values"]), c["as"])
                    for col, c in (f.get("combined") or {}).items()}
        forms[name] = Form(name, f.get("title", f"the {name} form"), dict(f.get("missing") or {}), combined)
    if forms and not spec.get("form_column"):
        raise CatalogueError(f"source '{sid}' describes forms but names no form_column")
    return Source(sid, spec.get("title", sid), spec["table"], spec.get("form_column"), months, forms)


def _choice(item: dict, key: str, allowed, mid: str) -> str:
    value = item.get(key)
    if value not in allowed:
        raise CatalogueError(f"measure '{mid}': {key} '{value}' is not one of: {', '.join(map(str, allowed))}")
    return value


def _filters(raw, mid: str) -> dict:
    if not isinstance(raw, dict):
        raise CatalogueError(f"measure '{mid}': filter must be a mapping of column to values (or {{}} for every row)")
    out = {}
    for col, want in raw.items():
        _name(col, f"measure '{mid}': filter column")
        if isinstance(want, bool):
            out[col] = want
        elif isinstance(want, list) and want and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in want):
            out[col] = tuple(str(v) for v in want)
        else:
            raise CatalogueError(f"measure '{mid}': filter on '{col}' must be true, false or a list of values")
    return out


def _measure(item: dict, position: int, aims: dict, rules: dict, sources: dict) -> Measure:
    mid = _name(item.get("id"), f"measure number {position}: id")
    if not item.get("name"):
        raise CatalogueError(f"measure '{mid}' has no name")
    unit = _choice(item, "unit", UNITS, mid)
    source = _choice(item, "source", list(sources), mid)
    share = unit == "share"
    if share and ("filter" in item or "value" in item):
        raise CatalogueError(f"measure '{mid}': a share is numerator / denominator; it takes no filter or value")
    if not share and "filter" not in item:
        raise CatalogueError(f"measure '{mid}' has no filter (write filter: {{}} to count every row)")
    value = item.get("value")
    rate_note = item.get("rate_note")
    if rate_note is not None and (share or not isinstance(rate_note, str) or not rate_note.strip()):
        raise CatalogueError(f"measure '{mid}': rate_note must be a sentence, and only for a count or rate measure")
    return Measure(
        id=mid, name=item["name"], description=item.get("description", ""), source=source, unit=unit,
        polarity=_choice(item, "polarity", POLARITIES, mid), aim=_choice(item, "aim", list(aims), mid),
        headline=bool(item.get("headline", False)), seasonality=bool(item.get("seasonality", False)),
        disclosure=_choice(item, "disclosure", list(rules), mid),
        value=_name(value, f"measure '{mid}': value column") if value is not None else None,
        filters={} if share else _filters(item["filter"], mid),
        numerator=item.get("numerator"), denominator=item.get("denominator"),
        rate_note=rate_note.strip() if rate_note else None,
    )


def _check_share(m: Measure, measures: dict[str, Measure]) -> None:
    for part in ("numerator", "denominator"):
        other = measures.get(getattr(m, part))
        if other is None:
            raise CatalogueError(f"share '{m.id}': {part} '{getattr(m, part)}' is not a measure in the catalogue")
        if other.is_share or other.source != m.source:
            raise CatalogueError(f"share '{m.id}': {part} '{other.id}' must be a count or rate measure of source '{m.source}'")


def _series_break(item: dict, position: int, sources: dict, measures: dict) -> SeriesBreak:
    where = f"series break number {position}"
    if item.get("source") not in sources:
        raise CatalogueError(f"{where}: source '{item.get('source')}' is not a source in the catalogue")
    measure = item.get("measure")
    if measure is not None and (measure not in measures or measures[measure].source != item["source"]):
        raise CatalogueError(f"{where}: measure '{measure}' is not a measure of source '{item['source']}'")
    text = str(item.get("from", ""))
    if not re.fullmatch(r"\d{4}-\d{2}", text) or not 1 <= int(text[5:]) <= 12:
        raise CatalogueError(f"{where}: from '{text}' must be a month written YYYY-MM")
    if not item.get("description"):
        raise CatalogueError(f"{where}: a description in words is needed (it is printed beside the figures)")
    return SeriesBreak(item["source"], measure, dt.date(int(text[:4]), int(text[5:]), 1), item["description"])
