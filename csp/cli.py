"""`csp`: the command line of the community safety strategic assessment pipeline."""
from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import errno
import importlib
import json
import logging
import os
import re
import signal
import sys
import threading
import urllib.parse
import warnings
from pathlib import Path

from csp import PROGRESS_LOGGERS, InputError, show_progress, stop_signals
from csp.config import DEFAULT_SETTINGS, load_settings

# Prefect settings for a closed network and slow machines; the analyst's own environment wins.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_EXTRA_LOGGERS": ",".join(PROGRESS_LOGGERS),
    # a Dask cluster's warnings, not its INFO chatter (~40 lines a run, and the traceback of a
    # connection closing as a local cluster shuts down, which reads as a failure); its workers,
    # started after this is set, read it too
    "DASK_LOGGING__DISTRIBUTED": "warning",
}


def _prefect_defaults() -> None:
    """PREFECT_DEFAULTS, where the environment sets no other value, and the flow runs' results in a folder
    the flow prunes (csp.prefect_server.results_folder); before Prefect is imported (it reads its settings then)."""
    from csp.prefect_server import results_folder

    for key, value in {**PREFECT_DEFAULTS, "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(results_folder())}.items():
        os.environ.setdefault(key, value)


def _settings(args):
    return load_settings(args.settings).with_paths(raw_dir=args.raw, marts_dir=args.marts, warehouse=args.warehouse)


def cmd_synth(args) -> int:
    from csp.synth import generate_all

    settings = _settings(args)
    synth = settings.synth
    written = generate_all(settings.raw_dir, settings.reference_dir, args.first_month or synth["first_month"],
                           args.months if args.months is not None else int(synth["months"]),
                           args.seed if args.seed is not None else int(synth["seed"]), settings.population_mid_year)
    for source, files in written.items():
        print(f"{source}: wrote {len(files)} sample extract(s) to {settings.raw_dir / source}")
    return 0


def cmd_refresh(args) -> int:
    warnings_logged = _Counted()
    logging.getLogger("csp").addHandler(warnings_logged)
    try:
        with stop_signals.caught():
            return _refresh(args, warnings_logged)
    finally:
        logging.getLogger("csp").removeHandler(warnings_logged)


class _Counted(logging.Handler):
    """How many warnings (and errors) the pipeline logged: the run's last lines say it, so that a run with
    a quarantined delivery or data overdue does not end in the same words as a clean one."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _refresh(args, warnings_logged: _Counted) -> int:
    if args.area or args.dask_address:
        return _refresh_areas(args)
    load_settings(args.settings)   # a mistake in them said now, not after a Prefect server started, under a traceback
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else None   # checked by as_of_date
    if args.no_prefect:
        from csp.pipeline import run_refresh

        # the progress lines (show_progress) and every warning; not the libraries' own INFO chatter
        handler = logging.StreamHandler()
        handler.setFormatter(_Lines("%(asctime)s %(marked)s", datefmt="%H:%M:%S"))
        logging.basicConfig(level=logging.WARNING, handlers=[handler])
        summary = run_refresh(_settings(args), as_of)
        result = {"outputs_dir": summary.outputs_dir, "comparison": summary.comparison,
                  "published": summary.published.changed, "quality_report": summary.published.quality_report,
                  "new_deliveries": summary.report.deliveries_in_words()}
    else:
        server = _temporary_server()
        from flows.monthly_refresh import monthly_refresh

        if server:
            # the server answers ~1 s after the flow is imported: meanwhile Great Expectations is
            # imported (~2.5 s), which validating the first new delivery would otherwise wait for
            threading.Thread(target=importlib.import_module, args=("great_expectations",), daemon=True,
                             name="import-gx").start()
            server.wait()
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        # a temporary server ends with this process, so no one watches for the flow's heartbeats (they
        # tell a lasting server that a run has died); their thread sleeps in 1 s steps and is waited
        # for when the flow ends. Runs on a lasting server keep them
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None} if server else {}):
            result = monthly_refresh(settings_path=args.settings and str(args.settings), as_of=args.as_of,
                                     raw_dir=args.raw and str(args.raw), marts_dir=args.marts and str(args.marts),
                                     warehouse=args.warehouse and str(args.warehouse))
    # police recorded crime's window: each source has its own (KSI's ends earlier), which the pack's cover lists
    print(f"\nComparison (police recorded crime): {result['comparison']}")
    marking = _settings(args).marking   # the settings' protective marking, as every output carries it
    print(f"Outputs ({marking}): {result['outputs_dir']}"
          + ("" if result["published"] else " (unchanged: nothing new since the last release)"))
    print(f"Data-quality report ({marking}): {result['quality_report']}")
    if _settings(args).district_marts:
        print(f"District marts ({marking}): {_settings(args).marts_dir / 'districts'}")
    print(f"Warehouse: {_settings(args).warehouse}")
    print(f"New deliveries: {result['new_deliveries']}. Warnings: {warnings_logged.count or 'none'}"
          + (" (above)" if warnings_logged.count else ""))
    return 0


class _Lines(logging.Formatter):
    """A progress line as it is, a warning or an error marked as one (Prefect's log shows each line's level)."""

    MARKS = {logging.WARNING: "Warning: ", logging.ERROR: "Error: ", logging.CRITICAL: "Error: "}

    def format(self, record: logging.LogRecord) -> str:
        record.marked = self.MARKS.get(record.levelno, "") + record.getMessage()
        return super().format(record)


def _temporary_server():
    """With no Prefect server named (PREFECT_API_URL), the temporary one, started now to come up
    while the flow is imported and stopped at exit; None when a server is named."""
    _prefect_defaults()
    if os.environ.get("PREFECT_API_URL"):
        return None
    from csp.prefect_server import TemporaryServer

    server = TemporaryServer(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
    os.environ["PREFECT_API_URL"] = server.url   # before Prefect is imported: it reads its settings then
    # stopped at exit, after Prefect's own exit handlers (registered later, run earlier) send their logs
    atexit.register(server.stop)
    return server


def _refresh_areas(args) -> int:
    """One refresh per area settings file, as Prefect tasks: on the Dask cluster at --dask-address
    ('local': one made on this machine for the run), else one after another."""
    from flows import LOCAL   # not flows.areas: that imports Prefect, before the temporary server's URL is set

    if args.no_prefect or args.raw or args.marts or args.warehouse:
        raise InputError("--area and --dask-address run Prefect tasks whose paths come from each area's settings "
                         "file: leave out --no-prefect, --raw, --marts and --warehouse")
    if args.dask_address not in (None, LOCAL) and not os.environ.get("PREFECT_API_URL"):
        raise InputError("the workers of a Dask cluster report to the Prefect API: set PREFECT_API_URL to a Prefect "
                         "server they can reach (`prefect server start --host 0.0.0.0`)")
    paths = [str(p) for p in args.area] if args.area else [str(args.settings or DEFAULT_SETTINGS)]
    for path in paths:   # as a single area's, before a server starts
        load_settings(path)
    server = _temporary_server()   # the areas' tasks, on the cluster's workers too, report to it
    from flows.areas import refresh_areas

    if server:
        server.wait()
    for result in refresh_areas(paths, args.as_of, args.dask_address):
        marking = load_settings(result["settings_path"]).marking
        print(f"{result['settings_path']}: {result['comparison']}; outputs ({marking}) in {result['outputs_dir']}"
              + ("" if result["published"] else " (unchanged)"))
    return 0


def cmd_serve(args) -> int:
    """Serve the monthly refresh on its schedule, with a persistent Prefect server and its UI."""
    settings = _settings(args)
    serving = False
    # Ctrl-C (SIGINT) stops serving even where the command started with it ignored, as a script's background
    # job does (its shell ignores SIGINT for it): serve then ran on through `kill -INT`, and only SIGKILL ended
    # it. A supervisor's SIGTERM stops it the same way until Prefect's runner puts its own handler in place
    # (which exits 0, below): Prefect says it serves a moment before, and a SIGTERM then ended the process at once.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.default_int_handler)
    try:
        with _serving_server(settings, args.port or int(settings.schedule["prefect_port"])) as (url, server):
            os.environ["PREFECT_API_URL"] = url
            _prefect_defaults()
            from prefect import serve

            from flows.deployment import deployment, next_run_words

            _end_runs_left_unfinished()

            parameters = {name: str(value) for name, value in (("settings_path", args.settings), ("raw_dir", args.raw),
                          ("marts_dir", args.marts), ("warehouse", args.warehouse)) if value is not None}
            # in place of Prefect's own banner, whose `prefect deployment run` command, without the server's
            # URL, would start a temporary server of its own and find no deployment
            print(f"The deployment monthly_refresh/monthly-refresh is being served. Prefect UI: "
                  f"{url.removesuffix('/api')}. The refresh runs next at {next_run_words(settings)}; run it now from "
                  "the UI (Deployments > monthly-refresh > Run) "
                  f"or with `PREFECT_API_URL={url} ./run prefect deployment run monthly_refresh/monthly-refresh`. "
                  "Ctrl-C stops serving" + (" and the server." if server else "."), flush=True)
            serving = True
            # a supervisor's SIGTERM: Prefect's runner exits 0 (Runner.handle_sigterm), asking itself to stop with a
            # coroutine it never awaits, which Python warns of: not a fault of the serve, so not said
            warnings.filterwarnings("ignore", message="coroutine 'Runner.astop' was never awaited")
            try:
                # Prefect's runner takes a Ctrl-C and returns
                serve(deployment(settings, parameters), print_starting_message=False)
            except SystemExit as e:   # the SIGTERM's exit: ended here as a Ctrl-C is
                if e.code not in (0, None):
                    raise
            finally:   # a run it stopped mid-way: ended, before the server stops, or it blocks every later run
                try:
                    _end_runs_left_unfinished()
                except KeyboardInterrupt:
                    pass
                except Exception as e:   # said, as the run slot stays held until the run is cancelled
                    print(f"csp: could not mark the runs this serve left unfinished as crashed ({e}); the next "
                          "`csp serve` does, or cancel them in the Prefect UI", file=sys.stderr)
    except KeyboardInterrupt:   # a second Ctrl-C while Prefect's runner shuts down: the same end
        if not serving:
            raise
    print("csp: serving stopped: no refresh runs on the schedule until `csp serve` is started again. "
          f"{LEFT_AS_IS.capitalize()}.", file=sys.stderr)
    return 0


def _end_runs_left_unfinished() -> None:
    import asyncio

    from flows.deployment import end_runs_left_unfinished

    for name in asyncio.run(end_runs_left_unfinished()):
        print(f"csp: run '{name}' of the deployment was left unfinished by a `csp serve` that stopped mid-run: "
              "marked crashed (it held the deployment's one run slot, so later runs would wait behind it)",
              file=sys.stderr)


@contextlib.contextmanager
def _serving_server(settings, port: int):
    """(the Prefect API's URL, the server started here or None): the server named by PREFECT_API_URL, or
    a persistent one started on `port` and stopped when the block ends."""
    from csp.prefect_server import api_url, ensure_server, healthy, serve_lock, stop_server

    url = os.environ.get("PREFECT_API_URL")
    if url:  # the analyst's own server: use it, never start another
        if not healthy(url):
            raise InputError(f"no Prefect server answers at PREFECT_API_URL={url}")
        # one serve per server here too: a second one, stopping, paused the deployment the first still served
        parts = urllib.parse.urlsplit(url)
        with serve_lock(parts.port or (443 if parts.scheme == "https" else 80)):
            yield url, None
        return
    # a second `csp serve` on the port would use the first one's server and lose it when the first stops
    with serve_lock(port):
        url = api_url(port)
        log_file = settings.warehouse.parent / "prefect-server.log"
        print(f"starting the Prefect server on {url} (log: {log_file}) ...")
        server = ensure_server(url, port, log_file, keep_days=settings.prefect_keep_days)
        try:
            yield url, server
        finally:
            if server:
                stop_server(server)


def cmd_demo(args) -> int:
    from csp.publish.manifest import released_as_of
    from csp.synth import sample_run_date

    settings = _settings(args)
    if args.as_of is None:   # run today, every source of the sample data would be reported months overdue
        sample_date = sample_run_date(settings.synth["first_month"], int(settings.synth["months"]))
        released = released_as_of(settings.marts_dir / "county")
        # real data's release, most likely: not to be rolled back, nor sample data written beside its warehouse
        if released and released > sample_date:
            raise InputError(f"the outputs in {settings.marts_dir} are a release as of {released:%d %B %Y}; the demo "
                             f"runs as of the sample data's date, {sample_date:%d %B %Y}, and would replace them with "
                             "an earlier one: run `./run csp refresh` (as of today), or the demo with --as-of")
        args.as_of = sample_date.isoformat()
    if not any(p.is_file() and p.name != "README.md" for p in settings.raw_dir.glob("*/*")):
        print(f"no partner extracts in {settings.raw_dir}: generating sample data first")
        args.first_month = args.months = args.seed = None
        cmd_synth(args)
    return cmd_refresh(args)


def cmd_marts_pull(args) -> int:
    from csp.marts.pull import pull_mart

    district, destination, files = pull_mart(_settings(args), args.district, args.to)
    print(f"{district.name} mart copied to {destination}: {files} files, each matching its checksum in the manifest")
    print(f"{_settings(args).marking}: keep it on systems cleared for it, within the partnership")
    return 0


def cmd_release_inputs(args) -> int:
    from csp.release_inputs import assemble

    written = assemble(args.manifest, args.from_, args.to)
    made = json.loads(args.manifest.read_text(encoding="utf-8"))
    print(f"{len(written)} input(s) of the release {made['produced_by_run']} (data version {made['data_version']}) "
          f"copied to {args.to}, each matching its checksum in the manifest")
    print(f"to rerun it: a fresh clone at {made['code_version']}, then `./run csp --raw {args.to} --warehouse "
          f"<new file> --marts <new folder> refresh --no-prefect --as-of {made['as_of']}`; the rerun's manifest has "
          "the same data version when its code, settings, reference data and inputs are the same, and the release's "
          "data-quality report lists no file left unread in the raw folder and no delivery gone (README, \"Reproducing "
          "a release\")")
    return 0


def cmd_contracts(args) -> int:
    from csp.contracts import write_suites

    for path in write_suites():
        print(f"wrote {path}")
    return 0


def as_of_date(text: str) -> str:
    """--as-of: a date no later than today, checked here so that a mistake names the option; kept as the
    text given, which the Prefect flows take."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, not {text!r} ({exc})") from None
    if day > dt.date.today():   # its latest complete month would be one no partner can have sent yet
        raise argparse.ArgumentTypeError(f"{text} is after today ({dt.date.today()}): the run date decides the "
                                         "latest complete month, so it cannot be in the future")
    return text


def first_month(text: str) -> str:
    """synth --first-month: a month YYYY-MM."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"expected a month YYYY-MM, not {text!r}")
    return text


def month_count(text: str) -> int:
    """synth --months: a whole number of months, at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of months (1 or more), not {text!r}")
    return int(text)


def _path_options(p: argparse.ArgumentParser, after_command: bool = False) -> None:
    """The options naming the settings and folders, before the command (`csp --raw R refresh`) or after it
    (`csp refresh --raw R`: as the messages that name them read). After the command an option left out
    leaves the value given before it (SUPPRESS: no default of its own)."""
    default = argparse.SUPPRESS if after_command else None
    p.add_argument("--settings", type=Path, default=default, help="settings file (default: config/settings.toml)")
    p.add_argument("--raw", type=Path, default=default,
                   help="folder of partner extracts, one subfolder per source (default from settings)")
    p.add_argument("--marts", type=Path, default=default, help="folder the outputs are published to (default from settings)")
    p.add_argument("--warehouse", type=Path, default=default, help="DuckDB warehouse file (default from settings)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="csp",
        description="County community safety strategic assessment pipeline: partner extracts in data/raw/<source>/ "
                    "-> DuckDB warehouse -> validated, compared, published OFFICIAL-SENSITIVE outputs in data/marts/.",
    )
    _path_options(p)
    sub = p.add_subparsers(dest="command", required=True, metavar="command")

    s = sub.add_parser("demo", help="generate sample data if there is none, then run the monthly refresh on it")
    s.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                   help="run date YYYY-MM-DD (default: the sample data's, the 20th of the month after its last, "
                        "2025-11-20 with the settings' [synth]; `refresh` runs as of today)")
    s.add_argument("--no-prefect", action="store_true", help="run the steps directly, without a Prefect flow")
    _path_options(s, after_command=True)
    s.set_defaults(func=cmd_demo, area=None, dask_address=None)   # the one area of the settings, on this machine

    s = sub.add_parser("refresh", help="the monthly refresh: ingest new deliveries, validate, build, publish")
    s.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                   help="run date YYYY-MM-DD (default today): decides the latest complete month")
    s.add_argument("--no-prefect", action="store_true", help="run the steps directly, without a Prefect flow")
    s.add_argument("--area", type=Path, action="append",
                   help="settings file of one area (repeatable): each area is refreshed into its own warehouse file "
                        "and marts folder, as one Prefect task")
    s.add_argument("--dask-address", metavar="ADDRESS",
                   help="fan the areas out over the Dask cluster at ADDRESS (tcp://host:8786; needs PREFECT_API_URL), "
                        "or 'local' for a cluster of 2 worker processes on this machine")
    _path_options(s, after_command=True)
    s.set_defaults(func=cmd_refresh)

    s = sub.add_parser("serve", help="run the refresh on its monthly schedule as a Prefect deployment, starting a "
                                     "persistent Prefect server and UI (unless PREFECT_API_URL names one); Ctrl-C stops")
    s.add_argument("--port", type=int, help="port of the Prefect server to start (default from settings: 4200)")
    _path_options(s, after_command=True)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("synth", help="write generated sample partner extracts (deterministic for a seed) into the raw folder",
                       description="Write generated sample partner extracts (deterministic for a seed) into "
                                   "<raw>/<source>/. Never overwrites or mixes with delivered files: refused, with "
                                   "nothing written, if any source folder already holds a delivery (use an empty "
                                   "folder with --raw). All or nothing: a failure part-way leaves no file.")
    s.add_argument("--first-month", type=first_month, help="first month YYYY-MM (default from settings)")
    s.add_argument("--months", type=month_count, help="number of months (default from settings: 36)")
    s.add_argument("--seed", type=int, help="random seed (default from settings)")
    _path_options(s, after_command=True)
    s.set_defaults(func=cmd_synth)

    s = sub.add_parser("marts", help="district data marts: `marts pull` copies one district's mart out, checked")
    marts = s.add_subparsers(dest="marts_command", required=True, metavar="marts_command")
    s = marts.add_parser("pull", help="copy a district's mart to a folder, checking every file against its manifest")
    s.add_argument("--district", required=True, help="district name (any case and spacing), folder name or ONS code")
    s.add_argument("--to", required=True, type=Path, help="folder to copy into (the mart goes into <folder>/<district>/)")
    _path_options(s, after_command=True)
    s.set_defaults(func=cmd_marts_pull)

    s = sub.add_parser("release-inputs", help="put together the raw folder a release was made from, to rerun it as "
                                              "the data stood then",
                       description="Copy every input of a release's run_manifest.json, found by its checksum in the "
                                   "--from folders, into a new raw folder, in the order they landed: a refresh of "
                                   "it as of the release's as-of date gives the release's figures, however many "
                                   "later or corrected files the raw folder holds now.")
    s.add_argument("manifest", type=Path, help="the release's run_manifest.json (its county/ folder's)")
    s.add_argument("--from", dest="from_", type=Path, action="append", required=True,
                   help="folder to look for the inputs in, subfolders included (repeatable: the raw folder, an archive)")
    s.add_argument("--to", required=True, type=Path, help="new, empty folder to copy them into (the raw folder to rerun)")
    s.set_defaults(func=cmd_release_inputs)

    s = sub.add_parser("contracts", help="regenerate the Great Expectations suites in expectations/ from the data contracts")
    s.set_defaults(func=cmd_contracts)
    return p


