"""Counts over time, speakers, outlets and kinds, computed by the database (GROUP BY), never
by reading rows into Python.

Time buckets are UTC. A bucket is named by its first instant: the day at 00:00, the week's
Monday (ISO weeks), the month's 1st, the year's 1 January. PostgreSQL truncates with
`date_trunc` on the UTC time and fills the empty buckets from `generate_series`; SQLite
truncates with `date()` modifiers and fills from a recursive CTE. The first and last buckets
hold only what lies inside [since, until) when those cut through them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import (
    Article,
    Claim,
    Quote,
    Speaker,
    SpeakerCoQuote,
    SpeakerQuoteCount,
    as_utc,
    table_of,
)
from app.services import queries, search
from app.services.errors import InvalidInput, ServiceError
from app.services.names import like_escape

INTERVALS = ("day", "week", "month", "year")
# Enough for three years of days, twenty of weeks; a longer series is asked for in parts.
MAX_BUCKETS = 1000
MAX_RANKED = 100

_QUOTE = table_of(Quote)
_CLAIM = table_of(Claim)
_ARTICLE = table_of(Article)
_SPEAKER = table_of(Speaker)
_COUNT = table_of(SpeakerQuoteCount)
_PAIR = table_of(SpeakerCoQuote)


class BucketLimitExceeded(ServiceError):
    """A timeline would have more buckets than a response may carry."""

    code = "BUCKET_LIMIT_EXCEEDED"


@dataclass(frozen=True, slots=True)
class Bucket:
    start: datetime
    quotes: int
    claims: int


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    """Which quotes (and claims) a timeline counts; all given conditions apply together."""

    speaker: str | None = None
    speaker_id: int | None = None
    search: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Ranked:
    """A speaker row with its count, and the count's share of the total it was ranked in."""

    speaker: Any
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class Paired:
    """A speaker row and the number of articles it shares with another speaker."""

    speaker: Any
    articles: int


@dataclass(frozen=True, slots=True)
class SourceCounts:
    source: str | None
    articles: int
    quotes: int
    claims: int


@dataclass(frozen=True, slots=True)
class KindShare:
    kind: str
    quotes: int
    share: float


