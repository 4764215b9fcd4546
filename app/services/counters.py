"""Counts kept on every write: quotes per speaker, articles per pair of speakers, and daily
totals per speaker and per outlet.

`speaker_quote_count`, `speaker_co_quote`, `speaker_day`, `source_day`,
`speaker_source_day` (a speaker's quotes and claims per outlet and day) and
`speaker_source_count` (a speaker's quotes per outlet, all time) answer
`Speaker.quoteCount`, `Speaker.coQuoted`, timelines and rankings (of one outlet too)
without counting a speaker's whole history (or a year of quotes) on each request;
`term_day` (speech quotes and claims per search term and day) answers the timeline of a
one-word search without fetching the date of each of the tens of thousands of quotes and claims
holding the word. Like the
API's default, they count speech (the view `speech_quote`: quotes whose attribution class is
speech), not beliefs or evidence. They are derived data, so every service
that adds, removes or moves quotes keeps them right in its own transaction:

* a new article adds its contribution (`add_article`) once its quotes and claims are stored:
  ingest, bulk ingest and the queue workers (all through `ingest.store_article`), archive
  import;
* a deleted article takes its contribution away (`remove_article`) before its rows go;
* a change that moves quotes or claims between speakers (merge, split, reattribution), or
  adds, removes or re-spans some of an article's quotes, recounts what it touched
  (`refresh_speaker_counts`; the term counts of the articles' days).

The terms of a quote or claim are those the search indexes: the lexemes of its
`search_vector` on PostgreSQL (in SQL, `unnest`), the terms of SQLite's FTS5 `quote_fts` and
`claim_fts`, which tokenize alike (the tokenizer is not callable per row from SQL: the texts go
through an FTS5 table with the same tokenizer in a private in-memory database,
`search.fts5_terms`). On
PostgreSQL every writer of a day's term rows holds a shared advisory lock on the day, and a
recount of the day an exclusive one: articles of one day are written side by side, and a
recount waits for those in flight, while those that come after it wait and then add on top.
(A lock on rows would not do: a writer may insert a term the recount is about to insert.)

Days are UTC dates of the article's `sort_date`; outlets are keyed by `lower(source)` as the
database computes it ("" for none).

Concurrent writers on PostgreSQL: contributions are added, never overwritten, as upserts in
key order (no deadlock between two ingests). A recount first locks the rows it will overwrite
(creating them if need be), then counts in a fresh statement: a writer that touched them
before has committed and is counted; one that comes after waits, and adds its own contribution
on top. Every writer takes a speaker's `speaker_quote_count` row before its other rows, so the
recount of a speaker is serialised with every write that concerns it.
`tests/services/test_counters.py` compares every table with a count from scratch after each
step of random sequences of writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import Article, Claim, Quote, as_utc, table_of
from app.services.search import fts5_terms

_DAY = sa.bindparam("day", type_=sa.Date)
_IDS: sa.BindParameter[Any] = sa.bindparam("ids", expanding=True)

# What one article's speakers said: a row per speech quote and per claim (the daily totals).
_SAID = """
            SELECT speaker_id, 1 AS quotes, 0 AS claims FROM speech_quote quote
            WHERE article_id = :article_id AND speaker_id IS NOT NULL
            UNION ALL
            SELECT claimant_id, 0, 1 FROM claim
            WHERE article_id = :article_id AND claimant_id IS NOT NULL
        """

# One article's contribution, times :sign (1 when it arrives, -1 when it goes). In key order,
# so that concurrent writers lock rows in the same order. (WHERE is required by SQLite's parser
# between a SELECT and ON CONFLICT.)
_ADD = (
    sa.text(
        """
        INSERT INTO speaker_quote_count (speaker_id, quotes)
        SELECT speaker_id, :sign * count(*) FROM speech_quote quote
        WHERE article_id = :article_id AND speaker_id IS NOT NULL
        GROUP BY speaker_id ORDER BY speaker_id
        ON CONFLICT (speaker_id)
        DO UPDATE SET quotes = speaker_quote_count.quotes + excluded.quotes
        """
    ),
    sa.text(
        f"""
        INSERT INTO speaker_day (speaker_id, day, quotes, claims)
        SELECT speaker_id, :day, :sign * sum(quotes), :sign * sum(claims) FROM ({_SAID}) said
        WHERE true
        GROUP BY speaker_id ORDER BY speaker_id
        ON CONFLICT (speaker_id, day) DO UPDATE SET
            quotes = speaker_day.quotes + excluded.quotes,
            claims = speaker_day.claims + excluded.claims
        """
    ).bindparams(_DAY),
    sa.text(
        f"""
        INSERT INTO speaker_source_day (speaker_id, source_key, day, quotes, claims)
        SELECT speaker_id, :source_key, :day, :sign * sum(quotes), :sign * sum(claims)
        FROM ({_SAID}) said
        WHERE true
        GROUP BY speaker_id ORDER BY speaker_id
        ON CONFLICT (speaker_id, source_key, day) DO UPDATE SET
            quotes = speaker_source_day.quotes + excluded.quotes,
            claims = speaker_source_day.claims + excluded.claims
        """
    ).bindparams(_DAY),
    sa.text(
        """
        INSERT INTO speaker_source_count (speaker_id, source_key, quotes)
        SELECT speaker_id, :source_key, :sign * count(*) FROM speech_quote quote
        WHERE article_id = :article_id AND speaker_id IS NOT NULL
        GROUP BY speaker_id ORDER BY speaker_id
        ON CONFLICT (speaker_id, source_key)
        DO UPDATE SET quotes = speaker_source_count.quotes + excluded.quotes
        """
    ),
    sa.text(
        """
        INSERT INTO speaker_co_quote (speaker_id, other_id, articles)
        SELECT a.speaker_id, b.speaker_id, :sign
        FROM (SELECT DISTINCT speaker_id FROM speech_quote quote
              WHERE article_id = :article_id AND speaker_id IS NOT NULL) a
        JOIN (SELECT DISTINCT speaker_id FROM speech_quote quote
              WHERE article_id = :article_id AND speaker_id IS NOT NULL) b
          ON a.speaker_id <> b.speaker_id
        WHERE true
        ORDER BY a.speaker_id, b.speaker_id
        ON CONFLICT (speaker_id, other_id)
        DO UPDATE SET articles = speaker_co_quote.articles + excluded.articles
        """
    ),
    sa.text(
        """
        INSERT INTO source_day (source_key, day, source, articles, quotes, claims)
        VALUES (:source_key, :day, :source, :sign,
                :sign * (SELECT count(*) FROM speech_quote quote WHERE article_id = :article_id),
                :sign * (SELECT count(*) FROM claim WHERE article_id = :article_id))
        ON CONFLICT (source_key, day) DO UPDATE SET
            articles = source_day.articles + excluded.articles,
            quotes = source_day.quotes + excluded.quotes,
            claims = source_day.claims + excluded.claims
        """
    ).bindparams(_DAY),
)
_DROP_EMPTY = (
    sa.text("DELETE FROM speaker_day WHERE day = :day AND quotes <= 0 AND claims <= 0").bindparams(
        _DAY
    ),
    sa.text(
        "DELETE FROM speaker_source_day WHERE source_key = :source_key AND day = :day "
        "AND quotes <= 0 AND claims <= 0"
    ).bindparams(_DAY),
    sa.text(
        "DELETE FROM speaker_source_count WHERE source_key = :source_key AND quotes <= 0 "
        "AND speaker_id IN (SELECT speaker_id FROM speech_quote quote "
        "WHERE article_id = :article_id AND speaker_id IS NOT NULL)"
    ),
    sa.text(
        "DELETE FROM speaker_co_quote WHERE articles <= 0 AND speaker_id IN "
        "(SELECT speaker_id FROM speech_quote quote "
        "WHERE article_id = :article_id AND speaker_id IS NOT NULL)"
    ),
    sa.text(
        "DELETE FROM source_day WHERE source_key = :source_key AND day = :day AND articles <= 0"
    ).bindparams(_DAY),
)


def day_sql(dialect: str, column: str = "sort_date") -> str:
    """SQL for the UTC date of a stored instant."""
    if dialect == "postgresql":
        return f"CAST(timezone('UTC', {column}) AS date)"
    return f"date({column})"


def _rebuild(dialect: str) -> tuple[str, ...]:
    day = day_sql(dialect)
    return (
        "DELETE FROM speaker_co_quote",
        "DELETE FROM speaker_quote_count",
        "DELETE FROM speaker_day",
        "DELETE FROM source_day",
        "DELETE FROM speaker_source_day",
        "DELETE FROM speaker_source_count",
        "DELETE FROM term_day",
        *_term_days_rebuild(dialect),
        """
        INSERT INTO speaker_quote_count (speaker_id, quotes)
        SELECT speaker_id, count(*)
            FROM speech_quote quote WHERE speaker_id IS NOT NULL GROUP BY speaker_id
        """,
        f"""
        INSERT INTO speaker_day (speaker_id, day, quotes, claims)
        SELECT speaker_id, day, sum(quotes), sum(claims) FROM (
            SELECT speaker_id, {day} AS day, 1 AS quotes, 0 AS claims
            FROM speech_quote quote WHERE speaker_id IS NOT NULL
            UNION ALL
            SELECT claimant_id, {day}, 0, 1 FROM claim WHERE claimant_id IS NOT NULL
        ) said GROUP BY speaker_id, day
        """,
        _speaker_source_days(dialect, "IS NOT NULL"),
        _speaker_source_counts("IS NOT NULL"),
        _co_quotes(dialect, "speaker_id IS NOT NULL", ""),
        f"""
        INSERT INTO source_day (source_key, day, source, articles, quotes, claims)
        SELECT coalesce(lower(a.source), ''), {day_sql(dialect, "a.sort_date")},
               min(a.source), count(*), sum(coalesce(q.n, 0)), sum(coalesce(c.n, 0))
        FROM article a
        LEFT JOIN (SELECT article_id, count(*) AS n FROM speech_quote quote GROUP BY article_id) q
          ON q.article_id = a.id
        LEFT JOIN (SELECT article_id, count(*) AS n FROM claim GROUP BY article_id) c
          ON c.article_id = a.id
        GROUP BY 1, 2
        """,
    )


def _pg_terms(where: str) -> str:
    """(term, day, 1, 0) for each term of each speech quote and (term, day, 0, 1) for each
    term of each claim `where` selects, the quote or claim named `r` (PostgreSQL: the lexemes
    of the stored `search_vector`, each once a row)."""
    day = day_sql("postgresql", "r.sort_date")
    return f"""
        SELECT t.lexeme AS term, {day} AS day, 1 AS quotes, 0 AS claims
        FROM quote r CROSS JOIN LATERAL unnest(r.search_vector) t
        WHERE r.attribution_class = 'speech' AND {where}
        UNION ALL
        SELECT t.lexeme, {day}, 0, 1
        FROM claim r CROSS JOIN LATERAL unnest(r.search_vector) t
        WHERE {where}
        """


def _pg_add_terms(where: str, sign: str = "1") -> str:
    """Add `sign` times the term counts of the speech quotes and claims `where` selects
    (PostgreSQL), in key order."""
    return f"""
        INSERT INTO term_day (term, day, quotes, claims)
        SELECT term, day, {sign} * sum(quotes), {sign} * sum(claims) FROM ({_pg_terms(where)}) held
        WHERE true
        GROUP BY term, day ORDER BY term, day
        ON CONFLICT (term, day) DO UPDATE SET
            quotes = term_day.quotes + excluded.quotes,
            claims = term_day.claims + excluded.claims
        """


def _term_days_rebuild(dialect: str) -> tuple[str, ...]:
    """Count `term_day` from the rows. SQLite reads every quote's and claim's terms from the
    FTS5 indexes themselves (their `instance` vocabulary: term, row id, position), the same
    terms a search matches."""
    if dialect == "postgresql":
        return (_pg_add_terms("true"),)
    return (
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.quote_fts_instance "
        "USING fts5vocab(main, quote_fts, instance)",
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.claim_fts_instance "
        "USING fts5vocab(main, claim_fts, instance)",
        """
        INSERT INTO term_day (term, day, quotes, claims)
        SELECT term, day, sum(quotes), sum(claims) FROM (
            SELECT held.term AS term, date(r.sort_date) AS day, 1 AS quotes, 0 AS claims
            FROM (SELECT DISTINCT term, doc FROM temp.quote_fts_instance) held
            JOIN quote r ON r.id = held.doc
            WHERE r.attribution_class = 'speech'
            UNION ALL
            SELECT held.term, date(r.sort_date), 0, 1
            FROM (SELECT DISTINCT term, doc FROM temp.claim_fts_instance) held
            JOIN claim r ON r.id = held.doc
        ) counted
        GROUP BY term, day
        """,
    )


def _speaker_source_days(dialect: str, speakers: str) -> str:
    """Count `speaker_source_day` from the rows, for the speakers `speaker_id {speakers}`."""
    day = day_sql(dialect, "said.sort_date")
    return f"""
        INSERT INTO speaker_source_day (speaker_id, source_key, day, quotes, claims)
        SELECT said.speaker_id, coalesce(lower(a.source), ''), {day},
               sum(said.quotes), sum(said.claims)
        FROM (
            SELECT speaker_id, article_id, sort_date, 1 AS quotes, 0 AS claims
            FROM speech_quote quote WHERE speaker_id {speakers}
            UNION ALL
            SELECT claimant_id, article_id, sort_date, 0, 1 FROM claim
            WHERE claimant_id {speakers}
        ) said JOIN article a ON a.id = said.article_id
        GROUP BY said.speaker_id, coalesce(lower(a.source), ''), {day}
        ORDER BY said.speaker_id, coalesce(lower(a.source), ''), {day}
        """


def _speaker_source_counts(speakers: str) -> str:
    """Count `speaker_source_count` from the rows, for the speakers `speaker_id {speakers}`."""
    return f"""
        INSERT INTO speaker_source_count (speaker_id, source_key, quotes)
        SELECT quote.speaker_id, coalesce(lower(a.source), ''), count(*)
        FROM speech_quote quote JOIN article a ON a.id = quote.article_id
        WHERE quote.speaker_id {speakers}
        GROUP BY quote.speaker_id, coalesce(lower(a.source), '')
        ORDER BY quote.speaker_id, coalesce(lower(a.source), '')
        """


def _co_quotes(dialect: str, which: str, pairs: str) -> str:
    """Count `speaker_co_quote` from the rows: pairs of speakers quoted in the same articles,
    over the (article, speaker) pairs `which` selects, the pairs `pairs` keeps.

    SQLite joins two DISTINCT subqueries by scanning one for every row of the other (no index
    on a subquery): at 100,000 quotes that took 128 s, and hours at a million. There the
    second side is the quote table itself, found through its article index, and each
    article counted once per pair (0.5 s at 100,000 quotes, the same rows)."""
    said = f"SELECT DISTINCT article_id, speaker_id FROM speech_quote quote WHERE {which}"
    if dialect == "postgresql":
        return f"""
        INSERT INTO speaker_co_quote (speaker_id, other_id, articles)
        SELECT a.speaker_id, b.speaker_id, count(*)
        FROM ({said}) a JOIN ({said}) b
          ON a.article_id = b.article_id AND a.speaker_id <> b.speaker_id
        WHERE true {pairs}
        GROUP BY a.speaker_id, b.speaker_id
        ORDER BY a.speaker_id, b.speaker_id
        """
    return f"""
        INSERT INTO speaker_co_quote (speaker_id, other_id, articles)
        SELECT a.speaker_id, b.speaker_id, count(DISTINCT a.article_id)
        FROM ({said}) a JOIN quote b ON b.article_id = a.article_id
        WHERE b.attribution_class = 'speech' AND b.speaker_id IS NOT NULL
          AND b.speaker_id <> a.speaker_id {pairs}
        GROUP BY a.speaker_id, b.speaker_id
        ORDER BY a.speaker_id, b.speaker_id
        """


def add_article(session: Session, article_id: int) -> None:
    """Count a newly stored article (call once its quotes and claims are inserted, in the same
    transaction)."""
    _apply(session, article_id, 1)


def remove_article(session: Session, article_id: int) -> None:
    """Uncount an article (call before deleting it, in the same transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        # A concurrent change to these quotes (a reattribution) commits first and is seen.
        session.execute(
            sa.text("SELECT id FROM quote WHERE article_id = :article_id ORDER BY id FOR UPDATE"),
            {"article_id": article_id},
        )
    parameters = _apply(session, article_id, -1)
    for statement in _DROP_EMPTY:
        session.execute(statement, parameters)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_PG_DROP_EMPTY_TERMS, parameters)
    elif parameters["terms"]:
        session.execute(
            _DROP_EMPTY_TERM,
            [{"term": term, "day": day} for term, day in sorted(parameters["terms"])],
        )


