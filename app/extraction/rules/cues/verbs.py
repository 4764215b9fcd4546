"""Cue rules on reporting verbs: "said", and the verbs of requests, findings, questions and
going on speaking, each with its speaker (the subject) and its reported clause."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from app.extraction.attribution import (
    _NEEDS_CLAUSE,
    _THIRD_PERSON_CUES,
    REPORTING_VERBS,
    Cue,
    _across_abbreviation,
    _content,
    _document_reads,
    _finding,
    _goes_on_speaking,
    _partitive_relative,
    _split_around_cue,
    _subject,
    relative_subject,
)
from app.extraction.rules import declare, fired, traced
from app.extraction.speakers import PERSON_NOUNS, mention_for

declare(
    "reporting_verb",
    stage="cue",
    example="The minister said the talks would resume.",
    description="A verb of REPORTING_VERBS with its subject as source and clause as content.",
)

declare(
    "request_verb",
    stage="cue",
    example="The mayor urged residents to stay home.",
    description="A verb of request or pledge whose content is an infinitive.",
)

declare(
    "goes_on_speaking",
    stage="cue",
    example='"We will rebuild," she continued.',
    description="'continued' as a verb of speech, and a document that 'reads'.",
)

declare(
    "finding",
    stage="cue",
    example="A new poll shows most voters back the plan.",
    description="'show'/'find' with a study, poll or report as subject.",
)

declare(
    "question_verb",
    stage="cue",
    example="Reporters questioned whether the figures were right.",
    description="'question' as a verb: its clause is a doubt reported.",
)

declare(
    "partitive_relative",
    stage="cue",
    example="The workers, most of whom announced they would strike, met.",
    description="A relative clause of a partitive reports no clause of its own.",
    filter=True,
)


def verb_cue(
    doc: Doc,
    token: Token,
    lemma: str,
    offset: int,
    paragraph: int,
    requests: bool,
    disabled: frozenset[str],
) -> Cue | None:
    """The cue a verb makes, stamped with the rule of its kind: a request's infinitive, going
    on speaking, a finding, a question or a reporting verb."""
    if token.pos_ not in {"VERB", "AUX"}:
        return None
    if token.tag_ == "VBG" and token.dep_ == "amod" and token.head.i > token.i:
        return None  # "hundreds of screaming supporters": a noun's modifier reports nothing
    going_on = lemma in {"continue", "go"} and _goes_on_speaking(token)
    going_on = traced(going_on or _document_reads(token), "goes_on_speaking", disabled)
    finding = traced(_finding(token), "finding", disabled)
    questions = traced(lemma == "question" and token.pos_ == "VERB", "question_verb", disabled)
    if _retorts(token, lemma):
        lemma = "retort"  # "Trudeau shot back that ...": a retort with its clause
    if (
        lemma not in REPORTING_VERBS
        and not questions
        and not requests
        and not going_on
        and not finding
        and token.lower_ not in _THIRD_PERSON_CUES
    ):
        return None
    special = requests or going_on or finding or questions
    if lemma not in REPORTING_VERBS and not special:
        lemma = _THIRD_PERSON_CUES[token.lower_]
    if lemma == "point" and not any(c.lower_ == "out" for c in token.children):
        return None
    if lemma == "add" and _adds_to_something(token):
        return None  # "the findings add to a growing body of evidence": no saying
    # Which rule made the cue: its content's kind first, the plain verb last.
    rule_id = (
        "request_verb"
        if requests
        else "goes_on_speaking"
        if going_on
        else "finding"
        if finding
        else "question_verb"
        if questions
        else "reporting_verb"
    )
    fired(rule_id)
    if rule_id in disabled:
        return None
    subject = _subject(token)
    speaker = mention_for(subject, offset) if subject is not None else None
    clause_start = offset + token.idx
    if subject is not None:
        clause_start = min(clause_start, offset + subject.left_edge.idx)
    content = _content(token, offset, disabled)
    if finding and content is None:
        return None
    if (
        content is not None
        and subject is not None
        and content[0] < offset + subject.idx
        and traced(_partitive_relative(subject), "partitive_relative", disabled)
    ):
        content = None  # "..., most of whom announced": a relative reports no clause
    if content is not None and content[1] > offset + token.idx:
        content = _across_abbreviation(doc, content, offset)
    parts = _split_around_cue(token, content, offset) if content else []
    return Cue(
        offset + token.idx,
        offset + token.idx + len(token.text),
        token.text,
        lemma,
        paragraph,
        speaker,
        clause_start,
        content=parts[0] if parts else None,
        content_after=parts[1] if len(parts) > 1 else None,
        needs_clause=not going_on and (lemma in _NEEDS_CLAUSE or lemma not in REPORTING_VERBS),
        relative=relative_subject(token, offset) if speaker is not None else None,
        rule=rule_id,
    )


# Verbs that, with "back" and a clause, answer a critic: "shot back that", "hit back that".
_RETORTING_VERBS = frozenset({"shoot", "fire", "hit", "push", "snap", "strike"})


def _retorts(token: Token, lemma: str) -> bool:
    """ "shot back that the Conservatives had no plan": a verb of _RETORTING_VERBS with the
    particle "back" and a clause of its own reports that clause, as "retorted" would."""
    return (
        lemma in _RETORTING_VERBS
        and any(c.dep_ in {"prt", "advmod"} and c.lower_ == "back" for c in token.children)
        and any(c.dep_ == "ccomp" for c in token.children)
    )


def _adds_to_something(token: Token) -> bool:
    """'add to X' ("the delay added to the cost", "the findings add to the evidence that
    ...", where the parser may hang the noun's clause on the verb): adding to something, not
    adding a word; "added to reporters that ..." still speaks."""
    to = next((c for c in token.rights if c.dep_ == "prep" and c.lower_ == "to"), None)
    if to is None:
        return False
    target = next((c for c in to.children if c.dep_ == "pobj"), None)
    if target is None or target.pos_ == "PRON" or target.ent_type_ == "PERSON":
        return False
    if target.lemma_.lower() in PERSON_NOUNS | {"reporter", "journalist", "audience"}:
        return False
    return not any(c.dep_ in {"ccomp", "parataxis"} and c.i < to.i for c in token.children)
