"""benchmarks/api.py compares every field of every answer and fails the run on a difference."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from app.main import create_app
from app.settings import Settings
from benchmarks import api, generate

TINY = ("--articles", "150", "--quotes", "1500", "--claims", "450", "--speakers", "80")


@pytest.fixture(scope="module")
def tiny_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("bench") / "tiny.db"
    url = f"sqlite:///{path}"
    generate.main(["--database-url", url, *TINY])
    return url


def no_extraction(_text: str) -> Any:
    raise AssertionError("the benchmark only reads")


@pytest.fixture(scope="module")
def served(tiny_database: str) -> Iterator[str]:
    """The real app over real HTTP (uvicorn in a thread), response cache off; without the
    extraction process `quotegraph serve` would spend most of the test loading the model."""
    app = create_app(
        Settings(database_url=tiny_database, response_cache_mb=0), extractor=no_extraction
    )
    port = api.free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/graphql"
    server.should_exit = True
    thread.join(timeout=10)


def check_only(url: str, served: str, *extra: str) -> list[str]:
    return ["--database-url", url, "--check-only", "--cache", "off", "--quotegraph-url", served,
            "--page", "2", *extra]  # fmt: skip


def test_untampered_answers_compare_equal(
    tiny_database: str, served: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api.main(check_only(tiny_database, served))
    out = capsys.readouterr().out
    assert "MISMATCH" not in out
    assert out.count("compared field by field with the floor") == 7


def test_a_tampered_field_fails_the_run_naming_case_system_and_field(
    tiny_database: str, served: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The tampered field is reported in every case that has it, and nothing else differs.
    with pytest.raises(SystemExit) as failed:
        api.main(check_only(tiny_database, served, "--tamper", "quotegraph:text"))
    assert "FAILED" in str(failed.value)
    err = capsys.readouterr().err.splitlines()
    mismatches = [line for line in err if line.startswith("MISMATCH")]
    # Every case but the speaker search (which has no text) reports the change.
    assert len(mismatches) == 6, err
    for line in mismatches:
        assert ": quotegraph, field " in line
        assert "text: floor '" in line
        assert "-tampered' (1 of 1 responses)" in line
    assert any(line.startswith("MISMATCH 1a quotes(speaker: busiest)") for line in mismatches)
    assert any(line.startswith("MISMATCH 4  article(id:") for line in mismatches)


def test_each_distinct_response_is_compared_not_only_the_first() -> None:
    case = api.Case(
        name="1b quotes(speaker: rare)",
        qg_query="",
        qg_variables={},
        qg_root=lambda body: body["data"]["quotes"],
        floor=lambda db: None,
        floor_json=lambda rows: b"",
    )
    node = {
        "id": api.global_id("Quote", 7),
        "text": "the ceasefire will hold",
        "kind": "DIRECT",
        "date": "2025-12-30T16:08:49+00:00",
        "article": {"title": "T", "publishedAt": "2025-12-30T16:08:49+00:00"},
        "speaker": {"name": "Ada Obi"},
    }
    answer = {"edges": [{"node": node}], "pageInfo": {"hasNextPage": False, "endCursor": "x"}}
    floor_row = {
        **node,
        "id": 7,
        "kind": "direct",
        "date": "2025-12-30 16:08:49.000000",  # SQLite's text form: the same moment
        "article": {"title": "T", "publishedAt": "2025-12-30 16:08:49.000000"},
    }
    responses = {"quotegraph": api.Responses(), "floor": api.Responses()}
    responses["floor"].add(json.dumps({"nodes": [floor_row], "hasNextPage": False}).encode())
    good = json.dumps({"data": {"quotes": answer}}).encode()
    for _ in range(5):
        responses["quotegraph"].add(good)
    assert api.compare_case(case, responses) == []

    later = json.loads(good)
    later["data"]["quotes"]["edges"][0]["node"]["speaker"] = None
    responses["quotegraph"].add(json.dumps(later).encode())
    (problem,) = api.compare_case(case, responses)
    assert problem == (
        "MISMATCH 1b quotes(speaker: rare): quotegraph, field nodes[0].speaker: "
        "floor {'name': 'Ada Obi'}, quotegraph None (1 of 6 responses)"
    )


def test_a_missing_field_is_a_difference() -> None:
    expected = api.canonical({"nodes": [{"id": 1, "text": "a", "kind": "direct"}]})
    got = api.canonical({"edges": [{"node": {"id": api.global_id("Quote", 1), "text": "a"}}]})
    assert api.first_difference(expected, got) == ("[0].kind", "direct", "<missing>")
