"""Data Docs built on the last cached site: the same files, byte for byte, as the site built whole; every
page marked."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest

from csp.publish import data_docs
from csp.publish.data_docs import BUILT, build_site, publish_data_docs

DAY = dt.datetime(2025, 11, 5, 6, 0)
MARKING = "OFFICIAL-SENSITIVE"


def result(suite: str, rows: int, success: bool = True) -> str:
    """A GX result as meta.validations holds it (the shape of a real one, two expectations)."""
    expectation = {"type": "expect_table_row_count_to_be_between", "kwargs": {"batch_id": "deliveries-delivery",
                                                                            "min_value": 1}, "meta": {}}
    column = {"type": "expect_column_values_to_be_in_set", "kwargs": {
        "batch_id": "deliveries-delivery", "column": "district", "value_set": ["Dover", "Thanet"]}, "meta": {}}
    return json.dumps({
        "success": success, "suite_name": suite, "suite_parameters": {},
        "statistics": {"evaluated_expectations": 2, "successful_expectations": 1 + success,
                       "unsuccessful_expectations": 1 - success, "success_percent": 50.0 + 50 * success},
        "meta": {"great_expectations_version": "1.24.1", "batch_spec": {"batch_data": "PandasDataFrame"},
                 "batch_markers": {"ge_load_time": "20251105T060000.000000Z"},
                 "active_batch_definition": {"datasource_name": "deliveries", "data_connector_name": "fluent",
                                             "data_asset_name": "delivery",
                                             "batch_identifiers": {"dataframe": "<DATAFRAME>"}}},
        "results": [
            {"success": True, "expectation_config": expectation, "result": {"observed_value": rows}, "meta": {},
             "exception_info": {"raised_exception": False, "exception_traceback": None, "exception_message": None}},
            {"success": success, "expectation_config": column,
             "result": {"element_count": rows, "unexpected_count": 1 - success, "unexpected_percent": 0.0,
                        "partial_unexpected_list": [] if success else ["Dovr"], "missing_count": 0,
                        "missing_percent": 0.0, "unexpected_percent_total": 0.0,
                        "unexpected_percent_nonmissing": 0.0},
             "meta": {}, "exception_info": {"raised_exception": False, "exception_traceback": None,
                                            "exception_message": None}},
        ], "id": None})


def row(delivery: int, suite: str, rows: int, *, batch: str | None = None, minutes: int | None = None) -> tuple:
    """meta.validations joined to meta.deliveries; a batch's deliveries share its result (`batch`)."""
    received = DAY + dt.timedelta(minutes=delivery if minutes is None else minutes)
    return (delivery, suite, f"file_{delivery}.csv", received, batch or result(suite, rows, rows % 2 == 0))


BATCH = result("asb.restricted.batch", 3)
# R1: police deliveries 1-3 alone, ASB 4-5 passed by one batch check, police 6 alone; 7 and 8 arrived at the
# same time (the index orders by run time: the tie must fall the same way however the site was built)
R1 = [row(1, "police_crime.restricted", 10), row(2, "police_crime.restricted", 11),
      row(3, "police_crime.restricted", 12), row(4, "asb.restricted.batch", 0, batch=BATCH),
      row(5, "asb.restricted.batch", 0, batch=BATCH), row(6, "police_crime.restricted", 13),
      row(7, "road_casualties.casualty", 14, minutes=90), row(8, "road_casualties.collision", 15, minutes=90)]
# R2: 9 and 10 passed by the same batch check as 4-5 (its page 4-5 becomes 4-10), 2 is gone, 3 validated
# again with another result (same page, new content), 11 and 12 new alone
R2 = [r for r in R1 if r[0] != 2 and r[0] != 3] + [
    row(3, "police_crime.restricted", 99), row(9, "asb.restricted.batch", 0, batch=BATCH),
    row(10, "asb.restricted.batch", 0, batch=BATCH), row(11, "police_crime.restricted", 16),
    row(12, "road_casualties.casualty", 17, minutes=90)]
R2.sort()


# what a browser would fetch from another host: an address in an attribute that loads it, in CSS, or an import
FETCHED_OUT = re.compile(rb"""\b(?:src|href|srcset|action|poster|data|background)\s*=\s*["']?\s*(?:https?:)?//"""
                         rb"""|url\(\s*["']?\s*(?:https?:)?//|@import""", re.IGNORECASE)


