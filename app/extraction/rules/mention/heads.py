"""Mention sieves for subjects that are no name: a dateline, a quantified group, a pronoun."""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Token

from app.extraction.rules import rule
from app.extraction.rules.content.sieve import PASS
from app.extraction.rules.mention.subject import MentionVerdict, Subject
from app.extraction.speakers import (
    _POSSESSIVE_PRONOUNS,
    _QUANTIFIED_GROUPS,
    OBJECT_PRONOUNS,
    SPEAKER_PRONOUNS,
    Mention,
    mention_for,
)


@rule(
    "dateline_appositive",
    stage="mention",
    example="WASHINGTON -- President Jane Doe, speaking at a rally, said the deal was done.",
)
def dateline_appositive(subject: Subject) -> MentionVerdict:
    """A dateline the parser made the subject ("WASHINGTON -- President Jane Doe, ...
    said"): the appositive after it is the speaker."""
    token = subject.token
    doc = token.doc
    if (
        token.text.isupper()
        and len(token.text) > 2
        and token.i + 1 < len(doc)
        and doc[token.i + 1].text in {"--", "\u2014", "\u2013"}
    ):
        dated = next((c for c in token.children if c.dep_ == "appos"), None)
        if dated is not None:
            return mention_for(dated, subject.offset)
    return PASS


@rule(
    "quantified_group",
    stage="mention",
    example="Those close to the mayor say she will not run again.",
)
def quantified_group(subject: Subject) -> MentionVerdict:
    """ "Those close to him say ...", "many of whom say ...": a group described by the
    phrase; "one of them said", "two of the nurses said": the members counted."""
    token = subject.token
    # "One of them said", "two of the workers said": a count of a group, one of its members.
    counted = (token.like_num or token.lower_ in {"each", "none"}) and any(
        c.dep_ == "prep" and c.lower_ == "of" for c in token.children
    )
    if (
        (token.lower_ in _QUANTIFIED_GROUPS or counted)
        and token.left_edge.i == token.i
        and (token.lower_ == "others" or any(c.dep_ in {"prep", "amod"} for c in token.children))
    ):
        named = _one_named_included(token)
        if named is not None:
            # "Others, including law professor Errol Mendes, said": the one person named
            # speaks for the group.
            return mention_for(named, subject.offset)
        end = token.right_edge.i
        while end > token.i and token.doc[end].is_punct:
            end -= 1  # "Others, including ...," without the comma after the group
        if counted:
            if any(c.dep_ == "appos" for c in token.children):
                return PASS  # "one of the family's lawyers, Jo Bam,": the name speaks
            of = next(c for c in token.children if c.dep_ == "prep" and c.lower_ == "of")
            end = of.right_edge.i  # "one of them, happily,": the count and its group
        phrase = token.doc[token.i : end + 1]
        start = subject.offset + phrase.start_char
        return Mention(start, start + len(phrase.text), phrase.text, "nominal", token.lower_)
    return PASS


def _one_named_included(token: Token) -> Token | None:
    """The one person an "including" phrase names ("Others, including Errol Mendes,")."""
    including = next(
        (c for c in token.rights if c.dep_ == "prep" and c.lower_ == "including"), None
    )
    if including is None:
        return None
    names = [c for c in including.children if c.dep_ == "pobj"]
    if len(names) != 1 or names[0].ent_type_ != "PERSON":
        return None
    if any(c.dep_ in {"conj", "cc"} for c in names[0].children):
        return None  # "including X and Y": the group speaks
    return names[0]


@rule("pronoun_mention", stage="mention", example="She said the vote would be close.")
def pronoun_mention(subject: Subject) -> MentionVerdict:
    """A speaker pronoun ("he", "they", "its") is a pronoun mention; any other pronoun
    ("this", "one") is no speaker."""
    token = subject.token
    if token.pos_ == "PRON" and _name_tagged_pronoun(token):
        # "Prather said ...": the tagger took a surname for a pronoun; it is a name.
        start = subject.offset + token.idx
        return Mention(start, start + len(token.text), token.text, "name", "PROPN")
    if token.pos_ == "PRON" or token.lower_ in SPEAKER_PRONOUNS:
        if (
            token.lower_ in SPEAKER_PRONOUNS
            or (token.dep_ == "poss" and token.lower_ in _POSSESSIVE_PRONOUNS)
            # The object a verb makes speak: "urged him to say", "prompted them to say".
            or (token.dep_ == "dobj" and token.lower_ in OBJECT_PRONOUNS)
        ):
            start = subject.offset + token.idx
            return Mention(start, start + len(token.text), token.text, "pronoun")
        return None
    return PASS


def _name_tagged_pronoun(token: Token) -> bool:
    """A capitalised word the tagger called a pronoun that no pronoun is (spaCy's stop words
    hold every English pronoun)."""
    return (
        token.is_alpha
        and token.is_title
        and len(token.text) > 2
        and token.lower_ not in STOP_WORDS
        and not token.ent_type_
    )
