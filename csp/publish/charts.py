"""Charts (matplotlib): one style, readable in black and white, titled with their period, marked.

Each `*_figure` function draws a chart's figure; `save` marks and titles it and writes it once, as a PNG
(8-bit greyscale, or RGB for a chart with colour in it; 150 dpi) that the PDF and the HTML pack both
show and that pastes into slides. It is drawn the size it is printed (the PDF's text width), so its
text prints at the size it was set. (Charts were also written as SVG for the HTML pack until December
2026: drawing every chart a second time was a fifth of a refresh's publishing work, for a page that
shows them no larger than the PNG is drawn.)
Margins are worked out from the labels' measured widths rather than by tight_layout, which draws
each figure once more just to measure it (nearly half the cost of a chart).
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed; also keeps Prefect workers headless
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.patheffects as patheffects  # noqa: E402
import matplotlib.ticker  # noqa: E402
import matplotlib.transforms as mtransforms  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties, fontManager, get_font  # noqa: E402
from matplotlib.ft2font import RenderMode  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.markers import TICKRIGHT  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402
import numpy as np  # noqa: E402
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


def _figure(kind: str, height: float) -> tuple[Figure, Axes]:
    """A figure `height` inches tall with one Axes, for a chart of `kind` (its `*_figure` function).

    The process keeps one per kind, height and set of rcParams, and clears it of the last chart's
    artists for the next: making a Figure and Axes, and the tick objects matplotlib makes while
    drawing them (each tick three lines and two texts), was ~17 ms of a trend chart's ~55. What a kind
    sets (limits, locators, labels, spines) it sets for every chart, so a cleared figure draws what a
    new one would, byte for byte (tests/unit/test_chart_pixels.py draws every kind after others). Every
    chart is saved before the next of its kind is drawn."""
    key = kind, height
    kept = _KEPT.get(key)
    if kept is None or kept[2] != plt.rcParams:   # rcParams give a new artist its defaults
        fig = Figure(figsize=(WIDTH, height), dpi=DPI)
        kept = _KEPT[key] = fig, fig.add_subplot(), plt.rcParams.copy()
        return kept[:2]
    fig, ax, _ = kept
    for artist in (*ax.collections, *ax.lines, *ax.patches, *ax.texts, *ax.images, *fig.texts, *fig.legends):
        artist.remove()
    ax.containers.clear()
    # limits as a new Axes starts: a patch's data limits are worked out through the view limits, so the
    # last chart's would move them in their last bits
    ax.dataLim.set(mtransforms.Bbox.null())
    ax.ignore_existing_data_limits = True
    ax.set_xlim(0, 1, auto=True)
    ax.set_ylim(0, 1, auto=True)
    return fig, ax


_KEPT: dict[tuple[str, float], tuple[Figure, Axes, dict]] = {}


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


class _TextCachingRenderer(RendererAgg):
    """RendererAgg drawing plain (non-math) text from two process-wide caches, the same pixels: each
    string's glyph layout, and each glyph's bitmap. Drawing text glyph by glyph through FreeType was
    a third of a chart's CPU, and charts repeat the same few hundred glyphs.

    A glyph's bitmap depends on its font, size, dpi, rotation, load flags and render mode, and on its
    position only through the 1/64-pixel fraction: moving a glyph by whole pixels moves its bitmap by
    as many pixels (the glyph's outline is translated by a multiple of 64 in 26.6 fixed point before
    rasterizing; tests/unit/test_chart_pixels.py checks it). So a bitmap is kept per fraction, with
    its offset from the whole-pixel part. This is RendererAgg._draw_text_glyphs_and_boxes (matplotlib
    3.11) with the FreeType calls skipped on a hit; it uses FT2Font's private _layout,
    _set_transform and _render_glyph as that does."""
    _layouts: dict[tuple, tuple] = {}
    _glyphs: dict[tuple, tuple | None] = {}
    MAX_LAYOUTS, MAX_GLYPHS = 5_000, 50_000   # emptied when full (~35 MB); a Kent refresh keeps ~600 and ~9,000
    _rotations: dict[float, tuple] = {}

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._line_metrics: dict[FontProperties, tuple] = {}   # for one draw

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:   # mathtext and TeX: matplotlib's own path
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        font = self._prepare_font(prop)   # also sets the size _layout measures at
        size, dpi = prop.get_size_in_points(), self.dpi
        key = font, size, dpi, s, flags, features, language
        try:
            items = self._layouts.get(key)
        except TypeError:   # features or language not hashable
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        if items is None:
            if len(self._layouts) >= self.MAX_LAYOUTS:
                self._layouts.clear()
            items = self._layouts[key] = tuple(
                (item.ft_object, item.glyph_index, item.x, item.y)
                for item in font._layout(s, flags=flags, features=features, language=language))

        if angle not in self._rotations:
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            # as RendererAgg computes it for a glyph with no slant and no extension
            matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[1, 0], [0, 1]]).round().astype(int)
            self._rotations[angle] = cos, sin, matrix, tuple(matrix.ravel().tolist())
        cos, sin, matrix, rotation = self._rotations[angle]
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        glyphs, height, draw = self._glyphs, self.height, self._renderer.draw_text_image
        for ft_object, glyph_index, dx, dy in items:
            # the glyph's origin in 26.6 fixed point, FreeType's y upwards (as RendererAgg rounds it)
            px = round(0x40 * (x + dx * cos - dy * sin))
            py = round(0x40 * (height - y + dx * sin + dy * cos))
            glyph_key = ft_object, size, dpi, glyph_index, rotation, px & 0x3F, py & 0x3F, flags, antialiased
            glyph = glyphs.get(glyph_key, False)
            if glyph is False:
                ft_object.set_size(size, dpi)
                ft_object._set_transform(matrix, [px, py])
                bitmap = ft_object._render_glyph(glyph_index, flags, mode)
                buffer = bitmap.buffer
                if not antialiased:
                    buffer *= 0xff
                # a bitmap with no ink (a space) draws nothing wherever FreeType places it
                glyph = (buffer, bitmap.left - (px >> 6), bitmap.top - (py >> 6)) if buffer.any() else None
                if len(glyphs) >= self.MAX_GLYPHS:
                    glyphs.clear()
                glyphs[glyph_key] = glyph
            if glyph is not None:
                buffer, left, top = glyph
                # draw_text_image's y is downwards and the bitmap's bottom side
                draw(buffer, left + (px >> 6), int(height) - (top + (py >> 6)) + buffer.shape[0], 0, gc)

    def _get_font_height_metrics(self, prop):
        """A font's line metrics, which matplotlib's Text._get_layout asks a renderer for (a hook meant
        for the PDF and PS backends) and otherwise works out itself, finding the font and reading its tables,
        for every text each time it is laid out: ~100 times a chart for ~4 fonts. Its arithmetic,
        remembered per font for one draw (fonts are found from rcParams; _Canvas.get_renderer clears them)."""
        metrics = self._line_metrics.get(prop)   # FontProperties hash and compare by their properties
        if metrics is None:
            metrics = self._line_metrics[prop.copy()] = self._font_height_metrics(prop)
        return metrics

    def _font_height_metrics(self, prop):
        """min_ascent, min_descent, line_gap: Text._get_layout's (matplotlib 3.11), with the figure's dpi
        (the renderer's: _Canvas keeps a renderer per dpi)."""
        font = get_font(fontManager._find_fonts_by_props(prop))
        for table_name, linegap_key, ascent_key, descent_key in (
                ('OS/2', 'sTypoLineGap', 'sTypoAscender', 'sTypoDescender'), ('hhea', 'lineGap', 'ascent', 'descent')):
            table = font.get_sfnt_table(table_name)
            if table is None:
                continue
            fontsize = prop.get_size_in_points()
            units_per_em = font.get_sfnt_table('head')['unitsPerEm']
            scale = 1 / units_per_em * fontsize * self.dpi / 72
            return table[ascent_key] * scale, -table[descent_key] * scale, table[linegap_key] * scale
        return None, None, None   # Text measures the font instead


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawing with one renderer per figure size for the whole process: matplotlib
    keeps text measurements per renderer, and every chart repeats most of its labels."""
    _renderers: dict[tuple[int, int, float], RendererAgg] = {}

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if key not in self._renderers:
            self._renderers[key] = _TextCachingRenderer(w, h, self.figure.dpi)
        self._renderers[key]._line_metrics = {}
        return self._renderers[key]


def _write_png(fig: Figure, path: Path, metadata: dict[str, str]) -> None:
    """The figure as an 8-bit PNG, greyscale when every pixel is grey (as the style draws them) and RGB
    otherwise: the same pixels either way. savefig writes RGBA, but the background is opaque. A grey PNG
    is a third of the data to compress: ~6 ms a chart rather than ~14, and half the bytes in the HTML pack."""
    canvas = _Canvas(fig)
    canvas.draw()
    info = PngInfo()
    for key, value in metadata.items():
        info.add_text(key, value)
    rgba = np.asarray(canvas.buffer_rgba())
    grey = (rgba[..., 0] == rgba[..., 1]).all() and (rgba[..., 1] == rgba[..., 2]).all()
    image = PIL.Image.fromarray(np.ascontiguousarray(rgba[..., 0]) if grey else np.ascontiguousarray(rgba[..., :3]))
    image.save(path, format="png", pnginfo=info, dpi=(DPI, DPI))


def trend_figure(trend: pd.DataFrame, current: tuple[dt.date, dt.date] | None,
                 previous: tuple[dt.date, dt.date] | None, breaks: tuple[pd.Timestamp, ...] = ()) -> Figure:
    """Monthly (or quarterly) counts as bars with the 12-month rolling total (line, right axis; none where
    no rolling total is known); the comparison windows shaded and named in the legend. `trend` has
    columns month, period_months, value, rolling_12m: a quarter's value is dated at its first month, its
    rolling total at its last; where it has them, suppressed_columns (a count a district's mart hides: a
    cross on the axis, not a gap that reads as none). `breaks`: the series breaks' first months (the
    register's): a dashed line at each inside the series, and the previous window not shaded when one lies
    between the two."""
    quarterly = int(trend["period_months"].max()) == 3
    with plt.rc_context(STYLE):
        fig, ax = _figure("trend", 3.4)
        months = pd.to_datetime(trend["month"])
        # a quarter's bar spans its three months: centred on the middle one
        bars_at = months + pd.Timedelta(days=45) if quarterly else months
        rolling = trend["rolling_12m"].notna()
        breaks = [b for b in pd.to_datetime(list(breaks)) if months.min() < b <= months.max()]
        if previous and current and any(pd.Timestamp(previous[0]) < b <= pd.Timestamp(current[1]) for b in breaks):
            previous = None   # not comparable: the sentences say so, and the chart does not pair them
        handles = []
        for window, shade, label in ((previous, PALE, "Previous 12 months"), (current, LIGHT, "Latest 12 months")):
            if window:
                start = pd.Timestamp(window[0]) - pd.Timedelta(days=15)
                end = pd.Timestamp(window[1]) + pd.Timedelta(days=15)
                handles.append(ax.axvspan(start, end, facecolor=shade, edgecolor="none", zorder=0,
                                          label=f"{label}: {window[0]:%b %Y} – {window[1]:%b %Y}"))
        # dark bars: mid grey on the latest window's shade was 2:1, under the 3:1 a graphic needs (WCAG 1.4.11)
        handles.append(_date_bars(ax, bars_at, trend["value"], width=75 if quarterly else 20, color=DARK,
                                  label="Quarterly count" if quarterly else "Monthly count", zorder=2))
        ax.set_ylabel("Count per quarter" if quarterly else "Count per month")
        top, top2 = _top(trend["value"]) * 1.15, _top(trend["rolling_12m"]) * 1.15
        if rolling.any():
            # the rolling total on the counts' axes, 0..top2 drawn as 0..top, and its own axis on the right
            handles += ax.plot(months[rolling] + pd.Timedelta(days=15) if quarterly else months[rolling],
                               trend.loc[rolling, "rolling_12m"].astype(float) * (top / top2), color=BLACK, linewidth=2,
                               label="12-month rolling total", zorder=3, marker="o" if quarterly else None, markersize=3,
                               path_effects=[patheffects.withStroke(linewidth=4, foreground="white")])   # on dark bars
        hidden = fmt.withheld_rows(trend, "value").to_numpy(dtype=bool)
        if hidden.any():
            handles += ax.plot(bars_at[hidden], [0] * int(hidden.sum()), linestyle="none", marker="x", markersize=4,
                               color=BLACK, clip_on=False, zorder=4, label="Count hidden (disclosure control)")
        for month in breaks:
            handles.append(ax.axvline(month - pd.Timedelta(days=15), color=BLACK, linestyle="--", linewidth=1, zorder=3,
                                      label=f"Series break: {month:%b %Y}"))
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.set_ylim(0, top)
        _legend(fig, handles, ncol=2)
        _arrange(fig, [f"{top:,.0f}"], y_title=True, x_title=False, legend_rows=(len(handles) + 1) // 2,
                 right_labels=[f"{top2:,.0f}"] if rolling.any() else (), right_title=rolling.any())
        if rolling.any():
            _right_axis(ax, top2, "12-month rolling total")
        else:   # set either way: the figure is kept for the next chart of its kind (_figure)
            ax.spines["right"].set_visible(False)
        return fig


def _right_axis(ax: Axes, top: float, title: str) -> None:
    """An axis on the right of `ax` running from 0 to `top` over ax's height, for a series drawn on ax
    scaled to it: what ax.twinx() would draw, ticks chosen by the same rule (matplotlib's AutoLocator:
    nice steps, as many as the axis's height has room for), tick marks, labels and title placed as it
    places them. A twin is a second Axes, with an x-axis, spines and tick objects of its own: ~12 ms of
    a trend chart's ~64, for the ~180 trend charts of a Kent refresh. Call once the axes are placed."""
    nbins = int(np.clip(ax.yaxis.get_tick_space(), 1, 9))
    ticks = [v for v in matplotlib.ticker.MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]).tick_values(0, top)
             if 0 <= v <= top]
    size, pad = plt.rcParams["ytick.major.size"], plt.rcParams["ytick.major.pad"]
    ax.spines["right"].set_visible(True)
    right = mtransforms.blended_transform_factory(ax.transAxes, ax.transData)   # x on the axes, y in data
    scale = ax.get_ylim()[1] / top
    ax.add_line(Line2D([1] * len(ticks), [v * scale for v in ticks], transform=right, marker=TICKRIGHT,
                       linestyle="none", color=plt.rcParams["ytick.color"], markersize=size,
                       markeredgewidth=plt.rcParams["ytick.major.width"], clip_on=False))
    labels = [THOUSANDS(v, None) for v in ticks]
    beside = mtransforms.offset_copy(right, fig=ax.figure, x=size + pad, units="points")
    for v, label in zip(ticks, labels):
        ax.text(1, v * scale, label, transform=beside, ha="left", va="center", fontsize=FONT_SIZE)
    title_x = size + pad + _text_width(labels) * 72 + plt.rcParams["axes.labelpad"]
    ax.text(1, 0.5, title, transform=mtransforms.offset_copy(ax.transAxes, fig=ax.figure, x=title_x, units="points"),
            rotation=90, ha="left", va="center", fontsize=FONT_SIZE)


