"""facts.source_windows.mixed_forms: when the 24 months compared came in more than one form (layout), each
form in words with its months, and what that means for a change; nothing when they came in one."""
from __future__ import annotations

import datetime as dt

import pytest

from csp.warehouse import execute, run
from tests.conftest import hand_built, police_crime_only

RESTRICTED, POLICE_UK = 1, 2   # hand_built's restricted delivery, and a data.police.uk file added below


def _add_police_uk_delivery(con) -> None:
    """hand_built's warehouse with delivery POLICE_UK: a data.police.uk file of police crime."""
    execute(con, """INSERT INTO meta.deliveries (delivery_id, source, form, file_name, file_path, checksum,
                                                 size_bytes, received_at, run_id, status, rows_received)
                    VALUES ($id, 'police_crime', 'police_uk', 'g', 'g', 'y', 1, now(), 'r', 'loaded', 1)""",
            {"id": POLICE_UK})


def _asb_beside_the_extract(con, without_ashford_october: bool = False) -> None:
    """Police crime's checked rows, November 2023 – October 2025: every county district's crimes from the force's
    extract (but Ashford's for October 2025, `without_ashford_october`), and ASB rows of data.police.uk's files
    for every district and month (their crimes replaced by the extract, their ASB rows current)."""
    _add_police_uk_delivery(con)
    execute(con, """CREATE TABLE staging.police_crime_checked AS
        SELECT 'police_crime' AS source, CAST(m AS DATE) AS month, d.lad_code, true AS is_current,
               r.delivery AS _delivery_id, r.delivery = $police_uk AS is_asb
        FROM range(DATE '2023-11-01', DATE '2025-11-01', INTERVAL 1 MONTH) AS t (m)
        CROSS JOIN ref.districts AS d
        CROSS JOIN (VALUES ($restricted), ($police_uk)) AS r (delivery)
        WHERE d.in_county
          AND NOT ($without AND r.delivery = $restricted AND d.lad_name = 'Ashford' AND m = DATE '2025-10-01')""",
            {"police_uk": POLICE_UK, "restricted": RESTRICTED, "without": without_ashford_october})
    police_crime_only(con)


def mixed_forms(tmp_path, police_uk_months: list[str]) -> str | None:
    """Every county district's crimes for every month November 2022 – October 2025, from the restricted
    extract but for `police_uk_months`, from a data.police.uk file; run on 20 November 2025 (the window:
    November 2024 – October 2025 against November 2023 – October 2024)."""
    with hand_built(tmp_path / "w.duckdb", dt.date(2025, 11, 20)) as con:
        _add_police_uk_delivery(con)
        execute(con, """CREATE TABLE staging.police_crime_checked AS
            SELECT 'police_crime' AS source, CAST(m AS DATE) AS month, d.lad_code, true AS is_current,
                   CASE WHEN strftime(m, '%Y-%m') IN (SELECT unnest($police_uk)) THEN $police_uk_id
                        ELSE $restricted_id END AS _delivery_id
            FROM range(DATE '2022-11-01', DATE '2025-11-01', INTERVAL 1 MONTH) AS r (m)
            CROSS JOIN ref.districts AS d WHERE d.in_county""",
                {"police_uk": police_uk_months, "police_uk_id": POLICE_UK, "restricted_id": RESTRICTED})
        police_crime_only(con)
        run(con, "facts/source_months")
        run(con, "facts/source_windows")
        [(current, previous, words)] = execute(con, "SELECT current_period, previous_period, mixed_forms "
                                                    "FROM facts.source_windows")
        assert (current, previous) == ("November 2024 – October 2025", "November 2023 – October 2024")
        return words


def test_a_data_police_uk_month_after_restricted_extracts_is_said(tmp_path):
    # real data.police.uk files following the force's extract: October 2025 from the public file
    assert mixed_forms(tmp_path, ["2025-10"]) == (
        "the months compared come from two layouts of the data — the force's restricted extract (November 2023 – "
        "September 2025) and data.police.uk's public files (October 2025); where the two differ in level, part of a "
        "change may be the layout's, not a real change")


def test_each_run_of_months_is_named(tmp_path):
    # a public file for the first month compared and for March 2025, the force's extract around them
    assert mixed_forms(tmp_path, ["2023-11", "2025-03"]) == (
        "the months compared come from two layouts of the data — data.police.uk's public files (November 2023, "
        "March 2025) and the force's restricted extract (December 2023 – February 2025, April 2025 – October 2025); "
        "where the two differ in level, part of a change may be the layout's, not a real change")


@pytest.mark.parametrize("police_uk_months", [
    [],                                  # one form throughout
    ["2022-11", "2023-06", "2023-10"],   # a layout change before the 24 months compared says nothing
    [f"{y}-{m:02d}" for y, m in [(2023, 11), (2023, 12)] + [(2024, m) for m in range(1, 13)]
     + [(2025, m) for m in range(1, 11)]],   # every month compared from the public files: one form
])
def test_one_form_in_the_months_compared_says_nothing(tmp_path, police_uk_months):
    assert mixed_forms(tmp_path, police_uk_months) is None


def test_a_data_police_uk_files_asb_rows_are_not_a_form_of_the_months_crimes(tmp_path):
    """The force's extract holds every month's crimes; data.police.uk's files were delivered for their ASB rows
    (their crimes replaced by the extract, their ASB rows current: the ASB source's). The months' crimes are of
    one form: the ASB rows made every month one of both, every measure the public form cannot give (domestic
    abuse, sexual offences, ...) not available, and the refresh warned of two layouts."""
    with hand_built(tmp_path / "w.duckdb", dt.date(2025, 11, 20)) as con:
        _asb_beside_the_extract(con)
        run(con, "facts/source_months")
        run(con, "facts/source_windows")
        assert execute(con, "SELECT DISTINCT forms, form_keys FROM facts.source_months") == [
            (["restricted"], ["police_crime/restricted"])]
        assert execute(con, "SELECT mixed_forms FROM facts.source_windows") == [(None,)]


def test_a_data_police_uk_files_asb_rows_give_the_months_crimes_no_data(tmp_path):
    """The force's extract holds every district's crimes for November 2023 – October 2025 but Ashford's for
    October 2025; data.police.uk's files, delivered for their ASB rows, have ASB rows for every district and
    month. Ashford's October crimes are missing: the ASB rows made the month look complete, the window end
    at October and no gap show."""
    with hand_built(tmp_path / "w.duckdb", dt.date(2025, 11, 20)) as con:
        _asb_beside_the_extract(con, without_ashford_october=True)
        for model in ("facts/source_months", "facts/source_windows", "dq/gaps"):
            run(con, model)
        assert execute(con, "SELECT current_period, complete_until, data_to FROM facts.source_windows") == [
            ("October 2024 – September 2025", dt.date(2025, 9, 1), "September 2025 (October 2025 still arriving)")]
        assert execute(con, "SELECT district, first_month, months FROM dq.gaps") == [
            ("Ashford", dt.date(2025, 10, 1), 1)]
