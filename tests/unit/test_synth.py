"""The sample-data generators: deterministic for a seed, written in the source's delivery layout, with
the volumes and patterns their docstrings describe. The bands are wide enough for random noise and
narrow enough to catch a wrong volume, season or trend."""
from __future__ import annotations

import csv
import datetime as dt
import filecmp
import os

import pandas as pd
import pytest

from csp.config import load_settings
from csp.synth import generators, sample_run_date
from csp.synth._area import URBAN_PROFILE, load_area

REFERENCE = load_settings().reference_dir
SEED = 20251031


def generate(source, out, first_month, months, seed=SEED):
    return generators()[source].generate(out, REFERENCE, first_month, months, seed, 2023)


def read(paths, **kwargs) -> pd.DataFrame:
    return pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs) for p in paths],
                     ignore_index=True)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """April 2023 - October 2024 of every source this file checks: both sides of the ASB recording change."""
    base = tmp_path_factory.mktemp("synth")
    return {source: generate(source, base / source, "2023-04", 19) for source in generators() if source != "police_crime"}


# months from April 2024 that give each generator at least one file: a whole quarter for youth
# offending, and enough to outlast the road casualty publication lag; one month for the others
MONTHS = {"youth_offending": 3, "road_casualties": 6}


@pytest.mark.parametrize("source", sorted(generators()))
def test_same_seed_same_files_other_seed_other_files(source, tmp_path):
    months = MONTHS.get(source, 1)
    first = generate(source, tmp_path / "a", "2024-04", months)
    again = generate(source, tmp_path / "b", "2024-04", months)
    other = generate(source, tmp_path / "c", "2024-04", months, seed=SEED + 1)
    assert first and [p.name for p in first] == [p.name for p in again] == [p.name for p in other]
    assert all(filecmp.cmp(a, b, shallow=False) for a, b in zip(first, again))
    assert not all(filecmp.cmp(a, c, shallow=False) for a, c in zip(first, other))


def monthly(frame: pd.DataFrame, dates: pd.Series) -> pd.Series:
    return frame.groupby(dates.dt.to_period("M")).size()


def test_asb_volume_summer_peak_recording_change_and_district_rates(sample):
    asb = read(sample["asb"])
    assert list(asb.columns) == ["Incident Ref", "Incident Date", "ASB Category", "LSOA Code"]
    per_month = monthly(asb, pd.to_datetime(asb["Incident Date"], format="%d/%m/%Y"))
    assert 2_000 <= per_month.mean() <= 3_000
    assert per_month["2023-07"] > 1.6 * per_month["2024-01"]
    # recording practice change from April 2024: about 15% fewer than the same months a year before
    after, before = per_month["2024-04":"2024-10"].sum(), per_month["2023-04":"2023-10"].sum()
    assert 0.78 <= after / before <= 0.90
    lsoa = pd.read_csv(REFERENCE / "lsoa21_lookup.csv").set_index("LSOA21CD")["LAD22NM"]
    population = pd.read_csv(REFERENCE / "population_mid_year.csv").query("mid_year == 2023").set_index("lad_name")["population"]
    rate = asb["LSOA Code"].map(lsoa).value_counts() / population
    assert rate["Thanet"] > 1.5 * rate["Sevenoaks"]


def test_fire_mix_secondary_fire_season_and_accidental_dwelling_fires(sample):
    fire = read(sample["fire_incidents"])
    when = pd.to_datetime(fire["Call Date Time"], format="%d/%m/%Y %H:%M")
    assert 1_300 <= monthly(fire, when).mean() <= 1_550
    share = fire["Incident Type"].value_counts(normalize=True)
    assert 0.40 <= share["False alarm"] <= 0.50 and 0.15 <= share["Special service"] <= 0.25
    secondary = monthly(fire[fire["Incident Type"] == "Secondary fire"], when)
    assert secondary["2023-07"] > 2 * secondary["2024-01"]
    adf = fire[(fire["Incident Type"] == "Primary fire") & (fire["Motive"] == "Accidental") & (fire["Property Type"] == "Dwelling")]
    assert 45 <= len(adf) / 19 <= 65


