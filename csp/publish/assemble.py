"""Assemble the pack (csp.publish.model.Pack) from its inputs: findings, tables and charts by aim."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from csp.config import REPO_ROOT
from csp.publish import chart_cache, charts, findings
from csp.publish import formats as fmt
from csp.publish.headings import HEADINGS as H
from csp.publish.model import (COUNTY, FIGURES_ABOVE, MEASURE_COLUMNS, ROLLING, YEAR_TO_DATE, AimSection, Chart,
                               KeyFindings, Measure, MeasureSection, Pack, PackInputs, Scope, Stamp, Table)
from csp.publish.quality import quality_notes, quality_tables
from csp.publish.quality_report import gap_lines
from csp.publish.restricted_tables import MONTHLY_SHEET, SEASONAL_SHEET

METHODS = REPO_ROOT / "docs" / "methods.md"


def assemble(inputs: PackInputs, scope: Scope, stamp: Stamp, charts_dir: Path, kept_charts: Path | None = None) -> Pack:
    """`kept_charts`: the chart cache's folder (csp.publish.chart_cache), or None to draw every chart."""
    charts_dir.mkdir(parents=True, exist_ok=True)
    measures = [Measure(**row) for row in inputs.measures[list(MEASURE_COLUMNS)].to_dict("records")]
    builder = _Builder(inputs, scope, stamp, charts_dir, kept_charts)
    sections, key_findings, tested = [], [], []
    for aim, aim_name in sorted(inputs.aims.items()):
        title = f"{aim}. {aim_name}"
        in_aim = sorted((m for m in measures if m.aim == aim), key=lambda m: not m.headline)  # headline first
        sections.append(AimSection(_anchor(title), title, _aim_intro(in_aim), builder.aim_summaries(title, in_aim),
                                   [builder.measure_section(m) for m in in_aim]))
        headline = [(m, row) for m in in_aim if m.headline and (row := builder.row(m, scope.area_code)) is not None]
        tested += [row for m, row in headline if not m.is_share]
        headline.sort(key=lambda pair: not _needs_attention(*pair))   # stable: then catalogue order
        key_findings.append(KeyFindings(title, [builder.headline_sentence(m, row) for m, row in headline] or [
            "No headline measure for this aim is available from the sources loaded so far."]))
    headline_rows = [(m, row) for m in measures if m.headline and (row := builder.row(m, scope.area_code)) is not None]
    attention = [m.name for m, row in headline_rows if _needs_attention(m, row)]
    # counted in the summary's significant changes but in neither direction a concern: said, not left a gap
    neutral = [m.name for m, row in headline_rows if not m.is_share and findings.neutral_change(m, row["verdict"])]
    summary = findings.summary_line(tested)
    if attention:
        summary += f" Significant changes in the direction that needs attention: {fmt.join_words(attention)}."
    if neutral:
        summary += (f" Not counted as needing attention, though significant: {fmt.join_words(neutral)} (for these, "
                    "more recorded may mean more reporting, not more harm).")
    if any(m.is_share for m, row in headline_rows):   # read beside the counts' verdicts, a share's move reads as one
        summary += (" The headline shares (a part of a whole, such as violent crime as a share of all crime) are given "
                    "with their 95% intervals and not tested for a change: a share can move because its other part did.")
    summary += "".join(f" {title}: the months compared come from more than one layout of the data (see Period); part "
                       "of a change may be the layout's, not a real change."
                       for title in builder.mixed_titles({m.source for m, row in headline_rows if not m.is_share}))
    return Pack(
        title=f"{scope.area_name} community safety strategic assessment",
        scope=scope,
        marking=stamp.marking,
        periods=builder.period_lines(measures),
        produced=stamp.words,
        summary_line=summary,
        key_findings=key_findings,
        sections=sections,
        methods_markdown=methods_note(METHODS.read_text(encoding="utf-8"), scope.county_name, inputs.neighbours),
        quality=quality_tables(inputs),
        quality_notes=quality_notes(inputs),
        produced_at=stamp.run_at,
        sample_line=sample_line(inputs.sample_sources, scope.area_name),
    )


