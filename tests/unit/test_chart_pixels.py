"""Charts draw their text from caches (charts._TextCachingRenderer) and a trend's bars as one collection
(charts._date_bars), and still draw matplotlib's pixels: every chart kind, drawn through charts.save, is
pixel for pixel what matplotlib's stock FigureCanvasAgg draws with ax.bar's Rectangles, and the same bytes
whether the caches are cold or warm; and the property the glyph cache rests on holds."""
from __future__ import annotations

import datetime as dt
import math
import random

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import PIL.Image
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import LoadFlags, RenderMode

from csp.publish import charts
from transforms.stats import (NO_SIGNIFICANT_CHANGE, SIGNIFICANT_DECREASE, SIGNIFICANT_INCREASE, SIGNIFICANTLY_HIGHER,
                              SIGNIFICANTLY_LOWER, SIMILAR, TOO_FEW_TO_SAY)

DISTRICTS = ["Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe", "Gravesham", "Maidstone",
             "Sevenoaks", "Swale", "Thanet", "Tonbridge and Malling", "Tunbridge Wells"]
WINDOWS = (dt.date(2024, 12, 1), dt.date(2025, 11, 1)), (dt.date(2023, 12, 1), dt.date(2024, 11, 1))


def monthly_trend() -> pd.DataFrame:
    months = pd.date_range("2022-11-01", periods=37, freq="MS")
    values = np.random.default_rng(1).integers(800, 1200, len(months))
    frame = pd.DataFrame({"month": months, "period_months": 1, "value": values})
    frame["rolling_12m"] = frame["value"].rolling(12).sum()
    return frame


def gappy_trend() -> pd.DataFrame:
    """A month with none recorded and one missing; only the latest window (the source is too new)."""
    frame = monthly_trend().iloc[:20].copy()
    frame.loc[5, "value"], frame.loc[9, "value"] = 0, None
    frame["rolling_12m"] = frame["value"].rolling(12).sum()
    return frame


def quarterly_trend() -> pd.DataFrame:
    months = pd.date_range("2024-01-01", periods=24, freq="MS")
    values = {m: 40 + 3 * i for i, m in enumerate(months[::3])}
    frame = pd.DataFrame({"month": months, "period_months": 3, "value": [values.get(m) for m in months]})
    frame["rolling_12m"] = None
    frame.loc[frame["month"] == "2024-12-01", "rolling_12m"] = 40 + 43 + 46 + 49
    frame.loc[frame["month"] == "2025-12-01", "rolling_12m"] = 52 + 55 + 58 + 61
    return frame


def districts() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    verdicts = [SIGNIFICANT_INCREASE, SIGNIFICANT_DECREASE, NO_SIGNIFICANT_CHANGE, TOO_FEW_TO_SAY]
    frame = pd.DataFrame({"area_name": DISTRICTS, "previous_value": rng.integers(50, 900, len(DISTRICTS)),
                          "verdict": [verdicts[i % 4] for i in range(len(DISTRICTS))]})
    frame["current_value"] = (frame["previous_value"] * rng.uniform(0.7, 1.3, len(DISTRICTS))).round().astype(int)
    frame.loc[0, ["previous_value", "current_value"]] = 0, 3     # none the year before: no percentage
    frame["pct_change"] = pd.array([pd.NA if p == 0 else 100 * (c - p) / p
                                    for p, c in zip(frame["previous_value"], frame["current_value"])], "Float64")
    return frame


def areas() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    value = rng.uniform(20, 60, len(DISTRICTS))
    return pd.DataFrame({"area_name": DISTRICTS, "value": value, "lower": value * 0.9, "upper": value * 1.1,
                         "against": [(SIGNIFICANTLY_HIGHER, SIMILAR, SIGNIFICANTLY_LOWER)[i % 3]
                                     for i in range(len(DISTRICTS))]})


def profile() -> pd.DataFrame:
    index = [0.82, 0.85, 0.97, 1.01, 1.08, 1.12, 1.19, 1.1, 0.98, 0.99, 0.95, 0.94]
    return pd.DataFrame({"month_of_year": range(1, 13), "seasonal_index": index,
                         "is_peak": [i == max(index) for i in index]})


