"""The measures catalogue: the real one is complete and consistent; mistakes are named clearly."""
from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest

from csp.catalogue import CatalogueError, load_catalogue, parse_catalogue
from csp.config import load_settings

MINIMAL = """
aims: {a: {number: 1, name: Aim one}}
disclosure_rules: {none: {description: shown as is}}
sources:
  s: {title: a source, table: staging.s}
measures:
"""


@pytest.fixture(scope="module")
def catalogue():
    settings = load_settings()
    return load_catalogue(settings.catalogue, settings.series_breaks)


def parse(measures_yaml: str, breaks_yaml: str = "breaks: []"):
    return parse_catalogue(MINIMAL + textwrap.indent(textwrap.dedent(measures_yaml), "  "), breaks_yaml)


def test_the_catalogue_holds_every_measure_the_assessment_needs(catalogue):
    needed = {"asb_incidents", "shoplifting", "theft", "ksi_casualties", "race_hate_share", "domestic_abuse", "vawg",
              "vawg_domestic_abuse_share", "violent_share", "domestic_abuse_violent_share", "vawg_share",
              "sexual_offences", "knife_crime_victim_under_18", "knife_crime_victim_18_25",
              "hospital_admissions_assault", "deliberate_secondary_fires", "accidental_dwelling_fires",
              "first_time_entrants"}
    assert needed <= set(catalogue.measures)
    assert [a["name"] for a in catalogue.aims.values()] == [
        "Stronger, safer and resilient neighbourhoods", "Reducing violence, abuse and high-harm offending",
        "Protecting vulnerable people"]
    assert {m.aim for m in catalogue.measures.values()} == set(catalogue.aims)
    assert catalogue.measures["sexual_offences"].seasonality
    assert catalogue.measures["hospital_admissions_assault"].disclosure == "hes"
    assert catalogue.disclosure_rules["hes"] == {"suppress_from": 1, "suppress_to": 7, "round_to": 5,
                                                 "description": catalogue.disclosure_rules["hes"]["description"]}
    assert catalogue.sources["road_casualties"].window_end_months == (6,)   # KSI: July - June
    assert catalogue.measures["ksi_casualties"].value == "ksi_adjusted"
    share = catalogue.measures["violent_share"]
    assert (share.unit, share.numerator, share.denominator) == ("share", "violent_crime", "all_crime")


def test_what_the_public_police_form_cannot_give(catalogue):
    police_uk = catalogue.sources["police_crime"].forms["police_uk"]
    m = catalogue.measures
    assert police_uk.gap(m["all_crime"].filters) is None
    assert police_uk.gap(m["violent_crime"].filters) is None       # its public category is the same group
    assert police_uk.gap(m["shoplifting"].filters) is None
    assert police_uk.gap(m["domestic_abuse"].filters) == "the public data.police.uk form has no domestic abuse flag"
    assert police_uk.gap(m["knife_crime_victim_18_25"].filters) == (
        "the public data.police.uk form has no knife or sharp instrument flag or victim age band")
    assert police_uk.gap(m["sexual_offences"].filters) == (
        "the public data.police.uk form records violence against the person and sexual offences together "
        "as 'Violence and sexual offences'")


def test_definitions_in_words(catalogue):
    m = catalogue.measures
    assert m["all_crime"].definition == "count of rows (every row)"
    assert m["domestic_abuse_violent"].definition == (
        "count of rows where domestic_abuse is true; "
        "offence_group is one of: Violence against the person, Sexual offences, Robbery")
    assert m["ksi_casualties"].definition == "sum of ksi_adjusted (every row)"
    assert m["vawg_share"].definition == "vawg / all_crime"


def test_json_for_the_warehouse(catalogue):
    doc = json.loads(catalogue.as_json())
    assert len(doc["measures"]) == len(catalogue.measures)
    assert {g["measure_id"] for g in doc["form_gaps"]} == {
        "hate_crime", "race_hate_crime", "violence_against_the_person", "sexual_offences", "domestic_abuse",
        "domestic_abuse_violent", "vawg", "vawg_domestic_abuse", "knife_crime", "knife_crime_victim_under_18",
        "knife_crime_victim_18_25"}
    assert doc["series_breaks"] == [{
        "source": "asb", "measure_id": None, "from_month": "2024-04-01",
        "description": "Kent Police changed how anti-social behaviour incidents are recorded (2024/25)"}]