def _apply(session: Session, article_id: int, sign: int) -> dict[str, Any]:
    article = table_of(Article)
    sort_date, source_key, source = session.execute(
        sa.select(
            article.c.sort_date,
            sa.func.coalesce(sa.func.lower(article.c.source), ""),
            article.c.source,
        ).where(article.c.id == article_id)
    ).one()
    parameters = {
        "article_id": article_id,
        "sign": sign,
        "day": as_utc(sort_date).date(),
        "source_key": source_key,
        "source": source,
    }
    for statement in _ADD:
        session.execute(statement, parameters)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_SHARE_TERM_DAY, {"day_key": _day_key(parameters["day"])})
        session.execute(_PG_ADD_ARTICLE_TERMS, parameters)
    else:
        terms = _sqlite_terms(session, lambda table: [table.c.article_id == article_id])
        _add_terms(session, terms, sign)
        parameters["terms"] = set(terms)
    return parameters


# The advisory lock of a day's term rows: this class number and the day's ordinal.
_TERM_DAY_LOCK = 0x51_7E_4D
_SHARE_TERM_DAY = sa.text(f"SELECT pg_advisory_xact_lock_shared({_TERM_DAY_LOCK}, :day_key)")
_OWN_TERM_DAY = sa.text(f"SELECT pg_advisory_xact_lock({_TERM_DAY_LOCK}, :day_key)")