# what a refresh that stopped part-way leaves (docs/architecture.md, Runs and outputs)
LEFT_AS_IS = "the published outputs are the last complete release and the warehouse holds only completed steps"


# every option naming a file or folder
PATH_OPTIONS = ("settings", "raw", "marts", "warehouse", "to", "area", "manifest", "from_")


def absolute_paths(args: argparse.Namespace) -> None:
    """Make every path option absolute, a relative one taken from the folder the command was called
    from: $CSP_CALLER_DIR, which ./run sets before it changes to the repository, else the current folder."""
    caller = Path(os.environ.get("CSP_CALLER_DIR") or os.getcwd())
    for name in PATH_OPTIONS:
        value = getattr(args, name, None)
        if isinstance(value, list):
            setattr(args, name, [caller / v for v in value])
        elif value is not None:
            setattr(args, name, caller / value)


def main(argv: list[str] | None = None) -> int:
    from csp.runlock import Locked

    args = parser().parse_args(argv)
    absolute_paths(args)
    show_progress()
    try:
        return args.func(args)
    except Locked as exc:
        print(f"csp: refused: {exc}", file=sys.stderr)
        return 3
    except (FileNotFoundError, InputError) as exc:   # the analyst's input, in words; any other error shows its traceback
        print(f"csp: error: {exc}", file=sys.stderr)
        return 2
    except BaseException as exc:
        stop = stop_signals.stopped_by(exc)
        if stop:   # Ctrl-C or SIGTERM
            print(f"\ncsp: {stop_signals.MESSAGES[stop]}. {LEFT_AS_IS.capitalize()}; the next refresh carries on "
                  "from there.", file=sys.stderr)
            return 128 + stop
        denied = _denied(exc) if isinstance(exc, Exception) else None
        if denied:
            print(f"csp: failed: no permission to write in {denied.parent} ({denied.name} could not be written). "
                  f"Nothing half-done is in use: {LEFT_AS_IS}. Let this user write to {denied.parent} (or choose "
                  f"another folder) and run it again.\n({exc})", file=sys.stderr)
            return 1
        if not (isinstance(exc, Exception) and _disk_full(exc)):
            raise
        print(f"csp: failed: no space left on the disk. Nothing half-done is in use: {LEFT_AS_IS}. A refresh writes "
              "new outputs beside the current ones, so it needs room for a second copy. Free some space and run it "
              f"again.\n({exc})", file=sys.stderr)
        return 1


