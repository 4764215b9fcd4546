"""Engine and session factory: SQLite pragmas for the embedded default, a pool for PostgreSQL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.settings import Settings

SQLITE_POOL = 4
_IDLE_SINCE = "quotegraph_idle_since"
WRITE_OPTION = "quotegraph_write"
"""Execution option marking a transaction that will write (SQLite takes the write lock up front)."""


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs, the only PostgreSQL driver installed."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(settings: Settings) -> sa.Engine:
    url = make_url(normalise_url(settings.database_url))
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.sqlite_busy_timeout_ms / 1000,
            },
            # SQLite has one writer at a time, and each connection keeps its own page cache:
            # more than a handful of connections add memory, not throughput (measured with
            # benchmarks/load.py: 20 connections grew the server by 107 MB in a minute, 6 by 32,
            # at the same requests per second).
            pool_size=min(settings.db_pool_size, SQLITE_POOL),
            max_overflow=min(settings.db_pool_size, SQLITE_POOL),
        )
        busy_ms = settings.sqlite_busy_timeout_ms

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets readers run beside one writer; foreign keys are off by default in SQLite.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
            cursor.close()

        # Let SQLAlchemy, not pysqlite, issue BEGIN (SQLAlchemy's documented SQLite recipe), so
        # that writers can ask for BEGIN IMMEDIATE: a deferred transaction that upgrades to a write
        # lock half-way fails at once with "database is locked" instead of waiting its turn.
        @sa.event.listens_for(engine, "connect", insert=True)
        def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            write = conn.get_execution_options().get(WRITE_OPTION, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    engine = sa.create_engine(
        url, pool_size=settings.db_pool_size, max_overflow=settings.db_pool_size
    )
    ping_when_idle(engine, settings.db_idle_ping_s)
    return engine


def ping_when_idle(engine: sa.Engine, idle_s: float) -> None:
    """Check a pooled connection before use if it sat idle for `idle_s` seconds or more.

    SQLAlchemy's pool_pre_ping checks every checkout, one extra round trip per request; a
    connection used moments ago is alive, so only one that waited long enough for the server
    to have gone away (restart, failover, idle timeout) is pinged. A dead one is replaced before
    the request sees it. SQLAlchemy's "pessimistic disconnect handling" recipe, with a threshold.
    """

    @sa.event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and checks out another (a new one if need be).
            raise sa.exc.DisconnectionError(f"pooled connection is gone: {error}") from error


def make_session(engine: sa.Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def begin_write(session: Session) -> None:
    """End any read transaction, then start a writing one (BEGIN IMMEDIATE on SQLite)."""
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options={WRITE_OPTION: True})
