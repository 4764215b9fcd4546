"""Stage "cue": the reporting verbs, speech nouns and phrases of a paragraph, each with its
speaker mention and reported content, and the rule that found it.

Each token goes to the first rule whose trigger it matches, in CUE_ORDER; some rules keep
the token even when they find no cue (an "according to" that is no attribution is nothing
else either), others let it go on to the next. The headline rule reads the first paragraph
as a whole when no other rule found a clause there.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from app.extraction.attribution import (
    INFINITIVE_VERBS,
    JUDGING_VERBS,
    NAMING_VERBS,
    OBJECT_VERBS,
    Cue,
    _infinitive,
)
from app.extraction.rules import fired
from app.extraction.rules.cues.according_to import according_to
from app.extraction.rules.cues.as_put_it import as_put_it
from app.extraction.rules.cues.headline import headline_cue
from app.extraction.rules.cues.in_evidence import in_evidence
from app.extraction.rules.cues.nouns import PROMISE_NOUNS, SPEECH_NOUNS, label_colon, speech_noun
from app.extraction.rules.cues.objects import (
    call_for,
    naming_verb,
    object_verb,
    predicating,
    speak_of,
)
from app.extraction.rules.cues.verbs import verb_cue

CUE_ORDER = (
    "according_to",
    "as_put_it",
    "in_evidence",
    "label_colon",
    "speech_noun",
    "object_verb",
    "speak_of",
    "call_for",
    "predicating",
    "naming_verb",
    "request_verb",
    "goes_on_speaking",
    "finding",
    "question_verb",
    "reporting_verb",
    "headline",
)
"""The order in which find_cues tries the cue rules on a token (headline: per paragraph)."""


def find_cues(
    doc: Doc, offset: int, paragraph: int, disabled: frozenset[str] = frozenset()
) -> list[Cue]:
    """Every cue in a paragraph, with its speaker mention and content clause.

    `disabled` holds the ids of cue rules to switch off: they find nothing.
    """
    cues: list[Cue] = []

    def keep(cue: Cue | None, rule_id: str) -> Cue | None:
        if cue is None:
            return None
        fired(rule_id)
        if rule_id in disabled:
            return None
        cues.append(replace(cue, rule=rule_id))
        return cue

    for token in doc:
        lemma = token.lemma_.lower()
        following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
        if token.lower_ == "according" and following == "to":
            keep(according_to(token, offset, paragraph), "according_to")
            continue
        if lemma == "put" and token.pos_ == "VERB":
            keep(as_put_it(token, offset, paragraph), "as_put_it")
            continue
        if token.lower_ == "in":
            keep(in_evidence(token, offset, paragraph), "in_evidence")
            continue
        colon = token.i + 1 < len(doc) and doc[token.i + 1].text == ":"
        if (
            token.pos_ == "NOUN"
            and colon
            and keep(label_colon(token, offset, paragraph), "label_colon") is not None
        ):
            continue
        if token.pos_ == "NOUN" and lemma in SPEECH_NOUNS | PROMISE_NOUNS:
            keep(speech_noun(token, offset, paragraph), "speech_noun")
            continue
        if lemma in OBJECT_VERBS and token.pos_ == "VERB":
            keep(object_verb(token, offset, paragraph), "object_verb")
            continue
        # "called on X to resign" is a request; "called it a disgrace" names.
        requests = lemma in INFINITIVE_VERBS and token.pos_ == "VERB"
        requests = requests and _infinitive(token, offset) is not None
        if requests:
            fired("request_verb")
        requests = requests and "request_verb" not in disabled
        if (
            lemma == "speak"
            and token.pos_ == "VERB"
            and keep(speak_of(token, offset, paragraph), "speak_of") is not None
        ):
            continue
        calls = lemma == "call" and token.pos_ == "VERB" and not requests
        if calls and keep(call_for(token, offset, paragraph), "call_for") is not None:
            continue
        if lemma in JUDGING_VERBS and token.pos_ == "VERB" and not requests:
            if keep(predicating(token, offset, paragraph), "predicating") is not None:
                continue
            if lemma in NAMING_VERBS:
                keep(naming_verb(token, offset, paragraph), "naming_verb")
                continue
        cue = verb_cue(doc, token, lemma, offset, paragraph, requests, disabled)
        if cue is not None:
            cues.append(cue)
    if paragraph == 0 and not any(c.content for c in cues):
        keep(headline_cue(doc, offset, paragraph), "headline")
    return cues
