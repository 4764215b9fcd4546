"""Prediction records, and evaluate() agreeing with shared/eval/score.py on invented data."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.extraction import extract_many
from app.extraction.evaluation import evaluate, format_report
from app.extraction.jsonl import prediction_record

SCORER = Path(__file__).resolve().parents[3] / "shared" / "eval" / "score.py"

GOLD_TEXTS = [
    'Ann Lee spoke on Monday. "We will build the bridge by June," she said. '
    "Bob Grant said the cost would double.",
    "The ministry said in a statement that the border would stay closed until March. "
    '"It is a sad day," said Tom Reid, a trader.',
    "Nothing was said here.",
]


def _gold() -> list[dict[str, Any]]:
    def span(text: str, part: str) -> tuple[int, int]:
        start = text.index(part)
        return start, start + len(part)

    t0, t1, t2 = GOLD_TEXTS
    q = []
    s, e = span(t0, "We will build the bridge by June")
    ms, me = span(t0, "she")
    q.append(
        [
            {
                "start": s,
                "end": e,
                "speaker": "Ann Lee",
                "speaker_start": ms,
                "speaker_end": me,
                "type": "direct",
            },
        ]
    )
    s, e = span(t0, "the cost would double")
    ms, me = span(t0, "Bob Grant")
    q[0].append(
        {
            "start": s,
            "end": e,
            "speaker": "Bob Grant",
            "speaker_start": ms,
            "speaker_end": me,
            "type": "indirect",
        }
    )
    s, e = span(t1, "the border would stay closed until March")
    ms, me = span(t1, "The ministry")
    q.append(
        [
            {
                "start": s,
                "end": e,
                "speaker": None,
                "speaker_start": ms,
                "speaker_end": me,
                "type": "indirect",
            }
        ]
    )
    s, e = span(t1, "It is a sad day")
    q[1].append(
        {
            "start": s,
            "end": e,
            "speaker": "Thomas Reid",
            "speaker_start": None,
            "speaker_end": None,
            "type": "direct",
        }
    )
    # A gold quote the extractor cannot find, so recall is below 1.
    s, e = span(t2, "Nothing was said here")
    q.append(
        [
            {
                "start": s,
                "end": e,
                "speaker": "Nobody",
                "speaker_start": None,
                "speaker_end": None,
                "type": "mixed",
            }
        ]
    )
    return [
        {"id": f"a{i}", "text": t, "quotes": qs}
        for i, (t, qs) in enumerate(zip(GOLD_TEXTS, q, strict=True))
    ]


def _load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_prediction_record_shape() -> None:
    gold = _gold()
    record = prediction_record("a0", next(extract_many([gold[0]["text"]])))
    assert set(record) == {"id", "speakers", "quotes", "claims", "dateline", "byline"}
    quote = record["quotes"][0]
    assert set(quote) == {
        "text",
        "start",
        "end",
        "speaker",
        "speaker_start",
        "speaker_end",
        "cue",
        "cue_start",
        "cue_end",
        "type",
        "role",
        "confidence",
        "attribution_class",
    }
    assert quote["speaker"] == "Ann Lee"
    assert set(record["speakers"][0]) == {"name", "kind", "named", "role", "aliases"}
    json.dumps(record)


def test_evaluate_matches_the_reference_scorer(tmp_path: Path) -> None:
    if not SCORER.exists():
        pytest.skip(f"reference scorer not found at {SCORER}")
    gold = _gold()
    predicted = [
        prediction_record(g["id"], ex)
        for g, ex in zip(gold, extract_many([g["text"] for g in gold]), strict=True)
    ]
    gold_path, pred_path = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold_path.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in predicted), encoding="utf-8")
    reference = _load_scorer().score(str(gold_path), str(pred_path))
    ours = evaluate(gold, predicted)
    assert ours == reference
    assert 0 < ours["span_iou"]["R"] < 1
    assert ours["end_to_end"]["P"] > 0


def test_evaluate_counts_wrong_speaker_as_span_hit_only() -> None:
    text = '"We will win," said Ann Lee.'
    gold = [
        {
            "id": "x",
            "text": text,
            "quotes": [
                {
                    "start": 1,
                    "end": 12,
                    "speaker": "Ann Lee",
                    "speaker_start": 20,
                    "speaker_end": 27,
                    "type": "direct",
                }
            ],
        }
    ]
    wrong = [{"id": "x", "quotes": [{"start": 0, "end": 13, "speaker": "Bob Grant"}]}]
    report = evaluate(gold, wrong)
    assert report["span_iou"]["F1"] == 1.0
    assert report["end_to_end"]["F1"] == 0.0
    assert "end-to-end" in format_report(report)


def test_by_confidence_reports_each_band_from_the_matches() -> None:
    from app.extraction.evaluation import by_confidence

    text = '"We will win," said Ann Lee. "We lost," said Bo Chen.'
    gold = [
        {
            "id": "x",
            "text": text,
            "quotes": [
                {"start": 1, "end": 12, "speaker": "Ann Lee"},
                {"start": 30, "end": 37, "speaker": "Bo Chen"},
            ],
        }
    ]
    predicted = [
        {
            "id": "x",
            "quotes": [
                {"start": 0, "end": 13, "speaker": "Ann Lee", "confidence": 0.9},
                {"start": 29, "end": 38, "speaker": "Ann Lee", "confidence": 0.6},
                {"start": 20, "end": 27, "speaker": "Bo Chen", "confidence": 0.6},
            ],
        }
    ]
    bands = {b["band"]: b for b in by_confidence(gold, predicted)}
    assert bands["0.85-1.00"] == {
        "band": "0.85-1.00",
        "quotes": 1,
        "span_precision": 1.0,
        "speaker_right_given_span": 1.0,
    }
    assert bands["0.50-0.70"]["quotes"] == 2
    assert bands["0.50-0.70"]["span_precision"] == 0.5
    assert bands["0.50-0.70"]["speaker_right_given_span"] == 0.0
    assert bands["0.00-0.50"]["quotes"] == 0
