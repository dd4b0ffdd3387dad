"""bench/disclosure_attack.py's bound arithmetic on a hand-made mart: one district, one month, four
LSOAs, every bound worked out by hand (docs/disclosure.md, "Zeros beside sexual offences")."""
from __future__ import annotations

import pandas as pd
import pytest

from bench.disclosure_attack import attack, summary

SEXUAL, VIOLENCE, ROBBERY = "Sexual offences", "Violence against the person", "Robbery"
HIDDEN = None

# LSOA, offence group, count as the mart shows it (None: hidden), true count (for the reader of this test)
LSOA_ROWS = [
    ("L1", SEXUAL, HIDDEN, 1), ("L1", VIOLENCE, HIDDEN, 0),                                  # public 1; the 0 added
    ("L2", SEXUAL, HIDDEN, 1), ("L2", VIOLENCE, HIDDEN, 2), ("L2", ROBBERY, HIDDEN, 2),      # public 3
    ("L3", SEXUAL, HIDDEN, 4), ("L3", VIOLENCE, HIDDEN, 0),                                  # public 4; the 0 added
    ("L4", VIOLENCE, 7, 7), ("L4", ROBBERY, HIDDEN, 1),                                      # public 7
]
PUBLIC = {"L1": 1, "L2": 3, "L3": 4, "L4": 7}
DISTRICT = {SEXUAL: 6, VIOLENCE: 9, ROBBERY: 3, "All crime": 18}   # all shown


def mart(rows=LSOA_ROWS, district=DISTRICT) -> dict[str, pd.DataFrame]:
    month = pd.Timestamp("2025-01-01")
    lsoa = pd.DataFrame({"lad_code": "D", "lsoa_code": [r[0] for r in rows], "month": month,
                         "offence_group": [r[1] for r in rows], "crimes": pd.array([r[2] for r in rows], dtype="Int64"),
                         "suppressed_columns": ["crimes" if r[2] is None else None for r in rows]})
    trend = pd.DataFrame({"area_type": "district", "area_code": "D", "month": month, "offence_group": list(district),
                          "crimes": list(district.values()), "suppressed_columns": None})
    return {"crime_lsoa_monthly": lsoa, "crime_trend": trend}


def public(counts=PUBLIC) -> pd.DataFrame:
    return pd.DataFrame({"area": list(counts), "period": "2025-01", "value": [float(v) for v in counts.values()]})


def bounds(frame: pd.DataFrame, least="least", largest="largest") -> dict[tuple[str, str], tuple[float, float]]:
    return {(a, m): (lo, hi) for a, m, lo, hi in zip(frame["area"], frame["measure"], frame[least], frame[largest])}


@pytest.mark.parametrize("lp", [False, True])
def test_bounds_from_the_public_count_the_rows_and_the_district_month(lp):
    """As the marts were before they added a 0 of sexual offences where the public count is 1."""
    found = attack(mart(), public(), lp=lp, zero_up_to=0)
    # L1: its row says at least 1, the public count at most 1: recovered exactly, and its violence is 0.
    # L2, L3: beside a violence row that may be an added 0 (at least 0), the public count gives only
    # 1..3 and 1..4; the district's 6 = 1 (L1) + L2 + L3 then puts L3 at 6 - 1 - 3 = 2 or more. The
    # district's violence: 9 - 7 (L4) = 2 = L1 (0) + L2 + L3, so each 0..2 (L3's 4 - 2 agrees).
    # Robbery: 3 in the district, two hidden rows, each at least 1 (no 0 is ever added there): 1..2.
    assert bounds(found) == {
        ("L1", SEXUAL): (1, 1), ("L1", VIOLENCE): (0, 0),
        ("L2", SEXUAL): (1, 3), ("L2", VIOLENCE): (0, 2), ("L2", ROBBERY): (1, 2),
        ("L3", SEXUAL): (2, 4), ("L3", VIOLENCE): (0, 2),
        ("L4", ROBBERY): (1, 2),
    }
    # what the public count gives on its own (docs/disclosure.md "Known limits" explains these)
    alone = bounds(found, "least_public", "largest_public")
    assert {k: alone[k] for k in [("L1", SEXUAL), ("L2", SEXUAL), ("L3", SEXUAL), ("L3", VIOLENCE)]} == \
        {("L1", SEXUAL): (1, 1), ("L2", SEXUAL): (1, 3), ("L3", SEXUAL): (1, 4), ("L3", VIOLENCE): (0, 3)}
    sexual = found[found["measure"] == SEXUAL]
    # L1 exact and all three at most 4, but the public counts (1, 3, 4) already say so
    assert summary(sexual) == {"hidden": 3, "exact": 1, "small": 3, "exact_unexplained": 0, "small_unexplained": 0}
    assert (sexual["threshold"] == 4).all() and (found.loc[found["measure"] != SEXUAL, "threshold"] == 0).all()


def test_without_the_zero_row_the_public_count_gives_sexual_offences_away():
    """L3 with no row of violence against the person: the reader knows there is none, so its public
    4 is its sexual offences; then the district's violence, 2 = L1's 0 + L2's, pins L2 too."""
    rows = [r for r in LSOA_ROWS if r[:2] != ("L3", VIOLENCE)]
    found = bounds(attack(mart(rows), public(), zero_up_to=0))
    assert found[("L3", SEXUAL)] == (4, 4)
    assert found[("L2", VIOLENCE)] == (2, 2) and found[("L2", SEXUAL)] == (1, 1)


def test_a_shown_violence_count_beside_hidden_sexual_offences_gives_them_away():
    rows = [("L2", VIOLENCE, 2, 2) if r[:2] == ("L2", VIOLENCE) else r for r in LSOA_ROWS]
    found = attack(mart(rows), public(), lp=False, zero_up_to=0)
    assert bounds(found)[("L2", SEXUAL)] == (1, 1)                      # 3 - 2
    assert summary(found[found["measure"] == SEXUAL])["exact_unexplained"] == 1


def test_where_a_row_of_sexual_offences_may_be_an_added_zero_a_public_count_of_1_gives_nothing_away():
    """Marts adding a 0 of sexual offences beside violence against the person where the public count
    is 1: L1's row is no longer proof of 1. A reader sees they do: every LSOA month whose public count
    is 1 has both rows (here L1, and L5 whose one crime is violence)."""
    counts, district = public(PUBLIC | {"L5": 1}), DISTRICT | {VIOLENCE: 10, "All crime": 19}
    found = bounds(attack(mart(LSOA_ROWS + [("L5", SEXUAL, HIDDEN, 0), ("L5", VIOLENCE, HIDDEN, 1)], district), counts))
    assert found[("L1", SEXUAL)] == found[("L5", SEXUAL)] == found[("L1", VIOLENCE)] == found[("L5", VIOLENCE)] == (0, 1)
    # the district's 6 = L1 + L2 + L3 + L5 with L1 and L5 0..1 now: L3 at least 6 - 1 - 3 - 1 = 1, not 2
    assert found[("L2", SEXUAL)] == (1, 3) and found[("L3", SEXUAL)] == (1, 4)
    # with L5's violence alone (no 0 of sexual offences), a reader sees the marts add none: L1 is 1
    alone = attack(mart(LSOA_ROWS + [("L5", VIOLENCE, HIDDEN, 1)], district), counts)
    assert bounds(alone)[("L1", SEXUAL)] == (1, 1)
