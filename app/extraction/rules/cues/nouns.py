"""Cue rules on nouns: "her claim that ...", "His verdict: ..."."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.attribution import (
    _RELATIVE,
    _SUBJECT_DEPS,
    REPORTING_VERBS,
    Cue,
    _span_chars,
    _subject,
    _without_participle_cues,
)
from app.extraction.rules import rule
from app.extraction.speakers import mention_for

# Nouns of statements and beliefs whose that-clause is the content ("his claim that the vote
# was rigged"), and those whose infinitive is ("her promise to cut taxes").
SPEECH_NOUNS = {
    "claim",
    "charge",
    "allegation",
    "accusation",
    "assertion",
    "contention",
    "argument",
    "insistence",
    "suggestion",
    "warning",
    "belief",
    "view",
    "conviction",
    "assurance",
    "admission",
    "prediction",
    "announcement",
    "statement",
    "promise",
    "pledge",
    "vow",
}
PROMISE_NOUNS = {"promise", "pledge", "vow", "call", "demand", "threat", "proposal"}
# Verbs through which a subject voices a claim it is the object of ("made the argument").
_VOICING_VERBS = {
    "make",
    "repeat",
    "reiterate",
    "renew",
    "voice",
    "express",
    "issue",
    "level",
    "raise",
    "advance",
    "offer",
    "press",
    "push",
    "stand",
}


@rule("speech_noun", stage="cue", example="Her claim that the vote was rigged drew scorn.")
def speech_noun(noun: Token, offset: int, paragraph: int) -> Cue | None:
    """A statement noun with its content clause: "Smith's claim that ...", "made the argument
    that ...", "his pledge to ...". The speaker is the possessor, or the subject of the verb
    that voices the noun; without one there is no attribution."""
    lemma = noun.lemma_.lower()
    clause = next(
        (
            c
            for c in noun.rights
            if c.dep_ == "acl"
            and c.pos_ in {"VERB", "AUX"}
            and (
                (
                    any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                    and any(m.dep_ in _SUBJECT_DEPS | {"expl"} for m in c.children)
                )
                or (lemma in PROMISE_NOUNS and any(a.tag_ == "TO" for a in c.lefts))
            )
        ),
        None,
    )
    if clause is None:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None and noun.dep_ == "dobj":
        verb = noun.head
        if verb.lemma_.lower() in _VOICING_VERBS | REPORTING_VERBS:
            owner = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if owner is None or owner.lower_ in _RELATIVE:
        return None
    content = _span_chars(_without_participle_cues(clause), offset)
    if content is None:
        return None
    return Cue(
        offset + noun.idx,
        offset + noun.idx + len(noun.text),
        noun.text,
        lemma,
        paragraph,
        mention_for(owner, offset),
        offset + min(owner.left_edge.idx, noun.idx),
        content=content,
        needs_clause=True,
    )


@rule("label_colon", stage="cue", example="His verdict: the plan is dead.")
def label_colon(noun: Token, offset: int, paragraph: int) -> Cue | None:
    """Words after "X made the following comment:" are X's."""
    if not any(c.lower_ == "following" and c.dep_ in {"amod", "compound"} for c in noun.lefts):
        return None
    if noun.dep_ != "dobj" or noun.head.pos_ != "VERB":
        return None
    subject = _subject(noun.head)
    if subject is None:
        return None
    return Cue(
        offset + noun.idx,
        offset + noun.idx + len(noun.text),
        noun.text,
        noun.lemma_.lower(),
        paragraph,
        mention_for(subject, offset),
        offset + min(subject.left_edge.idx, noun.idx),
    )
