"""Settings: one TOML file (config/settings.toml), resolved against the repository root."""
from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

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
    schedule: dict = field(default_factory=dict)   # cron, timezone, prefect_port of the deployment
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


# the sections every settings file must have in full; the others may leave out what they keep as shipped
REQUIRED = ("area", "paths", "marking", "catalogue")
WINDOW_END = re.compile(r"auto|\d{4}-(0[1-9]|1[0-2])")


def check_settings(cfg: dict, shipped: dict) -> list[str]:
    """What is wrong with a settings file's contents, in words, against the shipped file (which has
    every setting): a section or setting it does not know (with the nearest name it does), a value
    of another type than the shipped one, a required setting missing, a window end that is not a month."""
    problems = []

    def unknown(what: str, name: str, known, shown: str = "{}") -> None:
        """`shown`: how a name is written in the file ("[{}]" for a section)."""
        near = difflib.get_close_matches(name, list(known), n=1)
        problems.append(f"unknown {what} {shown.format(name)!r}"
                        + (f" (did you mean {shown.format(near[0])!r}?)" if near else ""))

    def compare(where: str, values, expected: dict) -> None:
        if not isinstance(values, dict):
            problems.append(f"{where.rsplit('.', 1)[-1]} = {values!r}: expected a section, [{where}]")
            return
        for key, value in values.items():
            if key not in expected:
                unknown(f"setting in [{where}]:", key, expected)
            elif type(value) is not type(expected[key]):
                problems.append(f"[{where}] {key} = {value!r}: expected {_kind(expected[key])}")

    for section, values in cfg.items():
        if section not in shipped:
            unknown("section", section, shipped, "[{}]")
        elif not isinstance(values, dict):
            problems.append(f"{section} = {values!r}: expected a section, [{section}]")
        elif section == "sources":   # one table per source the shipped file names
            for source, entry in values.items():
                if source not in shipped["sources"]:
                    unknown("source", source, shipped["sources"], "[sources.{}]")
                    continue
                compare(f"sources.{source}", entry, shipped["sources"][source])
                end = entry.get("window_end", "auto") if isinstance(entry, dict) else "auto"
                if not WINDOW_END.fullmatch(str(end)):
                    problems.append(f"[sources.{source}] window_end = {end!r}: expected \"auto\" or a month, "
                                    "\"YYYY-MM\"")
        elif section == "disclosure":   # rules of the analyst's own naming, each with every setting a shipped one has
            example = next(iter(shipped["disclosure"].values()))
            for name, rule in values.items():
                compare(f"disclosure.{name}", rule, example)
                if isinstance(rule, dict):
                    problems += [f"[disclosure.{name}] {key} is missing" for key in example if key not in rule]
            problems += _disclosure_problems(values, shipped["disclosure"])
        else:
            compare(section, values, shipped[section])
    for section in REQUIRED:
        problems += [f"[{section}] {key} is missing" for key in shipped[section] if key not in cfg.get(section, {})]
    return problems


def _disclosure_problems(rules: dict, shipped: dict) -> list[str]:
    """A rule's levels must be area levels a shipped rule names (a misspelt level would leave those
    counts unprotected, silently); its threshold and rounding must make sense."""
    levels = sorted({level for rule in shipped.values() for level in rule["levels"]})
    problems = []
    for name, rule in rules.items():
        if not isinstance(rule, dict):
            continue
        problems += [f"[disclosure.{name}] levels: unknown area level {level!r} (the levels: {', '.join(levels)})"
                     for level in rule.get("levels", []) if level not in levels]
        if isinstance(rule.get("suppress_up_to"), int) and rule["suppress_up_to"] < 0:
            problems.append(f"[disclosure.{name}] suppress_up_to = {rule['suppress_up_to']}: expected 0 or more")
        if isinstance(rule.get("round_to"), int) and rule["round_to"] < 1:
            problems.append(f"[disclosure.{name}] round_to = {rule['round_to']}: expected 1 (no rounding) or more")
    return problems


def _kind(value) -> str:
    return {bool: "true or false", int: "a whole number", str: "text in quotes", list: "a list, [...]"}.get(
        type(value), type(value).__name__)


def load_settings(path: Path | str | None = None) -> Settings:
    path = Path(path) if path else DEFAULT_SETTINGS
    if not path.exists():
        raise FileNotFoundError(f"settings file not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        cfg = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"settings file {path} is not valid TOML: {exc}") from None
    shipped = cfg if path == DEFAULT_SETTINGS else tomllib.loads(DEFAULT_SETTINGS.read_text(encoding="utf-8"))
    if problems := check_settings(cfg, shipped):
        raise ValueError(f"settings file {path}: " + "; ".join(problems))
    base = REPO_ROOT
    return Settings(
        area_name=cfg["area"]["name"],
        police_force=cfg["area"]["police_force"],
        reference_dir=_resolve(cfg["area"]["reference_dir"], base),
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
        memory_limit=cfg.get("warehouse", {}).get("memory_limit", ""),
        text=text,
    )
