"""Full-text search over quote and claim text: tsvector + GIN on PostgreSQL, FTS5 on SQLite,
ranked."""

from __future__ import annotations

import math
import re
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from app.db.models import Claim, ClaimReview, Quote, table_of
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
# sooner (common words are everywhere). SQLite's planner cannot make this choice (FTS5 gives
# it no word statistics), and PostgreSQL's, under a LIMIT, may walk the index even for a word
# that occurs nowhere, testing every quote in the table (0.5 s at a million quotes).
FEW_HITS = 2000
# Ranking reads every candidate: all 45,000 quotes holding a common word take 100-200 ms. A
# ranked search therefore ranks the RANK_WINDOW most recently stored matches (all of them when
# fewer match). On PostgreSQL they are found by walking the primary key backwards for at most
# WALK_BUDGET quotes when the words are common, else through the text index; on SQLite the
# FTS5 index lists them newest first by itself.
RANK_WINDOW = 1000
WALK_BUDGET = 30_000


def _probe(session: Session, statement: Any) -> list[int]:
    return list(session.execute(statement).scalars().all())


@dataclass(frozen=True, slots=True)
class _LexemeStats:
    frequencies: dict[str, float]
    rows: int
    read_at: float


_STATS: dict[str, _LexemeStats] = {}
STATS_TTL_S = 300.0
_LEXEME = re.compile(r"(!?)'((?:[^']|'')*)'")


def _lexeme_stats(session: Session) -> _LexemeStats:
    """The share of quotes holding each of the most common lexemes, as PostgreSQL's ANALYZE
    recorded it for the tsvector column (pg_stats.most_common_elems), and the row count;
    read again every few minutes."""
    key = str(session.get_bind().engine.url)
    found = _STATS.get(key)
    if found is not None and time.monotonic() - found.read_at < STATS_TTL_S:
        return found
    elements, frequencies, rows = session.execute(
        sa.text(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
            "AND s.tablename = 'quote' AND s.attname = 'search_vector' "
            "WHERE c.oid = 'quote'::regclass"
        )
    ).one()
    # zip stops at the elements: the three statistics after the frequencies are left out.
    stats = _LexemeStats(
        dict(zip(elements or [], frequencies or [], strict=False)),
        max(int(rows or 0), 0),
        time.monotonic(),
    )
    _STATS[key] = stats
    return stats


def estimated_hits(session: Session, text: str) -> tuple[int, int]:
    """How many quotes match `text`, estimated from the most-common-lexeme statistics
    (PostgreSQL): (likely, at most). Words joined by AND are taken as independent for the
    first; the second is the count of the rarest of them, which words that go together (a
    phrase) can reach. A lexeme outside the statistics counts as rare: that only ever
    chooses the plan that is safe for rare words."""
    stats = _lexeme_stats(session)
    shape = session.execute(sa.select(sa.cast(_pg_query(text), sa.Text))).scalar_one()
    likely = most = 0.0
    for branch in shape.split(" | "):
        shares = [
            stats.frequencies.get(lexeme.replace("''", "'"), 0.0)
            for negated, lexeme in _LEXEME.findall(branch)
            if not negated
        ]
        if shares:
            likely += math.prod(shares)
            most += min(shares)
    return int(min(likely, 1.0) * stats.rows), int(min(most, 1.0) * stats.rows)


def matches(session: Session, text: str) -> sa.ColumnElement[bool]:
    """Condition: the quote's text matches the search words (stemmed, any case or accent)."""
    if _dialect(session) == "postgresql":
        hit_ids: Any = sa.select(table_of(Quote).c.id).where(_pg_match(text))
        walk: sa.ColumnElement[bool] = _pg_match(text)
        if estimated_hits(session, text)[0] > FEW_HITS:
            return walk
    else:
        query = fts5_query(text)
        if query is None:
            return sa.false()
        hit_ids = sa.select(_FTS.c.rowid).where(sa.literal_column("quote_fts").op("MATCH")(query))
        # "+ 0" hides the rowid from SQLite's planner, so it walks the newest-first index and
        # tests membership instead of fetching every hit and sorting them all.
        walk = (table_of(Quote).c.id + 0).in_(hit_ids)
    few = _probe(session, hit_ids.limit(FEW_HITS + 1))
    if len(few) > FEW_HITS:
        return walk
    if not few:
        return sa.false()
    if _dialect(session) == "postgresql":
        return table_of(Quote).c.id == sa.any_(_id_array(few))
    return table_of(Quote).c.id.in_(few)


