"""The DfT STATS19 open-data layout exactly as ../shared/data/README.md gives it (the 2022 release),
and the current release's renamed columns: the generator writes them, the contract reads both."""
from __future__ import annotations

import csv

from csp.config import load_settings
from csp.contracts import load_contract
from csp.synth import road_casualties

COLLISION_2022 = ("accident_index,accident_year,accident_reference,location_easting_osgr,location_northing_osgr,"
                  "longitude,latitude,police_force,accident_severity,number_of_vehicles,number_of_casualties,date,"
                  "day_of_week,time,local_authority_district,local_authority_ons_district,local_authority_highway,"
                  "first_road_class,first_road_number,road_type,speed_limit,junction_detail,junction_control,"
                  "second_road_class,second_road_number,pedestrian_crossing_human_control,"
                  "pedestrian_crossing_physical_facilities,light_conditions,weather_conditions,road_surface_conditions,"
                  "special_conditions_at_site,carriageway_hazards,urban_or_rural_area,"
                  "did_police_officer_attend_scene_of_accident,trunk_road_flag,lsoa_of_accident_location").split(",")
CASUALTY_2022 = ("accident_index,accident_year,accident_reference,vehicle_reference,casualty_reference,casualty_class,"
                 "sex_of_casualty,age_of_casualty,age_band_of_casualty,casualty_severity,pedestrian_location,"
                 "pedestrian_movement,car_passenger,bus_or_coach_passenger,pedestrian_road_maintenance_worker,"
                 "casualty_type,casualty_home_area_type,casualty_imd_decile,lsoa_of_casualty,enhanced_casualty_severity,"
                 "casualty_distance_banding").split(",")


def header(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


def test_generator_writes_the_2022_release_layout_and_the_current_one(tmp_path):
    settings = load_settings()
    # a window of 2022 lags to August 2022: one year, in the 2022 release's layout
    legacy = road_casualties.generate(tmp_path / "legacy", settings.reference_dir, "2022-01", 12, 1)
    assert [header(p) for p in legacy] == [COLLISION_2022, CASUALTY_2022]
    assert legacy[0].read_bytes()[:3] == b"\xef\xbb\xbf"      # the collision file starts with a UTF-8 BOM
    current = road_casualties.generate(tmp_path / "current", settings.reference_dir, "2024-01", 6, 1)
    collision, casualty = (header(p) for p in current)
    assert collision[:3] == ["collision_index", "collision_year", "collision_ref_no"]
    assert {"collision_severity", "collision_adjusted_severity_serious", "junction_detail_historic"} <= set(collision)
    assert casualty[:3] == ["collision_index", "collision_year", "collision_ref_no"]
    assert {"casualty_adjusted_severity_serious", "casualty_adjusted_severity_slight"} <= set(casualty)


def test_contract_reads_both_namings_as_their_forms():
    contract = load_contract("road_casualties")
    for headers, form in ((COLLISION_2022, "collision"), (CASUALTY_2022, "casualty")):
        mapping, _ = contract.map_headers(headers)
        assert contract.identify_form(set(mapping.values())) == (form, "")
    renamed = ["\ufeffcollision_index", "collision_year", "collision_ref_no", "police_force", "collision_severity", "date",
               "local_authority_ons_district", "collision_adjusted_severity_serious"]
    mapping, extra = contract.map_headers(renamed)
    assert mapping == {"\ufeffcollision_index": "accident_index", "collision_year": "accident_year",
                       "collision_ref_no": "accident_reference", "police_force": "police_force",
                       "collision_severity": "accident_severity", "date": "date",
                       "local_authority_ons_district": "local_authority_ons_district",
                       "collision_adjusted_severity_serious": "collision_adjusted_severity_serious"}
    assert extra == [] and contract.identify_form(set(mapping.values())) == ("collision", "")