def check_range(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and as_utc(since) >= as_utc(until):
        raise InvalidInput("`since` must be earlier than `until`.", field="since")


def check_first(first: int, field: str = "first") -> None:
    if not 1 <= first <= MAX_RANKED:
        raise InvalidInput(
            f"`{field}` must be between 1 and {MAX_RANKED}; it was {first}.", field=field
        )


# --- time buckets ------------------------------------------------------------------------------


def truncate(value: datetime, interval: str) -> datetime:
    """The start of the bucket `value` falls in (UTC): what the SQL bucket expressions give."""
    day = as_utc(value).replace(hour=0, minute=0, second=0, microsecond=0)
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def bucket_count(first: datetime, last: datetime, interval: str) -> int:
    """Buckets from the one starting at `first` to the one starting at `last`, both included."""
    if interval == "day":
        return (last - first).days + 1
    if interval == "week":
        return (last - first).days // 7 + 1
    if interval == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return last.year - first.year + 1


def _next(start: datetime, interval: str) -> datetime:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        year, month = divmod(start.year * 12 + start.month, 12)  # month is 0-based here
        return start.replace(year=year, month=month + 1)
    return start.replace(year=start.year + 1)


def bucket_end(start: datetime, interval: str) -> datetime:
    """Where the bucket starting at `start` ends (the next one's start)."""
    return _next(start, interval)


_SQLITE_MODIFIERS = {
    "day": (),
    "week": ("weekday 0", "-6 days"),  # to the week's Sunday (or stay), back to its Monday
    "month": ("start of month",),
    "year": ("start of year",),
}
_SQLITE_STEPS = {"day": "+1 day", "week": "+7 days", "month": "+1 month", "year": "+1 year"}


def _bucket(postgres: bool, column: Any, interval: str) -> Any:
    if postgres:
        return sa.func.date_trunc(interval, sa.func.timezone("UTC", column))
    return sa.func.date(column, *_SQLITE_MODIFIERS[interval])


def _series(postgres: bool, first: datetime, last: datetime, interval: str) -> Any:
    """Every bucket start from `first` to `last`, as the bucket expression writes them."""
    if postgres:
        naive = sa.DateTime(timezone=False)
        return (
            sa.select(
                sa.func.generate_series(
                    sa.cast(sa.literal(first.replace(tzinfo=None), naive), naive),
                    sa.cast(sa.literal(last.replace(tzinfo=None), naive), naive),
                    sa.cast(sa.literal(f"1 {interval}"), sa.Interval),
                ).label("bucket")
            )
        ).cte("series")
    start, stop = first.date().isoformat(), last.date().isoformat()
    series = sa.select(sa.literal(start, sa.String).label("bucket")).cte("series", recursive=True)
    return series.union_all(
        sa.select(sa.func.date(series.c.bucket, _SQLITE_STEPS[interval])).where(
            series.c.bucket < stop
        )
    )


def _bucket_start(value: Any) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _source_articles(source: str) -> Any:
    return sa.select(_ARTICLE.c.id).where(sa.func.lower(_ARTICLE.c.source) == source.lower())


def _timeline_conditions(
    session: Session, where: TimelineFilter
) -> tuple[list[sa.ColumnElement[bool]], list[sa.ColumnElement[bool]]]:
    """Conditions on quotes and on claims: those `quotes(...)` and `claims(...)` apply to the
    same arguments (a speaker is the claimant of a claim; `search` finds words in quotes, as
    `quotes(search:)` does, and text in claims, as `claims(search:)` does)."""
    quote: list[sa.ColumnElement[bool]] = []
    claim: list[sa.ColumnElement[bool]] = []
    if where.speaker is not None:
        ids = queries.speaker_ids_for_name(session, where.speaker)
        quote.append(_QUOTE.c.speaker_id.in_(ids))
        claim.append(_CLAIM.c.claimant_id.in_(ids))
    if where.speaker_id is not None:
        quote.append(_QUOTE.c.speaker_id == where.speaker_id)
        claim.append(_CLAIM.c.claimant_id == where.speaker_id)
    if where.search:
        quote.append(search.matches(session, where.search))
        claim.append(_CLAIM.c.text.ilike(f"%{like_escape(where.search)}%", escape="\\"))
    if where.source is not None:
        quote.append(_QUOTE.c.article_id.in_(_source_articles(where.source)))
        claim.append(_CLAIM.c.article_id.in_(_source_articles(where.source)))
    if where.since is not None:
        quote.append(_QUOTE.c.sort_date >= as_utc(where.since))
        claim.append(_CLAIM.c.sort_date >= as_utc(where.since))
    if where.until is not None:
        quote.append(_QUOTE.c.sort_date < as_utc(where.until))
        claim.append(_CLAIM.c.sort_date < as_utc(where.until))
    return quote, claim


def timeline(session: Session, where: TimelineFilter, interval: str) -> list[Bucket]:
    """Quotes and claims per bucket from the bucket of `since` (else of the earliest match) to
    that of `until` (else of the latest match), empty buckets included."""
    if interval not in INTERVALS:
        raise InvalidInput(f"Unknown interval {interval!r}.", field="interval")
    check_range(where.since, where.until)
    quote_conditions, claim_conditions = _timeline_conditions(session, where)
    first, last = where.since, where.until
    if last is not None:
        last = as_utc(last) - timedelta(microseconds=1)  # `until` itself is not included
    if first is None or last is None:
        earliest, latest = _extent(session, quote_conditions, claim_conditions)
        if earliest is None or latest is None:
            return []
        first = earliest if first is None else first
        last = latest if last is None else last
    first, last = truncate(first, interval), truncate(last, interval)
    if last < first:
        return []
    count = bucket_count(first, last, interval)
    if count > MAX_BUCKETS:
        raise BucketLimitExceeded(
            f"This timeline would have {count:,} {interval} buckets; the limit is "
            f"{MAX_BUCKETS:,}. Give a later `since`, an earlier `until` or a longer interval.",
            field="interval",
        )
    postgres = _postgres(session)
    series = _series(postgres, first, last, interval)
    quotes = _per_bucket(_QUOTE, postgres, interval, quote_conditions, "quotes")
    claims = _per_bucket(_CLAIM, postgres, interval, claim_conditions, "claims")
    statement = (
        sa.select(
            series.c.bucket,
            sa.func.coalesce(quotes.c.quotes, 0),
            sa.func.coalesce(claims.c.claims, 0),
        )
        .select_from(series)
        .outerjoin(quotes, quotes.c.bucket == series.c.bucket)
        .outerjoin(claims, claims.c.bucket == series.c.bucket)
        .order_by(series.c.bucket)
    )
    return [
        Bucket(_bucket_start(start), int(n_quotes), int(n_claims))
        for start, n_quotes, n_claims in session.execute(statement)
    ]


def _per_bucket(
    table: sa.Table,
    postgres: bool,
    interval: str,
    conditions: Sequence[sa.ColumnElement[bool]],
    name: str,
) -> Any:
    bucket = _bucket(postgres, table.c.sort_date, interval).label("bucket")
    return (
        sa.select(bucket, sa.func.count().label(name))
        .where(*conditions)
        .group_by(bucket)
        .subquery(name)
    )


def _extent(
    session: Session,
    quote_conditions: Sequence[sa.ColumnElement[bool]],
    claim_conditions: Sequence[sa.ColumnElement[bool]],
) -> tuple[datetime | None, datetime | None]:
    """The earliest and latest date among the matching quotes and claims."""
    found: list[datetime] = []
    for table, conditions in ((_QUOTE, quote_conditions), (_CLAIM, claim_conditions)):
        # Two ordered LIMIT 1 reads rather than min/max: both databases answer them from the
        # date index of the filter's column even when the filter is a join.
        for order in (table.c.sort_date.asc(), table.c.sort_date.desc()):
            value = session.execute(
                sa.select(table.c.sort_date).where(*conditions).order_by(order).limit(1)
            ).scalar()
            if value is not None:
                found.append(as_utc(value))
    return (min(found), max(found)) if found else (None, None)


# --- speakers ranked ---------------------------------------------------------------------------


def top_speakers(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    kind: str | None = None,
    first: int = 10,
) -> list[Ranked]:
    """Speakers by their number of quotes in the period (and outlet), most first; ties: the
    higher id (the newer speaker) first. Each share is of the quotes counted for all the
    speakers that qualify (attributed quotes matching every argument)."""
    check_range(since, until)
    check_first(first)
    if since is None and until is None and source is None:
        # All time: the maintained counters, ranked by their index.
        count: Any = _COUNT.c.quotes
        speaker_id: Any = _COUNT.c.speaker_id
        statement = sa.select(speaker_id, count, sa.func.sum(count).over()).where(count > 0)
        if kind is not None:
            statement = statement.join(_SPEAKER, _SPEAKER.c.id == speaker_id).where(
                _SPEAKER.c.kind == kind
            )
    else:
        count = sa.func.count()
        speaker_id = _QUOTE.c.speaker_id
        statement = (
            sa.select(speaker_id, count, sa.func.sum(count).over())
            .where(speaker_id.is_not(None))
            .group_by(speaker_id)
        )
        if since is not None:
            statement = statement.where(_QUOTE.c.sort_date >= as_utc(since))
        if until is not None:
            statement = statement.where(_QUOTE.c.sort_date < as_utc(until))
        if source is not None:
            statement = statement.where(_QUOTE.c.article_id.in_(_source_articles(source)))
        if kind is not None:
            statement = statement.where(
                speaker_id.in_(sa.select(_SPEAKER.c.id).where(_SPEAKER.c.kind == kind))
            )
    rows = session.execute(statement.order_by(count.desc(), speaker_id.desc()).limit(first)).all()
    return _ranked(session, [(int(i), int(n), int(total)) for i, n, total in rows])


def _ranked(session: Session, rows: Sequence[tuple[int, int, int]]) -> list[Ranked]:
    speakers = queries.by_ids(session, Speaker, [i for i, _, _ in rows])
    return [
        Ranked(speaker, n, n / total if total else 0.0)
        for speaker, (_, n, total) in zip(speakers, rows, strict=True)
        if speaker is not None
    ]


def co_quoted(session: Session, speaker_id: int, first: int = 10) -> list[Paired]:
    """The speakers quoted in the most articles where `speaker_id` is quoted too, with that
    number of articles (from the maintained pair counts); ties: the higher id first."""
    check_first(first)
    rows = session.execute(
        sa.select(_PAIR.c.other_id, _PAIR.c.articles)
        .where(_PAIR.c.speaker_id == speaker_id, _PAIR.c.articles > 0)
        .order_by(_PAIR.c.articles.desc(), _PAIR.c.other_id.desc())
        .limit(first)
    ).all()
    speakers = queries.by_ids(session, Speaker, [int(i) for i, _ in rows])
    return [
        Paired(speaker, int(n))
        for speaker, (_, n) in zip(speakers, rows, strict=True)
        if speaker is not None
    ]


# --- outlets and kinds ---------------------------------------------------------------------------


def sources(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    first: int = 20,
) -> list[SourceCounts]:
    """Articles, quotes and claims per outlet (names compared ignoring case, as the `source`
    filters do), most articles first; articles without an outlet form one group (None)."""
    check_range(since, until)
    check_first(first)
    key = sa.func.lower(_ARTICLE.c.source)

    def per_source(table: sa.Table | None, name: str) -> Any:
        period_of = _ARTICLE if table is None else table
        statement = sa.select(key.label("key"), sa.func.count().label(name))
        if table is not None:
            statement = statement.select_from(table).join(
                _ARTICLE, _ARTICLE.c.id == table.c.article_id
            )
        else:
            statement = statement.add_columns(sa.func.min(_ARTICLE.c.source).label("name"))
        if since is not None:
            statement = statement.where(period_of.c.sort_date >= as_utc(since))
        if until is not None:
            statement = statement.where(period_of.c.sort_date < as_utc(until))
        return statement.group_by(key).subquery(name)

    articles = per_source(None, "articles")
    quotes = per_source(_QUOTE, "quotes")
    claims = per_source(_CLAIM, "claims")

    def same(other: Any) -> Any:
        # NULL keys (no outlet) are one group too: IS NOT DISTINCT FROM on both databases.
        return articles.c.key.is_not_distinct_from(other.c.key)

    statement = (
        sa.select(
            articles.c.name,
            articles.c.articles,
            sa.func.coalesce(quotes.c.quotes, 0),
            sa.func.coalesce(claims.c.claims, 0),
        )
        .select_from(articles)
        .outerjoin(quotes, same(quotes))
        .outerjoin(claims, same(claims))
        .order_by(articles.c.articles.desc(), articles.c.key)
        .limit(first)
    )
    return [
        SourceCounts(name, int(n_articles), int(n_quotes), int(n_claims))
        for name, n_articles, n_quotes, n_claims in session.execute(statement)
    ]


SPEAKER_KINDS = ("person", "organisation", "unknown")


def quote_share_by_kind(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
) -> list[KindShare]:
    """Attributed quotes per kind of speaker (person, organisation, unknown), each with its
    share of them all; unattributed quotes are not counted."""
    check_range(since, until)
    if since is None and until is None and source is None:
        statement = (
            sa.select(_SPEAKER.c.kind, sa.func.sum(_COUNT.c.quotes))
            .join(_SPEAKER, _SPEAKER.c.id == _COUNT.c.speaker_id)
            .group_by(_SPEAKER.c.kind)
        )
    else:
        statement = (
            sa.select(_SPEAKER.c.kind, sa.func.count())
            .select_from(_QUOTE)
            .join(_SPEAKER, _SPEAKER.c.id == _QUOTE.c.speaker_id)
            .group_by(_SPEAKER.c.kind)
        )
        if since is not None:
            statement = statement.where(_QUOTE.c.sort_date >= as_utc(since))
        if until is not None:
            statement = statement.where(_QUOTE.c.sort_date < as_utc(until))
        if source is not None:
            statement = statement.where(_QUOTE.c.article_id.in_(_source_articles(source)))
    counts = {str(kind): int(n or 0) for kind, n in session.execute(statement)}
    total = sum(counts.values())
    return [
        KindShare(kind, counts.get(kind, 0), counts.get(kind, 0) / total if total else 0.0)
        for kind in SPEAKER_KINDS
    ]
