"""Disclosure control on cubes built to expose differencing (tests/fixtures/disclosure/README.md).

The attacker here is written independently of csp.marts.disclosure: it takes every shown count and
every total any count adds up to, and solves them all together for the largest value each hidden
count could have.
"""
from __future__ import annotations

import logging
import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from csp.marts import disclosure
from csp.marts.disclosure import Rule, _solve, protect, rules_from_settings
from tests.conftest import FIXTURES

RULES = {"none": Rule("none"), "small_counts": Rule("small_counts", 4, 1, ("lsoa", "district", "neighbour")),
         "hes": Rule("hes", 7, 5, ("lsoa", "district", "neighbour", "county"))}
HIERARCHIES = (("area_code", "area_parent"), ("measure", "measure_parent"), ("period", "period_parent"))


def cube(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "disclosure" / f"{name}.csv", dtype=str, keep_default_na=False).replace("", None) \
        .assign(value=lambda d: d["value"].astype(int))


def key(row) -> tuple[str, str, str]:
    return row["area_code"], row["measure"], row["period"]


def attacker_max(cells: pd.DataFrame, hidden: set[tuple[str, str, str]],
                 at_most: list[tuple[list[str], str]] = (), of=None, may_be_zero=frozenset(),
                 least: bool = False) -> dict[tuple[str, str, str], float]:
    """The largest value each hidden cell (or each of `of`) can take, given all shown values, every
    published total, that every hidden cell is at least 1 (a zero is shown) but those of
    `may_be_zero` (keys), at least 0, and `at_most`: (parts, whole) measures whose parts add up to at
    most the whole in every area and period (subsets). With `least`, the least value instead."""
    rows = cells.to_dict("records")
    position = {key(r): i for i, r in enumerate(rows)}
    totals: dict[tuple[str, int], list[int]] = {}
    for i, r in enumerate(rows):
        for column, parent in HIERARCHIES:
            for total in r[parent] if isinstance(r[parent], list) else [] if r[parent] is None else [r[parent]]:
                target = {**r, column: total}
                if key(target) in position:
                    totals.setdefault((column, position[key(target)]), []).append(i)
    unknown = [i for i, r in enumerate(rows) if key(r) in hidden]
    column_of = {i: j for j, i in enumerate(unknown)}

    def equation(parts, whole):
        """sum(parts) - whole over the unknown cells, the shown values moved to the constant."""
        coefficients, constant = np.zeros(len(unknown)), 0.0
        for i, sign in [(p, 1) for p in parts] + [(whole, -1)]:
            if i in column_of:
                coefficients[column_of[i]] += sign
            else:
                constant -= sign * rows[i]["value"]
        return coefficients, constant

    a, b = [], []
    for (_, total), parts in totals.items():
        coefficients, constant = equation(parts, total)
        a.append(coefficients)
        b.append(constant)
    a_ub, b_ub = [], []
    for parts, whole in at_most:
        for i, r in enumerate(rows):
            if r["measure"] != whole:
                continue
            found = [position[k] for k in ((r["area_code"], part, r["period"]) for part in parts) if k in position]
            coefficients, constant = equation(found, i)
            a_ub.append(coefficients)
            b_ub.append(constant)
    maxima = {}
    for i in unknown if of is None else [i for i in unknown if key(rows[i]) in of]:
        objective = np.zeros(len(unknown))
        objective[column_of[i]] = 1 if least else -1
        bounds = [(0 if key(rows[j]) in may_be_zero else 1, None) for j in unknown]
        result = linprog(objective, A_ub=np.array(a_ub) if a_ub else None, b_ub=np.array(b_ub) if b_ub else None,
                         A_eq=np.array(a) if a else None, b_eq=np.array(b) if b else None, bounds=bounds,
                         method="highs")
        assert result.status in (0, 3)
        maxima[key(rows[i])] = math.inf if result.status == 3 else round(result.fun if least else -result.fun, 6)
    return maxima


def hidden_cells(protected: pd.DataFrame) -> set[tuple[str, str, str]]:
    return {key(r) for r in protected[protected["suppressed"]].to_dict("records")}


def test_primary_suppression_alone_gives_small_counts_away():
    cells = cube("differencing")
    primary = {("A1", "Sexual offences", "2025-01"), ("B1", "Sexual offences", "2025-01"),
               ("B2", "Sexual offences", "2025-01"), ("C1", "Sexual offences", "2025-01"),
               ("C2", "Sexual offences", "2025-01")}
    maxima = attacker_max(cells, primary)
    assert maxima[("A1", "Sexual offences", "2025-01")] == 2      # 17 - 6 - 9: recovered exactly
    assert maxima[("B1", "Sexual offences", "2025-01")] == 2      # 23 - 20: B1 + B2 = 3, B2 at least 1
    assert maxima[("C1", "Sexual offences", "2025-01")] == 2      # C's whole district total is 3 = C1 + C2


def test_secondary_suppression_across_lsoa_district_county_and_offence_totals():
    protected = protect(cube("differencing"), RULES)
    sexual, burglary = "Sexual offences", "Burglary"
    assert hidden_cells(protected) == {
        ("A1", sexual, "2025-01"),                                                          # A's LSOAs
        ("B1", sexual, "2025-01"), ("B2", sexual, "2025-01"), ("B3", sexual, "2025-01"),    # B's LSOAs
        ("C1", sexual, "2025-01"), ("C2", sexual, "2025-01"), ("C", sexual, "2025-01"),     # C: total 3
        ("A", sexual, "2025-01"),                                                           # county line
        ("A", burglary, "2025-01"), ("C", burglary, "2025-01"),                             # All crime, county
        ("A1", burglary, "2025-01"), ("C1", burglary, "2025-01"),                           # their LSOAs
        # audit 1: A's sexual offences are at least 1 + 6 + 9, so C's = 20 - A's were at most 4; of
        # the counts in the lines binding it (the county's, A's), the smallest that frees it: A2's 6
        ("A2", sexual, "2025-01"),
        # audit 2: C's All crime 15 = burglary (C1's + C2's 9, at least 10) + sexual offences, so C's
        # sexual offences were at most 5, and C1's at most 4: C2's burglary, in that line
        ("C2", burglary, "2025-01"),
    }
    shown = protected[~protected["suppressed"]]
    assert (shown["published"] == shown["value"]).all()    # no rounding under these rules
    assert protected.loc[protected["suppressed"], "published"].isna().all()
    maxima = attacker_max(cube("differencing"), hidden_cells(protected))
    assert maxima[("A1", sexual, "2025-01")] == 8      # A's sexual offences <= 43 - 23 - 2 = 18, less A2 and A3 (10)
    assert maxima[("B1", sexual, "2025-01")] == maxima[("B2", sexual, "2025-01")] == 21   # B's 23 - 2
    assert maxima[("C", sexual, "2025-01")] == 9       # 43 - 23 - A's (at least 1 + 1 + 9)
    assert maxima[("C1", sexual, "2025-01")] == maxima[("C2", sexual, "2025-01")] == 8


