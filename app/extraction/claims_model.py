"""The check-worthiness model: features of a claim candidate, the shipped weights, score and why.

The model is a logistic regression over three blocks of features of one candidate (a sentence or
the reported part of a quote), trained by `app.extraction.training.claims` on ClaimBuster and
CLEF CheckThat! 2019 sentences and shipped as JSON in `models/claims/` with a model card:

- ``word:`` word unigrams and bigrams (lower case, digits written as 0), sub-linear TF-IDF, L2
- ``char:`` character 2..5-grams inside words, sub-linear TF-IDF, L2
- named signals from the parse (figures, dates, comparisons, causes, entities, first-person
  opinion, hedges, questions, tense and parts of speech) and the mean of spaCy's token vectors
  (``doc.tensor``), each standardised by the training mean and deviation

Scoring needs numpy and the spaCy span only; scikit-learn is used for training, never here.
The weights file's sha256 is written in the model card and checked before the weights are used,
so a changed or truncated file is refused instead of silently scoring with other weights.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Span

MODEL_DIR = Path(__file__).parent / "models" / "claims"
WEIGHTS_FILE = "weights.json"
CARD_FILE = "README.md"
FEATURE_VERSION = 1
"""Bumped whenever a feature below changes meaning; the weights record the version they need."""

_NUMBER_ENTS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY"}
_NAMED_ENTS = {"PERSON", "ORG", "GPE", "NORP", "LAW", "EVENT", "FAC", "LOC", "PRODUCT"}
ENT_LABELS = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "DATE",
    "TIME",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
)
TAGS = (
    "CD",
    "JJR",
    "JJS",
    "RBR",
    "RBS",
    "MD",
    "VBD",
    "VBN",
    "VBZ",
    "VBP",
    "VBG",
    "VB",
    "PRP",
    "PRP$",
    "WP",
    "WRB",
    "UH",
    "NNP",
    "NNS",
    "IN",
    "$",
)
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
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|us|our)\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)
_THANKS = re.compile(r"\b(?:thank|thanks|applause|laughter|welcome|good evening)\b", re.I)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[?%$]")
_DIGIT = re.compile(r"[0-9]")

SIGNAL_NAMES = (
    "number",
    "date",
    "comparison",
    "cause",
    "prediction",
    "named",
    "event",
    "length",
    "subjective",
    "hedge",
    "question",
    "first_person",
    "second_person",
    "courtesy",
    "log_words",
)
"""The named signals, in the order of the weights; then ent:LABEL, tag:TAG, vec:0..95."""
VECTOR_WIDTH = 96


def signals(span: Span, text: str) -> dict[str, float]:
    """The named, explainable signals of one candidate (its tokens and its text)."""
    labels = [ent.label_ for ent in span.ents]
    words = 0
    like_num = False
    tags: Counter[str] = Counter()
    for t in span:  # one pass over the tokens: spaCy's per-token access is the cost here
        words += t.is_alpha
        like_num = like_num or t.like_num
        tags[t.tag_] += 1
    number = like_num or any(lab in _NUMBER_ENTS for lab in labels)
    comparison = bool(_COMPARISON.search(text)) or any(
        tags[tag] for tag in ("JJR", "JJS", "RBR", "RBS")
    )
    named = sum(1 for lab in labels if lab in _NAMED_ENTS)
    values = {
        "number": float(number),
        "date": float(any(lab in {"DATE", "TIME"} for lab in labels)),
        "comparison": float(comparison),
        "cause": float(bool(_CAUSE.search(text))),
        "prediction": float(bool(_PREDICTION.search(text))),
        "named": min(1.0, named / 3),
        "event": float(bool(_EVENT_WORDS.search(text)) or "EVENT" in labels or "LAW" in labels),
        "length": float(6 <= words <= 60),
        "subjective": float(bool(_SUBJECTIVE.search(text))),
        "hedge": float(bool(_HEDGE.search(text)) and not number),
        "question": float(text.rstrip().rstrip("\"'\u201d\u2019)").endswith("?")),
        "first_person": float(bool(_FIRST_PERSON.search(text))),
        "second_person": float(bool(_SECOND_PERSON.search(text))),
        "courtesy": float(bool(_THANKS.search(text))),
        "log_words": math.log1p(words),
    }
    present = set(labels)
    for label in ENT_LABELS:
        values[f"ent:{label}"] = float(label in present)
    for tag in TAGS:
        values[f"tag:{tag}"] = float(tags[tag] > 0)
    return values


def span_vector(span: Span) -> list[float]:
    """The mean of the pipeline's token vectors over the span (zeros when there are none)."""
    tensor = span.doc.tensor
    if tensor is None or len(tensor.shape) != 2 or tensor.shape[1] != VECTOR_WIDTH:
        return [0.0] * VECTOR_WIDTH
    rows = tensor[span.start : span.end]
    if not len(rows):
        return [0.0] * VECTOR_WIDTH
    return [float(x) for x in np.asarray(rows, dtype=np.float64).mean(axis=0)]