CHARTS = {
    "trend monthly": (lambda: charts.trend_figure(monthly_trend(), *WINDOWS),
                      "All police recorded crime in Dover: monthly count and 12-month rolling total"),
    "trend quarterly": (lambda: charts.trend_figure(quarterly_trend(), (dt.date(2025, 1, 1), dt.date(2025, 12, 1)),
                                                    (dt.date(2024, 1, 1), dt.date(2024, 12, 1))),
                        "First-time entrants to the youth justice system in Kent: quarterly count and "
                        "12-month rolling total"),
    "trend gappy": (lambda: charts.trend_figure(gappy_trend(), (dt.date(2023, 7, 1), dt.date(2024, 6, 1)), None),
                    "Hospital admissions for self-harm in Thanet: monthly count and 12-month rolling total"),
    "district change": (lambda: charts.district_change_figure(districts()),
                        "Violence against the person: change by district"),
    "interval": (lambda: charts.interval_figure(areas(), "Kent 38.4", 38.4,
                                                "Rate per 1,000 residents (95% confidence interval)"),
                 "Anti-social behaviour per 1,000 residents: districts against Kent"),
    "seasonality": (lambda: charts.seasonality_figure(profile()), "Shoplifting in Kent: seasonal profile"),
}


def draw(name: str, path) -> bytes:
    build, title = CHARTS[name]
    return charts.save(build(), path, title, "December 2024 – November 2025", "OFFICIAL-SENSITIVE").read_bytes()


def pixels(png: bytes, tmp_path) -> np.ndarray:
    path = tmp_path / "decoded.png"
    path.write_bytes(png)
    with PIL.Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def clear_caches() -> None:
    charts._TextCachingRenderer._layouts.clear()
    charts._TextCachingRenderer._glyphs.clear()


@pytest.mark.parametrize("antialiased", [True, False], ids=["antialiased", "monochrome text"])
@pytest.mark.parametrize("name", list(CHARTS))
def test_a_chart_is_the_pixels_stock_matplotlib_draws_with_the_caches_cold_or_warm(name, antialiased, tmp_path,
                                                                                     monkeypatch):
    with plt.rc_context({"text.antialiased": antialiased}):
        clear_caches()
        cold = draw(name, tmp_path / "cold")
        assert charts._TextCachingRenderer._glyphs and charts._TextCachingRenderer._layouts   # the caches drew it
        warm = draw(name, tmp_path / "warm")
        clear_caches()
        with monkeypatch.context() as m:   # matplotlib's own canvas and renderer, a fresh one; bars by ax.bar
            m.setattr(charts, "_Canvas", FigureCanvasAgg)
            m.setattr(charts, "_date_bars", lambda ax, at, values, **kwargs: ax.bar(at, values, **kwargs))
            stock = draw(name, tmp_path / "stock")
        assert not charts._TextCachingRenderer._glyphs    # ... which did not use the caches
    assert warm == cold
    cold_pixels, stock_pixels = pixels(cold, tmp_path), pixels(stock, tmp_path)
    assert cold_pixels.shape == stock_pixels.shape
    assert np.array_equal(cold_pixels, stock_pixels), f"{(cold_pixels != stock_pixels).any(axis=2).sum()} pixels differ"