def standalone_faults(site: Path) -> list[str]:
    """What in the site's pages would not work on a closed network, or is GX's advertising: anything fetched
    from another host, a script (what it drew would be missing), GX's newsletter footer, a local link or
    image that is not in the site."""
    faults = []
    for page in sorted(site.rglob("*.html")):
        text, where = page.read_bytes(), page.relative_to(site).as_posix()
        faults += [f"{where}: fetches {m[0]!r}" for m in FETCHED_OUT.finditer(text)]
        faults += [f"{where}: {what}" for what in (b"<script", b"<footer", b"newsletter", b"subscribe")
                   if what in text.lower()]
        faults += [f"{where}: {ref!r} not in the site" for ref in re.findall(rb'(?:src|href)="([^"#][^"]*)"', text)
                   if not (page.parent / unquote(ref.decode())).resolve().is_file()]
    return faults


def files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def site(tmp_path, name, results, last=None, marking=MARKING):
    (tmp_path / name).mkdir()
    build_site(results, tmp_path / name, marking, last and tmp_path / last)
    return tmp_path / name


@pytest.fixture
def renders(monkeypatch):
    """The validation pages GX renders."""
    from great_expectations.render.renderer import ValidationResultsPageRenderer
    done, render = [], ValidationResultsPageRenderer.render
    monkeypatch.setattr(ValidationResultsPageRenderer, "render",
                        lambda self, v, *a, **k: done.append(v.suite_name) or render(self, v, *a, **k))
    return done


def test_data_docs_built_twice_are_the_same_bytes(tmp_path):
    """GX writes its render time and a random id into every page; the site keeps neither."""
    once, twice = files(site(tmp_path, "once", R2)), files(site(tmp_path, "twice", R2))
    assert once == twice
    page = once["validations/police_crime/restricted/delivery 1 file_1.csv/20251105T060100.000000Z/delivery_1.html"]
    assert b"collapse-body-1" in page and b"logo-long.png?" not in page
    # GX links each page to its suite's page, which it renders only for a suite in its store: none is published
    assert not any(re.search(rb'href="(\.\./)*expectations/', text) for text in once.values())
    assert b"police_crime.restricted" in page and b"police_crime.restricted" in once["index.html"]


def test_data_docs_built_on_the_last_site_are_the_site_built_whole(tmp_path, renders):
    site(tmp_path, "R1", R1)
    renders.clear()
    on_last, rendered = files(site(tmp_path, "R2 on R1", R2, last="R1")), sorted(renders)
    whole = files(site(tmp_path, "R2", R2))
    assert on_last == whole
    # rendered: the batch page that became 4-10, 3 validated again, 11 and 12
    assert rendered == ["asb.restricted.batch", "police_crime.restricted", "police_crime.restricted",
                               "road_casualties.casualty"]
    pages = {p for p in whole if p.startswith("validations/")}
    assert len(pages) == 8 and not any("delivery_2." in p or "deliveries_4_5" in p for p in pages)
    assert any("4 deliveries from 4 to 10, checked together" in p for p in pages)
    assert whole[BUILT] == on_last[BUILT]


def test_data_docs_when_pages_only_go(tmp_path, renders):
    """GX renders every page when given none to render: none must be rendered here, only the index."""
    fewer = [r for r in R2 if r[0] not in (1, 11)]
    site(tmp_path, "R2", R2)
    renders.clear()
    on_last, rendered = files(site(tmp_path, "fewer on R2", fewer, last="R2")), len(renders)
    assert on_last == files(site(tmp_path, "fewer", fewer))
    assert rendered == 0 and len(renders) == 6   # then the whole build's 6 pages


