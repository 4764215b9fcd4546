"""Train the check-worthiness model from labelled sentences: cross-validate, fit, write weights.

Reads ClaimBuster-style (`{"id","text","label","group"}`) and CLEF-style (the same, `group` = the
debate) JSONL files, computes the features of `app.extraction.claims_model` for each sentence
(the spaCy parse is cached under the system temporary folder, keyed by the file's sha256), fits
a logistic regression with scikit-learn and writes the weights as JSON with sorted keys and
rounded floats, so the same data and seed give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.extraction.claims_eval import mean_average_precision
from app.extraction.claims_model import CARD_FILE, FEATURE_VERSION, WEIGHTS_FILE, dense_features

CACHE_DIR = Path(tempfile.gettempdir()) / "quotegraph-claims-cache"


@dataclass(frozen=True, slots=True)
class Sentence:
    id: str
    text: str
    label: int | None
    group: str
    source: str
    """Which file the sentence came from ("claimbuster", "clef", ...): folds and weights use it."""


def read_sentences(path: Path, source: str) -> list[Sentence]:
    out: list[Sentence] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        label = row.get("label")
        out.append(
            Sentence(
                id=str(row["id"]),
                text=str(row["text"]),
                label=None if label is None else int(label),
                group=str(row.get("group") or source),
                source=source,
            )
        )
    return out


def parse_dense(texts: Sequence[str], *, cache: bool = True) -> tuple[list[str], np.ndarray]:
    """Dense features (names, matrix) of each text parsed alone, cached by content."""
    from app.extraction.nlp import get_nlp

    digest = hashlib.sha256(
        json.dumps([FEATURE_VERSION, *texts], ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:24]
    names_file = CACHE_DIR / f"{digest}.names.json"
    matrix_file = CACHE_DIR / f"{digest}.npy"
    if cache and names_file.exists() and matrix_file.exists():
        names: list[str] = json.loads(names_file.read_text(encoding="utf-8"))
        return names, np.load(matrix_file, allow_pickle=False)
    nlp = get_nlp()
    rows: list[list[float]] = []
    names = []
    # The features read tags, entities and token vectors, which the parser and lemmatizer do not
    # change (checked token for token on CLEF sentences); leaving them out halves the parse time.
    skip = [name for name in ("parser", "lemmatizer") if name in nlp.pipe_names]
    with nlp.select_pipes(disable=skip):
        for doc in nlp.pipe(texts, batch_size=64, n_process=1):
            values = dense_features(doc[:], doc.text)
            if not names:
                names = list(values)
            rows.append([values[n] for n in names])
    matrix = np.asarray(rows, dtype=np.float64).reshape(len(texts), len(names))
    if cache:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        np.save(matrix_file, matrix, allow_pickle=False)
        names_file.write_text(json.dumps(names), encoding="utf-8")
    return names, matrix


def _round(x: float) -> float:
    return float(f"{x:.6g}") if math.isfinite(x) else 0.0


def rounded(values: Any) -> list[float]:
    return [_round(float(x)) for x in values]


@dataclass(frozen=True, slots=True)
class Params:
    """Everything that decides the weights besides the data; the defaults are the CV choice."""

    C: float = 4.0
    """Inverse L2 strength of the logistic regression."""
    clef_weight: float = 0.0
    """Weight of each CLEF sentence against a ClaimBuster one (0 leaves CLEF out of training;
    its debates still measure MAP). Joint training (1.0) lowered both CV figures."""
    blocks: tuple[str, ...] = ("word", "char", "dense")
    """Feature blocks among "word", "char", "dense": all three had the best CV figures of the
    candidates (benchmarks/RESULTS.md)."""
    dense_weight: float = 0.3
    """Scale of the standardised dense block against the L2-normalised n-gram blocks."""
    word_min_df: int = 2
    char_min_df: int = 3
    char_max_terms: int = 40_000
    seed: int = 13


@dataclass(frozen=True, slots=True)
class Vocabulary:
    terms: list[str]
    idf: np.ndarray

    @property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.terms)}


def vocabulary(
    texts: Sequence[str], terms_of: Any, min_df: int, max_terms: int | None = None
) -> Vocabulary:
    """Terms seen in at least min_df texts (the max_terms most frequent), sorted, with IDF."""
    from collections import Counter

    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(terms_of(text)))
    kept = [(t, n) for t, n in df.items() if n >= min_df]
    if max_terms is not None and len(kept) > max_terms:
        kept = sorted(kept, key=lambda tn: (-tn[1], tn[0]))[:max_terms]
    kept.sort()
    n_docs = len(texts)
    idf = np.asarray([math.log((1 + n_docs) / (1 + n)) + 1.0 for _, n in kept])
    return Vocabulary([t for t, _ in kept], np.asarray(rounded(idf)))


def tfidf_matrix(texts: Sequence[str], terms_of: Any, vocab: Vocabulary) -> Any:
    """Sparse rows of `claims_model.tfidf` for each text (the same arithmetic as scoring)."""
    from scipy.sparse import csr_matrix

    from app.extraction.claims_model import tfidf

    index = vocab.index
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for text in texts:
        row = tfidf(terms_of(text), index, vocab.idf)
        for col in sorted(row):
            indices.append(col)
            data.append(row[col])
        indptr.append(len(indices))
    return csr_matrix(
        (np.asarray(data), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(texts), len(vocab.terms)),
    )


@dataclass
class Design:
    """The feature matrix of a set of sentences under one vocabulary and standardisation."""

    word: Vocabulary
    char: Vocabulary
    dense_names: list[str]
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    matrix: Any


def design(
    texts: Sequence[str], dense_names: list[str], dense: np.ndarray, params: Params
) -> Design:
    """Vocabularies and standardisation from these texts, and their feature matrix."""
    from scipy.sparse import csr_matrix, hstack

    from app.extraction.claims_model import char_terms, word_terms

    empty = Vocabulary([], np.zeros(0))
    word = vocabulary(texts, word_terms, params.word_min_df) if "word" in params.blocks else empty
    char = (
        vocabulary(texts, char_terms, params.char_min_df, params.char_max_terms)
        if "char" in params.blocks
        else empty
    )
    mean = np.asarray(rounded(dense.mean(axis=0)))
    std = dense.std(axis=0)
    scale = np.asarray(rounded(np.where(std > 1e-9, std, 1.0) / params.dense_weight))
    blocks = []
    if "word" in params.blocks:
        blocks.append(tfidf_matrix(texts, word_terms, word))
    else:
        word = Vocabulary([], np.zeros(0))
    if "char" in params.blocks:
        blocks.append(tfidf_matrix(texts, char_terms, char))
    else:
        char = Vocabulary([], np.zeros(0))
    if "dense" in params.blocks:
        blocks.append(csr_matrix((dense - mean) / scale))
    else:
        dense_names, mean, scale = [], np.zeros(0), np.ones(0)
    return Design(word, char, dense_names, mean, scale, hstack(blocks).tocsr())


def fit_logistic(matrix: Any, labels: np.ndarray, weights: np.ndarray, params: Params) -> Any:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=params.C, max_iter=2000, random_state=params.seed)
    model.fit(matrix, labels, sample_weight=weights)
    return model


def sample_weights(sentences: Sequence[Sentence], params: Params) -> np.ndarray:
    return np.asarray([params.clef_weight if s.source == "clef" else 1.0 for s in sentences])


def best_threshold(
    scores: np.ndarray, labels: np.ndarray, positive_weight: float = 1.0
) -> tuple[float, float]:
    """The score threshold with the highest F1 of label 1 (positives weighted), and that F1.

    positive_weight = negatives / positives evaluates F1 as on a balanced set, the kind of
    ClaimBuster-style sentences the project is measured on.
    """
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    tp = np.cumsum(y) * positive_weight
    fp = np.cumsum(1 - y)
    f1 = 2 * tp / (tp + fp + y.sum() * positive_weight)
    # only cut between distinct scores
    distinct = np.r_[s[1:] != s[:-1], True]
    f1 = np.where(distinct, f1, -1.0)
    i = int(np.argmax(f1))
    below = s[i + 1] if i + 1 < len(s) else s[i] - 1e-6
    return float(f"{(s[i] + below) / 2:.4f}"), float(f1[i])


def f1_at(
    scores: np.ndarray, labels: np.ndarray, threshold: float, positive_weight: float = 1.0
) -> dict[str, float]:
    picked = scores >= threshold
    tp = float(np.sum(picked & (labels == 1))) * positive_weight
    fp = float(np.sum(picked & (labels == 0)))
    fn = float(np.sum(~picked & (labels == 1))) * positive_weight
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0}


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class Folds:
    """Train/test row indices: stratified folds of ClaimBuster, debate folds of CLEF.

    Sentences of one file that also occur (same words) in the other file's test fold are
    dropped from training: the 2016 presidential debates are in both data sets.
    """

    claimbuster: list[tuple[np.ndarray, np.ndarray]]
    clef: list[tuple[np.ndarray, np.ndarray]]


def make_folds(sentences: Sequence[Sentence], k: int, seed: int) -> Folds:
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    src = np.asarray([s.source for s in sentences])
    labels = np.asarray([s.label or 0 for s in sentences])
    normal = [_normal(s.text) for s in sentences]
    cb = np.flatnonzero(src == "claimbuster")
    clef = np.flatnonzero(src == "clef")

    def split(test: np.ndarray, pool: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        seen = {normal[i] for i in test}
        test_set = set(test.tolist())
        train = [i for i in range(len(sentences)) if i not in test_set and normal[i] not in seen]
        return np.asarray(train), test

    out = Folds([], [])
    if len(cb):
        skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        for _, test in skf.split(cb, labels[cb]):
            out.claimbuster.append(split(cb[test], cb))
    if len(clef):
        groups = [sentences[int(i)].group for i in clef]
        n = min(k, len(set(groups)))
        if n >= 2:
            for _, test in GroupKFold(n_splits=n).split(clef, labels[clef], groups):
                out.clef.append(split(clef[test], clef))
    return out


def out_of_fold(
    fit_predict: Any, sentences: Sequence[Sentence], folds: Folds, params: Params
) -> dict[str, Any]:
    """Out-of-fold scores of one candidate and its figures: CB F1/AUC, CLEF MAP."""
    labels = np.asarray([s.label or 0 for s in sentences])
    weights = sample_weights(sentences, params)
    figures: dict[str, Any] = {}
    if folds.claimbuster:
        scores = np.zeros(len(sentences))
        tested: list[int] = []
        for train, test in folds.claimbuster:
            train = train[weights[train] > 0]
            scores[test] = fit_predict(train, test)
            tested.extend(test.tolist())
        idx = np.asarray(sorted(tested))
        y = labels[idx]
        balance = float((y == 0).sum()) / max(1.0, float(y.sum()))
        threshold, _ = best_threshold(scores[idx], y, balance)
        balanced = f1_at(scores[idx], y, threshold, balance)
        figures["claimbuster"] = {
            "threshold": threshold,
            **{k: round(v, 4) for k, v in balanced.items()},
            "F1 as sampled": round(f1_at(scores[idx], y, threshold)["F1"], 4),
            "AUC": round(roc_auc(scores[idx], y), 4),
        }
    if folds.clef:
        scores = np.zeros(len(sentences))
        tested = []
        for train, test in folds.clef:
            train = train[weights[train] > 0]
            scores[test] = fit_predict(train, test)
            tested.extend(test.tolist())
        idx = np.asarray(sorted(tested))
        mean_ap = mean_average_precision(
            scores[idx].tolist(), labels[idx].tolist(), [sentences[i].group for i in idx]
        )
        figures["clef"] = {
            "MAP": round(mean_ap or 0.0, 4),
            "AUC": round(roc_auc(scores[idx], labels[idx]), 4),
        }
    return figures


def logistic_candidate(
    sentences: Sequence[Sentence], dense_names: list[str], dense: np.ndarray, params: Params
) -> Any:
    """fit_predict(train, test) for the shipped model's kind (vocabulary over all texts)."""
    texts = [s.text for s in sentences]
    d = design(texts, dense_names, dense, params)
    labels = np.asarray([s.label or 0 for s in sentences])
    weights = sample_weights(sentences, params)

    def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        model = fit_logistic(d.matrix[train], labels[train], weights[train], params)
        return np.asarray(model.predict_proba(d.matrix[test])[:, 1])

    return fit_predict, d


