"""Charts (matplotlib): one style, readable in black and white, titled with their period, marked.

Each `*_figure` function draws a chart's figure; `save` marks and titles it and writes it once, as a PNG
(8-bit RGB, 150 dpi) that the PDF and the HTML pack both show and that pastes into slides. It is drawn
the size it is printed (the PDF's text width), so its text prints at the size it was set. (Charts were
also written as SVG for the HTML pack until December 2026: drawing every chart a second time was a
fifth of a refresh's publishing work, for a page that shows them no larger than the PNG is drawn.)
Margins are worked out from the labels' measured widths rather than by tight_layout, which draws
each figure once more just to measure it (nearly half the cost of a chart).
"""
from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed; also keeps Prefect workers headless
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402
import pandas as pd  # noqa: E402
import PIL.Image  # noqa: E402
from PIL.PngImagePlugin import PngInfo  # noqa: E402

from csp.publish import formats as fmt  # noqa: E402
from transforms.stats import (SIGNIFICANT_DECREASE, SIGNIFICANT_INCREASE, SIGNIFICANTLY_HIGHER,  # noqa: E402
                              SIGNIFICANTLY_LOWER, TOO_FEW_TO_SAY)

WIDTH = 6.7          # inches: the PDF's text width (170 mm)
DPI = 150
FONT_SIZE = 8
TITLE_SIZE, MIN_TITLE_SIZE = 9.5, 7.0
STYLE = {"font.size": FONT_SIZE, "axes.spines.top": False, "axes.spines.right": False, "legend.fontsize": 7.5,
         "legend.frameon": False}
# greys that stay distinct when printed in black and white
BLACK, DARK, MID, LIGHT, PALE = "#000000", "#404040", "#8C8C8C", "#C8C8C8", "#EBEBEB"
THOUSANDS = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}")

# the layout, in inches
HEADER = 0.72        # marking, title and subtitle above the axes
FOOTER = 0.2         # marking below everything
LEGEND_ROW = 0.17
TICK_LABELS = 0.24   # a row of tick labels under (or beside) an axis, with the ticks
AXIS_LABEL = 0.2     # an axis title


def _top(values: pd.Series) -> float:
    """Largest value, at least 1 (an axis of all-missing or all-zero data still draws)."""
    top = pd.to_numeric(values, errors="coerce").astype("float64").max()
    return max(float(top), 1.0) if pd.notna(top) else 1.0


def _text_width(labels) -> float:
    """Widest of the labels at the chart's font size, in inches."""
    prop = FontProperties(size=FONT_SIZE)
    return max((text_to_path.get_text_width_height_descent(str(s), prop, ismath=False)[0] for s in labels),
               default=0.0) / 72


def _figure(height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(WIDTH, height), dpi=DPI)
    return fig, fig.add_subplot()


def _rows_height(rows: int) -> float:
    """Height of a chart with one row per area: header, axis and legend, then a fifth of an inch a row."""
    return HEADER + FOOTER + LEGEND_ROW + TICK_LABELS + AXIS_LABEL + 0.3 + 0.22 * max(rows, 4)


def _arrange(fig: Figure, left_labels, *, y_title: bool, x_title: bool, legend_rows: int,
             right_labels=(), right_title: bool = False) -> None:
    """Place the axes inside margins measured from their labels; the legend (if any) sits at the
    bottom above the marking."""
    width, height = fig.get_size_inches()
    left = 0.1 + _text_width(left_labels) + 0.1 + (AXIS_LABEL if y_title else 0)
    right = 0.25 + (_text_width(right_labels) + 0.1 + (AXIS_LABEL if right_title else 0) if right_labels else 0)
    bottom = (FOOTER + 0.08 + (legend_rows * LEGEND_ROW + 0.1 if legend_rows else 0) + TICK_LABELS
              + (AXIS_LABEL if x_title else 0))
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - HEADER / height)


def _legend(fig: Figure, handles, ncol: int) -> None:
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, FOOTER / fig.get_figheight()), ncol=ncol)


def _title_size(title: str) -> float:
    """The title's font size: 9.5 pt, smaller for a long title so that it fits the chart's width (with room
    for the renderer drawing text a few per cent wider than it measures)."""
    width = text_to_path.get_text_width_height_descent(title, FontProperties(size=TITLE_SIZE, weight="bold"),
                                                       ismath=False)[0] / 72
    return max(MIN_TITLE_SIZE, min(TITLE_SIZE, TITLE_SIZE * (WIDTH - 0.4) / width))