def methods_note(markdown: str, county: str, neighbours: tuple[str, ...]) -> str:
    """The methods note (docs/methods.md) for this county: its names in braces filled in with the county's name and
    its neighbouring areas' (in the force area, outside the county: Medway for Kent), left out where it has none."""
    words = {"{county}": county, "{and_names}": "", "{and_neighbours}": "", "{neighbour_rows}": "",
             "{neighbour_rates}": ""}
    if neighbours:
        names = fmt.join_words(list(neighbours))
        one = len(neighbours) == 1
        rows, rates = (f"{names}'s rows", f"{names}'s rate is") if one else (f"the rows of {names}",
                                                                            f"The rates of {names} are")
        words |= {
            "{and_names}": f" and {names}",
            "{and_neighbours}": f" and {names} ({'a neighbouring area' if one else 'neighbouring areas'}, never "
                                f"added to {county})",
            "{neighbour_rows}": f": {rows} are in the county pack's table files (CSV and Parquet) and workbook, and in "
                                "the district marts' comparison tables",
            "{neighbour_rates}": f" {rates} compared in the same way, in the files named at the top of this note, not "
                                 "in the pack.",
        }
    for placeholder, text in words.items():
        markdown = markdown.replace(placeholder, text)
    return markdown


def sample_line(titles: tuple[str, ...], area: str) -> str:
    """What the cover (and the data-quality report) says first where figures come from generated sample data."""
    if not titles:
        return ""
    return (f"Sample data, not real: the figures of {fmt.join_words([fmt.in_sentence(t) for t in titles])} come from "
            f"extracts made up by csp synth to show how the pipeline works, not from partners, and are no evidence "
            f"about {area}.")


def _trend_figures(title: str, monthly: pd.DataFrame, counted: pd.DataFrame, quarterly: bool, rolling: bool,
                   notes: list[str]) -> Table:
    """A trend chart's counts (and rolling totals) as a table, for a reader who cannot see the chart. A
    quarter's count is dated at its first month and its rolling total at its last (as the chart draws them),
    so a quarter's row takes its rolling total from `monthly`'s row of its last month. `notes`: under the table."""
    at = monthly.set_index(pd.to_datetime(monthly["month"]))
    rows = []
    for _, r in counted.iterrows():
        month = pd.Timestamp(r["month"])
        last = month + pd.DateOffset(months=2) if quarterly else month
        when = f"{month:%B} – {last:%B %Y}" if quarterly else f"{month:%B %Y}"
        row = [when, "hidden" if fmt.withheld(r, "value") else fmt.count(r["value"])]
        if rolling:
            total = at.loc[last] if last in at.index else pd.Series(dtype=object)
            row.append("hidden" if fmt.withheld(total, "rolling_12m") else fmt.count(total.get("rolling_12m")))
        rows.append(row)
    columns = ["Quarter" if quarterly else "Month", "Count"] + (["12-month rolling total"] if rolling else [])
    return Table(f"{title}: the figures", columns, rows, [False, True, True][:len(columns)], notes)


def _rolling_within_breaks(monthly: pd.DataFrame, breaks: list[pd.Timestamp]) -> tuple[pd.DataFrame, bool]:
    """`monthly` (one series) with no rolling total where its 12 months run across a series break (`breaks`: each
    break's first month recorded the new way; the totals ending in it to 11 months after it), and whether it
    blanked any: drawn across the break, the line showed a rise or fall beside a verdict of 'not comparable'."""
    months = pd.to_datetime(monthly["month"])
    straddling = pd.Series(False, index=monthly.index)
    for start in breaks:
        straddling |= (months >= start) & (months < start + pd.DateOffset(months=11))
    straddling &= monthly["rolling_12m"].notna()
    return monthly.assign(rolling_12m=monthly["rolling_12m"].mask(straddling)), bool(straddling.any())


