"""Resolve rules for names: a person of the speaker book, or an organisation."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from app.extraction.linking import Attribution, found
from app.extraction.rules import rule
from app.extraction.rules.resolve.context import Lookup
from app.extraction.speakers import Mention, SpeakerBook, given_name


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
    "lone_word_body",
    stage="resolve",
    confidence=0.85,
    example="Vantrex said it had received no reports of harm. The company said ...",
)
def lone_word_body(lookup: Lookup) -> Attribution | None:
    """A lone capitalised word NER left untagged that the article never gives a first name,
    a title or a he/she is a body's name, not a person's ("Pfizer said it had ..."): an
    organisation, which "the company" may stand for later."""
    if not lone_body_name(lookup.builder.text, lookup.book, lookup.mention):
        return None
    lookup.book.note_organisation(lookup.mention.start, lookup.mention.text)
    return _organisation(lookup, "lone_word_body")


def lone_body_name(text: str, book: SpeakerBook, mention: Mention) -> bool:
    """Whether an untagged one-word name mention reads as a body's (see `lone_word_body`),
    in the article `text` whose names `book` holds."""
    word = mention.text
    if (
        mention.label != "PROPN"
        or mention.role is not None
        or not word.isalpha()
        or not word[:1].isupper()
        or given_name(word)
    ):
        return False
    if book.lookup(word, mention.start) is not None or book.known_person(word) is not None:
        return False
    for seen in re.finditer(rf"([A-Za-z][\w'\u2019-]*\.?)[ \u00a0]+{re.escape(word)}\b", text):
        before = seen[1]
        if before.endswith(("'s", "\u2019s")):
            continue  # "Montreal's STM": whose it is, no given name
        if before[:1].isupper() and before.rstrip(".").lower() not in STOP_WORDS:
            return False  # "Tony Russo", "Sen. Russo", "Mr. Russo": a person
    after = text[mention.end : mention.end + 300]
    sentence = _SENTENCE_END.split(after, maxsplit=1)[0]
    return _GENDERED.search(sentence) is None  # "Russo said he ...": a person


_SENTENCE_END = re.compile(r"[.!?][\"\u201d']?\s|\n")
_GENDERED = re.compile(r"\b(?:he|she|his|her|him|himself|herself)\b", re.IGNORECASE)


@rule(
    "organisation_name",
    stage="resolve",
    confidence=0.85,
    example="Immigration Canada (IRCC) ... IRCC said the rules would change.",
)
def organisation_name(lookup: Lookup) -> Attribution:
    """Any other name is an organisation's, an acronym spelled out where the article does
    ("IRCC" after "Immigration, Refugees and Citizenship Canada (IRCC)")."""
    return _organisation(lookup, "organisation_name")


def _organisation(lookup: Lookup, rule_id: str) -> Attribution:
    mention, book = lookup.mention, lookup.book
    name = (
        book.expand_acronym(mention.text, mention.start)
        or lookup.builder._acronym_definition(mention.text, mention.start)
        or mention.text
    )
    group = book.add_group(name, "organisation", alias=mention.text, named=True)
    lookup.builder.groups.append((mention.start, group))
    return found(group, mention, rule_id)