def _day_key(day: date) -> int:
    return day.toordinal()


_ARTICLE_ROWS = "r.article_id = :article_id"
_PG_ADD_ARTICLE_TERMS = sa.text(_pg_add_terms(_ARTICLE_ROWS, ":sign"))
_PG_DROP_EMPTY_TERMS = sa.text(
    "DELETE FROM term_day WHERE quotes <= 0 AND claims <= 0 AND (term, day) IN "
    f"(SELECT term, day FROM ({_pg_terms(_ARTICLE_ROWS)}) held)"
)
_DROP_EMPTY_TERM = sa.text(
    "DELETE FROM term_day WHERE term = :term AND day = :day AND quotes <= 0 AND claims <= 0"
).bindparams(_DAY)
_ADD_TERM = sa.text(
    "INSERT INTO term_day (term, day, quotes, claims) VALUES (:term, :day, :quotes, :claims) "
    "ON CONFLICT (term, day) DO UPDATE SET quotes = term_day.quotes + excluded.quotes, "
    "claims = term_day.claims + excluded.claims"
).bindparams(_DAY)


def _sqlite_terms(
    session: Session, which: Callable[[sa.Table], list[sa.ColumnElement[bool]]]
) -> dict[tuple[str, Any], list[int]]:
    """How many of the speech quotes and of the claims `which` selects (given either table)
    hold each (term, day): [quotes, claims] (SQLite: their texts through FTS5's tokenizer,
    `search.fts5_terms`)."""
    quote, claim = table_of(Quote), table_of(Claim)
    counts: dict[tuple[str, Any], list[int]] = {}
    for kind, table, only in (
        (0, quote, [quote.c.attribution_class == "speech"]),
        (1, claim, []),
    ):
        rows = session.execute(
            sa.select(table.c.text, table.c.sort_date).where(*only, *which(table))
        ).all()
        for (_, sort_date), terms in zip(rows, fts5_terms([r.text for r in rows]), strict=True):
            day = as_utc(sort_date).date()
            for term in set(terms):
                counts.setdefault((term, day), [0, 0])[kind] += 1
    return counts


