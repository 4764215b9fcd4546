"""Cue rule "in_evidence": a sentence opening "In a report/statement, ..."."""

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


@rule("in_evidence", stage="cue", example="In a statement, the union said talks had failed.")
def in_evidence(token: Token, offset: int, paragraph: int) -> Cue | None:
    """A sentence opening on the record it reports: "In the latest poll, the mayor leads by
    six points." The rest of the sentence is the content, the record its source; not when
    the sentence has a reporting verb of its own ("In a report, the agency said ...")."""
    source = next((c for c in token.children if c.dep_ == "pobj"), None)
    if source is None or source.lemma_.lower() not in EVIDENCE_NOUNS:
        return None
    head = token.head
    if head.pos_ not in {"VERB", "AUX"} or token.dep_ != "prep":
        return None
    sent = token.sent
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