def _seasonal_figures(title: str, profile: pd.DataFrame, peaks: list[int]) -> Table:
    """A seasonal profile chart's figures as a table: each month's average count and its index, the peaks named."""
    rows = [[r.month_name, fmt.count(r.mean_value), "–" if fmt.missing(r.seasonal_index)
             else fmt.fixed(r.seasonal_index, 2) + (" (peak)" if r.month_of_year in peaks else "")]
            for r in profile.itertuples()]
    return Table(f"{title}: the figures", ["Month", "Average count", "Against an average month"], rows,
                 [False, True, True])


def _first_positions(frame: pd.DataFrame) -> dict[tuple, int]:
    """(measure, area, comparison) -> the position of its first row."""
    keys = zip(frame["measure_id"], frame["area_code"], frame["comparison_type"])
    positions: dict[tuple, int] = {}
    for position, key in enumerate(keys):
        positions.setdefault(key, position)
    return positions


def _rolling_districts(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["area_type"] == "district") & (frame["comparison_type"] == ROLLING)]


def _by_measure(frame: pd.DataFrame, order: str | None = None) -> dict[str, pd.DataFrame]:
    """The frame's rows by measure (in the frame's order, or sorted by column `order`)."""
    return {m: g.sort_values(order) if order else g for m, g in frame.groupby("measure_id", sort=False)}


def _needs_attention(measure: Measure, row: pd.Series) -> bool:
    return not measure.is_share and findings.needs_attention(measure, row["verdict"])


