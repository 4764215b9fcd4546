"""Speakers rules: revisions once every quote is attributed."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language

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


def test_a_person_noun_before_a_name_is_a_role(run: Callable[[str], Extraction]) -> None:
    """'Tenant Amina Yusuf' (NER folds the noun into the name at a sentence's start) and
    'tenant advocate Mark Culligan' (lower case, outside it): the noun is the role."""
    result = run(
        LEAD + "Tenant Amina Yusuf, 34, told reporters she complained for a year.\n\n"
        "But tenant advocate Mark Culligan said fines alone won't fix the problem."
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Amina Yusuf", "Tenant"),
        ("Mark Culligan", "tenant advocate"),
    ]


def test_a_participle_after_an_infinitive_speaks_for_the_sentence_subject(
    run: Callable[[str], Extraction],
) -> None:
    """'X wants the city to study a tax, arguing that ...': X argues, not the city."""
    result = run(
        LEAD + "Councillor Pete Fry wants the city to study a tax on empty storefronts, "
        "arguing vacant shops are hurting neighbourhoods."
    )
    arguing = [q for q in result.quotes if q.cue == "arguing"]
    assert len(arguing) == 1 and arguing[0].speaker is not None
    assert result.speakers[arguing[0].speaker].name == "Pete Fry"


def test_a_participles_object_is_no_inverted_speaker(nlp: Language) -> None:
    """', accusing Scheer of ...': the one accused is no speaker set after the cue."""
    from app.extraction.attribution import subject_of

    doc = nlp(
        "Environment Minister Catherine McKenna shot back hours later, accusing Scheer of "
        "having no plan to fight climate change."
    )
    accusing = next(t for t in doc if t.text == "accusing")
    subject = subject_of(accusing)
    assert subject is not None and subject.text == "McKenna"