def test_hospital_admissions_volume_and_assaults(sample):
    hes = read(sample["hospital_admissions"])
    assert 1_350 <= len(hes) / 19 <= 1_650
    assault = hes[hes["Cause Code"].str[:3].between("X85", "Y09")]
    assert 45 <= len(assault) / 19 <= 80
    assert (assault["Sex"] == "Male").mean() > 0.65


def test_road_casualties_volume_ksi_and_publication_lag(sample):
    files = sorted(p.name for p in sample["road_casualties"])
    assert files == [f"dft-road-casualty-statistics-{kind}-{year}.csv" for kind in ("casualty", "collision") for year in (2023, 2024)]
    collisions = read([p for p in sample["road_casualties"] if p.name.startswith("dft-road-casualty-statistics-collision-")])
    casualties = read([p for p in sample["road_casualties"] if p.name.startswith("dft-road-casualty-statistics-casualty-")])
    # the window is April 2023 - October 2024; STATS19 lags four months: the last collision is in June 2024
    month = pd.to_datetime(collisions["date"], format="%d/%m/%Y").dt.strftime("%Y-%m")
    assert (month.min(), month.max()) == ("2023-04", "2024-06")
    districts = pd.read_csv(REFERENCE / "districts.csv").set_index("lad_code")["in_county"]
    in_county = collisions["local_authority_ons_district"].map(districts).astype(bool)
    year = collisions.loc[in_county & month.between("2023-07", "2024-06"), "collision_index"]
    county_year = casualties[casualties["collision_index"].isin(year)]
    assert 4_500 <= len(county_year) <= 5_500
    assert 550 <= county_year["casualty_severity"].isin(["1", "2"]).sum() <= 750
    assert set(collisions["police_force"]) == {"46"}


def test_road_casualties_hold_the_window_s_published_months_only(tmp_path):
    """Each year's files hold that year's months of the window, to four months before its end (the
    publication lag): not the rest of the first year. A window no longer than the lag has none."""
    files = generate("road_casualties", tmp_path / "year", "2023-11", 12)
    months = {p.name: sorted(set(read([p])["date"].str[3:])) for p in files if "-collision-" in p.name}
    assert months == {"dft-road-casualty-statistics-collision-2023.csv": ["11/2023", "12/2023"],
                      "dft-road-casualty-statistics-collision-2024.csv": [f"{m:02d}/2024" for m in range(1, 7)]}
    assert [p.name for p in files] == ["dft-road-casualty-statistics-collision-2023.csv",
                                       "dft-road-casualty-statistics-casualty-2023.csv",
                                       "dft-road-casualty-statistics-collision-2024.csv",
                                       "dft-road-casualty-statistics-casualty-2024.csv"]
    assert generate("road_casualties", tmp_path / "month", "2024-06", 1) == []
    assert list((tmp_path / "month").iterdir()) == []


def other_county(folder):
    """A county that is not Kent: two districts of made-up codes (one a neighbour outside the county), two LSOAs each."""
    folder.mkdir()
    (folder / "districts.csv").write_text("lad_code,lad_name,in_county\nE07000901,North Weald,true\n"
                                          "E06000901,Stour,false\n")
    (folder / "lsoa21_lookup.csv").write_text(
        "LSOA21CD,LSOA21NM,LAD22CD,LAD22NM\nE01024001,North Weald 001A,E07000901,North Weald\n"
        "E01024002,North Weald 001B,E07000901,North Weald\nE01024003,Stour 001A,E06000901,Stour\n"
        "E01024004,Stour 001B,E06000901,Stour\n")
    (folder / "population_mid_year.csv").write_text("lad_code,lad_name,mid_year,population\n"
                                                    "E07000901,North Weald,2023,100000\nE06000901,Stour,2023,50000\n")
    return folder


