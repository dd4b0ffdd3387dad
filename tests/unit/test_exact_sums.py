"""Sums of fractional values (KSI's adjusted severities) are exact, so the same whatever order the
rows are summed in: summed as doubles, 0.1 + 0.2 + 0.3 is 0.6000000000000001 and 0.3 + 0.2 + 0.1 is
0.6, and a parallel sum's order differs from run to run."""
from __future__ import annotations

import datetime as dt

import pytest

from csp.config import load_settings
from csp.warehouse import connect, execute, run


@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_ksi_adjusted_sums_to_the_same_number_in_any_order(tmp_path, order):
    settings = load_settings().with_paths(warehouse=tmp_path / "w.duckdb")
    with connect(settings.warehouse) as con:
        execute(con, "CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS facts")
        # three casualties with adjusted probabilities of a serious injury (from injury-based reporting)
        execute(con, f"""CREATE TABLE staging.road_casualties AS
            SELECT 'E07000105' AS lad_code, DATE '2025-03-01' AS month, 'serious' AS severity, true AS is_ksi,
                   CAST(p AS DOUBLE) AS ksi_adjusted
            FROM (VALUES (0.1), (0.2), (0.3)) AS v (p) ORDER BY p {order}""")
        run(con, "facts/road_casualties_monthly")
        rows = execute(con, "SELECT lad_code, casualties, ksi, ksi_adjusted FROM facts.road_casualties_monthly")
    assert rows == [("E07000105", 3, 3, 0.6)]
