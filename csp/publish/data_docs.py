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
once per build in its collapsible blocks' element ids, so `_steady` takes both out of each page
rendered; and GX orders the index by run time alone, leaving ties in the order the folder lists its
files, so the index lists pages by key (csp/publish/gx_index.py).
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import tempfile
from pathlib import Path

import duckdb

from csp.validate import BATCH_SUITES
from csp.warehouse import run

SITE = "data_quality"
BUILT = ".pages.json"   # in a cached site: the page files and what each was rendered from
# what `_finish` does to GX's pages: a site cached by an earlier `_finish` is built again (2: links to the
# suites' pages, which are not published, taken out)
FINISHED = 2


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


def _page_file(first: int, last: int, files: int) -> str:
    return f"delivery_{first}" if files == 1 else f"deliveries_{first}_{last}"


def delivery_pages(con: duckdb.DuckDBPyConnection, site: Path) -> dict[int, str]:
    """Each validated delivery's page in the published site `site`, as a path from it: the data-quality report
    links each delivery to its page, as GX's index lists them with scripts from the internet, which a
    closed network does not reach. A page's file name is unique in the site (`_page_file`)."""
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
        "site_index_builder": {"class_name": "SortedSiteIndexBuilder", "module_name": "csp.publish.gx_index"},
    })
    wanted: dict[str, tuple] = {}   # page file -> (its identifier, what it is rendered from, GX's result)
    for page in pages(results):
        first, last_delivery, files, suite, file_name, received_at, result = page
        name = (f"delivery {first} {file_name}" if files == 1
                else f"{files} deliveries from {first} to {last_delivery}, checked together")
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(suite),
                                         RunIdentifier(run_name=name, run_time=received_at.isoformat()),
                                         _page_file(first, last_delivery, files))
        wanted["/".join(("validations", *key.to_tuple())) + ".html"] = (
            key, hashlib.sha256(json.dumps([str(v) for v in page]).encode()).hexdigest(), result)

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
        context.validation_results_store.set(key, ExpectationSuiteValidationResult(**stored))
    # GX renders every page when given no identifiers (None or []): [None] matches none of its keys
    context.build_data_docs(site_names=[SITE], resource_identifiers=None if not done else
                            [wanted[path][0] for path in render] or [None])
    for path in [*render, "index.html"]:
        if (site / path).is_file():
            _finish(site / path, marking)
    # a page GX failed to render (it logs and carries on) is left out, to be tried again next time
    made = {path: made_of for path, (_, made_of, _) in wanted.items() if (site / path).is_file()}
    (site / BUILT).write_text(json.dumps({"gx": gx.__version__, "marking": marking, "finished": FINISHED, "pages": made},
                                         indent=1), encoding="utf-8")


_RENDER_TIME = re.compile(rb"(logo-long\.png)\?d=\d{8}T\d{6}\.\d{6}Z")
# a link to an expectation suite's page (in a validation page, and in the index's table data): GX renders
# those pages only for suites in its store, and the suites are not stored (a batch's exist only in memory)
_SUITE_LINK = re.compile(rb'<a [^>]*href="(?:\.\./)*expectations/[^"]*"[^>]*>(.*?)</a>', re.DOTALL)
_BUILD_ID = re.compile(rb"(collapse-body-)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def _finish(page: Path, marking: str) -> None:
    """The page marked at its top and bottom (GX's pages carry none), without links to suite pages that are not
    there, and without what differs from one GX build to the next: the render time, and the random ids
    numbered in the order they appear."""
    ids: dict[bytes, int] = {}
    banner = (f'<div style="{_BANNER}">{html.escape(marking)}</div>').encode()
    text = _BUILD_ID.sub(lambda m: m[1] + b"%d" % ids.setdefault(m[2], len(ids) + 1),
                         _RENDER_TIME.sub(rb"\1", _SUITE_LINK.sub(rb"\1", page.read_bytes())))
    page.write_bytes(text.replace(b"<body>", b"<body>" + banner, 1).replace(b"</body>", banner + b"</body>", 1))


_BANNER = "text-align:center;font-weight:bold;padding:4px;background:#fff;color:#000;border:1px solid #000"


def _remove(site: Path, page: str) -> None:
    """Remove a page and the folders it leaves empty (a whole build has none)."""
    (site / page).unlink(missing_ok=True)
    for folder in (site / page).parents:
        if folder == site or any(folder.iterdir()):
            break
        folder.rmdir()
