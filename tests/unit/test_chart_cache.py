"""The chart cache (csp.publish.chart_cache): a chart is drawn once for what it is drawn from, and
copied, the same bytes, while that stays the same."""
from __future__ import annotations

import os
import time

import pandas as pd

from csp.publish import chart_cache, charts

MARKING = "OFFICIAL-SENSITIVE"
drawn: list[int] = []


def seasonality(profile: pd.DataFrame):
    """charts.seasonality_figure, counting the figures it is asked for."""
    drawn.append(len(profile))
    return charts.seasonality_figure(profile)


def _profile(peak: float = 1.3) -> pd.DataFrame:
    return pd.DataFrame({"month_of_year": range(1, 13), "seasonal_index": [1.0] * 11 + [peak],
                         "is_peak": [False] * 11 + [True]})


def test_a_chart_is_drawn_once_for_what_it_shows_and_then_copied(tmp_path):
    kept, out = tmp_path / "kept", tmp_path / "out"
    out.mkdir()
    drawn.clear()

    def draw(name, profile, title="Seasonal profile"):
        return chart_cache.draw(kept, seasonality, (profile,), out / name, title, "2023 – 2025", MARKING)

    first = draw("a", _profile())
    # the same values in rows numbered otherwise (as when rows of other measures arrive before them)
    moved = draw("b", _profile().set_axis(range(100, 112)))
    assert drawn == [12]
    assert moved.read_bytes() == first.read_bytes()
    assert (moved.name, first.name) == ("b.png", "a.png")
    draw("c", _profile(peak=1.31))                  # a value changed
    draw("d", _profile(), title="Another title")    # its words changed
    assert drawn == [12, 12, 12]
    assert len(chart_cache.names(kept)) == 3
    # without a folder every chart is drawn: the same bytes as the kept one
    assert chart_cache.draw(None, seasonality, (_profile(),), out / "e", "Seasonal profile", "2023 – 2025",
                            MARKING).read_bytes() == first.read_bytes()
    assert len(drawn) == 4


def test_prune_removes_what_the_run_did_not_use_and_what_a_killed_run_left(tmp_path):
    kept, out = tmp_path / "kept", tmp_path / "out"
    out.mkdir()
    chart_cache.draw(kept, seasonality, (_profile(),), out / "a", "Used again", "2023 – 2025", MARKING)
    chart_cache.draw(kept, seasonality, (_profile(),), out / "b", "Not used again", "2023 – 2025", MARKING)
    an_hour_ago = time.time() - 3600
    for path in kept.iterdir():              # both drawn by a run an hour ago
        os.utime(path, (an_hour_ago, an_hour_ago))
    (kept / ".0123abcd-x1y2.tmp").write_bytes(b"half a chart")   # a run killed while keeping a chart

    run_started = time.time()
    chart_cache.draw(kept, seasonality, (_profile(),), out / "a", "Used again", "2023 – 2025", MARKING)   # copied
    chart_cache.draw(kept, seasonality, (_profile(peak=2),), out / "c", "New", "2023 – 2025", MARKING)   # drawn
    assert chart_cache.prune(kept, run_started) == 2
    assert chart_cache.names(kept) == {
        f"{chart_cache.chart_key(seasonality, (_profile(),), 'Used again', '2023 – 2025', MARKING)}.png",
        f"{chart_cache.chart_key(seasonality, (_profile(peak=2),), 'New', '2023 – 2025', MARKING)}.png"}
    assert len(list(kept.iterdir())) == 2
