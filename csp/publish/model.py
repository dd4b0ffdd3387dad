"""What the assessment pack is made of, as plain data.

Two layers, so each can be built and tested on its own:

* `PackInputs`: the numbers a pack is built from, as DataFrames with the columns listed below.
  `csp.publish.pack_inputs` reads them from the warehouse; tests build them by hand; a district mart
  can filter or suppress them before the pack is assembled.
* `Pack`: what the reader gets (findings in words, tables as formatted cells, charts as files), built
  from `PackInputs` by `csp.publish.assemble`. The renderers (`pack_html`, `pack_pdf`) only lay it out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

COUNTY = "county"   # area_code of the county row in every comparison table

# The start of a comparison's status when the latest 12 months are there but the previous are not
# (its verdict is then "not available", transforms/measure_stats.py).
COMPARISON_NOT_AVAILABLE = "comparison not available"

ROLLING = "rolling 12 months"            # the comparison the findings are about
YEAR_TO_DATE = "financial year to date"  # also in the tables, and a finding for headline measures

# Columns each PackInputs frame has: the sql/publish/*.sql queries select them from the measure tables
# (docs/measures.md explains each); tests build them by hand.
MEASURE_COLUMNS = ("measure_id", "name", "aim", "polarity", "headline", "source", "unit", "seasonality", "rate_note")
COMPARISON_COLUMNS = (
    "measure_id", "comparison_type", "area_type", "area_code", "area_name", "current_period", "previous_period",
    "current_value", "previous_value", "change", "pct_change", "population", "population_mid_year",
    "current_rate_per_1000", "current_rate_lower", "current_rate_upper", "previous_rate_per_1000", "rate_vs_county",
    "p_value", "q_value", "verdict", "series_break", "status",
)
SHARE_COLUMNS = (
    "measure_id", "comparison_type", "area_type", "area_code", "area_name", "current_period", "previous_period",
    "current_numerator", "current_denominator", "current_share", "current_share_lower", "current_share_upper",
    "previous_share", "change_points", "share_vs_county", "series_break", "status",
)
MONTHLY_COLUMNS = ("measure_id", "area_code", "area_name", "month", "period", "value", "rolling_12m",
                   "value_year_earlier", "change", "pct_change", "verdict", "series_break", "status")
TREND_COLUMNS = ("measure_id", "area_code", "area_name", "trend_period", "months_used", "direction", "p_value",
                 "slope_per_year", "series_break", "trend_layouts", "status")
PROFILE_COLUMNS = ("measure_id", "area_code", "area_name", "profile_period", "months_used", "month_of_year",
                   "month_name", "mean_value", "seasonal_index", "is_peak")
WINDOW_COLUMNS = ("source", "source_title", "current_first", "current_last", "previous_first", "previous_last",
                  "current_period", "previous_period", "comparison_available", "comparison_status",
                  "first_month_with_data", "last_month_with_data", "complete_until", "data_to", "overdue",
                  "mixed_forms")
# rows_current: loaded rows still in the figures (the rest are in months a later delivery replaced)
DELIVERY_COUNTS = ("rows_received", "rows_loaded", "rows_quarantined", "rows_current", "rows_no_location",
                   "rows_outside_area")
DELIVERY_COLUMNS = ("source", "file_name", "status", "reason", *DELIVERY_COUNTS, "first_month", "last_month",
                    "asb_first_month", "asb_last_month", "loaded_in")
# not written as a table (no *_COLUMNS: those are, and need headings): said in words with the periods
GAPS_COMPARED_FIELDS = ("source", "span", "districts", "months_compared", "comparison_status")
QUARANTINE_COLUMNS = ("source", "reject_code", "rows", "deliveries", "example_reason")
GAP_COLUMNS = ("source", "first_month", "last_month", "months", "fewest_districts", "most_districts",
               "districts_expected")
SERIES_BREAK_COLUMNS = ("source", "measure_id", "from_month", "description")


@dataclass(frozen=True)
class Stamp:
    """What every output says about where it came from."""

    marking: str
    area_name: str
    run_id: str          # the run that first produced this data version
    run_at: dt.datetime
    data_version: str
    as_of: dt.date | None = None   # the run's as-of date, which decides the latest complete month

    @property
    def words(self) -> str:
        as_of = f" as of {self.as_of.day} {self.as_of:%B %Y}" if self.as_of else ""
        return f"Produced by run {self.run_id} ({self.run_at:%d %B %Y %H:%M}){as_of}, data version {self.data_version}"


def marked(frame: pd.DataFrame, marking: str) -> pd.DataFrame:
    """The table with its protective marking as the first column of every row."""
    frame = frame.reset_index(drop=True)
    return pd.concat([pd.DataFrame({"protective_marking": [marking] * len(frame)}), frame], axis=1)


@dataclass(frozen=True)
class Scope:
    """Whose pack: the whole county, or one district with the county as its only comparator."""

    area_code: str      # COUNTY or a district's lad_code
    area_name: str
    county_name: str

    @property
    def is_county(self) -> bool:
        return self.area_code == COUNTY


@dataclass(frozen=True)
class Measure:
    measure_id: str
    name: str           # as the pack prints it, also to open a sentence: "Shoplifting"
    aim: int            # strategic aim number
    polarity: str       # what an increase means: "bad", "good" or "neutral" (which change needs attention)
    headline: bool      # headline measures get charts and a place in the executive summary
    source: str
    unit: str           # "count", "rate" or "share"
    seasonality: bool   # the catalogue asks for its seasonal profile
    rate_note: str | None = None   # what its rates are not, said after the rates against the county (catalogue)

    @property
    def is_share(self) -> bool:
        return self.unit == "share"


@dataclass
class PackInputs:
    """The numbers behind one pack. Column lists: the *_COLUMNS constants above."""

    measures: pd.DataFrame        # the catalogue: one row per measure, in catalogue order
    aims: dict[int, str]          # strategic aim number -> title
    comparisons: pd.DataFrame     # count/rate measure x comparison type x area
    shares: pd.DataFrame          # share measure x comparison type x area
    monthly: pd.DataFrame         # count/rate measure x area x month (value NULL = no data that month)
    trends: pd.DataFrame          # count/rate measure x area: direction of the longer-term trend
    profiles: pd.DataFrame        # measure x area x calendar month, for measures marked for seasonality
    windows: pd.DataFrame         # one row per source: its comparison window and coverage
    deliveries: pd.DataFrame      # data-quality annex: every delivery
    quarantine: pd.DataFrame      # rows quarantined, by source and reason
    gaps: pd.DataFrame            # runs of months inside a source's span that are missing or incomplete
    series_breaks: pd.DataFrame   # recording changes the comparisons are not read across
    source_titles: dict[str, str] = field(default_factory=dict)   # source -> its name in words
    # (path, why) of what lies in the raw folder where no source reads it (csp.ingest.deliveries.NotRead)
    not_read: tuple[tuple[str, str], ...] = ()
    # (path, delivery_id) of the loaded deliveries whose file is gone from the raw folder (csp.ingest.deliveries.Gone)
    gone: tuple[tuple[str, int], ...] = ()
    # the areas with no population of the settings' mid-year (ops/areas_without_population): their rates are blank
    without_population: tuple[str, ...] = ()
    # the neighbouring areas (publish/neighbours: in the force area, outside the county), which the methods note names
    neighbours: tuple[str, ...] = ()
    # source -> how a district's pack shows its counts where disclosure control rounds them (csp.marts.pack): said
    # beside its tables, as a rounded 50 reads as counted otherwise
    rounded: dict[str, str] = field(default_factory=dict)
    # the titles of the sources whose figures use deliveries made up by `csp synth` (publish/sample_sources): the
    # cover says the pack is no evidence of anything
    sample_sources: tuple[str, ...] = ()
    # runs of months missing inside the months compared (publish/gaps_compared): said with the periods
    # (quality_report.gap_lines); a district's pack keeps its own district's and every district's
    gaps_compared: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(GAPS_COMPARED_FIELDS)))

    @property
    def population_mid_year(self) -> int | None:
        years = self.comparisons["population_mid_year"].dropna()
        return int(years.iloc[0]) if len(years) else None

    def rates_words(self) -> str:
        """What the rates are per: the population estimates they use, or which are blank and why."""
        year = self.population_mid_year
        if not year:
            return ""
        if self.without_population:
            return (f"Rates are blank for {', '.join(self.without_population)}: no ONS mid-{year} population "
                    f"estimate is loaded for {'it' if len(self.without_population) == 1 else 'them'} (the settings' "
                    "population_mid_year; a county's rate needs every district's).")
        return f"Rates per 1,000 residents use ONS mid-{year} population estimates."


@dataclass(frozen=True)
class Table:
    """A table as the reader sees it: headings and cells already formatted as text."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]                     # right-aligned columns
    notes: list[str] = field(default_factory=list)


