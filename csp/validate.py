"""Delivery-level validation with Great Expectations (GX Core 1.x).

GX's SQL datasource does not work against DuckDB (stack notes), so each delivery's landed rows
are validated as a pandas DataFrame against the suite stored in expectations/<source>.<form>.json.
GX decides whether a delivery is usable at all; row-level problems are decided in SQL
(sql/staging/*_checked.sql) so that every row gets its own reason.

A batch of deliveries landed together (csp/ingest/batches.py) is first checked as a whole against
the suite restated on the batch's shape (`shape_suite`): the distinct values of its columns, each
file's row count and repeated keys. Every expectation of a delivery suite is a bound on its own rows
(a row count, or a share of unexpected values no larger than 1 - mostly), so when no distinct value
of the batch is unexpected, no key repeats within a file and every file's row count is in range,
each delivery passes its own suite: one validation instead of one a file (GX costs ~0.1 s a
validation however small the data; 1,548 files at national scale). Real deliveries often hold a
few values a check allows a share of (a quarter of generated national files do), so when the shape
fails there, the files no other failure points at are checked once more together
(`shape_suite(shares=True)`): each file's share of values passing each such check, counted from the
unexpected values the shape's validation named, against its `mostly`, as GX compares them for a
delivery. Files the shape or the
shares point at are validated alone, as any other delivery is.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import pandas as pd

from csp.contracts import suite_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Unexpected:
    """A failed expectation of a batch's shape (shape_suite): what it found unexpected, and where."""
    column: str | None      # None: an expectation on no column
    values: list            # its unexpected values
    rows: list[int]         # their rows in the shape frame (a per-file column's row i is the batch's file i)
    restates: dict          # the delivery suite's expectation it restates ({} if none)


@dataclass
class ValidationOutcome:
    success: bool
    failures: list[str] = field(default_factory=list)   # one sentence per failed expectation
    evaluated: int = 0
    result_json: str = "{}"   # GX's validation result, stored for the Data Docs
    # of a batch's shape: each failed expectation's unexpected values and their rows in the shape frame
    unexpected: list[Unexpected] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.failures)


def _describe(exp_type: str, kwargs: dict, result: dict) -> str:
    """A failed expectation in words a partner can act on."""
    col = kwargs.get("column")
    pct = result.get("unexpected_percent")
    examples = ", ".join(repr(v) for v in dict.fromkeys(result.get("partial_unexpected_list") or [])) or "none listed"
    share = f"{pct:.1f}% of values" if pct is not None else "values"
    if exp_type == "expect_table_row_count_to_be_between":
        return f"the file has {result.get('observed_value')} data rows (at least {kwargs.get('min_value')} expected)"
    if exp_type == "expect_column_to_exist":
        return f"column '{col}' is missing"
    if exp_type == "expect_column_values_to_be_in_set":
        return f"column '{col}': {share} are not allowed values (e.g. {examples})"
    if exp_type == "expect_column_values_to_match_regex":
        return f"column '{col}': {share} are not in the expected format (e.g. {examples})"
    if exp_type == "expect_column_values_to_be_unique":
        return f"column '{col}': {share} are repeated keys (e.g. {examples})"
    return f"{exp_type} failed on {col or 'the table'}"


BATCH_SUITES = (".batch", ".batch_shares")   # the suffixes of the suites a batch's files are recorded under
SHAPE_ROWS = "rows in the file"
SHAPE_REPEATS = "rows repeating {column} in their file"
SHARE_OF = {"expect_column_values_to_be_in_set": "in the allowed set",
            "expect_column_values_to_match_regex": "in the expected format",
            "expect_column_values_to_be_unique": "not repeated in it"}
SHAPE_SHARE = "{column}: share of its file's values {what}"


def tolerant(exp: dict) -> bool:
    """Whether a delivery suite's expectation allows a share of unexpected values (mostly < 1)."""
    return exp.get("type") in SHARE_OF and exp["kwargs"].get("mostly", 1) < 1


def share_column(exp: dict) -> str:
    return SHAPE_SHARE.format(column=exp["kwargs"]["column"], what=SHARE_OF[exp["type"]])