def test_a_glyph_moved_by_whole_pixels_is_its_bitmap_moved_by_as_many():
    """The glyph cache keeps one bitmap per 1/64-pixel fraction of a glyph's position: check, for the charts'
    fonts, sizes, both rotations and both render modes, that whole-pixel moves (anywhere on a chart, and
    off its edges) move the bitmap and change nothing else; and that a bitmap with no ink stays so."""
    rng = random.Random(0)
    flags = get_hinting_flag()   # the charts' (text.hinting "default"); the others below
    assert flags == LoadFlags.DEFAULT
    text = "".join(map(chr, range(32, 127))) + "–£€%,"
    checked = 0
    for weight in ("normal", "bold"):
        for size in (7, 7.5, 8, 8.6, 9.5):
            font = get_font(fontManager._find_fonts_by_props(FontProperties(size=size, weight=weight)))
            font.set_size(size, charts.DPI)
            glyphs = sorted({item.glyph_index for item in font._layout(text, flags=flags)})
            for angle in (0, 90):
                cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
                matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
                for mode in (RenderMode.NORMAL, RenderMode.MONO):
                    for glyph in glyphs:
                        fx, fy = rng.randrange(64), rng.randrange(64)
                        seen = set()
                        for ix, iy in [(0, 0)] + [(rng.randrange(-40, 1100), rng.randrange(-40, 1100))
                                                  for _ in range(3)]:
                            font.set_size(size, charts.DPI)
                            font._set_transform(matrix, [64 * ix + fx, 64 * iy + fy])
                            bitmap = font._render_glyph(glyph, flags, mode)
                            buffer = bitmap.buffer
                            seen.add(("blank", buffer.shape) if not buffer.any() else
                                     (buffer.tobytes(), buffer.shape, bitmap.left - ix, bitmap.top - iy))
                            checked += 1
                        assert len(seen) == 1, (weight, size, angle, mode, glyph, fx, fy)
    assert checked > 5000
    for hinting in (LoadFlags.FORCE_AUTOHINT, LoadFlags.NO_HINTING, LoadFlags.NO_AUTOHINT):
        font.set_size(8, charts.DPI)
        for glyph in glyphs[::7]:
            fx, fy = rng.randrange(64), rng.randrange(64)
            seen = set()
            for ix, iy in ((0, 0), (317, 45), (990, 1200)):
                font._set_transform(np.array([[0x10000, 0], [0, 0x10000]]), [64 * ix + fx, 64 * iy + fy])
                bitmap = font._render_glyph(glyph, hinting, RenderMode.NORMAL)
                buffer = bitmap.buffer
                seen.add((buffer.tobytes(), bitmap.left - ix, bitmap.top - iy) if buffer.any() else "blank")
            assert len(seen) == 1, (hinting, glyph)


def test_a_bitmap_with_no_ink_draws_nothing():
    """The cache skips glyphs with no ink (spaces; in monochrome a 1x1 pixel of 0 wherever the glyph is)."""
    renderer = RendererAgg(60, 40, charts.DPI)
    gc = renderer.new_gc()
    gc.set_foreground("#404040")
    renderer._renderer.draw_text_image(np.full((30, 50), 200, np.uint8), 5, 35, 0, gc)   # something to draw over
    before = bytes(renderer.buffer_rgba())
    for shape in ((1, 1), (0, 0), (12, 9), (30, 50)):
        for x, y in ((0, 1), (5, 35), (20, 20), (59, 39)):
            renderer._renderer.draw_text_image(np.zeros(shape, np.uint8), x, y, 0, gc)
    assert bytes(renderer.buffer_rgba()) == before
    gc.restore()


def test_a_chart_drawn_on_a_kept_figure_is_the_bytes_it_is_on_a_new_one(tmp_path):
    """charts._figure keeps a figure per chart kind and size, cleared for the next chart: every kind drawn
    after the others, and after other charts of its own kind (the three trends), is the same bytes as on
    a figure of its own, with the same limits to the last bit (a limit a bit off moves a pixel only now and
    then: Kent's assault admissions trend after its all-crime trend, before the view limits were reset)."""
    def drawn(name: str, path) -> tuple[bytes, tuple]:
        build, title = CHARTS[name]
        figure = build()
        png = charts.save(figure, path, title, "December 2024 – November 2025", "OFFICIAL-SENSITIVE")
        ax = figure.axes[0]
        return png.read_bytes(), (ax.get_xlim(), ax.get_ylim(), tuple(ax.dataLim.bounds))

    alone = {}
    for name in CHARTS:
        charts._KEPT.clear()
        alone[name] = drawn(name, tmp_path / "alone")
    order = [name for name in CHARTS for _ in range(3)]
    random.Random(7).shuffle(order)
    for i, name in enumerate(order):
        assert drawn(name, tmp_path / f"kept{i}") == alone[name], f"{name}, drawn {i + 1}th"
    assert len(charts._KEPT) == 4   # trend, district change, interval, seasonality
