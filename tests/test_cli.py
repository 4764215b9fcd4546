"""The quotegraph command line, run in-process against real databases."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.settings import Settings
from tests.conftest import GraphQL, row_counts
from tests.helpers import FOLLOWUP, STORY

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(database_url: str, *args: str, input: str | None = None) -> Any:
    result = CliRunner().invoke(cli, list(args), env={"DATABASE_URL": database_url}, input=input)
    return result


def test_ingest_reports_bad_inputs_and_is_idempotent(
    database_url: str, engine: sa.Engine, tmp_path: Path, extractor: Callable[[str], Any]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(STORY, encoding="utf-8")
    (corpus / "empty.txt").write_text("   \n", encoding="utf-8")
    (corpus / "binary.txt").write_bytes(b"\xff\xfe\x00bad")
    (corpus / "more.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"text": FOLLOWUP, "title": "Follow-up", "published_at": "2025-03-06"}),
                "{not json",
                json.dumps({"text": "Quoted text here.", "published_at": "soon"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = run(database_url, "ingest", str(corpus))
    assert result.exit_code == 0, result.output
    assert "2 stored, 0 already stored, 4 failed" in result.stdout
    for needle in ("empty.txt", "binary.txt", "more.jsonl:2", "more.jsonl:3"):
        assert needle in result.stderr
    counts = row_counts(engine)
    assert counts["article"] == 2
    assert counts["quote"] == len(extractor(STORY).quotes) + len(extractor(FOLLOWUP).quotes)

    again = run(database_url, "ingest", str(corpus))
    assert "0 stored, 2 already stored, 4 failed" in again.stdout
    assert row_counts(engine) == counts


def test_sample_article_after_ingest_answers_netanyahu(
    database_url: str, settings: Settings
) -> None:
    result = run(database_url, "ingest", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    with TestClient(create_app(settings)) as client:
        data = GraphQL(client).ok(
            '{ quotes(speaker: "Netanyahu", first: 10) '
            "{ totalCount edges { node { text speaker { name role } } } } }"
        )["quotes"]
    assert data["totalCount"] == 3
    assert {e["node"]["speaker"]["name"] for e in data["edges"]} == {"Benjamin Netanyahu"}
    assert data["edges"][0]["node"]["speaker"]["role"] == "Israeli Prime Minister"


def test_extract_reads_stdin_or_file_and_touches_no_database(tmp_path: Path) -> None:
    lines = (
        json.dumps({"id": "a", "text": STORY}) + "\n" + json.dumps({"id": "b", "text": ""}) + "\n"
    )
    result = run("sqlite:////nonexistent/dir/never.db", "extract", input=lines)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert records[1]["quotes"] == []
    for quote in records[0]["quotes"]:
        assert STORY[quote["start"] : quote["end"]] == quote["text"]
        assert set(quote) >= {
            "text",
            "start",
            "end",
            "speaker",
            "speaker_start",
            "speaker_end",
            "cue",
            "type",
            "confidence",
        }
    assert any(q["speaker"] == "Elena Vasquez" for q in records[0]["quotes"])

    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(lines, encoding="utf-8")
    result = run(
        "sqlite:////nonexistent/dir/never.db", "extract", str(source), "--output", str(output)
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()] == records


def test_extract_reports_and_skips_bad_lines(tmp_path: Path) -> None:
    lines = "\n".join(
        [
            json.dumps({"id": "a", "text": STORY}),
            "not json",
            json.dumps({"id": "b"}),
            json.dumps({"id": "c", "text": "Officials said on Monday that 3 people died."}),
        ]
    )
    result = run("sqlite:////nonexistent/dir/never.db", "extract", input=lines)
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c"]
    assert "line 2: not JSON" in result.stderr
    assert 'line 3: expected an object with a "text" string' in result.stderr
    assert "Traceback" not in result.output

    bad = tmp_path / "gold.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    result = run("sqlite:////nonexistent/dir/never.db", "eval", str(bad))
    assert result.exit_code == 1
    assert "gold.jsonl: line 1: not JSON" in result.stderr
    missing = run("sqlite:////nonexistent/dir/never.db", "extract", str(tmp_path / "none.jsonl"))
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_export_jsonl_and_csv_filtered_by_speaker(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(FOLLOWUP, encoding="utf-8")
    assert run(database_url, "ingest", str(tmp_path)).exit_code == 0
    everything = run(database_url, "export")
    rows = [json.loads(line) for line in everything.stdout.splitlines()]
    assert len({r["speaker"] for r in rows}) >= 2
    mine = run(database_url, "export", "--speaker", "vasquez", "--format", "csv")
    assert mine.exit_code == 0, mine.output
    table = list(csv.DictReader(io.StringIO(mine.stdout)))
    assert table and {r["speaker"] for r in table} == {"Elena Vasquez"}
    assert len(table) == sum(1 for r in rows if r["speaker"] == "Elena Vasquez")
    dates = [r["date"] for r in table]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("command", [["serve"], ["ingest", "README.md"]])
def test_commands_refuse_a_database_behind(tmp_path: Path, command: list[str]) -> None:
    result = run(f"sqlite:///{tmp_path}/new.db", *command)
    assert result.exit_code == 1
    assert "quotegraph db upgrade" in result.stderr


def test_db_upgrade_and_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    result = run(url, "db", "upgrade")
    assert result.exit_code == 0 and "revision" in result.stdout
    output = tmp_path / "schema.graphql"
    assert run(url, "schema", "--output", str(output)).exit_code == 0
    assert "type Quote implements Node" in output.read_text(encoding="utf-8")
