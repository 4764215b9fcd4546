"""spaCy `textcat` (bag-of-words architecture) on the ClaimBuster folds of claims_cv.py.

Usage:
    .venv/bin/python benchmarks/claims_textcat_cv.py [--data ../shared/eval] [--epochs 3]

Same folds, seed, training rows (ClaimBuster only; a sentence also in the test fold is
dropped) and figures (`out_of_fold`: balanced F1 at the best threshold, F1 as sampled, AUC)
as the candidates table in RESULTS.md. The tokenizer and vocabulary are the pinned pipeline's
(its other components are excluded); the classifier is `spacy.TextCatBOW.v3` (unigrams and
bigrams, hashed), exclusive classes, trained on CPU for a few epochs. CLEF MAP is not
measured here (CB rows only).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.extraction.nlp import PIPELINE_PACKAGE
from app.extraction.training.claims import (
    Folds,
    Params,
    load_training_data,
    make_folds,
    out_of_fold,
)

CB_ONLY = replace(Params(), clef_weight=0.0)
BOW = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": True,
    "ngram_size": 2,
    "no_output_layer": False,
    "length": 262144,
}


def main() -> None:
    import spacy
    from spacy.training import Example
    from spacy.util import compounding, fix_random_seed, minibatch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    sentences, _, _ = load_training_data(args.data)
    folds = make_folds(sentences, args.folds, CB_ONLY.seed)
    pinned = spacy.load(PIPELINE_PACKAGE)
    pinned.disable_pipes(*pinned.pipe_names)
    docs = [pinned.make_doc(s.text) for s in sentences]
    labels = [s.label or 0 for s in sentences]

    def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        fix_random_seed(CB_ONLY.seed)
        nlp = spacy.blank("en", vocab=pinned.vocab)
        nlp.tokenizer = pinned.tokenizer
        textcat = nlp.add_pipe("textcat", config={"model": BOW})
        examples = [
            Example.from_dict(docs[i].copy(), {"cats": {"1": labels[i], "0": 1 - labels[i]}})
            for i in train
        ]
        textcat.initialize(lambda: examples, nlp=nlp, labels=["0", "1"])
        optimizer = nlp.create_optimizer()
        rng = random.Random(CB_ONLY.seed)
        for _ in range(args.epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=compounding(4.0, 32.0, 1.001)):
                nlp.update(batch, sgd=optimizer, drop=0.0)
        scores = textcat.predict([docs[i].copy() for i in test])
        column = textcat.labels.index("1")
        return np.asarray(textcat.model.ops.to_numpy(scores)[:, column])

    started = time.perf_counter()
    figures = out_of_fold(fit_predict, sentences, Folds(folds.claimbuster, []), CB_ONLY)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    name = f"spacy textcat bow (uni+bigrams), CB only, {args.epochs} epochs"
    print(json.dumps({"candidate": name, **figures}), flush=True)


if __name__ == "__main__":
    main()