@pytest.mark.parametrize("source", sorted(generators()))
def test_every_generator_writes_sample_data_for_another_county(source, tmp_path):
    """Portability review: road casualties placed each collision at its district's centre from a list of Kent's,
    so a lookup of any other county stopped `csp synth` with a KeyError. Every source now writes its sample
    data for the districts of the lookup it is given, and for no other."""
    files = generators()[source].generate(tmp_path / source, other_county(tmp_path / "reference"), "2024-04", 6,
                                          SEED, 2023)
    assert files
    if source == "road_casualties":
        collisions = read([p for p in files if "-collision-" in p.name])
        assert set(collisions["local_authority_ons_district"]) == {"E07000901", "E06000901"}
        assert set(collisions["lsoa_of_accident_location"]) <= {"E01024001", "E01024002", "E01024003", "E01024004"}


def test_sample_volumes_are_in_proportion_to_the_county_s_residents(tmp_path):
    """Portability review: the generators' volumes are Kent's (13,500 crimes a month, ...), and were given whole to
    any county: a county of a third of Kent's residents had three times Kent's rates. Its districts' shares of the
    volume now add up to its residents over Kent's 1,610,251 (Kent: 1, its sample data unchanged)."""
    weights = load_area(other_county(tmp_path / "reference"), 2023).weights(URBAN_PROFILE)
    assert weights.to_dict() == {"E07000901": 100_000 / 1_610_251, "E06000901": 50_000 / 1_610_251}
    kent = load_area(REFERENCE, 2023)
    assert kent.weights(URBAN_PROFILE)[kent.in_county].sum() == pytest.approx(1.0, abs=1e-12)
    # a month of crimes: 13,500 x 150,000 / 1,610,251 = 1,258 expected, Poisson noise aside
    crimes = read(generators()["police_crime"].generate(tmp_path / "crime", tmp_path / "reference", "2024-04", 1,
                                                        SEED, 2023))
    assert 1_100 <= len(crimes) <= 1_450


def test_synth_for_one_month_writes_that_month_only(tmp_path):
    """Every monthly source writes the month; road casualties and youth offending none (published four
    months later; not a whole quarter); population its one delivery, the mid-year after the bundled one."""
    from csp.synth import generate_all

    written = generate_all(tmp_path / "raw", REFERENCE, "2024-06", 1, SEED, 2023)
    assert {source: [p.name for p in files] for source, files in written.items()} == {
        "asb": ["asb_incidents_2024-06.csv"], "fire_incidents": ["kfrs_incidents_2024-06.csv"],
        "hospital_admissions": ["hes_injury_admissions_2024-06.csv"], "police_crime": ["police_crime_2024-06.csv"],
        "population": ["population_mid_year_2024.csv"], "road_casualties": [], "youth_offending": []}
    assert sorted(p.relative_to(tmp_path / "raw").as_posix() for p in (tmp_path / "raw").rglob("*.csv")) == [
        "asb/asb_incidents_2024-06.csv", "fire_incidents/kfrs_incidents_2024-06.csv",
        "hospital_admissions/hes_injury_admissions_2024-06.csv", "police_crime/police_crime_2024-06.csv",
        "population/population_mid_year_2024.csv"]
    # every file written named as made up, by its checksum (a name the refresh does not read), so the outputs say so
    from csp.checksums import sha256
    from csp.synth import SAMPLE_MARKER, sample_checksums

    assert sample_checksums(tmp_path / "raw") == {sha256(p) for files in written.values() for p in files}
    assert len(sample_checksums(tmp_path / "raw")) == 5
    assert (tmp_path / "raw" / SAMPLE_MARKER).is_file() and sample_checksums(tmp_path) == frozenset()


