import json

from csp.contracts import available_sources, build_suite, load_contract, normalise_header, suite_path


def test_committed_suites_are_generated_from_the_contracts():
    # `csp contracts` writes these; a contract edited without regenerating fails here
    for source in available_sources():
        contract = load_contract(source)
        for form in contract.forms:
            assert json.loads(suite_path(source, form).read_text()) == build_suite(contract, form), (source, form)


def test_headers_are_matched_through_aliases_whatever_their_case_spacing_or_bom():
    contract = load_contract("police_crime")
    assert normalise_header("\ufeff  Crime_ID ") == "crime id"
    mapping, extra = contract.map_headers(["\ufeffCrime ID", "Month", "LSOA code", "Crime type", "Falls within", "Unheard of"])
    assert mapping == {"\ufeffCrime ID": "crime_reference", "Month": "month", "LSOA code": "lsoa_code",
                       "Crime type": "crime_type", "Falls within": "falls_within"}
    assert extra == ["Unheard of"]
    assert contract.identify_form(set(mapping.values())) == ("police_uk", "")


def test_of_two_headers_for_one_column_the_most_specific_is_used_and_the_other_not_loaded():
    police = load_contract("police_crime")
    # the column's own name, wherever it is
    assert police.map_headers(["Crime ID", "crime_reference"]) == ({"crime_reference": "crime_reference"}, ["Crime ID"])
    # the longer alias: 'Date' may be the date committed beside the date recorded
    assert police.map_headers(["Date", "Recorded Date", "LSOA"]) == (
        {"Recorded Date": "recorded_date", "LSOA": "lsoa_code"}, ["Date"])
    # as specific as each other: the first
    assert police.map_headers(["CrimeRef", "Crime ID"]) == ({"CrimeRef": "crime_reference"}, ["Crime ID"])


def test_window_rules_come_from_the_contracts():
    rules = {s: (load_contract(s).reporting_period, load_contract(s).complete_month, load_contract(s).has_window)
             for s in available_sources()}
    assert rules["road_casualties"] == ("month", "any_data", True)
    assert rules["youth_offending"] == ("quarter", "every_district", True)
    assert rules["police_crime"] == ("month", "every_district", True)
    assert rules["population"][2] is False
    assert load_contract("youth_offending").period_months == 3


def test_an_unknown_window_rule_is_a_clear_error(tmp_path, monkeypatch):
    import pytest

    import csp.contracts

    (tmp_path / "odd.yml").write_text("source: odd\ntitle: Odd\nforms: {}\ncolumns: {}\n"
                                      "delivery_rules: {complete_month: most_districts}\n")
    monkeypatch.setattr(csp.contracts, "CONTRACTS_DIR", tmp_path)
    load_contract.cache_clear()
    try:
        with pytest.raises(ValueError, match="complete_month 'most_districts' is not one of every_district, any_data"):
            load_contract("odd")
    finally:
        load_contract.cache_clear()
