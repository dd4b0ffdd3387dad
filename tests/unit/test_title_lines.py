"""Where a CSV's headers are (csp/ingest/text_files.header_line, by the workbook's rule in headers.py): the
first line, reading nothing more, for nearly every file; under title lines, the line the copy read from begins."""
from __future__ import annotations

import pytest

from csp.ingest.errors import UnreadableDelivery
from csp.ingest.text_files import from_line, header_line

HEADER = "crime_reference,recorded_date,offence_group\n"
ROWS = "C00,2025-10-01,Burglary\nC01,2025-10-02,Shoplifting\n"


def _matches(seen: list):
    def matches(headers: list[str]) -> bool:
        seen.append(headers)
        return headers[:2] == ["crime_reference", "recorded_date"]
    return matches


def test_a_file_whose_first_line_is_its_header_is_read_no_further(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    seen = []
    found = header_line(path, _matches(seen))
    assert (found.line, found.matches, found.lines_read, len(seen)) == (1, True, 1, 1)


def test_title_lines_with_stray_quotes_and_line_ends_of_every_kind_are_counted_as_lines(tmp_path):
    # quotes not closed in title lines (DuckDB's skip reads `Crimes "recorded` on into the rows), CR LF and CR
    path = tmp_path / "titled.csv"
    path.write_bytes(b'\xef\xbb\xbf"Crimes recorded, October 2025\r\n,,\rExtracted "03/11/2025,,\n\n'
                     + (HEADER + ROWS).encode())
    found = header_line(path, _matches([]))
    assert (found.line, found.matches) == (5, True)
    copy, above = from_line(path, tmp_path, found.line)
    assert copy.read_text(encoding="utf-8") == HEADER + ROWS
    assert above == ['"Crimes recorded, October 2025\r\n', ",,\r", 'Extracted "03/11/2025,,\n', "\n"]


def test_a_header_after_line_20_is_not_found(tmp_path):
    path = tmp_path / "late.csv"
    path.write_text("Crimes recorded October 2025\n" + "\n" * 19 + HEADER + ROWS, encoding="utf-8")
    found = header_line(path, _matches([]))
    assert (found.line, found.matches, found.lines_read) == (1, False, 20)


def test_a_file_of_blank_lines_has_no_header_row(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(",,\n\n  \n", encoding="utf-8")
    with pytest.raises(UnreadableDelivery, match=r"^the file has no header row \(its first 3 lines are blank\)$"):
        header_line(path, _matches([]))


def test_a_file_of_only_a_byte_order_mark_is_empty(tmp_path):
    """Three bytes, the UTF-8 byte-order mark alone: it was "no header row (its first 0 lines are blank)" (fuzz
    review)."""
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf")
    with pytest.raises(UnreadableDelivery, match=r"^the file is empty \(it holds only a byte-order mark\)$"):
        header_line(path, _matches([]))
