"""Disclosure control for the district marts (docs/disclosure.md).

Works on a cube: every count the marts publish, with the total each count adds up to along each
of three hierarchies (area, measure, period). A "line" is one such total and the counts adding up
to it. Three steps, on the whole cube before any mart is cut from it:

1. primary: a source's rule hides counts from 1 to `suppress_up_to` at the levels it covers;
2. secondary: each line with a hidden count must hide at least two, and where its total is shown
   a hidden count's largest possible value (the total, less the shown counts, less 1 for each other
   hidden count: a zero is never hidden, so a reader knows each hidden count is at least 1, but
   where a count may be zero: `may_be_zero`) must be above the threshold; then an audit solves all
   the published totals together (a linear programme per group of linked lines, as an attacker
   would, each hidden count at least 1 or at least 0 as said, a measure at most the measure it is
   a subset of) and hides more until no primary count can be shown to be within the threshold, nor,
   where a public total bounds it, to be exactly that bound (its least value is held below it). A
   total published elsewhere (`public`: data.police.uk's violence and sexual offences, which the
   marts split into two offence groups) is known to every reader: never hidden, its line always in
   the attacker's equations;
3. rounding: shown counts are rounded where the rule says so (after suppression, which works on
   the true values; the audit treats shown counts as exact, which only makes it stricter).
"""
from __future__ import annotations

import heapq
import logging
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize._highspy import _core as highs
from scipy.sparse import csc_array, csr_matrix, hstack, vstack
from scipy.sparse.csgraph import connected_components

log = logging.getLogger(__name__)

KEYS = ("area_code", "measure", "period")
# a progress line this often while the audit goes on: where small counts are everywhere it can take
# many minutes (docs/disclosure.md), and a refresh saying nothing for that long looks stuck
PROGRESS_EVERY_S = 30.0
# the times one primary cell's group may be widened by a cell a round for it; then every count of the group that
# may be hidden is hidden at once. Where a short month makes nearly every count small (a late file of 100 rows
# replacing a month), a group was still failing after thousands of rounds of one cell each (and, tried, after
# rounds of up to 1,024 cells each), every round's programmes larger than the last: a review's refresh ran 14
# minutes without ending. Hiding the group whole hides more than strictly needed, never less: the audit still says
# when it is safe
WIDEN_ONE_AT_A_TIME = 20
# counts are whole numbers, so a reader rounds a largest possible value down: below threshold + 1 (4.5
# with a threshold of 4) proves a count within the threshold. Solutions are taken to this tolerance
TOLERANCE = 1e-6
PARENTS = {"area_code": "area_parent", "measure": "measure_parent", "period": "period_parent"}


@dataclass(frozen=True)
class Rule:
    name: str
    suppress_up_to: int = 0      # counts 1..suppress_up_to are hidden (0: none)
    round_to: int = 1            # shown counts rounded to the nearest round_to
    levels: tuple[str, ...] = ()  # area levels the rule covers (lsoa, district, neighbour, county)

    def hides_at(self, level: str) -> bool:
        return self.suppress_up_to > 0 and level in self.levels


def rules_from_settings(disclosure: dict) -> dict[str, Rule]:
    """The [disclosure.<rule>] tables of config/settings.toml, plus "none"."""
    rules = {"none": Rule("none")}
    for name, r in disclosure.items():
        rules[name] = Rule(name, int(r.get("suppress_up_to", 0)), int(r.get("round_to", 1)), tuple(r.get("levels", ())))
    return rules


def protect(cells: pd.DataFrame, rules: dict[str, Rule], subsets=()) -> pd.DataFrame:
    """`cells`: one row per published count, with KEYS, their PARENTS (NULL at the top; a list where
    a count adds up into several totals), `level`,
    `rule` (a name in `rules`) and `value`; optionally `public`: true for a total no mart shows but
    another publisher does (data.police.uk's violence and sexual offences), known to every reader and
    so never hidden. A primary count under a public total is protected as far as the public total
    allows: its largest value must be above its threshold, or else as large as the public total
    leaves it (the total less the least each other count in its line can be), since the public data alone say
    no more than that (cube_cells: csp/marts/cube.py). Optionally `may_be_zero`: true for a count
    whose row a reader cannot tell from an added 0 (the LSOA table's violence against the person
    beside sexual offences: csp/marts/cube.py, with_zero_cells): hidden, it is taken to be at least 0,
    not 1, and a 0 of it may be hidden. Optionally `hide`: true for a count hidden whatever its value,
    with a second count in each of its lines as for a primary one, but held to no threshold (an added 0
    of sexual offences where data.police.uk's count is 1: with_zero_cells).
    `subsets`: (measure, (its subsets ...)) pairs, each
    naming measures whose counts are disjoint parts of the measure's (knife crime: its victims under
    18 and aged 18-25), so that in every area and period the parts add up to at most the measure.
    Returns the cells with `suppressed` (primary or secondary:
    outputs never say which, or the secondary cells would point at the primary ones), `round_to`
    and `published` (the value shown: NaN when suppressed, rounded where the rule rounds)."""
    cells = cells.reset_index(drop=True)
    keys = _Keys(cells)
    duplicated = keys.position.duplicated()
    if duplicated.any():
        raise ValueError(f"disclosure cells repeat a key, e.g. {cells.loc[duplicated, list(KEYS)].iloc[0].tolist()}")
    threshold = np.zeros(len(cells))
    round_to = np.ones(len(cells))
    for name, rule in rules.items():
        covered = ((cells["rule"] == name) & cells["level"].isin(rule.levels)).to_numpy()
        threshold[covered] = rule.suppress_up_to
        round_to[covered] = rule.round_to
    value = cells["value"].to_numpy(dtype=float)
    if np.isnan(value).any():   # every count is audited as a number: a missing one would be taken for none
        raise ValueError(f"disclosure cells hold no value for {cells.loc[np.isnan(value), list(KEYS)].iloc[0].tolist()}")
    public, may_be_zero, hide = (cells[flag].fillna(False).to_numpy(dtype=bool) if flag in cells
                                 else np.zeros(len(cells), dtype=bool) for flag in ("public", "may_be_zero", "hide"))
    lines, rest = _with_subsets(cells, keys, _lines(cells, keys), value, subsets)
    # a subset's line: the measure = its parts + the rest of it, a count no mart publishes (always hidden,
    # at least 0, never public); every other hidden count is at least 1, as a zero is never hidden, but one
    # that may be zero
    none = np.zeros(len(rest), dtype=bool)
    public = _all_of_public(lines, np.r_[public, none], np.r_[threshold > 0, ~none])
    threshold[public[:len(cells)]] = 0   # never primary: it is published already
    value, threshold = np.r_[value, rest], np.r_[threshold, np.zeros(len(rest))]
    floor = np.r_[np.where(may_be_zero, 0.0, 1.0), np.zeros(len(rest))]
    primary = small(value, threshold)
    held = _within_public(threshold, value, lines, public, floor)
    suppressed = _Suppression(value, held, lines, len(cells), public, floor, bounded=held < threshold) \
        .run(primary, np.r_[hide, none])[:len(cells)]
    value, threshold = value[:len(cells)], threshold[:len(cells)]
    shown = rounded(value, round_to)
    return cells.assign(suppressed=suppressed, round_to=round_to.astype(int), published=np.where(suppressed, np.nan, shown))


