"""Mention sieves for descriptions: a document that speaks for its author, and the noun
phrase itself."""

from __future__ import annotations

from app.extraction.rules import rule
from app.extraction.rules.content.sieve import PASS
from app.extraction.rules.mention.subject import MentionVerdict, Subject
from app.extraction.speakers import (
    DOCUMENT_NOUNS,
    Mention,
    _document_author,
    mention_for,
    noun_phrase,
)


@rule(
    "document_author_mention",
    stage="mention",
    example="A statement from the ministry said the talks had failed.",
)
def document_author_mention(subject: Subject) -> MentionVerdict:
    """ "A statement from the EU", "her statement": a document speaks for its author."""
    token = subject.token
    if token.lemma_.lower() not in DOCUMENT_NOUNS:
        return PASS
    author = _document_author(token)
    if author is None:
        return PASS
    return mention_for(author, subject.offset)


@rule(
    "nominal_mention",
    stage="mention",
    example="The rookie defenceman said the team would recover.",
)
def nominal_mention(subject: Subject) -> MentionVerdict:
    """A noun phrase with no name is a description ("the rookie defenceman"); a subject that
    is no noun is no speaker."""
    token = subject.token
    if token.pos_ not in {"NOUN", "PROPN"}:
        return None
    phrase = noun_phrase(token)
    # "a decision trustees said would save ...": "a" cannot go with a plural; the singular
    # noun before it is the antecedent of a relative clause the parser ran in, not a modifier.
    if (
        token.tag_ == "NNS"
        and phrase[0].lower_ in {"a", "an"}
        and token.i > 0
        and token.doc[token.i - 1].tag_ == "NN"
        and token.doc[token.i - 1].dep_ == "compound"
    ):
        phrase = token.doc[token.i : phrase.end]
    start = subject.offset + phrase.start_char
    return Mention(start, start + len(phrase.text), phrase.text, "nominal", token.lemma_.lower())


@rule(
    "place_modified_group",
    stage="mention",
    example="Ontario nurses say the staffing crisis is worse than the province admits.",
)
def place_modified_group(subject: Subject) -> MentionVerdict:
    """ "Ontario nurses say ...": a headline's proper noun the parser made the subject, with
    the plural noun right after it in apposition, is a modifier of a group, not a person's
    name with a role; the group is the speaker."""
    token = subject.token
    if token.pos_ != "PROPN" or token.ent_type_ in {"PERSON", "ORG"}:
        return PASS
    group = next(
        (
            c
            for c in token.rights
            if c.dep_ == "appos" and c.i == token.i + 1 and c.tag_ == "NNS" and c.pos_ == "NOUN"
        ),
        None,
    )
    if group is None or not token.whitespace_:
        return PASS
    phrase = token.doc[noun_phrase(token).start : group.i + 1]
    start = subject.offset + phrase.start_char
    return Mention(start, start + len(phrase.text), phrase.text, "nominal", group.lemma_.lower())
