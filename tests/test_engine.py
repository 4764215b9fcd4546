"""The PostgreSQL pool: connections idle long enough are checked before use, busy ones are not."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db.engine import make_engine
from app.settings import Settings

pytestmark = pytest.mark.postgres


def _backend_pid(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        pid: int = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    return pid


def _terminate(url: str, pid: int) -> None:
    admin = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        assert connection.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    admin.dispose()


def _engine(postgres_url: str, idle_ping_s: float) -> sa.Engine:
    settings = Settings(
        DATABASE_URL=postgres_url, QUOTEGRAPH_DB_POOL_SIZE=1, QUOTEGRAPH_DB_IDLE_PING=idle_ping_s
    )
    return make_engine(settings)


def test_an_idle_connection_killed_by_the_server_is_replaced_before_use(postgres_url: str) -> None:
    engine = _engine(postgres_url, idle_ping_s=0.0)  # every returned connection counts as idle
    try:
        first = _backend_pid(engine)
        _terminate(postgres_url, first)
        # The request does not see the dead connection: the ping finds it, the pool replaces it.
        second = _backend_pid(engine)
        assert second != first
    finally:
        engine.dispose()


def test_a_connection_used_moments_ago_is_not_pinged(postgres_url: str) -> None:
    engine = _engine(postgres_url, idle_ping_s=3600.0)
    try:
        first = _backend_pid(engine)
        _terminate(postgres_url, first)
        # Within the threshold there is no ping (no extra round trip), so a connection that died
        # in the meantime surfaces as an error, which the pool answers by discarding it ...
        with pytest.raises(sa.exc.OperationalError):
            _backend_pid(engine)
        # ... and the next checkout gets a working one.
        assert _backend_pid(engine) != first
    finally:
        engine.dispose()