def every_match(session: Session, text: str) -> sa.ColumnElement[bool]:
    """The same condition as `matches`, for reading every match rather than a page of them (a
    count per bucket): the text index lists the hits and each quote is fetched by its id. The
    walk `matches` chooses for common words pays off only under a LIMIT: counting 45,000 hits
    of a word at 1M quotes, SQLite's walk tests all 900,000 quotes (340 ms; fetching the hits
    by id, 95 ms)."""
    if _dialect(session) == "postgresql":
        return _pg_match(text)
    query = fts5_query(text)
    if query is None:
        return sa.false()
    hit_ids = sa.select(_FTS.c.rowid).where(sa.literal_column("quote_fts").op("MATCH")(query))
    condition: sa.ColumnElement[bool] = table_of(Quote).c.id.in_(hit_ids)
    return condition


# The tokenizer of `quote_fts` (migration 0004): the kept term counts of SQLite must split and
# stem quotes exactly as the search does.
QUOTE_FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
_SINGLE_LEXEME = re.compile(r"'((?:[^'\\]|'')+)'")
_SCRATCH = threading.local()


def _scratch() -> sqlite3.Connection:
    """A private in-memory SQLite database (one per thread) with an FTS5 table tokenizing as
    `quote_fts` does: the same SQLite library as the application's, so the same terms. It
    never touches the application's database, so reading terms is no write there."""
    connection: sqlite3.Connection | None = getattr(_SCRATCH, "connection", None)
    if connection is None:
        connection = sqlite3.connect(":memory:", isolation_level=None)
        connection.execute(
            f"CREATE VIRTUAL TABLE scratch USING fts5(text, tokenize='{QUOTE_FTS_TOKENIZER}')"
        )
        connection.execute("CREATE VIRTUAL TABLE scratch_terms USING fts5vocab(scratch, instance)")
        _SCRATCH.connection = connection
    return connection


def fts5_terms(texts: Sequence[str]) -> list[list[str]]:
    """The FTS5 terms of each text (one entry per occurrence), as `quote_fts` indexes them."""
    connection = _scratch()
    try:
        connection.executemany(
            "INSERT INTO scratch(rowid, text) VALUES (?, ?)", enumerate(texts, start=1)
        )
        found: list[list[str]] = [[] for _ in texts]
        for doc, term in connection.execute("SELECT doc, term FROM scratch_terms"):
            found[int(doc) - 1].append(str(term))
        return found
    finally:
        connection.execute("DELETE FROM scratch")


def single_term(session: Session, text: str) -> str | None:
    """The one term a search for `text` looks for, when it looks for exactly one (a word, not
    several words or a phrase): the lexeme of PostgreSQL's query, or the FTS5 term of
    SQLite's. A quote or claim matches such a search exactly when its indexed terms include
    it, which is what the kept `term_day` counts. None otherwise (also for a query of stop words
    only, which finds nothing)."""
    if _dialect(session) == "postgresql":
        nodes, shape = session.execute(
            sa.select(sa.func.numnode(_pg_query(text)), sa.cast(_pg_query(text), sa.Text))
        ).one()
        found = _SINGLE_LEXEME.fullmatch(str(shape).strip())
        # One node is one operand: a lexeme (websearch_to_tsquery writes no prefix or weight).
        # Lexemes holding a backslash are left to the rows rather than unescaped here.
        return found.group(1).replace("''", "'") if nodes == 1 and found else None
    # fts5_query quotes each word: a word's terms form a phrase, and every word is required.
    # One word of one term: a term search.
    words = _WORD.findall(text)
    if len(words) != 1:
        return None
    terms = fts5_terms(words)[0]
    return terms[0] if len(terms) == 1 else None


def _words_in(session: Session, table: sa.Table, fts: str, text: str) -> sa.ColumnElement[bool]:
    """Condition: the row's indexed text holds the search words, as `matches` finds them in
    quotes. `table` has the same word indexes as quotes (migration 0008: a stored
    `search_vector` on PostgreSQL, the FTS5 table `fts` with the quote search's tokenizer on
    SQLite), so one search finds the same words everywhere."""
    if _dialect(session) == "postgresql":
        vector: Any = sa.literal_column(f"{table.name}.search_vector")
        condition: sa.ColumnElement[bool] = vector.op("@@")(_pg_query(text))
        return condition
    query = fts5_query(text)
    if query is None:
        return sa.false()
    index = sa.table(fts, sa.column("rowid", sa.Integer))
    hit_ids = sa.select(index.c.rowid).where(sa.literal_column(fts).op("MATCH")(query))
    found: sa.ColumnElement[bool] = table.c.id.in_(hit_ids)
    return found


