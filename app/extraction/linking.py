"""The builder's working records: a quote being linked to its cue and speaker, and the
attribution it rests on (the rules in app/extraction/rules make and revise them)."""

from __future__ import annotations

from dataclasses import dataclass

from app.extraction.attribution import Cue
from app.extraction.quotes import MarkedQuote
from app.extraction.rules import confidence
from app.extraction.speakers import Mention
from app.extraction.types import QuoteKind

UNRESOLVED = 0.2
"""The confidence of an attribution no rule could resolve."""
INHERITED_CAP = 0.6
"""A continuation is at most this sure of the speaker it keeps."""


@dataclass(slots=True)
class Attribution:
    """Who a quote is attributed to and on what evidence."""

    entity: int | None
    mention: Mention | None
    cue: Cue | None
    confidence: float
    rule: str | None = None
    """The rule that chose `entity` (QuoteSpan.speaker_rule)."""


@dataclass(slots=True)
class LinkedQuote:
    start: int
    end: int
    kind: QuoteKind
    attribution: Attribution
    paragraph: int
    marked: MarkedQuote | None = None
    inherit: LinkedQuote | None = None
    """A continuation: the earlier quote whose speaker this one keeps."""
    aside: bool = False
    """Quoted in a subordinate clause ("Although Lee said ..."), or going on from such a quote."""
    rule: str = ""
    """The rule that made the quote's span (QuoteSpan.rule)."""


def found(
    entity: int, mention: Mention | None, rule_id: str, situation: str | None = None
) -> Attribution:
    """The attribution a rule chose, with the rule's confidence and its stamp."""
    return Attribution(entity, mention, None, confidence(rule_id, situation), rule_id)


def unresolved(mention: Mention | None) -> Attribution:
    """No speaker for a mention (or for no mention)."""
    return Attribution(None, mention, None, UNRESOLVED)
