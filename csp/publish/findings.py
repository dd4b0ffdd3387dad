"""The pack's findings: plain-English sentences generated from the numbers and the verdicts.

A sentence never claims more than its verdict: "no significant change" is written as "remained at
a similar level", whatever the raw difference; a missing previous year, a series break or too few
events say so instead of describing a change. Every sentence names its period. Sentences open with
the measure's catalogue name ("Shoplifting in Kent ..."), so the catalogue needs no extra wording.
"""
from __future__ import annotations

import calendar
from collections.abc import Mapping

from csp.publish import formats as fmt
from csp.publish.model import COMPARISON_NOT_AVAILABLE, Measure
from transforms.measure_stats import NOT_AVAILABLE, NOT_COMPARABLE
from transforms.stats import (FALLING, MIN_TREND_MONTHS, NO_CLEAR_TREND, NO_SIGNIFICANT_CHANGE, RISING,
                              SIGNIFICANT_DECREASE, SIGNIFICANT_INCREASE, SIGNIFICANTLY_HIGHER, SIGNIFICANTLY_LOWER,
                              SIMILAR, TOO_FEW_TO_SAY, TOO_SHORT_TO_SAY)

# Below this peak index (1.0 = an average month) the profile is described as having little seasonal pattern.
SEASONAL_PEAK_INDEX = 1.05

# Verdicts given without a test: nothing to say about a change.
NOT_TESTED = (TOO_FEW_TO_SAY, NOT_COMPARABLE, NOT_AVAILABLE)

# What a district's pack says of a number its mart withholds (disclosure control: the verdict is blank
# wherever a count it comes from is hidden or rounded).
SUPPRESSED = "suppressed"
# a comparison a district's pack does not give beside counts it shows (rounded hospital counts)
WITHHELD = "withheld"


def change_sentence(measure: Measure, row: Mapping) -> str:
    """A period against the same period a year earlier in one area (a comparisons row: the rolling
    12 months, or the financial year to date)."""
    subject = f"{measure.name} in {row['area_name']}"
    against = (f"{fmt.count(row['current_value'])} in {row['current_period']} against "
               f"{fmt.count(row['previous_value'])} in {row['previous_period']}")
    verdict = row["verdict"]
    if fmt.missing(verdict):
        if fmt.missing(row["current_value"]):
            return (f"{subject} in {row['current_period']}: {SUPPRESSED}; the comparison with {row['previous_period']} "
                    f"is {SUPPRESSED} (disclosure control).")
        # shown, perhaps rounded (hospital data), with a count of either period hidden or rounded: not "suppressed"
        return (f"{subject} in {row['current_period']}: {fmt.count(row['current_value'])}; the comparison with "
                f"{row['previous_period']} is {WITHHELD} (disclosure control: it would be worked out from counts "
                "hidden or rounded here).")
    if verdict in (SIGNIFICANT_INCREASE, SIGNIFICANT_DECREASE):
        direction = "increased" if verdict == SIGNIFICANT_INCREASE else "decreased"
        by = "" if fmt.missing(row["pct_change"]) else f" by {fmt.percent(row['pct_change'])}"
        return f"{subject} {direction}{by} when compared with the previous year: {against}."
    if verdict == NO_SIGNIFICANT_CHANGE:
        return (f"{subject} remained at a similar level when compared with the previous year: {against}, "
                "a difference within what chance alone would produce.")
    if verdict == TOO_FEW_TO_SAY:
        return f"{subject}: too few to say whether there was a change ({against})."
    level = f"{subject} in {row['current_period']}: {fmt.count(row['current_value'])}."
    if verdict == NOT_COMPARABLE:
        return f"{level} Not comparable with {row['previous_period']} because of {_series_break(row['series_break'])}."
    if verdict == NOT_AVAILABLE and comparison_only_missing(row):
        reason = str(row["status"]).removeprefix(COMPARISON_NOT_AVAILABLE).lstrip(": ")
        return f"{level} Comparison not available: {reason}."
    if verdict == NOT_AVAILABLE:
        return f"{subject}: not available ({str(row['status']).removeprefix(NOT_AVAILABLE).lstrip(': ')})."
    raise ValueError(f"unknown verdict {verdict!r} for {measure.measure_id} in {row['area_name']}")


def comparison_only_missing(row: Mapping) -> bool:
    """The latest 12 months are there; only the previous 12 are not."""
    return str(row["status"]).startswith(COMPARISON_NOT_AVAILABLE)


def outcome(row: Mapping) -> str:
    """The row's verdict, telling "comparison not available" (the latest 12 months are there) apart
    from "not available" (nothing is); a withheld verdict is "suppressed"."""
    if fmt.missing(row["verdict"]):
        return SUPPRESSED
    return COMPARISON_NOT_AVAILABLE if row["verdict"] == NOT_AVAILABLE and comparison_only_missing(row) else row["verdict"]