def _all_of_public(lines: "_Lines", public: np.ndarray, ruled: np.ndarray) -> np.ndarray:
    """`public` and each count no rule protects (not `ruled`) that is all of a public total but counts
    known as public: violence against the person in an LSOA month with no sexual offences is
    data.police.uk's violence and sexual offences there. Hidden, it would hide nothing, and the audit,
    widening a group by such a count, learnt so only once it had hidden it (its public line then
    joining the group): on the Kent benchmark's cube a group was widened 20 rounds by such counts and
    then hidden whole. A count a rule protects stays the marts' to hide, as far as the public total
    leaves it (_within_public)."""
    line_of = np.repeat(np.arange(len(lines.parent)), np.diff(lines.start))
    unknown = ~public[lines.child]
    alone = public[lines.parent] & (np.bincount(line_of, weights=unknown, minlength=len(lines.parent)) == 1)
    public = public.copy()
    public[lines.child[unknown & alone[line_of] & ~ruled[lines.child]]] = True
    return public


def _within_public(threshold: np.ndarray, value: np.ndarray, lines: "_Lines", public: np.ndarray,
                   floor: np.ndarray) -> np.ndarray:
    """The thresholds the audit holds primary counts to: a count under a public total (a line whose
    total is public) can be shown to be no larger than the total less the least each other count in
    the line can be (`floor`: 1, as every count of a line is a cell and a zero is never hidden; 0 for
    one that may be zero) whatever the marts hide, since the public data and the rows the marts show
    say so; where that is within its threshold, the audit asks for that much and no more (else it
    would hide everything, in vain). Sexual offences in an LSOA month with 3 violence and sexual
    offences on data.police.uk are at most 3 (violence against the person may be 0), and 3 is all
    the audit can ask for."""
    threshold = threshold.copy()
    on_public = np.flatnonzero(public[lines.parent])
    if not len(on_public):
        return threshold
    sizes = lines.start[on_public + 1] - lines.start[on_public]
    children = np.concatenate([lines.children(line) for line in on_public.tolist()])
    # the largest any one count of the line can be: the total less the least of each other count
    floors = np.bincount(np.repeat(np.arange(len(on_public)), sizes), weights=floor[children], minlength=len(on_public))
    largest = np.repeat(value[lines.parent[on_public]] - floors, sizes) + floor[children]
    np.minimum.at(threshold, children, np.maximum(largest - 1, 0))
    return threshold


def small(value: np.ndarray, threshold) -> np.ndarray:
    """The counts a rule hides itself (primary suppression): 1 to its threshold."""
    return (value >= 1) & (value <= threshold)


def rounded(value: np.ndarray, round_to) -> np.ndarray:
    """Counts as a rule shows them: to the nearest `round_to`, halves up; as counted where it does not
    round (1), so a sum of probabilities (KSI from adjusted severities) stays the fraction the county
    pack shows, and the change worked out from it matches it."""
    return np.where(np.asarray(round_to) > 1, np.floor(value / round_to + 0.5) * round_to, value)


@dataclass
class _Lines:
    parent: np.ndarray                # the cell each line totals to
    child: np.ndarray                 # the cells adding up to them, line after line ...
    start: np.ndarray                 # ... line i's from child[start[i]] to child[start[i + 1]]
    members: csr_matrix               # line x cell: 1 where the cell is in the line (a child or the total)
    signed: csr_matrix                # line x cell: the line as an equation, children (+1) minus total (-1) = 0

    def children(self, line: int) -> np.ndarray:
        return self.child[self.start[line]:self.start[line + 1]]


