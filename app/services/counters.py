"""Counters kept on every write: quotes per speaker, and articles per pair of speakers.

`speaker_quote_count` and `speaker_co_quote` answer `Speaker.quoteCount`, rankings and
`Speaker.coQuoted` without counting a speaker's whole history on each request. They are
derived data, so every service that adds, removes or moves quotes keeps them right in its own
transaction:

* a new article adds its contribution (`add_article`) after its quotes are stored: ingest,
  bulk ingest and the queue workers (all through `ingest.store_article`), archive import;
* a deleted article takes its contribution away (`remove_article`) before its quotes go;
* a change that moves quotes between speakers (merge, split, reattribution, a quote marked as
  not one) recounts the speakers concerned (`refresh_speaker_counts`).

Concurrent writers on PostgreSQL: contributions are added, never overwritten, as upserts in
speaker order (no deadlock between two ingests). A recount first locks the counter rows it
will overwrite, then counts in a fresh statement: a writer that touched them before has
committed and is counted; one that comes after waits, and adds its own contribution on top.
Every writer takes the counter rows before the pair rows, so pairs are serialised the same way.
`tests/services/test_counters.py` compares both tables with a count from scratch after every
step of random sequences of writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

# One article's contribution, times :sign (1 when it arrives, -1 when it goes). In speaker
# order, so concurrent writers lock counter rows in the same order. (WHERE is required by
# SQLite's parser between a SELECT and ON CONFLICT.)
_ADD_QUOTES = sa.text(
    """
    INSERT INTO speaker_quote_count (speaker_id, quotes)
    SELECT speaker_id, :sign * count(*) FROM quote
    WHERE article_id = :article_id AND speaker_id IS NOT NULL
    GROUP BY speaker_id ORDER BY speaker_id
    ON CONFLICT (speaker_id)
    DO UPDATE SET quotes = speaker_quote_count.quotes + excluded.quotes
    """
)
_ADD_PAIRS = sa.text(
    """
    INSERT INTO speaker_co_quote (speaker_id, other_id, articles)
    SELECT a.speaker_id, b.speaker_id, :sign
    FROM (SELECT DISTINCT speaker_id FROM quote
          WHERE article_id = :article_id AND speaker_id IS NOT NULL) a
    JOIN (SELECT DISTINCT speaker_id FROM quote
          WHERE article_id = :article_id AND speaker_id IS NOT NULL) b
      ON a.speaker_id <> b.speaker_id
    WHERE true
    ORDER BY a.speaker_id, b.speaker_id
    ON CONFLICT (speaker_id, other_id)
    DO UPDATE SET articles = speaker_co_quote.articles + excluded.articles
    """
)
_DROP_EMPTY_PAIRS = sa.text(
    """
    DELETE FROM speaker_co_quote WHERE articles <= 0 AND speaker_id IN
      (SELECT speaker_id FROM quote WHERE article_id = :article_id AND speaker_id IS NOT NULL)
    """
)

# Everything from scratch: the migration's backfill and databases loaded in bulk.
REBUILD = (
    "DELETE FROM speaker_co_quote",
    "DELETE FROM speaker_quote_count",
    """
    INSERT INTO speaker_quote_count (speaker_id, quotes)
    SELECT speaker_id, count(*) FROM quote WHERE speaker_id IS NOT NULL GROUP BY speaker_id
    """,
    """
    INSERT INTO speaker_co_quote (speaker_id, other_id, articles)
    SELECT a.speaker_id, b.speaker_id, count(*)
    FROM (SELECT DISTINCT article_id, speaker_id FROM quote WHERE speaker_id IS NOT NULL) a
    JOIN (SELECT DISTINCT article_id, speaker_id FROM quote WHERE speaker_id IS NOT NULL) b
      ON a.article_id = b.article_id AND a.speaker_id <> b.speaker_id
    GROUP BY a.speaker_id, b.speaker_id
    """,
)


def add_article(session: Session, article_id: int) -> None:
    """Count a newly stored article's quotes (call after they are inserted, same transaction)."""
    _apply(session, article_id, 1)


def remove_article(session: Session, article_id: int) -> None:
    """Uncount an article's quotes (call before deleting them, same transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        # A concurrent change to these quotes (a reattribution) commits first and is seen.
        session.execute(
            sa.text("SELECT id FROM quote WHERE article_id = :article_id ORDER BY id FOR UPDATE"),
            {"article_id": article_id},
        )
    _apply(session, article_id, -1)
    session.execute(_DROP_EMPTY_PAIRS, {"article_id": article_id})


def _apply(session: Session, article_id: int, sign: int) -> None:
    parameters = {"article_id": article_id, "sign": sign}
    session.execute(_ADD_QUOTES, parameters)
    session.execute(_ADD_PAIRS, parameters)


def refresh_speaker_counts(session: Session, speaker_ids: Iterable[int]) -> None:
    """Recount the quotes and co-quoted pairs of these speakers from the quotes as they stand
    in this transaction. For any change that moves quotes between speakers (merge, split,
    reattribute, delete one quote): call it with every speaker that lost or gained quotes,
    after the change and before the commit. Ids of speakers that no longer exist are ignored
    (their rows went with them)."""
    ids = sorted(set(speaker_ids))
    if not ids:
        return
    values = {"ids": ids}
    expanding: sa.BindParameter[Any] = sa.bindparam("ids", expanding=True)

    def statement(text: str) -> sa.TextClause:
        return sa.text(text).bindparams(expanding)

    session.execute(
        statement(
            "INSERT INTO speaker_quote_count (speaker_id, quotes) "
            "SELECT id, 0 FROM speaker WHERE id IN :ids ORDER BY id "
            "ON CONFLICT (speaker_id) DO NOTHING"
        ),
        values,
    )
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            statement(
                "SELECT speaker_id FROM speaker_quote_count WHERE speaker_id IN :ids "
                "ORDER BY speaker_id FOR UPDATE"
            ),
            values,
        )
    session.execute(
        statement(
            "UPDATE speaker_quote_count SET quotes = (SELECT count(*) FROM quote "
            "WHERE quote.speaker_id = speaker_quote_count.speaker_id) WHERE speaker_id IN :ids"
        ),
        values,
    )
    session.execute(
        statement("DELETE FROM speaker_co_quote WHERE speaker_id IN :ids OR other_id IN :ids"),
        values,
    )
    session.execute(
        statement(
            """
            INSERT INTO speaker_co_quote (speaker_id, other_id, articles)
            SELECT a.speaker_id, b.speaker_id, count(*)
            FROM (SELECT DISTINCT article_id, speaker_id FROM quote
                  WHERE speaker_id IS NOT NULL AND article_id IN
                    (SELECT article_id FROM quote WHERE speaker_id IN :ids)) a
            JOIN (SELECT DISTINCT article_id, speaker_id FROM quote
                  WHERE speaker_id IS NOT NULL AND article_id IN
                    (SELECT article_id FROM quote WHERE speaker_id IN :ids)) b
              ON a.article_id = b.article_id AND a.speaker_id <> b.speaker_id
            WHERE a.speaker_id IN :ids OR b.speaker_id IN :ids
            GROUP BY a.speaker_id, b.speaker_id
            ORDER BY a.speaker_id, b.speaker_id
            """
        ),
        values,
    )


def rebuild_all(connection: sa.Connection) -> None:
    """Recount everything from the quotes (for databases loaded around the services)."""
    for text in REBUILD:
        connection.execute(sa.text(text))
