"""`extract`, `eval` and `ingest` use every available CPU by default, with the same output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from app.cli import available_cpus, cli

GOLD_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "eval_gold.jsonl"

# Invented articles, each exercising a different part of the extractor: direct quotes with
# the cue before and after, an interrupted quote, pronouns, indirect speech, beliefs,
# evidence, claims with figures, a layout quote, and an article with nothing to find.
ARTICLES = [
    (
        "Harbour officials in Port Wenlow said on Tuesday that the new ferry terminal would open"
        " in May.\n\n"
        '"We have waited eleven years for this," said Mayor Dana Okafor. "The town is ready."\n\n'
        "Okafor added that ticket prices would fall by 20 per cent next year."
    ),
    (
        "Deputy Transport Minister Ravi Mendel told reporters the rail link was on schedule.\n\n"
        '"Every bridge is finished," he said, "and the tunnels are dry."\n\n'
        "A survey by the Wenlow Institute found that 64 per cent of commuters back the plan."
    ),
    "",
    (
        "The council believes the budget gap can be closed without new taxes.\n\n"
        "Priya Castell, who chairs the finance committee, said she doubted the figures.\n\n"
        "Castell: \u201cThe numbers do not add up.\u201d"
    ),
    "Rain fell all afternoon over the harbour. The market closed early.",
    (
        "According to the ministry, unemployment fell to 4.1 per cent in March.\n\n"
        "Economist Tomas Berg warned that the fall would not last. \u201cHiring has slowed in"
        " every sector we track,\u201d Berg said in an interview. He expects a rise by autumn."
    ),
]


def _extract(*options: str) -> str:
    lines = "".join(
        json.dumps({"id": f"art-{i}", "text": text}) + "\n" for i, text in enumerate(ARTICLES)
    )
    result = CliRunner().invoke(cli, ["extract", *options], input=lines)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_extract_gives_the_same_bytes_with_one_or_two_processes() -> None:
    for scheme in ("ggt", "polnear"):
        one = _extract("--processes", "1", "--scheme", scheme)
        two = _extract("--processes", "2", "--scheme", scheme)
        default = _extract("--scheme", scheme)
        assert two == one
        assert default == one
        records = [json.loads(line) for line in one.splitlines()]
        # In input order, and with something found: the comparison is not between two empties.
        assert [r["id"] for r in records] == [f"art-{i}" for i in range(len(ARTICLES))]
        assert sum(len(r["quotes"]) for r in records) >= 6
        speakers = {q["speaker"] for r in records for q in r["quotes"]}
        assert {"Dana Okafor", "Ravi Mendel"} <= speakers
        assert records[2]["quotes"] == []


def test_available_cpus_follows_the_affinity_mask() -> None:
    assert available_cpus() == len(os.sched_getaffinity(0))
    # A process pinned to one CPU extracts with one process by default.
    pinned = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))});"
            "from app.cli import available_cpus; print(available_cpus())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert pinned.stdout.strip() == "1"


def test_eval_defaults_to_the_available_cpus_and_refuses_zero() -> None:
    result = CliRunner().invoke(cli, ["eval", str(GOLD_FIXTURE)])
    assert result.exit_code == 0, result.output
    assert f"({available_cpus()} processes," in result.output
    refused = CliRunner().invoke(cli, ["extract", "--processes", "0"], input="")
    assert refused.exit_code == 1
    assert "--processes must be at least 1" in refused.output
