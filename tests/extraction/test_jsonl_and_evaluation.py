"""Prediction records; `quotegraph eval` and evaluate() against figures counted independently
on a gold fixture of their own, and (when present) against shared/eval/score.py."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import cli
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
        "quote",
        "rule",
        "speaker_rule",
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


# --- `quotegraph eval` on a gold fixture of its own ---------------------------------------------

GOLD_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "eval_gold.jsonl"


def _gold_fixture() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD_FIXTURE.read_text("utf-8").splitlines()]


def _independent_scores(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict:
    """The scorer's protocol written out again from its description (shared/eval/README):
    trimmed spans, greedy one-to-one matching by IoU >= 0.5, names equal as token lists
    (strict) or one a subset of the other (lenient), a gold mention span overlapping the
    predicted one when gold has no name."""
    edge = set(TRIM_CHARACTERS)

    def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
        while start < end and text[start] in edge:
            start += 1
        while end > start and text[end - 1] in edge:
            end -= 1
        return start, end

    def tokens(name: str | None) -> list[str]:
        folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
        return [t for t in re.findall(r"[a-z0-9]+", folded.lower()) if t not in TITLE_WORDS]

    def right(g: dict[str, Any], p: dict[str, Any], lenient: bool) -> bool:
        if g.get("speaker"):
            a, b = tokens(g["speaker"]), tokens(p.get("speaker"))
            return bool(a and b) and (
                a == b or (lenient and (set(a) <= set(b) or set(b) <= set(a)))
            )
        if g.get("speaker_start") is not None:
            if p.get("speaker_start") is None:
                return False
            return min(g["speaker_end"], p["speaker_end"]) > max(
                g["speaker_start"], p["speaker_start"]
            )
        return not p.get("speaker")

    n_gold = n_pred = exact = spans = strict = lenient = 0
    by_id = {p["id"]: p for p in predicted}
    for article in gold:
        text = article["text"]
        g_spans = [trimmed(text, q["start"], q["end"]) for q in article["quotes"]]
        p_quotes = by_id[article["id"]]["quotes"]
        p_spans = [trimmed(text, q["start"], q["end"]) for q in p_quotes]
        n_gold, n_pred = n_gold + len(g_spans), n_pred + len(p_spans)
        exact += sum(min(g_spans.count(s), p_spans.count(s)) for s in set(g_spans))
        scored = []
        for i, g in enumerate(g_spans):
            for j, p in enumerate(p_spans):
                overlap = max(0, min(g[1], p[1]) - max(g[0], p[0]))
                union = max(g[1], p[1]) - min(g[0], p[0])
                if union and overlap / union >= 0.5:
                    scored.append((overlap / union, i, j))
        taken_g: set[int] = set()
        taken_p: set[int] = set()
        for _, i, j in sorted(scored, reverse=True):
            if i not in taken_g and j not in taken_p:
                taken_g.add(i)
                taken_p.add(j)
                spans += 1
                strict += right(article["quotes"][i], p_quotes[j], lenient=False)
                lenient += right(article["quotes"][i], p_quotes[j], lenient=True)

    def prf(hits: int) -> tuple[float, float, float]:
        p = hits / n_pred if n_pred else 0.0
        r = hits / n_gold if n_gold else 0.0
        return round(p, 4), round(r, 4), round(2 * p * r / (p + r) if p + r else 0.0, 4)

    return {
        "quotes": (n_gold, n_pred),
        "span (IoU >= 0.5)": prf(spans),
        "span (exact)": prf(exact),
        "end-to-end": prf(lenient),
        "end-to-end (strict)": prf(strict),
    }


TRIM_CHARACTERS = " \t\n\"'\u201c\u201d\u2018\u2019\u00ab\u00bb,.;:\u2014\u2013-\u2026"
TITLE_WORDS = set(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sir",
        "president",
        "prime",
        "minister",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "mayor",
        "chief",
        "the",
        "premier",
        "s",
    ]
)
_ROW = re.compile(r"^(?P<label>.+?)\s+P (?P<p>[\d.]+)\s+R (?P<r>[\d.]+)\s+F1 (?P<f>[\d.]+)$")


def test_eval_command_reports_the_figures_an_independent_count_gives() -> None:
    gold = _gold_fixture()
    result = CliRunner().invoke(cli, ["eval", str(GOLD_FIXTURE), "--processes", "1"])
    assert result.exit_code == 0, result.output
    printed: dict[str, Any] = {}
    for line in result.output.splitlines():
        if found := _ROW.match(line):
            printed[found["label"]] = tuple(float(found[k]) for k in "prf")
        elif line.startswith("quotes: gold"):
            printed["quotes"] = tuple(int(n) for n in re.findall(r"\d+", line))
    predicted = [
        prediction_record(g["id"], ex)
        for g, ex in zip(gold, extract_many([g["text"] for g in gold]), strict=True)
    ]
    expected = _independent_scores(gold, predicted)
    assert printed == expected
    # The fixture is one the extractor mostly gets right, so the figures are not all zero.
    assert expected["quotes"][0] == 9
    assert expected["span (IoU >= 0.5)"][1] >= 0.5


def test_evaluate_on_hand_made_predictions_gives_hand_counted_figures() -> None:
    gold = _gold_fixture()
    text = {g["id"]: g["text"] for g in gold}

    def at(article: str, part: str, speaker: str | None) -> dict[str, Any]:
        start = text[article].index(part)
        return {"start": start, "end": start + len(part), "speaker": speaker}

    predicted = [
        {
            "id": "gold-pier",
            "quotes": [
                at("gold-pier", "We owe the families a full account", "Elena Vasquez"),
                # Quotation marks and the comma are trimmed: an exact match; surname only.
                at("gold-pier", '"Nobody warned us,"', "Reyes"),
                # 27 of 36 characters: a span match, not exact; no speaker.
                at("gold-pier", "the pier had been inspected", None),
            ],
        },
        {
            "id": "gold-clinic",
            "quotes": [
                at("gold-clinic", "Nobody should wait six hours in a corridor", "Amara Nwosu")
            ],
        },
        {"id": "gold-ferry", "quotes": []},
        {"id": "gold-weather", "quotes": [at("gold-weather", "Rain is expected", None)]},
    ]
    report = evaluate(gold, predicted)
    # 9 gold quotes, 5 predicted; 3 exact, 4 span matches, 3 right speakers (lenient: "Reyes"
    # in "Tomas Reyes"), 2 strictly right.
    assert (report["quotes_gold"], report["quotes_pred"]) == (9, 5)
    assert report["span_exact"] == {"P": 0.6, "R": 0.3333, "F1": 0.4286}
    assert report["span_iou"] == {"P": 0.8, "R": 0.4444, "F1": 0.5714}
    assert report["end_to_end"] == {"P": 0.6, "R": 0.3333, "F1": 0.4286}
    assert report["end_to_end_strict"] == {"P": 0.4, "R": 0.2222, "F1": 0.2857}
    assert report["attribution_given_span"] == 0.75
    assert report["recall_by_type"] == {"direct": 0.6, "indirect": 0.3333, "mixed": 0.0}
    assert report["e2e_recall_by_mention"] == {"name": 0.3333, "pronoun": 0.5, "no_mention": 0.0}
    assert _independent_scores(gold, predicted)["span (IoU >= 0.5)"] == (0.8, 0.4444, 0.5714)


def test_evaluate_matches_the_reference_scorer_on_the_gold_fixture() -> None:
    if not SCORER.exists():
        pytest.skip(f"reference scorer not found at {SCORER}")
    gold = _gold_fixture()
    predicted = [
        prediction_record(g["id"], ex)
        for g, ex in zip(gold, extract_many([g["text"] for g in gold]), strict=True)
    ]
    reference = _load_scorer().score(str(GOLD_FIXTURE), _write_jsonl(predicted))
    assert evaluate(gold, predicted) == reference


def _write_jsonl(records: list[dict[str, Any]]) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write("".join(json.dumps(r) + "\n" for r in records))
    return f.name
