"""Claims: check-worthy sentences, their claimants and documented features."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction
from app.extraction.claims import WEIGHTS


def test_figures_in_narrative_are_a_claim_of_the_publication(
    run: Callable[[str], Extraction],
) -> None:
    result = run("Unemployment rose to 7.2 per cent in March, the highest rate since 2016.")
    assert len(result.claims) == 1
    claim = result.claims[0]
    assert claim.claimant is None and claim.quote is None
    assert claim.features["number"] == 1.0 and claim.features["date"] == 1.0
    assert 0.6 <= claim.score <= 1.0
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
    assert claim.features["cause"] == 1.0


def test_opinion_without_facts_is_not_a_claim(run: Callable[[str], Extraction]) -> None:
    result = run('"I think it is a lovely day and I feel happy," she said.')
    assert result.claims == ()


def test_every_feature_has_a_weight(run: Callable[[str], Extraction]) -> None:
    result = run("The bridge, built in 1932, carries 40,000 cars a day across the river.")
    assert result.claims
    assert set(result.claims[0].features) == set(WEIGHTS)