def test_data_docs_cache_whole_or_not_at_all(tmp_path, monkeypatch):
    con = duckdb.connect()
    con.execute("""CREATE SCHEMA meta;
                   CREATE TABLE meta.deliveries (delivery_id INTEGER, file_name VARCHAR, received_at TIMESTAMP);
                   CREATE TABLE meta.validations (delivery_id INTEGER, suite VARCHAR, result JSON)""")

    def store(results):
        con.execute("DELETE FROM meta.deliveries; DELETE FROM meta.validations")
        con.executemany("INSERT INTO meta.deliveries VALUES (?, ?, ?)", [(d, f, t) for d, _, f, t, _ in results])
        con.executemany("INSERT INTO meta.validations VALUES (?, ?, ?)", [(d, s, r) for d, s, _, _, r in results])

    cache = tmp_path / "cache"
    store(R1)
    publish_data_docs(con, tmp_path / "release 1", cache, MARKING)
    (first,) = cache.iterdir()
    store(R2)
    build = data_docs.build_site

    def killed(results, folder, marking, last):
        build(results, folder, marking, last)
        raise KeyboardInterrupt   # after every file was written, before the site was named
    monkeypatch.setattr(data_docs, "build_site", killed)
    with pytest.raises(KeyboardInterrupt):
        publish_data_docs(con, tmp_path / "release 2", cache, MARKING)
    assert [d for d in cache.iterdir() if not d.name.startswith(".")] == [first]
    monkeypatch.setattr(data_docs, "build_site", build)
    written = publish_data_docs(con, tmp_path / "release 2", cache, MARKING)
    assert [d.name for d in cache.iterdir()] != [first.name] and len(list(cache.iterdir())) == 1
    assert files(tmp_path / "release 2") == {k: v for k, v in files(site(tmp_path, "R2", R2)).items() if k != BUILT}
    assert BUILT not in {p.name for p in written}


def test_every_page_is_marked_top_and_bottom_and_another_marking_builds_the_site_again(tmp_path, renders):
    """GX's pages carry no marking of their own; the index and each delivery's page get the run's. A site kept
    with another marking is not built on: its pages would keep the old one."""
    pages = {path: page for path, page in files(site(tmp_path, "R1", R1)).items() if path.endswith(".html")}
    assert len(pages) == 1 + 7   # the index, 8 deliveries' pages (4 and 5 on one)
    banner = b'">OFFICIAL-SENSITIVE</div>'
    for page in pages.values():
        assert page.count(banner) == 2
        assert page.index(b"<body>") < page.index(banner) and page.rindex(banner) < page.index(b"</body>")
    renders.clear()
    other = files(site(tmp_path, "R1 again", R1, last="R1", marking="OFFICIAL"))
    assert len(renders) == 7   # every page rendered again
    assert all(page.count(b'">OFFICIAL</div>') == 2 for path, page in other.items() if path.endswith(".html"))