class _Keys:
    """Each cell's key as one integer, its three values' codes in mixed radix: finding the cells of
    many keys is then one lookup of integers, not of text."""

    def __init__(self, cells: pd.DataFrame):
        self.codes, self.values = zip(*(pd.factorize(cells[key], use_na_sentinel=False) for key in KEYS))
        self.position = pd.Index(self.flat(self.codes))

    def flat(self, codes) -> np.ndarray:
        area, measure, period = codes
        return (area.astype(np.int64) * len(self.values[1]) + measure) * len(self.values[2]) + period


def _lines(cells: pd.DataFrame, keys: _Keys) -> _Lines:
    """Every line of the cube. A parent that is not itself a published cell makes no line."""
    parent, child, start = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for k, (key, parent_column) in enumerate(PARENTS.items()):
        # a parent column holds one total or a list: a month adds up into its 12 months and into its
        # year to date; an offence group into All crime and into every measure made of groups
        parents = cells[parent_column].explode().dropna()
        rows = parents.index.to_numpy()
        target = [code[rows] for code in keys.codes]
        target[k] = pd.Index(keys.values[k]).get_indexer(parents.to_numpy())   # -1: a value no cell has
        total = np.where(target[k] >= 0, keys.position.get_indexer(keys.flat(target)), -1)
        found = total >= 0
        # one line per total, lowest total first, its counts in the cells' order (a stable sort)
        order = np.argsort(total[found], kind="stable")
        total, rows = total[found][order], rows[found][order]
        first = np.flatnonzero(np.diff(total, prepend=-1))
        start.append(first + sum(map(len, child)))
        parent.append(total[first])
        child.append(rows)
    parent, child = np.concatenate(parent), np.concatenate(child)
    start = np.append(np.concatenate(start), len(child))
    return _matrices(parent, child, start, len(cells))


def _matrices(parent: np.ndarray, child: np.ndarray, start: np.ndarray, n_cells: int) -> _Lines:
    line = np.repeat(np.arange(len(parent)), np.diff(start))
    entries = (np.r_[line, np.arange(len(parent))], np.r_[child, parent])
    shape = (len(parent), n_cells)
    return _Lines(parent, child, start, csr_matrix((np.ones(len(entries[0])), entries), shape=shape),
                  csr_matrix((np.r_[np.ones(len(child)), -np.ones(len(parent))], entries), shape=shape))


def _with_subsets(cells: pd.DataFrame, keys: _Keys, lines: _Lines, value: np.ndarray,
                  subsets) -> tuple[_Lines, np.ndarray]:
    """`lines` and a line for each measure's subsets (protect) in each area and period where the
    measure is a cell: the measure = the parts that are cells + the rest (a cell after the cube's,
    its value returned). A line whose parts add up to more than the measure is left out (the parts
    are then not subsets of it in these counts, and a reader cannot take them to be)."""
    parent, child, start, rest = [lines.parent], [lines.child], [lines.start[:-1]], []
    placed = len(lines.child)   # the children listed so far: the next line's start (summed anew, ~0.2 s for Kent)
    n, measures = len(cells), pd.Index(keys.values[1])
    area, _, period = keys.codes
    for measure, parts in subsets:
        at = measures.get_indexer([measure, *parts])
        if at[0] < 0 or (at[1:] < 0).all():
            continue
        totals = np.flatnonzero(keys.codes[1] == at[0])
        found = np.stack([keys.position.get_indexer(keys.flat((area[totals], np.full(len(totals), code), period[totals])))
                          if code >= 0 else np.full(len(totals), -1) for code in at[1:]], axis=1)
        remainder = value[totals] - np.where(found >= 0, value[found], 0).sum(axis=1)
        for total, cells_found, left in zip(totals.tolist(), found, remainder.tolist()):
            cells_found = cells_found[cells_found >= 0]
            if not len(cells_found) or left < -1e-9:
                continue
            start.append([placed])
            parent.append([total])
            child.append(np.r_[cells_found, n + len(rest)])
            placed += len(child[-1])
            rest.append(max(left, 0.0))
    if not rest:
        return lines, np.zeros(0)
    parent, child = np.concatenate(parent).astype(np.int64), np.concatenate(child).astype(np.int64)
    start = np.append(np.concatenate(start), len(child)).astype(np.int64)
    return _matrices(parent, child, start, n + len(rest)), np.array(rest)


class _Pending:
    """Lines still to check, lowest first and each once, so the same cells always give the same
    pattern."""

    def __init__(self):
        self.heap: list[int] = []
        self.queued: set[int] = set()

    def add(self, lines) -> None:
        for line in lines:
            if line not in self.queued:
                self.queued.add(line)
                heapq.heappush(self.heap, line)

    def pop(self) -> int:
        line = heapq.heappop(self.heap)
        self.queued.discard(line)
        return line

    def __bool__(self) -> bool:
        return bool(self.heap)


