"""Speakers across articles: who joins whom, roles over time, and batching that changes nothing."""

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
from app.services.queries import speaker_ids_for_name
from app.services.speakers import resolve_speaker, resolve_speakers
from app.settings import Settings

# A small pool of names, so that exact names, shared aliases, surnames and collisions inside one
# article all come up often.
NAMES = [
    "Ann Lee",
    "Ann B. Lee",
    "Lee",
    "Bo Chen",
    "Chen",
    "Health Ministry",
    "Ann Lee Chen",
    "the ministry",
]
ROLES = [None, "Minister", "Spokeswoman"]
KINDS = ["person", "organisation", "unknown"]

refs = st.builds(
    SpeakerRef,
    name=st.sampled_from(NAMES),
    kind=st.sampled_from(KINDS),
    role=st.sampled_from(ROLES),
    aliases=st.lists(st.sampled_from(NAMES), max_size=2).map(tuple),
    named=st.booleans(),
)
articles = st.lists(
    st.tuples(
        st.lists(refs, min_size=1, max_size=4, unique_by=lambda r: r.name),
        st.integers(min_value=1, max_value=3),  # day of the article: often the same
        st.sampled_from(["a1", "b2"]),  # the article's scope: a description is its own
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
        for speakers, day, scope in articles:
            as_of = datetime(2026, 1, day, tzinfo=UTC)
            with make_session(together) as session:
                ids_together = resolve_speakers(session, speakers, as_of, scope)
                session.commit()
            with make_session(one_by_one) as session:
                ids_one_by_one = [resolve_speaker(session, ref, as_of, scope) for ref in speakers]
                session.commit()
            assert ids_together == ids_one_by_one
        assert _state(together) == _state(one_by_one)
        for engine in engines:
            engine.dispose()
    finally:
        shutil.rmtree(folder)


def _resolve(engine: sa.Engine, day: int, *refs: SpeakerRef, scope: str | None = None) -> list[int]:
    with make_session(engine) as session:
        ids = resolve_speakers(session, list(refs), datetime(2026, 1, day, tzinfo=UTC), scope)
        session.commit()
    return ids


def _person(name: str, *aliases: str, role: str | None = None) -> SpeakerRef:
    return SpeakerRef(name=name, kind="person", role=role, aliases=(name, *aliases))


def test_the_same_full_name_or_a_known_full_alias_is_the_same_speaker(engine: sa.Engine) -> None:
    [ann] = _resolve(engine, 1, _person("Ann B. Lee", "Ann Lee", "Lee"))
    assert _resolve(engine, 2, _person("Ann B. Lee")) == [ann]
    assert _resolve(engine, 3, _person("Ann Lee")) == [ann]


def test_a_surname_alone_or_a_shared_alias_is_no_evidence(engine: sa.Engine) -> None:
    [ann] = _resolve(engine, 1, _person("Ann B. Lee", "Ann Lee", "Lee"))
    [lee] = _resolve(engine, 2, _person("Lee"))
    assert lee != ann
    [other] = _resolve(engine, 3, _person("Ann C. Lee", "Ann Lee"))
    assert other != ann
    # "Ann Lee" is now an alias of two people: a third article's "Ann Lee" is someone new.
    [third] = _resolve(engine, 4, _person("Ann Lee"))
    assert third not in (ann, other, lee)


def test_the_latest_article_sets_the_role_and_a_known_kind_replaces_unknown(
    engine: sa.Engine,
) -> None:
    [bo] = _resolve(engine, 10, SpeakerRef(name="Bo Chen", kind="unknown", role="Minister"))
    _resolve(engine, 5, _person("Bo Chen", role="Deputy Minister"))  # an older article
    speaker = table_of(Speaker)
    with engine.connect() as connection:
        row = connection.execute(sa.select(speaker).where(speaker.c.id == bo)).one()
    assert (row.kind, row.role) == ("person", "Minister")
    _resolve(engine, 20, _person("Bo Chen", role="Premier"))
    with engine.connect() as connection:
        row = connection.execute(sa.select(speaker).where(speaker.c.id == bo)).one()
    assert row.role == "Premier"


def test_a_description_is_a_speaker_of_its_own_article(engine: sa.Engine) -> None:
    def described(text: str) -> SpeakerRef:
        return SpeakerRef(name=text, kind="organisation", aliases=(text,), named=False)

    [first] = _resolve(engine, 1, described("the ministry"), scope="article-1")
    [second] = _resolve(engine, 2, described("the ministry"), scope="article-2")
    assert first != second
    # The same article stored again (an import, a retried job) finds its own speaker.
    assert _resolve(engine, 1, described("the ministry"), scope="article-1") == [first]
    # A name spelled like an article's description does not join that article's speaker.
    [police] = _resolve(engine, 3, described("Lindmouth police"), scope="article-3")
    named = SpeakerRef(name="Lindmouth Police", kind="organisation", aliases=("Lindmouth Police",))
    [force] = _resolve(engine, 4, named, scope="article-4")
    assert force != police
    with make_session(engine) as session:
        assert speaker_ids_for_name(session, "the ministry") == [first, second]