def test_a_small_catalogue_and_a_series_break():
    cat = parse("""
        - {id: n, name: N, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {flag: false, kind: [x, 1]}}
        - {id: d, name: D, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}}
        - {id: sh, name: Share, source: s, unit: share, numerator: n, denominator: d, polarity: neutral, aim: a, disclosure: none}
    """, "breaks: [{source: s, measure: n, from: 2024-02, description: changed}]")
    assert cat.measures["n"].filters == {"flag": False, "kind": ("x", "1")}
    assert [m.id for m in cat.counted("s")] == ["n", "d"]
    assert cat.breaks[0].from_month == dt.date(2024, 2, 1) and cat.breaks[0].measure == "n"
    assert len(cat.sha256) == 64
    assert cat.measures["n"].rate_note is None


def test_the_rate_notes_of_the_measures_whose_fields_publish_another_rate(catalogue):
    notes = {m.id: m.rate_note for m in catalogue.measures.values() if m.rate_note}
    assert sorted(notes) == ["first_time_entrants", "hospital_admissions_assault"]
    assert "per 100,000 residents aged 10-17" in notes["first_time_entrants"]
    assert {m["measure_id"]: m["rate_note"] for m in json.loads(catalogue.as_json())["measures"] if m["rate_note"]} == notes


@pytest.mark.parametrize("measures, message", [
    ("- {id: x, name: X, source: nope, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}}",
     "measure 'x': source 'nope' is not one of: s"),
    ("- {id: x, name: X, source: s, unit: percent, polarity: bad, aim: a, disclosure: none, filter: {}}",
     "measure 'x': unit 'percent' is not one of: count, rate, share"),
    ("- {id: x, name: X, source: s, unit: count, polarity: bad, aim: z, disclosure: none, filter: {}}",
     "measure 'x': aim 'z' is not one of: a"),
    ("- {id: x, name: X, source: s, unit: count, polarity: bad, aim: a, disclosure: hes, filter: {}}",
     "measure 'x': disclosure 'hes' is not one of: none"),
    ("- {id: x, name: X, source: s, unit: count, polarity: bad, aim: a, disclosure: none}",
     "measure 'x' has no filter (write filter: {} to count every row)"),
    ("- {id: x, name: X, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {kind: []}}",
     "measure 'x': filter on 'kind' must be true, false or a list of values"),
    ("- {id: x, name: X, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {\"a; drop\": [1]}}",
     "measure 'x': filter column 'a; drop' must be lower case letters, digits and underscores"),
    ("- {id: X-1, name: X, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}}",
     "measure number 1: id 'X-1' must be lower case letters, digits and underscores"),
    ("- {id: x, name: X, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}}\n"
     "- {id: x, name: Y, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}}",
     "measure 'x' is defined twice"),
    ("- {id: x, name: X, source: s, unit: share, numerator: y, denominator: y, polarity: bad, aim: a, disclosure: none}",
     "share 'x': numerator 'y' is not a measure in the catalogue"),
    ("- {id: x, name: X, source: s, unit: share, numerator: x, denominator: x, polarity: bad, aim: a, disclosure: none,"
     " filter: {}}", "measure 'x': a share is numerator / denominator; it takes no filter or value"),
    ("- {id: x, name: X, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}, rate_note: 3}",
     "measure 'x': rate_note must be a sentence, and only for a count or rate measure"),
    ("- {id: n, name: N, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}}\n"
     "- {id: x, name: X, source: s, unit: share, numerator: n, denominator: n, polarity: bad, aim: a, disclosure: none,"
     " rate_note: Per 1,000.}", "measure 'x': rate_note must be a sentence, and only for a count or rate measure"),
])
def test_mistakes_are_named(measures, message):
    with pytest.raises(CatalogueError) as err:
        parse(measures)
    assert str(err.value) == message


@pytest.mark.parametrize("breaks, message", [
    ("breaks: [{source: t, from: 2024-02, description: d}]", "series break number 1: source 't' is not a source in the catalogue"),
    ("breaks: [{source: s, measure: y, from: 2024-02, description: d}]",
     "series break number 1: measure 'y' is not a measure of source 's'"),
    ("breaks: [{source: s, from: 2024-13, description: d}]", "series break number 1: from '2024-13' must be a month written YYYY-MM"),
    ("breaks: [{source: s, from: 2024-02}]",
     "series break number 1: a description in words is needed (it is printed beside the figures)"),
])
def test_series_break_mistakes_are_named(breaks, message):
    with pytest.raises(CatalogueError) as err:
        parse("- {id: x, name: X, source: s, unit: count, polarity: bad, aim: a, disclosure: none, filter: {}}", breaks)
    assert str(err.value) == message