def district_changes_sentence(districts: list[Mapping]) -> str:
    """How the districts' own changes went, naming those that changed significantly."""
    verdicts = [outcome(d) for d in districts]
    if all(v in (NOT_AVAILABLE, COMPARISON_NOT_AVAILABLE, NOT_COMPARABLE) for v in verdicts):
        return "No district can be compared with its previous 12 months."
    rising = [f"{d['area_name']} ({fmt.percent(d['pct_change'])})" if not fmt.missing(d["pct_change"])
              else d["area_name"] for d in districts if d["verdict"] == SIGNIFICANT_INCREASE]
    falling = [f"{d['area_name']} ({fmt.percent(d['pct_change'])})" for d in districts
               if d["verdict"] == SIGNIFICANT_DECREASE]
    changed = []
    if rising:
        changed.append(f"increased significantly in {fmt.join_words(rising)}")
    if falling:
        changed.append(f"decreased significantly in {fmt.join_words(falling)}")
    rest = _tally(verdicts, skip=(SIGNIFICANT_INCREASE, SIGNIFICANT_DECREASE))
    if not changed:
        return f"No district changed significantly ({rest})."
    others = f"; of the other districts, {rest}" if rest else ""
    return f"By district: {' and '.join(changed)}{others}."


# how a number of measures or districts with one verdict is counted in a sentence
_COUNTED = {SIGNIFICANT_INCREASE: "{n} increased significantly", SIGNIFICANT_DECREASE: "{n} decreased significantly",
            NO_SIGNIFICANT_CHANGE: "{n} remained at a similar level", TOO_FEW_TO_SAY: "{n} had too few to say",
            NOT_COMPARABLE: "{n} {was} not comparable (series break)",
            COMPARISON_NOT_AVAILABLE: "{n} had no comparison available", NOT_AVAILABLE: "{n} {was} not available",
            SUPPRESSED: "{n} {was} suppressed (disclosure control)"}


def _tally(verdicts: list[str], skip: tuple[str, ...] = ()) -> str:
    """['no significant change', 'too few to say', 'too few to say'] -> '1 remained ... and 2 had too few to say'."""
    counts = {v: verdicts.count(v) for v in _COUNTED if v not in skip and verdicts.count(v)}
    return fmt.join_words([_COUNTED[v].format(n=n, was="was" if n == 1 else "were") for v, n in counts.items()])


def share_sentence(measure: Measure, row: Mapping) -> str:
    """A share in one area (a shares row): its level and interval, and the year before. Shares have
    no change test, so no change is described."""
    subject = f"{measure.name} in {row['area_name']}"
    if fmt.withheld(row, "current_share"):
        return f"{subject} in {row['current_period']}: {SUPPRESSED} (disclosure control)."
    if fmt.missing(row["current_share"]):
        return f"{subject}: not available ({str(row['status']).removeprefix(NOT_AVAILABLE).lstrip(': ')})."
    level = (f"{subject}: {fmt.share(row['current_share'])} in {row['current_period']} (95% interval "
             f"{fmt.share(row['current_share_lower'])} to {fmt.share(row['current_share_upper'])})")
    if not fmt.missing(row["series_break"]):
        return f"{level}; not comparable with {row['previous_period']} because of {_series_break(row['series_break'])}."
    if fmt.withheld(row, "previous_share"):
        return f"{level}; {row['previous_period']} {SUPPRESSED} (disclosure control)."
    if fmt.missing(row["previous_share"]):
        return f"{level}."
    return f"{level}, against {fmt.share(row['previous_share'])} in {row['previous_period']}."


def district_comparison_sentence(county: Mapping, districts: list[Mapping], *, what: str) -> str:
    """Which districts differ from the county (their `<what>_vs_county`): what = "rate" (per 1,000
    residents) or "share"."""
    value, against = ("current_rate_per_1000", "rate_vs_county") if what == "rate" else ("current_share", "share_vs_county")
    show = fmt.rate if what == "rate" else fmt.share
    if fmt.missing(county[value]) or county[value] <= 0:   # nothing to compare with
        return ""
    per = " per 1,000 residents" if what == "rate" else ""
    lead = f"Compared with the {county['area_name']} {what} of {show(county[value])}{per} ({county['current_period']})"
    if len(districts) == 1:   # a district's own pack
        (d,) = districts
        place = fmt.text(d[against])
        if not place:
            return ""
        verb = "similar to it" if place == SIMILAR else place
        return f"{lead}, the {what} in {d['area_name']} ({show(d[value])}) was {verb}."
    placed = {SIGNIFICANTLY_HIGHER: [], SIGNIFICANTLY_LOWER: [], SIMILAR: []}
    for d in districts:
        if fmt.text(d[against]) in placed:
            placed[d[against]].append(f"{d['area_name']} ({show(d[value])})")
    parts = [f"{kind} in {fmt.join_words(names)}" for kind, names in placed.items() if names and kind != SIMILAR]
    if not parts:
        return f"{lead}, no district's {what} was significantly different."
    n = len(placed[SIMILAR])
    if n:
        parts.append(f"similar in {n} other district{'' if n == 1 else 's'}")
    return f"{lead}, the {what} was {fmt.join_words(parts)}."