def test_hospital_rule_suppresses_1_to_7_at_every_level_and_rounds_to_5():
    cells = cube("hospital")
    protected = protect(cells, RULES)
    admissions = "Assault admissions"
    assert hidden_cells(protected) == {
        ("A1", admissions, "2025-01"), ("B1", admissions, "2025-01"), ("B2", admissions, "2025-01"),
        ("B", admissions, "2025-01"),                    # primary: 3, 2, 3 and B's district total 5
        ("A", admissions, "2025-01"),                    # county January = A + B
        ("A", admissions, "2025-02"), ("B", admissions, "2025-02"),   # A's and B's months add up to their year
        ("A1", admissions, "2025-02"), ("B1", admissions, "2025-02"),  # the LSOAs under those months
        # the audit: with A January >= 1 + 12, B's = 20 - A's <= 7: A2's January (12), in A's
        # January, the line binding it
        ("A2", admissions, "2025-01"),
    }
    shown = {key(r): r["published"] for r in protected[~protected["suppressed"]].to_dict("records")}
    assert shown == {("K", admissions, "2025-01"): 20, ("K", admissions, "2025-02"): 70,
                     ("K", admissions, "current"): 90,
                     ("A", admissions, "current"): 45, ("B", admissions, "current"): 45,
                     ("A2", admissions, "2025-02"): 20, ("B2", admissions, "2025-02"): 30}
    maxima = attacker_max(cells, hidden_cells(protected))
    # never provably 7 or less: B's January <= 44 - B's February (B1 + 30, B1 at least 1) = 13;
    # A's January <= 20 - B's (at least 2), and A2's at least 1
    assert {cell: maxima[(cell, admissions, "2025-01")] for cell in ("A1", "B1", "B2", "B")} == \
        {"A1": 17, "B1": 12, "B2": 12, "B": 13}


def test_audit_catches_linked_lines_that_each_look_safe():
    cells = cube("linked_lines")
    admissions = "Assault admissions"
    every_line_safe = {("A", admissions, "2025"), ("A1", admissions, "2025"), ("B", admissions, "2025"),
                       ("B2", admissions, "2025")}
    # each line hides two or more counts, yet together: A = 23 - B = 23 - (17 + B2) <= 5 (B2 at least 1)
    assert attacker_max(cells, every_line_safe)[("A", admissions, "2025")] == 5
    protected = protect(cells, RULES)
    # widened where A is bound: the lines binding it are the county's (23 = A + B) and B's (17 + B2);
    # of the counts shown there that free it (the county's 23 up, B1's 17 down), the smaller
    assert hidden_cells(protected) == every_line_safe | {("B1", admissions, "2025")}
    assert attacker_max(cells, hidden_cells(protected))[("A", admissions, "2025")] == 21   # 23 - B (at least 2)
    assert protected.loc[~protected["suppressed"], "published"].tolist() == [25]   # the county's 23


def test_zero_is_shown_and_a_count_above_the_threshold_is_not_primary():
    cells = cube("differencing")
    a = cells[cells["area_code"].isin(["A", "A1", "A2", "A3"]) & (cells["measure"] == "Sexual offences")]
    a = a.assign(value=[15, 0, 5, 10])     # A = A1 + A2 + A3
    assert not protect(a, RULES)["suppressed"].any()


def test_rules_come_from_the_settings_and_keys_must_be_unique(settings):
    assert rules_from_settings(settings.disclosure) == RULES
    cells = cube("linked_lines")
    with pytest.raises(ValueError, match="repeat a key"):
        protect(pd.concat([cells, cells.head(1)]), RULES)
    missing = cells.astype({"value": float})
    missing.loc[2, "value"] = np.nan
    with pytest.raises(ValueError, match=r"no value for \['.+'\]"):
        protect(missing, RULES)


def test_a_month_in_two_periods_is_audited_across_both():
    """A month adds up into its rolling 12 months and into its year to date (a list of parents).
    Rolling = Jan + Feb + Mar = 20, year to date = Feb + Mar = 17, so Jan = 20 - 17: the audit must
    see both lines together."""
    periods = ["rolling 12 months: current", "financial year to date: current"]
    cells = pd.DataFrame(
        [("district", "A", None, "knife_crime", None, month, parents, value)
         for month, parents, value in (("2025-01", periods[:1], 3), ("2025-02", periods, 9), ("2025-03", periods, 8))]
        + [("district", "A", None, "knife_crime", None, periods[0], None, 20),
           ("district", "A", None, "knife_crime", None, periods[1], None, 17)],
        columns=["level", "area_code", "area_parent", "measure", "measure_parent", "period", "period_parent", "value"],
    ).assign(rule="small_counts")
    protected = protect(cells, RULES)
    # both totals bind January (20 up, or 17 down, frees it): the smaller, the year to date, is hidden
    assert hidden_cells(protected) == {("A", "knife_crime", "2025-01"), ("A", "knife_crime", "2025-02"),
                                       ("A", "knife_crime", "2025-03"), ("A", "knife_crime", periods[1])}
    assert protected.loc[~protected["suppressed"], "published"].tolist() == [20]
    assert attacker_max(cells, hidden_cells(protected))[("A", "knife_crime", "2025-01")] == 18


def one_month(rows) -> pd.DataFrame:
    """(level, area, area parent, measure, measure parents, value) rows: one month, `small_counts`."""
    return pd.DataFrame([(level, area, area_parent, measure, measure_parents, "2025-01", None, value)
                         for level, area, area_parent, measure, measure_parents, value in rows],
                        columns=["level", "area_code", "area_parent", "measure", "measure_parent", "period",
                                 "period_parent", "value"]).assign(rule="small_counts")


