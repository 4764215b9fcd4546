"""Fit the attribution model: candidates from parsed training articles, labelled by the gold
spans, a logistic regression fitted deterministically with numpy, weights as sorted JSON."""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, DocBin

from app.extraction.attribution import find_cues
from app.extraction.cleanup import Layout, find_layout
from app.extraction.evaluation import iou, trim
from app.extraction.learned.features import PREDICATE_POS, Candidate
from app.extraction.learned.model import (
    CARD_FILE,
    MODEL_FORMAT,
    WEIGHTS_FILE,
    AttributionModel,
    paragraph_candidates,
    rule_cue_candidates,
)
from app.extraction.nlp import PARSE_SETUP, get_nlp, parse_many
from app.extraction.quotes import find_marked_quotes
from app.extraction.speakers import mend_entities

# Hyper-parameters, chosen by cross-validation on article folds of the training split
# (benchmarks/attribution_cv.py); never on the dev files.
L2 = 1e-4
ITERATIONS = 400
LEARNING_RATE = 0.5
MIN_FEATURE_COUNT = 2
MIN_LEMMA_COUNT = 3
MIN_LEMMA_RATE = 0.05
THRESHOLD = 0.3
PROPOSAL_THRESHOLDS = {"rest": 0.45, "phrase": 0.45, "trim_rest": 0.45, "trim_phrase": 0.45}
"""The rest of a sentence and a verb's bare phrase are the loosest boundings (they get round
the `obj` floor): a stricter threshold of their own (0.45: 0.001 below 0.4 on the folds, and
"painted slogans on the bridge" stays out)."""
SPEECH_THRESHOLD = 0.4
"""Proposals for the rules' speech words keep 0.8's threshold: the speech view stays put."""


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One training article: its text, layout and paragraph parses, and its gold quotes."""

    id: str
    text: str
    layout: Layout
    docs: tuple[Doc, ...]
    gold: tuple[Mapping[str, Any], ...]


def parse_articles(
    records: Sequence[Mapping[str, Any]], cache: Path | None = None
) -> list[ParsedArticle]:
    """Parse each record's paragraphs as the extractor does (one core: the CPU is shared).

    With `cache` (a file path outside the repository), the parses are kept there as a spaCy
    DocBin keyed by the texts' sha256, so a second run skips the minutes of parsing.
    """
    layouts = [find_layout(str(r["text"])) for r in records]
    # The key covers the paragraph boundaries too (a layout change must not reuse parses of
    # other paragraphs) and what the project changes in the pipeline (PARSE_SETUP).
    bounds = "\x00".join(
        ",".join(f"{p.start}:{p.end}" for p in layout.paragraphs) for layout in layouts
    )
    texts = "\x00".join(str(r["text"]) for r in records)
    key = hashlib.sha256((texts + "\x01" + bounds + "\x01" + PARSE_SETUP).encode()).hexdigest()
    nlp = get_nlp()
    key_file = cache.with_name(cache.name + ".key") if cache is not None else None
    if _cached(cache, key_file, key) and cache is not None:
        stored = DocBin().from_bytes(cache.read_bytes())
        return _articles(records, layouts, list(stored.get_docs(nlp.vocab)))

    def paragraphs() -> Iterator[tuple[str, int]]:
        for index, (record, layout) in enumerate(zip(records, layouts, strict=True)):
            text = str(record["text"])
            for para in layout.paragraphs:
                yield _no_surrogates(text[para.start : para.end]), index

    flat = [doc for doc, _ in parse_many(paragraphs(), batch_size=128)]
    if cache is not None and key_file is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(DocBin(store_user_data=False, docs=flat).to_bytes())
        key_file.write_text(key, encoding="utf-8")
    return _articles(records, layouts, flat)


def _cached(cache: Path | None, key_file: Path | None, key: str) -> bool:
    if cache is None or key_file is None or not cache.is_file() or not key_file.is_file():
        return False
    return key_file.read_text(encoding="utf-8") == key


def _articles(
    records: Sequence[Mapping[str, Any]], layouts: Sequence[Layout], flat: Sequence[Doc]
) -> list[ParsedArticle]:
    out: list[ParsedArticle] = []
    at = 0
    for index, (record, layout) in enumerate(zip(records, layouts, strict=True)):
        count = len(layout.paragraphs)
        out.append(
            ParsedArticle(
                str(record.get("id", index)),
                str(record["text"]),
                layout,
                tuple(flat[at : at + count]),
                tuple(record.get("quotes") or ()),
            )
        )
        at += count
    return out


def _no_surrogates(text: str) -> str:
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def cue_lexicon(articles: Iterable[ParsedArticle]) -> dict[str, float]:
    """The learned cue lexicon: for each predicate lemma seen inside annotated cue spans at
    least MIN_LEMMA_COUNT times, the share of its occurrences that are cues, when at least
    MIN_LEMMA_RATE (rarer cues cost more candidates than they bring)."""
    counts: dict[str, int] = {}
    totals: dict[str, int] = {}
    for article in articles:
        spans = sorted(
            (q["cue_start"], q["cue_end"])
            for q in article.gold
            if q.get("cue_start") is not None and q.get("cue_end") is not None
        )
        for para, doc in zip(article.layout.paragraphs, article.docs, strict=False):
            for token in doc:
                if token.pos_ not in PREDICATE_POS:
                    continue
                lemma = token.lemma_.lower()
                totals[lemma] = totals.get(lemma, 0) + 1
                at = para.start + token.idx
                k = bisect.bisect_right(spans, (at, 1 << 60)) - 1
                if any(s <= at < e for s, e in spans[max(0, k - 3) : k + 1]):
                    counts[lemma] = counts.get(lemma, 0) + 1
    return {
        lemma: round(count / totals[lemma], 4)
        for lemma, count in sorted(counts.items())
        if count >= MIN_LEMMA_COUNT and count / totals[lemma] >= MIN_LEMMA_RATE
    }


_RULES_ONLY = AttributionModel({}, 2.0)
_USED_CUES: dict[tuple[str, str], frozenset[int]] = {}


def rule_quote_cues(article: ParsedArticle) -> frozenset[int]:
    """Where the cues of the rules' own quotes start (the extractor with the model off): the
    model is never asked about those. Kept per article for the process, since the rules do
    not change between the folds of a cross-validation."""
    key = (article.id, hashlib.sha256(article.text.encode()).hexdigest())
    if key not in _USED_CUES:
        from app.extraction.pipeline import build_extraction

        extraction = build_extraction(
            article.text, article.layout, article.docs, attribution_model=_RULES_ONLY
        )
        _USED_CUES[key] = frozenset(
            q.cue_start for q in extraction.quotes if q.cue_start is not None
        )
    return _USED_CUES[key]


def article_candidates(article: ParsedArticle, lexicon: Mapping[str, float]) -> list[Candidate]:
    """The candidates the extractor would score in this article: outside quotation marks,
    and not on a cue of the rules that made a quote (the rules' cues that made none are
    left to the model)."""
    quoted = [
        (q.open_at, q.outer_end)
        for q in find_marked_quotes(article.text, article.layout.paragraphs)
    ]
    used = rule_quote_cues(article)
    out: list[Candidate] = []
    for number, (para, doc) in enumerate(
        zip(article.layout.paragraphs, article.docs, strict=False)
    ):
        mend_entities(doc)
        rule_cues = find_cues(doc, para.start, number)
        free = [c for c in rule_cues if c.start not in used]
        for candidate in [
            *paragraph_candidates(doc, para.start, rule_cues, lexicon),
            *rule_cue_candidates(doc, para.start, free, lexicon),
        ]:
            position = para.start + candidate.token.idx
            if not any(s <= position < e for s, e in quoted):
                out.append(candidate)
    return out


def label(candidate: Candidate, offset: int, article: ParsedArticle) -> bool:
    """Whether a gold attribution has this predicate in its cue and this content (IoU >= .5)."""
    start = offset
    end = offset + len(candidate.token.text)
    content = trim(candidate.content[0], candidate.content[1], article.text)
    for quote in article.gold:
        cs, ce = quote.get("cue_start"), quote.get("cue_end")
        if cs is None or ce is None or not (cs <= start and end <= ce):
            continue
        if iou(content, trim(quote["start"], quote["end"], article.text)) >= 0.5:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Example:
    article: int
    features: tuple[str, ...]
    positive: bool


def examples(articles: Sequence[ParsedArticle], lexicon: Mapping[str, float]) -> list[Example]:
    """Labelled candidates of every article (lexicon: see cue_lexicon)."""
    out: list[Example] = []
    for index, article in enumerate(articles):
        for candidate in article_candidates(article, lexicon):
            start = candidate.offset + candidate.token.idx
            out.append(Example(index, candidate.features, label(candidate, start, article)))
    return out


def fit(data: Sequence[Example], lexicon: Mapping[str, float]) -> dict[str, Any]:
    """Logistic regression by full-batch gradient descent with Adagrad steps: same examples,
    same weights, bit for bit (no randomness, fixed order)."""
    counts: dict[str, int] = {}
    for example in data:
        for name in example.features:
            counts[name] = counts.get(name, 0) + 1
    names = sorted(n for n, c in counts.items() if c >= MIN_FEATURE_COUNT)
    index = {n: i for i, n in enumerate(names)}
    rows: list[int] = []
    cols: list[int] = []
    for row, example in enumerate(data):
        for name in example.features:
            column = index.get(name)
            if column is not None:
                rows.append(row)
                cols.append(column)
    row_ids = np.asarray(rows, dtype=np.int64)
    col_ids = np.asarray(cols, dtype=np.int64)
    y = np.asarray([1.0 if e.positive else 0.0 for e in data])
    weights = np.zeros(len(names))
    history = np.full(len(names), 1e-8)
    n = max(1, len(data))
    for _ in range(ITERATIONS):
        z = np.bincount(row_ids, weights=weights[col_ids], minlength=len(data))
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        error = (p - y)[row_ids]
        gradient = np.bincount(col_ids, weights=error, minlength=len(names)) / n + L2 * weights
        history += gradient * gradient
        weights -= LEARNING_RATE * gradient / np.sqrt(history)
    return {
        "format": MODEL_FORMAT,
        "threshold": THRESHOLD,
        "proposal_thresholds": dict(PROPOSAL_THRESHOLDS),
        "speech_threshold": SPEECH_THRESHOLD,
        "lexicon": dict(sorted(lexicon.items())),
        "weights": {
            name: round(float(w), 6)
            for name, w in zip(names, weights, strict=True)
            if abs(w) >= 1e-6
        },
    }


def weights_bytes(model: Mapping[str, Any]) -> bytes:
    """The model as canonical JSON: sorted keys, fixed separators, one trailing newline."""
    return (json.dumps(model, sort_keys=True, indent=0, separators=(",", ":")) + "\n").encode()


def train(records: Sequence[Mapping[str, Any]], cache: Path | None = None) -> bytes:
    """The model's canonical JSON bytes from annotated records: same records, same bytes."""
    articles = parse_articles(records, cache)
    lexicon = cue_lexicon(articles)
    return weights_bytes(fit(examples(articles, lexicon), lexicon))


def write_model(directory: Path, weights: bytes) -> str:
    """Write the weights and put their sha256 on the model card's `sha256:` line (a card is
    started when there is none); returns the sha256."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / WEIGHTS_FILE).write_bytes(weights)
    digest = hashlib.sha256(weights).hexdigest()
    card = directory / CARD_FILE
    text = card.read_text(encoding="utf-8") if card.is_file() else "# Attribution model\n\n"
    line = f"sha256: `{digest}`"
    if re.search(r"^sha256:.*$", text, flags=re.MULTILINE):
        text = re.sub(r"^sha256:.*$", line, text, count=1, flags=re.MULTILINE)
    else:
        text = text.rstrip("\n") + "\n\n" + line + "\n"
    card.write_text(text, encoding="utf-8")
    return digest
