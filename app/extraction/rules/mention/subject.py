"""What the mention sieves read: the subject token, and the named entity it lies in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Span, Token

from app.extraction.lexicon import NAME_LABELS
from app.extraction.rules.content.sieve import Undecided
from app.extraction.speakers import Mention, _appositive_name, entity_of


@dataclass(frozen=True, slots=True)
class Subject:
    """A subject token, its paragraph's offset and the usable entity it lies in."""

    token: Token
    offset: int
    ent: Span | None
    """The named entity the token lies in, unless it only describes ("the Kentucky
    Republican"), has a label no speaker has, or is all lower case."""
    described: bool
    """A NORP entity used as a description ("the Kentucky Republican", "One Democrat,
    Sen. Jane Doe,")."""

    @classmethod
    def of(cls, token: Token, offset: int) -> Subject:
        ent = entity_of(token)
        described = ent is not None and ent.label_ == "NORP"
        described = described and (
            any(c.dep_ == "det" for c in token.children) or _appositive_name(token) is not None
        )
        if described:
            # "the Kentucky Republican" describes a person, it does not name one; nor does
            # "One Democrat, Sen. Jane Doe," where the name beside it is the speaker.
            ent = None
        if ent is not None and ent.label_ not in NAME_LABELS:
            ent = None  # "Vancouver's Bo Horvat" tagged WORK_OF_ART: read the phrase instead
        if ent is not None and not any(t.text[:1].isupper() for t in ent if t.dep_ != "det"):
            ent = None  # "the rookie defenceman" tagged ORG: a description, not a name
        return cls(token, offset, ent, described)


MentionVerdict = Mention | None | Literal[Undecided.PASS]
"""The mention, None when the subject is no speaker, PASS when the sieve does not apply."""

MentionSieve = Callable[[Subject], MentionVerdict]
