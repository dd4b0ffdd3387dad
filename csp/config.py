"""Settings: one TOML file (config/settings.toml), resolved against the repository root."""
from __future__ import annotations

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

    def with_paths(self, **paths: Path) -> "Settings":
        """A copy with some paths replaced (tests and the CLI's --raw/--marts/--warehouse options),
        made absolute: a relative path is taken from the current folder, once, so every step (and
        Great Expectations, which refuses relative folders) sees the same place."""
        values = {**self.__dict__, **{k: Path(v).absolute() for k, v in paths.items() if v is not None}}
        return Settings(**values)


def _resolve(path: str, base: Path) -> Path:
    p = Path(path)
    return p if p.is_absolute() else base / p


def load_settings(path: Path | str | None = None) -> Settings:
    path = Path(path) if path else DEFAULT_SETTINGS
    if not path.exists():
        raise FileNotFoundError(f"settings file not found: {path}")
    text = path.read_text(encoding="utf-8")
    cfg = tomllib.loads(text)
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