def claim_matches(session: Session, text: str) -> sa.ColumnElement[bool]:
    """Claims holding the search words (stemmed, any case or accent, every word; on
    PostgreSQL `websearch_to_tsquery`'s syntax), as quotes are searched: `claims(search:)`,
    the claims of `timeline(search:)` and of the export."""
    return _words_in(session, table_of(Claim), "claim_fts", text)


def review_matches(session: Session, text: str) -> sa.ColumnElement[bool]:
    """Fact-checks whose claim reviewed holds the search words, as quotes are searched."""
    return _words_in(session, table_of(ClaimReview), "claim_review_fts", text)


def _id_array(ids: list[int]) -> Any:
    # One array parameter, not thousands: the statement stays small and is prepared once.
    return sa.bindparam("hit_ids", ids, type_=postgresql.ARRAY(sa.Integer))


def _newest_hits(
    session: Session,
    text: str,
    conditions: Sequence[sa.ColumnElement[bool]],
    common: Sequence[sa.ColumnElement[bool]] = (),
) -> list[int]:
    """Ids of the RANK_WINDOW most recently stored quotes matching `text`, `conditions` and
    `common` (PostgreSQL)."""
    newest = table_of(Quote).c.id.desc()
    if not conditions and estimated_hits(session, text)[1] * WALK_BUDGET > RANK_WINDOW * max(
        _lexeme_stats(session).rows, 1
    ):
        # Common words: the newest WALK_BUDGET quotes are expected to hold the window's hits;
        # the budget bounds the walk when the estimate was wrong (words common apart but rare
        # together), and the text index answers then.
        recent = (
            sa.select(table_of(Quote).c.id, _pg_vector().label("vector"))
            .where(*common)
            .order_by(newest)
            .limit(WALK_BUDGET)
            .subquery()
        )
        walked = _probe(
            session,
            sa.select(recent.c.id)
            .where(recent.c.vector.op("@@")(_pg_query(text)))
            .limit(RANK_WINDOW),
        )
        if len(walked) == RANK_WINDOW:
            return walked
    # Materialised, so the planner fetches the hits by the best index for all of them rather
    # than walk the primary key under the LIMIT (which reads the whole table for a rare word).
    hits = (
        sa.select(table_of(Quote).c.id.label("id"))
        .where(_pg_match(text), *conditions, *common)
        .cte("hits")
        .prefix_with("MATERIALIZED")
    )
    return _probe(session, sa.select(hits.c.id).order_by(hits.c.id.desc()).limit(RANK_WINDOW))


def ranked(
    session: Session,
    text: str,
    conditions: Sequence[sa.ColumnElement[bool]] = (),
    common: Sequence[sa.ColumnElement[bool]] = (),
) -> tuple[sa.Select[Any], Ordering]:
    """Quote records with their `rank`, matching `text` and `conditions`, best first: the
    statement and its (rank, id) order. The RANK_WINDOW most recently stored matches are
    ranked (all of them when fewer match). `common` are conditions most quotes meet (the
    attribution class speech): unlike `conditions`, they leave a common word's search its
    walk over the newest quotes."""
    rank: Any
    statement: Any
    if _dialect(session) == "postgresql":
        # ts_rank is a real; as double precision it survives the trip through a cursor exactly.
        rank = sa.cast(sa.func.ts_rank(_pg_vector(), _pg_query(text)), postgresql.DOUBLE_PRECISION)
        candidates = _newest_hits(session, text, conditions, common)
        statement = sa.select(table_of(Quote), rank.label("rank")).where(
            table_of(Quote).c.id == sa.any_(_id_array(candidates))
        )
    else:
        query = fts5_query(text)
        # bm25() is lower for better matches; negate it so that higher is better everywhere.
        rank = -sa.func.bm25(sa.literal_column("quote_fts"))
        statement = sa.select(table_of(Quote), rank.label("rank")).join(
            _FTS, _FTS.c.rowid == table_of(Quote).c.id
        )
        if query is None:
            return statement.where(sa.false()), _by_rank(rank)
        statement = statement.where(
            sa.literal_column("quote_fts").op("MATCH")(query), *conditions, *common
        )
        # FTS5 lists a word's quotes by rowid (the quote id), newest first on request: the
        # window's oldest member bounds the rowids to rank.
        oldest = session.execute(
            statement.with_only_columns(_FTS.c.rowid)
            .order_by(_FTS.c.rowid.desc())
            .offset(RANK_WINDOW - 1)
            .limit(1)
        ).scalar()
        if oldest is not None:
            statement = statement.where(_FTS.c.rowid >= oldest)
    return statement, _by_rank(rank)


def _by_rank(rank: Any) -> Ordering:
    """Best first: rank, then id, both descending."""
    return Ordering((sa.type_coerce(rank, sa.Float), table_of(Quote).c.id), descending=True)