def _anchor(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _aim_intro(measures: list[Measure]) -> str:
    if not measures:
        return "No measure for this aim is available from the sources loaded so far."
    return f"Measures: {fmt.join_words([m.name for m in measures])}. Headline measures come first and have charts."


class _Builder:
    """Findings, tables and charts for one scope (holds the inputs so each piece is a short method)."""

    def __init__(self, inputs: PackInputs, scope: Scope, stamp: Stamp, charts_dir: Path, kept_charts: Path | None):
        self.inputs, self.scope, self.stamp, self.charts_dir, self.kept_charts = inputs, scope, stamp, charts_dir, kept_charts
        self.windows = inputs.windows.set_index("source")
        # each table's rows found by their keys once, not filtered again for every sentence and table
        self._positions = {table: _first_positions(getattr(inputs, table)) for table in ("comparisons", "shares")}
        self._districts = {table: _by_measure(_rolling_districts(getattr(inputs, table)), "area_name")
                           for table in ("comparisons", "shares")}
        self._in_area: dict[str, dict[str, pd.DataFrame]] = {}

    # --- rows ------------------------------------------------------------------------------
    @staticmethod
    def _table(measure: Measure) -> str:
        return "shares" if measure.is_share else "comparisons"

    def row(self, measure: Measure, area_code: str, comparison: str = ROLLING) -> pd.Series | None:
        """The measure's first row for the area and comparison, if any."""
        table = self._table(measure)
        position = self._positions[table].get((measure.measure_id, area_code, comparison))
        return None if position is None else getattr(self.inputs, table).iloc[position]

    def districts(self, measure: Measure) -> pd.DataFrame:
        """The measure's rolling 12 months in each district, by name."""
        return self._measure_rows(self._districts, self._table(measure), measure)

    def _of(self, table: str, measure: Measure) -> pd.DataFrame:
        """The rows of input `table` (trends, profiles, monthly) for the measure in the scope's area."""
        if table not in self._in_area:
            frame = getattr(self.inputs, table)
            self._in_area[table] = _by_measure(frame[frame["area_code"] == self.scope.area_code])
        return self._measure_rows(self._in_area, table, measure)

    def _measure_rows(self, grouped: dict[str, dict[str, pd.DataFrame]], table: str, measure: Measure) -> pd.DataFrame:
        """The measure's group of input `table`'s rows in `grouped`; none (its columns) if it has none."""
        found = grouped[table].get(measure.measure_id)
        return found if found is not None else getattr(self.inputs, table).iloc[:0]

    def headline_sentence(self, measure: Measure, row: pd.Series) -> str:
        return findings.share_sentence(measure, row) if measure.is_share else findings.change_sentence(measure, row)

    # --- sections --------------------------------------------------------------------------
    def measure_section(self, measure: Measure) -> MeasureSection:
        anchor = f"measure-{measure.measure_id}"
        area, county = self.row(measure, self.scope.area_code), self.row(measure, COUNTY)
        if area is None:
            return MeasureSection(measure, anchor, [f"{measure.name}: no data for {self.scope.area_name}."], None, [])
        districts = self.districts(measure)
        if measure.is_share:
            return self.share_section(measure, anchor, area, county, districts)
        sentences = [findings.change_sentence(measure, area)]
        if not self.scope.is_county:
            sentences.append(findings.change_sentence(measure, county))
        if not districts.empty:
            if self.scope.is_county:
                sentences.append(findings.district_changes_sentence(districts.to_dict("records")))
            rates = findings.district_comparison_sentence(county, districts.to_dict("records"), what="rate")
            sentences.append(rates)
            if rates and not fmt.missing(measure.rate_note):
                sentences.append(measure.rate_note)
        made: list[Chart | None] = []
        if measure.headline:
            year_to_date = self.row(measure, self.scope.area_code, YEAR_TO_DATE)
            # none yet (no month of the financial year has data), or hidden by a district's mart (said so)
            if year_to_date is not None and (not fmt.missing(year_to_date["current_value"])
                                             or fmt.withheld(year_to_date, "current_value")):
                sentences.append(f"Financial year to date: {findings.change_sentence(measure, year_to_date)}")
            sentences.append(self.trend_sentence(measure))
            made = [self.trend_chart(measure), self.change_chart(measure, area, districts),
                    self.rate_chart(measure, county, districts)]
        seasonal_words, seasonal_chart = self.seasonal(measure) if measure.seasonality else ("", None)
        sentences.append(seasonal_words)
        made.append(seasonal_chart if measure.headline else None)
        return MeasureSection(measure, anchor, [s for s in sentences if s], self.measure_table(measure, county, districts),
                              [c for c in made if c])

    def share_section(self, measure: Measure, anchor: str, area: pd.Series, county: pd.Series,
                      districts: pd.DataFrame) -> MeasureSection:
        sentences = [findings.share_sentence(measure, area)]
        if not self.scope.is_county:
            sentences.append(findings.share_sentence(measure, county))
        if not districts.empty:
            sentences.append(findings.district_comparison_sentence(county, districts.to_dict("records"), what="share"))
        chart = self.share_chart(measure, county, districts) if measure.headline else None
        return MeasureSection(measure, anchor, [s for s in sentences if s], self.share_table(measure, county, districts),
                              [chart] if chart else [])

    def trend_sentence(self, measure: Measure) -> str:
        trend = self._of("trends", measure)
        if not trend.empty and fmt.withheld(trend.iloc[0], "direction"):   # a district's pack (caveat 42)
            return findings.withheld_sentence("longer-term trend", measure, self.scope.area_name)
        if trend.empty or fmt.missing(trend["direction"].iloc[0]):
            return ""
        t = trend.iloc[0]
        monthly = self._of("monthly", measure)
        period_months = int(monthly["period_months"].max()) if not monthly.empty else 1
        sentence = findings.trend_sentence(measure, self.scope.area_name, t["direction"], t["slope_per_year"],
                                           int(t["months_used"]), t["trend_period"], period_months)
        if not fmt.missing(t["series_break"]):
            sentence = sentence[:-1] + f" ({t['series_break']})."
        if not fmt.missing(t["trend_layouts"]) and t["direction"] != findings.TOO_SHORT_TO_SAY:
            sentence += f" Its months come from {t['trend_layouts']}."
        return sentence

    def seasonal(self, measure: Measure) -> tuple[str, Chart | None]:
        profile = self._of("profiles", measure).sort_values("month_of_year")
        if not profile.empty and fmt.withheld(profile.iloc[0], "seasonal_index"):   # a district's pack (caveat 61)
            return findings.withheld_sentence("seasonal profile", measure, self.scope.area_name), None
        if profile.empty or profile["seasonal_index"].isna().all():
            return "", None
        span = profile["profile_period"].iloc[0]
        peaks = profile.loc[profile["is_peak"].fillna(False).astype(bool), "month_of_year"].tolist()
        sentence = findings.seasonality_sentence(measure, self.scope.area_name, peaks, profile["seasonal_index"].max(),
                                                 span)
        title = f"{measure.name} in {self.scope.area_name}: seasonal profile"
        png = self.chart(charts.seasonality_figure, (profile,), f"{measure.measure_id}_seasonality", title,
                         f"Average of each calendar month against an average month, {span}")
        return sentence, Chart(title, self.source_line(measure.source), png,
                               f"{title}, {span}.", _seasonal_figures(title, profile, peaks), SEASONAL_SHEET)

    # --- charts ----------------------------------------------------------------------------
    def chart(self, figure, args: tuple, name: str, title: str, subtitle: str) -> Path:
        """figure(*args) saved as the chart `name`, or copied from the kept charts if drawn before."""
        return chart_cache.draw(self.kept_charts, figure, args, self.charts_dir / name, title, subtitle,
                                self.stamp.marking)

    def trend_chart(self, measure: Measure) -> Chart | None:
        breaks = self.break_months(measure)
        monthly, straddling = _rolling_within_breaks(self._of("monthly", measure).sort_values("month"), breaks)
        with_data = monthly.dropna(subset=["value"])
        if with_data.empty or not (with_data["value"] > 0).any():
            return None   # nothing recorded: the sentences say so
        period_months = int(monthly["period_months"].max())   # a value is dated at its period's first month
        quarterly = period_months == 3
        # the span of the months with a count, shown or hidden by the district's mart
        counted = monthly[monthly["value"].notna() | fmt.withheld_rows(monthly, "value")]
        last = counted["month"].max() + pd.DateOffset(months=period_months - 1)
        first = counted["month"].min()
        span = f"{last:%B %Y}" if first == last else f"{first:%B %Y} – {last:%B %Y}"
        window = self.windows.loc[measure.source]
        current = (window["current_first"], window["current_last"]) if pd.notna(window["current_last"]) else None
        previous = (window["previous_first"], window["previous_last"]) if window["comparison_available"] else None
        rolling = " and 12-month rolling total" if monthly["rolling_12m"].notna().any() else ""   # none: not drawn
        title = f"{measure.name} in {self.scope.area_name}: {'quarterly' if quarterly else 'monthly'} count{rolling}"
        png = self.chart(charts.trend_figure, (monthly, current, previous, tuple(breaks)), f"{measure.measure_id}_trend",
                         title, span)
        hidden = int(fmt.withheld_rows(counted, "value").sum())
        said = f" {hidden} of {len(counted)} counts hidden by disclosure control." if hidden else ""
        if straddling:
            said += (" No 12-month rolling total is given where its 12 months run across a series break: it would add "
                     "months recorded before the break to months recorded after it.")
        figures = _trend_figures(title, monthly, counted, quarterly, bool(rolling),
                                 self.break_notes(measure, first, last))
        return Chart(title, self.source_line(measure.source), png, f"{title}, {span}.{said}", figures, MONTHLY_SHEET)

    def change_chart(self, measure: Measure, area: pd.Series, districts: pd.DataFrame) -> Chart | None:
        if not self.scope.is_county or districts.empty or districts["verdict"].isin(findings.NOT_TESTED).all():
            return None   # one district; or no district with enough to test (the table shows them)
        title = f"{measure.name}: change by district"
        period = f"{area['current_period']} compared with {area['previous_period']}"
        png = self.chart(charts.district_change_figure, (districts,), f"{measure.measure_id}_district_change", title,
                         period)
        return Chart(title, self.source_line(measure.source), png, f"{title}, {period}. {FIGURES_ABOVE}")

    def rate_chart(self, measure: Measure, county: pd.Series, districts: pd.DataFrame) -> Chart | None:
        rate = county["current_rate_per_1000"]
        if not self.scope.is_county or districts.empty or fmt.missing(rate) or rate <= 0:
            return None   # a district's pack: one bar against the county says no more than its sentence
        title = f"{measure.name} per 1,000 residents: districts against {county['area_name']}"
        areas = districts.rename(columns={"current_rate_per_1000": "value", "current_rate_lower": "lower",
                                          "current_rate_upper": "upper", "rate_vs_county": "against"})
        png = self.chart(charts.interval_figure, (areas, f"{county['area_name']} {fmt.rate(rate)}", float(rate),
                                                  "Rate per 1,000 residents (95% confidence interval)"),
                         f"{measure.measure_id}_district_rates", title, county["current_period"])
        return Chart(title, self.source_line(measure.source), png,
                     f"{title}, {county['current_period']}. {FIGURES_ABOVE}")

    def share_chart(self, measure: Measure, county: pd.Series, districts: pd.DataFrame) -> Chart | None:
        share = county["current_share"]
        if not self.scope.is_county or districts.empty or fmt.missing(share) or share <= 0:
            return None   # a district's pack: one bar against the county says no more than its sentence
        title = f"{measure.name}: districts against {county['area_name']}"
        areas = districts.rename(columns={"share_vs_county": "against"}).assign(
            value=100 * districts["current_share"], lower=100 * districts["current_share_lower"],
            upper=100 * districts["current_share_upper"])
        png = self.chart(charts.interval_figure, (areas, f"{county['area_name']} {fmt.share(share)}", 100 * float(share),
                                                  "Share, % (95% confidence interval)"),
                         f"{measure.measure_id}_district_shares", title, county["current_period"])
        return Chart(title, self.source_line(measure.source), png,
                     f"{title}, {county['current_period']}. {FIGURES_ABOVE}")

    # --- tables ----------------------------------------------------------------------------
    def measure_table(self, measure: Measure, county: pd.Series, districts: pd.DataFrame) -> Table:
        rows = []
        for _, r in pd.concat([county.to_frame().T, districts]).iterrows():
            interval = ("–" if fmt.missing(r["current_rate_lower"]) else
                        f"{fmt.rate(r['current_rate_lower'])} to {fmt.rate(r['current_rate_upper'])}")
            rows.append([r["area_name"], fmt.count(r["previous_value"]), fmt.count(r["current_value"]),
                         *_changes(r, ("change", None), ("pct_change", 1)), fmt.rate(r["current_rate_per_1000"]),
                         interval, fmt.text(r["rate_vs_county"]), _verdict_cell(r)])
        return Table(self._areas_title(measure, county, districts),
                     [H["area_name"], "Previous 12 months", "Latest 12 months", H["change"], H["pct_change"],
                      "Rate per 1,000", "95% interval", f"Rate against {county['area_name']}", H["verdict"]],
                     rows, [False, True, True, True, True, True, True, False, False],
                     [self.period_note(measure.source, county), *_fractions_note(measure, [county, *(r for _, r in districts.iterrows())])])

    def share_table(self, measure: Measure, county: pd.Series, districts: pd.DataFrame) -> Table:
        rows = [[r["area_name"], fmt.share(r["previous_share"]), fmt.share(r["current_share"]),
                 "–" if fmt.missing(r["current_share_lower"])
                 else f"{fmt.share(r['current_share_lower'])} to {fmt.share(r['current_share_upper'])}",
                 *_changes(r, ("change_points", 1)), fmt.text(r["share_vs_county"])]
                for _, r in pd.concat([county.to_frame().T, districts]).iterrows()]
        return Table(self._areas_title(measure, county, districts),
                     [H["area_name"], "Previous 12 months", "Latest 12 months", "95% interval", "Change (points)",
                      f"Share against {county['area_name']}"],
                     rows, [False, True, True, True, True, False],
                     [self.period_note(measure.source, county, rates=False),
                      "Shares have no change test: a change in percentage points is not evidence of a change."])

    def _areas_title(self, measure: Measure, county: pd.Series, districts: pd.DataFrame) -> str:
        return f"{measure.name}: {county['area_name']} and {'districts' if len(districts) > 1 else 'district'}"

    def aim_summaries(self, title: str, measures: list[Measure]) -> list[Table]:
        """Every measure of the aim in the scope's area: counts and rates, then shares."""
        aim = title.split(". ", 1)[-1]
        counts = [(m, r) for m in measures if not m.is_share and (r := self.row(m, self.scope.area_code)) is not None]
        shares = [(m, r) for m in measures if m.is_share and (r := self.row(m, self.scope.area_code)) is not None]
        tables = []
        if counts:
            tables.append(Table(
                f"{aim}: every measure in {self.scope.area_name}",
                [H["measure_name"], "Previous 12 months", "Latest 12 months", H["change"], H["pct_change"],
                 "Rate per 1,000", H["verdict"]],
                [[m.name, fmt.count(r["previous_value"]), fmt.count(r["current_value"]),
                  *_changes(r, ("change", None), ("pct_change", 1)), fmt.rate(r["current_rate_per_1000"]),
                  _verdict_cell(r)] for m, r in counts],
                [False, True, True, True, True, True, False],
                [*sorted({self.period_note(m.source, r) for m, r in counts}),
                 *(note for m, r in counts for note in _fractions_note(m, [r]))]))
        if shares:
            tables.append(Table(
                f"{aim}: shares in {self.scope.area_name}",
                [H["measure_name"], "Previous 12 months", "Latest 12 months", "95% interval", "Change (points)"],
                [[m.name, fmt.share(r["previous_share"]), fmt.share(r["current_share"]),
                  "–" if fmt.missing(r["current_share_lower"])
                  else f"{fmt.share(r['current_share_lower'])} to {fmt.share(r['current_share_upper'])}",
                  *_changes(r, ("change_points", 1))] for m, r in shares],
                [False, True, True, True, True],
                sorted({self.period_note(m.source, r, rates=False) for m, r in shares})))
        return tables

    # --- periods ---------------------------------------------------------------------------
    def period_note(self, source: str, row: pd.Series, rates: bool = True) -> str:
        window = self.windows.loc[source]
        if fmt.missing(row["current_period"]):
            return f"{window['source_title']}: no data has been loaded."
        data_to = fmt.text(window["data_to"]) or "no data"
        rates_note = f" {self.inputs.rates_words()}" if rates and self.inputs.rates_words() else ""
        rounded = f" {self.inputs.rounded[source]}" if source in self.inputs.rounded else ""
        mixed = fmt.mixed_forms(window)
        layouts = f" {mixed[:1].upper()}{mixed[1:]}." if mixed else ""
        return (f"{window['source_title']}: latest 12 months {row['current_period']}, previous 12 months "
                f"{row['previous_period']}; data to {data_to}.{layouts}{rates_note}{rounded}")

    def mixed_titles(self, sources: set[str]) -> list[str]:
        """The titles of those of `sources` whose months compared came in more than one layout."""
        return [w["source_title"] for source, w in self.windows.iterrows() if source in sources and fmt.mixed_forms(w)]

    def break_months(self, measure: Measure) -> list[pd.Timestamp]:
        """The first month recorded the new way of each series break of the measure."""
        return sorted(pd.to_datetime(self.breaks_of(measure)["from_month"]).tolist())

    def breaks_of(self, measure: Measure) -> pd.DataFrame:
        """The series breaks of the measure: its own, and its source's."""
        b = self.inputs.series_breaks
        return b[(b["source"] == measure.source) & (b["measure_id"].isna() | (b["measure_id"] == measure.measure_id))]

    def break_notes(self, measure: Measure, first: pd.Timestamp, last: pd.Timestamp) -> list[str]:
        """Each series break of the measure inside first – last, for a table of its counts: the chart draws it as a
        line, and the counts before it (KSI's whole numbers beside later fractions) are of another kind."""
        return [f"Series break from {month:%B %Y}: {row['description']}. The counts before it are not comparable with "
                "those from it." for row in self.breaks_of(measure).sort_values("from_month").to_dict("records")
                if first < (month := pd.Timestamp(row["from_month"])) <= last]

    def source_line(self, source: str) -> str:
        return fmt.source_note(self.windows.loc[source]) + "."

    def period_lines(self, measures: list[Measure]) -> list[str]:
        """Each source the pack's measures come from: its comparison and latest month."""
        lines, gaps = [], gap_lines(self.inputs.gaps_compared)
        used = {m.source for m in measures}
        for _, w in self.windows[self.windows.index.isin(used)].iterrows():
            if fmt.missing(w["last_month_with_data"]):
                lines.append(f"{w['source_title']}: no data has been loaded")
                continue
            compared = (f"{w['current_period']} compared with {w['previous_period']}" if w["comparison_available"]
                        else f"{w['current_period']} ({w['comparison_status']})" if not fmt.missing(w["current_period"])
                        else str(w["comparison_status"]))   # no complete month: no period to name
            # data older than the source's contract expects by the run date: said with its lag
            latest = w["overdue"] if not fmt.missing(w.get("overdue")) else f"data to {w['data_to']}"
            lines.append(f"{w['source_title']}: {compared}; {latest}")
            # the months compared came in more than one layout: said beside the periods, as a line of its own
            if mixed := fmt.mixed_forms(w):
                lines.append(f"{w['source_title']}: {mixed}")
            # months missing inside the months compared (for some districts, counted as none): said there too
            if missing := gaps.get(w.name):
                lines.append(missing)
        return lines


def _verdict_cell(row: pd.Series) -> str:
    """The verdict; where a district's pack has none, "suppressed" with its counts, or "withheld" beside counts it
    shows (hospital counts, rounded: the test would be of the true counts), as change_sentence says of them."""
    if not fmt.missing(row["verdict"]):
        return fmt.text(row["verdict"])
    return findings.SUPPRESSED if fmt.missing(row["current_value"]) else findings.WITHHELD


def _changes(row: pd.Series, *columns: tuple[str, int | None]) -> list[str]:
    """The row's changes, signed to their decimals; '–' across a series break, where the verdict says the two
    periods are not comparable and a printed change ('−6.0%') would be quoted as one all the same."""
    if not fmt.missing(row["series_break"]):
        return ["–"] * len(columns)
    return [fmt.signed(row[column], decimals) for column, decimals in columns]


def _fractions_note(measure: Measure, rows: list[pd.Series]) -> list[str]:
    """Why a measure summed from fractions (killed or seriously injured, from the Department for Transport's
    adjusted severities) shows decimals, and why its change can differ by 0.1 from the difference of the two
    counts shown: said where one of its counts is not whole."""
    values = [r[c] for r in rows for c in ("current_value", "previous_value") if not fmt.missing(r[c])]
    if all(float(v).is_integer() for v in values):
        return []
    return [f"{measure.name}: a sum of fractions, not a whole number (the Department for Transport's adjusted "
            "severities count each casualty by the probability that it was killed or seriously injured); a change is "
            "worked out before rounding, so it can differ by 0.1 from the difference of the counts shown."]
