"""Resolve rules for pronouns: he/she to a person, they/it to a group."""

from __future__ import annotations

from app.extraction.linking import Attribution, found, unresolved
from app.extraction.rules import rule
from app.extraction.rules.resolve.context import Lookup
from app.extraction.speakers import FEMALE_PRONOUNS, MALE_PRONOUNS, PERSON_NOUNS, proper_name
from app.extraction.types import SpeakerKind


def _he_or_she(lookup: Lookup) -> bool:
    word = lookup.mention.text.lower()
    return word in MALE_PRONOUNS or word in FEMALE_PRONOUNS


@rule(
    "pronoun_rival",
    stage="resolve",
    confidence=0.45,
    example="Ann met Beth on Monday. She said the deal was done.",
)
def pronoun_rival(lookup: Lookup) -> Attribution | None:
    """Two people the pronoun fits in one paragraph: the nearer, with low confidence."""
    if not _he_or_she(lookup) or lookup.antecedent is None:
        return None
    builder, mention = lookup.builder, lookup.mention
    paragraph = builder._paragraph_at(mention.start)
    since = builder.paragraphs[paragraph].start if paragraph is not None else 0
    word = mention.text.lower()
    if lookup.book.rival(lookup.antecedent, word, since, mention.start):
        return found(lookup.antecedent, mention, "pronoun_rival")
    return None


@rule(
    "pronoun_antecedent",
    stage="resolve",
    confidence=0.8,
    also={"gender_unknown": 0.7},
    example="Jane Doe arrived. She said the talks had failed.",
)
def pronoun_antecedent(lookup: Lookup) -> Attribution | None:
    """he/she: the antecedent the speaker book ranks first (less sure when the person's
    gender is unknown); none found, nobody."""
    if not _he_or_she(lookup):
        return None
    entity = lookup.antecedent
    if entity is None:
        return unresolved(lookup.mention)
    known = lookup.book.entities[entity].gender is not None
    situation = None if known else "gender_unknown"
    return found(entity, lookup.mention, "pronoun_antecedent", situation)


@rule(
    "plural_they",
    stage="resolve",
    confidence=0.5,
    example="The nurses walked out. They said pay was too low.",
)
def plural_they(lookup: Lookup) -> Attribution | None:
    """they (or "them", made to say something: "prompted them to say"): the plural subject
    just before, as a group."""
    if lookup.word not in {"they", "them"}:
        return None
    antecedent = lookup.builder._plural_subject(lookup.mention.start)
    if antecedent is None:
        return None
    kind: SpeakerKind = "person" if antecedent[1] in PERSON_NOUNS else "unknown"
    group = lookup.book.add_group(antecedent[0], kind, named=proper_name(antecedent[0]))
    return found(group, lookup.mention, "plural_they")


@rule(
    "recent_group",
    stage="resolve",
    confidence=0.55,
    example="The union met on Friday. It said talks had failed.",
)
def recent_group(lookup: Lookup) -> Attribution | None:
    """it/they: the organisation or group last seen speaking, within 2,500 characters."""
    if lookup.word not in {"they", "them", "it"}:
        return None
    start = lookup.mention.start
    for position, group in reversed(lookup.builder.groups):
        if position < start and start - position < 2500:
            return found(group, lookup.mention, "recent_group")
    return None
