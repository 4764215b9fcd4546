"""Read replicas: queries read from a real streaming replica, writes go to the primary, a client
that wrote reads its own writes although the replica lags, and a dead replica costs no request."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.db.engine import make_engine, make_session, read_write_stamp
from app.db.replicas import ReadReplicas
from app.graphql.routing import STAMP_COOKIE, STAMP_HEADER, client_stamp
from app.main import create_app
from app.services.keys import create_key
from app.settings import Settings
from tests.conftest import REPLICA_ADMIN_URL, wait_for_replay
from tests.helpers import numbered_story

INGEST = """mutation($text: String!) { ingestArticle(input: {text: $text, title: "Pier"}) {
  article { title } quotes { speaker { name } } } }"""
# The lean path answers the first; the directive sends the second through Strawberry's executor.
LEAN_READ = "{ articles(first: 5) { edges { node { title } } } }"
FULL_READ = "query($yes: Boolean = true) { articles(first: 5) @include(if: $yes) { totalCount } }"
Extractor = Callable[[str], Any]


def test_the_client_stamp_comes_from_the_header_or_the_cookie() -> None:
    assert client_stamp({b"x-quotegraph-stamp": b"42"}) == 42
    assert client_stamp({b"cookie": b"a=b; quotegraph_stamp=7"}) == 7
    assert client_stamp({b"x-quotegraph-stamp": b"9", b"cookie": b"quotegraph_stamp=7"}) == 9
    for junk in (b"-1", b"1e9", b"", b"9" * 40, b"\xff"):
        assert client_stamp({b"x-quotegraph-stamp": junk}) is None
    assert client_stamp({b"cookie": b"quotegraph_stamp=x; ="}) is None
    assert client_stamp({}) is None


def test_replica_urls_come_comma_separated_or_as_a_json_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "QUOTEGRAPH_READ_DATABASE_URL", "postgresql://r@one/db, postgresql://r@two/db"
    )
    assert Settings().read_database_urls == ["postgresql://r@one/db", "postgresql://r@two/db"]
    monkeypatch.setenv("QUOTEGRAPH_READ_DATABASE_URL", '["postgresql://r@one/db"]')
    assert Settings().read_database_urls == ["postgresql://r@one/db"]
    monkeypatch.delenv("QUOTEGRAPH_READ_DATABASE_URL")
    assert Settings().read_database_urls == []


@contextmanager
def replay_paused() -> Iterator[None]:
    """Stop the replica replaying the primary's WAL: it lags, deterministically."""
    assert REPLICA_ADMIN_URL
    admin = sa.create_engine(
        REPLICA_ADMIN_URL, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(sa.text("SELECT pg_wal_replay_pause()"))
    try:
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT pg_wal_replay_resume()"))
        admin.dispose()


def _settings(postgres_url: str, replica_url: str, **extra: Any) -> Settings:
    return Settings(DATABASE_URL=postgres_url, QUOTEGRAPH_READ_DATABASE_URL=replica_url, **extra)


def _post(
    client: TestClient, query: str, headers: dict[str, str] | None = None, **variables: Any
) -> Any:
    response = client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return response


def _titles(client: TestClient, headers: dict[str, str] | None = None) -> list[str]:
    body = _post(client, LEAN_READ, headers).json()
    return [edge["node"]["title"] for edge in body["data"]["articles"]["edges"]]


def _count(client: TestClient, headers: dict[str, str] | None = None) -> int:
    return int(_post(client, FULL_READ, headers).json()["data"]["articles"]["totalCount"])


def test_queries_read_from_the_replica_and_a_writer_reads_its_writes(
    postgres_url: str, replica_url: str, extractor: Extractor
) -> None:
    settings = _settings(postgres_url, replica_url, QUOTEGRAPH_RESPONSE_CACHE_MB=0)
    engine = make_engine(settings)
    with make_session(engine) as session:
        key = create_key(session, "writer")[1]
    wait_for_replay(postgres_url, replica_url)
    app = create_app(settings, engine=engine, extractor=extractor)
    with TestClient(app) as writer, TestClient(app) as reader, replay_paused():
        replicas: ReadReplicas = app.state.replicas
        # The replica answers reads as a standby.
        with replicas.replicas[0].connect() as connection:
            assert connection.execute(sa.text("SELECT pg_is_in_recovery()")).scalar_one()

        auth = {"Authorization": f"Bearer {key}"}
        written = _post(writer, INGEST, auth, text=numbered_story(1))
        stamp = int(written.headers[STAMP_HEADER])
        assert stamp == read_write_stamp(engine)
        assert writer.cookies[STAMP_COOKIE] == str(stamp)
        # The mutation's own answer was read back from the primary, inside the same session.
        assert written.json()["data"]["ingestArticle"]["article"]["title"] == "Pier"

        # The writer sends the stamp back (the cookie): the lagging replica is not used for it.
        routed = replicas.routed.copy()
        assert _titles(writer) == ["Pier"] and _count(writer) == 1
        assert replicas.routed["primary"] == routed["primary"] + 2
        # A client without the stamp reads from the replica, which has not replayed the write.
        assert _titles(reader) == [] and _count(reader) == 0
        assert replicas.routed["replica"] == routed["replica"] + 2
        assert STAMP_HEADER not in reader.post("/graphql", json={"query": LEAN_READ}).headers
        # So does a client whose stamp the replica has replayed.
        assert _titles(reader, {STAMP_HEADER: "1"}) == []
        # The same stamp as a header, from a client without the cookie.
        assert _titles(reader, {STAMP_HEADER: str(stamp)}) == ["Pier"]

    wait_for_replay(postgres_url, replica_url)
    with TestClient(app) as reader:
        before = replicas.routed["replica"]
        assert _titles(reader) == ["Pier"] and _count(reader) == 1
        assert replicas.routed["replica"] == before + 2
    engine.dispose()


def test_with_the_response_cache_a_lagging_replica_never_feeds_the_cache(
    postgres_url: str, replica_url: str, extractor: Extractor
) -> None:
    """An answer is cached under the primary's stamp; a replica behind it must not answer."""
    settings = _settings(postgres_url, replica_url)
    assert settings.response_cache_mb > 0
    engine = make_engine(settings)
    with make_session(engine) as session:
        key = create_key(session, "writer")[1]
    wait_for_replay(postgres_url, replica_url)
    app = create_app(settings, engine=engine, extractor=extractor)
    with TestClient(app) as writer, TestClient(app) as reader:
        assert _titles(reader) == []  # cached, from the replica (it had replayed everything)
        assert app.state.replicas.routed["replica"] >= 1
        with replay_paused():
            _post(writer, INGEST, {"Authorization": f"Bearer {key}"}, text=numbered_story(2))
            assert _titles(reader) == ["Pier"]  # a stranger sees it too: the primary answered
        wait_for_replay(postgres_url, replica_url)
        assert _titles(reader) == ["Pier"] and _count(reader) == 1
    engine.dispose()


def test_the_primary_answers_for_a_stamp_the_replica_has_not_replayed(
    postgres_url: str, replica_url: str
) -> None:
    primary = sa.create_engine(postgres_url)
    replica = sa.create_engine(replica_url)
    replicas = ReadReplicas(primary, [replica])
    replayed = read_write_stamp(replica)
    assert replicas.choose(replayed) is replica
    assert replicas.ready(replayed) is replica  # now known, without asking again
    assert replicas.choose(replayed + 1_000) is None
    primary.dispose()
    replica.dispose()


@pytest.mark.parametrize("cache_mb", [0, 64])
def test_a_dead_replica_costs_no_request(
    settings: Settings,
    engine: sa.Engine,
    extractor: Extractor,
    caplog: pytest.LogCaptureFixture,
    cache_mb: int,
) -> None:
    """Nothing listens on port 1: every read falls back to the primary, logged, never an error."""
    dead = settings.model_copy(
        update={
            "read_database_urls": ["postgresql+psycopg://postgres@127.0.0.1:1/test"],
            "response_cache_mb": cache_mb,
            "replica_retry_s": 0.0,  # try it again every time: each read meets the failure
        }
    )
    with make_session(engine) as session:
        key = create_key(session, "writer")[1]
    app = create_app(dead, engine=engine, extractor=extractor)
    with caplog.at_level(logging.WARNING, "quotegraph.replicas"), TestClient(app) as client:
        _post(client, INGEST, {"Authorization": f"Bearer {key}"}, text=numbered_story(3))
        client.cookies.clear()
        assert _titles(client) == ["Pier"]
        assert _count(client) == 1
        assert _titles(client, {STAMP_HEADER: "99999999"}) == ["Pier"]
    assert caplog.text.count("reads go to the primary") >= 3
