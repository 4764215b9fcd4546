"""Speakers rules: revisions once every quote is attributed."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction, extract
from tests.extraction.rules.helpers import LEAD, stamps


def test_spokesperson_named(run: Callable[[str], Extraction]) -> None:
    text = (
        LEAD + "A spokeswoman for the mayor said the bridge would close in June. "
        '"We have no choice at all," said Jo Wu.'
    )
    assert [s[:3] for s in stamps(run(text))] == [
        ("reporting_verb", "spokesperson_named", "Jo Wu"),
        ("quoted_clause", "person_name", "Jo Wu"),
    ]
    off = extract(text, disabled={"spokesperson_named"})
    assert [s[:3] for s in stamps(off)] == [
        ("reporting_verb", "new_description", "a spokeswoman for the mayor"),
        ("quoted_clause", "person_name", "Jo Wu"),
    ]
