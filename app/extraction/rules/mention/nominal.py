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
