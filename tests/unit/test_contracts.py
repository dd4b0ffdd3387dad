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


def test_second_header_for_the_same_column_is_not_silently_used():
    mapping, extra = load_contract("police_crime").map_headers(["Crime ID", "crime_reference"])
    assert mapping == {"Crime ID": "crime_reference"}
    assert extra == ["crime_reference"]
