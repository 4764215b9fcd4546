"""The command line's views of fragments and classes: extract by scheme, export by class."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.helpers import PIER_STORY as STORY
from tests.test_cli import run

NO_DATABASE = "sqlite:////nonexistent/dir/never.db"


def test_extract_gives_each_scheme_its_view(tmp_path: Path) -> None:
    line = json.dumps({"id": "pier", "text": STORY}) + "\n"
    ggt = run(NO_DATABASE, "extract", "--scheme", "ggt", input=line)
    polnear = run(NO_DATABASE, "extract", "--scheme", "polnear", input=line)
    assert ggt.exit_code == 0 and polnear.exit_code == 0, ggt.output + polnear.output
    per_fragment = json.loads(ggt.stdout)["quotes"]
    per_attribution = json.loads(polnear.stdout)["quotes"]
    # GGT: speech only, one item per fragment, each verifiable against the text.
    assert [q["text"] for q in per_fragment] == [
        "We will rebuild the pier",
        "It will take two years.",
        "The crews have done remarkable work",
    ]
    assert all(STORY[q["start"] : q["end"]] == q["text"] for q in per_fragment)
    assert [q["quote"] for q in per_fragment] == [0, 0, 2]
    # PolNeAR: every class, one item per attribution, its fragments listed.
    assert [(q["attribution_class"], len(q["fragments"])) for q in per_attribution] == [
        ("speech", 2),
        ("evidence", 1),
        ("speech", 1),
    ]
    joined = per_attribution[0]
    assert joined["text"] == "We will rebuild the pier \u2026 It will take two years."
    assert (joined["start"], joined["end"]) == (
        joined["fragments"][0]["start"],
        joined["fragments"][1]["end"],
    )


def test_export_by_class_with_fragments(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "pier.txt").write_text(STORY, encoding="utf-8")
    assert run(database_url, "ingest", str(tmp_path)).exit_code == 0
    speech = [json.loads(line) for line in run(database_url, "export").stdout.splitlines()]
    assert {r["attribution_class"] for r in speech} == {"speech"} and len(speech) == 2
    both = run(database_url, "export", "--class", "evidence", "--class", "speech")
    assert len(both.stdout.splitlines()) == 3
    table = list(
        csv.DictReader(
            io.StringIO(run(database_url, "export", "--format", "csv", "--class", "speech").stdout)
        )
    )
    rebuild = next(r for r in table if r["text"].startswith("We will rebuild"))
    # The quotes dataset gives each fragment with its text and offsets in the article.
    pieces = json.loads(rebuild["fragments"])
    assert [STORY[f["start"] : f["end"]] for f in pieces] == [f["text"] for f in pieces]
    assert [f["text"] for f in pieces] == ["We will rebuild the pier", "It will take two years."]
    refused = run(database_url, "export", "--class", "rumour")
    assert refused.exit_code != 0 and "not an attribution class" in refused.output
