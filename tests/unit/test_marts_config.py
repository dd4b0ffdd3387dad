"""The mart table list (config/marts.yml) and district names."""
from __future__ import annotations

import pytest
import yaml

from csp.config import MARTS_SPEC
from csp.marts.districts import District, find_district, reference_districts
from csp.marts.spec import load_spec

KENT = ["Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe", "Gravesham", "Maidstone", "Sevenoaks",
        "Swale", "Thanet", "Tonbridge and Malling", "Tunbridge Wells"]


def edited_spec(tmp_path, change) -> str:
    spec = yaml.safe_load(MARTS_SPEC.read_text())
    change(spec)
    path = tmp_path / "marts.yml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def test_the_mart_table_list_loads():
    tables = load_spec(rule_names={"small_counts", "hes"})
    every_area = ("own", "county", "other_districts", "neighbours")
    assert [(t.name, t.table, t.areas, t.fine) for t in tables] == [
        ("crime_lsoa_monthly", "facts.crime_lsoa_monthly", ("own",), True),
        ("crime_trend", "comparisons.crime_trend", ("own", "county"), False),
        ("crime_rolling_12m", "comparisons.crime_rolling_12m", every_area, False),
        ("measure_change", "comparisons.measure_change", every_area, False),
        ("measure_shares", "comparisons.measure_shares", every_area, False),
        ("measure_monthly", "comparisons.measure_monthly", ("own", "county"), False),
        ("measure_trend", "comparisons.measure_trend", ("own", "county"), False),
    ]
    assert {t.cube.cells for t in tables} == {("marts.crime_cells", "marts.measure_cells")}
    assert tables[3].counts["current_value"].period == "{comparison_type}: current"
    assert tables[5].derived["value_year_earlier"].lag == 12 and tables[5].derived["rolling_12m"].trailing == 12


@pytest.mark.parametrize("change, message", [
    (lambda s: s["tables"][0].update(areas=["own", "other_districts"]),
     "a fine-grained table may only hold the district's own rows"),
    (lambda s: s["cubes"]["counts"].update(default_rule="secret"), "unknown disclosure rule 'secret'"),
    (lambda s: s["tables"][3]["counts"]["current_value"].update(period="{comparison type}: current"),
     "column names must be plain identifiers"),
    (lambda s: s["tables"][1].pop("source"), "a source, unless each row names its period"),
    # a sheet's name as well as a table's: a workbook refuses one not starting with a letter
    (lambda s: s["tables"][1].update(name="_crime_trend"), "a plain name starting with a letter, of at most 31"),
    (lambda s: s["tables"][1].update(table="comparisons.crime_trend; DROP TABLE x"), "table must be schema.table"),
    (lambda s: s["tables"][1].update(areas=["own", "everyone"]), "areas must be among"),
    (lambda s: s["tables"][2]["derived"].update(change={"from": ["crimes"]}), "change derived from an unknown count"),
    (lambda s: s["tables"][5]["derived"].update(rolling_12m={"from": ["change"], "trailing": 12}),
     "rolling_12m derived from an unknown count"),
])
def test_a_mistake_in_the_mart_table_list_is_refused(tmp_path, change, message):
    with pytest.raises(ValueError, match=message):
        load_spec(edited_spec(tmp_path, change), rule_names={"small_counts", "hes"})


@pytest.mark.parametrize("name, why", [
    ("columns", "every mart's workbook ends with a sheet named Columns (Excel sheet names ignore case), giving each "
                "heading's column name"),
    ("Columns", "every mart's workbook ends with a sheet named Columns (Excel sheet names ignore case), giving each "
                "heading's column name"),
    ("readme", "every mart's workbook has a sheet named README (Excel sheet names ignore case) and its DuckDB "
               "file holds a `readme` table"),
    ("cover", "every mart's workbook begins with a sheet named Cover (Excel sheet names ignore case)"),
    ("about", "every mart's DuckDB file holds an `about` table (the run, marking and district)"),
    ("HISTORY", "Excel keeps the sheet name History for itself (ignoring case)"),
], ids=["columns", "Columns", "readme", "cover", "about", "HISTORY"])
def test_a_table_name_a_mart_already_uses_is_refused(tmp_path, name, why):
    """A table named as the workbook's Cover, README or Columns sheet, or the DuckDB file's readme or about table,
    would clash with it: refused when the list is read, not once the refresh publishes."""
    path = edited_spec(tmp_path, lambda s: s["tables"][1].update(name=name))
    with pytest.raises(ValueError) as refused:
        load_spec(path, rule_names={"small_counts", "hes"})
    assert str(refused.value) == f"config/marts.yml: table {name}: the name {name!r} is reserved: {why}"


def test_districts_come_from_the_reference_data(settings):
    districts, neighbours = reference_districts(settings.reference_dir)
    assert [d.name for d in districts] == KENT
    assert [d.name for d in neighbours] == ["Medway"]
    assert [d.slug for d in districts][4::6] == ["folkestone-and-hythe", "tonbridge-and-malling"]


@pytest.mark.parametrize("typed", ["Folkestone and Hythe", "folkestone AND  hythe", " FOLKESTONE-AND-HYTHE ",
                                   "E07000112", "e07000112"])
def test_a_district_is_matched_ignoring_case_and_spaces(typed):
    districts = [District("E07000105", "Ashford"), District("E07000112", "Folkestone and Hythe")]
    assert find_district(typed, districts) == districts[1]


@pytest.mark.parametrize("typed", ["../ashford", "ashford/", "/ashford", "Ashford\x00", "Folkestone", "Medway", ""])
def test_anything_else_is_refused_with_the_valid_names(typed):
    districts = [District("E07000105", "Ashford"), District("E07000112", "Folkestone and Hythe")]
    with pytest.raises(ValueError, match="is not a district with a mart; valid names: Ashford, Folkestone and Hythe$"):
        find_district(typed, districts)


def test_a_neighbours_name_is_refused_saying_what_a_mart_holds_of_it():
    """Medway is in the lookup beside the county, with no mart: the refusal says why (it gave the valid names only)."""
    districts = [District("E07000105", "Ashford"), District("E07000112", "Folkestone and Hythe")]
    with pytest.raises(ValueError) as refused:
        find_district("medway", districts, [District("E06000035", "Medway")])
    assert str(refused.value) == (
        "'medway' is not a district with a mart; valid names: Ashford, Folkestone and Hythe. Medway is a neighbouring "
        "area in the lookup, not a district of the county: it has no mart, and every district's mart gives its "
        "12-month and year-to-date figures beside the county's")


def test_the_settings_apply_the_catalogues_disclosure_rules(settings):
    """The catalogue names each measure's rule and states its numbers; the marts apply the settings'
    [disclosure.<rule>] (with the levels): the two must agree."""
    from csp.catalogue import load_catalogue
    from csp.marts.disclosure import rules_from_settings

    stated = load_catalogue(settings.catalogue, settings.series_breaks).disclosure_rules
    applied = rules_from_settings(settings.disclosure)
    assert {name: (r.get("suppress_from", 1), r.get("suppress_to") or 0, r.get("round_to") or 1)
            for name, r in stated.items()} == {
        name: (1, applied[name].suppress_up_to, applied[name].round_to) for name in stated}
    assert applied["small_counts"].levels == ("lsoa", "district", "neighbour")   # "below county level"