def dense_features(span: Span, text: str) -> dict[str, float]:
    """Signals and token-vector mean of one candidate, by name: the dense block of the model."""
    values = signals(span, text)
    for i, x in enumerate(span_vector(span)):
        values[f"vec:{i}"] = x
    return values


def word_terms(text: str) -> Counter[str]:
    """Word unigrams and bigrams of the text, lower case, every digit written as 0."""
    tokens = [_DIGIT.sub("0", t) for t in _WORD.findall(text.lower())]
    terms = Counter(tokens)
    terms.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return terms


@functools.lru_cache(maxsize=1 << 16)
def _char_grams(token: str) -> tuple[str, ...]:
    padded = f" {token} "
    return tuple(padded[i : i + n] for n in range(2, 6) for i in range(len(padded) - n + 1))


def char_terms(text: str) -> Counter[str]:
    """Character 2..5-grams inside each word padded with spaces (scikit-learn's char_wb)."""
    grams: list[str] = []
    for token in _WORD.findall(text.lower()):
        grams.extend(_char_grams(_DIGIT.sub("0", token)))
    return Counter(grams)


def tfidf(
    terms: Counter[str], index: dict[str, int], idf: np.ndarray | list[float]
) -> dict[int, float]:
    """Sub-linear TF-IDF of known terms, L2-normalised: column -> value."""
    values: dict[int, float] = {}
    for term, count in terms.items():
        col = index.get(term)
        if col is not None:
            values[col] = (1.0 + math.log(count)) * float(idf[col])
    norm = math.sqrt(sum(v * v for v in values.values()))
    return {col: v / norm for col, v in values.items()} if norm > 0 else {}


class ModelError(RuntimeError):
    """The claims model's weights are missing, altered, or for other features."""


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_CARD_SHA = re.compile(r"sha256[^0-9a-f]*([0-9a-f]{64})", re.IGNORECASE)


def card_sha256(card: Path) -> str:
    """The weights' sha256 as the model card states it."""
    if not card.exists():
        raise ModelError(f"model card {card} is missing")
    match = _CARD_SHA.search(card.read_text(encoding="utf-8"))
    if match is None:
        raise ModelError(f"model card {card} states no sha256 of the weights")
    return match.group(1).lower()


@dataclass(frozen=True, slots=True)
class Contribution:
    name: str
    value: float


ABSENT_SIGNALS = "signals absent"
"""The summed share of the parse signals (tags, entities, cues) a candidate does not have."""


