"""Delivery-level validation with Great Expectations (GX Core 1.x).

GX's SQL datasource does not work against DuckDB (stack notes), so each delivery's landed rows
are validated as a pandas DataFrame against the suite stored in expectations/<source>.<form>.json.
GX decides whether a delivery is usable at all; row-level problems are decided in SQL
(sql/staging/*_checked.sql) so that every row gets its own reason.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import pandas as pd

from csp.contracts import suite_path

log = logging.getLogger(__name__)


@dataclass
class ValidationOutcome:
    success: bool
    failures: list[str] = field(default_factory=list)   # one sentence per failed expectation
    evaluated: int = 0
    result_json: str = "{}"   # GX's validation result, stored for the Data Docs

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

    def _suite(self, source: str, form: str):
        key = f"{source}.{form}"
        if key not in self._suites:
            spec = json.loads(suite_path(source, form).read_text(encoding="utf-8"))
            self._suites[key] = self.context.suites.add(self._gx.ExpectationSuite(**spec))
        return self._suites[key]

    def validate(self, source: str, form: str, df: pd.DataFrame) -> ValidationOutcome:
        batch = self._batch_definition.get_batch(batch_parameters={"dataframe": df})
        result = batch.validate(self._suite(source, form))
        failures = [
            _describe(r.expectation_config.type, r.expectation_config.kwargs, r.result or {})
            for r in result.results
            if not r.success
        ]
        return ValidationOutcome(success=bool(result.success), failures=failures, evaluated=len(result.results),
                                 result_json=json.dumps(result.to_json_dict()))