def _add_terms(session: Session, counts: dict[tuple[str, Any], list[int]], sign: int) -> None:
    """Add `sign` times `counts` to the kept rows, in key order."""
    if counts:
        session.execute(
            _ADD_TERM,
            [
                {"term": term, "day": day, "quotes": sign * quotes, "claims": sign * claims}
                for (term, day), (quotes, claims) in sorted(counts.items())
            ],
        )


def refresh_speaker_counts(
    session: Session, speaker_ids: Iterable[int], article_ids: Iterable[int] = ()
) -> None:
    """Recount from the rows as they stand in this transaction, for any change that moves
    quotes or claims between speakers (merge, split, reattribute) or removes some from an
    article: call it after the change, before the commit, with every speaker that lost or
    gained quotes or claims and, when quotes or claims were added to or removed from articles
    (not just moved between speakers), those articles. Ids of speakers or articles that no
    longer exist are ignored (their rows went with them; a deleted article goes through
    `remove_article` instead)."""
    ids = sorted(set(speaker_ids))
    if ids:
        _refresh_speakers(session, ids)
    articles = sorted(set(article_ids))
    if articles:
        _refresh_sources(session, articles)
        _refresh_term_days(session, articles)


def _refresh_speakers(session: Session, ids: list[int]) -> None:
    postgres = session.get_bind().dialect.name == "postgresql"
    day = day_sql(session.get_bind().dialect.name)

    def run(text: str) -> None:
        session.execute(sa.text(text).bindparams(_IDS), {"ids": ids})

    run(
        "INSERT INTO speaker_quote_count (speaker_id, quotes) "
        "SELECT id, 0 FROM speaker WHERE id IN :ids ORDER BY id "
        "ON CONFLICT (speaker_id) DO NOTHING"
    )
    if postgres:
        run(
            "SELECT speaker_id FROM speaker_quote_count WHERE speaker_id IN :ids "
            "ORDER BY speaker_id FOR UPDATE"
        )
    run(
        "UPDATE speaker_quote_count SET quotes = (SELECT count(*) FROM speech_quote quote "
        "WHERE quote.speaker_id = speaker_quote_count.speaker_id) WHERE speaker_id IN :ids"
    )
    run("DELETE FROM speaker_day WHERE speaker_id IN :ids")
    run(
        f"""
        INSERT INTO speaker_day (speaker_id, day, quotes, claims)
        SELECT speaker_id, day, sum(quotes), sum(claims) FROM (
            SELECT speaker_id, {day} AS day, 1 AS quotes, 0 AS claims
            FROM speech_quote quote WHERE speaker_id IN :ids
            UNION ALL
            SELECT claimant_id, {day}, 0, 1 FROM claim WHERE claimant_id IN :ids
        ) said GROUP BY speaker_id, day ORDER BY speaker_id, day
        """
    )
    run("DELETE FROM speaker_source_day WHERE speaker_id IN :ids")
    run(_speaker_source_days(session.get_bind().dialect.name, "IN :ids"))
    run("DELETE FROM speaker_source_count WHERE speaker_id IN :ids")
    run(_speaker_source_counts("IN :ids"))
    run("DELETE FROM speaker_co_quote WHERE speaker_id IN :ids OR other_id IN :ids")
    run(
        _co_quotes(
            session.get_bind().dialect.name,
            "speaker_id IS NOT NULL AND article_id IN "
            "(SELECT article_id FROM speech_quote quote WHERE speaker_id IN :ids)",
            "AND (a.speaker_id IN :ids OR b.speaker_id IN :ids)",
        )
    )


