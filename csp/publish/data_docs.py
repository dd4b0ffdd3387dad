"""Great Expectations Data Docs of every delivery's validation, built from the results stored in
meta.validations (GX 1.x: an ephemeral context whose local site writes to a folder).

Importing GX costs ~7 s, so the site is built only when the stored results changed: it is kept in a
cache folder beside the warehouse, named by the results' checksum, and copied into each release. A
re-run with nothing new therefore copies identical files without importing GX.

When results were added the site is built on the last one: a national site holds ~600 pages and a
month adds 1-43, and rendering every page again took ~6 s. The last site is copied, its pages that
are no longer in `pages()` removed, and GX renders only the pages that are new or were rendered from
something else, and the index. GX builds the index from every page in the site folder whose result
is in the (in-memory) store, so every result goes into it: a kept page's without its expectations'
results, which the index does not read and which GX's store would spend most of the build serialising.
What each page was rendered from is kept in the cache folder (`.pages.json`, not copied into
releases), with the GX version: a site from another version, or with no record, is built again whole.

Built whole or on the last site, the files are the same bytes. GX's own output is not steady: every
page carries its render time in the logo's address (`logo-long.png?d=...`) and an id drawn at random
once per build in its collapsible blocks' element ids, so `_finish` takes both out of each page
rendered; and GX's index lists pages with the same run time in the order the folder lists its files, but
only in a script, whose place a table of ours takes (newest first, then by file).

Every page is made to stand alone (`_finish`), as the outputs are read on closed networks: GX's pages fetch
bootstrap, jQuery, bootstrap-table, font-awesome and vega from public CDNs, and its logo from GX's own host,
and carry its newsletter footer. Their scripts, CDN styles, footers and links out are taken out and one small
stylesheet of ours put in; the logo is the copy GX puts in the site (`static/images/`). The pages read without
scripts: their content is HTML (the collapsed "more info" shows), the pass/fail icons become a mark and a word,
and the index, whose list GX draws with bootstrap-table from data in a script, lists the pages in a table.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import tempfile
import urllib.parse
from pathlib import Path

import duckdb

from csp.validate import BATCH_SUITES
from csp.warehouse import run

SITE = "data_quality"
BUILT = ".pages.json"   # in a cached site: the page files and what each was rendered from
# what `_finish` does to GX's pages: a site cached by an earlier `_finish` is built again (2: links to the
# suites' pages, which are not published, taken out; 3: pages stand alone, nothing fetched from the internet;
# 4: for screen readers: language, titles, landmarks, headings in order, no "Show more info..." label; 5: the values
# a check found HTML-escaped, _escaped)
FINISHED = 5
# what of GX's static/ folder a finished page uses (_standalone): its logo and favicon
STATIC_USED = ("static/images/logo-long.png", "static/images/favicon.ico")


def publish_data_docs(con: duckdb.DuckDBPyConnection, folder: Path, cache_root: Path, marking: str) -> list[Path]:
    """Copy the Data Docs of the stored validations into `folder`, every page marked `marking` at its top and
    bottom; the files written ([] if none)."""
    results = run(con, "publish/validations")
    if not results:
        return []
    key = hashlib.sha256(json.dumps([FINISHED, marking, *([str(v) for v in r] for r in results)]).encode()).hexdigest()[:16]
    cached = cache_root / key
    if not cached.is_dir():
        cache_root.mkdir(parents=True, exist_ok=True)
        last = max((d for d in cache_root.iterdir() if not d.name.startswith(".") and (d / BUILT).is_file()),
                   key=lambda d: d.stat().st_mtime_ns, default=None)
        building = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cache_root))
        build_site(results, building, marking, last)
        building.rename(cached)   # whole or not at all: the last site is only read, the new one named when done
        for old in cache_root.iterdir():
            if old != cached:
                shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(cached, folder, ignore=shutil.ignore_patterns(BUILT))
    return sorted(p for p in folder.rglob("*") if p.is_file())


def pages(results: list[tuple]) -> list[tuple]:
    """One page per validation GX ran: the deliveries a batch's shape (or shares) check passed share its result
    (csp/validate.py), so deliveries with the same batch suite and result are one page. Returns
    (first delivery, last delivery, how many, suite, first file, received, result), by first delivery."""
    merged: dict = {}
    for delivery_id, suite, file_name, received_at, result in results:
        key = _page_key(delivery_id, suite, result)
        if key in merged:
            merged[key][1], merged[key][2] = delivery_id, merged[key][2] + 1
        else:
            merged[key] = [delivery_id, delivery_id, 1, suite, file_name, received_at, result]
    return sorted(tuple(m) for m in merged.values())


def _page_key(delivery_id: int, suite: str, result) -> tuple:
    return (suite, result) if suite.endswith(BATCH_SUITES) else (delivery_id,)


# a page's run name is a folder of the site (GX's), and a folder's name is at most 255 bytes: a delivery's file name
# (itself up to 255) is cut to this many bytes in it, an ellipsis after it
NAME_BYTES = 200


def _shortened(file_name: str) -> str:
    """`file_name` as a page's run name holds it: whole, or its first NAME_BYTES bytes (whole characters) and "…"."""
    data = file_name.encode("utf-8")
    return file_name if len(data) <= NAME_BYTES else data[:NAME_BYTES].decode("utf-8", "ignore") + "…"