def save(fig: Figure, path: Path, title: str, subtitle: str, marking: str) -> Path:
    """The figure with the marking above and below, and the title and period at the top left, written
    to `path` as PNG (its metadata: title, marking, period); returns the PNG's path."""
    with plt.rc_context(STYLE):   # tick labels are made while drawing, from the style's font sizes
        height = fig.get_figheight()
        fig.text(0.5, 1 - 0.06 / height, marking, ha="center", va="top", fontsize=7.5, fontweight="bold")
        fig.text(0.01, 1 - 0.24 / height, title, ha="left", va="top", fontsize=_title_size(title), fontweight="bold")
        fig.text(0.01, 1 - 0.42 / height, subtitle, ha="left", va="top", fontsize=FONT_SIZE)
        fig.text(0.5, 0.04 / height, marking, ha="center", va="bottom", fontsize=7.5, fontweight="bold")
        png = path.with_suffix(".png")
        _write_png(fig, png, {"Title": title, "Description": marking, "Comment": subtitle})
        return png


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawing with one renderer per figure size for the whole process: matplotlib
    keeps text measurements per renderer, and every chart repeats most of its labels."""
    _renderers: dict[tuple[int, int, float], RendererAgg] = {}

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if key not in self._renderers:
            self._renderers[key] = RendererAgg(w, h, self.figure.dpi)
        return self._renderers[key]


def _write_png(fig: Figure, path: Path, metadata: dict[str, str]) -> None:
    """The figure as an 8-bit RGB PNG: savefig writes RGBA, but the background is opaque, and an RGB
    PNG's data can be copied into the PDF as it is (pdf_png)."""
    canvas = _Canvas(fig)
    canvas.draw()
    info = PngInfo()
    for key, value in metadata.items():
        info.add_text(key, value)
    rgba = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    rgba.convert("RGB").save(path, format="png", pnginfo=info, dpi=(DPI, DPI))


def trend_figure(trend: pd.DataFrame, current: tuple[dt.date, dt.date] | None,
                 previous: tuple[dt.date, dt.date] | None) -> Figure:
    """Monthly (or quarterly) counts as bars with the 12-month rolling total (line, right axis); the
    comparison windows shaded and named in the legend. `trend` has columns month, period_months,
    value, rolling_12m: a quarter's value is dated at its first month, its rolling total at its last."""
    quarterly = int(trend["period_months"].max()) == 3
    with plt.rc_context(STYLE):
        fig, ax = _figure(3.4)
        months = pd.to_datetime(trend["month"])
        # a quarter's bar spans its three months: centred on the middle one
        bars_at = months + pd.Timedelta(days=45) if quarterly else months
        rolling = trend["rolling_12m"].notna()
        for window, shade, label in ((previous, PALE, "Previous 12 months"), (current, LIGHT, "Latest 12 months")):
            if window:
                start = pd.Timestamp(window[0]) - pd.Timedelta(days=15)
                end = pd.Timestamp(window[1]) + pd.Timedelta(days=15)
                ax.axvspan(start, end, facecolor=shade, edgecolor="none", zorder=0,
                           label=f"{label}: {window[0]:%b %Y} – {window[1]:%b %Y}")
        ax.bar(bars_at, trend["value"], width=75 if quarterly else 20, color=MID,
               label="Quarterly count" if quarterly else "Monthly count", zorder=2)
        ax.set_ylabel("Count per quarter" if quarterly else "Count per month")
        ax2 = ax.twinx()
        ax2.plot(months[rolling] + pd.Timedelta(days=15) if quarterly else months[rolling], trend.loc[rolling, "rolling_12m"],
                 color=BLACK, linewidth=2, label="12-month rolling total", zorder=3,
                 marker="o" if quarterly else None, markersize=3)
        ax2.set_ylabel("12-month rolling total")
        ax2.spines["top"].set_visible(False)
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax2.yaxis.set_major_formatter(THOUSANDS)
        top, top2 = _top(trend["value"]) * 1.15, _top(trend["rolling_12m"]) * 1.15
        ax.set_ylim(0, top)
        ax2.set_ylim(0, top2)
        handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        _legend(fig, handles, ncol=2)
        _arrange(fig, [f"{top:,.0f}"], y_title=True, x_title=False, legend_rows=(len(handles) + 1) // 2,
                 right_labels=[f"{top2:,.0f}"], right_title=True)
        return fig


