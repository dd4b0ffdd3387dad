"""Settings: one TOML file (config/settings.toml), resolved against the repository root."""
from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from csp import InputError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS = REPO_ROOT / "config" / "settings.toml"
SQL_DIR = REPO_ROOT / "sql"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
MARTS_SPEC = REPO_ROOT / "config" / "marts.yml"


@dataclass(frozen=True)
class Settings:
    area_name: str
    police_force: str   # the area's force as data.police.uk's 'Falls within' names it
    reference_dir: Path
    population_mid_year: int
    raw_dir: Path
    marts_dir: Path
    warehouse: Path
    marking: str
    catalogue: Path
    series_breaks: Path
    window_end: dict[str, str] = field(default_factory=dict)
    synth: dict = field(default_factory=dict)
    disclosure: dict = field(default_factory=dict)   # rule name -> {suppress_up_to, round_to, levels}
    pack_documents: bool = True   # the pack's PDF, HTML and charts; false: its tables and the manifest only
    district_marts: bool = True   # each district's mart and pack; false: the county outputs only
    district_pack_documents: bool = True   # the district packs' PDF, HTML and charts (with pack_documents)
    publish_workers: int = 2      # processes writing the packs and marts' files (1: all in the refresh's process)
    schedule: dict = field(default_factory=dict)   # cron, timezone, prefect_port, prefect_keep_days of the deployment
    prefect_keep_days: int = 90   # days Prefect keeps an ended run: its database (the persistent server), its results
    memory_limit: str = ""                         # DuckDB's memory limit ("" = DuckDB's default)
    text: str = ""   # the settings file as read

    def cache(self, kind: str) -> Path:
        """Where a refresh keeps what it made for the warehouse's outputs (`charts`, `data_docs`) to copy
        next time: beside the warehouse, named after its file, so areas whose warehouse files share a
        folder (flows/areas.py) keep apart what each prunes."""
        return self.warehouse.with_name(f"{self.warehouse.name}.{kind}")

    def with_paths(self, **paths: Path) -> "Settings":
        """A copy with some paths replaced (tests and the CLI's --raw/--marts/--warehouse options),
        made absolute: a relative path is taken from the current folder, once, so every step (and
        Great Expectations, which refuses relative folders) sees the same place. (The CLI passes
        absolute paths: a relative option is taken from the folder ./run was called from.)"""
        values = {**self.__dict__, **{k: Path(v).absolute() for k, v in paths.items() if v is not None}}
        return Settings(**values)


def _resolve(path: str, base: Path) -> Path:
    p = Path(path)
    return p if p.is_absolute() else base / p


