"""The read cache: keyed by normalised query, variables and permission; never stale."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.graphql.cache import ResponseCache, ResponseCacheMiddleware, cache_key
from app.graphql.documents import Documents
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


def test_a_cached_answer_reaches_only_callers_who_may_read_it(
    settings: Settings, engine: sa.Engine, api_key: str
) -> None:
    private = settings.model_copy(update={"public_reads": False})
    with TestClient(create_app(private, engine=engine)) as client:
        reader = GraphQL(client, api_key)
        counting = Counting(engine)
        answer = reader.ok(COUNT, s="x")
        reads = counting.reads
        assert reads > 0
        assert reader.ok(COUNT, s="x") == answer and counting.reads == reads  # cached
        for caller in (GraphQL(client), GraphQL(client, "qg_wrong_key")):
            refused = caller(COUNT, s="x")  # the cached answer must not leak
            assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_keys_are_equal_exactly_when_the_requests_are() -> None:
    documents = Documents(Settings())
    body = {"query": COUNT, "variables": {"s": "x"}}
    key = cache_key(body, "public", documents)
    assert key is not None
    # The same request written otherwise: whitespace, commas, comments, key order.
    for same in (
        {
            "query": "query ($s: String) {quotes(speaker: $s), {totalCount}}",
            "variables": {"s": "x"},
        },
        {"query": f"# a comment\n{COUNT}\n", "variables": {"s": "x"}, "operationName": None},
        {"variables": {"s": "x"}, "query": COUNT},
    ):
        assert cache_key(same, "public", documents) == key, same
    # Any one thing changed: another entry.
    others = [
        cache_key({**body, "variables": {"s": "y"}}, "public", documents),
        cache_key(
            {**body, "query": COUNT.replace("totalCount", "totalCount __typename")},
            "public",
            documents,
        ),
        cache_key(
            {**body, "query": "query Q" + COUNT[5:], "operationName": "Q"}, "public", documents
        ),
        cache_key(body, "reader", documents),
    ]
    assert len({key, *others}) == 5 and None not in others


def test_errors_and_mutations_are_not_cached(settings: Settings, engine: sa.Engine) -> None:
    documents = Documents(settings)
    assert cache_key({"query": INGEST, "variables": {}}, "public", documents) is None
    assert cache_key({"query": "{ quotes("}, "public", documents) is None
    # The real app behind a cache we can look into.
    cache = ResponseCache(max_bytes=1_000_000)
    app = ResponseCacheMiddleware(
        create_app(settings.model_copy(update={"response_cache_mb": 0}), engine=engine),
        cache=cache,
        read_stamp=lambda: read_write_stamp(engine),
        permission=_public,
        documents=documents,
    )
    with TestClient(app) as client:
        reader = GraphQL(client)
        assert reader("{ quotes(first: 500) { totalCount } }")["errors"]
        assert len(cache) == 0  # an error is never stored
        reader.ok("{ quotes(first: 5) { totalCount } }")
        assert len(cache) == 1


@pytest.mark.parametrize("lean", [True, False], ids=["lean", "full"])
def test_timeouts_are_not_cached(settings: Settings, engine: sa.Engine, lean: bool) -> None:
    cache = ResponseCache(max_bytes=1_000_000)
    hurried = settings.model_copy(
        update={"response_cache_mb": 0, "request_timeout_s": 1e-9, "lean_reads": lean}
    )
    inner = create_app(hurried, engine=engine)
    # Which path answered: the lean path's answers are recorded on their way out.
    answers: list[Any] = []
    if lean:
        reads = inner.state.lean_reads
        answer = reads.answer

        async def recording(*args: Any) -> Any:
            answers.append(await answer(*args))
            return answers[-1]

        reads.answer = recording
    app = ResponseCacheMiddleware(
        inner,
        cache=cache,
        read_stamp=lambda: read_write_stamp(engine),
        permission=_public,
        documents=Documents(hurried),
    )
    with TestClient(app) as client:
        body = GraphQL(client)("{ quotes(first: 5) { totalCount } }")
        assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert len(cache) == 0
    if lean:
        # The lean path answered (with the timeout), marked not cacheable.
        assert len(answers) == 1 and answers[0] is not None
        assert answers[0].cacheable is False and b"TIMEOUT" in answers[0].body


async def _public(_authorization: str | None) -> str:
    return "public"


def test_cache_memory_is_bounded() -> None:
    """The budget holds for the memory the entries really take (tracemalloc), small answers
    under distinct variables included, whose keys and bookkeeping outweigh their bodies."""
    budget = 1_000_000
    documents = Documents(Settings())
    cache = ResponseCache(max_bytes=budget)
    keys = [
        cache_key({"query": COUNT, "variables": {"s": f"speaker {n}"}}, "public", documents)
        for n in range(40_000)
    ]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number, key in enumerate(keys):
            assert key is not None
            cache.put(key, 10**12 + number, b'{"data":{"quotes":{"totalCount":%d}}}' % number)
        traced = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Bodies alone would have let ~25,000 entries in (about 8 MB traced).
    assert traced <= budget, f"{traced:,} bytes traced for a budget of {budget:,}"
    assert len(cache) > budget // 1_000  # and the budget is used, not wasted
    last = keys[-1]
    assert last is not None and cache.get(last, 10**12 + 39_999) is not None
    first = keys[0]
    assert first is not None and cache.get(first, 10**12) is None  # evicted, least recent
    assert cache.get(last, 2) is None  # another stamp: stale, dropped
    cache.put(b"huge", 1, b"x" * (budget // 3))  # over a quarter of the budget: not kept
    assert cache.get(b"huge", 1) is None