def _disk_full(exc: Exception) -> bool:
    """No space left: an OSError saying so, or DuckDB's error about a file it could not write (which
    gives the system's words for it, not an errno)."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    import duckdb

    return isinstance(exc, duckdb.Error) and os.strerror(errno.ENOSPC) in str(exc)


def _denied(exc: Exception) -> Path | None:
    """The file a refresh was not allowed to write (its folder read-only, or the file itself): from an
    OSError saying so (a link's error names the new link second), or from DuckDB's error, which quotes
    the file it could not open and gives the system's words for why."""
    if isinstance(exc, OSError):
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            return None
        name = exc.filename2 or exc.filename
        return Path(name).absolute() if isinstance(name, (str, os.PathLike)) else None
    import duckdb

    words = str(exc)
    if not (isinstance(exc, duckdb.Error) and (os.strerror(errno.EACCES) in words or os.strerror(errno.EROFS) in words)):
        return None
    quoted = re.search(r'"([^"]+)"', words)
    return Path(quoted.group(1)).absolute() if quoted else None


def run() -> None:
    """The command line as a program (the `csp` script, `python -m csp.cli`): main, then its exit
    code, without the interpreter's teardown. Once every exit handler has run (Prefect's logs sent,
    its server stopped, worker processes ended) and the output is flushed, the process ends as it is:
    tearing down the millions of objects Prefect, Great Expectations and pandas leave was ~1 s at
    the end of every refresh. After an uncaught error, Python ends the process as usual."""
    code = None

    def end_now() -> None:   # registered first, so run last; logging's own handler would run after it
        if code is not None:
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    atexit.register(end_now)
    code = int(main() or 0)
    sys.exit(code)


if __name__ == "__main__":
    run()
