"""Content sieves that decide a cue reports nothing: negated, passive or future cues."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.attribution import _SUBJECT_DEPS
from app.extraction.rules import rule
from app.extraction.rules.content.sieve import PASS, Verdict


@rule(
    "negated_or_passive",
    stage="content",
    example="The mayor did not say the bridge would close.",
)
def negated_or_passive(verb: Token, offset: int) -> Verdict:
    """A negated or passive cue ("did not say X", "was told X") reports nothing as said."""
    if any(c.dep_ == "neg" for c in verb.children) or any(
        c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children
    ):
        return None
    return PASS


_REFUSING = frozenset({"decline", "refuse"})


@rule(
    "declined_to_say",
    stage="content",
    example="A spokesperson declined to comment on reports that the plant would close.",
)
def declined_to_say(verb: Token, offset: int) -> Verdict:
    """A cue the speaker declined or refused ("declined to comment on reports that X",
    "refused to say whether X") reports nothing they said: X is someone else's, or unsaid."""
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _REFUSING:
        return None
    return PASS


@rule("forecast", stage="content", example="The Greens will argue that the tax is unfair.")
def forecast(verb: Token, offset: int) -> Verdict:
    """A cue in the future ("will argue that ...") is a forecast, not a report."""
    if any(c.dep_ == "aux" and c.lower_ in {"will", "'ll"} for c in verb.children):
        return None
    return PASS


@rule(
    "told_passive",
    stage="content",
    example="She had been diagnosed and told she had months to live.",
)
def told_passive(verb: Token, offset: int) -> Verdict:
    """ "had been diagnosed and told he had ...": a "told" conjoined to a passive verb, with
    no subject or object of its own, is passive too; he was told."""
    if (
        verb.dep_ == "conj"
        and verb.lemma_.lower() == "tell"
        and verb.tag_ in {"VBN", "VBD"}
        and any(c.dep_ == "auxpass" for c in verb.head.children)
        and not any(c.dep_ in _SUBJECT_DEPS | {"dobj", "dative"} for c in verb.children)
    ):
        return None
    return PASS
