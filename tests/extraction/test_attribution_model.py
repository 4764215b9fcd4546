"""The learned attribution model: deterministic training, sha256-checked loading, proposals of
beliefs the rules leave out, attribution classes and the ggt/polnear views."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from app.cli import cli
from app.extraction import Extraction
from app.extraction.classes import attribution_class
from app.extraction.jsonl import prediction_record
from app.extraction.learned.model import (
    AttributionModel,
    ModelError,
    load_model,
    propose_cues,
    shipped_model,
)
from app.extraction.learned.train import train, write_model

_SENTENCES = [
    ("Jane Doe", "believes", "the bridge will open in May"),
    ("Omar Diaz", "believes", "the tax cut was a mistake"),
    ("The mayor", "believes", "the stadium will pay for itself"),
    ("Lena Park", "fears", "the factory will close by winter"),
    ("Tom Reed", "fears", "prices will keep rising this year"),
    ("The council", "fears", "the river could flood the valley"),
]


def _record(number: int) -> dict[str, Any]:
    text = "The town met on Monday.\n\n"
    quotes = []
    for source, cue, content in _SENTENCES:
        start = len(text)
        text += f"{source} {cue} that {content}. "
        cue_start = start + len(source) + 1
        content_start = cue_start + len(cue) + len(" that ")
        quotes.append(
            {
                "text": content,
                "start": content_start,
                "end": content_start + len(content),
                "speaker": None,
                "speaker_start": start,
                "speaker_end": start + len(source),
                "cue": cue,
                "cue_start": cue_start,
                "cue_end": cue_start + len(cue),
                "type": "indirect",
            }
        )
    text += "\n\nNothing else happened."
    return {"id": f"invented-{number}", "text": text, "quotes": quotes}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    with (folder / "polnear_train.jsonl").open("w", encoding="utf-8") as handle:
        for number in range(2):
            handle.write(json.dumps(_record(number)) + "\n")
    return folder


def test_training_is_deterministic_and_the_card_pins_the_weights(tiny: Path) -> None:
    records = [json.loads(line) for line in (tiny / "polnear_train.jsonl").open()]
    first, second = train(records), train(records)
    assert first == second
    model_dir = tiny / "model"
    digest = write_model(model_dir, first)
    assert f"sha256: `{digest}`" in (model_dir / "README.md").read_text()
    model = load_model(model_dir)
    assert {"believe", "fear"} <= set(model.lexicon)
    (model_dir / "attribution.json").write_bytes(first.replace(b'"threshold"', b'"threshold" '))
    with pytest.raises(ModelError, match="sha256"):
        load_model(model_dir)


def test_train_attribution_command_writes_the_same_bytes(tiny: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(
            cli,
            ["train", "attribution", "--data", str(tiny), "--output", str(tmp_path / name)],
        )
        assert result.exit_code == 0, result.output
        assert "sha256" in result.output
    assert (tmp_path / "a" / "attribution.json").read_bytes() == (
        tmp_path / "b" / "attribution.json"
    ).read_bytes()


def test_trained_model_proposes_a_belief_the_rules_leave_out(tiny: Path, nlp: Language) -> None:
    records = [json.loads(line) for line in (tiny / "polnear_train.jsonl").open()]
    model_dir = tiny / "proposals"
    write_model(model_dir, train(records))
    model = load_model(model_dir)
    doc = nlp("Anna Berg believes that the school will reopen in the spring.")
    cues = propose_cues(doc, 0, 0, [], model)
    assert [(c.text, c.speaker.text if c.speaker else None) for c in cues] == [
        ("believes", "Anna Berg")
    ]
    assert cues[0].content is not None
    assert doc.text[cues[0].content[0] : cues[0].content[1]] == (
        "the school will reopen in the spring"
    )
    assert cues[0].score is not None and cues[0].score >= model.threshold
    silent = AttributionModel(model.weights, 2.0, model.lexicon)
    assert propose_cues(doc, 0, 0, [], silent) == []


def test_shipped_model_loads_against_its_card() -> None:
    model = shipped_model()
    assert model.threshold > 0.0


@pytest.mark.parametrize(
    ("lemma", "source", "expected"),
    [
        ("say", "Jane Doe", "speech"),
        ("believe", "Jane Doe", "belief"),
        ("want", "she", "belief"),
        ("show", "poll", "evidence"),
        ("find", "report", "evidence"),
        ("find", "Doe", "speech"),
    ],
)
def test_attribution_class(lemma: str, source: str, expected: str) -> None:
    assert attribution_class(lemma, source) == expected


def test_ggt_view_keeps_speech_and_polnear_view_keeps_every_class(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The vote is next week.\n\n"
        "Mayor Jane Doe said the budget would pass without changes. "
        "A new poll shows most residents oppose the plan."
    )
    classes = {q.attribution_class for q in result.quotes}
    assert "speech" in classes
    ggt = prediction_record("x", result, "ggt")
    polnear = prediction_record("x", result, "polnear")
    assert all(q["attribution_class"] == "speech" for q in ggt["quotes"])
    assert len(polnear["quotes"]) == len(result.quotes)
    assert len(ggt["quotes"]) == sum(q.attribution_class == "speech" for q in result.quotes)
