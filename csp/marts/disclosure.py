"""Disclosure control for the district marts (docs/disclosure.md).

Works on a cube: every count the marts publish, with the total each count adds up to along each
of three hierarchies (area, measure, period). A "line" is one such total and the counts adding up
to it. Three steps, on the whole cube before any mart is cut from it:

1. primary: a source's rule hides counts from 1 to `suppress_up_to` at the levels it covers;
2. secondary: each line with a hidden count must hide at least two, and where its total is shown
   the hidden counts must add up to more than the threshold (else their sum, total minus the
   shown counts, would itself be a small number); then an audit solves all the published totals
   together (a linear programme per group of linked lines, as an attacker would) and hides more
   until no primary count can be shown to be within the threshold;
3. rounding: shown counts are rounded where the rule says so (after suppression, which works on
   the true values; the audit treats shown counts as exact, which only makes it stricter).
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

KEYS = ("area_code", "measure", "period")
PARENTS = {"area_code": "area_parent", "measure": "measure_parent", "period": "period_parent"}


@dataclass(frozen=True)
class Rule:
    name: str
    suppress_up_to: int = 0      # counts 1..suppress_up_to are hidden (0: none)
    round_to: int = 1            # shown counts rounded to the nearest round_to
    levels: tuple[str, ...] = ()  # area levels the rule covers (lsoa, district, neighbour, county)


def rules_from_settings(disclosure: dict) -> dict[str, Rule]:
    """The [disclosure.<rule>] tables of config/settings.toml, plus "none"."""
    rules = {"none": Rule("none")}
    for name, r in disclosure.items():
        rules[name] = Rule(name, int(r.get("suppress_up_to", 0)), int(r.get("round_to", 1)), tuple(r.get("levels", ())))
    return rules


def protect(cells: pd.DataFrame, rules: dict[str, Rule]) -> pd.DataFrame:
    """`cells`: one row per published count, with KEYS, their PARENTS (NULL at the top; a list where
    a count adds up into several totals), `level`,
    `rule` (a name in `rules`) and `value`. Returns them with `suppressed` (primary or secondary:
    outputs never say which, or the secondary cells would point at the primary ones), `round_to`
    and `published` (the value shown: NaN when suppressed, rounded where the rule rounds)."""
    cells = cells.reset_index(drop=True)
    duplicated = cells.duplicated(list(KEYS))
    if duplicated.any():
        raise ValueError(f"disclosure cells repeat a key, e.g. {cells.loc[duplicated, list(KEYS)].iloc[0].tolist()}")
    threshold = np.zeros(len(cells))
    round_to = np.ones(len(cells))
    for name, rule in rules.items():
        covered = ((cells["rule"] == name) & cells["level"].isin(rule.levels)).to_numpy()
        threshold[covered] = rule.suppress_up_to
        round_to[covered] = rule.round_to
    value = cells["value"].to_numpy(dtype=float)
    primary = (value >= 1) & (value <= threshold)
    suppressed = _Suppression(value, threshold, _lines(cells)).run(primary)
    shown = np.floor(value / round_to + 0.5) * round_to
    return cells.assign(suppressed=suppressed, round_to=round_to.astype(int), published=np.where(suppressed, np.nan, shown))


@dataclass
class _Lines:
    parent: list[int]                 # the cell each line totals to
    children: list[np.ndarray]        # the cells adding up to it
    of_cell: dict[int, list[int]]     # the lines each cell is in (as a child or as the total)


def _lines(cells: pd.DataFrame) -> _Lines:
    """Every line of the cube. A parent that is not itself a published cell makes no line."""
    position = pd.Series(np.arange(len(cells)), index=pd.MultiIndex.from_frame(cells[list(KEYS)]))
    lines = _Lines([], [], {})
    for key, parent_column in PARENTS.items():
        # a parent column holds one total or a list: a month adds up into its 12 months and into its
        # year to date; an offence group into All crime and into every measure made of groups
        parents = cells[parent_column].explode().dropna()
        target = cells.loc[parents.index, list(KEYS)].assign(**{key: parents.to_numpy()})
        parent = position.reindex(pd.MultiIndex.from_frame(target)).to_numpy()
        found = ~np.isnan(parent)
        children = pd.Series(parents.index.to_numpy()[found])
        for total, members in children.groupby(parent[found].astype(int)):
            line = len(lines.parent)
            lines.parent.append(int(total))
            lines.children.append(members.to_numpy())
            for cell in (int(total), *members.tolist()):
                lines.of_cell.setdefault(cell, []).append(line)
    return lines


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
    def __init__(self, value: np.ndarray, threshold: np.ndarray, lines: _Lines):
        self.value, self.threshold, self.lines = value, threshold, lines
        # groups the audit found safe, by their lines and hidden cells: the same equations give the
        # same answer, so a later round audits only the groups that changed (most rounds change few)
        self.safe: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
        # line x cell: 1 where the cell is in the line, so the lines holding a hidden cell are one product
        members = [self._members(line) for line in range(len(lines.parent))]
        self.incidence = csr_matrix((np.ones(sum(map(len, members))),
                                     (np.repeat(np.arange(len(members)), list(map(len, members))),
                                      np.concatenate(members) if members else [])),
                                    shape=(len(members), len(value)))

    def run(self, primary: np.ndarray) -> np.ndarray:
        self.primary = primary
        self.hidden = primary.copy()
        pending = _Pending()
        for cell in np.flatnonzero(primary):
            pending.add(self.lines.of_cell.get(int(cell), []))
        while True:
            while pending:
                line = pending.pop()
                cell = self._line_needs(line)
                if cell is not None:
                    self._hide(cell, pending)
                    pending.add([line])
            failing = self._audit()
            if not failing:
                return self.hidden
            for component in failing:
                self._hide(self._widen(component), pending)

    def _hide(self, cell: int, pending: "_Pending") -> None:
        self.hidden[cell] = True
        pending.add(self.lines.of_cell.get(int(cell), []))

    def _line_needs(self, line: int) -> int | None:
        """The next cell this line must hide, or None when it is safe on its own."""
        parent, children = self.lines.parent[line], self.lines.children[line]
        members = np.append(children, parent)
        hidden = self.hidden[members]
        if not hidden.any() or hidden.all():
            return None
        parent_shown = not self.hidden[parent]
        hidden_sum = self.value[children][self.hidden[children]].sum()
        if hidden.sum() >= 2 and (not parent_shown or hidden_sum > self.threshold[members].max()):
            return None
        # the smallest count shown loses least; a total only when the counts cannot do it, since
        # hiding a total spreads to the lines above it
        candidates = children[~self.hidden[children] & (self.value[children] > 0)]
        if len(candidates):
            return int(candidates[np.lexsort((candidates, self.value[candidates]))[0]])
        if parent_shown:
            return parent
        zeros = children[~self.hidden[children]]   # a zero only makes up the two hidden cells
        return int(zeros[0])

    def _audit(self) -> list[list[int]]:
        """Groups of linked lines in which an attacker, solving every published total of the group
        together, could still prove a primary cell small (its largest possible value within the
        threshold)."""
        failing = []
        for component in self._components():
            if len(component) < 2:   # one line: the line rule above already guarantees it
                continue
            cells = sorted({int(c) for line in component for c in self._members(line) if self.hidden[c]})
            signature = (tuple(sorted(component)), tuple(cells))
            if signature in self.safe:
                continue
            column = {cell: i for i, cell in enumerate(cells)}
            a = np.zeros((len(component), len(cells)))
            b = np.zeros(len(component))
            for row, line in enumerate(component):
                for cell, sign in self._signed(line):
                    if self.hidden[cell]:
                        a[row, column[cell]] += sign
                    else:
                        b[row] -= sign * self.value[cell]
            primary = [cell for cell in cells if self.primary[cell]]
            large = (_shown_large(a, b, [column[cell] for cell in primary], self.threshold[primary]) if len(primary) > 1
                     else [False] * len(primary))   # one primary cell: its own programme is the one to solve
            for cell in (cell for cell, proven in zip(primary, large) if not proven):
                objective = np.zeros(len(cells))
                objective[column[cell]] = -1
                result = linprog(objective, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
                if result.status == 0 and -result.fun <= self.threshold[cell] + 1e-9:
                    failing.append(component)
                    break
            else:
                self.safe.add(signature)
        return failing

    def _components(self) -> list[list[int]]:
        """Lines with hidden cells, grouped where they share a hidden cell."""
        lines = np.flatnonzero(self.incidence @ self.hidden > 0).tolist()
        group = {line: line for line in lines}

        def root(line: int) -> int:
            while group[line] != line:
                group[line] = group[group[line]]
                line = group[line]
            return line

        for line in lines:
            for cell in self._members(line):
                if self.hidden[cell]:
                    for other in self.lines.of_cell[int(cell)]:
                        group[root(other)] = root(line)
        components: dict[int, list[int]] = {}
        for line in lines:
            components.setdefault(root(line), []).append(line)
        return list(components.values())

    def _widen(self, component: list[int]) -> int:
        """One more cell to hide in a group of lines where the audit could pin a primary cell down:
        the smallest count still shown in the group (a zero only when no other is left)."""
        shown = {int(c) for line in component for c in self._members(line) if not self.hidden[c]}
        if not shown:
            raise RuntimeError("disclosure control cannot protect a group of lines: every count in it is hidden")
        return min(shown, key=lambda c: (self.value[c] == 0, self.value[c], c))

    def _members(self, line: int) -> np.ndarray:
        return np.append(self.lines.children[line], self.lines.parent[line])

    def _signed(self, line: int):
        """The line as an equation: children (+1) minus total (-1) = 0."""
        yield from ((int(c), 1.0) for c in self.lines.children[line])
        yield self.lines.parent[line], -1.0


def _shown_large(a: np.ndarray, b: np.ndarray, primary: list[int], threshold: np.ndarray) -> np.ndarray:
    """Which primary cells (columns of `a`) one solution of a group's totals (a x = b, x >= 0) puts
    above their thresholds: such a cell cannot be proven small, so needs no linear programme of its
    own. The solution puts as many as it can above them (y <= x, y <= threshold + 1, maximise the
    sum of y): in most groups that is every one, one programme instead of one per primary cell.
    Above means by half a count, well clear of the solver's tolerances."""
    rows, cells, k = a.shape[0], a.shape[1], len(primary)
    capped = np.zeros((k, cells + k))
    capped[np.arange(k), primary] = -1
    capped[np.arange(k), cells + np.arange(k)] = 1
    result = linprog(np.r_[np.zeros(cells), -np.ones(k)], A_ub=capped, b_ub=np.zeros(k),
                     A_eq=np.hstack([a, np.zeros((rows, k))]), b_eq=b,
                     bounds=[(0, None)] * cells + [(0, t + 1) for t in threshold], method="highs")
    if result.status != 0:
        return np.zeros(k, dtype=bool)
    return result.x[primary] >= threshold + 0.5