def weights_document(
    d: Design, model: Any, threshold: float, params: Params, meta: dict[str, Any]
) -> dict[str, Any]:
    """The JSON document `claims_model.ClaimModel` reads (rounded: the same bytes every run)."""
    coef = np.asarray(model.coef_[0], dtype=np.float64)
    n_word, n_char = len(d.word.terms), len(d.char.terms)
    return {
        "feature_version": FEATURE_VERSION,
        "threshold": threshold,
        "bias": _round(float(model.intercept_[0])),
        "word": {"terms": d.word.terms, "idf": rounded(d.word.idf), "coef": rounded(coef[:n_word])},
        "char": {
            "terms": d.char.terms,
            "idf": rounded(d.char.idf),
            "coef": rounded(coef[n_word : n_word + n_char]),
        },
        "dense": {
            "names": d.dense_names,
            "mean": rounded(d.dense_mean),
            "scale": rounded(d.dense_scale),
            "coef": rounded(coef[n_word + n_char :]),
        },
        "meta": meta,
    }


def dump_weights(document: dict[str, Any]) -> bytes:
    return (
        json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode("utf-8")


DATA_FILES = (("claimbuster_train.jsonl", "claimbuster"), ("clef2019_train.jsonl", "clef"))


def load_training_data(
    data: Path, *, cache: bool = True
) -> tuple[list[Sentence], list[str], np.ndarray]:
    """The labelled sentences of the training files present in `data`, and their dense features."""
    sentences: list[Sentence] = []
    for name, source in DATA_FILES:
        if (data / name).exists():
            sentences.extend(read_sentences(data / name, source))
    if not sentences:
        raise FileNotFoundError(
            f"no training file ({', '.join(n for n, _ in DATA_FILES)}) in {data}"
        )
    names: list[str] = []
    blocks = []
    for source in dict.fromkeys(s.source for s in sentences):
        names, block = parse_dense([s.text for s in sentences if s.source == source], cache=cache)
        blocks.append(block)
    return sentences, names, np.vstack(blocks)


@dataclass(frozen=True, slots=True)
class Trained:
    weights: Path
    card: Path
    sha256: str
    figures: dict[str, Any]
    size: int


def train(
    data: Path, out: Path, params: Params = Params(), *, folds: int = 5, cache: bool = True
) -> Trained:
    """Cross-validate (for the threshold and the card), fit on everything, write weights + card."""
    sentences, names, dense = load_training_data(data, cache=cache)
    keep = [i for i, s in enumerate(sentences) if s.label is not None]
    sentences = [sentences[i] for i in keep]
    dense = dense[keep]
    fit_predict, d = logistic_candidate(sentences, names, dense, params)
    figures = out_of_fold(fit_predict, sentences, make_folds(sentences, folds, params.seed), params)
    threshold = float(figures.get("claimbuster", {}).get("threshold", 0.5))
    labels = np.asarray([s.label or 0 for s in sentences])
    weights = sample_weights(sentences, params)
    rows = np.flatnonzero(weights > 0)
    model = fit_logistic(d.matrix[rows], labels[rows], weights[rows], params)
    files = {}
    for name, source in DATA_FILES:
        if (data / name).exists():
            of_source = [s for s in sentences if s.source == source]
            files[name] = {
                "sha256": hashlib.sha256((data / name).read_bytes()).hexdigest(),
                "sentences": len(of_source),
                "positives": sum(s.label or 0 for s in of_source),
            }
    meta = {
        "params": {k: getattr(params, k) for k in Params.__slots__},
        "data": files,
        "cv": figures,
    }
    blob = dump_weights(weights_document(d, model, threshold, params, meta))
    out.mkdir(parents=True, exist_ok=True)
    weights_path = out / WEIGHTS_FILE
    weights_path.write_bytes(blob)
    sha = hashlib.sha256(blob).hexdigest()
    card = out / CARD_FILE
    card.write_text(model_card(sha, len(blob), threshold, figures, files, params, d), "utf-8")
    return Trained(weights_path, card, sha, figures, len(blob))


def model_card(
    sha: str,
    size: int,
    threshold: float,
    figures: dict[str, Any],
    files: dict[str, Any],
    params: Params,
    d: Design,
) -> str:
    """The model card: what the weights are, what they were trained on, how good they are."""
    from datetime import UTC, datetime

    cb = figures.get("claimbuster", {})
    today = datetime.now(UTC).date().isoformat()
    described = []
    if d.word.terms:
        described.append(
            f"- word unigrams and bigrams ({len(d.word.terms):,} terms seen in at least "
            f"{params.word_min_df} sentences; lower case, digits as 0), sub-linear TF-IDF, "
            "L2-normalised;"
        )
    if d.char.terms:
        described.append(
            f"- character 2..5-grams inside words ({len(d.char.terms):,} most frequent seen in "
            f"at least {params.char_min_df} sentences), sub-linear TF-IDF, L2-normalised;"
        )
    if d.dense_names:
        described.append(
            f"- {len(d.dense_names)} dense features, standardised and scaled by "
            f"{params.dense_weight}: named signals of the spaCy parse, entity labels, "
            "part-of-speech tags and the mean of the 96-wide token vectors."
        )
    blocks = "\n".join(described)
    data_use = (
        f"ClaimBuster and CLEF sentences are trained jointly (CLEF weight {params.clef_weight})."
        if params.clef_weight > 0
        else "Trained on ClaimBuster sentences only; CLEF debates are used to measure MAP "
        "(joint training lowered both cross-validated figures, see benchmarks/RESULTS.md)."
    )
    cb_figures = f"P {cb.get('P')} · R {cb.get('R')} · **F1 {cb.get('F1')}** · AUC {cb.get('AUC')}"
    clef = figures.get("clef", {})
    data_rows = "\n".join(
        f"| `{name}` | {f['sentences']:,} | {f['positives']:,} | `{f['sha256'][:16]}…` |"
        for name, f in files.items()
    )
    return f"""# Check-worthiness model (claims)

Scores a claim candidate (a sentence, or the reported part of a quote) 0..1: how likely a
fact-checker would pick it. Used by `app/extraction/claims.py`; arithmetic in
`app/extraction/claims_model.py` (numpy only); trained by `app/extraction/training/claims.py`.

- weights: `{WEIGHTS_FILE}` ({size / 1e6:.2f} MB, JSON, no code runs when it is loaded)
- sha256: `{sha}` (checked before loading; a mismatch is refused)
- decision threshold: **{threshold}** (best F1 of the out-of-fold ClaimBuster scores, positives
  weighted to half, since ClaimBuster-style evaluation sets are balanced)
- trained: {today}, with `quotegraph train claims --data ../shared/eval` (or
  `make models`); seed {params.seed}; the same data and seed give the same bytes

## Model

Logistic regression (scikit-learn `LogisticRegression`, L2, C={params.C}, lbfgs) over:

{blocks}

{data_use}

## Training data

| file | sentences | positive | sha256 |
|---|---|---|---|
{data_rows}

- ClaimBuster (UT Arlington; US presidential debates 1960-2016), licence **CC BY 4.0**; label 1 =
  check-worthy factual sentence.
- CLEF 2019 CheckThat! Lab task 1 training data (debates and speeches; label 1 = selected by
  fact-checkers). Terms as the project's data README states them: for **training**
  check-worthiness, internal use; no licence is stated there. Its texts are never copied into
  the repository, only weights derived from them.

## Cross-validated figures

ClaimBuster: 5 stratified folds, P/R/F1 with positives weighted to half of the sentences (as
in a balanced set; the file itself is 25 % positive); CLEF: 5 folds of whole debates
(leave-debates-out). Sentences present in both data sets are dropped from training when they
are in a test fold.

| protocol | figures |
|---|---|
| ClaimBuster, balanced, threshold {cb.get("threshold")} | {cb_figures} |
| ClaimBuster as sampled (25 % positive), same threshold | F1 {cb.get("F1 as sampled")} |
| CLEF 2019, ranked per debate | **MAP {clef.get("MAP")}** · AUC {clef.get("AUC")} |

The threshold is chosen on the same out-of-fold scores it is reported on, so the F1 above is
slightly optimistic; held-out sentences decide.

## Limits

Trained on US political debates and speeches: news sentences differ (longer, third person,
reported speech). The label mixes "factual" with "worth checking", as the two data sets do.
"""
