"""Assemble the pack (csp.publish.model.Pack) from its inputs: findings, tables and charts by aim."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from csp.config import REPO_ROOT
from csp.publish import charts, findings
from csp.publish import formats as fmt
from csp.publish.model import (COUNTY, AimSection, Chart, KeyFindings, Measure, MeasureSection, Pack, PackInputs,
                               MEASURE_COLUMNS, Scope, Stamp, Table)
from transforms.stats import MIN_TREND_MONTHS, seasonal_mann_kendall, seasonal_profile

METHODS = REPO_ROOT / "docs" / "methods.md"
# A seasonal profile needs two of each calendar month, and enough events that one more or less does
# not move a month's index by a tenth (10 a month on average).
SEASONAL_MIN_MONTHS = 24
SEASONAL_MIN_PER_MONTH = 10
OVERVIEW = "Overview"


def assemble(inputs: PackInputs, scope: Scope, stamp: Stamp, charts_dir: Path) -> Pack:
    charts_dir.mkdir(parents=True, exist_ok=True)
    measures = [Measure(**{c: (None if pd.isna(v) else v) for c, v in row.items()})
                for row in inputs.measures[list(MEASURE_COLUMNS)].to_dict("records")]
    by_id = {m.measure_id: m for m in measures}
    builder = _Builder(inputs, scope, stamp, charts_dir, by_id)
    groups = [(None, OVERVIEW)] + [(n, f"{n}. {title}") for n, title in sorted(inputs.aims.items())]
    sections, key_findings, headline_verdicts = [], [], []
    for aim, title in groups:
        in_aim = sorted((m for m in measures if m.aim == aim), key=lambda m: not m.headline)  # headline first
        if aim is None and not in_aim:
            continue
        section = AimSection(_anchor(title), title, _aim_intro(in_aim),
                             builder.aim_summary(title, in_aim), [builder.measure_section(m) for m in in_aim])
        sections.append(section)
        headline = [m for m in in_aim if m.headline and builder.row(m, scope.area_code) is not None]
        rows = {m.measure_id: builder.row(m, scope.area_code) for m in headline}
        headline_verdicts += [rows[m.measure_id]["verdict"] for m in headline]
        ordered = sorted(headline, key=lambda m: not findings.needs_attention(m, rows[m.measure_id]["verdict"]))
        if ordered:
            key_findings.append(KeyFindings(title, [findings.change_sentence(m, rows[m.measure_id]) for m in ordered]))
        elif aim is not None:
            key_findings.append(KeyFindings(title, ["No headline measure for this aim is available from the sources "
                                                    "loaded so far."]))
    attention = [m.name for m in measures if m.headline and builder.row(m, scope.area_code) is not None
                 and findings.needs_attention(m, builder.row(m, scope.area_code)["verdict"])]
    summary = findings.summary_line(headline_verdicts)
    if attention:
        summary += f" Significant changes in the direction that needs attention: {fmt.join_words(attention)}."
    return Pack(
        title=f"{scope.area_name} community safety strategic assessment",
        scope=scope,
        marking=stamp.marking,
        periods=builder.period_lines(),
        produced=stamp.words,
        summary_line=summary,
        key_findings=key_findings,
        sections=sections,
        methods_markdown=METHODS.read_text(encoding="utf-8"),
        quality=builder.quality_tables(),
        quality_notes=builder.quality_notes(),
        produced_at=stamp.run_at,
    )


def _anchor(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _aim_intro(measures: list[Measure]) -> str:
    if not measures:
        return "No measure for this aim is available from the sources loaded so far."
    names = fmt.join_words([m.name for m in measures])
    return f"Measures: {names}. Headline measures have charts."


class _Builder:
    """Findings, tables and charts for one scope (holds the inputs so each piece is a short method)."""

    def __init__(self, inputs: PackInputs, scope: Scope, stamp: Stamp, charts_dir: Path, measures: dict[str, Measure]):
        self.inputs, self.scope, self.stamp, self.charts_dir, self.measures = inputs, scope, stamp, charts_dir, measures
        self.comparisons = inputs.comparisons
        self.windows = inputs.windows.set_index("source")

    # --- rows ------------------------------------------------------------------------------
    def row(self, measure: Measure, area_code: str) -> pd.Series | None:
        match = self.comparisons[(self.comparisons["measure_id"] == measure.measure_id)
                                 & (self.comparisons["area_code"] == area_code)]
        return None if match.empty else match.iloc[0]

    def districts(self, measure: Measure) -> pd.DataFrame:
        return self.comparisons[(self.comparisons["measure_id"] == measure.measure_id)
                                & (self.comparisons["area_type"] == "district")].sort_values("area_name")

    def trend(self, measure: Measure, area_code: str) -> pd.DataFrame:
        t = self.inputs.trend
        return t[(t["measure_id"] == measure.measure_id) & (t["area_code"] == area_code)].sort_values("month")

    # --- sections --------------------------------------------------------------------------
    def measure_section(self, measure: Measure) -> MeasureSection:
        anchor = f"measure-{measure.measure_id}"
        area = self.row(measure, self.scope.area_code)
        if area is None:
            return MeasureSection(measure, anchor, [f"{measure.name}: no data for {self.scope.area_name}."], None, [])
        county = self.row(measure, COUNTY)
        districts = self.districts(measure)
        sentences = [findings.change_sentence(measure, area)]
        if not self.scope.is_county:
            sentences.append(findings.change_sentence(measure, county))
        if not districts.empty:
            if self.scope.is_county:
                sentences.append(findings.district_changes_sentence(districts.to_dict("records")))
            sentences.append(findings.district_rates_sentence(county, districts.to_dict("records")))
        charts_made: list[Chart] = []
        if measure.headline:
            trend_words, trend_chart = self.trend_finding(measure)
            seasonal_words, seasonal_chart = self.seasonal_finding(measure)
            sentences += [trend_words, seasonal_words]
            charts_made = [c for c in (trend_chart, self.change_chart(measure, area, districts),
                                       self.rate_chart(measure, county, districts), seasonal_chart) if c]
        return MeasureSection(measure, anchor, [s for s in sentences if s], self.measure_table(measure, county, districts),
                              charts_made)

    def trend_finding(self, measure: Measure) -> tuple[str, Chart | None]:
        trend = self.trend(measure, self.scope.area_code)
        with_data = trend.dropna(subset=["value"])
        if with_data.empty:
            return "", None
        span = f"{with_data['month'].min():%B %Y} – {with_data['month'].max():%B %Y}"
        months = pd.to_datetime(with_data["month"])
        direction, _, slope = seasonal_mann_kendall(with_data["value"].astype(float), months.dt.month)
        sentence = findings.trend_sentence(measure, self.scope.area_name, direction, slope, len(with_data), span)
        window = self.windows.loc[measure.source]
        current = (window["current_first"], window["current_last"]) if pd.notna(window["current_last"]) else None
        previous = (window["previous_first"], window["previous_last"]) if window["comparison_available"] else None
        title = f"{measure.name} in {self.scope.area_name}: monthly count and 12-month rolling total"
        png, svg = charts.trend_chart(self.charts_dir / f"{measure.measure_id}_trend", trend, title, span,
                                      self.stamp.marking, current, previous)
        return sentence, Chart(title, self.source_line(measure.source), png, svg)

    def seasonal_finding(self, measure: Measure) -> tuple[str, Chart | None]:
        trend = self.trend(measure, self.scope.area_code).dropna(subset=["value"])
        if len(trend) < SEASONAL_MIN_MONTHS or trend["value"].mean() < SEASONAL_MIN_PER_MONTH:
            return "", None
        span = f"{trend['month'].min():%B %Y} – {trend['month'].max():%B %Y}"
        profile = seasonal_profile(trend["value"].astype(float), pd.to_datetime(trend["month"]).dt.month)
        peaks = profile.loc[profile["is_peak"], "month_of_year"].tolist()
        sentence = findings.seasonality_sentence(measure, self.scope.area_name, peaks, profile["index"].max(), span)
        title = f"{measure.name} in {self.scope.area_name}: seasonal profile"
        png, svg = charts.seasonality_chart(self.charts_dir / f"{measure.measure_id}_seasonality", profile, title,
                                            f"Average of each calendar month against an average month, {span}",
                                            self.stamp.marking)
        return sentence, Chart(title, self.source_line(measure.source), png, svg)

    def change_chart(self, measure: Measure, area: pd.Series, districts: pd.DataFrame) -> Chart | None:
        if not self.scope.is_county or districts.empty or fmt.missing(area["previous_value"]):
            return None   # a district's own pack has one district; without a previous year there is no change
        title = f"{measure.name}: change by district"
        png, svg = charts.district_change_chart(self.charts_dir / f"{measure.measure_id}_district_change", districts,
                                                title, f"{area['current_period']} compared with {area['previous_period']}",
                                                self.stamp.marking)
        return Chart(title, self.source_line(measure.source), png, svg)

    def rate_chart(self, measure: Measure, county: pd.Series, districts: pd.DataFrame) -> Chart | None:
        if districts.empty or pd.isna(county["current_rate_per_1000"]):
            return None
        title = f"{measure.name} per 1,000 residents: districts against {county['area_name']}"
        png, svg = charts.rate_chart(self.charts_dir / f"{measure.measure_id}_district_rates", districts,
                                     county["area_name"], float(county["current_rate_per_1000"]), title,
                                     f"{county['current_period']}; 95% confidence intervals", self.stamp.marking)
        return Chart(title, self.source_line(measure.source), png, svg)

    # --- tables ----------------------------------------------------------------------------
    def measure_table(self, measure: Measure, county: pd.Series, districts: pd.DataFrame) -> Table:
        columns = ["Area", "Previous 12 months", "Latest 12 months", "Change", "% change", "Rate per 1,000",
                   "95% interval", f"Rate against {county['area_name']}", "Verdict"]
        rows = []
        for _, r in pd.concat([county.to_frame().T, districts]).iterrows():
            interval = ("–" if fmt.missing(r["current_rate_per_1000_lower"]) else
                        f"{fmt.rate(r['current_rate_per_1000_lower'])} to {fmt.rate(r['current_rate_per_1000_upper'])}")
            rows.append([r["area_name"], fmt.count(r["previous_value"]), fmt.count(r["current_value"]),
                         fmt.signed(r["change"]), fmt.signed(r["pct_change"], 1), fmt.rate(r["current_rate_per_1000"]),
                         interval, fmt.text(r["rate_vs_county"]), r["verdict"]])
        return Table(f"{measure.name}: {county['area_name']} and {'districts' if len(districts) > 1 else 'district'}",
                     columns, rows, [False, True, True, True, True, True, True, False, False],
                     [self.period_note(measure.source, county)])

    def aim_summary(self, title: str, measures: list[Measure]) -> Table | None:
        rows = []
        for m in measures:
            r = self.row(m, self.scope.area_code)
            if r is not None:
                rows.append([m.name, fmt.count(r["previous_value"]), fmt.count(r["current_value"]), fmt.signed(r["change"]),
                             fmt.signed(r["pct_change"], 1), fmt.rate(r["current_rate_per_1000"]), r["verdict"]])
        if not rows:
            return None
        notes = sorted({self.period_note(m.source, self.row(m, self.scope.area_code)) for m in measures
                        if self.row(m, self.scope.area_code) is not None})
        return Table(f"{title.split('. ', 1)[-1]}: every measure in {self.scope.area_name}",
                     ["Measure", "Previous 12 months", "Latest 12 months", "Change", "% change", "Rate per 1,000",
                      "Verdict"], rows, [False, True, True, True, True, True, False], notes)

    def period_note(self, source: str, row: pd.Series) -> str:
        window = self.windows.loc[source]
        data_to = f"{window['last_month_with_data']:%B %Y}" if pd.notna(window["last_month_with_data"]) else "no data"
        return (f"{window['source_title']}: latest 12 months {row['current_period']}, previous 12 months "
                f"{row['previous_period']}; data to {data_to}. Rates use ONS mid-{self.inputs.population_mid_year} "
                "population estimates.")

    def source_line(self, source: str) -> str:
        window = self.windows.loc[source]
        data_to = f"; data to {window['last_month_with_data']:%B %Y}" if pd.notna(window["last_month_with_data"]) else ""
        return f"Source: {window['source_title'].lower()}{data_to}."

    def period_lines(self) -> list[str]:
        """Each source the pack's measures come from: its comparison and latest month."""
        lines = []
        used = {m.source for m in self.measures.values()}
        for _, w in self.windows[self.windows.index.isin(used)].iterrows():
            data_to = f"{w['last_month_with_data']:%B %Y}" if pd.notna(w["last_month_with_data"]) else "no data yet"
            compared = (f"{w['current_period']} compared with {w['previous_period']}" if w["comparison_available"]
                        else f"{w['current_period']} ({w['comparison_status']})")
            lines.append(f"{w['source_title']}: {compared}; data to {data_to}")
        return lines

    # --- data-quality annex ----------------------------------------------------------------
    def quality_tables(self) -> list[Table]:
        titles = self.inputs.source_titles
        d = self.inputs.deliveries
        by_source = d.groupby("source", sort=True).agg(
            deliveries=("file_name", "size"), quarantined=("status", lambda s: int((s == "quarantined").sum())),
            received=("rows_received", "sum"), loaded=("rows_loaded", "sum"), rows_quarantined=("rows_quarantined", "sum"),
            first=("first_month", "min"), last=("last_month", "max")).reset_index()
        deliveries = Table(
            "Deliveries by source", ["Source", "Deliveries", "Deliveries quarantined", "Rows received", "Rows loaded",
                                     "Rows quarantined", "Months covered"],
            [[titles.get(r.source, r.source), fmt.count(r.deliveries), fmt.count(r.quarantined), fmt.count(r.received),
              fmt.count(r.loaded), fmt.count(r.rows_quarantined), _months(r.first, r.last)] for r in by_source.itertuples()],
            [False, True, True, True, True, True, False], ["Every delivery is listed in the workbook (Deliveries)."])
        flagged = d[(d["status"] == "quarantined") | (d["rows_quarantined"] > 0)]
        partial = Table(
            "Deliveries with rows or the whole file quarantined",
            ["Source", "File", "Status", "Rows received", "Rows loaded", "Rows quarantined", "Reason"],
            [[titles.get(r.source, r.source), r.file_name, r.status, fmt.count(r.rows_received), fmt.count(r.rows_loaded),
              fmt.count(r.rows_quarantined), fmt.text(r.reason)] for r in flagged.itertuples()],
            [False, False, False, True, True, True, False], [] if len(flagged) else ["Every delivery loaded in full."])
        q = self.inputs.quarantine
        quarantine = Table(
            "Rows quarantined, by reason", ["Source", "Reason", "Rows", "Deliveries", "Example"],
            [[titles.get(r.source, r.source), r.reject_code, fmt.count(r.rows), fmt.count(r.deliveries),
              fmt.text(r.example_reason)]
             for r in q.itertuples()], [False, False, True, True, False],
            [] if len(q) else ["No rows were quarantined."])
        g = self.inputs.gaps
        gaps = Table(
            "Gaps: months missing or incomplete", ["Source", "Months", "Number of months", "Districts with data"],
            [[titles.get(r.source, r.source), _months(r.first_month, r.last_month), fmt.count(r.months),
              _districts(r.fewest_districts, r.most_districts, r.districts_expected)] for r in g.itertuples()],
            [False, False, True, False],
            [] if len(g) else ["No gaps: no month inside any source's span of data is missing or incomplete."])
        coverage = Table(
            "Comparison windows", ["Source", "Latest 12 months", "Previous 12 months", "Data from", "Data to", "Status"],
            [[w.source_title, w.current_period, w.previous_period, _month(w.first_month_with_data),
              _month(w.last_month_with_data), w.comparison_status] for w in self.inputs.windows.itertuples()],
            [False] * 6)
        b = self.inputs.series_breaks
        breaks = Table(
            "Series breaks", ["Source", "Measure", "From", "What changed"],
            [[titles.get(r.source, r.source), r.measure_id, _month(r.break_month), r.description] for r in b.itertuples()],
            [False] * 4, [] if len(b) else ["No series break is recorded for the sources in this pack."])
        return [coverage, deliveries, partial, quarantine, gaps, breaks]

    def quality_notes(self) -> list[str]:
        d = self.inputs.deliveries
        notes = [f"{len(d)} deliveries: {int((d['status'] == 'loaded').sum())} loaded, "
                 f"{int((d['status'] == 'quarantined').sum())} quarantined. {fmt.count(d['rows_received'].sum())} rows "
                 f"received, {fmt.count(d['rows_loaded'].sum())} loaded and {fmt.count(d['rows_quarantined'].sum())} "
                 "quarantined with a reason."]
        no_place = int(d["rows_no_location"].sum() + d["rows_outside_area"].sum())
        if no_place:
            notes.append(f"Loaded rows with no location, or one outside the area: {fmt.count(no_place)}. They count in "
                         "the force total but in no district and not in the county.")
        return notes


def _month(value) -> str:
    return "–" if fmt.missing(value) else f"{pd.Timestamp(value):%B %Y}"


def _months(first, last) -> str:
    if fmt.missing(first):
        return "–"
    return _month(first) if pd.Timestamp(first) == pd.Timestamp(last) else f"{_month(first)} – {_month(last)}"


def _districts(fewest, most, expected) -> str:
    if most == 0:
        return "none"
    span = str(fewest) if fewest == most else f"{fewest}–{most}"
    return f"{span} of {expected}"
