"""Rate limits: points from the cost estimate, charged once per request on every path that
answers, never over-spent by concurrent clients, shared by workers through Redis."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.extraction.types import Extraction
from app.graphql.ratelimit import Budgets, Callers, request_points
from app.main import create_app
from app.settings import Settings
from tests.conftest import REQUIRE_SERVICES
from tests.helpers import INGEST, ingest_input, numbered_story

REDIS_URL = os.environ.get("QUOTEGRAPH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# quotes (100) + edges (100) + nodes (100) = 300 estimated objects: 3 points.
LOCAL = ("127.0.0.1", 123)  # the address httpx.ASGITransport gives, so all clients share it
PAGE = "{ quotes(first: 100) { edges { node { text } } } }"
PAGE_POINTS = 3
BUDGET = "{ rateLimit { limit cost remaining used resetAt } }"
# The three paths that answer a read: the response cache, the lean path, Strawberry's executor.
PATHS = {
    "cache": {"response_cache_mb": 8, "lean_reads": True},
    "lean": {"response_cache_mb": 0, "lean_reads": True},
    "strawberry": {"response_cache_mb": 0, "lean_reads": False},
}


def limited(settings: Settings, **update: Any) -> Settings:
    return settings.model_copy(update={"rate_limit_anonymous_points": 50, **update})


def send_at_once(apps: list[FastAPI], bodies: list[dict[str, Any]], **headers: str) -> list[Any]:
    """Posts every body at the same time, spread over the apps in turn (apps = workers)."""

    async def send_all() -> list[httpx.Response]:
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
            for app in apps
        ]
        try:
            return await asyncio.gather(
                *(
                    clients[n % len(clients)].post("/graphql", json=body, headers=headers)
                    for n, body in enumerate(bodies)
                )
            )
        finally:
            for client in clients:
                await client.aclose()

    return asyncio.run(send_all())


def budget_of(client: TestClient, **headers: str) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": BUDGET}, headers=headers)
    assert response.status_code == 200, response.text
    budget: dict[str, Any] = response.json()["data"]["rateLimit"]
    return budget


# --- what a request costs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "variables", "points"),
    [
        ("{ __typename }", {}, 1),
        ("{ rateLimit { remaining } }", {}, 1),
        (PAGE, {}, PAGE_POINTS),
        # The page size a variable sends counts like a literal.
        ("query($n: Int) { quotes(first: $n) { edges { node { text } } } }", {"n": 100}, 3),
        # Nested pages multiply: 3 x 50 (speakers, edges, nodes) + 3 x 50 x 40 = 6,150 objects.
        (
            "{ speakers(first: 50) { edges { node { quotes(first: 40) "
            "{ edges { node { text } } } } } } }",
            {},
            62,
        ),
        # Over the cost limit: refused by the guard before it reads anything, so the minimum.
        (
            "{ speakers(first: 100) { edges { node { quotes(first: 100) { edges { node { "
            "claims { text } } } } } } } }",
            {},
            1,
        ),
        # Does not parse, or names no operation: the minimum.
        ("{ quotes(", {}, 1),
        ("query A { __typename } query B { __typename }", {}, 1),
    ],
)
def test_points_come_from_the_cost_estimate(
    query: str, variables: dict[str, Any], points: int
) -> None:
    assert request_points(Settings(), query, None, variables) == points


def test_mutations_cost_more_for_each_field() -> None:
    one = "mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { created } }"
    two = (
        "mutation($i: IngestArticleInput!) { a: ingestArticle(input: $i) { created } "
        "b: ingestArticle(input: $i) { created } }"
    )
    settings = Settings(QUOTEGRAPH_RATE_LIMIT_MUTATION_POINTS=25)
    # One or two objects cost 1 point, plus 25 per mutation field.
    assert request_points(settings, one, None, {}) == 26
    assert request_points(settings, two, None, {}) == 51


# --- who pays -----------------------------------------------------------------------------------


def scope(client: str, forwarded: str | None = None) -> dict[str, Any]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"type": "http", "client": (client, 5000), "headers": headers}


def test_forwarded_addresses_are_believed_only_from_trusted_proxies() -> None:
    engine = sa.create_engine("sqlite://")
    direct = Callers(Settings(), engine)
    # Without a trusted proxy, anyone could name any address and get a fresh budget each time.
    assert direct.address(scope("203.0.113.9", "198.51.100.1")) == "203.0.113.9"

    proxied = Callers(Settings(QUOTEGRAPH_TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.7"), engine)
    assert proxied.address(scope("10.1.2.3", "198.51.100.1")) == "198.51.100.1"
    # The client may send its own X-Forwarded-For: only the hop our proxy appended counts.
    assert proxied.address(scope("10.1.2.3", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    # Through two of our proxies, the first address that is not one of them.
    assert proxied.address(scope("192.0.2.7", "198.51.100.1, 10.9.9.9")) == "198.51.100.1"
    # From outside the trusted networks the header is ignored.
    assert proxied.address(scope("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    # Garbage after our proxy's hop cannot reset the budget either.
    assert proxied.address(scope("10.1.2.3", "198.51.100.1, not-an-address")) == "10.1.2.3"
    # An IPv6 client is one budget per /64: a host can pick any address inside its own.
    assert direct.address(scope("2001:db8:1:2::5")) == "2001:db8:1:2::/64"
    assert direct.address(scope("2001:db8:1:2:ffff::9")) == "2001:db8:1:2::/64"
    engine.dispose()


def test_a_budget_is_never_over_spent_by_threads() -> None:
    """The counter itself, hammered from many threads: exactly the requests that fit pass."""
    from concurrent.futures import ThreadPoolExecutor

    budgets = Budgets(Settings(QUOTEGRAPH_RATE_LIMIT_ANONYMOUS_POINTS=100))
    with ThreadPoolExecutor(max_workers=16) as pool:
        charges = list(pool.map(lambda _: budgets.charge("address", "x", 7), range(64)))
    assert sum(c.allowed for c in charges) == 100 // 7
    final = budgets.charge("address", "x", 2)
    assert final.allowed and final.used == 14 * 7 + 2 and final.remaining == 0
    # Refused requests spent nothing: 2 points were still there for the last one.
    assert not budgets.charge("address", "x", 1).allowed


# --- over HTTP ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", list(PATHS))
def test_concurrent_clients_are_charged_once_each_on_every_path(
    path: str, settings: Settings, engine: sa.Engine
) -> None:
    app = create_app(limited(settings, **PATHS[path]), engine=engine, extractor=lambda _: None)  # type: ignore[arg-type,return-value]
    with TestClient(app, client=LOCAL) as client:
        # The first answer fills the cache (on the cache path); the others are answered from it.
        first = client.post("/graphql", json={"query": PAGE})
        assert first.status_code == 200 and first.headers["x-ratelimit-cost"] == "3"
        assert first.headers["x-ratelimit-remaining"] == str(50 - PAGE_POINTS)
        responses = send_at_once([app], [{"query": PAGE}] * 40)
        served = [r for r in responses if r.status_code == 200]
        refused = [r for r in responses if r.status_code == 429]
        # 47 points left: 15 pages of 3 fit, 2 points remain, and nothing is spent twice.
        assert len(served) == 15 and len(refused) == 25
        assert all("errors" not in r.json() for r in served)
        budget = budget_of(client)
        assert budget["cost"] == 1 and budget["used"] == 49 and budget["remaining"] == 1
        if path != "strawberry":
            assert app.state.lean_reads.served >= 1  # the lean path answered
        error = refused[0].json()["errors"][0]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert 1 <= error["extensions"]["retryAfter"] <= settings.rate_limit_window_s
        assert refused[0].headers["retry-after"] == str(error["extensions"]["retryAfter"])
        assert refused[0].json()["data"] is None


def test_the_budget_field_and_headers(settings: Settings, engine: sa.Engine) -> None:
    app = create_app(limited(settings), engine=engine, extractor=lambda _: None)  # type: ignore[arg-type,return-value]
    with TestClient(app, client=LOCAL) as client:
        before = datetime.now().astimezone()
        first = budget_of(client)
        # The answer tells the budget, so the response cache must not keep it.
        second = budget_of(client)
        assert first["limit"] == 50 and first["cost"] == 1
        assert (first["used"], first["remaining"]) == (1, 49)
        assert (second["used"], second["remaining"]) == (2, 48)
        reset = datetime.fromisoformat(second["resetAt"])
        assert 0 < (reset - before).total_seconds() <= settings.rate_limit_window_s + 1
        # GET requests are charged as well, and every charged response carries the budget.
        got = client.get("/graphql", params={"query": "{ __typename }"})
        assert got.status_code == 200
        assert got.headers["x-ratelimit-used"] == "3"
        assert got.headers["x-ratelimit-limit"] == "50"
        assert int(got.headers["x-ratelimit-reset"]) >= int(reset.timestamp())
        # A request bigger than what is left is refused and spends nothing...
        big = (
            "{ speakers(first: 50) { edges { node { quotes(first: 40) "
            "{ edges { node { text } } } } } } }"
        )
        refused = client.post("/graphql", json={"query": big})
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"]["cost"] == 62
        # ...so a small one still fits.
        assert budget_of(client)["used"] == 4
        # The GraphiQL page and other routes are not charged.
        assert "x-ratelimit-used" not in client.get("/graphql").headers
        assert "x-ratelimit-used" not in client.get("/health").headers


def test_keys_and_addresses_have_separate_budgets(
    settings: Settings, engine: sa.Engine, api_key: str, extractor: Callable[[str], Extraction]
) -> None:
    app = create_app(
        limited(settings, rate_limit_key_points=500, rate_limit_mutation_points=30),
        engine=engine,
        extractor=extractor,
    )
    key = {"Authorization": f"Bearer {api_key}"}
    with TestClient(app, client=LOCAL) as client:
        # Ingesting runs extraction: a mutation field costs 30 points more than its objects.
        ingested = client.post(
            "/graphql",
            json={"query": INGEST, "variables": {"input": ingest_input(numbered_story(1))}},
            headers=key,
        )
        assert ingested.status_code == 200 and "errors" not in ingested.json()
        cost = int(ingested.headers["x-ratelimit-cost"])
        assert cost > 30
        keyed = budget_of(client, **key)
        assert keyed["limit"] == 500 and keyed["used"] == cost + 1
        # The address pays for requests without a key, or with one that is not valid.
        assert budget_of(client)["used"] == 1
        assert budget_of(client, Authorization="Bearer qg_nope_nope")["used"] == 2
        # Spending the address's budget leaves the key's untouched.
        for _ in range(48):
            client.post("/graphql", json={"query": "{ __typename }"})
        assert client.post("/graphql", json={"query": "{ __typename }"}).status_code == 429
        assert budget_of(client, **key)["used"] == cost + 2


def test_limits_can_be_switched_off(settings: Settings, engine: sa.Engine) -> None:
    app = create_app(
        settings.model_copy(update={"rate_limit": False}),
        engine=engine,
        extractor=lambda _: None,  # type: ignore[arg-type,return-value]
    )
    with TestClient(app, client=LOCAL) as client:
        response = client.post("/graphql", json={"query": BUDGET})
        assert response.json() == {"data": {"rateLimit": None}}
        assert "x-ratelimit-used" not in response.headers


def test_requests_pass_uncharged_when_the_counters_are_unreachable(
    settings: Settings, engine: sa.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    nowhere = limited(settings, rate_limit_storage="redis://127.0.0.1:1/0")
    app = create_app(nowhere, engine=engine, extractor=lambda _: None)  # type: ignore[arg-type,return-value]
    with TestClient(app, client=LOCAL) as client:
        for _ in range(3):
            response = client.post("/graphql", json={"query": BUDGET})
            assert response.json() == {"data": {"rateLimit": None}}
    warnings = [r for r in caplog.records if r.name == "quotegraph.ratelimit"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()


# --- shared by workers through Redis ------------------------------------------------------------


@pytest.fixture
def redis_settings(settings: Settings) -> Iterator[Settings]:
    """Settings that count on the Redis server, under a prefix of this test's own."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.RedisError as error:
        connection.close()
        if REQUIRE_SERVICES:  # CI: every service the suite needs must be up
            pytest.fail(f"Redis is required but unreachable: {error}")
        pytest.skip(f"Redis unreachable at {REDIS_URL}")
    prefix = f"qg-test-{uuid.uuid4().hex[:8]}"
    yield limited(settings, rate_limit_storage=REDIS_URL, rate_limit_prefix=prefix)
    for name in connection.scan_iter(f"{prefix}*"):
        connection.delete(name)
    connection.close()


def test_two_workers_share_one_budget_on_redis(redis_settings: Settings, engine: sa.Engine) -> None:
    # Two apps stand for two uvicorn workers: each has its own memory, the counters are shared.
    workers = [
        create_app(redis_settings, engine=engine, extractor=lambda _: None)  # type: ignore[arg-type,return-value]
        for _ in range(2)
    ]
    responses = send_at_once(workers, [{"query": PAGE}] * 40)
    assert sum(r.status_code == 200 for r in responses) == 50 // PAGE_POINTS
    assert sum(r.status_code == 429 for r in responses) == 40 - 50 // PAGE_POINTS
    with TestClient(workers[1], client=LOCAL) as client:
        budget = budget_of(client)
    assert budget["used"] == 16 * PAGE_POINTS + 1 and budget["remaining"] == 1
    # A worker started later sees the same spent budget.
    later = create_app(redis_settings, engine=engine, extractor=lambda _: None)  # type: ignore[arg-type,return-value]
    with TestClient(later, client=LOCAL) as client:
        assert client.post("/graphql", json={"query": PAGE}).status_code == 429
        assert budget_of(client)["remaining"] == 0
