"""Row ids are never handed out twice: a quote put back after "not a quote" keeps its id, a merged
speaker's id keeps leading to the survivor, and a citation by id never reaches other words.

SQLite gives a new row the largest id plus one unless the table is AUTOINCREMENT (migration
0013), so the newest row's id came back once that row was gone; PostgreSQL's sequences never do.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from app.db.engine import make_session
from app.db.migrations import upgrade
from app.services import curation
from app.services.audit import CLI
from app.services.ingest import delete_article
from tests.services.test_counters import ingest, said_story


def _ids(engine: sa.Engine, table: str) -> list[int]:
    with engine.connect() as connection:
        return [int(i) for i in connection.execute(sa.text(f"SELECT id FROM {table}")).scalars()]


def _speaker(engine: sa.Engine, name: str) -> int:
    with engine.connect() as connection:
        found = connection.execute(
            sa.text("SELECT id FROM speaker WHERE name = :n"), {"n": name}
        ).scalar_one()
    return int(found)


def test_a_hidden_newest_quote_comes_back_under_its_id(engine: sa.Engine) -> None:
    ingest(engine, *said_story([(0, 0), (1, 1)]))
    newest = max(_ids(engine, "quote"))
    with make_session(engine) as session:
        assert curation.mark_not_a_quote(session, CLI, newest)
    # Before migration 0013 the next quote took the hidden one's id on SQLite ...
    ingest(engine, *said_story([(2, 2)]))
    assert newest not in _ids(engine, "quote")
    # ... and putting the hidden one back failed with a UNIQUE error.
    with make_session(engine) as session:
        assert curation.mark_not_a_quote(session, CLI, newest, False)
    quotes = _ids(engine, "quote")
    assert newest in quotes and len(quotes) == len(set(quotes)) == 3
    with engine.connect() as connection:
        text = connection.execute(
            sa.text("SELECT text FROM quote WHERE id = :i"), {"i": newest}
        ).scalar_one()
    assert text == said_story([(1, 1)])[1].quotes[0].text


def test_deleted_and_merged_ids_are_not_given_to_new_rows(engine: sa.Engine) -> None:
    ingest(engine, *said_story([(0, 0)]))
    first_quotes = set(_ids(engine, "quote"))
    last_article = ingest(engine, *said_story([(1, 3)]))
    gone_quotes = set(_ids(engine, "quote")) - first_quotes
    kofi, elena = _speaker(engine, "Kofi Mensah"), _speaker(engine, "Elena Vasquez")
    assert kofi == max(_ids(engine, "speaker"))
    with make_session(engine) as session:
        curation.merge_speakers(session, CLI, elena, [kofi])
    with make_session(engine) as session:
        assert delete_article(session, last_article)

    new_article = ingest(engine, *said_story([(2, 2)]))
    assert new_article > last_article
    assert min(set(_ids(engine, "quote")) - first_quotes) > max(gone_quotes)
    # The merged speaker's id still leads to the survivor only: the new speaker has its own.
    assert _speaker(engine, "Ana Lima") > kofi
    with engine.connect() as connection:
        redirect = connection.execute(
            sa.text("SELECT speaker_id FROM speaker_redirect WHERE id = :i"), {"i": kofi}
        ).scalar_one()
    assert redirect == elena


def test_upgrading_sqlite_keeps_rows_search_and_ids_in_use(tmp_path: Path) -> None:
    """Migration 0013 rebuilds SQLite's tables: every row, the full-text index, the view of
    speech and the foreign keys survive, and the counter starts above the hidden quotes' ids.
    (Rows written as SQL: the services of today expect tables of later migrations.)"""
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0012")
    engine = sa.create_engine(url)
    now = "2024-01-05 10:00:00.000000"
    with engine.begin() as connection:

        def run(sql: str, **values: object) -> None:
            connection.execute(sa.text(sql), values)

        run(
            "INSERT INTO article (text, body_start, body_end, content_hash, language, "
            "ingested_at, extractor_version, sort_date) VALUES (:t, 0, 60, 'h1', 'en', :n, "
            "'test', :n)",
            t="Nobody asked the fishermen what they wanted, the mayor said.",
            n=now,
        )
        run(
            "INSERT INTO speaker (name, name_key, kind, created_at, updated_at, curated) "
            "VALUES ('Ana Lima', 'ana lima', 'person', :n, :n, '{}')",
            n=now,
        )
        for position, (text, start) in enumerate(
            [("Nobody asked the fishermen", 0), ("what they wanted", 27), ("the harbour", 5)]
        ):
            run(
                'INSERT INTO quote (article_id, speaker_id, position, text, kind, start, "end", '
                "confidence, sort_date) VALUES (1, 1, :p, :t, 'direct', :s, :e, 0.9, :n)",
                p=position, t=text, s=start, e=start + len(text), n=now,
            )  # fmt: skip
        # The newest quote hidden ("not a quote"): out of the table, kept under its id.
        run(
            "INSERT INTO hidden_quote (id, article_id, speaker_id, record, claim_ids, hidden_at) "
            "VALUES (3, 1, 1, '{}', '[]', :n)",
            n=now,
        )
        run("DELETE FROM quote WHERE id = 3")

    def snapshot() -> dict[str, list[tuple[object, ...]]]:
        with engine.connect() as connection:
            return {
                table: [
                    tuple(row)
                    for row in connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))
                ]
                for table in ("article", "speaker", "quote", "hidden_quote", "speech_quote")
            }

    before = snapshot()
    upgrade(url)
    assert snapshot() == before
    with engine.begin() as connection:
        schema = connection.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'quote'")
        ).scalar_one()
        assert "AUTOINCREMENT" in schema
        assert connection.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        assert connection.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"

        # The full-text index still points at the same rows, and its triggers were made again.
        def search(word: str) -> list[int]:
            found = connection.execute(
                sa.text("SELECT rowid FROM quote_fts WHERE quote_fts MATCH :w ORDER BY rowid"),
                {"w": word},
            )
            return [int(i) for i in found.scalars()]

        assert search("fishermen") == [1]
        connection.execute(
            sa.text(
                'INSERT INTO quote (article_id, speaker_id, position, text, kind, start, "end", '
                "confidence, sort_date) VALUES (1, 1, 3, 'the mayor', 'direct', 47, 56, 0.9, "
                "'2024-01-05 10:00:00.000000')"
            )
        )
        new_id = connection.execute(sa.text("SELECT max(id) FROM quote")).scalar_one()
        # Above the hidden quote's id, which SQLite would have handed out again before.
        assert new_id == 4
        assert search("mayor") == [4]
    engine.dispose()
