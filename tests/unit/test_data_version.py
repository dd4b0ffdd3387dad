"""The data version names the figures: the deliveries in the order they landed, the rules, the as-of day."""
import datetime as dt

from csp.config import load_settings
from csp.runs import data_version

AS_OF = dt.date(2025, 11, 20)


def test_the_same_files_landed_in_another_order_are_another_version():
    # October's original and its correction: whichever landed last is current, so the figures differ
    settings = load_settings()
    original_last = data_version(["police_crime:aaa", "police_crime:bbb"], settings, AS_OF)
    correction_last = data_version(["police_crime:bbb", "police_crime:aaa"], settings, AS_OF)
    assert original_last != correction_last
    assert data_version(["police_crime:aaa", "police_crime:bbb"], settings, AS_OF) == original_last
    assert data_version(["police_crime:aaa", "police_crime:bbb"], settings, AS_OF + dt.timedelta(days=1)) != original_last


def test_only_each_sources_own_order_counts():
    """A rebuild lands source after source, the monthly runs month after month: the same figures, the same version."""
    settings = load_settings()
    monthly = ["asb:a1", "police_crime:p1", "asb:a2", "police_crime:p2"]
    rebuilt = ["asb:a1", "asb:a2", "police_crime:p1", "police_crime:p2"]
    assert data_version(monthly, settings, AS_OF) == data_version(rebuilt, settings, AS_OF)
    assert data_version(monthly, settings, AS_OF) != data_version(["asb:a2", "asb:a1", "police_crime:p1",
                                                                   "police_crime:p2"], settings, AS_OF)


def test_the_code_fingerprint_covers_what_lays_out_the_outputs():
    """A change to the pack's layout or its methods note republishes: they were left out, and a refresh after
    one kept the release as it was ('outputs unchanged')."""
    from csp.config import REPO_ROOT
    from csp.runs import code_files

    covered = {p.relative_to(REPO_ROOT).as_posix() for p in code_files()}
    assert {"csp/publish/templates/pack.typ", "csp/publish/templates/pack.html.j2",
            "csp/publish/templates/quality_report.html.j2", "csp/publish/templates/data_docs.css",
            "docs/methods.md", "csp/publish/assemble.py", "sql/publish/comparisons.sql"} <= covered


def test_the_code_fingerprint_covers_the_locked_libraries(tmp_path, monkeypatch):
    """The same code under another uv.lock (DuckDB, scipy, xlsxwriter, typst upgraded) is another data version: the
    libraries compute and write every output, and a refresh after an upgrade kept the release as it was ('nothing
    new'), while a rebuild of the same files under the new lock gave other bytes under the same version."""
    import csp.runs as runs

    for name in ("csp/a.py", "uv.lock", "pyproject.toml", "docs/methods.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    monkeypatch.setattr(runs, "REPO_ROOT", tmp_path)
    before = runs.code_fingerprint.__wrapped__()
    (tmp_path / "uv.lock").write_text("y\n")
    assert runs.code_fingerprint.__wrapped__() != before
    assert {"uv.lock", "pyproject.toml"} <= {p.relative_to(tmp_path).as_posix() for p in runs.code_files()}


def test_only_the_deliveries_made_as_sample_data_count():
    """The outputs say which deliveries are sample data: a checksum in .sample_data.json that no delivery has (a
    sample file removed, a raw folder put together again for a rerun with only the release's files) changes nothing
    they say, and must not make another version of the same figures."""
    settings = load_settings()
    deliveries = ["asb:a1", "police_crime:p1"]
    assert data_version(deliveries, settings, AS_OF, sample={"a1", "gone"}) == \
        data_version(deliveries, settings, AS_OF, sample={"a1"})
    assert data_version(deliveries, settings, AS_OF, sample={"a1"}) != data_version(deliveries, settings, AS_OF)
