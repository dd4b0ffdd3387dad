"""csp/publish/formats.py: how titles and numbers are written in the pack's sentences."""
from __future__ import annotations

import pandas as pd

from csp.publish import formats as fmt


def test_a_title_in_a_sentence_keeps_its_acronyms():
    assert fmt.in_sentence("Road casualties (STATS19)") == "road casualties (STATS19)"
    assert fmt.in_sentence("Hospital admissions (HES extract)") == "hospital admissions (HES extract)"
    assert fmt.in_sentence("HES extract") == "HES extract"


def test_a_source_is_named_with_its_latest_month_where_it_has_one():
    window = pd.Series({"source_title": "Road casualties (STATS19)", "data_to": "June 2025"})
    assert fmt.source_note(window) == "Source: road casualties (STATS19) (data to June 2025)"
    assert fmt.source_note(window.replace("June 2025", None)) == "Source: road casualties (STATS19)"


def test_a_fraction_keeps_one_decimal_place_so_the_change_agrees_with_the_counts():
    # KSI from adjusted severities: 46.67 -> 55.03 is +8.36, +17.9%; shown whole it read 47 -> 55, +8, +17.9%
    assert [fmt.count(46.67), fmt.count(55.03), fmt.signed(55.03 - 46.67), fmt.signed(17.92, 1)] == [
        "46.7", "55.0", "+8.4", "+17.9"]
    assert [fmt.count(12345), fmt.count(12345.0), fmt.signed(-2), fmt.signed(0.0)] == ["12,345", "12,345", "\u22122", "0"]


def test_a_half_is_rounded_away_from_zero_as_the_workbook_shows_it():
    # Knife crime 80 -> 75 is -6.25%: Excel's 0.0 shows -6.3, and Python's own formatting (half to even) gave -6.2
    assert [fmt.signed(-6.25, 1), fmt.percent(-6.25), fmt.signed(0.25, 1), fmt.count(2.5), fmt.count(0.25)] == [
        "\u22126.3", "6.3%", "+0.3", "2.5", "0.3"]
    # the float nearest 2.675 is a little below it; Excel, from its 15 digits, shows 2.68, and so does the pack
    assert [fmt.rate(2.675), fmt.rate(1234.005), fmt.share(0.0625), fmt.fixed(1_234_567.25, 1)] == [
        "2.68", "1,234.01", "6.3%", "1,234,567.3"]


def test_a_character_a_page_shows_as_nothing_or_a_space_is_named():
    # a partner's trailing tab made "motive 'Deliberate\t' is not one of: Deliberate, ..." read as if it were allowed
    assert fmt.visible("motive 'Deliberate\t' is not one of: Deliberate") == (
        "motive 'Deliberate[tab]' is not one of: Deliberate")
    assert fmt.visible("a\r\nb\u00a0c\ufeffd\x01e \u9b3c é") == (
        "a[carriage return][line break]b[no-break space]c[byte-order mark]d[U+0001]e \u9b3c é")
    assert fmt.visible("plain text, as most are") == "plain text, as most are"


def test_text_a_spreadsheet_would_run_as_a_formula_is_given_as_text_in_a_csv():
    """CSV injection (security review): a text cell starting with =, +, -, @, a tab or a carriage return gets an
    apostrophe in front; numbers, missing values and other text (an en dash) are as they were, and the frame given
    is not changed."""
    frame = pd.DataFrame({"file_name": ["=HYPERLINK(\"http://x\")", "+1A", "-rf.csv", "@SUM(A1)", "\t=1", "\r=1",
                                        "ok.csv", None, "\u2013 none"],
                          "change": [-1.5, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, None, 9.0]})
    safe = fmt.spreadsheet_safe(frame)
    assert safe["file_name"].tolist()[:7] == ["'=HYPERLINK(\"http://x\")", "'+1A", "'-rf.csv", "'@SUM(A1)", "'\t=1",
                                              "'\r=1", "ok.csv"]
    assert safe["file_name"].isna().tolist()[7] and safe["file_name"][8] == "\u2013 none"
    assert safe["change"].equals(frame["change"]) and frame["file_name"][0] == "=HYPERLINK(\"http://x\")"
    plain = pd.DataFrame({"area": ["Kent"], "count": [-3]})
    assert fmt.spreadsheet_safe(plain) is plain


def test_text_that_is_a_plain_number_is_written_as_it_is_in_a_csv():
    """A negative or signed number held as text ("-6.0", "+3") is no formula: it keeps its value in the CSV files
    (diff review); an expression or text after the sign is still given as text."""
    frame = pd.DataFrame({"value": ["-6.0", "+3", "-1.5e3", "-.5", "-2+3", "+1+cmd|' /C calc'!A0", "-Jane", "-"]})
    assert fmt.spreadsheet_safe(frame)["value"].tolist() == [
        "-6.0", "+3", "-1.5e3", "-.5", "'-2+3", "'+1+cmd|' /C calc'!A0", "'-Jane", "'-"]
    numbers = pd.DataFrame({"change": ["-6.0", "+2.5", "7"]})
    assert fmt.spreadsheet_safe(numbers) is numbers


def test_a_span_of_months_and_of_population_mid_years():
    assert fmt.months_span(pd.Timestamp("2022-11-01"), pd.Timestamp("2025-10-01")) == "November 2022 – October 2025"
    assert fmt.months_span(pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-01")) == "October 2025"
    assert fmt.months_span(None, None) == fmt.months_span(pd.NaT, pd.NaT) == "–"
    assert fmt.months_span(pd.Timestamp("2023-06-01"), pd.Timestamp("2024-06-01"), "population") == "mid-2023 – mid-2024"
    assert fmt.months_span(pd.Timestamp("2023-06-01"), pd.Timestamp("2023-06-01"), "population") == "mid-2023"
