"""Report rules: which reported clauses become quotes."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction, extract
from tests.extraction.rules.helpers import LEAD, stamps


def test_first_person_narration_is_no_quote(run: Callable[[str], Extraction]) -> None:
    text = LEAD + "I said the bridge would close in June, but nobody listened to me."
    assert run(text).quotes == ()
    off = extract(text, disabled={"first_person"})
    assert [(s[0], s[3]) for s in stamps(off)] == [
        ("reporting_verb", "the bridge would close in June, but nobody listened to me")
    ]
