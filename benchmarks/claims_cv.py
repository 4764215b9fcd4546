"""Print the cross-validated figures of each check-worthiness candidate (the table in RESULTS.md).

Usage:
    .venv/bin/python benchmarks/claims_cv.py [--data ../shared/eval] [--only NAME ...]

ClaimBuster: 5 stratified folds (its `group` is one value for all sentences, so it gives no
folds); the threshold is the one with the best F1 over the pooled out-of-fold scores, and F1 at
0.5 is printed beside it. CLEF 2019: 5 folds of whole debates (GroupKFold), MAP over debates as
score_claims.py computes it. A sentence that occurs in both files is dropped from training when
it is in the test fold of either. Vocabularies and IDF are computed once over all training texts
(no labels are used for them), then each fold fits on its rows; candidates differ in blocks
(columns), training rows (CB only or joint) and learner.
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from app.extraction.training.claims import (
    Design,
    Params,
    design,
    fit_logistic,
    load_training_data,
    make_folds,
    out_of_fold,
    sample_weights,
)

SHIPPED = Params()
CB_ONLY = replace(SHIPPED, clef_weight=0.0, blocks=("word", "char", "dense"))
FitPredict = Callable[[np.ndarray, np.ndarray], np.ndarray]


class Bench:
    """One design (all blocks, vocabularies over all texts) shared by every candidate."""

    def __init__(self, sentences: Any, names: Any, dense: Any) -> None:
        self.sentences = sentences
        self.names = names
        self.dense = dense
        self.labels = np.asarray([s.label or 0 for s in sentences])
        self.memo: dict[tuple[str, int], np.ndarray] = {}

    @functools.cached_property
    def d(self) -> Design:
        return design([s.text for s in self.sentences], self.names, self.dense, SHIPPED)

    def matrix(self, blocks: tuple[str, ...]) -> Any:
        n_word, n_char = len(self.d.word.terms), len(self.d.char.terms)
        columns = {
            "word": np.arange(0, n_word),
            "char": np.arange(n_word, n_word + n_char),
            "dense": np.arange(n_word + n_char, self.d.matrix.shape[1]),
        }
        cols = np.concatenate([columns[b] for b in blocks])
        return self.d.matrix[:, cols]

    def remembered(self, name: str, fit_predict: FitPredict) -> FitPredict:
        def run(train: np.ndarray, test: np.ndarray) -> np.ndarray:
            key = (name, hash(test.tobytes()))
            if key not in self.memo:
                self.memo[key] = fit_predict(train, test)
            return self.memo[key]

        return run

    def logistic(self, name: str, params: Params) -> FitPredict:
        w = sample_weights(self.sentences, params)

        def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
            x = self.matrix(params.blocks)
            model = fit_logistic(x[train], self.labels[train], w[train], params)
            return np.asarray(model.predict_proba(x[test])[:, 1])

        return self.remembered(name, fit_predict)

    def svm(self, name: str, params: Params) -> FitPredict:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        w = sample_weights(self.sentences, params)

        def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
            x = self.matrix(params.blocks)
            svm = LinearSVC(C=params.C / 8, random_state=params.seed, max_iter=5000)
            model = CalibratedClassifierCV(svm, method="sigmoid", cv=3)
            model.fit(x[train], self.labels[train], sample_weight=w[train])
            return np.asarray(model.predict_proba(x[test])[:, 1])

        return self.remembered(name, fit_predict)

    def lightgbm(self, name: str, params: Params) -> FitPredict:
        import lightgbm

        w = sample_weights(self.sentences, params)

        def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
            model = lightgbm.LGBMClassifier(
                n_estimators=300,
                learning_rate=0.05,
                num_leaves=31,
                subsample=0.8,
                subsample_freq=1,
                colsample_bytree=0.5,
                random_state=params.seed,
                n_jobs=1,
                verbose=-1,
            )
            model.fit(self.dense[train], self.labels[train], sample_weight=w[train])
            return np.asarray(model.predict_proba(self.dense[test])[:, 1])

        return self.remembered(name, fit_predict)

    def blend(self, *parts: FitPredict) -> FitPredict:
        """Mean of the candidates' log-odds: a stack with fixed equal weights (nothing fitted)."""

        def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
            logits = []
            for part in parts:
                p = np.clip(part(train, test), 1e-9, 1 - 1e-9)
                logits.append(np.log(p / (1 - p)))
            return np.asarray(1 / (1 + np.exp(-np.mean(logits, axis=0))))

        return fit_predict


def candidates(bench: Bench) -> dict[str, tuple[Params, FitPredict]]:
    word_cb = replace(CB_ONLY, blocks=("word",))
    all_joint = replace(SHIPPED, clef_weight=1.0, blocks=("word", "char", "dense"))
    out = {
        "lr-word-cb (TF-IDF floor; shipped)": (word_cb, bench.logistic("word-cb", word_cb)),
        "lr-word+char-cb": (
            replace(CB_ONLY, blocks=("word", "char")),
            bench.logistic("wc-cb", replace(CB_ONLY, blocks=("word", "char"))),
        ),
        "lr-word+char+dense-cb": (CB_ONLY, bench.logistic("all-cb", CB_ONLY)),
        "lr-word+char+dense-joint": (all_joint, bench.logistic("all", all_joint)),
        "lgbm-dense-joint": (all_joint, bench.lightgbm("lgbm", all_joint)),
    }
    out["stack lr+lgbm (mean log-odds)"] = (
        all_joint,
        bench.blend(bench.logistic("all", all_joint), bench.lightgbm("lgbm", all_joint)),
    )
    out["svm-word+char+dense-joint (sigmoid-calibrated)"] = (all_joint, bench.svm("svm", all_joint))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    sentences, names, dense = load_training_data(args.data)
    folds = make_folds(sentences, args.folds, SHIPPED.seed)
    bench = Bench(sentences, names, dense)
    for name, (params, fit_predict) in candidates(bench).items():
        if args.only and not any(o in name for o in args.only):
            continue
        started = time.perf_counter()
        figures = out_of_fold(fit_predict, sentences, folds, params)
        figures["seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps({"candidate": name, **figures}), flush=True)


if __name__ == "__main__":
    main()
