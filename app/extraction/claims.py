"""Check-worthy claims: sentences (or quoted parts) asserting checkable facts, scored 0..1.

A claim candidate is one sentence of the story, cut to the quote it sits in when at least half
of it is quoted (then the claimant is that quote's speaker and `quote` its index; otherwise the
claimant is None, the publication). Its score is a logistic function of these features, each
recorded in ClaimSpan.features:

- ``number``: a figure (digits, CARDINAL, PERCENT, MONEY or QUANTITY entity), 1 or 0
- ``date``: a DATE or TIME entity, 1 or 0
- ``comparison``: a comparative or superlative, or "than"/"compared", 1 or 0
- ``cause``: a causal connective ("because", "due to", "led to", "caused", "as a result"), 1 or 0
- ``prediction``: a forecast ("will", "expected to", "forecast", "likely to", "could"), 1 or 0
- ``named``: named people, organisations, places, laws or events, 0..1 (three or more = 1)
- ``event``: a named event or law, or a word for a checkable event (election, attack, vote), 1 or 0
- ``length``: the sentence is long enough to assert something (8..60 words), 1 or 0
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
    """The feature values of one candidate sentence (see the module docstring)."""
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
        "length": float(8 <= words <= 60),
        "subjective": float(bool(_SUBJECTIVE.search(text)) or text.rstrip().endswith("?")),
        "hedge": float(bool(_HEDGE.search(text)) and not number),
    }


def claim_score(features: dict[str, float]) -> float:
    z = BIAS + sum(WEIGHTS[name] * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-z))


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
            start, end = trimmed(text, para.start + sent.start_char, para.start + sent.end_char)
            if end - start < 20:
                continue
            quote_index: int | None = None
            best = 0
            for i, q in enumerate(quotes):
                overlap = min(end, q.end) - max(start, q.start)
                if overlap > best:
                    best, quote_index = overlap, i
            claimant: int | None = None
            if quote_index is not None and best * 2 >= end - start:
                q = quotes[quote_index]
                start, end = trimmed(text, max(start, q.start), min(end, q.end))
                claimant = q.speaker
            else:
                quote_index = None
            if end - start < 20:
                continue
            features = claim_features(sent, text[start:end])
            score = claim_score(features)
            if score >= CLAIM_THRESHOLD:
                claims.append(
                    ClaimSpan(
                        text=text[start:end],
                        start=start,
                        end=end,
                        score=round(score, 3),
                        claimant=claimant,
                        quote=quote_index,
                        features=features,
                    )
                )
    return claims
