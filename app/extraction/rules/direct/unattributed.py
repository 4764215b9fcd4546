"""Direct rules for quotations nobody is named as saying, kept as quotes all the same."""

from __future__ import annotations

from app.extraction.linking import Attribution
from app.extraction.rules import confidence, rule
from app.extraction.rules.direct.candidate import Candidate, Decision


@rule(
    "unattributed_speech",
    stage="direct",
    confidence=0.4,
    also={"no_pronoun": 0.1},
    example='She listed allies for "speaking against these detentions, one by one."',
)
def unattributed_speech(c: Candidate) -> Decision:
    """A sentence of eight words or more in double marks with no cue reads as speech: a
    quote, the he/she the sentence is about its speaker. Shorter ones are titles or scare
    quotes."""
    q = c.q
    inner = c.text[q.start : q.end].rstrip()
    if q.single or c.words < 8 or not inner.endswith((".", "?", "!", ",", "\u2026")):
        return None
    pronoun = c.builder._sentence_pronoun(q)
    situation = None if pronoun else "no_pronoun"
    attribution = Attribution(None, pronoun, None, confidence("unattributed_speech", situation))
    return c.made(attribution, "unattributed_speech")
