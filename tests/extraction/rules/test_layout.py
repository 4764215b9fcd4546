"""Layout rules: quotes set off by the page's layout rather than by a cue."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction, extract
from tests.extraction.rules.helpers import stamps


def test_transcript_line(run: Callable[[str], Extraction]) -> None:
    text = "Jane Doe arrived in Ottawa on Monday.\n\nJANE DOE: Well, look, we never said that."
    result = run(text)
    assert [s[:3] for s in stamps(result)] == [("transcript_line", "person_name", "Jane Doe")]
    assert extract(text, disabled={"transcript_line"}).quotes == ()