# where a chart's figures are, for its alternative text: a reader who cannot see it reads them there
FIGURES_ABOVE = "The figures are in the table above."
FIGURES_UNDER = "The figures are in the table under the chart and on the workbook's {sheet} sheet."
FIGURES_ON_SHEET = "The figures are on the workbook's {sheet} sheet and under the chart in the HTML pack."


@dataclass(frozen=True)
class Chart:
    title: str
    caption: str                            # source and latest month
    png: Path                               # the PDF's and the HTML's
    alt: str                                # alternative text: the title, span, hidden counts (and FIGURES_ABOVE)
    figures: Table | None = None            # its figures, under the chart in the HTML, where no table above has them
    sheet: str = ""                         # the workbook's sheet holding them too (a chart with `figures`)

    def described(self, figures_under: bool) -> str:
        """The alternative text, ending with where the figures are: the HTML pack shows them in a table under the
        chart (`figures_under`); the PDF leaves them to the workbook and the HTML (a page of them a chart in print,
        and a third of the time Typst takes to write the PDF)."""
        if self.figures is None:
            return self.alt
        return f"{self.alt} {(FIGURES_UNDER if figures_under else FIGURES_ON_SHEET).format(sheet=self.sheet)}"


@dataclass
class MeasureSection:
    measure: Measure
    anchor: str
    findings: list[str]
    table: Table | None
    charts: list[Chart]