# What a settings file may hold, defined here rather than by config/settings.toml, which is itself the
# file the analyst edits (a misspelling there must be caught too): each section's settings and the
# type of each value (TOML's own: true/false, not "false"). Every one is in the shipped file.
SCHEMA: dict[str, dict[str, type]] = {
    "area": {"name": str, "reference_dir": str, "population_mid_year": int, "police_force": str},
    "paths": {"raw": str, "marts": str, "warehouse": str},
    "catalogue": {"measures": str, "series_breaks": str},
    "warehouse": {"memory_limit": str},
    "marking": {"label": str},
    "pack": {"documents": bool},
    "publish": {"workers": int},
    "marts": {"districts": bool, "pack_documents": bool},
    "schedule": {"cron": str, "timezone": str, "prefect_port": int, "prefect_keep_days": int},
    "synth": {"seed": int, "first_month": str, "months": int},
}
# [sources.<source>]: one per source with a rolling window (a data contract's source, not population's)
SOURCE: dict[str, type] = {"window_end": str}
# [disclosure.<rule>]: rules of the analyst's own naming, each with every setting
DISCLOSURE_RULE: dict[str, type] = {"suppress_up_to": int, "round_to": int, "levels": list}
# the area levels the district marts publish counts at (the `level` of sql/marts/*_cells.sql): a rule's levels
AREA_LEVELS = ("county", "district", "lsoa", "neighbour")
# the sections every settings file must have in full; the others may leave out what they keep as shipped
REQUIRED = ("area", "paths", "marking", "catalogue")
WINDOW_END = re.compile(r"auto|\d{4}-(0[1-9]|1[0-2])")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def check_settings(cfg: dict) -> list[str]:
    """What is wrong with a settings file's contents, in words, against SCHEMA: a section or setting
    it does not know (with the nearest name it does), a value of another type, a required setting
    missing, a window end that is not a month (or not a quarter's last for a quarterly source), a
    disclosure rule's unknown level."""
    from csp.contracts import available_sources, load_contract   # contracts import this module

    sources = {s: load_contract(s) for s in available_sources() if load_contract(s).has_window}
    known = {**SCHEMA, "sources": sources, "disclosure": {}}
    problems = []

    def unknown(what: str, name: str, names, shown: str = "{}") -> None:
        """`shown`: how a name is written in the file ("[{}]" for a section)."""
        near = difflib.get_close_matches(name, list(names), n=1)
        problems.append(f"unknown {what} {shown.format(name)!r}"
                        + (f" (did you mean {shown.format(near[0])!r}?)" if near else ""))

    def compare(where: str, values, expected: dict[str, type]) -> None:
        if not isinstance(values, dict):
            problems.append(f"{where.rsplit('.', 1)[-1]} = {values!r}: expected a section, [{where}]")
            return
        for key, value in values.items():
            if key not in expected:
                unknown(f"setting in [{where}]:", key, expected)
            elif type(value) is not expected[key]:   # not isinstance: true is not a whole number
                problems.append(f"[{where}] {key} = {value!r}: expected {_kind(expected[key])}")

    for section, values in cfg.items():
        if section not in known:
            unknown("section", section, known, "[{}]")
        elif not isinstance(values, dict):
            problems.append(f"{section} = {values!r}: expected a section, [{section}]")
        elif section == "sources":
            for source, entry in values.items():
                if source not in sources:
                    unknown("source", source, sources, "[sources.{}]")
                    continue
                compare(f"sources.{source}", entry, SOURCE)
                end = entry.get("window_end", "auto") if isinstance(entry, dict) else "auto"
                problems += _window_end_problems(source, end, sources[source].period_months)
        elif section == "disclosure":
            for name, rule in values.items():
                compare(f"disclosure.{name}", rule, DISCLOSURE_RULE)
                if isinstance(rule, dict):
                    problems += [f"[disclosure.{name}] {key} is missing" for key in DISCLOSURE_RULE if key not in rule]
            problems += _disclosure_problems(values)
        else:
            compare(section, values, SCHEMA[section])
    keep = cfg.get("schedule", {}).get("prefect_keep_days") if isinstance(cfg.get("schedule"), dict) else None
    if type(keep) is int and keep < 1:   # Prefect keeps a run an hour at least
        problems.append(f"[schedule] prefect_keep_days = {keep}: expected 1 or more days")
    for section in REQUIRED:
        problems += [f"[{section}] {key} is missing" for key in SCHEMA[section] if key not in cfg.get(section, {})]
    return problems


def _window_end_problems(source: str, end, period_months: int) -> list[str]:
    """A fixed window end must be a month, and for a quarterly source a quarter's last: its months are
    counted by quarter (each quarter's value sits on its first month), so a window ending mid-quarter
    would count the months after the end and be labelled with the months before. The quarters are
    financial-year ones (staging.youth_offending_checked: they start in January, April, July, October)."""
    if not WINDOW_END.fullmatch(str(end)):
        return [f"[sources.{source}] window_end = {end!r}: expected \"auto\" or a month, \"YYYY-MM\""]
    if end == "auto" or int(end[5:]) % period_months == 0:
        return []
    ends = [MONTHS[m - 1] for m in range(period_months, 13, period_months)]
    return [f"[sources.{source}] window_end = {end!r}: its data comes by the quarter, so the window must end at a "
            f"quarter's last month: {', '.join(ends[:-1])} or {ends[-1]}"]


