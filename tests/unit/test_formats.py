"""csp/publish/formats.py: how titles and numbers are written in the pack's sentences."""
from __future__ import annotations

from csp.publish import formats as fmt


def test_a_title_in_a_sentence_keeps_its_acronyms():
    assert fmt.in_sentence("Road casualties (STATS19)") == "road casualties (STATS19)"
    assert fmt.in_sentence("Hospital admissions (HES extract)") == "hospital admissions (HES extract)"
    assert fmt.in_sentence("HES extract") == "HES extract"
