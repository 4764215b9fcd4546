"""Cue rule "according_to": "according to X", X the source of the clause."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.attribution import (
    _CONCESSIVE,
    _DASHES,
    _FINITE_TAGS,
    _OCCASION_NOUNS,
    _RELATIVE,
    REPORTING_VERBS,
    Cue,
    _across_abbreviation,
    _span_chars,
    _stray_appositive,
    stray_participle,
)
from app.extraction.rules import rule
from app.extraction.speakers import DOCUMENT_NOUNS, mention_for


def _agent_of_finding(source: Token) -> Token:
    """ "according to calculations by Amy Glasmeier", "according to data from the census
    bureau": who made the finding is the source, not the finding."""
    if source.pos_ != "NOUN" or source.ent_type_:
        return source
    for child in source.rights:
        if child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            agent = next((c for c in child.children if c.dep_ == "pobj"), None)
            if agent is not None and agent.pos_ in {"PROPN", "NOUN"}:
                return agent
    return source


def _subject_hung_on_source(token: Token, phrase: set[int]) -> set[int]:
    """ "According to documents reviewed by CBC News, the insurer, Atlantic Mutual, denied
    the claim": the parser hung the reported clause's subject on the source's last noun as
    an appositive; when the clause has no subject of its own, the appositive set off at the
    phrase's end is its subject, not part of the source."""
    doc = token.doc
    head = token.head
    if head.pos_ not in {"VERB", "AUX"} or head.i < token.i or head.i in phrase:
        return set()
    if any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in head.children):
        return set()
    end = max(phrase)
    while end > token.i and doc[end].is_punct:
        end -= 1
    starts = [
        t.left_edge.i
        for t in doc[token.i : end + 1]
        if t.dep_ == "appos"
        and t.left_edge.i > token.i + 2
        and doc[t.left_edge.i - 1].text == ","
        and t.right_edge.i >= end
        and t.pos_ in {"NOUN", "PROPN"}
    ]
    if not starts:
        return set()
    return {i for i in phrase if i >= min(starts)}


@rule(
    "according_to", stage="cue", example="According to the ministry, the bridge will reopen in May."
)
def according_to(token: Token, offset: int, paragraph: int) -> Cue | None:
    """'according to X': X is the source of the clause the phrase attaches to (both sides of
    a clause it splits)."""
    doc = token.doc
    to = doc[token.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        source = next((c for c in token.children if c.dep_ == "pobj"), None)
    if source is None:
        # "according to show insiders": the parser took a noun for a verb with an object.
        verbal = next((c for c in to.children if c.dep_ == "pcomp"), None)
        if verbal is not None:
            source = next((c for c in verbal.children if c.dep_ == "dobj"), None)
    if source is None:
        return None
    if source.lemma_.lower() in DOCUMENT_NOUNS | _OCCASION_NOUNS:
        # "according to a speech Mrs. Clinton delivered": the text's author is the source.
        clause = next((c for c in source.children if c.dep_ == "relcl"), None)
        author = None
        if clause is not None:
            author = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if (
            author is not None
            and author.pos_ in {"PROPN", "PRON"}
            and author.lower_ not in _RELATIVE
        ):
            source = author
    source = _agent_of_finding(source)
    speaker = mention_for(source, offset)
    phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree} | {token.i, to.i}
    phrase |= _stray_appositive(source) | stray_participle(source)
    phrase -= _subject_hung_on_source(token, phrase)
    sent = token.sent
    quoted = any(t.text in {'"', "\u201c", "\u201d"} for t in sent)
    if quoted and any(
        t.i not in phrase
        and t.i < token.i
        and t.lemma_.lower() in REPORTING_VERBS
        and t.pos_ == "VERB"
        and any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children)
        for t in sent
    ):
        # '"Help us," a man shouted at the scene, according to footage aired by TRT': the
        # words have a speaker of their own; "according to" only names where they were seen.
        return None
    tokens = [t for t in sent if t.i not in phrase]
    content = _span_chars(tokens, offset) if len(tokens) >= 4 else None
    if content is None and token.i == sent.start:
        # "According to X, the move reeks of fear": the parser may hang the whole clause on
        # the source's name; what follows the comma after the name is the report.
        comma = next((t for t in sent if t.i > source.i and t.text == ","), None)
        rest = [t for t in sent if comma is not None and t.i > comma.i]
        if comma is not None and source.right_edge.i >= comma.i and len(rest) >= 4:
            content = _span_chars(rest, offset)
    if content is not None:
        content = _across_abbreviation(doc, content, offset)
    after: tuple[int, int] | None = None
    left = [t for t in tokens if t.i < min(phrase)]
    right = [t for t in tokens if t.i > max(phrase)]
    if right and any(doc[i].dep_ == "relcl" for i in phrase) and len(left) >= 4:
        # "X has broad support, according to a poll, which found 68 per cent backed it":
        # what follows the source's relative clause goes on with that clause, not the report.
        right = []
        content = _span_chars(left, offset)
    if right and _aside_after(right):
        # "X, according to a poll, even as Y" / "- virtually the same as ...": what follows
        # is the writer's, not the source's.
        right = []
        content = _span_chars(left, offset) if len(left) >= 4 else content
    if content and any(t.is_alpha for t in left) and any(t.tag_ in _FINITE_TAGS for t in right):
        # "Shelter residents, according to the findings, are fearful": the attribution
        # splits the clause, and each side is reported separately.
        content, after = _span_chars(left, offset), _span_chars(right, offset)
    return Cue(
        offset + token.idx,
        offset + to.idx + len(to.text),
        "according to",
        "according to",
        paragraph,
        speaker,
        offset + token.idx,
        content=content,
        content_after=after,
    )


_CONTRASTING = frozenset(_CONCESSIVE | {"as", "even"})


def _aside_after(right: list[Token]) -> bool:
    """Whether what follows an "according to" phrase opens with a dash or a contrasting
    subordinator ("even as", "while"): an aside of the writer's."""
    for token in right:
        if token.text in _DASHES | {"-"} or token.lower_ in _CONTRASTING:
            return True
        if token.tag_ in _FINITE_TAGS or token.pos_ in {"VERB", "AUX"}:
            return False  # "last week - ...": a date hung outside the phrase may come first
    return False
