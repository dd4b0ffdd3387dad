"""Charts (matplotlib): greyscale-readable, titled with their period, marked."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed; also keeps Prefect workers headless
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

STYLE = {"font.size": 9, "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "csp"}


def _top(values: pd.Series) -> float:
    """Largest value, at least 1 (an axis of all-missing or all-zero data still draws)."""
    top = pd.to_numeric(values, errors="coerce").astype("float64").max()
    return max(float(top), 1.0) if pd.notna(top) else 1.0


def trend_chart(path: Path, trend: pd.DataFrame, title: str, subtitle: str, marking: str,
                current: tuple[dt.date, dt.date] | None, previous: tuple[dt.date, dt.date] | None) -> None:
    """Monthly counts (bars) with the 12-month rolling total (line, right axis); the comparison
    windows shaded. `trend` has columns month, crimes, rolling_12m."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(9, 4.5), dpi=120)
        months = pd.to_datetime(trend["month"])
        for window, shade, label in ((previous, "#F2F2F2", "Previous 12 months"), (current, "#DCDCDC", "Latest 12 months")):
            if window:
                start = pd.Timestamp(window[0]) - pd.Timedelta(days=15)
                end = pd.Timestamp(window[1]) + pd.Timedelta(days=15)
                ax.axvspan(start, end, facecolor=shade, edgecolor="none", zorder=0, label=label)
        ax.bar(months, trend["crimes"], width=20, color="#8C8C8C", label="Monthly count", zorder=2)
        ax.set_ylabel("Crimes per month")
        ax2 = ax.twinx()
        ax2.plot(months, trend["rolling_12m"], color="black", linewidth=2, label="12-month rolling total", zorder=3)
        ax2.set_ylabel("12-month rolling total")
        ax2.spines["top"].set_visible(False)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        thousands = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
        ax.yaxis.set_major_formatter(thousands)
        ax2.yaxis.set_major_formatter(thousands)
        ax.set_ylim(0, _top(trend["crimes"]) * 1.25)
        ax2.set_ylim(0, _top(trend["rolling_12m"]) * 1.15)
        lines = ax.get_legend_handles_labels()
        lines2 = ax2.get_legend_handles_labels()
        ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="upper left", fontsize=8, frameon=True, ncol=4)
        fig.text(0.5, 0.99, marking, ha="center", va="top", fontsize=8, fontweight="bold")
        fig.text(0.01, 0.93, title, ha="left", va="bottom", fontsize=11, fontweight="bold")
        fig.text(0.01, 0.90, subtitle, ha="left", va="bottom", fontsize=9)
        fig.text(0.5, 0.005, marking, ha="center", va="bottom", fontsize=8, fontweight="bold")
        fig.tight_layout(rect=(0, 0.03, 1, 0.89))
        metadata = {"Title": title, "Description": marking}
        fig.savefig(path, metadata={**metadata, "Software": None} if path.suffix == ".png" else metadata)
        plt.close(fig)