def _refresh_sources(session: Session, article_ids: list[int]) -> None:
    """Recount the outlet-days of these articles from every article of those outlet-days."""
    postgres = session.get_bind().dialect.name == "postgresql"
    article, quote, claim = table_of(Article), table_of(Quote), table_of(Claim)
    key = sa.func.coalesce(sa.func.lower(article.c.source), "")
    found = session.execute(
        sa.select(key, article.c.sort_date).where(article.c.id.in_(article_ids))
    ).all()
    for source_key, on_day in sorted({(str(k), as_utc(d).date()) for k, d in found}):
        values = {"source_key": source_key, "day": on_day}
        session.execute(_ENSURE_SOURCE_DAY, values)
        if postgres:
            session.execute(_LOCK_SOURCE_DAY, values)
        start = datetime.combine(on_day, time(), UTC)
        same_day = sa.select(article.c.id).where(
            article.c.sort_date >= start,
            article.c.sort_date < start + timedelta(days=1),
            key == source_key,
        )
        articles, source = session.execute(
            sa.select(sa.func.count(), sa.func.min(article.c.source)).where(
                article.c.id.in_(same_day)
            )
        ).one()
        quotes, claims = (
            session.execute(
                sa.select(sa.func.count()).where(table.c.article_id.in_(same_day), *only)
            ).scalar_one()
            for table, only in ((quote, [quote.c.attribution_class == "speech"]), (claim, []))
        )
        session.execute(
            _SET_SOURCE_DAY,
            {**values, "source": source, "articles": articles, "quotes": quotes, "claims": claims},
        )


