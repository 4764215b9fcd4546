"""Resolving an article's speakers together decides exactly what resolving them one by one does."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db.engine import make_engine, make_session
from app.db.models import Speaker, SpeakerAlias, table_of
from app.extraction.types import SpeakerRef
from app.services.speakers import resolve_speaker, resolve_speakers
from app.settings import Settings

# A small pool of names, so that exact names, shared aliases, surnames and collisions inside one
# article all come up often.
NAMES = ["Ann Lee", "Ann B. Lee", "Lee", "Bo Chen", "Chen", "Health Ministry", "Ann Lee Chen"]
ROLES = [None, "Minister", "Spokeswoman"]
KINDS = ["person", "organisation", "unknown"]

refs = st.builds(
    SpeakerRef,
    name=st.sampled_from(NAMES),
    kind=st.sampled_from(KINDS),
    role=st.sampled_from(ROLES),
    aliases=st.lists(st.sampled_from(NAMES), max_size=2).map(tuple),
)
articles = st.lists(
    st.tuples(
        st.lists(refs, min_size=1, max_size=4, unique_by=lambda r: r.name),
        st.integers(min_value=1, max_value=3),  # day of the article: often the same
    ),
    min_size=1,
    max_size=5,
)


def _state(engine: sa.Engine) -> tuple[list[Any], list[Any]]:
    speaker, alias = table_of(Speaker), table_of(SpeakerAlias)
    with engine.connect() as connection:
        speakers = connection.execute(
            sa.select(speaker.c.id, speaker.c.name, speaker.c.kind, speaker.c.role).order_by(
                speaker.c.id
            )
        ).all()
        aliases = connection.execute(
            sa.select(alias.c.speaker_id, alias.c.alias_key).order_by(
                alias.c.speaker_id, alias.c.alias_key
            )
        ).all()
    return [tuple(r) for r in speakers], [tuple(r) for r in aliases]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(articles=articles)
def test_together_and_one_by_one_agree(sqlite_template: Path, articles: Any) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        engines = []
        for name in ("together", "one_by_one"):
            shutil.copy(sqlite_template, folder / f"{name}.db")
            engines.append(make_engine(Settings(DATABASE_URL=f"sqlite:///{folder}/{name}.db")))
        together, one_by_one = engines
        for speakers, day in articles:
            as_of = datetime(2026, 1, day, tzinfo=UTC)
            with make_session(together) as session:
                ids_together = resolve_speakers(session, speakers, as_of)
                session.commit()
            with make_session(one_by_one) as session:
                ids_one_by_one = [resolve_speaker(session, ref, as_of) for ref in speakers]
                session.commit()
            assert ids_together == ids_one_by_one
        assert _state(together) == _state(one_by_one)
        for engine in engines:
            engine.dispose()
    finally:
        shutil.rmtree(folder)