@pytest.mark.parametrize("source", sorted(set(generators()) - {"population"}))
def test_a_month_is_the_same_generated_alone_or_in_a_longer_window(source, tmp_path):
    """Deterministic per month and seed: May - September 2023 are the same rows generated on their own
    as after January - April (a random stream running through the window made a month generated alone
    the first month of a longer one again, dates aside, and without the trend since)."""
    longer = generate(source, tmp_path / "longer", "2023-01", 9)
    later = generate(source, tmp_path / "later", "2023-05", 5)
    if source == "road_casualties":   # one 2023 file, of the months to four before the window's end
        (longer_collisions, longer_casualties), (collisions, casualties) = longer, later
        assert [p.name for p in later] == [p.name for p in longer]
        may = read([longer_collisions])["date"].str[3:] == "05/2023"
        assert read([longer_collisions])[may].reset_index(drop=True).equals(read([collisions]))
        assert set(read([collisions])["date"].str[3:]) == {"05/2023"}
        longer_rows = read([longer_casualties])
        may_casualties = longer_rows["collision_index"].isin(read([collisions])["collision_index"])
        assert longer_rows[may_casualties].reset_index(drop=True).equals(read([casualties]))
    else:   # the months (the quarters, youth offending) in both: the same files
        assert later and {p.name for p in later} < {p.name for p in longer}
        assert all(filecmp.cmp(p, tmp_path / "longer" / p.name, shallow=False) for p in later)


def test_youth_offending_quarters_and_first_time_entrants(sample):
    returns = sample["youth_offending"]
    # quarters wholly inside April 2023 - October 2024
    assert [p.name for p in returns] == [f"yjs_quarterly_return_{q}.csv" for q in
                                         ("2023-24_Q1", "2023-24_Q2", "2023-24_Q3", "2023-24_Q4", "2024-25_Q1", "2024-25_Q2")]
    youth = read(returns)
    assert len(youth) == 6 * 12 * 2    # every district and age band, every quarter
    fte = youth["First Time Entrants"].astype(int).groupby(youth["Quarter"]).sum()
    assert 60 <= fte.mean() <= 100


def test_population_delivery_is_the_next_mid_year_in_the_bundled_columns(sample):
    (path,) = sample["population"]
    rows = list(csv.DictReader(path.open()))
    bundled = {r["lad_code"]: int(r["population"]) for r in csv.DictReader((REFERENCE / "population_mid_year.csv").open())
               if r["mid_year"] == "2023"}
    assert list(rows[0]) == ["lad_code", "lad_name", "mid_year", "population"]
    assert {r["mid_year"] for r in rows} == {"2024"} and len(rows) == 13
    assert all(1.005 <= int(r["population"]) / bundled[r["lad_code"]] <= 1.015 for r in rows)


def test_asb_dates_lie_in_their_month(sample):
    for path in sample["asb"][:2]:
        dates = {dt.datetime.strptime(r["Incident Date"], "%d/%m/%Y").strftime("%Y-%m") for r in csv.DictReader(path.open())}
        assert dates == {path.stem[-7:]}


def test_police_months_carry_a_few_recording_faults(tmp_path):
    """Exact copies and records without an offence group: a handful a month, as real extracts have."""
    faults = []
    for path in generate("police_crime", tmp_path, "2024-01", 6):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        copies, unclassified = int(frame.duplicated().sum()), int((frame["offence_group"] == "").sum())
        assert frame["crime_reference"].duplicated().sum() == copies    # a copy repeats its record, nothing else
        faults.append((copies, unclassified))
    assert all(c <= 12 and u <= 10 for c, u in faults)
    assert sum(c for c, _ in faults) > 0 and sum(u for _, u in faults) > 0


def test_generate_all_leaves_nothing_when_a_generator_fails(tmp_path, monkeypatch):
    """All or nothing: the sources generated before the failure are not left in the raw folder either."""
    import csp.synth

    class Broken:
        @staticmethod
        def generate(*args):
            raise RuntimeError("generator failed")

    monkeypatch.setattr(csp.synth, "generators", lambda: {"population": generators()["population"], "asb": Broken})
    with pytest.raises(RuntimeError, match="generator failed"):
        csp.synth.generate_all(tmp_path / "raw", REFERENCE, "2024-04", 1, SEED, 2023)
    assert list((tmp_path / "raw").rglob("*")) == []


