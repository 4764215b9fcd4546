"""Cue rule "as_put_it": "as the mayor put it"."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from app.extraction.attribution import Cue, _span_chars, _subject_cue
from app.extraction.rules import rule


@rule("as_put_it", stage="cue", example='"It is over," as the mayor put it.')
def as_put_it(verb: Token, offset: int, paragraph: int) -> Cue | None:
    """ "As the mayor put it, the city is broke": the clause the as-clause modifies is the
    report, the subject of "put it" its source."""
    children = list(verb.children)
    if not any(c.dep_ == "dobj" and c.lower_ == "it" for c in children):
        return None
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in children):
        return None
    subject = next((c for c in children if c.dep_ == "nsubj"), None)
    if subject is None or verb.dep_ != "advcl":
        return None
    phrase = {t.i for t in verb.subtree}
    doc, sent = verb.doc, verb.sent
    if verb.left_edge.i > sent.start:
        # "The industry, as Weston put it, is "under a microscope"": set off by commas inside
        # its clause, the report runs on both sides of it.
        before, after = verb.left_edge.i - 1, verb.right_edge.i + 1
        if doc[before].text == "," and after < sent.end - 1 and doc[after].text == ",":
            left = [t for t in sent if t.i < before]
            right = [t for t in sent if t.i > after]
            first, rest = _span_chars(left, offset), _span_chars(right, offset)
            if (
                first is not None
                and rest is not None
                and any(t.pos_ in {"VERB", "AUX"} for t in right)
            ):
                cue = _subject_cue(verb, verb, verb.text, "put", paragraph, subject, offset, first)
                return replace(cue, content_after=rest) if cue is not None else None
        # '... a "lawful source of income," as a memo put it': the words quoted just before
        # are the report, not the whole sentence.
        return None
    tokens = [t for t in verb.sent if t.i not in phrase]
    content = _span_chars(tokens, offset) if len(tokens) >= 4 else None
    if content is None:
        return None
    return _subject_cue(verb, verb, verb.text, "put", paragraph, subject, offset, content)
