"""Cue rules: each finds its cue, and the quote it yields names it (rule ids in RULES)."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction, extract
from tests.extraction.rules.helpers import LEAD, stamps


def test_according_to(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "According to the ministry, the bridge will reopen in May after repairs.")
    assert [s[:2] for s in stamps(result)] == [("according_to", "new_description")]
    assert result.quotes[0].text == "the bridge will reopen in May after repairs"
    switched_off = extract(
        LEAD + "According to the ministry, the bridge will reopen in May after repairs.",
        disabled={"according_to"},
    )
    assert switched_off.quotes == ()


def test_reporting_verb(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "The minister said the talks would resume next week in Ottawa.")
    assert stamps(result) == [
        (
            "reporting_verb",
            "new_description",
            "the minister",
            "the talks would resume next week in Ottawa",
        )
    ]


def test_request_verb(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "The mayor urged residents to stay home during the storm.")
    assert [s[0] for s in stamps(result)] == ["request_verb"]
    # "urge" is a reporting verb as well: without the request rule that rule takes it.
    off = extract(result.text, disabled={"request_verb"})
    assert [s[0] for s in stamps(off)] == ["reporting_verb"]
    # With both off no rule finds it (the learned model may still propose the predicate).
    both_off = extract(result.text, disabled={"request_verb", "reporting_verb"})
    assert {q.rule for q in both_off.quotes} <= {"learned"}


def test_call_for(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "The union called for an inquiry into the crash at the depot.")
    assert stamps(result) == [
        ("call_for", "new_description", "the union", "an inquiry into the crash")
    ]


def test_speech_noun(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "Her claim that the vote was rigged drew scorn from officials.")
    assert [(s[0], s[3]) for s in stamps(result)] == [("speech_noun", "the vote was rigged")]


def test_headline_only_in_the_first_paragraph(run: Callable[[str], Extraction]) -> None:
    result = run("Mayor Slams Council Over Budget Delay\n\nThe council met on Monday.")
    assert [s[0] for s in stamps(result)] == ["headline"]
    assert extract(result.text, disabled={"headline"}).quotes == ()


def test_goes_on_speaking(run: Callable[[str], Extraction]) -> None:
    text = (
        LEAD + 'Maria Lopez spoke first. "We will rebuild the bridge before winter," she continued.'
    )
    result = run(text)
    assert [(s[0], s[2]) for s in stamps(result)] == [("quoted_clause", "Maria Lopez")]
    assert [q.cue for q in result.quotes] == ["continued"]
    # Without the rule "continued" is no cue: the quote falls to the paragraph's topic.
    off = extract(text, disabled={"goes_on_speaking"})
    assert [(q.rule, q.cue) for q in off.quotes] == [("paragraph_topic", None)]