SEX, VIOLENCE, ROBBERY, ALL, VIOLENT = "Sexual offences", "Violence", "Robbery", "All crime", "Violent crime"
# LSOA X1's offence groups add up to All crime (40 = 31 + 7 + 2) and, without robbery, to the
# measure violent crime (38 = 31 + 7); district D's sexual offences are X0's and X1's (10 = 3 + 7)
LINKED_MEASURES = [("district", "D", None, SEX, None, 10), ("lsoa", "X0", "D", SEX, None, 3),
                   ("lsoa", "X1", "D", SEX, [ALL, VIOLENT], 7), ("lsoa", "X1", "D", VIOLENCE, [ALL, VIOLENT], 31),
                   ("lsoa", "X1", "D", ROBBERY, [ALL], 2), ("lsoa", "X1", "D", ALL, None, 40),
                   ("lsoa", "X1", "D", VIOLENT, None, 38)]


def test_an_audit_widens_where_the_count_it_proves_small_is_bound():
    """Primary: X0 sexual (3), X1 robbery (2). Lines: X1 sexual is hidden beside X0 (D's line), then
    X1 violence (violent crime's line); every line then hides two or more.
    Audit 1: robbery = 40 - 38 = 2 exactly. Its programme's dual values name the lines binding it,
    All crime's and violent crime's; of their shown counts that free it (All crime's 40 up,
    violent crime's 38 down), the smaller is hidden. Audit 2: robbery = 40 - X1 sexual - X1
    violence, at most 38; X0 = 10 - X1 sexual, at most 9: done."""
    cells = one_month(LINKED_MEASURES)
    protected = protect(cells, RULES)
    assert hidden_cells(protected) == {(area, measure, "2025-01") for area, measure in [
        ("X0", SEX), ("X1", SEX), ("X1", VIOLENCE), ("X1", ROBBERY), ("X1", VIOLENT)]}
    maxima = attacker_max(cells, hidden_cells(protected))
    assert maxima[("X0", SEX, "2025-01")] == 9 and maxima[("X1", ROBBERY, "2025-01")] == 38


def test_a_long_audit_says_how_far_it_has_got(monkeypatch, caplog):
    """The audits above, with a progress line due after every round: a line after audit 1, which
    widens the one failing group (5 of the 7 counts hidden; 2 primary), and none after audit 2,
    which ends it."""
    monkeypatch.setattr(disclosure, "PROGRESS_EVERY_S", 0.0)
    caplog.set_level("INFO", logger="csp.marts.disclosure")
    protect(one_month(LINKED_MEASURES), RULES)
    assert [r.getMessage() for r in caplog.records] == [
        "disclosure control still running: 1 audit round(s) so far, 5 of 7 counts hidden (2 primary); "
        "1 group(s) of linked totals still being widened"]


def test_a_group_whose_lines_do_not_add_up_is_audited_too():
    """As above, with D's sexual offences in the county's: K 42 = D + E 5 + F 39, which does not add
    up (10 + 5 + 39 = 54). The same cells are hidden: D is shown, and the county's line holds no
    hidden count."""
    cells = one_month([("county", "K", None, SEX, None, 42), ("district", "E", "K", SEX, None, 5),
                       ("district", "F", "K", SEX, None, 39)]
                      + [("district", "D", "K", SEX, None, 10)] + LINKED_MEASURES[1:])
    protected = protect(cells, RULES)
    assert hidden_cells(protected) == {(area, measure, "2025-01") for area, measure in [
        ("X0", SEX), ("X1", SEX), ("X1", VIOLENCE), ("X1", ROBBERY), ("X1", VIOLENT)]}


def sparse_cube(seed: int, districts: int = 4) -> pd.DataFrame:
    """County K, `districts` districts D0, D1 ..., eight LSOAs each; offence groups G0-G3 adding up to All; six
    months adding up to the half-year; LSOA counts drawn from a Poisson distribution of mean 1, so
    small counts are everywhere and the audit's groups fail round after round."""
    rng = np.random.default_rng(seed)
    totals: dict[tuple, int] = {}
    for d in range(districts):
        for lsoa in range(8):
            for group in range(4):
                for month in range(1, 7):
                    value = int(rng.poisson(1.0))
                    for area in (("lsoa", f"D{d}L{lsoa}", f"D{d}"), ("district", f"D{d}", "K"), ("county", "K", None)):
                        for measure in ((f"G{group}", "All"), ("All", None)):
                            for period in ((f"2025-{month:02d}", "H1"), ("H1", None)):
                                totals[(*area, *measure, *period)] = totals.get((*area, *measure, *period), 0) + value
    return pd.DataFrame([(*k, v) for k, v in totals.items()],
                        columns=["level", "area_code", "area_parent", "measure", "measure_parent", "period",
                                 "period_parent", "value"]).assign(rule="small_counts")


@pytest.mark.parametrize("seed", [0, 1])
def test_where_small_counts_are_everywhere_no_hidden_count_can_be_shown_small(seed):
    """Most of the cube's counts are 1 to 4, so the audit's groups fail round after round: when it
    ends, the attacker (every total, every hidden count at least 1) proves no primary count small."""
    cells = sparse_cube(seed, districts=2)
    protected = protect(cells, RULES)
    primary = {key(r) for r in cells[(cells["value"] >= 1) & (cells["value"] <= 4) & (cells["level"] != "county")]
               .to_dict("records")}
    assert len(primary) > 150 and protected["suppressed"].sum() < 0.7 * len(cells)
    maxima = attacker_max(cells, hidden_cells(protected), of=primary)
    assert len(maxima) == len(primary) and min(maxima.values()) >= 5   # a reader rounds 4.5 down: at most 4


def test_a_group_still_failing_after_its_rounds_of_widening_is_hidden_whole(monkeypatch, caplog):
    """A short month (nearly every count small) kept a group failing through thousands of rounds: after
    WIDEN_ONE_AT_A_TIME of them (here none) the rest of the group is hidden at once. More is hidden than round by
    round, never less, and the attacker still proves no primary count small."""
    cells = sparse_cube(0, districts=2)
    primary = {key(r) for r in cells[(cells["value"] >= 1) & (cells["value"] <= 4) & (cells["level"] != "county")]
               .to_dict("records")}
    by_rounds = hidden_cells(protect(cells, RULES))
    monkeypatch.setattr(disclosure, "WIDEN_ONE_AT_A_TIME", 0)
    with caplog.at_level(logging.WARNING, logger=disclosure.__name__):
        whole = hidden_cells(protect(cells, RULES))
    assert any("was still failing after 0 rounds of widening" in m for m in caplog.messages)
    assert len(whole) > len(by_rounds)
    maxima = attacker_max(cells, whole, of=primary)
    assert len(maxima) == len(primary) and min(maxima.values()) >= 5


