"""Stage "mention": the speaker mention a subject token heads, decided by ordered sieves.

A cue's subject ("the British aid group Harbor Relief", "a doctor, Hugh Hill,", "he",
"Those close to him") is read by the sieves in MENTION_ORDER; the first that decides wins,
with a mention or with "no speaker" (an impersonal pronoun); a sieve that does not apply
passes, and a switched-off sieve is skipped. The entity sieve decides whenever the token
lies in a usable named entity, so the sieves after it read what NER missed.
"""

from __future__ import annotations

from typing import cast

from spacy.tokens import Token

from app.extraction.rules import fired, implementations, switched_off
from app.extraction.rules.content.sieve import PASS
from app.extraction.rules.mention import heads, named, nominal
from app.extraction.rules.mention.subject import MentionSieve, Subject
from app.extraction.speakers import Mention

MENTION_ORDER = (
    "dateline_appositive",
    "quantified_group",
    "pronoun_mention",
    "coordinated_body_name",
    "titled_name_of",
    "place_modified_group",
    "entity_name",
    "organisation_beside",
    "appositive_name",
    "organisation_appositive",
    "appositive_proper_noun",
    "description_beside_name",
    "document_author_mention",
    "compound_person",
    "untagged_name",
    "verb_tagged_name",
    "nominal_mention",
)
"""The order in which the mention sieves read a subject token."""

_MODULES = (heads, named, nominal)  # declare the rules above
_SIEVES = tuple((rule_id, cast(MentionSieve, f)) for rule_id, f in implementations(MENTION_ORDER))


def mention_of(token: Token, offset: int) -> Mention | None:
    """The speaker mention headed by a subject token, or None (the rules switched off by
    extract(..., disabled=...) are skipped)."""
    return decide_mention(token, offset, switched_off())[1]


def decide_mention(
    token: Token, offset: int, disabled: frozenset[str] = frozenset()
) -> tuple[str | None, Mention | None]:
    """The sieve that read a subject token (None if none did) and the mention it read."""
    subject = Subject.of(token, offset)
    for rule_id, sieve in _SIEVES:
        if rule_id in disabled:
            continue
        verdict = sieve(subject)
        if verdict is not PASS:
            fired(rule_id)
            return rule_id, verdict
    return None, None
