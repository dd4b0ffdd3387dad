"""Ingest: every file in data/raw/<source>/ becomes a delivery in meta.deliveries.

A file already seen (same checksum) is skipped; one found again at the same path with the same size
and modification time is known without reading it. A new file is read as text (readers.py: encodings,
workbooks, malformed and blank rows), its columns renamed through the contract's aliases, landed in
raw.<source> with provenance (file, checksum, row number) and checked against its Great Expectations
suite. A delivery that cannot be used is quarantined with a reason (empty, no data rows, a layout
of no form, another source's layout, a quote never closed, cut short, failing its contract); its rows
stay in the warehouse (raw.<source>, raw.unrecognised_rows, raw.malformed_rows). Columns the contract does not
know are not loaded (they may hold data the partnership should not keep) and named in the
delivery's warnings. Raw files are only ever read. Runs of plain CSVs with the same header are read
together and land in one transaction (batches.py); any other file lands alone in its own.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import duckdb

from csp.checksums import sha256
from csp.contracts import Contract, available_sources, load_contract, normalise_header
from csp.ingest.batches import (BATCH_BYTES, BatchFile, PlainCsv, batch_shape, checked_cells, define_batch_rows,
                                 define_checked_cells, files_holding, plain_csv, read_batch)
from csp.ingest.errors import UnreadableDelivery
from csp.ingest.headers import HEADER_SEARCH_ROWS
from csp.ingest.readers import Landed, headers_matching, read_into_landing
from csp.validate import BATCH_SUITES, DeliveryValidator, share_column, suite_columns, suite_spec, tolerant
from csp.warehouse import execute, run, transaction

log = logging.getLogger(__name__)

# never deliveries: notes beside them, and what Windows and Office leave in a shared folder (thumbnail
# caches; "~$name.xlsx", the owner file of a workbook someone has open), which were quarantined every month
IGNORED_NAMES = {"readme.md", "readme.txt", ".gitkeep", "md5sums", "thumbs.db", "desktop.ini"}
IGNORED_PREFIXES = (".", "~$")


def _ignored(name: str) -> bool:
    return name.startswith(IGNORED_PREFIXES) or name.lower() in IGNORED_NAMES


def _not_utf8(name: str) -> bool:
    """A name whose bytes are not UTF-8 (Python holds them as lone surrogates): the warehouse, the reports and the
    data version hold text only, so such a file is not read (misplaced() names it), where it stopped the refresh."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# what becomes of a file whose name is not UTF-8 (_not_utf8)
NOT_UTF8 = ("has a name that is not UTF-8 text (each \\xNN a byte that is not), so it is not read: rename it, and it is "
            "read at the next refresh")


def _linked_out(path: Path, raw_dir: Path) -> bool:
    """A file that is a link to a file outside the raw folder and outside the folder it is in (each where its own
    links lead: a source's folder may be a link to a share): not read, as anyone who can put a file in the raw
    folder could otherwise have any file the refresh can read (another area's extracts, /etc/passwd) loaded into
    the warehouse and quoted in the outputs. misplaced() names it."""
    real = path.resolve()
    return not any(real.is_relative_to(folder) for folder in (raw_dir.resolve(), path.parent.resolve()))


# what becomes of a link to a file outside the raw folder (_linked_out); where it leads is not said: the words are
# part of the data version, which holds no path outside the raw folder
LINKED_OUT = ("is a link to a file outside the raw folder, so it is not read: put the file itself in the folder, "
              "and it is read at the next refresh")


def _not_readable(path: Path, raw_dir: Path) -> str | None:
    """Why a file in a source's folder is not read though it is a file there (NOT_UTF8, LINKED_OUT), or None:
    discover() leaves it out, misplaced() names it with this."""
    if _not_utf8(path.name):
        return NOT_UTF8
    return LINKED_OUT if _linked_out(path, raw_dir) else None


