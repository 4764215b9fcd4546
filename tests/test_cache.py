"""The read cache: keyed by normalised query, variables and permission; never stale."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.graphql.cache import ResponseCache, ResponseCacheMiddleware, cache_key
from app.main import create_app
from app.services.stamp import read_write_stamp
from app.settings import Settings
from tests.conftest import GraphQL
from tests.helpers import FOLLOWUP, INGEST, STORY, ingest_input

COUNT = "query($s: String) { quotes(speaker: $s) { totalCount } }"


class Counting:
    """Counts SQL statements that read quotes, i.e. requests the cache did not answer."""

    def __init__(self, engine: sa.Engine) -> None:
        self.reads = 0
        sa.event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if "FROM quote" in statement:
            self.reads += 1


def test_repeated_reads_are_served_from_the_cache(gql: GraphQL, engine: sa.Engine) -> None:
    gql.ok(INGEST, input=ingest_input(STORY))
    counting = Counting(engine)
    first = gql.ok(COUNT, s="Vasquez")
    reads = counting.reads
    assert reads > 0
    # Same query with other whitespace and commas: the same entry.
    again = gql.ok("query($s: String) {quotes(speaker: $s) , { totalCount }}", s="Vasquez")
    assert again == first and counting.reads == reads
    # Other variables: another entry.
    gql.ok(COUNT, s="Reddick")
    assert counting.reads > reads


def test_a_write_in_another_worker_invalidates_the_cache(
    settings: Settings,
    engine: sa.Engine,
    api_key: str,
    extractor: Callable[[str], Any],
) -> None:
    # Two apps on one database stand for two uvicorn workers with their own memory.
    with (
        TestClient(create_app(settings, engine=engine, extractor=extractor)) as one,
        TestClient(create_app(settings, engine=engine, extractor=extractor)) as two,
    ):
        reader, writer = GraphQL(one, api_key), GraphQL(two, api_key)
        writer.ok(INGEST, input=ingest_input(STORY))
        before = reader.ok(COUNT, s="Vasquez")["quotes"]["totalCount"]
        assert reader.ok(COUNT, s="Vasquez")["quotes"]["totalCount"] == before  # cached
        writer.ok(INGEST, input=ingest_input(FOLLOWUP))
        after = reader.ok(COUNT, s="Vasquez")["quotes"]["totalCount"]
        assert after > before
        article = writer.ok("{ articles(first: 1) { edges { node { id } } } }")
        article_id = article["articles"]["edges"][0]["node"]["id"]
        writer.ok("mutation($id: ID!) { deleteArticle(id: $id) { deletedId } }", id=article_id)
        assert reader.ok(COUNT, s="Vasquez")["quotes"]["totalCount"] == before


def test_permission_is_part_of_the_key(settings: Settings, engine: sa.Engine, api_key: str) -> None:
    private = settings.model_copy(update={"public_reads": False})
    with TestClient(create_app(private, engine=engine)) as client:
        assert GraphQL(client, api_key).ok(COUNT, s="x")
        refused = GraphQL(client)(COUNT, s="x")  # the cached answer must not leak
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = {"query": COUNT, "variables": {"s": "x"}}
    assert cache_key(body, "public") != cache_key(body, "reader")


def test_errors_and_mutations_are_not_cached(settings: Settings, engine: sa.Engine) -> None:
    assert cache_key({"query": INGEST, "variables": {}}, "public") is None
    assert cache_key({"query": "{ quotes("}, "public") is None
    # The real app behind a cache we can look into.
    cache = ResponseCache(max_bytes=1_000_000)
    app = ResponseCacheMiddleware(
        create_app(settings.model_copy(update={"response_cache_mb": 0}), engine=engine),
        cache=cache,
        read_stamp=lambda: read_write_stamp(engine),
        permission=_public,
    )
    with TestClient(app) as client:
        reader = GraphQL(client)
        assert reader("{ quotes(first: 500) { totalCount } }")["errors"]
        assert len(cache) == 0  # an error is never stored
        reader.ok("{ quotes(first: 5) { totalCount } }")
        assert len(cache) == 1


def test_timeouts_on_the_lean_path_are_not_cached(settings: Settings, engine: sa.Engine) -> None:
    cache = ResponseCache(max_bytes=1_000_000)
    hurried = settings.model_copy(update={"response_cache_mb": 0, "request_timeout_s": 1e-9})
    app = ResponseCacheMiddleware(
        create_app(hurried, engine=engine),
        cache=cache,
        read_stamp=lambda: read_write_stamp(engine),
        permission=_public,
    )
    with TestClient(app) as client:
        body = GraphQL(client)("{ quotes(first: 5) { totalCount } }")
        assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert len(cache) == 0


async def _public(_authorization: str | None) -> str:
    return "public"


def test_cache_memory_is_bounded() -> None:
    cache = ResponseCache(max_bytes=10_000)
    for number in range(1_000):
        cache.put(f"key{number}", 1, b"x" * 100)
    assert cache.size <= 10_000 and len(cache) == 100
    assert cache.get("key999", 1) == b"x" * 100
    assert cache.get("key0", 1) is None  # evicted, least recently used
    assert cache.get("key999", 2) is None  # another stamp: stale, dropped
    cache.put("huge", 1, b"x" * 5_000)  # over a quarter of the budget: not kept
    assert cache.get("huge", 1) is None