def _page_file(first: int, last: int, files: int) -> str:
    return f"delivery_{first}" if files == 1 else f"deliveries_{first}_{last}"


def delivery_pages(con: duckdb.DuckDBPyConnection, site: Path) -> dict[int, str]:
    """Each validated delivery's page in the published site `site`, as a path from it: the data-quality report
    links each delivery to its page (the index lists pages, not deliveries: a batch's page is several). A page's
    file name is unique in the site (`_page_file`)."""
    results = run(con, "publish/validation_pages")   # the results' checksums: a page is one result
    found = {p.stem: p.relative_to(site).as_posix() for p in (site / "validations").rglob("*.html")}
    page = {_page_key(first, suite, result): _page_file(first, last, files)
            for first, last, files, suite, _, _, result in pages(results)}
    return {d: found[page[_page_key(d, suite, result)]] for d, suite, _, _, result in results
            if page[_page_key(d, suite, result)] in found}


def build_site(results: list[tuple], site: Path, marking: str, last: Path | None = None) -> None:
    """The Data Docs of `results` in the empty folder `site`, every page marked `marking`, on the cached site
    `last` if given."""
    import great_expectations as gx
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier, ValidationResultIdentifier)

    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(site_name=SITE, site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site)},
        "show_how_to_buttons": False,   # GX's tutorial links (to its website) in the index's footer
    })
    wanted: dict[str, tuple] = {}   # page file -> (its identifier, what it is rendered from, GX's result)
    listed: dict[str, tuple] = {}   # page file -> what the index says of it
    for page in pages(results):
        first, last_delivery, files, suite, file_name, received_at, result = page
        name = (f"delivery {first} {_shortened(file_name)}" if files == 1
                else f"{files} deliveries from {first} to {last_delivery}, checked together")
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(suite),
                                         RunIdentifier(run_name=name, run_time=received_at.isoformat()),
                                         _page_file(first, last_delivery, files))
        path = "/".join(("validations", *key.to_tuple())) + ".html"
        wanted[path] = (key, hashlib.sha256(json.dumps([str(v) for v in page]).encode()).hexdigest(), result)
        listed[path] = (received_at, name, suite, json.loads(result)["success"])

    done = {}
    if last is not None:
        record = json.loads((last / BUILT).read_text(encoding="utf-8"))
        if (record["gx"], record.get("marking"), record.get("finished")) == (gx.__version__, marking, FINISHED):
            shutil.copytree(last, site, dirs_exist_ok=True)
            done = record["pages"]
    for gone in done.keys() - wanted.keys():   # e.g. a batch's page whose last delivery changed
        _remove(site, gone)
    render = [path for path, (_, made_of, _) in wanted.items() if done.get(path) != made_of]
    kept = wanted.keys() - set(render)
    for path, (key, _, result) in wanted.items():
        # the index reads only a result's outcome and meta: a page kept is stored without its expectations'
        # results, as GX's store serialises every result it is given (for 500 results, most of the build)
        stored = json.loads(result)
        if path in kept:
            stored["results"] = []
        for outcome in stored["results"]:
            outcome["result"] = _escaped(outcome.get("result") or {})
        context.validation_results_store.set(key, ExpectationSuiteValidationResult(**stored))
    # GX renders every page when given no identifiers (None or []): [None] matches none of its keys
    context.build_data_docs(site_names=[SITE], resource_identifiers=None if not done else
                            [wanted[path][0] for path in render] or [None])
    # a page GX failed to render (it logs and carries on) is left out, to be tried again next time
    made = {path: made_of for path, (_, made_of, _) in wanted.items() if (site / path).is_file()}
    for path in render:
        if path in made:
            _finish(site, path, marking)
    if (site / "index.html").is_file():
        _finish(site, "index.html", marking, _index_table({path: listed[path] for path in made}))
    # GX's fonts, stylesheets and tutorial GIFs (~4 MB) that no finished page uses, and the folders they leave empty
    for asset in sorted((site / "static").rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if asset.is_file() and asset.relative_to(site).as_posix() not in STATIC_USED:
            asset.unlink()
        elif asset.is_dir() and not any(asset.iterdir()):
            asset.rmdir()
    (site / BUILT).write_text(json.dumps({"gx": gx.__version__, "marking": marking, "finished": FINISHED, "pages": made},
                                         indent=1), encoding="utf-8")


def _escaped(value):
    """An expectation's result with every string in it HTML-escaped: GX writes what a check found (the unexpected
    values, an observed value) into its page as HTML, as it is, so a partner's value `<img src=x onerror=…>` ran in
    the reader's browser. (The expectation's own words and parameters GX escapes itself.)"""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


_RENDER_TIME = re.compile(rb"(logo-long\.png)\?d=\d{8}T\d{6}\.\d{6}Z")
# a link to an expectation suite's page (in a validation page, and in the index's table data): GX renders
# those pages only for suites in its store, and the suites are not stored (a batch's exist only in memory)
_SUITE_LINK = re.compile(rb'<a [^>]*href="(?:\.\./)*expectations/[^"]*"[^>]*>(.*?)</a>', re.DOTALL)
_BUILD_ID = re.compile(rb"(collapse-body-)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def _finish(site: Path, path: str, marking: str, listing: bytes | None = None) -> None:
    """The page `path` of `site` marked at its top and bottom (GX's pages carry none), without links to suite pages
    that are not there, and without what differs from one GX build to the next: the render time, and the random
    ids numbered in the order they appear. Standing alone: nothing in it is fetched from the internet, and it
    reads without scripts. `listing`: the index's table of the pages, in place of GX's, drawn by a script."""
    page = site / path
    ids: dict[bytes, int] = {}
    # the marking as the page's banner and its foot (landmarks, as the rest is in its main)
    top, foot = (f'<div role="{role}" style="{_BANNER}">{html.escape(marking)}</div>'.encode()
                 for role in ("banner", "contentinfo"))
    text = _BUILD_ID.sub(lambda m: m[1] + b"%d" % ids.setdefault(m[2], len(ids) + 1),
                         _RENDER_TIME.sub(rb"\1", _SUITE_LINK.sub(rb"\1", page.read_bytes())))
    text = _standalone(text, ("../" * path.count("/")).encode())
    text = _titled(text, marking, _page_name(path))
    if listing is not None:
        text, found = _INDEX_TABLE.subn(lambda _: listing, _INDEX_TOOLBAR.sub(b"", text), count=1)
        if not found:   # not where GX 1.24 puts it: under the marking, as the list must be on the page
            text = text.replace(b"<body>", b"<body>" + listing, 1)
    page.write_bytes(text.replace(b"<body>", b"<body>" + top, 1).replace(b"</body>", foot + b"</body>", 1))


def _page_name(path: str) -> str:
    """What a page shows, in words: the index, or a validation's source, layout and deliveries (its folders:
    validations/<source>/<layout>/[batch/]<deliveries>/<run time>/<page>)."""
    parts = path.split("/")
    if len(parts) < 5:
        return "Data Docs: every validation"
    return f"Data Docs: {parts[1]} ({parts[2]}), {parts[-3]}"


_TITLE = re.compile(rb"<title>[^<]*</title>\n?")
_HTML = re.compile(rb"<html(?![^>]*\blang=)")
# GX's tabs, drawn by a script: no tabs without it, so neither their roles nor a tab's state
_TAB_ROLE = re.compile(rb'\s+(?:role="tab(?:list|panel)?"|aria-selected="[^"]*"|aria-controls="[^"]*")')
# GX's navigation landmarks, each named so that a screen reader's list of them tells them apart
_NAV_NAMES = ((b'<nav class="navbar', b'<nav aria-label="Data Docs" class="navbar'),
              (b'<nav class="d-flex', b'<nav aria-label="Great Expectations" class="d-flex'),
              (b'<nav id="navigation"', b'<nav aria-label="Validations and expectation suites" id="navigation"'))
# GX's headings start at h4 (h5, h6 under it): one level under the page's h1, in order
_HEADING = re.compile(rb"<(/?)h([456])\b")


def _titled(text: bytes, marking: str, name: str) -> bytes:
    """The page for a screen reader: its language, one title naming its marking and what it shows (GX gives
    every validation page the same title, and a second, empty one), its content in a main landmark under a
    first-level heading saying the same, and no tab roles left from GX's scripted tabs (a tab list whose tabs are not there)."""
    title = html.escape(f"{marking}: {name}").encode()
    text = _TITLE.sub(b"", text).replace(b"<head>", b"<head>\n    <title>" + title + b"</title>", 1)
    text = _TAB_ROLE.sub(b"", _HTML.sub(b'<html lang="en-GB"', text, count=1))
    text = _HEADING.sub(lambda m: b"<" + m[1] + b"h%d" % (int(m[2]) - 2), text)
    for gx, named in _NAV_NAMES:
        text = text.replace(gx, named)
    text = text.replace(b"<body>", b'<body>\n<main>\n<h1 class="ge-page">' + html.escape(name).encode() + b"</h1>", 1)
    return text.replace(b"</body>", b"</main>\n</body>", 1)


_SCRIPT = re.compile(rb"<script\b.*?</script>\n?", re.DOTALL)
_STYLE = re.compile(rb"<style\b.*?</style>\n?", re.DOTALL)
# a stylesheet (the CDNs') or anything else a <link> would fetch from another host
_LINK_OUT = re.compile(rb'<link\b[^>]*\bhref="(?:https?:)?//[^"]*"[^>]*>\n?')
_FOOTER = re.compile(rb"<footer\b.*?</footer>\n?", re.DOTALL)   # GX's newsletter and tutorials
# a link out (to GX's website) keeps its text
_A_OUT = re.compile(rb'<a\b[^>]*\bhref="(?:https?:)?//[^"]*"[^>]*>(.*?)</a>', re.DOTALL)
# the link that showed the collapsed "more info" goes, label and all: its content is always shown (under its own
# heading, "Info"), so a "Show more info..." left above it would offer what is already there
_A_COLLAPSE = re.compile(rb'(?:<p class="m-0">\s*)?<a data-toggle="collapse"[^>]*>.*?</a>(?:\s*</p>)?\n?', re.DOTALL)
_LOGO = re.compile(rb'src="https://great-expectations-web-assets\.s3\.[^"/]*\.amazonaws\.com/(logo-long\.png)"')
_FAVICON = re.compile(rb'href="(?:\./|(?:\.\./)*)static/images/(favicon\.ico)"')   # GX's is a folder short in a page
# a validation page's "Failed Only" filter, a script's
_ACTIONS = re.compile(rb'<div class="card mb-3">\s*<div class="card-header p-2">\s*<strong>Actions</strong>.*?'
                      rb"Failed Only\s*</label>\s*(?:</div>\s*){5}", re.DOTALL)
_ICON = re.compile(rb'<i class="fas fa-(check-circle|times) text-(?:success|danger)"\s*(aria-hidden="true")?\s*></i>')
# whatever else would still be fetched from another host (none in GX 1.24's pages of our results): an attribute's
# address emptied, a style's image none
_FETCH_OUT = re.compile(rb'="(?:https?:)?//[^"]*"')
_URL_OUT = re.compile(rb"""url\(\s*['"]?(?:https?:)?//[^)]*\)""")
_INDEX_TOOLBAR = re.compile(rb'<div id="[^"]*-body-table-toolbar"[^>]*>.*?</div>\s*', re.DOTALL)
_INDEX_TABLE = re.compile(rb'<table\s+id="[^"]*-body-table"[^>]*>\s*</table>')


def _standalone(text: bytes, root: bytes) -> bytes:
    """GX's page `text` standing alone: its scripts, styles and footers out, our stylesheet in, its links out
    reduced to their text, its logo the site's copy (`root`: the site folder from the page), its icons words."""
    for pattern in (_SCRIPT, _STYLE, _LINK_OUT, _FOOTER, _ACTIONS):
        text = pattern.sub(b"", text)
    text = _A_COLLAPSE.sub(b"", _A_OUT.sub(rb"\1", text))
    text = _LOGO.sub(lambda m: b'src="' + root + b"static/images/" + m[1] + b'"', text)
    text = _FAVICON.sub(lambda m: b'href="' + root + b"static/images/" + m[1] + b'"', text)
    text = _ICON.sub(lambda m: _STATUS[m[1] == b"check-circle"][m[2] is not None], text)
    text = _URL_OUT.sub(b"none", _FETCH_OUT.sub(b'=""', text))
    return text.replace(b"</head>", b"<style>" + _STYLES + b"</style>\n  </head>", 1)


# (failed, passed) x (with a word, the mark alone: GX writes the word beside it)
# (the mark hidden from a screen reader, which would read it as "heavy check mark")
_STATUS = ((b'<span class="ge-fail"><span aria-hidden="true">&#10008;</span> Failed</span>',
            b'<span class="ge-fail" aria-hidden="true">&#10008;</span>'),
           (b'<span class="ge-pass"><span aria-hidden="true">&#10004;</span> Passed</span>',
            b'<span class="ge-pass" aria-hidden="true">&#10004;</span>'))


def _index_table(listed: dict[str, tuple]) -> bytes:
    """The index's list of the pages: newest first, as GX's, then by page file."""
    rows = sorted(sorted(listed.items()), key=lambda item: item[1][0], reverse=True)
    cells = "".join(
        f'<tr><td>{_STATUS[success][0].decode()}</td><td>{received:%Y-%m-%d %H:%M:%S}</td>'
        f'<td><a href="{html.escape(urllib.parse.quote(path))}">{html.escape(name)}</a></td>'
        f"<td>{html.escape(suite)}</td></tr>\n"
        for path, (received, name, suite, success) in rows)
    return (f'<p>{len(rows)} validation{"s" * (len(rows) != 1)}, newest first.</p>\n'
            '<table class="table table-sm ge-index-table">\n<thead><tr><th>Status</th><th>Received</th>'
            f"<th>Deliveries checked</th><th>Expectation suite</th></tr></thead>\n<tbody>\n{cells}</tbody>\n</table>\n"
            ).encode()


# our stylesheet in every page, in place of bootstrap's: the layout, tables and status readable without it
_STYLES = (Path(__file__).parent / "templates" / "data_docs.css").read_bytes()


_BANNER = "text-align:center;font-weight:bold;padding:4px;background:#fff;color:#000;border:1px solid #000"


def _remove(site: Path, page: str) -> None:
    """Remove a page and the folders it leaves empty (a whole build has none)."""
    (site / page).unlink(missing_ok=True)
    for folder in (site / page).parents:
        if folder == site or any(folder.iterdir()):
            break
        folder.rmdir()