def _series_break(note: str) -> str:
    """A break's note (facts.series_breaks: "Series break from April 2024: what changed") in a sentence:
    "a series break from April 2024: what changed"; a note in other words after "a series break: "."""
    return "a " + note[0].lower() + note[1:] if note.startswith("Series break from ") else f"a series break: {note}"


def trend_sentence(measure: Measure, area: str, direction: str, slope: float, months: int, span: str,
                   period_months: int = 1) -> str:
    """Direction of the longer-term monthly trend (seasonal Mann-Kendall) over `span`. `slope` is the
    seasonal Sen slope: the typical change a year in one month's count (one quarter's, for a quarterly
    source), so the 12-month total changes by 12 (or 4) times it a year, the figure a reader compares
    with the pack's 12-month totals."""
    # a quarterly source's data and the trend's minimum are counted in quarters, as its data comes
    unit, n, least = (("quarter", months // 3, MIN_TREND_MONTHS // 3) if period_months == 3
                      else ("month", months, MIN_TREND_MONTHS))
    unit += "" if n == 1 else "s"
    if direction == TOO_SHORT_TO_SAY:
        return (f"There {'is' if n == 1 else 'are'} {n} {unit} of data for {area} ({span}), too few (under {least}) "
                "to describe a longer-term trend.")
    if direction in (RISING, FALLING):
        total = slope * 12 / period_months
        per_year = ("" if fmt.missing(slope) else
                    f", a typical change of {fmt.signed(total, 1 if abs(total) < 10 else 0)} a year in its 12-month total")
        return f"{measure.name} in {area} showed a {direction} trend over the {n} {unit} {span}{per_year}."
    if direction == NO_CLEAR_TREND:
        return f"{measure.name} in {area} showed no clear trend over the {n} {unit} {span}."
    raise ValueError(f"unknown trend direction {direction!r}")


# what a district's mart withholds when worked out from months it hides or rounds: how it would give them away
WITHHELD_FROM_MONTHS = {"longer-term trend": "a trend worked out from them",
                        "seasonal profile": "an average of each calendar month"}


def withheld_sentence(what: str, measure: Measure, area: str) -> str:
    """A trend or seasonal profile (`what`, a key of WITHHELD_FROM_MONTHS) a district's mart withholds."""
    return (f"The {what} of {measure.name} in {area} is not shown: some of its months are hidden or rounded to "
            f"protect small numbers, and {WITHHELD_FROM_MONTHS[what]} could give them away.")


def seasonality_sentence(measure: Measure, area: str, peaks: list[int], peak_index: float, span: str) -> str:
    """Which calendar month(s) are busiest on average, or that there is little seasonal pattern. In the past
    tense, as every finding is: "showed", "peaked" agree with a measure named in the plural too."""
    if fmt.missing(peak_index) or peak_index < SEASONAL_PEAK_INDEX:
        return (f"{measure.name} in {area} showed little seasonal pattern: no calendar month is more than "
                f"{round((SEASONAL_PEAK_INDEX - 1) * 100)}% above an average month ({span}).")
    months = fmt.join_words([calendar.month_name[m] for m in peaks])
    return (f"{measure.name} in {area} peaked on average in {months}, {fmt.percent((peak_index - 1) * 100, 0)} above an "
            f"average month ({span}).")


def summary_line(rows: list[Mapping]) -> str:
    """How the headline counts and rates went (their comparison rows), in one sentence."""
    verdicts = [outcome(row) for row in rows]
    if not verdicts:
        return ""
    noun = "headline count or rate" if len(verdicts) == 1 else "headline counts and rates"
    return f"Of the {len(verdicts)} {noun}, {_tally(verdicts)}."


def neutral_change(measure: Measure, verdict: str) -> bool:
    """A significant change in a measure whose polarity calls neither direction bad (hidden harms: a rise can
    mean more confident reporting as well as more harm)."""
    return measure.polarity == "neutral" and verdict in (SIGNIFICANT_INCREASE, SIGNIFICANT_DECREASE)


def needs_attention(measure: Measure, verdict: str) -> bool:
    """A significant change in the direction the measure's polarity calls bad."""
    return ((measure.polarity == "bad" and verdict == SIGNIFICANT_INCREASE)
            or (measure.polarity == "good" and verdict == SIGNIFICANT_DECREASE))
