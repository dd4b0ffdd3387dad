"""Charts say what they show: a quarterly source's bars are quarters, and a long title still fits."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
import matplotlib.pyplot as plt
from matplotlib.text import Text
import numpy as np
import PIL.Image

from csp.publish import charts
from csp.publish.charts import DPI, MIN_TITLE_SIZE, STYLE, TITLE_SIZE, _title_size, save, trend_figure


def quarterly_trend() -> pd.DataFrame:
    """Eight quarters dated at their first month; the rolling total at each fourth quarter's last month."""
    months = pd.date_range("2024-01-01", periods=24, freq="MS")
    values = {m: 10 + i for i, m in enumerate(months[::3])}
    frame = pd.DataFrame({"month": months, "period_months": 3, "value": [values.get(m) for m in months]})
    frame["rolling_12m"] = None
    frame.loc[frame["month"] == "2024-12-01", "rolling_12m"] = 10 + 11 + 12 + 13
    frame.loc[frame["month"] == "2025-12-01", "rolling_12m"] = 14 + 15 + 16 + 17
    return frame


def test_quarterly_trend_names_its_bars_quarters(tmp_path):
    figure = trend_figure(quarterly_trend(), (dt.date(2025, 1, 1), dt.date(2025, 12, 1)),
                          (dt.date(2024, 1, 1), dt.date(2024, 12, 1)))
    png = save(figure, tmp_path / "fte", "First-time entrants", "January 2024 – December 2025", "OFFICIAL-SENSITIVE")
    text = [t.get_text() for t in figure.findobj(Text)]   # as drawn: tick labels are made while drawing
    assert "Quarterly count" in text and "Count per quarter" in text and "Monthly count" not in text
    assert text.count("OFFICIAL-SENSITIVE") == 2 and "January 2024 – December 2025" in text
    with PIL.Image.open(png) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "L", (1005, 510))   # the style's greys
        assert image.text == {"Title": "First-time entrants", "Description": "OFFICIAL-SENSITIVE",
                              "Comment": "January 2024 – December 2025"}


def test_long_titles_shrink_to_fit_and_short_ones_keep_their_size():
    assert _title_size("All police recorded crime: change by district") == TITLE_SIZE
    long = "First-time entrants to the youth justice system in Kent: quarterly count and 12-month rolling total"
    assert MIN_TITLE_SIZE < _title_size(long) < TITLE_SIZE


def test_a_chart_is_the_same_bytes_whatever_was_drawn_before_it(tmp_path):
    """The process keeps one renderer per chart size (and with it matplotlib's text measurements): a
    chart drawn after others must be what a fresh worker draws."""
    def draw(name: str, title: str) -> bytes:
        figure = trend_figure(quarterly_trend(), (dt.date(2025, 1, 1), dt.date(2025, 12, 1)), None)
        return save(figure, tmp_path / name, title, "January 2024 – December 2025", "OFFICIAL-SENSITIVE").read_bytes()

    first = draw("first", "First-time entrants")
    draw("other", "Youth offending: another title, other labels")
    assert draw("again", "First-time entrants") == first


def test_a_chart_with_colour_is_written_rgb_and_a_grey_one_greyscale_with_the_pixels_drawn(tmp_path):
    """A PNG is greyscale only when that loses nothing: a chart with any colour in it stays RGB."""
    for name, colour, mode in (("grey", "#8C8C8C", "L"), ("red", "#C00000", "RGB")):
        figure = Figure(figsize=(2, 1), dpi=DPI)
        figure.add_subplot().plot([0, 1], [0, 1], color=colour)
        png = save(figure, tmp_path / name, "A line", "January 2025", "OFFICIAL-SENSITIVE")
        canvas = FigureCanvasAgg(figure)   # stock matplotlib drawing the same figure again, in the style
        with plt.rc_context(STYLE):
            canvas.draw()
        drawn = np.asarray(canvas.buffer_rgba())[..., :3]
        with PIL.Image.open(png) as image:
            assert image.mode == mode
            assert (np.asarray(image.convert("RGB")) == drawn).all()


def monthly_trend(months: int = 30) -> pd.DataFrame:
    frame = pd.DataFrame({"month": pd.date_range("2023-05-01", periods=months, freq="MS"), "period_months": 1,
                          "value": 100.0})
    frame["rolling_12m"] = frame["value"].rolling(12).sum()
    return frame


def legend_and_text(figure) -> tuple[list[str], list[str]]:
    figure.canvas.draw()   # tick labels are made while drawing
    return ([t.get_text() for legend in figure.legends for t in legend.get_texts()],
            [t.get_text() for t in figure.findobj(Text)])


def test_a_break_inside_the_comparison_is_marked_and_the_previous_window_not_shaded():
    legend, _ = legend_and_text(trend_figure(monthly_trend(), (dt.date(2024, 11, 1), dt.date(2025, 10, 1)),
                                             (dt.date(2023, 11, 1), dt.date(2024, 10, 1)), (pd.Timestamp("2024-04-01"),)))
    assert legend == ["Latest 12 months: Nov 2024 – Oct 2025", "Monthly count", "12-month rolling total",
                      "Series break: Apr 2024"]


def test_a_second_break_within_a_year_of_the_first_is_marked_too():
    """Two breaks six months apart (the register's), each a dashed line: series_break, set on the 12 months from a
    break, runs on through the second and gave it no start of its own when the chart took its breaks from it."""
    breaks = (pd.Timestamp("2024-04-01"), pd.Timestamp("2024-10-01"))
    legend, _ = legend_and_text(trend_figure(monthly_trend(), (dt.date(2024, 11, 1), dt.date(2025, 10, 1)), None, breaks))
    assert [t for t in legend if t.startswith("Series break")] == ["Series break: Apr 2024", "Series break: Oct 2024"]


def test_hidden_counts_are_crossed_and_no_rolling_total_means_no_right_axis(tmp_path):
    """A district's quarters hidden by its mart, so no rolling total is known: crosses for the hidden ones, no
    line and no right-hand axis (it drew 0, 0, 0, 1, 1, 1); the figure kept for the next trend chart then draws
    a chart with a rolling total as a fresh one does."""
    trend = monthly_trend().assign(rolling_12m=np.nan, suppressed_columns=None)
    trend.loc[[3, 4, 20], "value"] = np.nan
    trend.loc[[3, 4, 20], "suppressed_columns"] = "value, rolling_12m"
    figure = trend_figure(trend, (dt.date(2024, 11, 1), dt.date(2025, 10, 1)), None)
    legend, text = legend_and_text(figure)
    assert legend == ["Latest 12 months: Nov 2024 – Oct 2025", "Monthly count", "Count hidden (disclosure control)"]
    assert "12-month rolling total" not in text and not figure.axes[0].spines["right"].get_visible()
    crosses = [line for line in figure.axes[0].lines if line.get_marker() == "x"]
    assert len(crosses) == 1 and len(crosses[0].get_xdata()) == 3
    save(figure, tmp_path / "hidden", "t", "s", "OFFICIAL-SENSITIVE")
    after = save(trend_figure(monthly_trend(), (dt.date(2024, 11, 1), dt.date(2025, 10, 1)), None), tmp_path / "after",
                 "t", "s", "OFFICIAL-SENSITIVE").read_bytes()
    charts._KEPT.clear()
    fresh = save(trend_figure(monthly_trend(), (dt.date(2024, 11, 1), dt.date(2025, 10, 1)), None), tmp_path / "fresh",
                 "t", "s", "OFFICIAL-SENSITIVE").read_bytes()
    assert after == fresh
