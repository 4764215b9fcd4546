"""Check-worthy claims: sentences (or quoted parts) asserting checkable facts, scored 0..1.

A claim candidate is one sentence of the story, or a quote inside it. A sentence that reports
speech ("X said that ...", "'...,' she said") asserts only that somebody said something; the
checkable assertion is what was said. So when a quote of at least MIN_CLAIM_CHARS covers at least
half of the sentence, or is introduced by a cue inside the sentence, each such quote's part of the
sentence is a candidate, its claimant the quote's speaker and `quote` its index. Otherwise the
sentence is the candidate, with claimant None: the publication. A short quoted fragment (a word
somebody "called" a thing) leaves the sentence to the publication.

Each candidate is scored by the check-worthiness model in `claims_model` (a logistic regression
over word and character n-grams, named signals of the parse and spaCy's token vectors, trained
on ClaimBuster and CLEF CheckThat! sentences; see models/claims/README.md for its figures).
ClaimSpan.features keeps the features that pushed the score most, up and down, with their
contributions to the log-odds, so an editor sees why a sentence was picked. Candidates scoring
at least the model's threshold are kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from app.extraction.claims_model import explanation, shipped_model
from app.extraction.cleanup import Paragraph
from app.extraction.quotes import trimmed
from app.extraction.types import ClaimSpan, QuoteSpan

MIN_CLAIM_CHARS = 20
"""Shorter sentences and quoted parts are not claim candidates."""


def claim_threshold() -> float:
    """The shipped model's decision threshold (chosen by cross-validated F1)."""
    return shipped_model().threshold


_COMPLEMENTIZER = re.compile(r"that\s+", re.IGNORECASE)
_QUESTION_AFTER = re.compile(r"(?:whether|if|how|why|what|when|who)\b", re.IGNORECASE)
_QUESTION_BEFORE = re.compile(r"\b(?:whether|if|how|why)\s*$", re.IGNORECASE)


def _question(text: str, quote: QuoteSpan, start: int) -> bool:
    """A reported question ("questioned whether ..."), with or without the wh-word in the span."""
    if quote.kind == "direct":
        return False
    return bool(
        _QUESTION_AFTER.match(text, start)
        or _QUESTION_BEFORE.search(text, max(0, start - 12), start)
    )


def _without_complementizer(text: str, start: int, end: int) -> tuple[int, int]:
    """A reported clause without its leading "that": the claim is the clause's assertion."""
    match = _COMPLEMENTIZER.match(text, start, end)
    return (match.end(), end) if match else (start, end)


def _reported(quote: QuoteSpan, sentence: tuple[int, int], part: tuple[int, int]) -> bool:
    """Whether the sentence hands this part over to the quote's speaker."""
    start, end = sentence
    if part[1] - part[0] < MIN_CLAIM_CHARS:
        return False
    if (part[1] - part[0]) * 2 >= end - start:
        return True
    return quote.cue_start is not None and start <= quote.cue_start < end


def _candidates(
    text: str, sentence: tuple[int, int], quotes: Sequence[QuoteSpan]
) -> list[tuple[int, int, int | None]]:
    """(start, end, quote index) of the claim candidates in one sentence, in text order.

    A reported question ("asked whether ...") asserts nothing: the sentence then has no
    candidate, neither the question nor the sentence reporting it.
    """
    start, end = sentence
    reported: list[tuple[int, int, int | None]] = []
    asked = False
    for i, q in enumerate(quotes):
        if q.end <= start or q.start >= end:
            continue
        part = _without_complementizer(text, *trimmed(text, max(start, q.start), min(end, q.end)))
        if not _reported(q, sentence, part):
            continue
        if _question(text, q, part[0]):
            asked = True
        else:
            reported.append((part[0], part[1], i))
    if reported or asked:
        return sorted(reported)
    return [(start, end, None)]


def _words(doc: Doc, sent: Span, start: int, end: int) -> Span:
    """The tokens of `sent` covering doc characters start..end (the sentence if none align)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else sent


def find_claims(
    text: str,
    paragraphs: Sequence[Paragraph],
    docs: Sequence[Doc],
    quotes: Sequence[QuoteSpan],
) -> list[ClaimSpan]:
    """Scored claims of an article, in text order."""
    model = shipped_model()
    claims: list[ClaimSpan] = []
    for para, doc in zip(paragraphs, docs, strict=False):
        for sent in doc.sents:
            sentence = trimmed(text, para.start + sent.start_char, para.start + sent.end_char)
            if sentence[1] - sentence[0] < MIN_CLAIM_CHARS:
                continue
            for start, end, quote_index in _candidates(text, sentence, quotes):
                if end - start < MIN_CLAIM_CHARS:
                    continue
                words = _words(doc, sent, start - para.start, end - para.start)
                contributions = model.contributions(words, text[start:end])
                score = model.probability(contributions)
                if score < model.threshold:
                    continue
                claims.append(
                    ClaimSpan(
                        text=text[start:end],
                        start=start,
                        end=end,
                        score=round(score, 3),
                        claimant=None if quote_index is None else quotes[quote_index].speaker,
                        quote=quote_index,
                        features=explanation(contributions),
                    )
                )
    return claims
