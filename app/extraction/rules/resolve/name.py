"""Resolve rules for names: a person of the speaker book, or an organisation."""

from __future__ import annotations

from app.extraction.linking import Attribution, found
from app.extraction.rules import rule
from app.extraction.rules.resolve.context import Lookup


@rule(
    "person_name",
    stage="resolve",
    confidence=0.9,
    example="Jane Doe said the talks had failed.",
)
def person_name(lookup: Lookup) -> Attribution | None:
    """A person's name (NER's PERSON, or a proper noun): that person in the speaker book,
    added when new, with the role the mention gives."""
    mention, book = lookup.mention, lookup.book
    if mention.label not in {"PERSON", "PROPN"}:
        return None
    entity = book.lookup(mention.text, mention.start)
    if entity is None:
        entity = book.add_name(mention.text, mention.start, subject=True)
    if entity is None:
        return None
    book.add_role(entity, mention.role, mention.start)
    return found(entity, mention, "person_name")


@rule(
    "known_person",
    stage="resolve",
    confidence=0.85,
    example="Jane Doe arrived. Doe (tagged GPE) said the talks had failed.",
)
def known_person(lookup: Lookup) -> Attribution | None:
    """NER calls some surnames places or organisations: a known person's name wins."""
    entity = lookup.book.known_person(lookup.mention.text)
    return found(entity, lookup.mention, "known_person") if entity is not None else None


@rule(
    "organisation_name",
    stage="resolve",
    confidence=0.85,
    example="Immigration Canada (IRCC) ... IRCC said the rules would change.",
)
def organisation_name(lookup: Lookup) -> Attribution:
    """Any other name is an organisation's, an acronym spelled out where the article does
    ("IRCC" after "Immigration, Refugees and Citizenship Canada (IRCC)")."""
    mention, book = lookup.mention, lookup.book
    name = (
        book.expand_acronym(mention.text, mention.start)
        or lookup.builder._acronym_definition(mention.text, mention.start)
        or mention.text
    )
    group = book.add_group(name, "organisation", alias=mention.text, named=True)
    lookup.builder.groups.append((mention.start, group))
    return found(group, mention, "organisation_name")
