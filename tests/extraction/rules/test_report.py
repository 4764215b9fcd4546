"""Report rules: which reported clauses become quotes."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction
from app.extraction.rules import RULES
from tests.extraction.rules.helpers import LEAD, stamps


def test_a_first_person_report_is_a_quote(run: Callable[[str], Extraction]) -> None:
    """The filter that dropped reports with I, we or you as subject (first_person) cost
    end-to-end F1 on PolNeAR's training folds and is gone: PolNeAR annotates them."""
    assert "first_person" not in RULES
    text = LEAD + "I said the bridge would close in June, but nobody listened to me."
    assert [(s[0], s[3]) for s in stamps(run(text))] == [
        ("reporting_verb", "the bridge would close in June, but nobody listened to me")
    ]


def test_a_report_stops_before_its_own_speaker(run: Callable[[str], Extraction]) -> None:
    """'... "was a real eye-opener" Farinloye says': with no comma the parse may take the
    speaker into the clause before the cue; the report ends before the speaker."""
    text = (
        LEAD + "Bola Farinloye joined the tour. The tour, with advice from a dietitian, "
        '"was a real eye-opener" Farinloye says.'
    )
    found = [(s[2], s[3]) for s in stamps(run(text))]
    assert [t for _, t in found] == [
        'The tour, with advice from a dietitian, "was a real eye-opener"'
    ]
    assert str(found[0][0]).endswith("Farinloye")
