"""Engine and session factory: SQLite pragmas for the embedded default, a pool for PostgreSQL;
sessions that bump the write stamp in every transaction that wrote, and read from a replica
when the request was routed to one."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlmodel import Session

from app.settings import Settings

log = logging.getLogger("quotegraph.db")

SQLITE_POOL = 4
_IDLE_SINCE = "quotegraph_idle_since"
WRITE_OPTION = "quotegraph_write"
"""Execution option marking a transaction that will write (SQLite takes the write lock up front)."""


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs, the only PostgreSQL driver installed."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(settings: Settings, url_text: str | None = None) -> sa.Engine:
    """The engine for settings.database_url (or `url_text`, e.g. a read replica's)."""
    url = make_url(normalise_url(url_text or settings.database_url))
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


_BUMP = sa.text("UPDATE write_stamp SET value = value + 1 WHERE id = 1 RETURNING value")
_READ_STAMP = sa.text("SELECT value FROM write_stamp WHERE id = 1")
_TEXT_WRITES = frozenset({"insert", "update", "delete", "replace", "merge", "upsert"})
# session.info keys
_WROTE = "quotegraph_wrote"  # this transaction wrote: bump the stamp before it commits
_BUMPED = "quotegraph_bumped"  # the stamp this transaction set, published once it commits
_PRIMARY = "quotegraph_primary"  # this session writes (or its replica failed): primary only


def read_write_stamp(bind: sa.Engine | sa.Connection) -> int:
    """The database's write stamp (on a replica: the stamp it has replayed up to)."""
    if isinstance(bind, sa.Connection):
        return int(bind.execute(_READ_STAMP).scalar_one())
    with bind.connect() as connection:
        return int(connection.execute(_READ_STAMP).scalar_one())


@dataclass(eq=False)
class ReadRoute:
    """Where one request's sessions read: `engine` (a replica), or the primary when None.

    Set for a request by the replica routing middleware (app.graphql.routing) in READ_ROUTE;
    sessions opened during the request on the primary engine read through it until they write.
    `written` collects the stamp of the request's last committed write, for the response."""

    engine: sa.Engine | None = None
    failed: Callable[[sa.Engine, Exception], None] = field(default=lambda _engine, _error: None)
    written: int | None = None
    option_engines: dict[tuple[Any, ...], sa.Engine] = field(default_factory=dict)
    """Shared between requests: replicas with execution options, made once each."""

    def read_engine(self, options: dict[str, Any]) -> sa.Engine | None:
        """The replica with the same execution options as the primary engine a session was
        opened on (the lean path reads in autocommit, for instance)."""
        if self.engine is None or not options:
            return self.engine
        key = (self.engine, *sorted(options.items()))
        found = self.option_engines.get(key)
        if found is None:
            found = self.option_engines[key] = self.engine.execution_options(**options)
        return found


READ_ROUTE: ContextVar[ReadRoute | None] = ContextVar("quotegraph_read_route", default=None)


class StampedSession(Session):
    """A Session whose every committed write transaction bumps the write stamp in the same
    transaction (see the listeners below), so no write path can forget it: the response cache
    of every worker then knows the data changed. With a read bind, it reads from that replica
    until it writes (begin_write, a flush or a DML statement), then uses the primary only."""

    def __init__(
        self,
        bind: sa.Engine,
        *,
        read_bind: sa.Engine | None = None,
        route: ReadRoute | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(bind, **kwargs)
        self.read_bind = read_bind
        self.route = route

    def get_bind(self, mapper: Any = None, **kwargs: Any) -> sa.Engine | sa.Connection:
        clause = kwargs.get("clause")
        if (
            self.read_bind is not None
            and not self.info.get(_PRIMARY)
            and not self._flushing
            and not (clause is not None and _is_write(clause))
        ):
            return self.read_bind
        return super().get_bind(mapper, **kwargs)

    def use_primary(self) -> None:
        """Read and write on the primary from now on (read-your-writes within the session)."""
        self.info[_PRIMARY] = True


def _is_write(statement: Any) -> bool:
    if isinstance(statement, sa.TextClause):
        words = statement.text.lstrip().split(None, 1)
        return bool(words) and words[0].lower() in _TEXT_WRITES
    return bool(getattr(statement, "is_dml", False))


_REPLICA_FAILURES = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


@sa.event.listens_for(StampedSession, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> Any:
    session = state.session
    assert isinstance(session, StampedSession)
    if _is_write(state.statement):
        session.info[_WROTE] = True
        session.use_primary()
        return None
    if session.read_bind is None or session.info.get(_PRIMARY):
        return None
    # A read on the replica: if the replica cannot answer, the primary does, and the replica is
    # left alone for a while (the route logs it) -- a replica outage costs no failed request.
    try:
        return state.invoke_statement()
    except _REPLICA_FAILURES as error:
        if session.route is not None:
            session.route.failed(session.read_bind, error)
        session.use_primary()
        return state.invoke_statement()


@sa.event.listens_for(StampedSession, "after_flush")
def _on_flush(session: Session, _flush_context: Any) -> None:
    session.info[_WROTE] = True


@sa.event.listens_for(StampedSession, "before_commit")
def _bump_write_stamp(session: Session) -> None:
    # before_commit runs before the final flush, so rows only added so far count as writes.
    if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
        session.info[_BUMPED] = int(session.execute(_BUMP).scalar_one())


@sa.event.listens_for(StampedSession, "after_commit")
def _publish_stamp(session: Session) -> None:
    stamp = session.info.pop(_BUMPED, None)
    route = session.route if isinstance(session, StampedSession) else None
    if stamp is not None and route is not None:
        route.written = max(route.written or 0, stamp)


@sa.event.listens_for(StampedSession, "after_transaction_end")
def _forget_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction, committed or rolled back
        session.info.pop(_WROTE, None)
        session.info.pop(_BUMPED, None)


def make_session(engine: sa.Engine) -> StampedSession:
    """A session on `engine` (the primary). During a request routed to a replica, it reads
    from that replica until it writes."""
    route = READ_ROUTE.get()
    read_bind = route.read_engine(engine.get_execution_options()) if route else None
    return StampedSession(engine, read_bind=read_bind, route=route, expire_on_commit=False)


def begin_write(session: Session) -> None:
    """End any read transaction, then start a writing one on the primary (BEGIN IMMEDIATE on
    SQLite). The write stamp is bumped when it commits, if it wrote anything."""
    if session.in_transaction():
        session.rollback()
    if isinstance(session, StampedSession):
        session.use_primary()
    session.connection(execution_options={WRITE_OPTION: True})