def _as_text(name: str) -> str:
    """A name as text, each byte that is not UTF-8 shown as \\xNN: "caf\\xe9.csv"."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class DeliveryResult:
    file_name: str
    status: str            # loaded | quarantined | unchanged
    delivery_id: int | None
    form: str | None
    rows: int
    reason: str = ""
    warnings: tuple[str, ...] = ()
    copy_of: str = ""      # unchanged: the name of the earlier file of the same bytes, where it had another name


def discover(raw_dir: Path, source: str) -> list[Path]:
    """Delivery files of a source, oldest first (a resubmission lands after the file it corrects)."""
    folder = raw_dir / source
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir()
             if p.is_file() and not _ignored(p.name) and not _not_readable(p, raw_dir)]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


class NotRead(NamedTuple):
    """Something in the raw folder that holds files no source reads: a folder whose name is no
    source's, a folder inside a source's folder, or a file straight in the raw folder. A (path, why)
    pair, as the data version and the pack's inputs take it."""
    path: str     # inside the raw folder, "/"-separated; a folder's ends with "/"
    why: str      # what becomes of it, in words, with the source it was probably meant for (no
                  # path outside the raw folder: it is part of the data version, csp/runs.py)

    def words(self, raw_dir: Path) -> str:
        return f"{raw_dir / self.path.rstrip('/')} {self.why}"