def groups(members: csr_matrix, hidden: np.ndarray, initially: list[int] = (), then: list[int] = ()):
    """_Groups of the lines `members` (line x cell), started from the cells `initially` hidden and
    then told of `then` one by one (marked hidden in `hidden` as the audit does)."""
    hidden[list(initially)] = True
    kept = disclosure._Groups(members, members.T.tocsr(), hidden)
    for cell in then:
        hidden[cell] = True
        kept.add(cell)
    return kept


def as_lists(found) -> list[tuple[list[int], list[int]]]:
    return [(lines.tolist(), cells.tolist()) for lines, cells in found]


def test_groups_of_lines_join_as_cells_are_hidden():
    # line 0: cells 0, 1, 2; line 1: cells 2, 3, 4; line 2: cells 4, 5; cell 6 is in no line
    members = csr_matrix(np.array([[1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 1, 0, 0], [0, 0, 0, 0, 1, 1, 0]]))
    hidden = np.zeros(7, dtype=bool)
    kept = groups(members, hidden, initially=[0, 6], then=[3])
    assert as_lists(kept.holding(np.flatnonzero(hidden))) == [([0], [0]), ([1], [3])]
    kept = groups(members, hidden, then=[2])   # cell 2 links lines 0 and 1
    assert as_lists(kept.holding([3])) == [([0, 1], [0, 2, 3])]
    hidden[5] = True
    kept.add(5)
    assert as_lists(kept.holding([5, 0])) == [([0, 1], [0, 2, 3]), ([2], [5])]   # by first line
    assert kept.holding([6]) == []
    hidden[4] = True
    kept.add(4)
    assert as_lists(kept.holding([4])) == [([0, 1, 2], [0, 2, 3, 4, 5])]


def test_groups_kept_as_cells_are_hidden_are_the_groups_worked_out_afresh():
    """On the small-count cube's lines, cells hidden in a random order: after each, every group (lines
    joined where they share a hidden cell, found here by a search from line to line) is as kept."""
    cells = sparse_cube(0)
    members = disclosure._lines(cells, disclosure._Keys(cells)).members
    rng = np.random.default_rng(7)
    order = rng.permutation(members.shape[1])[:400].tolist()
    hidden = np.zeros(members.shape[1], dtype=bool)
    kept = groups(members, hidden, initially=order[:100])
    dense = members.toarray().astype(bool)
    for cell in order[100:]:
        hidden[cell] = True
        kept.add(cell)
        if cell % 10:
            continue
        found, unseen = [], set(np.flatnonzero(dense[:, hidden].any(axis=1)).tolist())
        while unseen:
            lines, todo = set(), [min(unseen)]
            while todo:
                line = todo.pop()
                if line in lines:
                    continue
                lines.add(line)
                todo.extend(np.flatnonzero(dense[:, dense[line] & hidden].any(axis=1)).tolist())
            unseen -= lines
            found.append((sorted(lines), sorted(np.flatnonzero(dense[sorted(lines)].any(axis=0) & hidden).tolist())))
        assert as_lists(kept.holding(np.flatnonzero(hidden))) == found


@pytest.mark.parametrize("c, a_eq, b_eq, upper, a_ub, b_ub", [
    ([-1, 0, 0], [[1, 1, 0], [0, 1, 1]], [10, 9], None, None, None),                 # optimal
    ([-1, 0, 0], [[1, -1, 0], [0, 1, 1]], [0, 9], None, None, None),                 # x0 = x1 <= 9
    ([-1, 0], [[1, -1]], [0], None, None, None),                                     # unbounded
    ([-1, 0], [[1, 1]], [-1], None, None, None),                                     # infeasible
    ([0, 0, -1, -1], [[1, 1, 0, 0]], [10], [np.inf, np.inf, 5, 5], [[-1, 0, 1, 0], [0, -1, 0, 1]], [0, 0]),
])
def test_programmes_get_linprogs_answers(c, a_eq, b_eq, upper, a_ub, b_ub):
    """protect hands its programmes to HiGHS itself, without scipy.optimize.linprog's checking of
    its arguments, but as linprog(method="highs") would: the same answers, to the last digit (a
    scipy upgrade that changed that interface would fail here)."""
    c, a_eq, b_eq = np.array(c, dtype=float), np.array(a_eq, dtype=float), np.array(b_eq, dtype=float)
    a_ub, b_ub = (None, None) if a_ub is None else (np.array(a_ub, dtype=float), np.array(b_ub, dtype=float))
    bounds = (0, None) if upper is None else [(0, None if np.isinf(u) else u) for u in upper]
    result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    # the audit hands its matrices over sparse (a group can join thousands of lines); dense the same
    for form in (np.asarray, csr_matrix):
        fun, x, _ = _solve(c, form(a_eq), b_eq, None if upper is None else np.array(upper),
                        None if a_ub is None else form(a_ub), b_ub)
        assert (x is not None) == (result.status == 0)
        if x is not None:
            assert fun == result.fun and np.array_equal(x, result.x)


def district_month(rows, period_parent=None) -> pd.DataFrame:
    """(level, area, area parent, measure, period, period parents, value) rows, `small_counts`."""
    return pd.DataFrame([(level, area, area_parent, measure, None, period, parents, value)
                         for level, area, area_parent, measure, period, parents, value in rows],
                        columns=["level", "area_code", "area_parent", "measure", "measure_parent", "period",
                                 "period_parent", "value"]).assign(rule="small_counts")


