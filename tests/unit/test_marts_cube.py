"""The catalogue's measures in the disclosure cube: measures made of offence groups are totals over
the groups, and an offence group takes the strictest rule of the measures made of it."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from csp.catalogue import load_catalogue
from csp.marts.cube import cube_cells, group_measures, public_categories, subset_measures
from csp.marts.disclosure import protect, rules_from_settings
from csp.marts.spec import Cube

CUBE = Cube("counts", ("marts.crime_cells", "marts.measure_cells"), "none")


@pytest.fixture(scope="module")
def catalogue():
    from csp.config import load_settings

    settings = load_settings()
    return load_catalogue(settings.catalogue, settings.series_breaks)


@pytest.fixture(scope="module")
def offence_groups():
    from csp.config import load_settings

    return pd.read_csv(load_settings().reference_dir / "offence_groups.csv")


def test_measures_made_of_offence_groups(catalogue, offence_groups):
    links = group_measures(catalogue, offence_groups)
    assert links["Sexual offences"] == ["violent_crime", "sexual_offences"]
    assert links["Violence and sexual offences"] == ["violent_crime"]       # the public form's combined group
    assert links["Bicycle theft"] == ["theft"]
    assert links["All crime"] == ["all_crime"]
    assert "Drug offences" not in links                                      # no measure of its own
    assert not {m for ms in links.values() for m in ms} & {"domestic_abuse", "hate_crime", "knife_crime", "vawg"}


def test_a_hidden_group_hides_the_measures_that_equal_or_contain_it(catalogue, offence_groups, settings):
    """District A, one month; the county is A alone. Sexual offences (3) are primary, as the group and
    as the measure. Violent crime = violence against the person + sexual offences + robbery is
    published, so the smallest other group, robbery (2), is hidden; the robbery measure equals it.
    Sexual offences are then at most 5 - 1 (robbery at least 1), so violence against the person (10)
    is hidden too, and its measure."""
    crime = pd.DataFrame(
        [(level, area, parent, group, "All crime" if group != "All crime" else None, "2025-01", None, value)
         for level, area, parent in (("district", "A", "K"), ("county", "K", None))
         for group, value in (("Violence against the person", 10), ("Sexual offences", 3), ("Robbery", 2),
                              ("All crime", 15))],
        columns=["level", "area_code", "area_parent", "measure", "measure_parent", "period", "period_parent", "value"])
    measures = pd.DataFrame(
        [(level, area, parent, measure, None, "2025-01", None, value)
         for level, area, parent in (("district", "A", "K"), ("county", "K", None))
         for measure, value in (("violence_against_the_person", 10), ("sexual_offences", 3), ("robbery", 2),
                                ("violent_crime", 15), ("all_crime", 15))],
        columns=crime.columns)
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA marts; CREATE SCHEMA ref")
        for name, frame in (("marts.crime_cells", crime), ("marts.measure_cells", measures),
                            ("ref.offence_groups", offence_groups)):
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
        rules = rules_from_settings(settings.disclosure)
        cells = cube_cells(con, CUBE, catalogue, rules)
    assert dict(zip(cells["measure"], cells["rule"])) == {
        "Violence against the person": "none", "Sexual offences": "small_counts", "Robbery": "none",
        "All crime": "none", "violence_against_the_person": "none", "sexual_offences": "small_counts",
        "robbery": "none", "violent_crime": "none", "all_crime": "none",
        "Violence and sexual offences (data.police.uk)": "none"}
    # data.police.uk's violence and sexual offences (10 + 3), in A and K: known, never hidden
    public = cells[cells["public"]]
    assert public[["area_code", "value"]].values.tolist() == [["A", 13], ["K", 13]]
    assert public["area_parent"].fillna("-").tolist() == ["K", "-"] and public["measure_parent"].tolist() == [[], []]
    assert cells.loc[cells["measure"] == "Sexual offences", "measure_parent"].tolist() == \
        [["All crime", "violent_crime", "sexual_offences", "Violence and sexual offences (data.police.uk)"]] * 2
    protected = protect(cells, rules)
    hidden = sorted(set(protected.loc[protected["suppressed"], "measure"]))
    assert hidden == ["Robbery", "Sexual offences", "Violence against the person", "robbery", "sexual_offences",
                      "violence_against_the_person"]
    assert set(protected.loc[protected["suppressed"], "area_code"]) == {"A", "K"}


def test_the_public_form_merges_violence_and_sexual_offences_only(offence_groups):
    """data.police.uk's crime types are each one offence group of the restricted layout but
    Violence and sexual offences (violence against the person + sexual offences; the public form's
    own group of that name is one of its parts, for months delivered in that form)."""
    assert public_categories(offence_groups) == {
        "Violence and sexual offences": ["Sexual offences", "Violence against the person", "Violence and sexual offences"]}


def test_measures_that_are_subsets_of_others(catalogue, offence_groups):
    """Every measure whose filter restricts another's, under the measure it is directly a subset of;
    disjoint subsets (knife crime's victim age bands) in one family, others each in their own.
    Measures made of offence groups are related by the groups' lines already."""
    assert subset_measures(catalogue, offence_groups) == [
        ("all_crime", ("domestic_abuse",)), ("all_crime", ("hate_crime",)), ("all_crime", ("knife_crime",)),
        ("all_crime", ("vawg",)),
        ("domestic_abuse", ("domestic_abuse_violent",)), ("domestic_abuse", ("vawg_domestic_abuse",)),
        ("hate_crime", ("race_hate_crime",)),
        ("knife_crime", ("knife_crime_victim_18_25", "knife_crime_victim_under_18")),
        ("vawg", ("vawg_domestic_abuse",)),
        ("violent_crime", ("domestic_abuse_violent",)),   # violence, sexual offences or robbery
    ]


def test_sexual_offences_with_no_violence_in_an_lsoa_month_get_a_violence_against_the_person_of_0(
        catalogue, offence_groups, settings):
    """Sexual offences are small_counts, hidden at LSOA level. Beside each LSOA month's sexual offences
    with no violence against the person (L1), the cube adds a violence against the person of 0, with
    the parents of any other (its LSOA's district, All crime, the measures made of it, data.police.uk's
    violence and sexual offences, to which it adds nothing); violence against the person beside sexual
    offences (L1's, L2's) may be zero, hidden (docs/disclosure.md). Nowhere else: not beside violence
    alone (L3), not in a month of the public form (L4), not in a district."""
    vap, sexual, merged = "Violence against the person", "Sexual offences", "Violence and sexual offences"
    lsoas = {"L1": {sexual: 2}, "L2": {vap: 4, sexual: 1}, "L3": {vap: 6}, "L4": {merged: 3}}
    district = {vap: 10, sexual: 3, merged: 3, "All crime": 16}
    crime = pd.DataFrame(
        [("lsoa", area, "A", group, "All crime", "2025-01", None, value)
         for area, groups in lsoas.items() for group, value in groups.items()]
        + [("district", "A", None, group, None if group == "All crime" else "All crime", "2025-01", None, value)
           for group, value in district.items()],
        columns=["level", "area_code", "area_parent", "measure", "measure_parent", "period", "period_parent", "value"])
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA marts; CREATE SCHEMA ref")
        for name, frame in (("marts.crime_cells", crime), ("marts.measure_cells", crime.iloc[:0]),
                            ("ref.offence_groups", offence_groups)):
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
        cells = cube_cells(con, CUBE, catalogue, rules_from_settings(settings.disclosure))
    assert len(cells) == len(crime) + 1 + 5                     # the 0, and the public totals of L1-L4 and A
    added = cells.iloc[len(crime)]
    assert (added["area_code"], added["area_parent"], added["measure"], added["value"], added["rule"],
            added["zero_beside"]) == ("L1", "A", vap, 0, "none", sexual)
    assert added["measure_parent"] == cells.loc[(cells["area_code"] == "L2") & (cells["measure"] == vap),
                                                "measure_parent"].item()
    assert sorted(cells.loc[cells["may_be_zero"], "area_code"] + " " + cells.loc[cells["may_be_zero"], "measure"]) == [
        f"L1 {vap}", f"L2 {vap}"]
    public = cells[cells["public"]].set_index("area_code")["value"].to_dict()
    assert public == {"L1": 2, "L2": 5, "L3": 6, "L4": 3, "A": 16}
