"""Stage "names": the people and organisations each paragraph names, for the speaker book.

Before any cue is read, every token of a paragraph is offered to the sieves in NAMES_ORDER,
in text order; the first that decides on a token ends its turn (a name registered, or a
token set aside), a sieve that does not apply passes, and a switched-off sieve is skipped.
What they build is what later stages resolve against: the people named (with roles and
where each was a subject), the organisations named outside quotation marks (for "the
union", acronyms and "it"), and gender votes from the pronouns that follow a name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from spacy.tokens import Doc, Token

from app.extraction.rules import fired, implementations, switched_off
from app.extraction.rules.names import genders, people
from app.extraction.rules.names.scan import NameScan, NameSieve
from app.extraction.speakers import FEMALE_PRONOUNS, MALE_PRONOUNS, SpeakerBook

NAMES_ORDER = (
    "group_tagged_person",
    "person_entity",
    "titled_untagged_name",
    "titled_mistagged_name",
    "evidenced_mistagged_person",
    "appositive_untagged_name",
    "described_name",
    "known_person_slip",
    "surname_of_mistagged_person",
    "known_surname_untagged",
    "organisation_noted",
    "subject_pronoun_vote",
    "next_pronoun_vote",
)
"""The order in which the names sieves read each token."""

_MODULES = (people, genders)  # declare the rules above
_GENDERED = MALE_PRONOUNS | FEMALE_PRONOUNS
_SIEVES = tuple((rule_id, cast(NameSieve, f)) for rule_id, f in implementations(NAMES_ORDER))


def collect_names(book: SpeakerBook, doc: Doc, offset: int, quoted: list[tuple[int, int]]) -> None:
    """Register the names of one paragraph (`doc`, starting at `offset` in the article) in
    `book`; `quoted` are the article's quotation-mark spans (what is named only inside
    someone's quoted words is no antecedent). Switched-off rules are skipped."""
    decide_names(book, doc, offset, quoted, switched_off())


def decide_names(
    book: SpeakerBook,
    doc: Doc,
    offset: int,
    quoted: list[tuple[int, int]],
    disabled: frozenset[str] = frozenset(),
) -> list[tuple[str, Token]]:
    """`collect_names`, saying which sieve decided on which token, in text order."""
    sieves = [(rule_id, sieve) for rule_id, sieve in _SIEVES if rule_id not in disabled]
    scan = NameScan(book, offset, quoted)
    decided: list[tuple[str, Token]] = []
    ents = iter(doc.ents)
    ent = next(ents, None)
    for sentence, token in _by_sentence(doc):
        while ent is not None and ent.end <= token.i:
            ent = next(ents, None)
        entity = ent if ent is not None and ent.start == token.i else None
        if entity is None and token.pos_ != "PROPN" and token.lower_ not in _GENDERED:
            continue  # every sieve reads an entity, a proper noun or a he/she: none decides
        scan.at(token, sentence, entity)
        for rule_id, sieve in sieves:
            if sieve(scan):
                fired(rule_id)
                decided.append((rule_id, token))
                break
    return decided


def _by_sentence(doc: Doc) -> Iterator[tuple[int, Token]]:
    """Every token of a Doc in order, with the number of its sentence (`token.sent` would
    build a new Span, a scan of the sentence, for every token)."""
    for index, sentence in enumerate(doc.sents):
        for token in sentence:
            yield index, token
