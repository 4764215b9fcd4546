"""Cue rule "in_evidence": the record a sentence reports, "In a report/statement, ..." at its
opening, or "in a poll" anywhere in it ("Smith leads Jones by six points in a new poll")."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.attribution import (
    EVIDENCE_NOUNS,
    FINDING_VERBS,
    REPORTING_VERBS,
    Cue,
    _span_chars,
)
from app.extraction.rules import rule
from app.extraction.speakers import mention_for

POLL_NOUNS = frozenset({"poll", "polling", "survey"})
"""Records a figure can be "in" wherever the phrase stands: a poll's numbers are its
findings ("Smith leads by six points in a new poll"). Other records need the opening ("In
the report, ...": "he was named in the report" reports nothing of it)."""


def _poll(source: Token) -> bool:
    """A poll, a survey, or an average of polls ("the RealClearPolitics average of polls")."""
    lemma = source.lemma_.lower()
    if lemma in POLL_NOUNS:
        return True
    if lemma != "average":
        return False
    of = next((c for c in source.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    inner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return inner is not None and inner.lemma_.lower() in POLL_NOUNS


@rule(
    "in_evidence",
    stage="cue",
    example="In the latest poll, the mayor leads her rival by six points.",
)
def in_evidence(token: Token, offset: int, paragraph: int) -> Cue | None:
    """A sentence whose clause rests on a record: "In the latest poll, the mayor leads by six
    points", "The mayor leads by six points in the latest poll." The rest of the sentence is
    the content, the record its source; not when the sentence has a reporting verb of its own
    ("In a report, the agency said ..."). Away from the sentence's opening only a poll counts,
    and only as a modifier of the main clause ("voters who took part in a survey" is none)."""
    source = next((c for c in token.children if c.dep_ == "pobj"), None)
    if source is None or source.lemma_.lower() not in EVIDENCE_NOUNS:
        return None
    head = token.head
    if head.pos_ not in {"VERB", "AUX"} or token.dep_ != "prep":
        return None
    sent = token.sent
    if token.i != sent.start and (not _poll(source) or head.dep_ != "ROOT"):
        return None
    if any(t.lemma_.lower() in REPORTING_VERBS | FINDING_VERBS for t in sent if t.pos_ == "VERB"):
        return None
    phrase = {t.i for t in token.subtree}
    tokens = [t for t in sent if t.i not in phrase]
    content = _span_chars(tokens, offset)
    if content is None or sum(1 for t in tokens if t.is_alpha) < 4:
        return None
    return Cue(
        offset + token.idx,
        offset + token.idx + len(token.text),
        token.text,
        "in",
        paragraph,
        mention_for(source, offset),
        offset + token.idx,
        content=content,
        needs_clause=True,
    )