def _refresh_term_days(session: Session, article_ids: list[int]) -> None:
    """Recount the term counts of these articles' days from every speech quote and claim of
    those days (an editor's change to a quote's span or class, a hidden or restored quote, a
    re-extraction: the words before the change are gone, so the day is counted again)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    article = table_of(Article)
    found = session.execute(sa.select(article.c.sort_date).where(article.c.id.in_(article_ids)))
    for on_day in sorted({as_utc(d).date() for d in found.scalars()}):
        if postgres:
            session.execute(_OWN_TERM_DAY, {"day_key": _day_key(on_day)})
        session.execute(_CLEAR_TERM_DAY, {"day": on_day})
        start = datetime.combine(on_day, time(), UTC)
        end = start + timedelta(days=1)
        if postgres:
            session.execute(_PG_ADD_DAY_TERMS, {"start": start, "end": end})
        else:
            _add_terms(session, _sqlite_terms(session, _between(start, end)), 1)


def _between(start: datetime, end: datetime) -> Callable[[sa.Table], list[sa.ColumnElement[bool]]]:
    return lambda table: [table.c.sort_date >= start, table.c.sort_date < end]


_CLEAR_TERM_DAY = sa.text("DELETE FROM term_day WHERE day = :day").bindparams(_DAY)
_DAY_ROWS = "r.sort_date >= :start AND r.sort_date < :end"
_PG_ADD_DAY_TERMS = sa.text(_pg_add_terms(_DAY_ROWS)).bindparams(
    sa.bindparam("start", type_=sa.DateTime(timezone=True)),
    sa.bindparam("end", type_=sa.DateTime(timezone=True)),
)


_ENSURE_SOURCE_DAY = sa.text(
    "INSERT INTO source_day (source_key, day, source, articles, quotes, claims) "
    "VALUES (:source_key, :day, NULL, 0, 0, 0) ON CONFLICT (source_key, day) DO NOTHING"
).bindparams(_DAY)
_LOCK_SOURCE_DAY = sa.text(
    "SELECT 1 FROM source_day WHERE source_key = :source_key AND day = :day FOR UPDATE"
).bindparams(_DAY)
_SET_SOURCE_DAY = sa.text(
    "UPDATE source_day SET source = :source, articles = :articles, quotes = :quotes, "
    "claims = :claims WHERE source_key = :source_key AND day = :day"
).bindparams(_DAY)


def rebuild_all(connection: sa.Connection) -> None:
    """Recount everything from the stored rows (databases loaded around the services)."""
    for text in _rebuild(connection.dialect.name):
        connection.execute(sa.text(text))


def rebuild_statements(dialect: str) -> tuple[str, ...]:
    """The SQL of `rebuild_all`, for loaders that hold a driver connection."""
    return _rebuild(dialect)
