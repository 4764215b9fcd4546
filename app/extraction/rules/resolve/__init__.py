"""Stage "resolve": the speaker a cue's mention stands for, decided by ordered sieves.

Each kind of mention has one order; the first rule that decides (returns an attribution)
wins, and a switched-off rule is skipped. No rule deciding leaves the quote without a
speaker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from app.extraction.linking import Attribution, unresolved
from app.extraction.rules import fired, implementations
from app.extraction.rules.resolve import (
    antecedent,
    description,
    document,
    name,
    organisation,
    pronoun,
)
from app.extraction.rules.resolve.context import Lookup, Sieve
from app.extraction.speakers import Mention

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder

PRONOUN_ORDER = ("pronoun_rival", "pronoun_antecedent", "plural_they", "recent_group")
NAME_ORDER = ("lone_word_body", "person_name", "known_person", "organisation_name")
DESCRIPTION_ORDER = (
    "known_person_description",
    "earlier_description",
    "issuer_noun",
    "document_author",
    "research_affiliation",
    "document_issuer",
    "statement_issuer",
    "described_person",
    "headline_title",
    "lead_title",
    "organisation_by_modifier",
    "organisation_quoted_last",
    "described_organisation",
    "new_description",
)
_MODULES = (
    pronoun,
    antecedent,
    name,
    document,
    description,
    organisation,
)  # declare the rules above


def _sieves(order: tuple[str, ...]) -> tuple[tuple[str, Sieve], ...]:
    return tuple((rule_id, cast(Sieve, f)) for rule_id, f in implementations(order))


_BY_KIND = {
    "pronoun": _sieves(PRONOUN_ORDER),
    "name": _sieves(NAME_ORDER),
    "nominal": _sieves(DESCRIPTION_ORDER),
}


def resolve_mention(
    builder: ArticleBuilder,
    mention: Mention | None,
    content: tuple[int, int] | None,
    disabled: frozenset[str],
) -> Attribution:
    """The speaker `mention` stands for; `content` is the span it is said to say (a person
    named inside their own report is not its speaker)."""
    if mention is None:
        return unresolved(None)
    lookup = Lookup(builder, mention, content)
    for rule_id, sieve in _BY_KIND[mention.kind]:
        if rule_id in disabled:
            continue
        decided = sieve(lookup)
        if decided is not None:
            fired(rule_id)
            return decided
    return unresolved(mention)
