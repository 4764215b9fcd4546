"""Resolve rules for descriptions of organisations: the one named or quoted before."""

from __future__ import annotations

import re

from app.extraction.lexicon import GENERIC_INSTITUTIONS, POSSESSIVE_DETERMINERS
from app.extraction.linking import Attribution, found
from app.extraction.rules import rule
from app.extraction.rules.resolve.context import Lookup
from app.extraction.speakers import DOCUMENT_NOUNS, PERSON_NOUNS, TITLE_WORDS, strip_determiner


def _organisation_like(lookup: Lookup) -> bool:
    """'the union', 'the Calgary-based railway': a definite description that may stand for
    an organisation named before; not an institution every story has ('the government')."""
    d = lookup.description
    org_like = d.kind == "organisation" or (d.kind == "unknown" and not d.plural)
    return (
        d.definite
        and org_like
        and d.head not in GENERIC_INSTITUTIONS
        and d.head not in DOCUMENT_NOUNS
    )


def _recent(lookup: Lookup) -> bool:
    """Only a known organisation noun may stand for the one named last: 'the commissioner'
    or 'the firestorm' is no organisation, and 'her office' is hers, as 'the mayor's office'
    is the mayor's (not the newspaper named last)."""
    d = lookup.description
    return (
        d.kind == "organisation"
        and d.words[0] not in POSSESSIVE_DETERMINERS
        and not any(_person_possessor(w) for w in d.words[:-1])
    )


def _person_possessor(word: str) -> bool:
    """ "mayor's", "premier's", "minister's": a person's post as possessor."""
    stem = re.sub(r"['\u2019]s?$", "", word)
    return stem != word and (stem in PERSON_NOUNS or stem in TITLE_WORDS)


@rule(
    "earlier_description",
    stage="resolve",
    confidence=0.7,
    example="Ukraine's air force said ... The air force said ...",
)
def earlier_description(lookup: Lookup) -> Attribution | None:
    """'the air force' after "Ukraine's air force": a speaker described before whose
    description ends with the same two or more words."""
    d = lookup.description
    if d.words in (["police"], ["the", "police"]):
        # "Ottawa police say ... police said": one force, written bare the second time.
        entity = lookup.book.described_before("police", one_word=True)
    elif d.definite and d.words[0] == "the":
        entity = lookup.book.described_before(strip_determiner(lookup.mention.text))
    else:
        return None
    return found(entity, lookup.mention, "earlier_description") if entity is not None else None


@rule(
    "organisation_by_modifier",
    stage="resolve",
    confidence=0.65,
    example="Acme Railway ... The railway company said ...",
)
def organisation_by_modifier(lookup: Lookup) -> Attribution | None:
    """'the railway company': the organisation whose name says 'Railway'."""
    if not _organisation_like(lookup) or lookup.description.kind != "organisation":
        return None
    for modifier in lookup.builder._noun_modifiers(lookup.mention):
        name = lookup.book.described_organisation(lookup.mention.start, modifier, recent=False)
        if name is not None:
            return found(lookup.new_group(name), lookup.mention, "organisation_by_modifier")
    return None


@rule(
    "organisation_quoted_last",
    stage="resolve",
    confidence=0.65,
    example="IRCC said ... The department added ...",
)
def organisation_quoted_last(lookup: Lookup) -> Attribution | None:
    """'the department': the organisation just quoted, when its noun fits."""
    if not _organisation_like(lookup) or not _recent(lookup):
        return None
    head = lookup.description.head
    speaker = lookup.builder._organisation_quoted_last(lookup.mention.start, head)
    if speaker is None:
        return None
    return found(speaker, lookup.mention, "organisation_quoted_last")


@rule(
    "described_organisation",
    stage="resolve",
    confidence=0.65,
    example="Unifor represents the workers. The union said ...",
)
def described_organisation(lookup: Lookup) -> Attribution | None:
    """'the union': the organisation named before whose name or kind fits the noun."""
    if not _organisation_like(lookup):
        return None
    head = lookup.description.head
    name = lookup.book.described_organisation(lookup.mention.start, head, recent=_recent(lookup))
    if name is None:
        return None
    return found(lookup.new_group(name), lookup.mention, "described_organisation")
