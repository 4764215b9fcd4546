"""Layout rules: quotes set off by the page's layout rather than by a cue."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction, extract
from tests.extraction.rules.helpers import LEAD, stamps


def test_transcript_line(run: Callable[[str], Extraction]) -> None:
    text = "Jane Doe arrived in Ottawa on Monday.\n\nJANE DOE: Well, look, we never said that."
    result = run(text)
    assert [s[:3] for s in stamps(result)] == [("transcript_line", "person_name", "Jane Doe")]
    assert extract(text, disabled={"transcript_line"}).quotes == ()


def test_transcript_answer_with_a_scare_quoted_word(run: Callable[[str], Extraction]) -> None:
    """An answer that puts one word in marks ('It talks about "affordable" rents') is still
    the interviewee's line (it had been dropped, the marks left to a learned report)."""
    text = (
        LEAD + "We asked Carolyn Whitman, a housing policy expert, what the plan means.\n\n"
        "Q: Who will these homes be for?\n\n"
        'Whitman: That is the big question. The plan talks about "affordable" rents, but it '
        "defines affordable as 80 per cent of market rent."
    )
    found = [s for s in stamps(run(text)) if s[0] == "transcript_line"]
    assert [s[2] for s in found] == ["Carolyn Whitman"]
    assert found[0][3].startswith("That is the big question.")
    assert found[0][3].endswith("80 per cent of market rent.")