def test_every_hidden_count_is_at_least_one_so_a_line_counts_the_others_out():
    """LSOAs have a row only where there are crimes, and zeros are shown: a reader takes every hidden
    count to be at least 1. D1 = 13 = 2 + 3 + 8: the two hidden add up to 5 (> 4), but the 2 is at
    most 5 - 1 = 4; the 8 is hidden too (13 - 3 + 1 = 11 each at most). D2 = 6 LSOAs of 1 each
    (Tonbridge and Malling's sexual offences): every LSOA hidden and their sum 6 > 4, but each is
    exactly 6 - 5 = 1; no LSOA is left, so D2's total is hidden."""
    sex = "Sexual offences"
    cells = district_month([("district", "D1", None, sex, "2025-01", None, 13),
                            ("district", "D2", None, sex, "2025-01", None, 6)]
                           + [("lsoa", f"D1L{i}", "D1", sex, "2025-01", None, v) for i, v in enumerate([2, 3, 8])]
                           + [("lsoa", f"D2L{i}", "D2", sex, "2025-01", None, 1) for i in range(6)])
    protected = protect(cells, RULES)
    assert hidden_cells(protected) == {(area, sex, "2025-01") for area in
                                       ["D1L0", "D1L1", "D1L2", "D2", *(f"D2L{i}" for i in range(6))]}
    maxima = attacker_max(cells, hidden_cells(protected))
    assert maxima[("D1L0", sex, "2025-01")] == 11 and maxima[("D2L0", sex, "2025-01")] == math.inf


KNIFE, UNDER_18, AGED_18_25 = "knife_crime", "knife_crime_victim_under_18", "knife_crime_victim_18_25"


def test_a_measure_is_at_least_its_subsets_together():
    """Folkestone and Hythe, August: knife crime 9, victims aged 18-25 5 (both shown), under 18 4
    (primary). The age bands are disjoint parts of knife crime, so under 18 <= 9 - 5 = 4 although
    no total relates the three counts. The line knife crime = under 18 + 18-25 + the rest (no
    mart shows it, at least 0) hides the 5 too: under 18 can then be 9 - 1 (18-25 at least 1).
    Hate crime 6 = race hate 3 (primary) + the rest 3: race hate can be 6, nothing more is hidden."""
    cells = district_month([("district", "A", None, measure, "2025-08", None, value) for measure, value in
                            [(KNIFE, 9), (UNDER_18, 4), (AGED_18_25, 5), ("hate_crime", 6), ("race_hate_crime", 3)]])
    subsets = [(KNIFE, (AGED_18_25, UNDER_18)), ("hate_crime", ("race_hate_crime",))]
    protected = protect(cells, RULES, subsets)
    assert hidden_cells(protected) == {("A", UNDER_18, "2025-08"), ("A", AGED_18_25, "2025-08"),
                                       ("A", "race_hate_crime", "2025-08")}
    assert attacker_max(cells, {("A", UNDER_18, "2025-08")}, [([UNDER_18, AGED_18_25], KNIFE)])[
        ("A", UNDER_18, "2025-08")] == 4    # the leak, without the 5 hidden
    maxima = attacker_max(cells, hidden_cells(protected), [([UNDER_18, AGED_18_25], KNIFE),
                                                           (["race_hate_crime"], "hate_crime")])
    assert maxima == {("A", UNDER_18, "2025-08"): 8, ("A", AGED_18_25, "2025-08"): 8,
                      ("A", "race_hate_crime", "2025-08"): 6}
    # the rest is no published count
    assert len(protected) == len(cells) and protected["measure"].tolist() == cells["measure"].tolist()


