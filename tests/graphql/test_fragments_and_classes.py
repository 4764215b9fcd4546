"""Quote.fragments, Quote.attributionClass and the `classes` filters over HTTP, on both paths.

The default answers speech only; `classes` includes beliefs and evidence. The lean path gives
byte-identical answers, and serves the new fields itself (Article.quotes with an argument goes
to the full path on purpose).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.graphql.lean import LeanReads
from app.main import create_app
from app.settings import Settings
from tests.conftest import GraphQL
from tests.helpers import INGEST, ingest_input
from tests.helpers import PIER_STORY as STORY

EVIDENCE = "most dock workers feel unsafe on the pier"

QUOTES = """
query($classes: [AttributionClass!]) {
  quotes(classes: $classes) {
    totalCount
    nodes { text start end attributionClass fragments { text start end } article { text } }
  }
}
"""


class Raw(GraphQL):
    def raw(self, query: str, **variables: Any) -> bytes:
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        return response.content


@pytest.fixture
def apps(
    settings: Settings, engine: sa.Engine, extractor: Callable[[str], Any], api_key: str
) -> Iterator[tuple[Raw, Raw, LeanReads]]:
    uncached = settings.model_copy(update={"response_cache_mb": 0, "rate_limit": False})
    lean_app = create_app(uncached, engine=engine, extractor=extractor)
    full_app = create_app(
        uncached.model_copy(update={"lean_reads": False}), engine=engine, extractor=extractor
    )
    with TestClient(lean_app) as lean_client, TestClient(full_app) as full_client:
        lean, full = Raw(lean_client, api_key), Raw(full_client, api_key)
        full.ok(INGEST, input=ingest_input(STORY, title="Pier", url="https://news.example/p"))
        yield lean, full, lean_app.state.lean_reads


def test_fragments_hold_their_offsets_and_make_the_text(apps: tuple[Raw, Raw, LeanReads]) -> None:
    lean, _, _ = apps
    nodes = lean.ok(QUOTES)["quotes"]["nodes"]
    assert nodes
    for quote in nodes:
        text = quote["article"]["text"]
        for fragment in quote["fragments"]:
            assert text[fragment["start"] : fragment["end"]] == fragment["text"]
        assert " \u2026 ".join(f["text"] for f in quote["fragments"]) == quote["text"]
        assert (quote["start"], quote["end"]) == (
            quote["fragments"][0]["start"],
            quote["fragments"][-1]["end"],
        )
    rebuild = next(q for q in nodes if q["text"].startswith("We will rebuild"))
    assert [f["text"] for f in rebuild["fragments"]] == [
        "We will rebuild the pier",
        "It will take two years.",
    ]


def test_quotes_are_speech_unless_other_classes_are_asked_for(
    apps: tuple[Raw, Raw, LeanReads],
) -> None:
    lean, _, _ = apps
    default = lean.ok(QUOTES)["quotes"]
    assert {q["attributionClass"] for q in default["nodes"]} == {"SPEECH"}
    every = lean.ok(QUOTES, classes=["SPEECH", "BELIEF", "EVIDENCE"])["quotes"]
    assert every["totalCount"] == default["totalCount"] + 1
    evidence = lean.ok(QUOTES, classes=["EVIDENCE"])["quotes"]
    assert [(q["text"], q["attributionClass"]) for q in evidence["nodes"]] == [
        (EVIDENCE, "EVIDENCE")
    ]
    assert lean.ok(QUOTES, classes=["BELIEF"])["quotes"]["totalCount"] == 0


def test_every_list_of_quotes_takes_the_filter(apps: tuple[Raw, Raw, LeanReads]) -> None:
    _, full, _ = apps
    found = full.ok(
        """{
          speech: searchQuotes(query: "pier") { nodes { text } }
          evidence: searchQuotes(query: "pier", classes: [EVIDENCE]) { nodes { text } }
          speaker(name: "Vasquez") {
            quoteCount
            quotes { totalCount }
            all: quotes(classes: [SPEECH, EVIDENCE]) { totalCount }
          }
          articles { nodes {
            quotes { attributionClass }
            every: quotes(classes: [SPEECH, BELIEF, EVIDENCE]) { attributionClass }
            speakers { name }
          } }
        }"""
    )
    assert [q["text"] for q in found["evidence"]["nodes"]] == [EVIDENCE]
    assert EVIDENCE not in [q["text"] for q in found["speech"]["nodes"]]
    speaker = found["speaker"]
    assert speaker["quoteCount"] == speaker["quotes"]["totalCount"] == 2
    assert speaker["all"]["totalCount"] == 2  # the survey's finding is not hers
    article = found["articles"]["nodes"][0]
    assert [q["attributionClass"] for q in article["quotes"]] == ["SPEECH", "SPEECH"]
    assert [q["attributionClass"] for q in article["every"]] == ["SPEECH", "EVIDENCE", "SPEECH"]
    assert [s["name"] for s in article["speakers"]] == ["Elena Vasquez"]


def test_an_empty_list_of_classes_is_refused_with_a_code(
    apps: tuple[Raw, Raw, LeanReads],
) -> None:
    lean, _, _ = apps
    body = lean(QUOTES, classes=[])
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "classes" in error["message"]


LEAN_SERVES = [
    (QUOTES, {}),
    (QUOTES, {"classes": ["EVIDENCE", "SPEECH"]}),
    (
        """{ searchQuotes(query: "pier", classes: [EVIDENCE]) {
             totalCount nodes { text attributionClass fragments { start end text } } } }""",
        {},
    ),
    (
        """{ articles { nodes { quotes { text attributionClass fragments { text start end } }
             speakers { name quoteCount } } } }""",
        {},
    ),
]
FULL_PATH = [
    ("""{ articles { nodes { quotes(classes: [EVIDENCE]) { text } } } }""", {}),
    ("""{ speaker(name: "Vasquez") { quotes(classes: [SPEECH]) { totalCount } } }""", {}),
    (QUOTES, {"classes": []}),
]


def test_the_lean_path_gives_the_same_answers(apps: tuple[Raw, Raw, LeanReads]) -> None:
    lean, full, reads = apps
    for query, variables in LEAN_SERVES:
        before = reads.served
        answer = lean.raw(query, **variables)
        assert answer == full.raw(query, **variables), query
        assert b'"errors"' not in answer
        assert reads.served == before + 1, f"answered on the full path: {query}"
    for query, variables in FULL_PATH:
        before = reads.served
        assert lean.raw(query, **variables) == full.raw(query, **variables), query
        assert reads.served == before, f"the lean path answered: {query}"
