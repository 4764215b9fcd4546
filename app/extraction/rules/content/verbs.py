"""Content sieves for verbs whose content is not a that-clause: proposals, requests,
questions and clauses after an addressee."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.attribution import (
    _PROPOSAL_VERBS,
    _QUESTION_VERBS,
    INFINITIVE_VERBS,
    REPORTING_VERBS,
    _clause_after_addressee,
    _infinitive,
    _question,
    _span_chars,
    _without_participle_cues,
)
from app.extraction.rules import rule
from app.extraction.rules.content.sieve import PASS, Verdict


@rule("proposal_gerund", stage="content", example="The minister proposed dropping the tax.")
def proposal_gerund(verb: Token, offset: int) -> Verdict:
    """A proposal verb with a gerund ("proposed dropping the tax"): the gerund is the
    proposal."""
    if verb.lemma_.lower() not in _PROPOSAL_VERBS:
        return PASS
    gerund = next((c for c in verb.rights if c.dep_ == "xcomp" and c.tag_ == "VBG"), None)
    if gerund is None:
        return PASS
    return _span_chars(_without_participle_cues(gerund), offset)


@rule(
    "infinitive_content",
    stage="content",
    example="The union urged members to stay at home on Friday.",
)
def infinitive_content(verb: Token, offset: int) -> Verdict:
    """A request, promise or intention ("urged residents to stay indoors", "vowed to
    appeal") reports its infinitive, with the addressee; a verb that is no reporting verb
    reports nothing else."""
    lemma = verb.lemma_.lower()
    if lemma not in INFINITIVE_VERBS:
        return PASS
    infinitive = _infinitive(verb, offset)
    if infinitive is not None or lemma not in REPORTING_VERBS:
        return infinitive
    return PASS


@rule(
    "question_content",
    stage="content",
    example="The senator questioned whether the plan would work.",
)
def question_content(verb: Token, offset: int) -> Verdict:
    """ "questioned whether X": the doubt is the content ("question" only)."""
    if verb.lemma_.lower() != "question":
        return PASS
    return _question(verb, offset)


@rule("embedded_question", stage="content", example="A reporter asked what he would do next.")
def embedded_question(verb: Token, offset: int) -> Verdict:
    """ "asked what he would do": a question verb reports no statement."""
    if verb.lemma_.lower() in _QUESTION_VERBS:
        return None
    return PASS


@rule(
    "addressee_clause",
    stage="content",
    example="The coach told the players the season was over.",
)
def addressee_clause(verb: Token, offset: int) -> Verdict:
    """The clause after the addressee of "tell" and its kind, which the parser may not hang
    on the verb as a complement."""
    addressed = _clause_after_addressee(verb)
    if addressed is None:
        return PASS
    return _span_chars(addressed, offset)