def _date_bars(ax: Axes, at: pd.Series, values: pd.Series, *, width: float, color: str, label: str,
               zorder: float) -> Patch:
    """What ax.bar(at, values, width=width, color=color, label=label, zorder=zorder) draws for bars at dates,
    as one collection rather than a Rectangle each (a trend chart's 37 Rectangles, added and drawn one by
    one, were ~16 ms of its ~84); returns the legend's handle. The same pixels: the corners are the same
    numbers (dates are whole days and the widths whole or half days, so the sums are exact, and the data
    limits too), filled alike with no edge, and a bar with no value is not drawn. Only the arithmetic
    taking corners to pixels is grouped differently, a rounding error ~1e-13 pixel, against Agg's
    1/256-pixel grid (tests/unit/test_chart_pixels.py draws the charts with ax.bar as well)."""
    ax.xaxis.update_units(at)   # what ax.bar does first: the axis takes dates
    left = np.asarray(ax.convert_xunits(at), dtype=float) - width / 2
    heights = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    ax.add_collection(PolyCollection(
        [[(x, 0), (x + width, 0), (x + width, h), (x, h)] for x, h in zip(left, heights) if not np.isnan(h)],
        facecolors=color, edgecolors="none", linewidths=0, zorder=zorder))
    return Patch(facecolor=color, label=label)