def test_twelve_months_less_the_year_to_date_is_audited_with_each_month_at_least_one():
    """Dartford's knife crime, victims aged 18-25: the rolling 12 months (here November to June,
    26) less the year to date (April to June, 20) are November to March: 6, December shown 0, so
    the four hidden months, each at least 1, were each at most 3. Both lines look safe on their own
    (November to June: 17 hidden, each at most 12; April to June: April 3 and May 8 hidden). The
    programme proving November small is bound by both totals; of their shown counts that free it,
    the smallest is the year to date's 20 (up: it no longer fixes the months before April). Widening
    nearest November instead took two cells, June (9, not enough: the 6 stands) then the rolling 12
    months (26). December stays shown: a zero is never hidden."""
    periods = ["rolling 12 months: current", "financial year to date: current"]
    months = [("2024-11", 1), ("2024-12", 0), ("2025-01", 2), ("2025-02", 1), ("2025-03", 2),
              ("2025-04", 3), ("2025-05", 8), ("2025-06", 9)]
    cells = district_month([("district", "A", None, AGED_18_25, month, periods if month >= "2025-04" else periods[:1],
                             value) for month, value in months]
                           + [("district", "A", None, AGED_18_25, periods[0], None, 26),
                              ("district", "A", None, AGED_18_25, periods[1], None, 20)])
    protected = protect(cells, RULES)
    assert hidden_cells(protected) == {("A", AGED_18_25, p) for p in
                                       ["2024-11", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", periods[1]]}
    assert protected.loc[~protected["suppressed"], "published"].tolist() == [0, 9, 26]
    maxima = attacker_max(cells, hidden_cells(protected))
    # each hidden month: 26 - June's 9 - the other five hidden months (at least 1 each)
    assert {maxima[("A", AGED_18_25, month)] for month in ["2024-11", "2025-01", "2025-02", "2025-03", "2025-04"]} == {12}


def test_a_largest_value_is_rounded_down_as_counts_are_whole():
    """Where a group's totals give a primary count a largest value of 4.5 (here 2 x0 + x1 = 10, each
    at least 1), a reader knows it is at most 4: the audit proves it small (threshold 4), and a
    solution putting it at 4.5 does not settle it. (Until December 2026 4.5 counted as above 4; the
    reviewer's attack on the demo marts, rounding down, proved 24 LSOA counts at most 4.)"""
    value, threshold = np.array([4.0, 2.0, 10.0]), np.array([4.0, 0.0, 0.0])
    lines = disclosure._matrices(np.array([2]), np.array([0, 1]), np.array([0, 2]), 3)
    audit = disclosure._Suppression(value, threshold, lines)
    a, b = csr_matrix(np.array([[2.0, 1.0]])), np.array([10.0])
    settled: set[int] = set()
    assert audit._small(0, [0, 1], a, b, {0: 0, 1: 1}, [0], settled) is not None
    audit._settle({0: 0, 1: 1}, [0], np.array([4.5, 1.0]), settled)
    assert settled == set()
    audit._settle({0: 0, 1: 1}, [0], np.array([5.0, 0.0]), settled)
    assert settled == {0}


def test_a_rule_that_does_not_round_shows_a_fraction_as_counted():
    """KSI casualties are a sum of adjusted severities (probabilities): a rule with round_to 1 shows them
    as counted, not to the nearest whole one (until December 2026 the marts showed 67.59 as 68 beside a
    change of 6.64 worked out from the fraction); a rule rounding to 5 rounds them to 5."""
    rows = [("county", "K", None, "ksi", "2025", None, 67.587803), ("district", "A", "K", "ksi", "2025", None, 30.25),
            ("district", "B", "K", "ksi", "2025", None, 37.337803)]
    for rule, shown in (("none", [67.587803, 30.25, 37.337803]), ("hes", [70.0, 30.0, 35.0])):
        protected = protect(district_month(rows).assign(rule=rule), RULES)
        assert protected["published"].tolist() == shown
        assert not protected["suppressed"].any()


VAP, VSO = "Violence against the person", "Violence and sexual offences (data.police.uk)"


def with_public_totals(rows, zeros: bool = False) -> pd.DataFrame:
    """(level, area, area parent, violence against the person, sexual offences) rows of one month
    (no row where a group has no crimes), each group adding up to data.police.uk's violence and
    sexual offences, which the cube adds as the pipeline does (csp.marts.cube.public_cells): a total
    no mart shows but every reader knows (`public`). With `zeros`, as the pipeline now makes them: a
    violence against the person of 0 in each LSOA month with sexual offences and none, and
    `may_be_zero` (csp.marts.cube.with_zero_cells)."""
    from csp.marts.cube import public_cells, with_zero_cells

    groups = pd.DataFrame([(level, area, parent, measure, [VSO], "2025-01", None, value)
                           for level, area, parent, vap, sexual in rows for measure, value in ((VAP, vap), (SEX, sexual))
                           if value],
                          columns=["level", "area_code", "area_parent", "measure", "measure_parent", "period",
                                   "period_parent", "value"])
    if zeros:
        groups = with_zero_cells(groups, [[SEX, VAP]], lambda group: group == SEX)
    groups = groups.assign(rule=groups["measure"].map({VAP: "none", SEX: "small_counts"}), public=False)
    public = public_cells(groups, "Violence and sexual offences", [VAP, SEX])
    assert public["measure"].eq(VSO).all() and public["public"].all() and public["rule"].eq("none").all()
    assert public.set_index("area_code")["value"].to_dict() == {area: vap + sexual for _, area, _, vap, sexual in rows}
    return pd.concat([groups, public], ignore_index=True)


def test_a_public_total_over_two_groups_hides_the_group_beside_a_hidden_one():
    """data.police.uk publishes violence and sexual offences (VSO) by LSOA and month; the marts show
    violence against the person (VAP, rule none) and sexual offences apart. Protected without the
    public total, L1's hidden 2 sexual offences are VSO 9 - VAP 7. With it, known and never hidden,
    VAP is hidden beside every hidden sexual offences count (its LSOAs' VAP then add up to D's 25
    with all three hidden), and no hidden count can be shown to be 4 or fewer."""
    cells = with_public_totals([("district", "D", None, 25, 14), ("lsoa", "L1", "D", 7, 2),
                                ("lsoa", "L2", "D", 12, 9), ("lsoa", "L3", "D", 6, 3)])
    public = {key(r) for r in cells[cells["public"]].to_dict("records")}
    primary = {("L1", SEX, "2025-01"), ("L3", SEX, "2025-01")}

    before = protect(cells[~cells["public"]].drop(columns="public"), RULES)   # the cube without it
    assert not hidden_cells(before) & {k for k in public} and primary < hidden_cells(before)
    maxima = attacker_max(cells, hidden_cells(before), of=primary)
    assert maxima[("L1", SEX, "2025-01")] == 2 and maxima[("L3", SEX, "2025-01")] == 3   # recovered exactly

    protected = protect(cells, RULES)
    hidden = hidden_cells(protected)
    assert not hidden & public
    assert hidden == primary | {("L2", SEX, "2025-01"), ("L1", VAP, "2025-01"), ("L2", VAP, "2025-01"),
                                ("L3", VAP, "2025-01")}
    maxima = attacker_max(cells, hidden, of=primary)
    assert min(maxima.values()) > 4
    assert maxima[("L1", SEX, "2025-01")] == 8   # VSO 9 less VAP, at least 1


def test_a_public_total_is_never_hidden_and_asks_no_more_than_it_leaves():
    """Where the public total itself bounds a count, nothing the marts hide can free it, and the
    public total is not the marts' to hide: L4's VSO is 5 and a VAP row shows there is violence, so
    its sexual offences are at most 4 from the public data alone; L5 has no VAP (no row), so its 3
    sexual offences are VSO's 3. The audit asks of them only what the public total leaves (4 and 3),
    hides no public total, and still protects L1 as fully as any. (The cube now gives L5 a VAP of 0
    and takes VAP beside sexual offences to be at least 0, which frees both: the next test.)"""
    cells = with_public_totals([("district", "D", None, 26, 16), ("lsoa", "L1", "D", 7, 2),
                                ("lsoa", "L2", "D", 18, 7), ("lsoa", "L4", "D", 1, 4), ("lsoa", "L5", "D", 0, 3)])
    public = {key(r) for r in cells[cells["public"]].to_dict("records")}
    protected = protect(cells, RULES)
    hidden = hidden_cells(protected)
    assert not hidden & public
    primary = {(area, SEX, "2025-01") for area in ("L1", "L4", "L5")}
    assert primary < hidden
    maxima = attacker_max(cells, hidden, of=primary)
    assert maxima[("L4", SEX, "2025-01")] == 4 and maxima[("L5", SEX, "2025-01")] == 3
    assert maxima[("L1", SEX, "2025-01")] > 4


def test_sexual_offences_with_no_violence_get_a_hidden_zero_of_it_in_the_cube_and_the_lsoa_table():
    """The LSOA table has a row only where there are crimes. L1 has 3 sexual offences and no violence
    against the person (VAP): with no VAP row a reader knows VAP is 0 there, and data.police.uk's
    violence and sexual offences (VSO), 3, is L1's sexual offences count whatever the mart hides (51
    such counts in the sample marts until December 2026); and where a VAP row meant at least 1, L2's
    sexual offences were at most VSO 9 - 1. The cube now gives L1 a VAP of 0 beside its sexual
    offences, which a reader cannot tell from L2's and L3's VAP beside theirs, so hidden each is at
    least 0: the 0 is hidden beside L1's sexual offences, the LSOA table has a row for it, and VSO
    less what the mart shows leaves L1's sexual offences anywhere from 1 to 3, L2's up to 9."""
    rows = [("district", "D", None, 19, 14), ("lsoa", "L1", "D", 0, 3), ("lsoa", "L2", "D", 7, 2),
            ("lsoa", "L3", "D", 12, 9)]
    sexual = {area: (area, SEX, "2025-01") for area in ("L1", "L2", "L3")}
    violence = {area: (area, VAP, "2025-01") for area in ("L1", "L2", "L3")}

    before = with_public_totals(rows)   # as the cube was made until December 2026
    hidden = hidden_cells(protect(before, RULES))
    assert violence["L1"] not in {key(r) for r in before.to_dict("records")} and sexual["L1"] in hidden
    assert attacker_max(before, hidden, of={sexual["L1"]}, least=True) == {sexual["L1"]: 3} \
        == attacker_max(before, hidden, of={sexual["L1"]})                  # recovered exactly
    assert attacker_max(before, hidden, of={sexual["L2"]}) == {sexual["L2"]: 8}

    cells = with_public_totals(rows, zeros=True)
    added = cells[cells["value"].eq(0)]
    assert [key(r) for r in added.to_dict("records")] == [violence["L1"]]
    assert added[["area_parent", "measure_parent", "rule", "public"]].values.tolist() == [["D", [VSO], "none", False]]
    may_be_zero = {key(r) for r in cells[cells["may_be_zero"].fillna(False).astype(bool)].to_dict("records")}
    assert may_be_zero == set(violence.values())      # not D's VAP, nor sexual offences
    protected = protect(cells, RULES)
    hidden = hidden_cells(protected)
    assert hidden == set(sexual.values()) | set(violence.values())
    assert attacker_max(cells, hidden, of=set(sexual.values()), may_be_zero=may_be_zero, least=True) == {
        sexual["L1"]: 1, sexual["L2"]: 1, sexual["L3"]: 2}    # L3's: VSO 21 less VAP, at most D's 19
    assert attacker_max(cells, hidden, of=set(sexual.values()), may_be_zero=may_be_zero) == {
        sexual["L1"]: 3, sexual["L2"]: 9, sexual["L3"]: 12}

    # the mart's LSOA table: a row for L1's 0, hidden like its sexual offences; its crimes add up as before
    from csp.marts.spec import load_spec
    from csp.marts.tables import protect_table, published_cells, with_zero_rows

    table = next(t for t in load_spec() if t.name == "crime_lsoa_monthly")
    frame = pd.DataFrame([("D", area, f"{area} name", pd.Timestamp("2025-01-01"), group, count)
                          for _, area, _, vap, sex in rows[1:] for group, count in ((SEX, sex), (VAP, vap)) if count],
                         columns=["lad_code", "lsoa_code", "lsoa_name", "month", "offence_group", "crimes"])
    with_zeros = with_zero_rows(frame, table, protected)
    assert len(with_zeros) == len(frame) + 1 and with_zeros["crimes"].sum() == frame["crimes"].sum() == 33
    assert with_zeros[["lsoa_code", "lsoa_name", "offence_group", "crimes"]].values.tolist()[:2] == [
        ["L1", "L1 name", SEX, 3], ["L1", "L1 name", VAP, 0]]
    shown = protect_table(with_zeros, table, published_cells(protected))
    assert shown[["lsoa_code", "offence_group", "crimes", "suppressed_columns"]].astype(object).where(
        shown[["lsoa_code", "offence_group", "crimes", "suppressed_columns"]].notna(), None).values.tolist() == [
        ["L1", SEX, None, "crimes"], ["L1", VAP, None, "crimes"], ["L2", SEX, None, "crimes"],
        ["L2", VAP, None, "crimes"], ["L3", SEX, None, "crimes"], ["L3", VAP, None, "crimes"]]


def test_a_public_count_of_one_has_both_groups_hidden_whichever_the_crime_is():
    """In an LSOA month whose data.police.uk violence and sexual offences (VSO) is 1, a row of sexual
    offences said the one crime was a sexual offence: with a violence against the person (VAP) 0 beside
    it, L1's hidden sexual offences were at least 1 (a row) and at most VSO's 1 (43 such counts in the
    sample marts until December 2026). The cube now gives a sexual offences 0, hidden, to each LSOA
    month whose VSO is 1 and has none (L2, with one VAP), so such a month always shows the same two
    hidden rows: either count may be the 0. L3's VSO is 23, so its row does say 'at least 1', as a hidden
    count's row always does."""
    rows = [("district", "D", None, 20, 5), ("lsoa", "L1", "D", 0, 1), ("lsoa", "L2", "D", 1, 0),
            ("lsoa", "L3", "D", 19, 4)]
    sexual = {area: (area, SEX, "2025-01") for area in ("L1", "L2", "L3")}
    violence = {area: (area, VAP, "2025-01") for area in ("L1", "L2", "L3")}
    cells = with_public_totals(rows, zeros=True)

    added = cells[cells["value"].eq(0)]
    assert sorted(map(key, added.to_dict("records"))) == [violence["L1"], sexual["L2"]]
    assert added.set_index("area_code")[["zero_beside", "hide"]].loc[["L1", "L2"]].values.tolist() == [
        [SEX, False], [VAP, True]]   # only the sexual offences 0 must be hidden: nothing else would hide it
    may_be_zero = {key(r) for r in cells[cells["may_be_zero"].fillna(False).astype(bool)].to_dict("records")}
    assert may_be_zero == set(violence.values()) | {sexual["L1"], sexual["L2"]}   # not L3's: its VSO is 23
    hidden = hidden_cells(protect(cells, RULES))
    assert hidden == set(sexual.values()) | set(violence.values())
    bounds = {cell: (attacker_max(cells, hidden, of={cell}, may_be_zero=may_be_zero, least=True)[cell],
                     attacker_max(cells, hidden, of={cell}, may_be_zero=may_be_zero)[cell]) for cell in sexual.values()}
    # L3's: D's 5 less the others' least (0 each); L1's and L2's: the 1 may be either's
    assert bounds == {sexual["L1"]: (0, 1), sexual["L2"]: (0, 1), sexual["L3"]: (3, 5)}

    # the mart as it was, with no sexual offences 0 at L2: L1's row says at least 1, VSO at most 1
    before = cells[cells["measure"].ne(SEX) | cells["value"].gt(0)]
    at_least_one = may_be_zero - {sexual["L1"], sexual["L2"]}
    assert attacker_max(before, hidden - {sexual["L2"]}, of={sexual["L1"]}, may_be_zero=at_least_one, least=True) \
        == {sexual["L1"]: 1} == attacker_max(before, hidden - {sexual["L2"]}, of={sexual["L1"]}, may_be_zero=at_least_one)

    # the mart's LSOA table: a row for L2's 0, hidden like the 1 beside it
    from csp.marts.spec import load_spec
    from csp.marts.tables import protect_table, published_cells, with_zero_rows

    table = next(t for t in load_spec() if t.name == "crime_lsoa_monthly")
    frame = pd.DataFrame([("D", area, pd.Timestamp("2025-01-01"), group, count)
                          for _, area, _, vap, sex in rows[1:] for group, count in ((SEX, sex), (VAP, vap)) if count],
                         columns=["lad_code", "lsoa_code", "month", "offence_group", "crimes"])
    protected = protect(cells, RULES)
    shown = protect_table(with_zero_rows(frame, table, protected), table, published_cells(protected))
    assert shown[["lsoa_code", "offence_group", "crimes", "suppressed_columns"]].astype(object).where(
        shown[["lsoa_code", "offence_group", "crimes", "suppressed_columns"]].notna(), None).values.tolist() == [
        ["L1", SEX, None, "crimes"], ["L1", VAP, None, "crimes"], ["L2", SEX, None, "crimes"],
        ["L2", VAP, None, "crimes"], ["L3", SEX, None, "crimes"], ["L3", VAP, None, "crimes"]]


def test_an_added_zero_a_district_total_shows_to_be_zero_is_hidden_and_held_to_nothing():
    """The sexual offences 0 added in L1 (its public count is 1: one VAP) is hidden, and with it L1's
    VAP and a second count of D's VAP line: D's own, as L2's VAP is its public count (L2 has no sexual
    offences) and hiding it would hide nothing. D's month shows no sexual offences at all, so a reader
    knows it is 0 whatever is hidden: it is held to no threshold (as a primary count would be, which
    the audit then widened for ever: the refresh of a small extract never ended)."""
    cells = with_public_totals([("district", "D", None, 3, 0), ("lsoa", "L1", "D", 1, 0), ("lsoa", "L2", "D", 2, 0)],
                               zeros=True)
    none = cells[cells["measure"].eq(VAP) & cells["area_code"].eq("D")].assign(measure=SEX, value=0, rule="small_counts")
    cells = pd.concat([cells, none], ignore_index=True)
    assert cells.loc[cells["hide"].fillna(False).astype(bool), ["area_code", "measure", "value"]].values.tolist() == [
        ["L1", SEX, 0]]
    assert hidden_cells(protect(cells, RULES)) == {("L1", SEX, "2025-01"), ("L1", VAP, "2025-01"), ("D", VAP, "2025-01")}


def test_a_count_a_public_total_bounds_is_not_left_exact_by_the_totals_beside_it():
    """L1's 2 sexual offences (primary) are at most 2 from the public count alone (VSO 2, no VAP: a
    0 row). Hidden beside L2's 6 (VSO 6, the line's second), D's 17 less L3's shown 9 leaves 8 for
    the two, each then at its public bound: L1 is known to be 2. The audit holds its largest value at
    2 and now its least below it too: D's two totals are hidden (the programme's dual values point
    at them), and L1 may be 1."""
    rows = [("district", "D", None, 5, 17), ("lsoa", "L1", "D", 0, 2), ("lsoa", "L2", "D", 0, 6), ("lsoa", "L3", "D", 5, 9)]
    cells = with_public_totals(rows, zeros=True)
    may_be_zero = {key(r) for r in cells[cells["may_be_zero"].fillna(False).astype(bool)].to_dict("records")}
    l1 = ("L1", SEX, "2025-01")
    hidden = hidden_cells(protect(cells, RULES))
    assert hidden == {l1, ("L2", SEX, "2025-01"), ("D", SEX, "2025-01"),
                      ("L1", VAP, "2025-01"), ("L2", VAP, "2025-01"), ("D", VAP, "2025-01")}
    assert attacker_max(cells, hidden, of={l1}, may_be_zero=may_be_zero, least=True) == {l1: 1}
    assert attacker_max(cells, hidden, of={l1}, may_be_zero=may_be_zero) == {l1: 2}
    # without D's: exact
    before = hidden - {("D", SEX, "2025-01"), ("D", VAP, "2025-01")}
    assert attacker_max(cells, before, of={l1}, may_be_zero=may_be_zero, least=True) == {l1: 2} \
        == attacker_max(cells, before, of={l1}, may_be_zero=may_be_zero)


def test_a_count_that_is_all_of_a_public_total_is_shown_not_hidden_in_vain():
    """L2 has violence against the person (VAP) and no sexual offences, so data.police.uk's violence and
    sexual offences there (9) is its VAP: hidden, the 9 would hide nothing. L1's 3 sexual offences are
    hidden, with its VAP 0 beside them; D's VAP line then needs a second hidden count, and the audit
    takes D's own total, not L2's 9 (taken as public: never hidden, as the public count is not)."""
    cells = with_public_totals([("district", "D", None, 9, 3), ("lsoa", "L1", "D", 0, 3), ("lsoa", "L2", "D", 9, 0)],
                               zeros=True)
    hidden = hidden_cells(protect(cells, RULES))
    assert hidden == {("L1", SEX, "2025-01"), ("L1", VAP, "2025-01"), ("D", VAP, "2025-01"), ("D", SEX, "2025-01")}
    may_be_zero = {key(r) for r in cells[cells["may_be_zero"].fillna(False).astype(bool)].to_dict("records")}
    assert attacker_max(cells, hidden, of={("L1", SEX, "2025-01")}, may_be_zero=may_be_zero) == {("L1", SEX, "2025-01"): 3}