class ClaimModel:
    """Shipped weights and the arithmetic that turns a candidate into a probability."""

    def __init__(self, weights: dict[str, Any]) -> None:
        if weights.get("feature_version") != FEATURE_VERSION:
            raise ModelError(
                f"weights are for feature version {weights.get('feature_version')}, "
                f"this code computes version {FEATURE_VERSION}; retrain with "
                "`quotegraph train claims`"
            )
        self.threshold = float(weights["threshold"])
        self.bias = float(weights["bias"])
        self.meta: dict[str, Any] = dict(weights.get("meta", {}))
        words = weights["word"]
        chars = weights["char"]
        dense = weights["dense"]
        self.word_index = {t: i for i, t in enumerate(words["terms"])}
        self.word_idf_list: list[float] = list(words["idf"])
        self.char_idf_list: list[float] = list(chars["idf"])
        self.word_idf = np.asarray(words["idf"], dtype=np.float64)
        self.word_coef = np.asarray(words["coef"], dtype=np.float64)
        self.word_terms: list[str] = list(words["terms"])
        self.word_coef_list: list[float] = self.word_coef.tolist()
        self.char_coef_list: list[float] = []
        self.char_index = {t: i for i, t in enumerate(chars["terms"])}
        self.char_idf = np.asarray(chars["idf"], dtype=np.float64)
        self.char_coef = np.asarray(chars["coef"], dtype=np.float64)
        self.char_terms: list[str] = list(chars["terms"])
        self.char_coef_list = self.char_coef.tolist()
        self._char_cache: dict[str, np.ndarray] = {}
        self.dense_names: list[str] = list(dense["names"])
        self.dense_mean = np.asarray(dense["mean"], dtype=np.float64)
        self.dense_scale = np.asarray(dense["scale"], dtype=np.float64)
        self.dense_coef = np.asarray(dense["coef"], dtype=np.float64)

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> ClaimModel:
        """Read the weights after checking their sha256 against the model card."""
        path = directory / WEIGHTS_FILE
        if not path.exists():
            raise ModelError(
                f"claims model weights {path} are missing; run `quotegraph train claims`"
            )
        data = path.read_bytes()
        expected = card_sha256(directory / CARD_FILE)
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            raise ModelError(
                f"claims model weights {path} have sha256 {actual}, but the model card states "
                f"{expected}: the file was changed or damaged; refusing to load it"
            )
        return cls(json.loads(data))

    def contributions(self, span: Span, text: str) -> list[Contribution]:
        """Each feature's share of the log-odds (weight x value), grouped for a reader.

        Words are listed one by one, and so are the parse signals the candidate has; the
        character n-grams, the 96 token-vector dimensions and the signals it lacks are each
        summed into one share, since none of their parts means anything to a reader alone.
        """
        out: list[Contribution] = []
        for col, v in tfidf(word_terms(text), self.word_index, self.word_idf_list).items():
            out.append(Contribution(f"word:{self.word_terms[col]}", v * self.word_coef_list[col]))
        if self.char_terms:
            out.append(Contribution("char n-grams", self._char_share(text)))
        if self.dense_names:
            dense = dense_features(span, text)
            x = np.asarray([dense.get(n, 0.0) for n in self.dense_names], dtype=np.float64)
            shares = (x - self.dense_mean) / self.dense_scale * self.dense_coef
            vector = absent = 0.0
            for name, value, share in zip(
                self.dense_names, x.tolist(), shares.tolist(), strict=True
            ):
                if name.startswith("vec:"):
                    vector += share
                elif value == 0.0:
                    # A signal the sentence lacks still moves the log-odds (it is measured
                    # against the training average), but "tag:PRP -0.16" on a sentence with no
                    # pronoun misleads a reader: what is missing is summed into one entry.
                    absent += share
                else:
                    out.append(Contribution(name, share))
            out.append(Contribution("token vectors", vector))
            out.append(Contribution(ABSENT_SIGNALS, absent))
        return out

    def _char_columns(self, token: str) -> np.ndarray:
        """Known character n-gram columns of one word, remembered per word (words repeat)."""
        cols = self._char_cache.get(token)
        if cols is None:
            index = self.char_index
            found = [index[g] for g in _char_grams(token) if g in index]
            cols = np.asarray(found, dtype=np.int64)
            if len(self._char_cache) < 200_000:
                self._char_cache[token] = cols
        return cols

    def _char_share(self, text: str) -> float:
        """The character block's share of the log-odds: tfidf() of char_terms(), vectorised."""
        parts = [self._char_columns(_DIGIT.sub("0", t)) for t in _WORD.findall(text.lower())]
        if not parts:
            return 0.0
        cols, counts = np.unique(np.concatenate(parts), return_counts=True)
        if not len(cols):
            return 0.0
        values = (1.0 + np.log(counts)) * self.char_idf[cols]
        norm = math.sqrt(float(values @ values))
        return float(values @ self.char_coef[cols]) / norm if norm > 0 else 0.0

    def logit(self, contributions: Iterable[Contribution]) -> float:
        return self.bias + sum(c.value for c in contributions)

    def probability(self, contributions: Iterable[Contribution]) -> float:
        z = self.logit(contributions)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def score(self, span: Span, text: str) -> float:
        return self.probability(self.contributions(span, text))


def explanation(contributions: Iterable[Contribution], k: int = 4) -> dict[str, float]:
    """The k features that pushed the score up most and the k that pushed it down most."""
    ranked = sorted(contributions, key=lambda c: c.value)
    down = [c for c in ranked[:k] if c.value < 0]
    up = [c for c in reversed(ranked[-k:]) if c.value > 0]
    return {c.name: round(c.value, 3) for c in [*up, *down]}


@functools.lru_cache(maxsize=1)
def shipped_model() -> ClaimModel:
    """The model committed in `models/claims/`, loaded once."""
    return ClaimModel.load(MODEL_DIR)
