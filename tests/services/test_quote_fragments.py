"""Fragments and attribution classes, stored: ingest, delete, archive, export and migration.

On a real SQLite file and on PostgreSQL; the article is invented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.db.engine import make_engine, make_session
from app.db.migrations import upgrade
from app.extraction.types import ClaimSpan, Extraction, QuoteSpan, SpeakerRef
from app.services.archive import export_archive, import_archive
from app.services.datasets import ExportFilter, batches
from app.services.ingest import (
    ArticleInput,
    delete_article,
    ingest_article,
    prepare_article,
    store_article,
)
from app.settings import Settings
from tests.helpers import PIER_STORY as STORY


def export_rows(session: Any, classes: tuple[str, ...] = ("speech",)) -> Iterator[dict[str, Any]]:
    """The quotes dataset (`quotegraph export quotes`), row by row."""
    for batch in batches(session, "quotes", ExportFilter(classes=classes)):
        yield from batch


def _ingest(engine: sa.Engine, extractor: Callable[[str], Any], text: str = STORY) -> int:
    with make_session(engine) as session:
        result = ingest_article(session, ArticleInput(text=text), extractor, max_chars=100_000)
    return result.article_id


def _stored(engine: sa.Engine, article_id: int) -> list[dict[str, Any]]:
    """Each quote of the article with its class and its fragments, in order."""
    with engine.connect() as connection:
        quotes = connection.execute(
            sa.text(
                'SELECT id, text, start, "end", attribution_class FROM quote '
                "WHERE article_id = :a ORDER BY position"
            ),
            {"a": article_id},
        ).all()
        fragments = connection.execute(
            sa.text(
                'SELECT quote_id, position, text, start, "end" FROM quote_fragment '
                "ORDER BY quote_id, position"
            )
        ).all()
    return [
        {
            "text": q.text,
            "span": (q.start, q.end),
            "class": q.attribution_class,
            "fragments": [(f.text, f.start, f.end) for f in fragments if f.quote_id == q.id],
        }
        for q in quotes
    ]


def _article_text(engine: sa.Engine, article_id: int) -> str:
    with engine.connect() as connection:
        text: str = connection.execute(
            sa.text("SELECT text FROM article WHERE id = :a"), {"a": article_id}
        ).scalar_one()
    return text


def test_ingest_stores_each_fragment_with_its_offsets_and_each_class(
    engine: sa.Engine, extractor: Callable[[str], Any]
) -> None:
    article_id = _ingest(engine, extractor)
    text = _article_text(engine, article_id)
    quotes = _stored(engine, article_id)
    assert [q["class"] for q in quotes] == ["speech", "evidence", "speech"]
    rebuild = quotes[0]
    assert [f[0] for f in rebuild["fragments"]] == [
        "We will rebuild the pier",
        "It will take two years.",
    ]
    assert rebuild["text"] == "We will rebuild the pier \u2026 It will take two years."
    for quote in quotes:
        for fragment_text, start, end in quote["fragments"]:
            assert text[start:end] == fragment_text
        assert quote["span"] == (quote["fragments"][0][1], quote["fragments"][-1][2])
        assert " \u2026 ".join(f[0] for f in quote["fragments"]) == quote["text"]


def test_deleting_and_ingesting_again_rewrites_the_fragments(
    engine: sa.Engine, extractor: Callable[[str], Any]
) -> None:
    first = _ingest(engine, extractor)
    before = _stored(engine, first)
    with make_session(engine) as session:
        assert delete_article(session, first)
    with engine.connect() as connection:
        left = connection.execute(sa.text("SELECT count(*) FROM quote_fragment")).scalar_one()
    assert left == 0
    second = _ingest(engine, extractor)
    assert _stored(engine, second) == before


def test_a_failed_write_leaves_no_fragments(engine: sa.Engine) -> None:
    """Article, quotes, fragments and claims are one transaction: a claim that cannot be
    written (it points at a quote that is not there) takes the fragments with it."""
    with make_session(engine) as session:
        prepared = prepare_article(ArticleInput(text=STORY), max_chars=100_000)
        start = STORY.index("We will")
        quote = QuoteSpan(
            text=STORY[start : start + 24], start=start, end=start + 24, kind="direct", speaker=0
        )
        extraction = Extraction(
            text=prepared.text,
            speakers=(SpeakerRef("Elena Vasquez", "person"),),
            quotes=(quote,),
            claims=(ClaimSpan(text=quote.text, start=start, end=start + 24, score=0.5, quote=3),),
        )
        with pytest.raises(IndexError):
            store_article(session, prepared, extraction)
    with engine.connect() as connection:
        counts = [
            connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("article", "quote", "quote_fragment")
        ]
    assert counts == [0, 0, 0]


def _exported(session: Any, where: ExportFilter) -> list[dict[str, Any]]:
    return [row for batch in batches(session, "quotes", where) for row in batch]


def test_export_gives_class_and_fragments_and_speech_by_default(
    engine: sa.Engine, extractor: Callable[[str], Any]
) -> None:
    _ingest(engine, extractor)
    with make_session(engine) as session:
        speech = _exported(session, ExportFilter())
        every = _exported(session, ExportFilter(classes=("speech", "belief", "evidence")))
        evidence = _exported(session, ExportFilter(classes=("evidence",)))
    assert {r["attribution_class"] for r in speech} == {"speech"}
    assert len(every) == len(speech) + 1
    assert [r["text"] for r in evidence] == ["most dock workers feel unsafe on the pier"]
    rebuild = next(r for r in speech if r["text"].startswith("We will rebuild"))
    assert [f["text"] for f in rebuild["fragments"]] == [
        "We will rebuild the pier",
        "It will take two years.",
    ]
    assert all(STORY[f["start"] : f["end"]] == f["text"] for f in rebuild["fragments"])


def test_an_archive_keeps_fragments_and_classes(
    engine: sa.Engine, extractor: Callable[[str], Any], tmp_path: Path
) -> None:
    article_id = _ingest(engine, extractor)
    before = _stored(engine, article_id)
    with make_session(engine) as session:
        records = list(export_archive(session))
    quote_records = [r for r in records if r["type"] == "quote"]
    assert [len(r["fragments"]) for r in quote_records] == [2, 1, 1]
    other = make_engine(Settings(DATABASE_URL=_copy_of_empty(tmp_path)))
    try:
        with make_session(other) as session:
            counts = import_archive(session, records)
        assert counts.quotes == 3
        with other.connect() as connection:
            new_id = connection.execute(sa.text("SELECT id FROM article")).scalar_one()
        assert _stored(other, new_id) == before
        # An archive written before fragments and classes: each quote one piece of speech.
        old = [
            {k: v for k, v in r.items() if k not in ("fragments", "attribution_class")}
            for r in records
        ]
        with make_session(other) as session:
            session.execute(sa.text("DELETE FROM article"))
            session.commit()
            import_archive(session, old)
        with other.connect() as connection:
            new_id = connection.execute(sa.text("SELECT id FROM article")).scalar_one()
        restored = _stored(other, new_id)
        assert [q["class"] for q in restored] == ["speech"] * 3
        assert [len(q["fragments"]) for q in restored] == [1, 1, 1]
        assert all(q["fragments"][0][1:] == q["span"] for q in restored)
    finally:
        other.dispose()


def _copy_of_empty(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'imported.db'}"
    upgrade(url)
    return url


def test_the_migration_gives_every_stored_quote_one_fragment_of_speech(
    empty_database: str,
) -> None:
    from alembic import command

    from app.db.migrations import alembic_config

    upgrade(empty_database, "0008")
    text = 'Ann Lee said "the pier is safe" on Monday.'
    engine = sa.create_engine(empty_database, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO article (id, text, body_start, body_end, content_hash, language, "
                    "ingested_at, extractor_version, sort_date) VALUES (1, :text, 0, 42, 'h', "
                    "'en', '2025-01-01', 'old', '2025-01-01')"
                ),
                {"text": text},
            )
            connection.execute(
                sa.text(
                    'INSERT INTO quote (id, article_id, position, text, kind, start, "end", '
                    "confidence, sort_date) VALUES (1, 1, 0, 'the pier is safe', 'direct', 14, "
                    "30, 0.9, '2025-01-01')"
                )
            )
        upgrade(empty_database)
        with engine.connect() as connection:
            assert connection.execute(
                sa.text("SELECT attribution_class FROM quote")
            ).scalar_one() == ("speech")
            fragment = connection.execute(
                sa.text('SELECT quote_id, position, text, start, "end" FROM quote_fragment')
            ).one()
        assert tuple(fragment) == (1, 0, "the pier is safe", 14, 30)
        assert text[14:30] == "the pier is safe"
        with engine.begin() as connection, pytest.raises(sa.exc.IntegrityError):
            connection.execute(sa.text("UPDATE quote SET attribution_class = 'rumour'"))
        command.downgrade(alembic_config(empty_database), "0008")
        with engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("quote")}
            assert "attribution_class" not in columns
            assert not sa.inspect(connection).has_table("quote_fragment")
    finally:
        engine.dispose()
