"""Full-text search over quote text: tsvector + GIN on PostgreSQL, FTS5 on SQLite, ranked."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, col

from app.db.models import Quote, table_of
from app.services.pagination import Ordering

_WORD = re.compile(r"\w+", re.UNICODE)
_ENGLISH: Any = sa.literal_column("'english'::regconfig")
_FTS = sa.table("quote_fts", sa.column("rowid", sa.Integer))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def fts5_query(text: str) -> str | None:
    """User text as an FTS5 query of quoted words (all must occur), or None if it has none.
    Quoting every word makes FTS5 syntax (NEAR, *, column filters) plain data."""
    words = _WORD.findall(text)
    return " ".join(f'"{word}"' for word in words) if words else None


def _pg_vector() -> Any:
    # The stored, GIN-indexed column of migration 0006 (PostgreSQL only, so not in the model).
    return sa.literal_column("quote.search_vector")


def _pg_query(text: str) -> Any:
    # websearch_to_tsquery accepts any input ("quotes", OR, -not) without syntax errors.
    return sa.func.websearch_to_tsquery(_ENGLISH, text)


def _pg_match(text: str) -> sa.ColumnElement[bool]:
    condition: sa.ColumnElement[bool] = _pg_vector().op("@@")(_pg_query(text))
    return condition


# Up to this many hits, a search collects the matching ids through the text index and sorts
# them by date; beyond it, walking the newest-first index and testing each quote finds a page
# sooner (common words are everywhere). The planners cannot make this choice: FTS5 gives
# SQLite no word statistics, and PostgreSQL, under a LIMIT, walks the index even for a word
# that occurs nowhere, testing every quote in the table (0.5 s at a million quotes).
FEW_HITS = 2000


def _probe(session: Session, statement: Any) -> list[int]:
    if _dialect(session) != "postgresql":
        return list(session.execute(statement).scalars().all())
    # Under a LIMIT the planner prefers a sequential scan that stops at the 2,001st hit; for a
    # common word that reads tens of thousands of rows. The GIN index answers it steadily.
    session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    try:
        return list(session.execute(statement).scalars().all())
    finally:
        session.execute(sa.text("SET LOCAL enable_seqscan = on"))


def matches(session: Session, text: str) -> sa.ColumnElement[bool]:
    """Condition: the quote's text matches the search words (stemmed, any case or accent)."""
    if _dialect(session) == "postgresql":
        hit_ids: Any = sa.select(col(Quote.id)).where(_pg_match(text))
        walk: sa.ColumnElement[bool] = _pg_match(text)
    else:
        query = fts5_query(text)
        if query is None:
            return sa.false()
        hit_ids = sa.select(_FTS.c.rowid).where(sa.literal_column("quote_fts").op("MATCH")(query))
        # "+ 0" hides the rowid from SQLite's planner, so it walks the newest-first index and
        # tests membership instead of fetching every hit and sorting them all.
        walk = (col(Quote.id) + 0).in_(hit_ids)
    few = _probe(session, hit_ids.limit(FEW_HITS + 1))
    if len(few) <= FEW_HITS:
        return col(Quote.id).in_(few) if few else sa.false()
    return walk


def ranked(session: Session, text: str) -> tuple[sa.Select[Any], Ordering]:
    """Quote records with their `rank`, matching `text`, best first: the statement and its
    (rank, id) order."""
    rank: Any
    statement: Any
    if _dialect(session) == "postgresql":
        # ts_rank is a real; as double precision it survives the trip through a cursor exactly.
        rank = sa.cast(sa.func.ts_rank(_pg_vector(), _pg_query(text)), postgresql.DOUBLE_PRECISION)
        statement = sa.select(table_of(Quote), rank.label("rank")).where(_pg_match(text))
    else:
        query = fts5_query(text)
        # bm25() is lower for better matches; negate it so that higher is better everywhere.
        rank = -sa.func.bm25(sa.literal_column("quote_fts"))
        statement = sa.select(table_of(Quote), rank.label("rank")).join(
            _FTS, _FTS.c.rowid == col(Quote.id)
        )
        if query is None:
            statement = statement.where(sa.false())
        else:
            statement = statement.where(sa.literal_column("quote_fts").op("MATCH")(query))
    return statement, Ordering((sa.type_coerce(rank, sa.Float), col(Quote.id)), descending=True)
