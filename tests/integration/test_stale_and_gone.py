"""What the analyst is told about data older than its source allows at the run's as-of date, a
population year not loaded, and a loaded file gone from the raw folder (police crime fixture)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging

from csp.pipeline import run_refresh
from csp.publish.pack_inputs import load_pack_inputs
from csp.publish.quality import quality_notes
from csp.warehouse import connect
from tests.conftest import FIXTURES, drop, query, workspace

OVERDUE = ("Police recorded crime: data to October 2025 — 19 months behind the run date; expected within 1 "
           "(November 2025 – April 2027 overdue)")


def test_stale_data_blank_rates_and_a_file_gone_are_said(tmp_path, caplog):
    settings = dataclasses.replace(workspace(tmp_path), population_mid_year=2019)   # no 2019 estimates
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "police_crime", "current_year.csv")
    with caplog.at_level(logging.WARNING, logger="csp"):
        summary = run_refresh(settings, dt.date(2027, 6, 1))
    assert OVERDUE in caplog.messages
    report = summary.published.quality_report.read_text(encoding="utf-8")
    assert f"<li>{OVERDUE}.</li>" in report
    assert "No month is missing from any source" not in report
    assert "as of 1 June 2027, data version" in report
    assert "Rates are blank for Kent, Ashford, Canterbury, Dartford, Dover, Folkestone and Hythe, Gravesham, " \
           "Maidstone, Medway, Sevenoaks, Swale, Thanet, Tonbridge and Malling, Tunbridge Wells: no ONS mid-2019 " \
           "population\nestimate is loaded for them" in report
    manifest = json.loads((summary.outputs_dir / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2027-06-01"

    # the analyst deletes a loaded file: its rows stay in use, and every output says so
    (settings.raw_dir / "police_crime" / "current_year.csv").unlink()
    [(delivery_id, current)] = query(settings, """SELECT delivery_id, rows_current FROM dq.deliveries
                                                  WHERE file_name = 'current_year.csv'""")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="csp"):
        again = run_refresh(settings, dt.date(2027, 6, 1))
    assert (f"{settings.raw_dir}/police_crime/current_year.csv (delivery {delivery_id}) is no longer in the raw "
            "folder: its rows stay in the warehouse, used as before unless replaced or quarantined (see the README to withdraw a delivery or start afresh)") in caplog.messages
    assert again.published.changed
    report = again.published.quality_report.read_text(encoding="utf-8")
    assert (f'<tr><td><code>police_crime/current_year.csv</code></td><td class="n">{delivery_id}</td>'
            f'<td class="n">{current:,}</td></tr>') in report
    assert ("Deliveries whose file is no longer in the raw folder: their rows stay in the warehouse, used as before "
            "unless replaced or quarantined. Raw extracts are") in report
    assert current > 0


def test_a_file_moved_from_the_wrong_folder_is_counted_where_it_loaded(tmp_path):
    """A police extract dropped in the ASB folder is quarantined whole there; moved to the police
    folder it loads. The report says where it went, and counts its rows once, where they loaded."""
    settings = workspace(tmp_path)
    drop(settings, "police_crime", "previous_year.csv")
    drop(settings, "asb", FIXTURES / "police_crime" / "current_year.csv")
    first = run_refresh(settings, dt.date(2025, 11, 20))
    [(misfiled, received)] = query(settings, "SELECT delivery_id, rows_received FROM dq.deliveries WHERE source = 'asb'")
    assert "move it to raw/police_crime/" in first.published.quality_report.read_text(encoding="utf-8")

    (settings.raw_dir / "asb" / "current_year.csv").rename(settings.raw_dir / "police_crime" / "current_year.csv")
    again = run_refresh(settings, dt.date(2025, 11, 20))
    [(loaded,)] = query(settings, """SELECT delivery_id FROM dq.deliveries
                                     WHERE source = 'police_crime' AND file_name = 'current_year.csv'""")
    report = again.published.quality_report.read_text(encoding="utf-8")
    assert f"Moved to police_crime/ and loaded there (delivery {loaded}): its rows are counted there, not here." in report
    [(deliveries, total)] = query(settings, "SELECT count(*), sum(rows_received) FROM dq.deliveries")
    assert f"<p>{deliveries - 1} deliveries, 0 quarantined whole (1 more filed in the wrong folder, counted " \
           f"where they loaded).\n{total - received:,} rows received:" in report
    assert received > 0 and misfiled < loaded


def test_a_copy_in_the_wrong_folder_of_a_file_loaded_before_is_counted_once(tmp_path):
    """The other order: the police extract loaded first, then a copy of it dropped in the ASB folder. The
    copy is quarantined, told to be removed, and its rows counted once, where the original loaded."""
    settings = workspace(tmp_path)
    drop(settings, "police_crime", "current_year.csv")
    run_refresh(settings, dt.date(2025, 11, 20))
    drop(settings, "asb", FIXTURES / "police_crime" / "current_year.csv")
    again = run_refresh(settings, dt.date(2025, 11, 20))
    [(loaded, received)] = query(settings, """SELECT delivery_id, rows_received FROM dq.deliveries
                                              WHERE source = 'police_crime'""")
    report = again.published.quality_report.read_text(encoding="utf-8")
    assert f"A copy of a file loaded in police_crime/ (delivery {loaded}): its rows are counted there, not here." in report
    assert "the same file is already in raw/police_crime/ (current_year.csv), so this copy can be removed" in report
    assert f"<p>1 delivery, 0 quarantined whole (1 more filed in the wrong folder, counted where they loaded).\n" \
           f"{received} rows received:" in report
    assert received == 25
    # the ASB folder's count of deliveries leaves it out as its rows do, and the pack's annex counts as the report
    assert "<p>0 deliveries (1 more filed in the wrong folder, counted where it loaded); 0 rows received, 0 loaded" in report
    with connect(settings.warehouse) as con:
        inputs = load_pack_inputs(con)
    assert quality_notes(inputs)[0] == ("1 delivery: 1 loaded, 0 quarantined (1 more filed in the wrong folder, "
                                        "counted where it loaded). 25 rows received, 22 loaded and 3 quarantined with "
                                        "a reason.")
    # the copy's rows, quarantined in the ASB folder as of an unrecognised layout, are counted where they loaded
    assert set(inputs.quarantine["source"]) == {"police_crime"} and inputs.quarantine["rows"].sum() == 3
    assert query(settings, "SELECT file_name, status, loaded_in, loaded_as FROM dq.deliveries ORDER BY delivery_id") == [
        ("current_year.csv", "loaded", None, None), ("current_year.csv", "quarantined", "police_crime", loaded)]
    removed_line = "<li>Its file is no longer in raw/asb/ (removed or written over since)"
    assert removed_line not in report

    # the analyst removes the copy, as advised: the report says it has gone, under the advice, and nothing else changes
    (settings.raw_dir / "asb" / "current_year.csv").unlink()
    after = run_refresh(settings, dt.date(2025, 11, 20))
    assert after.published.changed
    report = after.published.quality_report.read_text(encoding="utf-8")
    assert report.count(removed_line) == 1
    assert report.index("so this copy can be removed") < report.index(removed_line)
    assert f"<p>1 delivery, 0 quarantined whole (1 more filed in the wrong folder, counted where they loaded).\n" \
           f"{received} rows received:" in report


def test_a_loaded_file_written_over_by_one_quarantined_whole_is_gone(tmp_path, caplog):
    """A loaded extract written over by a file of the same name that is quarantined whole (a partner's empty
    file saved over last month's): the loaded delivery's bytes are no longer there, though a file is at its path."""
    settings = workspace(tmp_path)
    drop(settings, "police_crime", "current_year.csv", name="police_crime_2025.csv")
    run_refresh(settings, dt.date(2025, 11, 20))
    (settings.raw_dir / "police_crime" / "police_crime_2025.csv").write_text("not,a,police,extract\n1,2,3,4\n")
    with caplog.at_level(logging.WARNING, logger="csp"):
        summary = run_refresh(settings, dt.date(2025, 11, 20))
    [(first, loaded), (second, quarantined)] = query(
        settings, "SELECT delivery_id, status FROM dq.deliveries WHERE file_name = 'police_crime_2025.csv' ORDER BY 1")
    assert (loaded, quarantined) == ("loaded", "quarantined") and second > first
    assert any(f"police_crime_2025.csv (delivery {first}) was overwritten by a later file of the same name" in m
               for m in caplog.messages)
    report = summary.published.quality_report.read_text(encoding="utf-8")
    assert f'<td class="n">{first}</td>' in report.split("Deliveries whose file has gone")[1].split("</table>")[0]
    assert "no longer in raw/police_crime/" not in report   # the quarantined file is there


def test_a_file_overwritten_in_place_is_said_as_its_bytes_gone(tmp_path, caplog):
    """A loaded extract written over by another file of the same name (a corrected file saved over the first):
    the later file loads as a delivery of its own, and the first delivery's bytes are no longer in the raw
    folder, which the log says every run, as of a file gone."""
    settings = workspace(tmp_path)
    drop(settings, "police_crime", "current_year.csv", name="police_crime_2025.csv")
    run_refresh(settings, dt.date(2025, 11, 20))
    drop(settings, "police_crime", "previous_year.csv", name="police_crime_2025.csv")
    with caplog.at_level(logging.WARNING, logger="csp"):
        summary = run_refresh(settings, dt.date(2025, 11, 20))
    [(first, current), (second, _)] = query(settings, """SELECT delivery_id, rows_current FROM dq.deliveries
                                                         WHERE file_name = 'police_crime_2025.csv' ORDER BY 1""")
    assert (f"{settings.raw_dir}/police_crime/police_crime_2025.csv (delivery {first}) was overwritten by a later file "
            "of the same name, so its bytes are no longer in the raw folder: its rows stay in the warehouse, used as "
            "before unless replaced or quarantined (see the README to withdraw a delivery or start afresh)"
            ) in caplog.messages
    report = summary.published.quality_report.read_text(encoding="utf-8")
    assert (f'<tr><td><code>police_crime/police_crime_2025.csv</code></td><td class="n">{first}</td>'
            f'<td class="n">{current:,}</td></tr>') in report
    assert f'<td class="n">{second}</td>' not in report.split("Deliveries whose file has gone")[1].split("</table>")[0]
    assert second > first and current > 0   # the two files hold different months: the first's rows still count
