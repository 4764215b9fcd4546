"""The write stamp: bumped inside every writing transaction, read before serving from a cache."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

_BUMP = sa.text("UPDATE write_stamp SET value = value + 1 WHERE id = 1")
_READ = sa.text("SELECT value FROM write_stamp WHERE id = 1")


def bump_write_stamp(session: Session) -> None:
    """Call inside a write transaction, just before commit: readers then know data changed."""
    session.execute(_BUMP)


def read_write_stamp(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(_READ).scalar_one())
