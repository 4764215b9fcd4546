"""Check-worthy claims: sentences (or quoted parts) asserting checkable facts, scored 0..1.

A claim candidate is one sentence of the story, or a quote inside it. A sentence that reports
speech ("X said that ...", "'...,' she said") asserts only that somebody said something; the
checkable assertion is what was said. So when a quote of at least MIN_CLAIM_CHARS covers at least
half of the sentence, or is introduced by a cue inside the sentence, each such quote's part of the
sentence is a candidate, its claimant the quote's speaker and `quote` its index. Otherwise the
sentence is the candidate, with claimant None: the publication. A short quoted fragment (a word
somebody "called" a thing) leaves the sentence to the publication. Its score is a logistic function
of these features of the candidate's own words, each recorded in ClaimSpan.features:

- ``number``: a figure (digits, CARDINAL, PERCENT, MONEY or QUANTITY entity), 1 or 0
- ``date``: a DATE or TIME entity, 1 or 0
- ``comparison``: a comparative or superlative, or "than"/"compared", 1 or 0
- ``cause``: a causal connective ("because", "due to", "led to", "caused", "as a result"), 1 or 0
- ``prediction``: a forecast ("will", "expected to", "forecast", "likely to", "could"), 1 or 0
- ``named``: named people, organisations, places, laws or events, 0..1 (three or more = 1)
- ``event``: a named event or law, or a word for a checkable event (election, attack, vote), 1 or 0
- ``length``: long enough to assert something and short enough to check (6..60 words), 1 or 0
- ``subjective``: first or second person opinion ("I think", "we feel"), or a question, 1 or 0
- ``hedge``: hedging ("maybe", "perhaps", "might") without a figure, 1 or 0

Claims scoring at least CLAIM_THRESHOLD are kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from app.extraction.cleanup import Paragraph
from app.extraction.quotes import trimmed
from app.extraction.types import ClaimSpan, QuoteSpan

CLAIM_THRESHOLD = 0.6
MIN_CLAIM_CHARS = 20
"""Shorter sentences and quoted parts are not claim candidates."""
WEIGHTS: dict[str, float] = {
    "number": 1.6,
    "date": 0.7,
    "comparison": 0.8,
    "cause": 0.8,
    "prediction": 0.5,
    "named": 0.9,
    "event": 0.6,
    "length": 0.6,
    "subjective": -1.6,
    "hedge": -0.6,
}
BIAS = -2.1
_NUMBER_ENTS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY"}
_NAMED_ENTS = {"PERSON", "ORG", "GPE", "NORP", "LAW", "EVENT", "FAC", "LOC", "PRODUCT"}
_CAUSE = re.compile(
    r"\b(?:because|due to|led to|leads to|lead to|caused|causes|as a result|resulted in"
    r"|result of|owing to|thanks to|blamed on|responsible for)\b",
    re.IGNORECASE,
)
_PREDICTION = re.compile(
    r"\b(?:will|expected to|expects|forecasts?|predicts?|projected|likely to|set to|could|"
    r"is going to|are going to|plans to)\b",
    re.IGNORECASE,
)
_COMPARISON = re.compile(r"\b(?:than|compared|more|less|fewer|highest|lowest|record)\b", re.I)
_SUBJECTIVE = re.compile(
    r"\b(?:I|we|you)\s+(?:think|feel|believe|hope|guess|love|hate|want)\b"
    r"|\b(?:I'm|I am)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(r"\b(?:maybe|perhaps|might|possibly|seems?)\b", re.IGNORECASE)
_EVENT_WORDS = re.compile(
    r"\b(?:election|vote|attack|war|ceasefire|strike|crash|shooting|earthquake|flood|trial|"
    r"verdict|sentence|ruling|law|bill|budget|treaty|deal|agreement|summit|protest|deaths?|"
    r"killed|died|arrested|charged|convicted|elected|signed|passed|approved|announced)\b",
    re.IGNORECASE,
)


def claim_features(sent: Span, text: str) -> dict[str, float]:
    """The feature values of one candidate: its tokens and its text (see the module docstring)."""
    labels = [ent.label_ for ent in sent.ents]
    words = sum(1 for t in sent if t.is_alpha)
    number = any(lab in _NUMBER_ENTS for lab in labels) or any(t.like_num for t in sent)
    comparison = bool(_COMPARISON.search(text)) or any(
        t.tag_ in {"JJR", "JJS", "RBR", "RBS"} for t in sent
    )
    named = sum(1 for lab in labels if lab in _NAMED_ENTS)
    return {
        "number": float(number),
        "date": float(any(lab in {"DATE", "TIME"} for lab in labels)),
        "comparison": float(comparison),
        "cause": float(bool(_CAUSE.search(text))),
        "prediction": float(bool(_PREDICTION.search(text))),
        "named": min(1.0, named / 3),
        "event": float(bool(_EVENT_WORDS.search(text)) or "EVENT" in labels or "LAW" in labels),
        "length": float(6 <= words <= 60),
        "subjective": float(bool(_SUBJECTIVE.search(text)) or text.rstrip().endswith("?")),
        "hedge": float(bool(_HEDGE.search(text)) and not number),
    }


def claim_score(features: dict[str, float]) -> float:
    z = BIAS + sum(WEIGHTS[name] * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-z))


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
                features = claim_features(words, text[start:end])
                score = claim_score(features)
                if score < CLAIM_THRESHOLD:
                    continue
                claims.append(
                    ClaimSpan(
                        text=text[start:end],
                        start=start,
                        end=end,
                        score=round(score, 3),
                        claimant=None if quote_index is None else quotes[quote_index].speaker,
                        quote=quote_index,
                        features=features,
                    )
                )
    return claims
