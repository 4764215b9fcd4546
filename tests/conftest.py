"""Fixtures: a migrated database on SQLite and on PostgreSQL, the real extractor, an HTTP client."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlmodel import SQLModel

from app.db.engine import make_engine, make_session
from app.db.migrations import upgrade
from app.main import create_app
from app.services.keys import create_key
from app.settings import Settings

# Property tests explore new examples on every run at a desk; CI (`.ci/run` sets the profile "ci")
# runs the same examples every time, so that a landing never hangs on a lucky draw. A failure
# found at a desk prints its reproduction blob either way.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("dev", print_blob=True)
hypothesis_settings.load_profile(os.environ.get("QUOTEGRAPH_HYPOTHESIS_PROFILE", "dev"))

POSTGRES_ADMIN_URL = os.environ.get(
    "QUOTEGRAPH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# A streaming replica of that server (.ci/run starts one on port 5433); its tests skip without it.
REPLICA_ADMIN_URL = os.environ.get("QUOTEGRAPH_TEST_REPLICA_URL")
# In CI the PostgreSQL and RabbitMQ tests must run: an unreachable server fails there.
REQUIRE_SERVICES = os.environ.get("CI", "").lower() in ("1", "true", "yes") or bool(
    os.environ.get("QUOTEGRAPH_REQUIRE_SERVICES")
)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server, dropped afterwards; skips the test
    (fails it in CI) when the server does not answer."""
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        admin.dispose()
        if REQUIRE_SERVICES:
            pytest.fail(f"PostgreSQL is required but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL}")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables yet, not even migrations, to be migrated step by step: a file
    on SQLite, a scratch database on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with scratch_postgres_database("quotegraph_empty") as url:
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database on the PostgreSQL server, migrated once, dropped at the end."""
    with scratch_postgres_database("quotegraph_test") as url:
        upgrade(url)
        yield url


@pytest.fixture
def replica_url(postgres_url: str) -> str:
    """The emptied PostgreSQL test database as the streaming replica serves it, once the
    replica has replayed everything the primary committed so far."""
    if not REPLICA_ADMIN_URL:
        if REQUIRE_SERVICES:
            pytest.fail(
                "a read replica is required: set QUOTEGRAPH_TEST_REPLICA_URL (.ci/run does)"
            )
        pytest.skip("no read replica (QUOTEGRAPH_TEST_REPLICA_URL)")
    _truncate_postgres(postgres_url)
    database = sa.engine.make_url(postgres_url).database
    url = sa.engine.make_url(REPLICA_ADMIN_URL).set(database=database)
    text = url.render_as_string(hide_password=False)
    wait_for_replay(postgres_url, text)
    return text


def wait_for_replay(primary_url: str, replica_url: str, seconds: float = 30) -> None:
    """Until the replica has replayed the primary's write stamp and every commit before it."""
    primary = sa.create_engine(primary_url, poolclass=sa.pool.NullPool)
    with primary.connect() as connection:
        lsn = connection.execute(sa.text("SELECT pg_current_wal_lsn()")).scalar_one()
    primary.dispose()
    replica = sa.create_engine(replica_url, poolclass=sa.pool.NullPool)
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                with replica.connect() as connection:
                    replayed = connection.execute(
                        sa.text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)"),
                        {"lsn": lsn},
                    ).scalar_one()
                if replayed:
                    return
            except sa.exc.OperationalError as error:  # the database not created there yet
                if time.monotonic() > deadline:
                    raise AssertionError(f"the replica does not answer: {error}") from error
            if time.monotonic() > deadline:
                raise AssertionError("the replica did not replay the primary's writes in time")
            time.sleep(0.05)
    finally:
        replica.dispose()


def _truncate_postgres(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    # The write stamp only ever grows, like in production; everything else starts empty.
    tables = ", ".join(
        f'"{t.name}"' for t in SQLModel.metadata.sorted_tables if t.name != "write_stamp"
    )
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: a fresh SQLite file, or the emptied PostgreSQL test database."""
    if request.param == "sqlite":
        path = tmp_path / "quotegraph.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(DATABASE_URL=database_url, QUOTEGRAPH_CORS_ORIGINS="https://frontend.example")


@pytest.fixture
def engine(settings: Settings) -> Iterator[sa.Engine]:
    engine = make_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def extractor() -> Callable[[str], Any]:
    """The real extractor; its spaCy pipeline is loaded once for the whole test session."""
    from app.extraction import extract

    extract("Warm-up sentence, said the tester.")
    return extract


@pytest.fixture
def client(
    settings: Settings, engine: sa.Engine, extractor: Callable[[str], Any]
) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine, extractor=extractor)
    with TestClient(app) as test_client:
        yield test_client


class GraphQL:
    """Posts GraphQL over HTTP (with an API key when given one) and returns the decoded body."""

    def __init__(self, client: TestClient, key: str | None = None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def ok(self, query: str, **variables: Any) -> dict[str, Any]:
        body = self(query, **variables)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture
def api_key(engine: sa.Engine) -> str:
    with make_session(engine) as session:
        return create_key(session, "tests")[1]


@pytest.fixture
def gql(client: TestClient, api_key: str) -> GraphQL:
    """A client that sends a valid API key, so it may call mutations."""
    return GraphQL(client, api_key)


@pytest.fixture
def anonymous(client: TestClient) -> GraphQL:
    """A client without an API key."""
    return GraphQL(client)


def row_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: int(
                connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            )
            for table in SQLModel.metadata.sorted_tables
            if table.name != "write_stamp"
        }


def assert_stored_once(engine: sa.Engine, articles: int) -> None:
    """Exactly `articles` articles, each with the same number of quotes (the generated stories
    all have the same shape), so nothing was stored twice or half-way."""
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT count(*) FROM article")).scalar_one()
        per_article = connection.execute(
            sa.text("SELECT article_id, count(*) FROM quote GROUP BY article_id")
        ).all()
    assert stored == articles
    assert len(per_article) == articles and len({n for _, n in per_article}) == 1
