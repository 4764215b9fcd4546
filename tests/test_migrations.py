"""Migrations produce exactly the models' schema, and the service refuses a database behind."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import app.db.models  # noqa: F401
from app.db.engine import make_engine
from app.db.migrations import (
    DatabaseBehind,
    ensure_up_to_date,
    head_revision,
    include_object,
    upgrade,
)
from app.main import create_app
from app.settings import Settings


def test_autogenerate_finds_no_difference(engine: sa.Engine, settings: Settings) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
    ensure_up_to_date(engine, settings.database_url)


def test_service_refuses_a_database_behind(tmp_path: pytest.TempPathFactory) -> None:
    url = f"sqlite:///{tmp_path}/behind.db"
    settings = Settings(DATABASE_URL=url)
    with pytest.raises(DatabaseBehind, match="quotegraph db upgrade"):
        create_app(settings)
    upgrade(url)
    engine = make_engine(settings)
    ensure_up_to_date(engine, url)
    assert head_revision(url) is not None
    engine.dispose()
