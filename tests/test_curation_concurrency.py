"""Two editors at once, over real HTTP on SQLite and PostgreSQL: the first holds its row locks
(paused inside its transaction), the second waits for them, then sees the first one's result:
one merge wins and the other is told CONFLICT; two re-attributions both land, in order, and
the audit trail links them. Nothing is lost either way."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.db.engine import make_session
from app.services.keys import create_key
from tests.conftest import GraphQL
from tests.helpers import FOLLOWUP, INGEST, STORY, ingest_input
from tests.test_curation import MERGE, QUOTE_NODE, REATTRIBUTE, SPEAKER

PAUSE_S = 1.0


class FirstLockPauses:
    """Driver-level instrumentation: the first statement that locks rows of `table` (the
    curation service's SELECT ... ORDER BY id [FOR UPDATE]) is followed by a pause, with the
    lock held; `paused` tells the test the first editor is inside its transaction."""

    def __init__(self, engine: sa.Engine, table: str, marker: str | None = None) -> None:
        self.engine = engine
        self.marker = marker or f"ORDER BY {table}.id"
        self.paused = threading.Event()
        self.resumed_at = 0.0
        self._lock = threading.Lock()

    def __call__(self, *args: Any) -> None:
        statement: str = args[2]
        if self.marker not in statement:
            return
        with self._lock:
            if self.paused.is_set():
                return
            self.paused.set()
        time.sleep(PAUSE_S)
        self.resumed_at = time.monotonic()

    def __enter__(self) -> FirstLockPauses:
        sa.event.listen(self.engine, "after_cursor_execute", self)
        return self

    def __exit__(self, *_exc: object) -> None:
        sa.event.remove(self.engine, "after_cursor_execute", self)


@pytest.fixture
def editors(client: TestClient, engine: sa.Engine) -> Iterator[tuple[GraphQL, GraphQL]]:
    with make_session(engine) as session:
        first = create_key(session, "first desk", role="editor")[1]
        second = create_key(session, "second desk", role="editor")[1]
    yield GraphQL(client, first), GraphQL(client, second)


def _at_once(
    engine: sa.Engine, table: str, first: Any, second: Any
) -> tuple[dict[str, Any], dict[str, Any], float, float]:
    """Run `first`, and `second` once `first` holds its locks; their bodies, and when the
    first resumed and the second finished."""
    with FirstLockPauses(engine, table) as pauses, ThreadPoolExecutor(2) as pool:
        one = pool.submit(first)
        assert pauses.paused.wait(30), "the first editor never locked anything"
        started = time.monotonic()
        two = pool.submit(second)
        body_one, body_two = one.result(60), two.result(60)
        finished = time.monotonic()
    assert finished - started >= PAUSE_S * 0.5, "the second editor did not wait"
    return body_one, body_two, pauses.resumed_at, finished


def _count(engine: sa.Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(sql)).scalar_one())


@pytest.mark.parametrize("direction", ["same", "opposite"])
def test_two_editors_merging_the_same_speakers(
    editors: tuple[GraphQL, GraphQL], engine: sa.Engine, direction: str
) -> None:
    one, two = editors
    one.ok(INGEST, input=ingest_input(STORY))
    one.ok(INGEST, input=ingest_input(FOLLOWUP))
    vasquez = one.ok(SPEAKER, name="Elena Vasquez")["speaker"]
    reddick = one.ok(SPEAKER, name="Tom Reddick")["speaker"]
    quotes = _count(engine, "SELECT count(*) FROM quote")
    claims = _count(engine, "SELECT count(*) FROM claim WHERE claimant_id IS NOT NULL")
    into, merged = (vasquez, reddick) if direction == "same" else (reddick, vasquez)
    body_one, body_two, _resumed, _finished = _at_once(
        engine,
        "speaker",
        lambda: one(MERGE, into=vasquez["id"], **{"from": [reddick["id"]]}),
        lambda: two(MERGE, into=into["id"], **{"from": [merged["id"]]}),
    )
    assert not body_one.get("errors"), body_one
    assert body_two["errors"][0]["extensions"]["code"] == "CONFLICT", body_two
    assert "merged into" in body_two["errors"][0]["message"]
    # The first merge stands whole; nothing was lost or half-moved.
    assert _count(engine, "SELECT count(*) FROM speaker WHERE name = 'Tom Reddick'") == 0
    assert _count(engine, "SELECT count(*) FROM quote") == quotes
    assert _count(engine, "SELECT count(*) FROM claim WHERE claimant_id IS NOT NULL") == claims
    survivor = one.ok(SPEAKER, id=vasquez["id"])["speaker"]
    assert survivor["quoteCount"] == vasquez["quoteCount"] + reddick["quoteCount"]
    assert _count(engine, "SELECT count(*) FROM audit_log") == 1
    assert _count(engine, "SELECT count(*) FROM speaker_redirect") == 1


def test_two_editors_reattributing_one_quote(
    editors: tuple[GraphQL, GraphQL], engine: sa.Engine
) -> None:
    one, two = editors
    story = one.ok(INGEST, input=ingest_input(STORY))["ingestArticle"]
    quote = next(q for q in story["quotes"] if q["speaker"]["name"] == "Elena Vasquez")
    reddick = one.ok(SPEAKER, name="Tom Reddick")["speaker"]
    body_one, body_two, _resumed, _finished = _at_once(
        engine,
        "quote",
        lambda: one(REATTRIBUTE, quote=quote["id"], speaker=reddick["id"]),
        lambda: two(REATTRIBUTE, quote=quote["id"], speaker=None),
    )
    assert not body_one.get("errors") and not body_two.get("errors"), (body_one, body_two)
    # Both changes are recorded, in order, the second starting from the first one's result.
    node = one.ok(QUOTE_NODE, id=quote["id"])["node"]
    assert node["speaker"] is None
    first, second = node["history"]
    assert first["after"]["speakerId"] == second["before"]["speakerId"]
    assert first["before"]["speakerId"] != first["after"]["speakerId"]


def test_an_ingest_racing_a_merge_loses_no_attribution(
    editors: tuple[GraphQL, GraphQL], engine: sa.Engine
) -> None:
    one, two = editors
    first = one.ok(INGEST, input=ingest_input(STORY))["ingestArticle"]
    vasquez = one.ok(SPEAKER, name="Elena Vasquez")["speaker"]
    reddick = one.ok(SPEAKER, name="Tom Reddick")["speaker"]
    unattributed = sum(q["speaker"] is None for q in first["quotes"])
    # The ingest pauses right after looking its speakers up by name; the merge runs then
    # (PostgreSQL: alongside; SQLite: once the ingest's write transaction ends).
    marker = "SELECT speaker.name_key, speaker.id"
    with FirstLockPauses(engine, "", marker=marker) as pauses, ThreadPoolExecutor(2) as pool:
        ingest = pool.submit(
            lambda: one(INGEST, input=ingest_input(STORY.replace("Monday", "Friday")))
        )
        assert pauses.paused.wait(60), "the ingest never looked its speakers up"
        merge = pool.submit(lambda: two(MERGE, into=vasquez["id"], **{"from": [reddick["id"]]}))
        ingested, merged = ingest.result(60), merge.result(60)
    assert not merged.get("errors"), merged
    assert not ingested.get("errors"), ingested
    second = ingested["data"]["ingestArticle"]
    assert second["created"] is True
    # (The ingest's answer may predate the merge; what is stored now counts.)
    article = one.ok(
        "query($id: ID!) { article(id: $id) { quotes { speaker { name } } } }",
        id=second["article"]["id"],
    )["article"]
    assert sum(q["speaker"] is None for q in article["quotes"]) == unattributed
    assert {q["speaker"]["name"] for q in article["quotes"] if q["speaker"]} == {"Elena Vasquez"}
    assert _count(engine, "SELECT count(*) FROM speaker WHERE name = 'Tom Reddick'") == 0
