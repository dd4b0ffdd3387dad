"""Generated sample of road casualty data in the DfT STATS19 road safety open-data layout: one
collision file and one casualty file per year in data/raw/road_casualties/
(dft-road-casualty-statistics-collision-YYYY.csv, ...-casualty-YYYY.csv), deterministic for a seed.

STATS19 is published with a lag, so the data ends PUBLICATION_LAG_MONTHS before the sample window
does (June 2025 for a window ending October 2025): a window of up to that many months has none.
Each year's files hold the window's months of that year and no other (the contract's deliveries are
by month: a file replaces the months it holds), so the first and last years are part years. Years up to
LEGACY_LAYOUT_UNTIL use the 2022 release's columns (accident_index, accident_severity, ...). Later
years use the current release's columns (collision_index, collision_severity, ..., *_historic, and
the adjusted severities from injury-based reporting). Collision files start with a UTF-8 BOM, as
downloads often do. Codes are integers; -1 means missing. Only Kent Police (police_force 46)
collisions are included: Kent and Medway.

The volumes are illustrative, not estimates. There are about 5,000 casualties a year in the 12
Kent districts, about 650 of them killed or seriously injured (KSI, about 45 killed). Medway comes
on top. Casualties per resident are higher in districts with fast rural roads and trunk routes.
Collisions peak in autumn (darker evenings), and the serious share rises slowly over the years.
Fifteen per cent of casualties were not recorded through injury-based reporting and carry adjusted
severities that are probabilities.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from csp.periods import add_months
from csp.synth._area import load_area, month_list, month_rng, random_days, seasonal, trend_years

PUBLICATION_LAG_MONTHS = 4
LEGACY_LAYOUT_UNTIL = 2022
POLICE_FORCE = 46
COUNTY_CASUALTIES_PER_MONTH = 420
CASUALTIES_PER_COLLISION = 0.32           # extra casualties beyond the first: Poisson mean
SEVERITY = (0.009, 0.110)                 # chance a casualty is killed / seriously injured
SERIOUS_TREND = 0.04                      # the serious share's change a year
SEASON = (0.07, 11)
INJURY_BASED_SHARE = 0.85
# casualties per resident relative to the county, and a yearly drift: fast rural roads and trunk
# routes (M2, M20, M25, A2, A20, A21) push the rural districts up, dense towns down
ROADS_PROFILE = {
    "E07000105": (1.15, 0.00), "E07000106": (0.95, -0.01), "E07000107": (1.05, 0.00), "E07000108": (1.05, 0.00),
    "E07000112": (1.00, 0.00), "E07000109": (0.90, 0.00), "E07000110": (1.10, 0.01), "E07000111": (1.30, 0.00),
    "E07000113": (1.05, 0.01), "E07000114": (0.70, -0.01), "E07000115": (1.20, 0.01), "E07000116": (1.00, -0.01),
    "E06000035": (0.85, 0.00),
}
# rough centres (latitude, longitude) for plausible coordinates; a district of another area's lookup
# that is not listed here gets DEFAULT_CENTRE (its collisions are placed by their district code, not
# by their coordinates, so sample data for any county runs through)
DEFAULT_CENTRE = (51.26, 0.55)
CENTRES = {
    "E07000105": (51.15, 0.87), "E07000106": (51.28, 1.08), "E07000107": (51.44, 0.22), "E07000108": (51.17, 1.28),
    "E07000112": (51.08, 1.15), "E07000109": (51.42, 0.37), "E07000110": (51.26, 0.55), "E07000111": (51.27, 0.19),
    "E07000113": (51.33, 0.80), "E07000114": (51.36, 1.38), "E07000115": (51.25, 0.37), "E07000116": (51.13, 0.26),
    "E06000035": (51.39, 0.54),
}
# casualty type code, share, casualty class (1 driver or rider, 3 pedestrian; passengers drawn below)
CASUALTY_TYPES = ([9, 0, 1, 3, 5, 19, 11, 20, 90], [0.58, 0.12, 0.09, 0.05, 0.04, 0.05, 0.02, 0.02, 0.03])
AGE_BAND_EDGES = [5, 10, 15, 20, 25, 35, 45, 55, 65, 75]       # DfT bands 1..11: 0-5, 6-10, ..., 66-75, over 75
# other collision columns: code values and shares, independent of each other (sample data only)
COLLISION_CODES = {
    "first_road_class": ([1, 3, 4, 5, 6], [0.06, 0.42, 0.12, 0.10, 0.30]),
    "road_type": ([6, 3, 1, 2, 7, 9], [0.73, 0.15, 0.06, 0.02, 0.02, 0.02]),
    "speed_limit": ([20, 30, 40, 50, 60, 70], [0.06, 0.50, 0.10, 0.06, 0.18, 0.10]),
    "junction_detail": ([0, 1, 3, 6, 8, 9], [0.42, 0.08, 0.32, 0.07, 0.05, 0.06]),
    "junction_control": ([-1, 2, 4], [0.42, 0.08, 0.50]),
    "second_road_class": ([-1, 3, 4, 6], [0.42, 0.15, 0.08, 0.35]),
    "pedestrian_crossing_human_control": ([0, 2], [0.99, 0.01]),
    "pedestrian_crossing_physical_facilities": ([0, 1, 4, 5], [0.88, 0.03, 0.05, 0.04]),
    "light_conditions": ([1, 4, 5, 6], [0.72, 0.20, 0.02, 0.06]),
    "weather_conditions": ([1, 2, 8, 9], [0.80, 0.12, 0.04, 0.04]),
    "road_surface_conditions": ([1, 2, 4], [0.72, 0.26, 0.02]),
    "special_conditions_at_site": ([0, 4], [0.98, 0.02]),
    "carriageway_hazards": ([0, 2], [0.98, 0.02]),
    "urban_or_rural_area": ([1, 2], [0.55, 0.45]),
    "did_police_officer_attend_scene_of_accident": ([1, 2, 3], [0.70, 0.15, 0.15]),
    "trunk_road_flag": ([1, 2], [0.12, 0.88]),
}
LEGACY_COLLISION = ["accident_index", "accident_year", "accident_reference", "location_easting_osgr",
                    "location_northing_osgr", "longitude", "latitude", "police_force", "accident_severity",
                    "number_of_vehicles", "number_of_casualties", "date", "day_of_week", "time",
                    "local_authority_district", "local_authority_ons_district", "local_authority_highway",
                    "first_road_class", "first_road_number", "road_type", "speed_limit", "junction_detail",
                    "junction_control", "second_road_class", "second_road_number", "pedestrian_crossing_human_control",
                    "pedestrian_crossing_physical_facilities", "light_conditions", "weather_conditions",
                    "road_surface_conditions", "special_conditions_at_site", "carriageway_hazards", "urban_or_rural_area",
                    "did_police_officer_attend_scene_of_accident", "trunk_road_flag", "lsoa_of_accident_location"]
CURRENT_COLLISION = ["collision_index", "collision_year", "collision_ref_no", "location_easting_osgr",
                     "location_northing_osgr", "longitude", "latitude", "police_force", "collision_severity",
                     "number_of_vehicles", "number_of_casualties", "date", "day_of_week", "time",
                     "local_authority_district", "local_authority_ons_district", "local_authority_highway",
                     "local_authority_highway_current", "first_road_class", "first_road_number", "road_type",
                     "speed_limit", "junction_detail_historic", "junction_detail", "junction_control",
                     "second_road_class", "second_road_number", "pedestrian_crossing_human_control_historic",
                     "pedestrian_crossing_physical_facilities_historic", "pedestrian_crossing", "light_conditions",
                     "weather_conditions", "road_surface_conditions", "special_conditions_at_site",
                     "carriageway_hazards_historic", "carriageway_hazards", "urban_or_rural_area",
                     "did_police_officer_attend_scene_of_accident", "trunk_road_flag", "lsoa_of_accident_location",
                     "enhanced_severity_collision", "collision_injury_based", "collision_adjusted_severity_serious",
                     "collision_adjusted_severity_slight"]
LEGACY_CASUALTY = ["accident_index", "accident_year", "accident_reference", "vehicle_reference", "casualty_reference",
                   "casualty_class", "sex_of_casualty", "age_of_casualty", "age_band_of_casualty", "casualty_severity",
                   "pedestrian_location", "pedestrian_movement", "car_passenger", "bus_or_coach_passenger",
                   "pedestrian_road_maintenance_worker", "casualty_type", "casualty_home_area_type",
                   "casualty_imd_decile", "lsoa_of_casualty", "enhanced_casualty_severity", "casualty_distance_banding"]
CURRENT_CASUALTY = ["collision_index", "collision_year", "collision_ref_no", "vehicle_reference", "casualty_reference",
                    "casualty_class", "sex_of_casualty", "age_of_casualty", "age_band_of_casualty", "casualty_severity",
                    "pedestrian_location", "pedestrian_movement", "car_passenger", "bus_or_coach_passenger",
                    "pedestrian_road_maintenance_worker", "casualty_type", "casualty_imd_decile", "lsoa_of_casualty",
                    "enhanced_casualty_severity", "casualty_injury_based", "casualty_adjusted_severity_serious",
                    "casualty_adjusted_severity_slight", "casualty_distance_banding"]
LEGACY_NAMES = {"collision_index": "accident_index", "collision_year": "accident_year",
                "collision_ref_no": "accident_reference", "collision_severity": "accident_severity"}


def _casualties(rng: np.random.Generator, collisions: pd.DataFrame, years: float) -> pd.DataFrame:
    n_cas = collisions["number_of_casualties"].to_numpy()
    cas = collisions.loc[collisions.index.repeat(n_cas), ["collision_index"]].reset_index(drop=True)
    n = len(cas)
    cas["casualty_reference"] = cas.groupby("collision_index").cumcount() + 1
    fatal, serious = SEVERITY[0], SEVERITY[1] * (1 + SERIOUS_TREND) ** years
    draw = rng.random(n)
    cas["casualty_severity"] = np.where(draw < fatal, 1, np.where(draw < fatal + serious, 2, 3))
    ctype = rng.choice(CASUALTY_TYPES[0], n, p=CASUALTY_TYPES[1])
    pedestrian = ctype == 0
    passenger = ~pedestrian & np.isin(ctype, [9, 11, 19]) & (rng.random(n) < 0.3)
    cas["casualty_type"] = ctype
    cas["casualty_class"] = np.where(pedestrian, 3, np.where(passenger, 2, 1))
    cas["vehicle_reference"] = np.where(pedestrian, 1, rng.integers(1, 3, n))
    age = np.clip(rng.gamma(4.0, 10.0, n).round().astype(int), 0, 99)
    missing_age = rng.random(n) < 0.02
    cas["age_of_casualty"] = np.where(missing_age, -1, age)
    cas["age_band_of_casualty"] = np.where(missing_age, -1, np.searchsorted(AGE_BAND_EDGES, age, side="left") + 1)
    cas["sex_of_casualty"] = rng.choice([1, 2, 9], n, p=[0.60, 0.38, 0.02])
    cas["pedestrian_location"] = np.where(pedestrian, rng.choice([1, 5, 6, 10], n), 0)
    cas["pedestrian_movement"] = np.where(pedestrian, rng.choice([1, 3, 5, 9], n), 0)
    cas["car_passenger"] = np.where(passenger & (ctype == 9), rng.choice([1, 2], n), 0)
    cas["bus_or_coach_passenger"] = np.where(passenger & (ctype == 11), 4, 0)
    cas["pedestrian_road_maintenance_worker"] = np.where(pedestrian, 2, 0)
    cas["casualty_home_area_type"] = rng.choice([1, 2, 3], n, p=[0.65, 0.15, 0.20])
    cas["casualty_imd_decile"] = rng.choice([-1, *range(1, 11)], n, p=[0.05] + [0.095] * 10)
    cas["enhanced_casualty_severity"] = -1
    cas["casualty_distance_banding"] = rng.choice([1, 2, 3, 4, 5], n, p=[0.45, 0.20, 0.15, 0.10, 0.10])
    # injury-based reporting gives 0 or 1; otherwise the DfT's adjustment gives a probability
    injury_based = rng.random(n) < INJURY_BASED_SHARE
    sev = cas["casualty_severity"].to_numpy()
    adjusted = np.where(sev == 2, np.where(injury_based, 1.0, rng.uniform(0.6, 0.95, n)),
                        np.where(injury_based, 0.0, rng.uniform(0.0, 0.25, n)))
    adjusted[sev == 1] = 0.0
    cas["casualty_injury_based"] = injury_based.astype(int)
    cas["casualty_adjusted_severity_serious"] = adjusted.round(6)
    cas["casualty_adjusted_severity_slight"] = np.where(sev == 1, 0.0, 1 - adjusted).round(6)
    return cas


def month_collisions(rng: np.random.Generator, month: dt.date, area) -> tuple[pd.DataFrame, pd.DataFrame]:
    years = trend_years(month)
    weights = area.weights(ROADS_PROFILE, years)
    mean = COUNTY_CASUALTIES_PER_MONTH / (1 + CASUALTIES_PER_COLLISION) * seasonal(month, *SEASON)
    lad = np.repeat(weights.index.to_numpy(), rng.poisson(mean * weights.to_numpy()))
    n = len(lad)
    col = pd.DataFrame({"local_authority_ons_district": lad})
    col["number_of_casualties"] = 1 + rng.poisson(CASUALTIES_PER_COLLISION, n)
    # numbered within the month (force, month, number), not on from the year's earlier months: the
    # same whichever months are generated with it
    refs = [f"{POLICE_FORCE}{month.month:02d}{i:05d}" for i in range(1, n + 1)]
    col["collision_index"] = [f"{month.year}{r}" for r in refs]
    col["collision_year"] = month.year
    col["collision_ref_no"] = refs
    cas = _casualties(rng, col, years)
    # a collision's severity is its worst casualty's
    col["collision_severity"] = cas.groupby("collision_index")["casualty_severity"].min().loc[col.collision_index].to_numpy()
    adj = cas.groupby("collision_index")["casualty_adjusted_severity_serious"].max().loc[col.collision_index].to_numpy()
    col["collision_adjusted_severity_serious"] = np.where(col.collision_severity == 1, 0.0, adj)
    col["collision_adjusted_severity_slight"] = np.where(col.collision_severity == 1, 0.0, 1 - adj).round(6)
    col["collision_injury_based"] = cas.groupby("collision_index")["casualty_injury_based"].min().loc[col.collision_index].to_numpy()
    col["enhanced_severity_collision"] = -1
    col["number_of_vehicles"] = np.maximum(cas.groupby("collision_index")["vehicle_reference"].max().loc[col.collision_index].to_numpy(),
                                           rng.choice([1, 2, 3], n, p=[0.3, 0.6, 0.1]))
    days = random_days(rng, month, n)
    hours = rng.choice(24, n, p=np.array([1, 1, 1, 1, 1, 2, 3, 6, 8, 5, 5, 5, 6, 6, 7, 8, 9, 9, 7, 5, 4, 3, 2, 1]) / 106)
    col["date"] = [d.strftime("%d/%m/%Y") for d in days]
    col["day_of_week"] = [(d.isoweekday() % 7) + 1 for d in days]          # 1 = Sunday ... 7 = Saturday
    col["time"] = [f"{h:02d}:{m:02d}" for h, m in zip(hours, rng.integers(0, 60, n))]
    centre = np.array([CENTRES.get(l, DEFAULT_CENTRE) for l in lad]).reshape(-1, 2)
    lat = centre[:, 0] + rng.normal(0, 0.04, n)
    lon = centre[:, 1] + rng.normal(0, 0.06, n)
    col["latitude"], col["longitude"] = lat.round(6), lon.round(6)
    # approximate British National Grid for south-east England (sample data)
    col["location_easting_osgr"] = (575_000 + (lon - 0.55) * 69_800).round().astype(int)
    col["location_northing_osgr"] = (155_000 + (lat - 51.26) * 111_200).round().astype(int)
    col["police_force"] = POLICE_FORCE
    col["local_authority_district"] = -1
    col["local_authority_highway"] = np.where(lad == "E06000035", "E06000035", "E10000016")
    col["local_authority_highway_current"] = col["local_authority_highway"]
    for name, (values, shares) in COLLISION_CODES.items():
        col[name] = rng.choice(values, n, p=shares)
    col["first_road_number"] = np.where(col.first_road_class.isin([1, 3, 4]), rng.integers(2, 300, n), 0)
    col["second_road_number"] = np.where(col.second_road_class > 0, rng.integers(0, 3000, n), -1)
    col["junction_detail_historic"] = col["junction_detail"]
    col["pedestrian_crossing_human_control_historic"] = col["pedestrian_crossing_human_control"]
    col["pedestrian_crossing_physical_facilities_historic"] = col["pedestrian_crossing_physical_facilities"]
    col["pedestrian_crossing"] = np.where(col.pedestrian_crossing_physical_facilities > 0, 1, 0)
    col["carriageway_hazards_historic"] = col["carriageway_hazards"]
    col["lsoa_of_accident_location"] = area.pick_lsoas(rng, lad)
    # the casualty's home: usually in the district, sometimes elsewhere in the area, sometimes unknown
    home = rng.random(len(cas))
    home_lad = np.where(home < 0.85, cas.collision_index.map(col.set_index("collision_index").local_authority_ons_district),
                        rng.choice(weights.index.to_numpy(), len(cas)))
    cas["lsoa_of_casualty"] = np.where(home < 0.95, area.pick_lsoas(rng, home_lad), "-1")
    cas["collision_year"] = month.year
    cas["collision_ref_no"] = cas.collision_index.str[4:]
    return col, cas


def _write(path: Path, frame: pd.DataFrame, columns: list[str], legacy: bool, bom: bool) -> None:
    frame = frame.rename(columns=LEGACY_NAMES) if legacy else frame
    frame[columns].to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n",
                          encoding="utf-8-sig" if bom else "utf-8")


def generate(out_dir: Path, reference_dir: Path, first_month: str, months: int, seed: int,
             population_mid_year: int = 2023) -> list[Path]:
    """Write the collision and casualty files of each year of the window, holding its months published
    by the window's end (to PUBLICATION_LAG_MONTHS before it); returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    area = load_area(reference_dir, population_mid_year)
    window = month_list(first_month, months)
    published = [m for m in window if m <= add_months(window[-1], -PUBLICATION_LAG_MONTHS)]
    written = []
    for year in sorted({m.year for m in published}):
        made = [month_collisions(month_rng(seed, "road_casualties", m), m, area) for m in published if m.year == year]
        collisions, casualties = [col for col, _ in made], [cas for _, cas in made]
        legacy = year <= LEGACY_LAYOUT_UNTIL
        collision_path = out_dir / f"dft-road-casualty-statistics-collision-{year}.csv"
        casualty_path = out_dir / f"dft-road-casualty-statistics-casualty-{year}.csv"
        _write(collision_path, pd.concat(collisions, ignore_index=True), LEGACY_COLLISION if legacy else CURRENT_COLLISION,
               legacy, bom=True)
        _write(casualty_path, pd.concat(casualties, ignore_index=True), LEGACY_CASUALTY if legacy else CURRENT_CASUALTY,
               legacy, bom=False)
        written += [collision_path, casualty_path]
    return written
