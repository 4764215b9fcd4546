"""The rule registry, switching rules off, and scoring by rule (eval --by-rule / --ablate)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.extraction import Extraction, extract
from app.extraction.evaluation import ablation, by_rule, evaluate
from app.extraction.jsonl import prediction_record
from app.extraction.learned.train import parse_articles
from app.extraction.pipeline import build_extraction
from app.extraction.rules import LEARNED, RULES, STAGES, UnknownRule, declare, rule, tracing
from tests.extraction.rules.helpers import LEAD

STORY = (
    LEAD + "Jane Doe, the mayor, spoke first. The mayor said the bridge would close in June.\n\n"
    '"We will rebuild it before winter," Doe said. "It will take a year."'
)


def test_every_rule_is_declared_with_stage_example_and_sane_confidence() -> None:
    assert len(RULES) >= 60
    for declared in RULES.values():
        assert declared.stage in STAGES
        assert declared.example.strip(), declared.id
        for value in [declared.confidence, *declared.also.values()]:
            assert value is None or 0.0 < value <= 1.0, declared.id
        assert not (declared.filter and declared.confidence is not None), declared.id


def test_an_id_is_declared_once() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        declare("according_to", stage="cue", example="According to X, y.")

    with pytest.raises(ValueError, match="declared twice"):

        @rule(LEARNED, stage="cue", example="x")
        def learned() -> None:
            """Not a rule."""


def test_unknown_rule_ids_are_refused() -> None:
    with pytest.raises(UnknownRule, match="no_such_rule"):
        extract("Jane Doe said the bridge would close.", disabled={"no_such_rule"})


def test_stamps_are_declared_rules_and_reach_the_jsonl(run: Callable[[str], Extraction]) -> None:
    result = run(STORY)
    assert len(result.quotes) == 2  # the second is one quote in two fragments
    for quote in result.quotes:
        assert quote.rule in RULES
        assert (quote.speaker_rule is None) == (quote.speaker is None)
        assert quote.speaker_rule is None or quote.speaker_rule in RULES
    record = prediction_record("a", result)
    # The GGT view has an item per fragment, each with its quote's stamps.
    assert [(q["rule"], q["speaker_rule"]) for q in record["quotes"]] == [
        (q.rule, q.speaker_rule) for q in result.quotes for _ in q.fragments
    ]


def test_by_rule_and_ablation_on_a_gold_record(run: Callable[[str], Extraction]) -> None:
    result = run(STORY)
    start = STORY.index("the bridge")
    end = STORY.index(" in June") + len(" in June")
    gold = [
        {
            "id": "a",
            "text": STORY,
            "quotes": [{"start": start, "end": end, "speaker": "Jane Doe", "type": "indirect"}],
        }
    ]
    predicted = [prediction_record("a", result)]
    table = by_rule(gold, predicted)
    assert table["rule"]["reporting_verb"] == {
        "quotes": 1,
        "span_precision": 1.0,
        "e2e_precision": 1.0,
    }
    assert table["rule"]["quoted_clause"]["span_precision"] == 0.0
    assert table["speaker_rule"] == {"described_person": {"matched": 1, "speaker_right": 1.0}}
    without = [prediction_record("a", extract(STORY, disabled={"described_person"}))]
    change = ablation(evaluate(gold, predicted), evaluate(gold, without))
    assert change["quotes"] == 0 and change["span_f1"] == 0.0
    assert change["e2e_f1"] < 0  # the rule pays: without it the mayor is nobody known


def test_cli_eval_by_rule_and_ablate(tmp_path: Path) -> None:
    start = STORY.index("the bridge")
    end = STORY.index(" in June") + len(" in June")
    gold = {
        "id": "a",
        "text": STORY,
        "quotes": [{"start": start, "end": end, "speaker": "Jane Doe", "type": "indirect"}],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    runner = CliRunner()
    args = ["eval", str(path), "--processes", "1", "--by-rule", "--ablate", "described_person"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "reporting_verb" in result.stdout and "described_person" in result.stdout
    assert "without described_person: quotes +0, span F1 +0.0000, end-to-end F1 -" in (
        result.stdout
    )
    bad = runner.invoke(cli, ["eval", str(path), "--ablate", "no_such_rule"])
    assert bad.exit_code == 1 and "unknown rule id(s): no_such_rule" in bad.stderr
    listing = runner.invoke(cli, ["rules", "--stage", "resolve"])
    assert listing.exit_code == 0 and "pronoun_antecedent" in listing.stdout
    assert "according_to" not in listing.stdout


def test_a_rule_that_decided_nothing_changes_nothing_when_switched_off() -> None:
    """tracing() names the rules that decided anything; switching any other off leaves the
    output as it was (what lets benchmarks/rules_report.py skip their ablations)."""
    sample = Path(__file__).parents[3] / "examples" / "articles.jsonl"
    records = [json.loads(line) for line in sample.read_text().splitlines() if line.strip()]
    articles = parse_articles([*records, {"text": STORY}])

    def outputs(disabled: frozenset[str]) -> list[Extraction]:
        return [build_extraction(a.text, a.layout, a.docs, disabled=disabled) for a in articles]

    with tracing() as decided:
        everything = outputs(frozenset())
    assert {"reporting_verb", "entity_name", "complement_clause"} <= decided
    assert decided < RULES.keys()
    for rule_id in sorted(RULES.keys() - decided):
        assert outputs(frozenset({rule_id})) == everything, rule_id
    assert outputs(frozenset({"reporting_verb"})) != everything


def test_tracing_notes_a_rule_even_when_it_is_switched_off() -> None:
    articles = parse_articles([{"text": STORY}])
    a = articles[0]
    with tracing() as decided:
        build_extraction(a.text, a.layout, a.docs, disabled=frozenset({"reporting_verb"}))
    assert "reporting_verb" in decided
    with tracing() as outside:
        pass
    assert not outside
