"""Claims: check-worthy sentences, their claimants, and the features that explain each score."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction
from app.extraction.claims_model import shipped_model


def test_figures_in_narrative_are_a_claim_of_the_publication(
    run: Callable[[str], Extraction],
) -> None:
    result = run("Unemployment rose to 7.2 per cent in March, the highest rate since 2016.")
    assert len(result.claims) == 1
    claim = result.claims[0]
    assert claim.claimant is None and claim.quote is None
    assert shipped_model().threshold <= claim.score <= 1.0
    assert result.text[claim.start : claim.end] == claim.text


def test_claim_inside_a_quote_belongs_to_its_speaker(run: Callable[[str], Extraction]) -> None:
    text = (
        "Maria Lopez, the finance minister, spoke on Monday.\n\n"
        '"The deficit fell by $4 billion last year because tax revenue grew faster than '
        'expected," she said.'
    )
    result = run(text)
    quoted = [c for c in result.claims if c.quote is not None]
    assert quoted, result.claims
    claim = quoted[0]
    assert claim.claimant is not None
    assert result.speakers[claim.claimant].name == "Maria Lopez"


def test_opinion_without_facts_is_not_a_claim(run: Callable[[str], Extraction]) -> None:
    result = run('"I think it is a lovely day and I feel happy," she said.')
    assert result.claims == ()


def test_features_are_the_strongest_contributions_to_the_score(
    run: Callable[[str], Extraction],
) -> None:
    result = run("The bridge, built in 1932, carries 40,000 cars a day across the river.")
    assert result.claims
    features = result.claims[0].features
    assert 1 <= len(features) <= 8
    ups = [v for v in features.values() if v > 0]
    assert ups and all(v != 0 for v in features.values())
    # the positive contributions come first, strongest first
    assert list(features.values())[: len(ups)] == sorted(ups, reverse=True)


def test_a_question_is_not_a_claim(run: Callable[[str], Extraction]) -> None:
    result = run("Why did the council never tell residents what the new bridge would cost?")
    assert result.claims == ()


def test_reported_speech_is_a_claim_of_the_speaker_not_the_publication(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "Health Minister Ana Ruiz said on Monday that hospital wait times had fallen by 14 per "
        "cent since 2022."
    )
    result = run(text)
    assert len(result.claims) == 1, result.claims
    claim = result.claims[0]
    assert claim.text == "hospital wait times had fallen by 14 per cent since 2022"
    assert claim.quote is not None and result.quotes[claim.quote].kind == "indirect"
    assert claim.claimant is not None
    assert result.speakers[claim.claimant].name == "Ana Ruiz"


def test_each_reported_clause_of_a_sentence_is_its_own_claim(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        'Opposition leader Tom Hale called the budget "a fantasy" and warned that interest '
        "costs had doubled to $40 billion since 2021."
    )
    result = run(text)
    assert [c.text for c in result.claims] == [
        "interest costs had doubled to $40 billion since 2021"
    ]
    claim = result.claims[0]
    assert claim.claimant is not None and result.speakers[claim.claimant].name == "Tom Hale"


def test_a_quoted_word_leaves_the_sentence_to_the_publication(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "Home prices rose 7 per cent in March, the steepest climb since 2021, a jump one "
        'broker called "alarming".'
    )
    result = run(text)
    assert len(result.claims) == 1, result.claims
    claim = result.claims[0]
    assert claim.claimant is None and claim.quote is None
    assert claim.text.startswith("Home prices rose 7 per cent in March")


def test_a_reported_question_is_nobodys_claim(run: Callable[[str], Extraction]) -> None:
    text = (
        "Senator Lisa Grant questioned on Tuesday whether the 2023 budget had cut $3 billion from "
        "rural hospitals."
    )
    result = run(text)
    assert any(q.kind != "direct" for q in result.quotes), result.quotes
    assert result.claims == ()