def test_every_page_stands_alone_offline_and_reads_without_scripts(tmp_path):
    """The pages are read on closed networks: GX's load bootstrap, jQuery, bootstrap-table, font-awesome and vega
    from public CDNs and its logo from its own host (offline they showed unstyled, and its index no list, which a
    script draws), and carry its newsletter footer. None of that is left, and what they say is still there."""
    built = site(tmp_path, "R2", R2)
    pages = {p.relative_to(built).as_posix(): p.read_bytes() for p in built.rglob("*.html")}
    assert len(pages) == 1 + 8 and standalone_faults(built) == []
    # of GX's static folder (fonts, stylesheets, tutorial GIFs: ~4 MB), only what the pages show
    assert sorted(p.relative_to(built).as_posix() for p in (built / "static").rglob("*")) == [
        "static/images", "static/images/favicon.ico", "static/images/logo-long.png"]
    page = pages["validations/police_crime/restricted/delivery 3 file_3.csv/20251105T060300.000000Z/delivery_3.html"]
    # its status, each expectation and its result, in words (GX showed them with font-awesome's icons)
    assert b'<span class="h6" >Status:</span> <span class="ge-fail" aria-hidden="true">&#10008;</span> Failed' in page
    assert re.search(rb'&#10004;</span> Passed</span>.*?Must have greater than or equal to .*?1.*? rows\..*?>99<', page, re.DOTALL)
    assert re.search(rb"&#10008;</span> Failed</span>.*?values must belong to this set: .*?Dover.*?Thanet.*?"
                     rb"1 unexpected values found.*?Dovr", page, re.DOTALL)
    # what GX shows on a click ("Show more info...") is shown: nothing of ours hides it, and no script is needed;
    # the label offering it is gone, as there is nothing left to click
    assert b"Great Expectations Version" in page and b'class="card card-body collapse m-2"' in page
    assert b"Show more info" not in page and b'data-toggle="collapse"' not in page
    style = re.search(rb"<style>(.*?)</style>", page, re.DOTALL)[1]
    assert re.findall(rb"([^{}]*)\{[^{}]*display:none", style) == [b"\n.cooltip .top"]   # a tooltip, shown on hover
    assert page.count(b"<style>") == 1 and b"Failed Only" not in page   # GX's filter was a script's
    # the index lists every page, newest first, each with its status as its page says it
    listed = re.findall(rb'<tr><td><span class="ge-(pass|fail)"><span aria-hidden="true">[^<]*</span> (?:Passed|Failed)'
                        rb'</span></td><td>([^<]*)</td><td><a href="([^"]*)">',
                        pages["index.html"])
    assert sorted(unquote(href.decode()) for _, _, href in listed) == sorted(p for p in pages if p != "index.html")
    assert [received for _, received, _ in listed] == sorted((received for _, received, _ in listed), reverse=True)
    for status, _, href in listed:
        assert b'Status:</span> <span class="ge-%s"' % status in pages[unquote(href.decode())]
    assert b"8 validations, newest first." in pages["index.html"]
    # for a screen reader: the language, one title naming the marking and the page, a heading saying it, no tab
    # roles left from GX's scripted tabs (a tab list with no tabs)
    for path, text in pages.items():
        assert text.startswith(b'<!DOCTYPE html>\n<html lang="en-GB">') and b'role="tab' not in text
        assert len(re.findall(rb"<title>", text)) == 1 and text.count(b"<h1") == 1
        assert re.search(rb"</main>\n<div [^>]*>OFFICIAL-SENSITIVE</div></body>", text)   # the marking outside it
    assert re.search(rb'<title>OFFICIAL-SENSITIVE: Data Docs: police_crime \(restricted\), delivery 3 file_3\.csv</title>'
                     rb'.*?<body><div [^>]*>OFFICIAL-SENSITIVE</div>\n<main>\n<h1 class="ge-page">Data Docs: police_crime '
                     rb'\(restricted\), delivery 3 file_3\.csv</h1>', page, re.DOTALL)
    assert b"<title>OFFICIAL-SENSITIVE: Data Docs: every validation</title>" in pages["index.html"]


def test_a_file_name_of_255_bytes_is_cut_in_its_pages_folder(tmp_path):
    """A page's run name, a folder of the site, named the delivery's file: a name of 255 bytes made it too long a
    folder name, and the publish step stopped with a traceback at every run (security review). It is cut to
    NAME_BYTES bytes of whole characters and an ellipsis; a shorter name is kept whole."""
    long, accented = "A" * 251 + ".csv", "\u00e9" * 125 + ".csv"   # 255 and 254 bytes
    results = [(1, "police_crime.restricted", long, DAY, result("police_crime.restricted", 2)),
               (2, "police_crime.restricted", accented, DAY, result("police_crime.restricted", 4)),
               (3, "police_crime.restricted", "short.csv", DAY, result("police_crime.restricted", 6))]
    pages = {p for p in files(site(tmp_path, "long", results)) if p.startswith("validations/")}
    assert {p.split("/")[3] for p in pages} == {"delivery 1 " + "A" * 200 + "\u2026",
                                                "delivery 2 " + "\u00e9" * 100 + "\u2026", "delivery 3 short.csv"}


def test_a_value_a_check_found_is_shown_as_text_not_run_as_html(tmp_path):
    """GX writes the unexpected values it found into its page as HTML, as they are: a partner's value
    `<img src=x onerror=…>` ran in the reader's browser (security review). Each is shown as text, escaped once."""
    value = "<img src=x onerror=alert(1)> & <SCRIPT>ALERT(2)</SCRIPT>"
    found = json.loads(result("police_crime.restricted", 3, success=False))
    found["results"][1]["result"].update(partial_unexpected_list=[value], unexpected_count=1,
                                         partial_unexpected_counts=[{"value": value, "count": 1}])
    built = site(tmp_path, "escaped", [(1, "police_crime.restricted", "f.csv", DAY, json.dumps(found))])
    (page,) = [p.read_text(encoding="utf-8") for p in (built / "validations").rglob("*.html")]
    assert "<img src=x" not in page and "<SCRIPT>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;SCRIPT&gt;ALERT(2)&lt;/SCRIPT&gt;" in page
    assert "&amp;lt;" not in page