class _Suppression:
    def __init__(self, value: np.ndarray, threshold: np.ndarray, lines: _Lines, published: int | None = None,
                 public: np.ndarray | None = None, floor: np.ndarray | None = None, bounded: np.ndarray | None = None):
        self.value, self.threshold, self.lines = value, threshold, lines
        # totals published elsewhere (data.police.uk): known to every reader, never hidden
        self.public = np.zeros(len(value), dtype=bool) if public is None else public
        # cells from `published` on are the rest of a measure beside its subsets (_with_subsets): no mart
        # shows them, they are hidden from the start and at least 0. Every other hidden cell is at
        # least 1 (primary cells are, and a zero is never hidden) but where `floor` says 0: a count that
        # may be zero (protect's may_be_zero), whose 0 may be hidden
        self.published = len(value) if published is None else published
        self.rest = np.arange(len(value)) >= self.published
        self.shown = ~self.rest   # cells a mart may show
        self.floor = np.where(self.rest, 0.0, 1.0) if floor is None else floor
        # counts that may be hidden: above zero, or a 0 that may be (a count hidden at its floor adds
        # a number the attacker does not know, though not one that can be smaller)
        self.may_hide = (value > 0) | (self.floor == 0)
        # groups the audit found safe, by their lines and hidden cells: the same equations give the
        # same answer, so a later round audits only the groups that changed (most rounds change few)
        self.safe: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
        # primary cells that a solution of their group's totals put clear above their thresholds.
        # Cells are only ever added to the hidden ones, so a group only grows; where every line of
        # the grown group adds up, that solution, with the true values of the cells hidden since,
        # still solves it. The cell's largest value can then only have grown, and later rounds
        # need no programme for it
        self.large: set[int] = set()
        # lines whose counts add up to their total (to well within the solver's tolerance)
        self.adds_up = np.abs(lines.signed @ value) <= 1e-9 * np.maximum(1, np.abs(value[lines.parent]))
        # primary cells whose programme last proved them small: after one more cell is hidden they
        # usually still are, so they are solved first and the group's failure found in one programme
        self.small: set[int] = set()
        # primary cell -> the rounds its group was widened for it (WIDEN_ONE_AT_A_TIME)
        self.widenings: dict[int, int] = {}
        # cells whose threshold a public count lowered (_within_public): their largest value is held at
        # that count's bound, so their least value must be held below it too, or they are known exactly
        # (_exact); `loose`: those a solution put within their threshold, which hiding more never undoes
        self.bounded = np.zeros(len(value), dtype=bool) if bounded is None else bounded.copy()
        self.loose: set[int] = set()
        # cell x line: the lines each cell is in (as a child or as the total)
        self.of_cell = lines.members.T.tocsr()

    def run(self, primary: np.ndarray, forced: np.ndarray | None = None) -> np.ndarray:
        """The cells hidden: `primary` ones, protected as the module says, and `forced` ones (protect's
        `hide`), hidden from the start, so that their lines hide a second cell, but not themselves
        held to a threshold: a 0 of sexual offences added where the public count is 1 is there to be
        hidden, not to be kept from being known as 0 where a total already says so (a district month
        with none), which no hiding could prevent."""
        self.primary = primary & ~self.rest
        self.hidden = self.primary | self.rest
        if forced is not None:
            self.hidden |= forced
        self.groups = _Groups(self.lines.members, self.of_cell, self.hidden)
        pending = _Pending()
        for cell in np.flatnonzero(self.hidden & ~self.rest):
            pending.add(self._lines_of(cell))
        # the hidden cells at the last audit: a group holding none hidden since is as that audit found
        # it, safe (a failing one was widened, which hides a cell in it), so it is not looked at again
        self.audited = np.zeros_like(self.hidden)
        rounds, said = 0, time.monotonic()
        while True:
            self._apply_line_rule(pending)
            failing = self._audit()
            if not failing:
                return self.hidden
            self._widen_all(failing, pending)
            rounds += 1
            if time.monotonic() - said >= PROGRESS_EVERY_S:
                said = time.monotonic()
                log.info("disclosure control still running: %d audit round(s) so far, %d of %d counts hidden (%d "
                         "primary); %d group(s) of linked totals still being widened", rounds,
                         self.hidden[:self.published].sum(), self.published, self.primary.sum(), len(failing))

    def _apply_line_rule(self, pending: "_Pending") -> None:
        while pending:
            line = pending.pop()
            cell = self._line_needs(line)
            if cell is not None:
                self._hide(cell, pending)
                pending.add([line])

    def _widen_all(self, failing: list[tuple[np.ndarray, int, np.ndarray, bool]], pending: "_Pending") -> None:
        for component, cell, dual, below in failing:
            self.widenings[cell] = self.widenings.get(cell, 0) + 1
            widened = self._widen(cell, component, dual)
            if widened is not None and self.widenings[cell] > WIDEN_ONE_AT_A_TIME:
                rest = self._rest_of_group(component)
                log.warning("disclosure control: a group of %d linked totals was still failing after %d rounds of "
                            "widening; all %d of its counts still shown that may be hidden are hidden (more than "
                            "needed, never fewer)", len(component), WIDEN_ONE_AT_A_TIME, len(rest))
                for other in rest:
                    self._hide(int(other), pending)
            elif widened is not None:
                self._hide(widened, pending)
            elif below:
                # no count left shown to hide: the cell stays as exact as the public count and the rows
                # shown leave it (the audit still holds its largest value), and is not looked at from below again
                self.bounded[cell] = False
                self.audited[cell] = False
            elif self.public[np.unique(_row_indices(self.lines.members, component))].any():
                # every count above zero still shown is a public total: the public data bound the cell, and
                # nothing the marts could hide would do more (as _within_public). Its group is audited again
                # for its other counts
                self.threshold[cell] = 0
                self.bounded[cell] = False   # held at 0, its least value can be no lower
                self.audited[cell] = False
            else:   # a group proven to fail has a count above zero shown (_widen)
                raise RuntimeError("disclosure control cannot protect a group of lines: no count above zero is "
                                   "left shown")

    def _rest_of_group(self, component: np.ndarray) -> np.ndarray:
        """Every count of the group of lines `component` still shown that may be hidden (not public, not a known 0)."""
        members = np.unique(_row_indices(self.lines.members, component))
        return members[~self.hidden[members] & self.may_hide[members] & ~self.public[members]]

    def _hide(self, cell: int, pending: "_Pending") -> None:
        if not self.hidden[cell]:   # in its groups once
            self.hidden[cell] = True
            self.groups.add(cell)
        pending.add(self._lines_of(cell))

    def _lines_of(self, cell: int) -> list[int]:
        return _row(self.of_cell, cell).tolist()

    def _line_needs(self, line: int) -> int | None:
        """The next cell this line must hide, or None when it is safe on its own."""
        # called ~60,000 times on a county's cube, before any district's mart can start: the children's
        # flags are read once, and the total's on their own, rather than through an array of both
        parent, children = int(self.lines.parent[line]), self.lines.children(line)
        hidden_children, parent_shown = self.hidden[children], not self.hidden[parent]
        hidden = int(np.count_nonzero(hidden_children)) + (not parent_shown)
        if hidden == len(children) + 1:
            return None
        if not ((hidden_children & self.shown[children]).any() or (not parent_shown and self.shown[parent])):
            return None   # the rest of a measure is not shown anyway
        if hidden >= 2:
            if not parent_shown:
                return None
            # a hidden count's largest value: the total less the shown counts (the hidden ones' sum) less
            # the least each other hidden count can be (1; the rest of a measure 0)
            hidden_cells = children[hidden_children]
            largest = self.value[hidden_cells].sum() - self.floor[hidden_cells].sum() + 1
            if largest > np.maximum(self.threshold[children].max(initial=-np.inf), self.threshold[parent]):
                return None
        # the smallest count shown loses least; a total only when the counts cannot do it, since
        # hiding a total spreads to the lines above it. A zero is never hidden (but one that may be
        # zero): a reader knows every hidden count is at least its floor, 1 (it would not be hidden
        # otherwise), and the audit counts on it. Where two are hidden but their largest value is too
        # small, a count at its floor (a 1) would not make it larger
        above = 0 if hidden < 2 else 1
        candidates = children[~hidden_children & (self.value[children] >= self.floor[children] + above)
                              & ~self.public[children]]
        if len(candidates):
            return int(candidates[np.lexsort((candidates, self.value[candidates]))[0]])
        if parent_shown and self.value[parent] > 0 and not self.public[parent]:
            return parent
        # only zeros left shown beside a hidden total (the line holds two hidden cells, or does not add
        # up): nothing to hide here; the audit solves the line with the others it is linked to
        return None

    def _audit(self) -> list[tuple[np.ndarray, int, np.ndarray, bool]]:
        """Groups of linked lines in which an attacker, solving every published total of the group
        together, could still prove a primary cell small (its largest possible value within the
        threshold) or, where a public count bounds it, exact (_exact), each with such a cell, the dual
        values of the programme proving it and whether that programme minimised it."""
        failing, shown = [], None
        # only the groups holding a cell hidden since the last audit: the others are as it left them, safe
        components = self.groups.holding(np.flatnonzero(self.hidden & ~self.audited))
        self.audited = self.hidden.copy()
        for component, cells in components:
            if len(component) < 2:   # one line: the line rule above already guarantees it
                continue
            if shown is None:
                shown = np.where(self.hidden, 0.0, self.value)
            pinned = self._audit_group(component, cells, shown)
            if pinned is not None:
                failing.append((component, *pinned))
        return failing

    def _audit_group(self, component: np.ndarray, cells: np.ndarray,
                     shown: np.ndarray) -> tuple[int, np.ndarray, bool] | None:
        """A primary cell the group's totals prove small, or known exactly where a public count bounds
        it, with the proof's dual values and whether it is its least value (_pinned, _exact); None when
        there is none."""
        signature = (tuple(component.tolist()), tuple(cells.tolist()))
        if signature in self.safe:
            return None
        a, b = self._equations(component, cells, shown)
        adds_up, cells = self.adds_up[component].all(), cells.tolist()
        pinned = self._pinned(cells, a, b, self.large if adds_up else set())
        if pinned is not None:
            return *pinned, False
        exact = self._exact(cells, a, b, self.loose if adds_up else set())
        if exact is not None:
            return *exact, True
        self.safe.add(signature)
        return None

    def _equations(self, component: np.ndarray, cells: np.ndarray,
                   shown: np.ndarray) -> tuple[csr_matrix, np.ndarray]:
        """The group's totals as a x = b: a row per line, a column per hidden cell, shown cells in b.
        Sparse: where small counts are many, a group can join thousands of lines and cells."""
        equations = self.lines.signed[component]
        return equations[:, cells], -(equations @ shown)

    def _pinned(self, cells: list[int], a: csr_matrix, b: np.ndarray,
                settled: set[int]) -> tuple[int, np.ndarray] | None:
        """A primary cell whose largest value a x = b, x >= floor (x: `cells`, hidden) holds within its
        threshold, with the dual values of the programme proving it (one per row of `a`), or None;
        `settled`: cells known not to be (self.large, where it holds). Which
        cell is solved first, and which cells one solution settles, changes no answer (whether
        there is such a cell), only how many programmes it takes and which cell is named."""
        column = {cell: i for i, cell in enumerate(cells)}
        unsettled = [cell for cell in cells if self.primary[cell] and cell not in settled]
        # last round's small cells first: one more hidden cell seldom frees them
        suspects = [cell for cell in unsettled if cell in self.small]
        rest = [cell for cell in unsettled if cell not in self.small]
        for cell in suspects:
            dual = None if cell in settled else self._small(cell, cells, a, b, column, unsettled, settled)
            if dual is not None:
                return cell, dual
        joint, lifting = True, None
        while rest := [cell for cell in rest if cell not in settled]:
            if joint and len(rest) > 1:
                # one programme putting as many as it can above their thresholds; again while it
                # settles some (one cell: its own programme is the one to solve)
                before = len(settled)
                if lifting is None:   # for the cells left now: later solutions want fewer of them
                    lifted, lifting = np.array(rest), _Lifting(a, b, [column[c] for c in rest], self.threshold[rest],
                                                               self.floor[cells])
                wanted = set(rest)   # a set, not np.isin: ~6,000 small masks on Kent's cube
                x = lifting.solve(np.array([cell in wanted for cell in lifted.tolist()], dtype=bool))
                self._settle(column, rest, x, settled)
                joint = len(settled) > before
                if joint:
                    continue
            dual = self._small(rest[0], cells, a, b, column, unsettled, settled)
            if dual is not None:
                return rest[0], dual
            rest, joint = rest[1:], True   # its own programme cleared it, whatever its solution settled
        return None

    def _small(self, cell: int, cells: list[int], a: csr_matrix, b: np.ndarray, column: dict[int, int],
               unsettled: list[int], settled: set[int]) -> np.ndarray | None:
        """Whether `cell`'s largest value in a x = b, x >= floor (1; the rest of a measure 0), rounded
        down (counts are whole), is within its threshold (its own programme; the solution may settle
        other cells too): the programme's dual values if it is (where to widen: _by_duals), else None."""
        objective = np.zeros(len(cells))
        objective[column[cell]] = -1
        fun, x, dual = _solve(objective, a, b, lower=self.floor[cells])
        if x is not None and -fun < self.threshold[cell] + 1 - TOLERANCE:
            self.small.add(cell)
            return dual
        self.small.discard(cell)
        self._settle(column, unsettled, x, settled)
        return None

    def _exact(self, cells: list[int], a: csr_matrix, b: np.ndarray, loose: set[int]) -> tuple[int, np.ndarray] | None:
        """A primary cell a public count bounds (`bounded`) whose least value a x = b, x >= floor holds
        above its threshold, with the dual values of the programme minimising it; or None. Its
        largest value is then the public count's bound, threshold + 1 (_pinned holds it there), so the
        cell is that number: Ashford 006A's 2 sexual offences under a public count of 2, beside
        005A's 6 under 6, where their district's total less its shown LSOA leaves 8. `loose`: cells
        known to be free (self.loose, where the group's lines add up). With several, one programme
        lowering them all first (it frees most), then one for each left."""
        column = {cell: i for i, cell in enumerate(cells)}
        todo = [cell for cell in cells if self.bounded[cell] and self.primary[cell] and cell not in loose]
        lower = self.floor[cells]
        if len(todo) > 1:   # one cell: its own programme is the one to solve
            objective = np.zeros(len(cells))
            objective[[column[cell] for cell in todo]] = 1
            _, x, _ = _solve(objective, a, b, lower=lower)
            self._loosen(column, todo, x, loose)
        for cell in todo:
            if cell in loose:
                continue
            objective = np.zeros(len(cells))
            objective[column[cell]] = 1
            fun, x, dual = _solve(objective, a, b, lower=lower)
            if x is not None and fun > self.threshold[cell] + TOLERANCE:
                return cell, dual
            self._loosen(column, todo, x, loose)
        return None

    def _loosen(self, column: dict[int, int], cells: list[int], x: np.ndarray | None, loose: set[int]) -> None:
        """The bounded cells that a solution `x` puts within their thresholds are free from below."""
        if x is not None:
            loose.update(cell for cell in cells if x[column[cell]] <= self.threshold[cell] + TOLERANCE)

    def _settle(self, column: dict[int, int], primary: list[int], x: np.ndarray | None, settled: set[int]) -> None:
        """The primary cells that a solution `x` of the group's totals (x[column[cell]]) puts at
        threshold + 1 or more (to the solver's tolerance) are settled."""
        if x is not None:
            large = [cell for cell in primary if x[column[cell]] >= self.threshold[cell] + 1 - TOLERANCE]
            settled.update(large)
            self.large.update(large)

    def _widen(self, cell: int, component: np.ndarray, dual: np.ndarray) -> int | None:
        """One more cell to hide where the audit could pin a primary cell down (`cell`, in the group of
        lines `component`): the count the programme that proved it small (its `dual` values) says
        would free it (_by_duals); failing that, the smallest
        count of 2 or more still shown nearest it (in its own lines; else in the lines of the cells
        hidden in those, and so on through its group). A zero is never hidden (the audit takes every
        hidden count to be at least 1; but a count that may be zero, at least 0), and a 1 only where
        no larger count is left: hidden, a count of 1 can be no smaller, so it makes no other count's
        largest value larger (nor can a 0 that may be zero). None where no count that may be hidden
        is left shown: a group whose totals hold no number but 0 bounds nothing."""
        chosen = self._by_duals(component, dual)
        if chosen is not None:
            return chosen
        lines, ones = _row(self.of_cell, cell), None
        seen = np.zeros(len(self.lines.parent), dtype=bool)
        seen[lines] = True
        while len(lines):
            members = _row_indices(self.lines.members, lines)   # a cell in two lines comes twice: no matter
            shown = members[~self.hidden[members] & self.may_hide[members] & ~self.public[members]]
            larger = shown[self.value[shown] > self.floor[shown]]
            if len(larger):
                return int(larger[self.value[larger] == self.value[larger].min()].min())
            if ones is None and len(shown):
                ones = int(shown.min())
            lines = np.unique(_row_indices(self.of_cell, np.unique(members[self.hidden[members]])))
            lines = lines[~seen[lines]]
            seen[lines] = True
        return ones

    def _by_duals(self, component: np.ndarray, dual: np.ndarray) -> int | None:
        """The shown count whose hiding would raise the largest value of the cell a programme proved
        small, by that programme's dual values (one per line of the group `component`): a count in a
        line that binds the cell (a dual value not 0), whose reduced cost (0 less its lines' dual
        values, signed as in the line) says the cell's largest value grows as the count moves up
        (any count), or down (one above its floor, 2 or more: a hidden count is at least 1, or 0 where
        it may be zero); the smallest such
        count. None where there is none. Widening nearest the cell instead took ~4 times the rounds
        on the demo cube and hid more: the lines that bind a cell are often not its own."""
        binding = np.abs(dual) > 1e-9
        if not binding.any():
            return None
        lines, y = component[binding], dual[binding]
        members = np.unique(_row_indices(self.lines.members, lines))
        shown = members[~self.hidden[members] & self.may_hide[members] & ~self.public[members]]
        if not len(shown):
            return None
        reduced = -(self.lines.signed[lines][:, shown].T @ y)
        helps = (reduced < -1e-9) | ((reduced > 1e-9) & (self.value[shown] >= self.floor[shown] + 1))
        shown = shown[helps]
        if not len(shown):
            return None
        return int(shown[np.lexsort((shown, self.value[shown]))[0]])