class Gone(NamedTuple):
    """A delivery loaded from a file that is no longer in its source's folder. Its rows stay in the warehouse:
    raw extracts are never changed, so a file gone is an anomaly to see, not a withdrawal (README:
    "Starting afresh or withdrawing a delivery"). A (path, delivery_id) pair, as the data version takes it."""
    path: str          # inside the raw folder: "<source>/<file name>"
    delivery_id: int

    @property
    def source(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.path.split("/", 1)[1]

    def words(self, raw_dir: Path) -> str:
        # at its path, another file of the same name: a later delivery's bytes written over this one's
        where = ("was overwritten by a later file of the same name, so its bytes are no longer in the raw folder"
                 if (raw_dir / self.path).is_file() else "is no longer in the raw folder")
        return (f"{raw_dir / self.path} (delivery {self.delivery_id}) {where}: its rows stay in the warehouse, "
                f"{WHILE_GONE} (see the README to withdraw a delivery or start afresh)")


# what becomes of a gone file's rows: a delivery replaced by a later one, or quarantined by the row checks (which
# meta.deliveries' ingest status does not know), is no more used than before
WHILE_GONE = "used as before unless replaced or quarantined"


def gone_words(files_gone: tuple[Gone, ...], raw_dir: Path, each_up_to: int = 3) -> list[str]:
    """What the log says of the files gone: each on its own line, but a source with more than
    `each_up_to` gone in one line naming the first and last (a folder emptied or renamed would
    otherwise fill the log with a line a delivery; the data-quality report lists every one)."""
    by_source: dict[str, list[Gone]] = {}
    for g in files_gone:
        by_source.setdefault(g.source, []).append(g)
    lines = []
    for source, its in by_source.items():
        if len(its) <= each_up_to:
            lines += [g.words(raw_dir) for g in its]
            continue
        names = [g.name for g in its]
        lines.append(f"{raw_dir / source}/: the files of {len(its)} loaded deliveries ({names[0]} … {names[-1]}) are no "
                     f"longer there: their rows stay in the warehouse, {WHILE_GONE} (see the README to withdraw a "
                     "delivery or start afresh); the data-quality report lists each")
    return lines


def gone(con, raw_dir: Path, status: str = "loaded") -> tuple[Gone, ...]:
    """The deliveries of `status` (loaded, or quarantined) whose file is no longer in their source's folder: by
    path, or (at its path) overwritten, a later delivery having been read from the same path (the same bytes
    would not be a delivery again, so the earlier bytes are not there), whether that one loaded or not."""
    delivered = [(f"{source}/{name}", delivery_id, its_status)
                 for delivery_id, source, name, its_status in run(con, "ops/delivered_files")]
    latest = {path: delivery_id for path, delivery_id, _ in delivered}   # by delivery id: the last read from each path
    return tuple(sorted(Gone(path, delivery_id) for path, delivery_id, its_status in delivered
                        if its_status == status and (latest[path] != delivery_id or not (raw_dir / path).is_file())))


def copies(results: dict[str, list[DeliveryResult]]) -> tuple[NotRead, ...]:
    """Files of the same bytes as an earlier delivery of another name (source -> its ingest results):
    not read again, like any file already delivered, but said, as a partner who sent last month's
    file under this month's name would otherwise go unnoticed until the month is missed."""
    return tuple(NotRead(f"{source}/{r.file_name}", f"holds the same bytes as {r.copy_of} (delivery {r.delivery_id}, "
                                                    "already read): not read again")
                 for source, landed in results.items() for r in landed if r.status == "unchanged" and r.copy_of)


def misplaced(raw_dir: Path, sources: list[str]) -> list[NotRead]:
    """What lies in the raw folder where no source reads it (NotRead), by path. A folder holding no
    file is left out: nothing in it is lost."""
    if not raw_dir.is_dir():
        return []
    found = []
    for path in sorted(raw_dir.iterdir()):
        if _ignored(path.name):
            continue
        name = _as_text(path.name)
        if path.name in sources:
            found += [NotRead(f"{name}/{_as_text(sub.name)}/", f"is a folder inside {name}'s folder, so its "
                              f"{_files(n)} not read: only files directly in {name}/ are")
                      for sub in sorted(path.iterdir()) if sub.is_dir() and not _ignored(sub.name)
                      and (n := _file_count(sub))]
            found += [NotRead(f"{name}/{_as_text(sub.name)}", why)
                      for sub in sorted(path.iterdir()) if sub.is_file() and not _ignored(sub.name)
                      and (why := _not_readable(sub, raw_dir))]
        elif path.is_dir():
            if not (n := _file_count(path)):
                continue
            near = _nearest(name, sources)
            found.append(NotRead(f"{name}/", f"is not a source's folder, so its {_files(n)} not read"
                                 + (f" (did you mean {near}?)" if near else f" (sources: {', '.join(sources)})")))
        else:
            found.append(NotRead(name, "is not in a source's folder (<source>/ in the raw folder), so it is not read"))
    return found


def _file_count(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file() and not _ignored(p.name))


def _files(n: int) -> str:
    return "file is" if n == 1 else f"{n} files are"


def _nearest(name: str, sources: list[str]) -> str | None:
    """The source a folder name was probably meant to be: the one its words begin (police, Fire,
    hospital-admissions), or else the closest spelling."""
    words = name.lower().replace("-", "_").replace(" ", "_")
    begun = [s for s in sources if s.startswith(words) or words.startswith(s)]
    if len(begun) == 1:
        return begun[0]
    return next(iter(difflib.get_close_matches(words, sources, n=1, cutoff=0.6)), None)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """raw.<source>: provenance plus every contract column as text (DDL generated from the contract)."""
    cols = ", ".join(f'"{c}" VARCHAR' for c in contract.column_names)
    execute(
        con,
        f"CREATE TABLE IF NOT EXISTS raw.{contract.source} (_delivery_id INTEGER NOT NULL, "
        f"_source_file VARCHAR NOT NULL, _checksum VARCHAR NOT NULL, _row_number BIGINT NOT NULL, {cols})"
    )
    existing = set(con.table(f"raw.{contract.source}").columns)
    for col in contract.column_names:
        if col not in existing:  # a contract grew a column: older deliveries have it empty
            execute(con, f'ALTER TABLE raw.{contract.source} ADD COLUMN "{col}" VARCHAR')


def insert_raw_rows(con, contract: Contract, headers: list[str] | tuple[str, ...], provenance: str, source: str,
                    params: dict | None = None) -> int:
    """Copy landed rows into raw.<source> under the contract's column names (the file's headers mapped
    through its aliases; columns the contract does not know are left behind). `provenance` selects
    _delivery_id, _source_file, _checksum and _row_number from `source`, whose file columns are `b`."""
    mapping, _ = contract.map_headers(list(headers))
    renamed = ", ".join(f'b."{header.replace(chr(34), chr(34) * 2)}" AS "{col}"' for header, col in mapping.items())
    return execute(con, f"INSERT INTO raw.{contract.source} BY NAME SELECT {provenance}, {renamed} FROM {source}",
                   params)[0][0]


def ingest_file(con, contract: Contract, path: Path, checksum: str, run_id: str, validator_factory) -> DeliveryResult:
    """Read, register, land and validate one file in its own transaction."""
    with transaction(con, "ingest:landed"):
        result, rows = _land_one(con, contract, path, checksum, run_id)
        return _validated(con, contract, result, validator_factory) if rows else result


def _validated(con, contract: Contract, result: DeliveryResult, validator_factory) -> DeliveryResult:
    """A landed delivery's result once its rows are checked alone against its suite (validate_delivery)."""
    reason = validate_delivery(con, contract, result.form, result.delivery_id, validator_factory)
    return dataclasses.replace(result, status="quarantined", reason=reason) if reason else result


def _land_one(con, contract: Contract, path: Path, checksum: str, run_id: str) -> tuple[DeliveryResult, int]:
    """Read, register and land one file by the per-file reader (the caller holds the transaction and
    validates it): what became of it so far, and the rows it landed for its suite to check (0 when it
    is not to be validated: quarantined already, or no rows)."""
    record = _record(contract, path, checksum, run_id)
    try:
        landed = read_into_landing(con, path, lambda headers: contract.header_form(headers) is not None)
    except UnreadableDelivery as exc:
        delivery_id = run(con, "ops/register_delivery", {
            **record, "form": None, "status": "quarantined", "reason": str(exc), "rows_received": 0,
            "file_type": None, "warnings": [], "extra_columns": [], "blank_rows": 0,
        })[0][0]
        return DeliveryResult(path.name, "quarantined", delivery_id, None, 0, str(exc)), 0

    mapping, extra = contract.map_headers(landed.headers)
    form, why = contract.identify_form(set(mapping.values()))
    reason = delivery_problem(con, contract, path, checksum, landed, form, why)
    warnings = landed.notes + (_extra_columns_warning(contract, mapping, extra) if form else [])
    delivery_id = run(con, "ops/register_delivery", {
        **record, "form": form, "status": "quarantined" if reason else "loaded", "reason": reason,
        "rows_received": landed.rows_received, "file_type": landed.file_type, "warnings": warnings,
        "extra_columns": extra if form else [], "blank_rows": len(landed.blank_rows),
    })[0][0]
    run(con, "ops/store_malformed_rows", {"delivery_id": delivery_id, "cut_row": landed.cut_row,
                                          "unclosed_row": landed.unclosed_quote and landed.unclosed_quote.row})
    if form is None:
        run(con, "ops/delivery_rows", {"delivery_id": delivery_id})
        return DeliveryResult(path.name, "quarantined", delivery_id, None, landed.rows_received, reason or "",
                              tuple(warnings)), 0
    insert_raw_rows(con, contract, landed.headers,
                    "$delivery_id AS _delivery_id, $file AS _source_file, $checksum AS _checksum, b._row_number",
                    "landing AS b", {"delivery_id": delivery_id, "file": path.name, "checksum": checksum})
    return (DeliveryResult(path.name, "quarantined" if reason else "loaded", delivery_id, form, landed.rows_received,
                           reason or "", tuple(warnings)),
            0 if reason else landed.rows_read)


def _record(contract: Contract, path: Path, checksum: str, run_id: str) -> dict:
    stat = path.stat()
    return {"source": contract.source, "file_name": path.name, "file_path": str(path), "checksum": checksum,
            "size_bytes": stat.st_size, "modified_ns": stat.st_mtime_ns, "received_at": dt.datetime.now(),
            "run_id": run_id}


def _extra_columns_warning(contract: Contract, mapping: dict[str, str], extra: list[str]) -> list[str]:
    """The headers not loaded, in words: those the contract does not know, and each naming a column another
    header was read as (map_headers)."""
    aliases, read_as = contract.alias_map(), {col: header for header, col in mapping.items()}
    unknown = [h for h in extra if normalise_header(h) not in aliases]
    words = [f"columns not in the data contract were not loaded: {', '.join(unknown)}"] if unknown else []
    return words + [f"column '{h}' was not loaded: '{read_as[col]}' was read as {col}, which both name"
                    for h in extra if (col := aliases.get(normalise_header(h))) in read_as]


def validate_delivery(con, contract: Contract, form: str, delivery_id: int, validator_factory) -> str | None:
    """Check the delivery's landed rows against its Great Expectations suite; quarantine it if they
    fail. Returns the reason, or None when it passes."""
    columns = [f'"{c}"' for c in suite_columns(suite_spec(contract.source, form))]
    # the values as the row checks read them (batches.define_checked_cells), not as sent
    df = con.table(checked_cells(contract)).filter(f"_delivery_id = {delivery_id}").select(*columns).df()
    outcome = validator_factory().validate(contract.source, form, df)
    run(con, "ops/store_validation", {"delivery_ids": [delivery_id], "suite": f"{contract.source}.{form}",
                                      "success": outcome.success, "result": outcome.result_json})
    if outcome.success:
        return None
    reason = f"failed its data contract: {outcome.reason}"
    run(con, "ops/quarantine_delivery", {"delivery_id": delivery_id, "reason": reason})
    return reason


def validate_batch(con, contract: Contract, form: str, landed: list[BatchFile], validator_factory) -> set[int]:
    """Check the batch's landed files together on their shape (csp/validate.py). Where the shape fails
    on values a check allows a share of, the files no other failure points at are checked together
    again on each one's share. The files the failures point at (holding a value no share of is allowed, a share too
    small, a row count out of range) are returned to be validated alone; the others, which then pass
    their suite, are checked together again if need be and each recorded as validated by that
    result. Returns the delivery ids to validate alone."""
    if len(landed) == 1:   # one file: its own validation is the one GX call it needs
        return {landed[0].delivery_id}
    spec = suite_spec(contract.source, form)
    validate = functools.partial(validator_factory().validate, contract.source, form)
    outcome = validate(batch_shape(con, contract, spec, landed), kind="shape")
    flagged, unexpected = _pointed_at(con, contract, landed, outcome) if not outcome.success else (set(), None)
    kind = "shape" if unexpected is None else "shares"
    checked, passing = landed, [f for f in landed if f.delivery_id not in flagged]   # `outcome` is of `checked`
    if kind == "shares" and passing:   # one more validation rather than one for each file holding a few
        checked, outcome = passing, validate(batch_shape(con, contract, spec, passing, unexpected), kind=kind)
        if not outcome.success:
            flagged |= _pointed_at(con, contract, passing, outcome)[0]
            passing = [f for f in passing if f.delivery_id not in flagged]
    if passing and passing != checked:   # the result to record for the files that pass: theirs alone
        outcome = validate(batch_shape(con, contract, spec, passing, unexpected), kind=kind)
        if not outcome.success:   # cannot happen if the reasoning above holds; then trust nothing
            return {f.delivery_id for f in landed}
    if passing:
        run(con, "ops/store_validation", {"delivery_ids": [f.delivery_id for f in passing],
                                          "suite": f"{contract.source}.{form}" + BATCH_SUITES[kind == "shares"],
                                          "success": True, "result": outcome.result_json})
    return flagged


def _pointed_at(con, contract: Contract, landed: list[BatchFile], outcome) -> tuple[set[int], dict[str, list] | None]:
    """The files a failed validation of the batch's shape (or shares) points at, and, when some of its
    failures are of checks allowing a share of unexpected values, those checks' share columns and the
    values they found unexpected (for their files' shares to decide: none are pointed at here).
    A failure that points at no file points at them all."""
    flagged: set[int] = set()
    unexpected: dict[str, list] = {}
    for failed in outcome.unexpected:
        # (a failure naming nothing unexpected, as when an expectation raised an error, is no share's to decide)
        if tolerant(failed.restates) and failed.column != share_column(failed.restates) and failed.values:
            unexpected[share_column(failed.restates)] = failed.values
            continue
        if failed.column in contract.column_names:   # a value no share of is allowed
            files = files_holding(con, contract, landed, failed.column, failed.values)
        else:   # a per-file column (a row count, repeats, a share): its row i is the batch's file i
            files = {landed[i].delivery_id for i in failed.rows}
        flagged |= files or {f.delivery_id for f in landed}
    return flagged, unexpected or None


def ingest_batch(con, contract: Contract, batch: list[PlainCsv], run_id: str, validator_factory) -> list[DeliveryResult]:
    """Land a run of plain CSVs with the same header in one transaction: one scan counts each file's
    rows and finds the files it reads cleanly, a second lands those straight into raw.<source>
    (batches.py). Files are registered in the order given, so delivery ids follow arrival as they do
    file by file; a file the scan could not read cleanly goes through the per-file reader at its place.
    Every file landed with rows of the batch's form is then validated with the others (validate_batch),
    however it was read: a file with one malformed or blank row, or in Windows-1252, need not go through
    GX alone (~0.1 s a validation)."""
    headers = batch[0].headers
    mapping, extra = contract.map_headers(list(headers))
    form = contract.identify_form(set(mapping.values()))[0]
    warnings = _extra_columns_warning(contract, mapping, extra)
    with transaction(con, "ingest:landed"):
        clean = read_batch(con, batch)
        results, landed, read_alone, alone = [], [], [], set()
        for plain in batch:
            data_rows = clean.get(plain.path)
            if data_rows is None:
                result, rows = _land_one(con, contract, plain.path, plain.checksum, run_id)
                results.append(result)
                if rows and result.form == form:   # validated with the batch's files
                    read_alone.append(BatchFile(plain, result.delivery_id, rows))
                elif rows:
                    alone.add(result.delivery_id)
                continue
            delivery_id = run(con, "ops/register_delivery", {
                **_record(contract, plain.path, plain.checksum, run_id), "form": form, "status": "loaded",
                "reason": None, "rows_received": data_rows, "file_type": plain.file_type,
                "warnings": warnings, "extra_columns": extra, "blank_rows": 0,
            })[0][0]
            landed.append(BatchFile(plain, delivery_id, data_rows))
            results.append(DeliveryResult(plain.path.name, "loaded", delivery_id, form, data_rows, "",
                                          tuple(warnings)))
        if landed:
            rows = insert_raw_rows(con, contract, headers, "b._delivery_id, b._source_file, b._checksum, b._row_number",
                                   "batch_rows($paths, $columns) AS b", define_batch_rows(con, landed))
            counted = sum(f.data_rows for f in landed)
            if rows != counted:   # the row numbers come from the counting scan: they would be wrong
                names = " … ".join(dict.fromkeys((landed[0].plain.path.name, landed[-1].plain.path.name)))
                raise RuntimeError(f"a file among {names} changed while being read ({rows:,} rows, {counted:,} "
                                   "counted): none of them was loaded; run the refresh again once they are complete")
        checked = landed + read_alone
        alone |= validate_batch(con, contract, form, checked, validator_factory) if checked else set()
        return [_validated(con, contract, result, validator_factory) if result.delivery_id in alone else result
                for result in results]


def delivery_problem(con, contract: Contract, path: Path, checksum: str, landed: Landed, form: str | None,
                     why: str) -> str | None:
    """Why the whole delivery cannot be used, in words for the partner; None when it can."""
    # the layout first: a line of prose (notes.txt) is no header row of this source's, rows or none
    if form is None:
        return (wrong_folder(con, contract, path, checksum, landed.headers) or tab_separated(contract, landed)
                or no_header_row(contract, landed) + why)
    if landed.rows_received == 0:
        blank = f" (only {len(landed.blank_rows)} blank rows)" if landed.blank_rows else ""
        return f"the file has a header row but no data rows{blank}"
    if landed.unclosed_quote:   # its rows after the quote were not read: loading it would undercount its months
        return landed.unclosed_quote.words()
    if landed.not_read:
        return landed.not_read.words()
    if landed.cut_row:
        return (f"the file is cut short: it ends part-way through row {landed.cut_row} (too few fields and no line "
                "break after them), so rows after it are probably missing and loading it would undercount its months; "
                "please send the complete file again (if that last line is a footer or a note, not a row, without it)")
    return None


def tab_separated(contract: Contract, landed: Landed) -> str | None:
    """A text file whose header line, read as comma-separated, is one field holding tabs: saved as tab-separated
    text, whose columns every check would otherwise call missing ("no header row") with no word of why."""
    if landed.file_type.startswith("Excel") or len(landed.headers) != 1 or "\t" not in landed.headers[0]:
        return None
    named = [h.strip() for h in landed.headers[0].split("\t")]
    fits = " (its columns are this source's)" if contract.header_form(named) else ""
    return (f"the file is tab-separated, not comma-separated: its header line ({landed.headers_at}) holds "
            f"{len(named)} columns split by tabs{fits}; please save it as CSV (comma-separated) and send that")


def no_header_row(contract: Contract, landed: Landed) -> str:
    """For a CSV none of whose first lines, or a workbook none of whose sheets' first rows, names a column of the
    source's: that no header row was found (a title line read as the headers misses every column), before what
    each layout misses. Nothing for a header row with columns missing or misspelt."""
    if not landed.no_header_in or contract.map_headers(landed.headers)[0]:
        return ""
    if landed.file_type.startswith("Excel"):
        where, above = f"in the first {landed.no_header_in} rows of any of its sheets", "rows"
    else:
        where = "in its first line" if landed.no_header_in == 1 else f"in its first {landed.no_header_in} lines"
        above = "lines"
    return (f"the file has no header row of {contract.title} {where} (title {above} above the header row are "
            f"skipped when it is one of the first {HEADER_SEARCH_ROWS}), so {landed.headers_at} was read as its "
            "headers: ")


def wrong_folder(con, contract: Contract, path: Path, checksum: str, headers: list[str]) -> str | None:
    """A file whose columns fit another source's contract (and not this one's) was put in the wrong folder: its
    headers as read, or a row under title lines (a CSV's, a workbook's other sheet) that none of this source's
    layouts matched. Where that source already has the same bytes (same_file_in), the file is a copy to remove,
    not one to move."""
    others = [load_contract(other) for other in available_sources() if other != contract.source]

    def fits(row: list[str]) -> bool:
        return any(theirs.header_form(row) for theirs in others)

    found = headers if fits(headers) else headers_matching(path, fits)
    for theirs in others if found else []:
        if form := theirs.header_form(found):
            where = f"{path.parent.parent.name}/{theirs.source}/"
            article = "an" if theirs.source[0] in "aeiou" else "a"   # an asb extract
            looks = (f"this looks like {article} {theirs.source} extract ({theirs.title}, '{form}' layout), not "
                     f"{contract.title}")
            return f"{looks}: {same_file_in(con, theirs.source, path, checksum, where) or f'move it to {where}'}"
    return None


def same_file_in(con, source: str, path: Path, checksum: str, where: str) -> str | None:
    """Where `source` already has the bytes of `path` (a file quarantined in another source's folder), in words,
    or None: a file in that source's folder (landed or not: its source may come later in the run), else a delivery
    of those bytes whose file has since gone or been renamed. Run once per file quarantined so, and kept cheap:
    only files of the same size are read for their checksum."""
    size = path.stat().st_size
    for there in discover(path.parent.parent, source):
        if there.stat().st_size == size and sha256(there) == checksum:
            return f"the same file is already in {where} ({there.name}), so this copy can be removed"
    delivered = next(iter(run(con, "ops/find_delivery", {"source": source, "checksum": checksum,
                                                         "file_name": path.name})), None)
    if delivered:
        delivery_id, _, name, _ = delivered
        return (f"the same file was already delivered to {where} ({name}, delivery {delivery_id}), so this copy can "
                "be removed")
    return None


def ingest_source(con, source: str, raw_dir: Path, run_id: str, validator_factory=None) -> list[DeliveryResult]:
    """Ingest every new file of one source, in arrival order; returns what happened to each file.
    Consecutive plain CSVs with the same header land together (ingest_batch), any other file alone."""
    contract = load_contract(source)
    ensure_raw_table(con, contract)
    validator_factory = validator_factory or _shared_validator
    results: list[DeliveryResult] = []
    pending: list[PlainCsv] = []
    viewed = False

    def done(landed: list[DeliveryResult]) -> None:   # said as each file or batch lands: a backfill takes minutes
        for result in landed:
            if result.status == "quarantined":
                log.warning("%s: %s quarantined: %s", source, result.file_name, result.reason)
            elif result.status == "unchanged":   # every earlier file, every month: the source's summary counts them
                log.debug("%s: %s unchanged", source, result.file_name)
            else:
                log.info("%s: %s landed (%s rows; the build checks each)", source, result.file_name, f"{result.rows:,}")
        results.extend(landed)

    def land_pending() -> None:
        if pending:
            done(ingest_batch(con, contract, pending, run_id, validator_factory))
            pending.clear()

    known = {(path, size, modified): (checksum, is_copy, seen) for path, size, modified, checksum, is_copy, *seen
             in run(con, "ops/known_files", {"source": source})}
    for path in discover(raw_dir, source):
        stat = path.stat()
        checksum, is_copy, seen = known.get((str(path), stat.st_size, stat.st_mtime_ns)) or (sha256(path), False, None)
        # a file read before from this very path is a delivery, whatever later one holds its bytes too (sent
        # again under another name): only a file never read from its path can be a copy of another, and one
        # found to be a copy stays one (meta.copies)
        copy_of = seen[2] if is_copy and seen[2] != path.name else ""
        if any(p.checksum == checksum for p in pending):   # the same bytes twice: the second is seen as such
            land_pending()
        if not seen and (found := next(iter(run(con, "ops/find_delivery", {
                "source": source, "checksum": checksum, "file_name": path.name})), None)):
            *same, replaced = found
            if replaced:   # sent again after a correction: the latest delivery again, as a rebuild would take it
                log.warning("%s: %s has the same bytes as delivery %s (%s), whose rows later deliveries replaced: "
                            "landed again as the latest delivery", source, path.name, same[0], same[2])
            else:
                seen, copy_of = same, same[2] if same[2] != path.name else ""
                if copy_of:
                    run(con, "ops/record_copy", {"source": source, "file_name": path.name, "file_path": str(path),
                                                 "size_bytes": stat.st_size, "modified_ns": stat.st_mtime_ns,
                                                 "checksum": checksum, "run_id": run_id})
        if seen:
            done([DeliveryResult(path.name, "unchanged", seen[0], None, 0,
                                 f"same bytes as delivery {seen[0]} ({seen[2]}), already {seen[1]}", copy_of=copy_of)])
            continue
        if validator_factory is _shared_validator:
            prepare_shared_validator()
        if not viewed:   # the view new files are validated on: not made for a source with none (~0.1 s)
            define_checked_cells(con, contract)
            viewed = True
        plain = plain_csv(contract, path, checksum)
        if pending and (plain is None or plain.headers != pending[0].headers
                        or sum(p.size for p in pending) + plain.size > BATCH_BYTES):
            land_pending()
        if plain:
            pending.append(plain)
        else:
            done([ingest_file(con, contract, path, checksum, run_id, validator_factory)])
    land_pending()
    return results


_validator: DeliveryValidator | None = None
_validator_lock = threading.Lock()


def _shared_validator() -> DeliveryValidator:
    """One GX context per process, created only when a new delivery needs checking."""
    global _validator
    with _validator_lock:   # a context being made by prepare_shared_validator's thread is waited for
        if _validator is None:
            _validator = DeliveryValidator()
    return _validator


def prepare_shared_validator() -> None:
    """Make the GX context in a thread once a new file is found: importing GX and making its context
    take ~5 s, mostly while the first files are read and landed (DuckDB, which releases the GIL)."""
    if _validator is None and not _validator_lock.locked():
        threading.Thread(target=_shared_validator, name="gx-context").start()
