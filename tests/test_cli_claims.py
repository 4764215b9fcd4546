"""`quotegraph eval-claims` and `quotegraph train claims` on small invented files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from app.extraction.claims_eval import figures
from app.extraction.claims_model import shipped_model

FIXTURES = Path(__file__).parent / "fixtures" / "claims"


def test_eval_claims_prints_the_scorer_figures_and_writes_predictions(tmp_path: Path) -> None:
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(
        cli, ["eval-claims", str(FIXTURES / "eval.jsonl"), "--predictions", str(out)]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output[: result.output.rindex("}") + 1])
    assert printed["sentences"] == 8 and printed["positives"] == 3 and printed["groups"] == 2
    assert "sentences/s" in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [f"e{i}" for i in range(8)]
    threshold = shipped_model().threshold
    assert all(line["checkworthy"] == (line["score"] >= threshold) for line in lines)
    # the figures are the scorer's, recomputed from the written predictions
    gold = [json.loads(x) for x in (FIXTURES / "eval.jsonl").read_text().splitlines()]
    again = figures(gold, {p["id"]: (p["score"], p["checkworthy"]) for p in lines}, threshold)
    assert again == printed
    # invented, obvious sentences: the figures and courtesies are told apart
    assert printed["AUC"] >= 0.9 and printed["MAP"] >= 0.9


def test_eval_claims_without_labels_writes_predictions_only(tmp_path: Path) -> None:
    unlabelled = tmp_path / "u.jsonl"
    unlabelled.write_text(
        json.dumps({"id": "x", "text": "Rents rose 12 percent in 2024."}) + "\n", "utf-8"
    )
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli, ["eval-claims", str(unlabelled), "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    assert '"F1"' not in result.output and "1 sentences" in result.output
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert set(line) == {"id", "score", "checkworthy"}


def test_train_claims_writes_weights_and_a_card_that_load(tmp_path: Path) -> None:
    from app.extraction.claims_model import ClaimModel

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "train.jsonl", data / "claimbuster_train.jsonl")
    result = CliRunner().invoke(
        cli,
        ["train", "claims", "--data", str(data), "--out", str(tmp_path / "m"), "--folds", "2"],
    )
    assert result.exit_code == 0, result.output
    assert "sha256" in result.output
    model = ClaimModel.load(tmp_path / "m")
    assert 0 < model.threshold < 1


def test_train_claims_without_data_fails_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["train", "claims", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "no training file" in result.output