def district_change_figure(districts: pd.DataFrame) -> Figure:
    """Percentage change by district, shaded by verdict. `districts` has area_name, pct_change,
    previous_value, current_value, verdict; a district with none the year before has no percentage
    and says so."""
    shade = {SIGNIFICANT_INCREASE: DARK, SIGNIFICANT_DECREASE: DARK, TOO_FEW_TO_SAY: "white"}
    with plt.rc_context(STYLE):
        fig, ax = _figure("district_change", _rows_height(len(districts)))
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
        fig, ax = _figure("interval", _rows_height(len(areas)))
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
        fig, ax = _figure("seasonality", 2.8)
        ax.bar(profile["month_of_year"], profile["seasonal_index"], width=0.7, edgecolor=BLACK, linewidth=0.6,
               color=[DARK if peak else LIGHT for peak in profile["is_peak"]])
        ax.axhline(1.0, color=BLACK, linestyle="--", linewidth=1)
        ax.set_xticks(range(1, 13), [calendar.month_abbr[m] for m in range(1, 13)])
        top = max(_top(profile["seasonal_index"]) * 1.1, 1.2)
        ax.set_ylim(0, top)
        ax.set_ylabel("Index (1.0 = average month)")
        _arrange(fig, [f"{top:.1f}"], y_title=True, x_title=False, legend_rows=0)
        return fig
