"""What a district mart's README says of itself (csp/marts/readme.py)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd

from csp.marts.readme import _window_ends, period_line


def test_a_mart_readme_names_the_month_each_sources_window_ends():
    """It said 'KSI ends in June' whatever the windows were."""
    windows = pd.DataFrame({"current_last": [dt.date(2025, 10, 1), dt.date(2025, 6, 1), dt.date(2025, 10, 1), None]},
                           index=pd.Index(["police_crime", "road_casualties", "asb", "fire_incidents"], name="source"))
    assert _window_ends(windows) == ("in October 2025 (anti-social behaviour incidents, police recorded crime) and "
                                     "June 2025 (road casualties (STATS19))")


def test_a_comparison_tables_period_names_the_layouts_its_months_came_in():
    """A comparison table's period line, with the source windows' mixed_forms where the months compared came in
    more than one layout, and without where they came in one (NULL: NaN or None as the frame holds it)."""
    mixed = ("the months compared come from two layouts of the data — the force's restricted extract (November 2023 "
             "– September 2025) and data.police.uk's public files (October 2025)")
    windows = pd.DataFrame({"comparison_available": [True, True], "current_period": ["November 2024 – October 2025"] * 2,
                            "previous_period": ["November 2023 – October 2024"] * 2, "mixed_forms": [mixed, None]},
                           index=pd.Index(["police_crime", "asb"], name="source"))
    table = SimpleNamespace(period="comparison", source="police_crime")
    assert period_line(table, windows) == (
        f"Period: November 2024 – October 2025 compared with November 2023 – October 2024; {mixed}")
    assert period_line(SimpleNamespace(period="comparison", source="asb"), windows) == (
        "Period: November 2024 – October 2025 compared with November 2023 – October 2024")


def test_a_mart_readme_gives_the_settings_marking_throughout():
    """It opened with the settings' marking and then said 'cleared for OFFICIAL-SENSITIVE data' whatever it was."""
    from csp.marts.districts import District
    from csp.marts.readme import about_lines

    first = about_lines(District("E07000105", "Ashford"), "Kent", "OFFICIAL", "Produced by run r1")[0]
    assert first == ("OFFICIAL: for the Ashford Community Safety Partnership's strategic assessment only. Do not share "
                     "beyond the partnership, and keep it on systems cleared for OFFICIAL data.")