def _groups_by_label(items: np.ndarray, label: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """`items` split by `label`, lowest label first (each part in the items' order), and the label
    of each part."""
    if not len(label):
        return label, []
    order = np.argsort(label, kind="stable")
    label = label[order]
    starts = np.flatnonzero(np.r_[True, label[1:] != label[:-1]])
    return label[starts], np.split(items[order], starts[1:])


def _row(matrix: csr_matrix, row: int) -> np.ndarray:
    """The column indices of one row of `matrix`."""
    return matrix.indices[matrix.indptr[row]:matrix.indptr[row + 1]]


def _row_indices(matrix: csr_matrix, rows: np.ndarray) -> np.ndarray:
    """The column indices of `rows` of `matrix`, row after row: matrix[rows].indices without making
    the matrix (scipy's checks were most of it for a group of a few thousand lines)."""
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return matrix.indices[offsets + np.arange(lengths.sum())]


class _Groups:
    """Lines with hidden cells, grouped where they share a hidden cell (the connected parts of the
    graph joining each line to its hidden cells), kept up to date as cells are hidden: each group's
    lines and hidden cells in ascending order, and each line's group. Working the groups out again
    from every hidden cell each round was half the audit's time where small counts are everywhere
    (docs/disclosure.md), as most rounds hide one or two cells. Hiding a cell joins the groups of
    its lines: the smaller groups' lines are relabelled into the largest, and the joined group's
    sorted arrays made anew (in step with the group, not with every hidden cell)."""

    def __init__(self, members, of_cell, hidden: np.ndarray):
        self.of_cell = of_cell
        self.group = np.full(members.shape[0], -1)   # each line's group, named by one of its lines; -1: none
        self.lines: dict[int, np.ndarray] = {}
        # the groups of the cells hidden at the start, all at once
        cells = np.flatnonzero(hidden)
        links = members.tocsc()[:, cells].tocoo()
        n_lines = links.shape[0]
        graph = csr_matrix((np.ones(links.nnz), (links.row, n_lines + links.col)), shape=(n_lines + len(cells),) * 2)
        label = connected_components(graph, directed=False)[1]
        linked = np.flatnonzero(np.bincount(links.row, minlength=n_lines))
        for lines in _groups_by_label(linked, label[linked])[1]:
            self.group[lines] = lines[0]
            self.lines[int(lines[0])] = lines
        in_lines = np.diff(of_cell.indptr)[cells] > 0   # a cell in no line is in no group
        labels, groups = _groups_by_label(cells[in_lines], label[n_lines:][in_lines])
        first_line = {int(label[lines[0]]): int(lines[0]) for lines in self.lines.values()}
        self.cells: dict[int, np.ndarray] = {first_line[int(k)]: g for k, g in zip(labels, groups)}

    def add(self, cell: int) -> None:
        """`cell` hidden: its lines' groups joined, with it."""
        lines = _row(self.of_cell, cell)
        if not len(lines):
            return
        for line in lines[self.group[lines] < 0].tolist():
            self.group[line] = line
            self.lines[line] = np.array([line])
            self.cells[line] = np.zeros(0, dtype=np.int64)
        joined = set(self.group[lines].tolist())
        into = max(joined, key=lambda g: len(self.lines[g]))
        if len(joined) == 1:   # most often: the cell's lines are all in one group already
            self.cells[into] = np.insert(self.cells[into], np.searchsorted(self.cells[into], cell), cell)
            return
        others = sorted(joined - {into})
        for g in others:
            self.group[self.lines[g]] = into
        # sorted runs put end to end: the stable sort (timsort) merges them in one pass
        self.lines[into] = np.sort(np.concatenate([self.lines[into], *(self.lines.pop(g) for g in others)]),
                                   kind="stable")
        self.cells[into] = np.sort(np.concatenate([self.cells[into], [cell], *(self.cells.pop(g) for g in others)]),
                                   kind="stable")

    def holding(self, cells) -> list[tuple[np.ndarray, np.ndarray]]:
        """The groups holding any of `cells` (hidden), by their first line: (lines, hidden cells)."""
        groups = {int(self.group[lines[0]])
                  for lines in (_row(self.of_cell, cell) for cell in cells) if len(lines)}
        return [(self.lines[g], self.cells[g]) for g in sorted(groups, key=lambda g: self.lines[g][0])]

class _Lifting:
    """Solutions of a group's totals (a x = b, x >= lower) putting as many of some primary cells
    (columns of `a`) as they can above their thresholds (y <= x, y <= threshold + 1, maximise the
    sum of y): a cell one puts above its threshold cannot be proven small, so needs no linear
    programme of its own. In most groups one solution does it for every one, one programme
    instead of one per primary cell; where the cells share little room (LSOAs of one district
    month), each solution lifts a few, and the next is asked for the others. The programme is kept
    in HiGHS between solutions, and a later one only caps the cells already lifted at 0 (bounds,
    not the matrix, change), so HiGHS starts from the last solution's basis."""

    def __init__(self, a: csr_matrix, b: np.ndarray, primary: list[int], threshold: np.ndarray, lower: np.ndarray):
        rows, self.cells, self.k = a.shape[0], a.shape[1], len(primary)
        capped = csr_matrix((np.r_[-np.ones(self.k), np.ones(self.k)],
                             (np.r_[np.arange(self.k), np.arange(self.k)], np.r_[primary, self.cells + np.arange(self.k)])),
                            shape=(self.k, self.cells + self.k))
        self.cap = threshold + 1
        self.solver = _programme(np.r_[np.zeros(self.cells), -np.ones(self.k)], hstack([a, csr_matrix((rows, self.k))]), b,
                                 upper=np.r_[np.full(self.cells, np.inf), self.cap], a_ub=capped, b_ub=np.zeros(self.k),
                                 lower=np.r_[lower, np.zeros(self.k)])

    def solve(self, wanted: np.ndarray) -> np.ndarray | None:
        """A solution lifting as many of the primary cells `wanted` (a mask over them) as it can:
        x, or None if HiGHS finds none."""
        self.solver.changeColsBounds(self.k, np.arange(self.cells, self.cells + self.k, dtype=np.int32),
                                     np.zeros(self.k), np.where(wanted, self.cap, 0.0))
        if not _optimal(self.solver):
            return None
        return np.array(self.solver.getSolution().col_value)[:self.cells]


def _solve(c: np.ndarray, a_eq, b_eq: np.ndarray, upper: np.ndarray | None = None,
           a_ub=None, b_ub: np.ndarray | None = None,
           lower: np.ndarray | None = None) -> tuple[float, np.ndarray | None, np.ndarray | None]:
    """Minimise c x where a_ub x <= b_ub, a_eq x = b_eq and lower <= x <= upper (default 0 and no
    upper bound):
    (the minimum, x, the dual values of the equations), or (nan, None, None) when HiGHS finds no optimum. The model and options are those
    scipy.optimize.linprog(method="highs") hands HiGHS, so the answers are the same; linprog's
    checking of its arguments took most of each call's time on these small programmes. The
    matrices (sparse or dense) go to HiGHS as linprog hands them: by column, each column's rows in
    order, no zeros stored."""
    solver = _programme(c, a_eq, b_eq, upper, a_ub, b_ub, lower)
    if not _optimal(solver):
        return np.nan, None, None
    solution = solver.getSolution()
    return (solver.getInfo().objective_function_value, np.array(solution.col_value),
            np.array(solution.row_dual)[0 if a_ub is None else a_ub.shape[0]:])


def _optimal(solver) -> bool:
    """Run HiGHS on its programme: whether it found an optimum."""
    return solver.run() != highs.HighsStatus.kError and solver.getModelStatus() == highs.HighsModelStatus.kOptimal


def _programme(c: np.ndarray, a_eq, b_eq: np.ndarray, upper: np.ndarray | None = None,
               a_ub=None, b_ub: np.ndarray | None = None, lower: np.ndarray | None = None):
    """_solve's programme handed to HiGHS, not yet solved."""
    n = len(c)
    if a_ub is None:
        a_ub, b_ub = np.zeros((0, n)), np.zeros(0)
    matrix = csc_array(vstack((csc_array(a_ub), csc_array(a_eq))).astype(np.float64))
    matrix.eliminate_zeros()
    matrix.sort_indices()
    lp = highs.HighsLp()
    lp.num_col_ = lp.a_matrix_.num_col_ = n
    lp.num_row_ = lp.a_matrix_.num_row_ = matrix.shape[0]
    lp.a_matrix_.format_ = highs.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    lp.col_cost_ = np.asarray(c, dtype=float)
    lp.col_lower_ = np.zeros(n) if lower is None else np.asarray(lower, dtype=float)
    lp.col_upper_ = np.full(n, highs.kHighsInf) if upper is None else np.where(np.isinf(upper), highs.kHighsInf, upper)
    lp.row_lower_ = np.r_[np.full(len(b_ub), -highs.kHighsInf), b_eq]
    lp.row_upper_ = np.r_[b_ub, b_eq]
    options = highs.HighsOptions()
    options.presolve = "on"
    options.simplex_strategy = highs.simplex_constants.SimplexStrategy.kSimplexStrategyDual
    options.highs_debug_level = highs.HighsDebugLevel.kHighsDebugLevelNone
    options.output_flag = options.log_to_console = False
    solver = highs._Highs()
    solver.passOptions(options)
    solver.passModel(lp)
    return solver