def _disclosure_problems(rules: dict) -> list[str]:
    """A rule's levels must be area levels (a misspelt level would leave those counts unprotected,
    silently); its threshold and rounding must make sense."""
    problems = []
    for name, rule in rules.items():
        if not isinstance(rule, dict):
            continue
        levels = rule.get("levels", [])
        problems += [f"[disclosure.{name}] levels: unknown area level {level!r} (the levels: {', '.join(AREA_LEVELS)})"
                     for level in (levels if isinstance(levels, list) else []) if level not in AREA_LEVELS]
        if isinstance(rule.get("suppress_up_to"), int) and rule["suppress_up_to"] < 0:
            problems.append(f"[disclosure.{name}] suppress_up_to = {rule['suppress_up_to']}: expected 0 or more")
        if isinstance(rule.get("round_to"), int) and rule["round_to"] < 1:
            problems.append(f"[disclosure.{name}] round_to = {rule['round_to']}: expected 1 (no rounding) or more")
    return problems


def _kind(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", str: "text in quotes", list: "a list, [...]"}[kind]


def load_settings(path: Path | str | None = None) -> Settings:
    path = Path(path) if path else DEFAULT_SETTINGS
    if not path.exists():
        raise InputError(f"settings file not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        cfg = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"settings file {path} is not valid TOML: {exc}") from None
    if problems := check_settings(cfg):
        raise InputError(f"settings file {path}: " + "; ".join(problems))
    base = REPO_ROOT
    if not (reference_dir := _resolve(cfg["area"]["reference_dir"], base)).is_dir():
        raise InputError(f"settings file {path}: [area] reference_dir = {cfg['area']['reference_dir']!r}: no such "
                         f"folder ({reference_dir})")
    return Settings(
        area_name=cfg["area"]["name"],
        police_force=cfg["area"]["police_force"],
        reference_dir=reference_dir,
        population_mid_year=int(cfg["area"]["population_mid_year"]),
        raw_dir=_resolve(cfg["paths"]["raw"], base),
        marts_dir=_resolve(cfg["paths"]["marts"], base),
        warehouse=_resolve(cfg["paths"]["warehouse"], base),
        marking=cfg["marking"]["label"],
        catalogue=_resolve(cfg["catalogue"]["measures"], base),
        series_breaks=_resolve(cfg["catalogue"]["series_breaks"], base),
        window_end={name: str(s.get("window_end", "auto")) for name, s in cfg.get("sources", {}).items()},
        synth=cfg.get("synth", {}),
        disclosure=cfg.get("disclosure", {}),
        pack_documents=bool(cfg.get("pack", {}).get("documents", True)),
        district_marts=bool(cfg.get("marts", {}).get("districts", True)),
        district_pack_documents=bool(cfg.get("marts", {}).get("pack_documents", True)),
        publish_workers=max(1, int(cfg.get("publish", {}).get("workers", 2))),
        schedule=cfg.get("schedule", {}),
        prefect_keep_days=int(cfg.get("schedule", {}).get("prefect_keep_days", Settings.prefect_keep_days)),
        memory_limit=cfg.get("warehouse", {}).get("memory_limit", ""),
        text=text,
    )


def check_window_ends(settings: Settings, as_of: dt.date) -> None:
    """A fixed window end must be a month that has ended by the run's date (known only when a refresh
    starts): a later one would publish a window whose last months have no data yet."""
    late = [f"[sources.{source}] window_end = {end!r}" for source, end in sorted(settings.window_end.items())
            if end != "auto" and dt.date.fromisoformat(f"{end}-01") >= as_of.replace(day=1)]
    if late:
        last = as_of.replace(day=1) - dt.timedelta(days=1)
        raise InputError(f"settings: {'; '.join(late)}: the refresh is as of {as_of:%d %B %Y}, so a window can end in "
                         f"{last:%B %Y} at the latest (a month counts once it has ended); set an earlier month or \"auto\"")