def test_generate_all_refuses_beside_a_delivered_file_and_writes_nothing(tmp_path):
    """A real delivery in one source's folder: nothing written in any (a note beside it does not count)."""
    from csp.synth import SynthRefused, generate_all

    raw = tmp_path / "raw"
    (raw / "population").mkdir(parents=True)
    (raw / "police_crime").mkdir()
    (raw / "police_crime" / "README.md").write_text("notes\n")
    (raw / "population" / "population_mid_year_2024.csv").write_text("real\n")
    (raw / "population" / "mye_2025.csv").write_text("real too\n")
    os.utime(raw / "population" / "mye_2025.csv", (2e9, 2e9))   # delivered after the other
    with pytest.raises(SynthRefused) as refused:
        generate_all(raw, REFERENCE, "2024-04", 1, SEED, 2023)
    assert str(refused.value) == (
        "refused: sample data is written only beside sample data an earlier `csp synth` wrote, never beside or over "
        f"partners' files, and {raw} holds 2 other in population/ (population_mid_year_2024.csv, ...). Nothing was "
        "written: give an empty folder with --raw")
    assert sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*")) == [
        "police_crime", "police_crime/README.md", "population", "population/mye_2025.csv",
        "population/population_mid_year_2024.csv"]
    assert (raw / "population" / "population_mid_year_2024.csv").read_text() == "real\n"


def test_generate_all_adds_the_next_month_beside_its_own_sample_data_and_never_replaces_it(tmp_path):
    """Sample data of January - June, then July: July's files are added and named as sample data beside the
    others, the population file already there left as it is (the next month, as a partner's would arrive). A
    month already there writes nothing; a year's road casualty files with other months are refused, with
    nothing written (it refused any second run)."""
    from csp.checksums import sha256
    from csp.synth import SynthRefused, generate_all, sample_checksums

    raw = tmp_path / "raw"
    first = generate_all(raw, REFERENCE, "2024-01", 6, SEED, 2023)
    assert sorted(p.name for p in first["road_casualties"]) == ["dft-road-casualty-statistics-casualty-2024.csv",
                                                                "dft-road-casualty-statistics-collision-2024.csv"]
    before = {p: p.read_bytes() for p in raw.rglob("*.csv")}
    added = generate_all(raw, REFERENCE, "2024-07", 1, SEED, 2023)
    assert {source: [p.name for p in files] for source, files in added.items()} == {
        "asb": ["asb_incidents_2024-07.csv"], "fire_incidents": ["kfrs_incidents_2024-07.csv"],
        "hospital_admissions": ["hes_injury_admissions_2024-07.csv"], "police_crime": ["police_crime_2024-07.csv"],
        "population": [], "road_casualties": [], "youth_offending": []}
    assert all(p.read_bytes() == content for p, content in before.items())
    assert sample_checksums(raw) == {sha256(p) for p in raw.rglob("*.csv")}
    assert len(sample_checksums(raw)) == len(before) + 4
    # July again: nothing new
    assert generate_all(raw, REFERENCE, "2024-07", 1, SEED, 2023) == {source: [] for source in first}
    # July - December hold July - August's road casualties, in the 2024 files that hold January - February's
    held = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    with pytest.raises(SynthRefused, match=r"road-casualty-statistics-\w+-2024.csv would be replaced by sample data"):
        generate_all(raw, REFERENCE, "2024-07", 6, SEED, 2023)
    assert {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()} == held


def test_sample_run_date_is_the_20th_after_the_last_month():
    assert sample_run_date("2022-11", 36) == dt.date(2025, 11, 20)
    assert sample_run_date("2022-01", 12) == dt.date(2023, 1, 20)
    assert sample_run_date("2022-01", 11) == dt.date(2022, 12, 20)