def district_change_figure(districts: pd.DataFrame) -> Figure:
    """Percentage change by district, shaded by verdict. `districts` has area_name, pct_change,
    previous_value, current_value, verdict; a district with none the year before has no percentage
    and says so."""
    shade = {SIGNIFICANT_INCREASE: DARK, SIGNIFICANT_DECREASE: DARK, TOO_FEW_TO_SAY: "white"}
    with plt.rc_context(STYLE):
        fig, ax = _figure(_rows_height(len(districts)))
        rows = districts.assign(sort=districts["pct_change"].astype("Float64").fillna(0)).sort_values(
            ["sort", "area_name"], ascending=[True, False])
        y = range(len(rows))
        pct = rows["pct_change"].astype("Float64").fillna(0).astype(float)
        ax.barh(y, pct, color=[shade.get(v, LIGHT) for v in rows["verdict"]], edgecolor=BLACK, linewidth=0.6,
                hatch=["////" if v == TOO_FEW_TO_SAY else "" for v in rows["verdict"]], height=0.7)
        span = max(pct.abs().max(), 1.0)
        for i, (value, previous, current) in enumerate(zip(rows["pct_change"], rows["previous_value"],
                                                            rows["current_value"])):
            if fmt.missing(value):
                label = ("–" if previous != 0 else "none in either period" if current == 0
                         else "none in the previous 12 months")
                where = 0.0
            else:
                label, where = fmt.signed(value, 1) + "%", float(value)
            ax.text(where + (span * 0.02 if where >= 0 else -span * 0.02), i, label, va="center",
                    ha="left" if where >= 0 else "right", fontsize=7)
        ax.set_yticks(list(y), rows["area_name"])
        ax.axvline(0, color=BLACK, linewidth=0.8)
        ax.set_xlim(-span * 1.35 if pct.min() < 0 else -span * 0.05, span * 1.35 if pct.max() > 0 else span * 0.05)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt.signed(v) + "%"))
        ax.set_xlabel("Change on the previous 12 months")
        _legend(fig, [Patch(facecolor=DARK, edgecolor=BLACK, label="significant change"),
                      Patch(facecolor=LIGHT, edgecolor=BLACK, label="no significant change"),
                      Patch(facecolor="white", edgecolor=BLACK, hatch="////", label="too few to say")], ncol=3)
        _arrange(fig, rows["area_name"], y_title=False, x_title=True, legend_rows=1)
        return fig


def interval_figure(areas: pd.DataFrame, county_label: str, county_value: float, xlabel: str) -> Figure:
    """Each area's value (a rate or a share) with its 95% interval, against the county's (a line).
    `areas` has area_name, value, lower, upper and against (significantly higher / lower / similar)."""
    fill = {SIGNIFICANTLY_HIGHER: BLACK, SIGNIFICANTLY_LOWER: "white"}
    with plt.rc_context(STYLE):
        fig, ax = _figure(_rows_height(len(areas)))
        rows = areas.dropna(subset=["value"]).sort_values(["value", "area_name"], ascending=[True, False])
        y = list(range(len(rows)))
        value, lower, upper = (rows[c].astype(float) for c in ("value", "lower", "upper"))
        ax.errorbar(value, y, xerr=[value - lower, upper - value], fmt="none", ecolor=DARK, elinewidth=1, capsize=2.5,
                    zorder=2)
        ax.scatter(value, y, s=30, c=[fill.get(v, MID) for v in rows["against"]], edgecolors=BLACK,
                   linewidths=0.8, zorder=3)
        ax.axvline(county_value, color=BLACK, linestyle="--", linewidth=1)
        ax.set_yticks(y, rows["area_name"])
        ax.set_xlim(0, max(_top(upper), county_value) * 1.08)
        ax.set_xlabel(xlabel)
        dot = dict(marker="o", linestyle="none", markeredgecolor=BLACK, markersize=6)
        _legend(fig, [Line2D([], [], color=BLACK, linestyle="--", label=county_label),
                      Line2D([], [], markerfacecolor=BLACK, label="significantly higher", **dot),
                      Line2D([], [], markerfacecolor=MID, label="similar", **dot),
                      Line2D([], [], markerfacecolor="white", label="significantly lower", **dot)], ncol=4)
        _arrange(fig, rows["area_name"], y_title=False, x_title=True, legend_rows=1)
        return fig


def seasonality_figure(profile: pd.DataFrame) -> Figure:
    """Index of each calendar month against an average month (1.0); the peak month(s) dark.
    `profile` has month_of_year, seasonal_index and is_peak (comparisons.measure_seasonal_profile)."""
    with plt.rc_context(STYLE):
        fig, ax = _figure(2.8)
        ax.bar(profile["month_of_year"], profile["seasonal_index"], width=0.7, edgecolor=BLACK, linewidth=0.6,
               color=[DARK if peak else LIGHT for peak in profile["is_peak"]])
        ax.axhline(1.0, color=BLACK, linestyle="--", linewidth=1)
        ax.set_xticks(range(1, 13), [calendar.month_abbr[m] for m in range(1, 13)])
        top = max(_top(profile["seasonal_index"]) * 1.1, 1.2)
        ax.set_ylim(0, top)
        ax.set_ylabel("Index (1.0 = average month)")
        _arrange(fig, [f"{top:.1f}"], y_title=True, x_title=False, legend_rows=0)
        return fig
