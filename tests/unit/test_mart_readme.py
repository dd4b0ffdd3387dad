"""What a district mart's README says of itself (csp/marts/readme.py)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from csp.marts.readme import _window_ends


def test_a_mart_readme_names_the_month_each_sources_window_ends():
    """It said 'KSI ends in June' whatever the windows were."""
    windows = pd.DataFrame({"current_last": [dt.date(2025, 10, 1), dt.date(2025, 6, 1), dt.date(2025, 10, 1), None]},
                           index=pd.Index(["police_crime", "road_casualties", "asb", "fire_incidents"], name="source"))
    assert _window_ends(windows) == ("in October 2025 (anti-social behaviour incidents, police recorded crime) and "
                                     "June 2025 (road casualties (STATS19))")
