"""Alembic from code: upgrade a database, and tell whether it is behind the code."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.db.engine import normalise_url

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


# Full-text search objects made by hand in migrations 0004, 0006, 0007 and 0008, one kind per
# database: not in the models' metadata.
SEARCH_OBJECTS = (
    "quote_fts",
    "ix_quote_text_search",
    "search_vector",
    "ix_quote_search_vector",
    "claim_fts",
    "claim_review_fts",
    "ix_claim_search_vector",
    "ix_claim_review_search_vector",
)


def include_object(_object: object, name: str | None, type_: str, *_args: object) -> bool:
    """Autogenerate filter: leave the hand-made search index and FTS5 tables alone."""
    return not (name or "").startswith(SEARCH_OBJECTS)


class DatabaseBehind(RuntimeError):
    """The database schema is older than the code; the service must not start on it."""


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Alembic's ini interpolation treats % specially, and URLs may hold escaped passwords.
    config.set_main_option("sqlalchemy.url", normalise_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_up_to_date(engine: sa.Engine, database_url: str) -> None:
    current, head = current_revision(engine), head_revision(database_url)
    if current != head:
        raise DatabaseBehind(
            f"The database is at migration {current or 'none (empty)'} but this version of "
            f"quotegraph needs {head}. Run `quotegraph db upgrade` and start again."
        )
