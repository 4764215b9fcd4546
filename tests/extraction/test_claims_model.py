"""The claims model: weights checked by sha256, reproducible training, numpy scoring = sklearn."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from app.extraction.claims_model import (
    ABSENT_SIGNALS,
    MODEL_DIR,
    ClaimModel,
    ModelError,
    explanation,
    shipped_model,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "claims"


def test_shipped_weights_load_after_their_sha256_is_checked() -> None:
    model = ClaimModel.load(MODEL_DIR)
    assert 0.0 < model.threshold < 1.0
    assert (MODEL_DIR / "weights.json").stat().st_size < 5_000_000


def test_changed_weights_are_refused(tmp_path: Path) -> None:
    shutil.copytree(MODEL_DIR, tmp_path / "claims")
    weights = tmp_path / "claims" / "weights.json"
    document = json.loads(weights.read_text(encoding="utf-8"))
    document["bias"] += 1.0
    weights.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ModelError, match="sha256"):
        ClaimModel.load(tmp_path / "claims")


def test_a_card_without_sha256_is_refused(tmp_path: Path) -> None:
    shutil.copytree(MODEL_DIR, tmp_path / "claims")
    (tmp_path / "claims" / "README.md").write_text("# a card\n", encoding="utf-8")
    with pytest.raises(ModelError, match="states no sha256"):
        ClaimModel.load(tmp_path / "claims")


def test_explanation_lists_the_strongest_pushes_both_ways(nlp: Language) -> None:
    text = "Unemployment fell to 4.1 percent in 2019, the lowest rate in fifty years."
    doc = nlp(text)
    model = shipped_model()
    contributions = model.contributions(doc[:], text)
    shown = explanation(contributions, k=3)
    ups = [v for v in shown.values() if v > 0]
    assert ups and len(shown) <= 6
    assert max(shown.values()) == pytest.approx(max(c.value for c in contributions), abs=1e-3)
    assert model.probability(contributions) >= model.threshold


def test_explanation_names_only_signals_the_sentence_has(nlp: Language) -> None:
    # No pronoun, no money, no person here: none of them may be named as a reason.
    text = "Unemployment fell to 4.1 percent in 2019, the lowest rate in fifty years."
    doc = nlp(text)
    model = shipped_model()
    contributions = model.contributions(doc[:], text)
    tags = {token.tag_ for token in doc}
    labels = {ent.label_ for ent in doc.ents}
    for contribution in contributions:
        kind, _, value = contribution.name.partition(":")
        if kind == "tag":
            assert value in tags, contribution
        elif kind == "ent":
            assert value in labels, contribution
    assert ABSENT_SIGNALS in {c.name for c in contributions}


def test_training_is_reproducible_and_numpy_scoring_matches_scikit_learn(
    tmp_path: Path, nlp: Language
) -> None:
    from app.extraction.training.claims import (
        Params,
        design,
        fit_logistic,
        load_training_data,
        sample_weights,
        train,
    )

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "train.jsonl", data / "claimbuster_train.jsonl")
    params = Params(char_min_df=2)
    first = train(data, tmp_path / "a", params, folds=2, cache=False)
    second = train(data, tmp_path / "b", params, folds=2, cache=False)
    assert first.weights.read_bytes() == second.weights.read_bytes()
    assert first.sha256 in first.card.read_text(encoding="utf-8")

    model = ClaimModel.load(tmp_path / "a")
    sentences, names, dense = load_training_data(data, cache=False)
    d = design([s.text for s in sentences], names, dense, params)
    labels = np.asarray([s.label for s in sentences])
    reference = fit_logistic(d.matrix, labels, sample_weights(sentences, params), params)
    expected = reference.predict_proba(d.matrix)[:, 1]
    ours = [model.score(doc[:], doc.text) for doc in nlp.pipe(s.text for s in sentences)]
    assert np.allclose(ours, expected, atol=1e-4)
    # it learned something from its sixteen invented examples of each kind
    assert np.mean([x >= model.threshold for x in ours[:16]]) > 0.8
    assert np.mean([x < model.threshold for x in ours[16:]]) > 0.8