@dataclass
class AimSection:
    anchor: str
    title: str
    intro: str
    summaries: list[Table]                  # every measure of the aim in the scope's area
    measures: list[MeasureSection]


@dataclass
class KeyFindings:
    title: str                              # the group: an aim, or the overview
    sentences: list[str]


@dataclass
class Pack:
    title: str
    scope: Scope
    marking: str
    periods: list[str]                      # each source's comparison, in words, with its latest month
    produced: str                           # run, time and data version
    summary_line: str                       # how the headline measures went
    key_findings: list[KeyFindings]
    sections: list[AimSection]
    methods_markdown: str
    quality: list[Table]
    quality_notes: list[str]
    produced_at: dt.datetime
    sample_line: str = ""                   # figures from generated sample data: said on the cover, first

    @property
    def scope_line(self) -> str:
        """Who the pack is for, and for a district's its comparator: the cover's first line (HTML and PDF)."""
        scope = "" if self.scope.is_county else f": {self.scope.area_name}, with {self.scope.county_name} as its comparator"
        return f"Assessment pack for the Community Safety Partnership Working Group{scope}."

    @property
    def handling(self) -> str:
        """How the pack may be handled: the cover's last line (HTML and PDF)."""
        return (f"{self.marking}: for the partnership's Working Group and the analysts who support it. Do not forward "
                "or publish; small numbers can identify people. The tables behind every figure are in the workbook "
                "published with this pack.")