def shape_suite(spec: dict, shares: bool = False) -> dict:
    """A delivery suite restated on a batch's shape (module docstring): strict where the delivery suite
    allows a share of unexpected values, so that passing it means every delivery passes its own. With
    `shares`, each expectation allowing a share is restated instead on each file's share of values
    passing it (batches.batch_shape's share columns): at least `mostly`, GX's own comparison. Each
    restated expectation's meta names the one it restates."""
    exps = []
    for exp in spec["expectations"]:
        kwargs = {k: v for k, v in exp["kwargs"].items() if k != "mostly"}
        if shares and tolerant(exp):
            exps.append({"type": "expect_column_values_to_be_between",
                         "kwargs": {"column": share_column(exp), "min_value": exp["kwargs"]["mostly"]}})
        elif exp["type"] == "expect_table_row_count_to_be_between":
            exps.append({"type": "expect_column_values_to_be_between", "kwargs": {"column": SHAPE_ROWS, **kwargs}})
        elif exp["type"] == "expect_column_values_to_be_unique":
            exps.append({"type": "expect_column_values_to_be_between",
                         "kwargs": {"column": SHAPE_REPEATS.format(column=kwargs["column"]), "max_value": 0}})
        else:
            exps.append({"type": exp["type"], "kwargs": kwargs})
        exps[-1]["meta"] = {"restates": {"type": exp["type"], "kwargs": exp["kwargs"]}}
    checks = "distinct values, row counts and repeated keys of files read together"
    return {"name": spec["name"] + BATCH_SUITES[shares], "expectations": exps,
            "meta": {**spec.get("meta", {}), "restates": spec["name"],
                     "checks": checks + (", and each file's share of values passing each check that allows a share"
                                         if shares else "")}}


def shape_columns(spec: dict) -> tuple[list[str], list[str]]:
    """The columns whose distinct values a suite's shape needs, and those it counts repeats of."""
    values = [e["kwargs"]["column"] for e in spec["expectations"]
              if e["type"] in ("expect_column_values_to_be_in_set", "expect_column_values_to_match_regex")]
    keys = [e["kwargs"]["column"] for e in spec["expectations"] if e["type"] == "expect_column_values_to_be_unique"]
    return list(dict.fromkeys(values)), keys


def suite_columns(spec: dict) -> list[str]:
    """The columns a suite's expectations name: all a delivery's validation needs of its rows (every
    other expectation is on the row count), and GX's cost per call grows with the columns it is given."""
    return list(dict.fromkeys(e["kwargs"]["column"] for e in spec["expectations"] if "column" in e["kwargs"]))


def suite_spec(source: str, form: str) -> dict:
    return json.loads(suite_path(source, form).read_text(encoding="utf-8"))


class DeliveryValidator:
    """Holds one ephemeral GX context for a run (creating it costs seconds; reuse it)."""

    def __init__(self) -> None:
        import great_expectations as gx  # slow import (~5 s): only when a delivery needs checking
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._asset = self.context.data_sources.add_pandas("deliveries").add_dataframe_asset("delivery")
        self._batch_definition = self._asset.add_batch_definition_whole_dataframe("whole delivery")
        self._suites: dict[str, object] = {}

    def _suite(self, source: str, form: str, kind: str):
        key = f"{source}.{form}.{kind}"
        if key not in self._suites:
            spec = suite_spec(source, form)
            if kind != "delivery":
                spec = shape_suite(spec, shares=kind == "shares")
            self._suites[key] = self.context.suites.add(self._gx.ExpectationSuite(**spec))
        return self._suites[key]

    def validate(self, source: str, form: str, df: pd.DataFrame, kind: str = "delivery") -> ValidationOutcome:
        """Validate a delivery's rows against its suite (`kind` "delivery"), or a batch's shape
        (batches.batch_shape) against the suite restated on it ("shape", or "shares": shape_suite)."""
        batch = self._batch_definition.get_batch(batch_parameters={"dataframe": df})
        # a shape's failures must name every unexpected value (COMPLETE), to find the files holding them
        result = batch.validate(self._suite(source, form, kind),
                                result_format="SUMMARY" if kind == "delivery" else "COMPLETE")
        failures = [
            _describe(r.expectation_config.type, r.expectation_config.kwargs, r.result or {})
            for r in result.results
            if not r.success
        ]
        unexpected = [Unexpected(r.expectation_config.kwargs.get("column"), (r.result or {}).get("unexpected_list") or [],
                                 (r.result or {}).get("unexpected_index_list") or [],
                                 (r.expectation_config.meta or {}).get("restates") or {})
                      for r in result.results if not r.success]
        return ValidationOutcome(success=bool(result.success), failures=failures, evaluated=len(result.results),
                                 result_json=json.dumps(result.to_json_dict()), unexpected=unexpected)
