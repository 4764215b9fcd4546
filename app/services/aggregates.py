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
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import (
    Article,
    Claim,
    Quote,
    SourceDay,
    Speaker,
    SpeakerCoQuote,
    SpeakerDay,
    SpeakerQuoteCount,
    SpeakerSourceCount,
    SpeakerSourceDay,
    TermDay,
    as_utc,
    table_of,
)
from app.services import queries, search
from app.services.errors import InvalidInput, ServiceError

INTERVALS = ("day", "week", "month", "year")
# Enough for three years of days, twenty of weeks; a longer series is asked for in parts.
MAX_BUCKETS = 1000
MAX_RANKED = 100

_QUOTE = table_of(Quote)
# Like the API's default and the kept counts: quotes are speech (not beliefs or evidence).
_SPEECH = _QUOTE.c.attribution_class == "speech"
_CLAIM = table_of(Claim)
_ARTICLE = table_of(Article)
_SPEAKER = table_of(Speaker)
_COUNT = table_of(SpeakerQuoteCount)
_PAIR = table_of(SpeakerCoQuote)
_SPEAKER_DAY = table_of(SpeakerDay)
_SOURCE_DAY = table_of(SourceDay)
_SPEAKER_SOURCE_DAY = table_of(SpeakerSourceDay)
_SPEAKER_SOURCE_COUNT = table_of(SpeakerSourceCount)
_TERM_DAY = table_of(TermDay)


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


def _bucket(postgres: bool, column: Any, interval: str, *, daily: bool) -> Any:
    """The bucket of an instant (or, `daily`, of a UTC date) as SQL."""
    if postgres:
        naive = sa.cast(column, sa.DateTime()) if daily else sa.func.timezone("UTC", column)
        return sa.func.date_trunc(interval, naive)
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


def _outlet(source: str) -> Any:
    """The key of an outlet's name, as the counters store it."""
    return sa.func.lower(sa.literal(source, sa.Text))


def _source_articles(source: str) -> Any:
    return sa.select(_ARTICLE.c.id).where(sa.func.lower(_ARTICLE.c.source) == _outlet(source))


def on_whole_days(*bounds: datetime | None) -> bool:
    """Whether every bound given falls at 00:00 UTC: then the daily totals answer exactly."""
    return all(
        b is None or as_utc(b) == as_utc(b).replace(hour=0, minute=0, second=0, microsecond=0)
        for b in bounds
    )


def _day(value: datetime) -> date:
    return as_utc(value).date()


@dataclass(frozen=True, slots=True)
class _Split:
    """A period cut at midnights: the whole days [first_day, end_day) the daily totals
    answer (None: no such days; either end None: open), and the instants [start, end) at
    its edges, counted from the rows (at most a day on each side, read by `sort_date`)."""

    days: tuple[date | None, date | None] | None
    edges: tuple[tuple[datetime | None, datetime | None], ...]


def _split(since: datetime | None, until: datetime | None) -> _Split:
    start = None if since is None else as_utc(since)
    end = None if until is None else as_utc(until)
    first_day = None if start is None else _day(start)
    if start is not None and not on_whole_days(start):
        first_day = _day(start) + timedelta(days=1)
    end_day = None if end is None else _day(end)
    if (
        first_day is not None
        and end_day is not None
        and first_day >= end_day
        and not on_whole_days(since, until)
    ):  # inside one day, or across one midnight: the rows alone
        return _Split(None, ((start, end),))
    edges: list[tuple[datetime | None, datetime | None]] = []
    if start is not None and first_day is not None and not on_whole_days(start):
        edges.append((start, _midnight(first_day)))
    if end is not None and end_day is not None and not on_whole_days(end):
        edges.append((_midnight(end_day), end))
    return _Split((first_day, end_day), tuple(edges))


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _days(table: sa.Table, days: tuple[date | None, date | None]) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if days[0] is not None:
        conditions.append(table.c.day >= days[0])
    if days[1] is not None:
        conditions.append(table.c.day < days[1])
    return conditions


@dataclass(frozen=True, slots=True)
class _Counted:
    """Rows a timeline counts: a table, the column that dates each row (an instant, or a day
    for the daily totals), the conditions, and what a group of rows adds up to."""

    table: sa.Table
    when: Any
    conditions: list[sa.ColumnElement[bool]]
    quotes: Any
    claims: Any
    daily: bool = False


def _timeline_sources(session: Session, where: TimelineFilter) -> list[_Counted]:
    """What to count: the daily totals (per speaker, outlet, or speaker and outlet) for the
    whole days of the period, and the quotes and claims themselves for the part of a day at
    either end of it; the rows alone when there are words to find. Rows are filtered as
    `quotes(...)` and `claims(...)` filter them (a speaker is the claimant of a claim;
    `search` finds words in quotes and claims, as `quotes(search:)` and `claims(search:)`
    do)."""
    by_speaker = where.speaker is not None or where.speaker_id is not None
    ids = None if where.speaker is None else queries.speaker_ids_for_name(session, where.speaker)
    if where.search:
        term = None
        if not by_speaker and where.source is None:
            term = search.single_term(session, where.search)
        if term is None:  # several words, a phrase, or other filters: the rows
            return _rows_counted(session, where, ids, where.since, where.until)
        return _term_counted(session, where, term)
    split = _split(where.since, where.until)
    counted: list[_Counted] = []
    if split.days is not None:
        if by_speaker:
            table = _SPEAKER_DAY if where.source is None else _SPEAKER_SOURCE_DAY
            conditions = _days(table, split.days)
            if ids is not None:
                conditions.append(table.c.speaker_id.in_(ids))
            if where.speaker_id is not None:
                conditions.append(table.c.speaker_id == where.speaker_id)
        else:
            table = _SOURCE_DAY
            conditions = _days(table, split.days)
        if where.source is not None:
            conditions.append(table.c.source_key == _outlet(where.source))
        counted.append(_daily(table, conditions))
    for start, end in split.edges:
        counted.extend(_rows_counted(session, where, ids, start, end))
    return counted


def _term_counted(session: Session, where: TimelineFilter, term: str) -> list[_Counted]:
    """A one-word search: its quotes and claims from the kept per-term daily counts for the
    whole days of the period, and from the rows for the part of a day at either end."""
    split = _split(where.since, where.until)
    counted: list[_Counted] = []
    if split.days is not None:
        days = [_TERM_DAY.c.term == term, *_days(_TERM_DAY, split.days)]
        counted.append(_daily(_TERM_DAY, days))
    for start, end in split.edges:
        counted.extend(_rows_counted(session, where, None, start, end))
    return counted


def _rows_counted(
    session: Session,
    where: TimelineFilter,
    ids: list[int] | None,
    since: datetime | None,
    until: datetime | None,
) -> list[_Counted]:
    """The quotes and claims in [since, until) that `where` selects, counted from the rows."""
    quote: list[sa.ColumnElement[bool]] = [_SPEECH]
    claim: list[sa.ColumnElement[bool]] = []
    if ids is not None:
        quote.append(_QUOTE.c.speaker_id.in_(ids))
        claim.append(_CLAIM.c.claimant_id.in_(ids))
    if where.speaker_id is not None:
        quote.append(_QUOTE.c.speaker_id == where.speaker_id)
        claim.append(_CLAIM.c.claimant_id == where.speaker_id)
    if where.search:
        quote.append(search.every_match(session, where.search))
        claim.append(search.claim_matches(session, where.search))
    if where.source is not None:
        quote.append(_QUOTE.c.article_id.in_(_source_articles(where.source)))
        claim.append(_CLAIM.c.article_id.in_(_source_articles(where.source)))
    quote.extend(_instant_range(_QUOTE, since, until))
    claim.extend(_instant_range(_CLAIM, since, until))
    zero = sa.literal(0)
    return [
        _Counted(_QUOTE, _QUOTE.c.sort_date, quote, sa.func.count(), zero),
        _Counted(_CLAIM, _CLAIM.c.sort_date, claim, zero, sa.func.count()),
    ]


def _daily(table: sa.Table, conditions: list[sa.ColumnElement[bool]]) -> _Counted:
    claims = sa.func.sum(table.c.claims) if "claims" in table.c else sa.literal(0)
    return _Counted(table, table.c.day, conditions, sa.func.sum(table.c.quotes), claims, daily=True)


def _day_range(
    table: sa.Table, since: datetime | None, until: datetime | None
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if since is not None:
        conditions.append(table.c.day >= _day(since))
    if until is not None:
        conditions.append(table.c.day < _day(until))
    return conditions


def timeline(session: Session, where: TimelineFilter, interval: str) -> list[Bucket]:
    """Quotes and claims per bucket from the bucket of `since` (else of the earliest match) to
    that of `until` (else of the latest match), empty buckets included."""
    if interval not in INTERVALS:
        raise InvalidInput(f"Unknown interval {interval!r}.", field="interval")
    check_range(where.since, where.until)
    counted = _timeline_sources(session, where)
    if where.search:
        return _timeline_in_one_pass(session, where, counted, interval)
    first, last = where.since, where.until
    if last is not None:
        last = as_utc(last) - timedelta(microseconds=1)  # `until` itself is not included
    if first is None or last is None:
        earliest, latest = _extent(session, counted)
        if earliest is None or latest is None:
            return []
        first = earliest if first is None else first
        last = latest if last is None else last
    first, last = truncate(first, interval), truncate(last, interval)
    if last < first:
        return []
    _check_buckets(first, last, interval)
    postgres = _postgres(session)
    series = _series(postgres, first, last, interval)
    parts = [_per_bucket(c, postgres, interval, f"counted{i}") for i, c in enumerate(counted)]
    quotes: Any = sa.literal(0)
    claims: Any = sa.literal(0)
    statement = sa.select(series.c.bucket).select_from(series)
    for part in parts:
        statement = statement.outerjoin(part, part.c.bucket == series.c.bucket)
        quotes = quotes + sa.func.coalesce(part.c.quotes, 0)
        claims = claims + sa.func.coalesce(part.c.claims, 0)
    statement = statement.add_columns(quotes, claims).order_by(series.c.bucket)
    return [
        Bucket(_bucket_start(start), int(n_quotes), int(n_claims))
        for start, n_quotes, n_claims in session.execute(statement)
    ]


def _check_buckets(first: datetime, last: datetime, interval: str) -> None:
    count = bucket_count(first, last, interval)
    if count > MAX_BUCKETS:
        raise BucketLimitExceeded(
            f"This timeline would have {count:,} {interval} buckets; the limit is "
            f"{MAX_BUCKETS:,}. Give a later `since`, an earlier `until` or a longer interval.",
            field="interval",
        )


def _timeline_in_one_pass(
    session: Session, where: TimelineFilter, counted: Sequence[_Counted], interval: str
) -> list[Bucket]:
    """A timeline counted from the rows over the whole period (words to find): each kind of
    row grouped by bucket in one statement, the extent taken from the buckets found, and the
    empty buckets between filled in here. Finding the extent first (as `timeline` does for
    the kept tables) would find every matching row three times over."""
    postgres = _postgres(session)
    found: dict[datetime, tuple[int, int]] = {}
    for part in counted:
        statement = _per_bucket(part, postgres, interval, "counted")
        for start, n_quotes, n_claims in session.execute(sa.select(statement)):
            bucket = _bucket_start(start)
            quotes, claims = found.get(bucket, (0, 0))
            found[bucket] = (quotes + int(n_quotes), claims + int(n_claims))
    if (where.since is None or where.until is None) and not found:
        return []
    first = min(found) if where.since is None else truncate(where.since, interval)
    last = (
        max(found)
        if where.until is None
        else truncate(as_utc(where.until) - timedelta(microseconds=1), interval)
    )
    if last < first:
        return []
    _check_buckets(first, last, interval)
    buckets: list[Bucket] = []
    start = first
    while start <= last:
        quotes, claims = found.get(start, (0, 0))
        buckets.append(Bucket(start, quotes, claims))
        start = _next(start, interval)
    return buckets


def _per_bucket(counted: _Counted, postgres: bool, interval: str, name: str) -> Any:
    bucket = _bucket(postgres, counted.when, interval, daily=counted.daily).label("bucket")
    return (
        sa.select(bucket, counted.quotes.label("quotes"), counted.claims.label("claims"))
        .select_from(counted.table)
        .where(*counted.conditions)
        .group_by(bucket)
        .subquery(name)
    )


def _extent(
    session: Session, counted: Sequence[_Counted]
) -> tuple[datetime | None, datetime | None]:
    """The earliest and latest date among the rows counted."""
    found: list[datetime] = []
    for part in counted:
        if part.daily:  # a few thousand days at most: one read
            bounds = session.execute(
                sa.select(sa.func.min(part.when), sa.func.max(part.when)).where(*part.conditions)
            ).one()
            found.extend(_instant(value) for value in bounds if value is not None)
            continue
        # Two ordered LIMIT 1 reads rather than min/max: both databases answer them from the
        # date index of the filter's column even when the filter is a join.
        for order in (part.when.asc(), part.when.desc()):
            value = session.execute(
                sa.select(part.when).where(*part.conditions).order_by(order).limit(1)
            ).scalar()
            if value is not None:
                found.append(_instant(value))
    return (min(found), max(found)) if found else (None, None)


def _instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return as_utc(datetime.fromisoformat(str(value)))


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
    speakers that qualify (attributed quotes matching every argument). All time: the
    maintained counts (per speaker, or per speaker and outlet); else the daily totals (per
    speaker, or per speaker and outlet) for the whole days and the quotes themselves for the
    part of a day at either end."""
    check_range(since, until)
    check_first(first)
    statement: Any
    if since is None and until is None:
        # The first rows of the counters' index (of one outlet's, with `source`), and their
        # total apart: a window total would read and sort every counter.
        kept = _COUNT if source is None else _SPEAKER_SOURCE_COUNT
        count: Any = kept.c.quotes
        speaker_id: Any = kept.c.speaker_id
        conditions: list[sa.ColumnElement[bool]] = [count > 0]
        if source is not None:
            conditions.append(kept.c.source_key == _outlet(source))
        if kind is not None:
            conditions.append(_of_kind(speaker_id, kind))
        total: Any = sa.select(sa.func.coalesce(sa.func.sum(count), 0)).where(*conditions)
        statement = sa.select(speaker_id, count, total.scalar_subquery()).where(*conditions)
    else:
        counted = _quotes_per_speaker(since, until, source)
        count = sa.func.sum(counted.c.quotes)
        speaker_id = counted.c.speaker_id
        statement = (
            sa.select(speaker_id, count, sa.func.sum(count).over())
            .group_by(speaker_id)
            .having(count > 0)
        )
        if kind is not None:
            statement = statement.where(_of_kind(speaker_id, kind))
    rows = session.execute(statement.order_by(count.desc(), speaker_id.desc()).limit(first)).all()
    return _ranked(session, [(int(i), int(n), int(total)) for i, n, total in rows])


def _quotes_per_speaker(since: datetime | None, until: datetime | None, source: str | None) -> Any:
    """(speaker_id, quotes) rows whose sum per speaker is the speaker's number of quotes in
    the period (and outlet): daily totals for the whole days, the quotes themselves for the
    part of a day at either end."""
    split = _split(since, until)
    parts: list[Any] = []
    if split.days is not None:
        table = _SPEAKER_DAY if source is None else _SPEAKER_SOURCE_DAY
        conditions = _days(table, split.days)
        if source is not None:
            conditions.append(table.c.source_key == _outlet(source))
        parts.append(
            sa.select(table.c.speaker_id.label("speaker_id"), table.c.quotes.label("quotes")).where(
                *conditions
            )
        )
    # "+ 0" on the speaker: SQLite would otherwise walk the speaker index (a skip-scan over
    # every speaker, 170 ms at 1M quotes, to group without sorting) instead of reading the part
    # day from the date index.
    who = _QUOTE.c.speaker_id + 0
    for start, end in split.edges:
        edge = (
            sa.select(who.label("speaker_id"), sa.func.count().label("quotes"))
            .where(who.is_not(None), _SPEECH, *_instant_range(_QUOTE, start, end))
            .group_by(who)
        )
        if source is not None:
            edge = edge.where(_QUOTE.c.article_id.in_(_source_articles(source)))
        parts.append(edge)
    if len(parts) == 1:
        return parts[0].subquery("counted")
    return sa.union_all(*parts).subquery("counted")


def _of_kind(speaker_id: Any, kind: str) -> sa.ColumnElement[bool]:
    condition: sa.ColumnElement[bool] = speaker_id.in_(
        sa.select(_SPEAKER.c.id).where(_SPEAKER.c.kind == kind)
    )
    return condition


def _instant_range(
    table: sa.Table, since: datetime | None, until: datetime | None
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if since is not None:
        conditions.append(table.c.sort_date >= as_utc(since))
    if until is not None:
        conditions.append(table.c.sort_date < as_utc(until))
    return conditions


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
    filters do), most articles first (ties: by name); articles without an outlet form one
    group (None). Whole days: the daily totals; else the rows themselves."""
    check_range(since, until)
    check_first(first)
    if on_whole_days(since, until):
        day = _SOURCE_DAY
        articles = sa.func.sum(day.c.articles)
        statement = (
            sa.select(
                sa.func.min(day.c.source),
                articles,
                sa.func.sum(day.c.quotes),
                sa.func.sum(day.c.claims),
            )
            .where(*_day_range(day, since, until))
            .group_by(day.c.source_key)
            .having(articles > 0)
            .order_by(articles.desc(), day.c.source_key)
        )
    else:
        statement = _sources_counted(since, until)
    return [
        SourceCounts(name, int(n_articles), int(n_quotes or 0), int(n_claims or 0))
        for name, n_articles, n_quotes, n_claims in session.execute(statement.limit(first))
    ]


def _sources_counted(since: datetime | None, until: datetime | None) -> Any:
    key = sa.func.coalesce(sa.func.lower(_ARTICLE.c.source), "")

    def per_source(table: sa.Table | None, name: str) -> Any:
        dated = _ARTICLE if table is None else table
        statement = sa.select(key.label("key"), sa.func.count().label(name))
        if table is None:
            statement = statement.add_columns(sa.func.min(_ARTICLE.c.source).label("name"))
        else:
            statement = statement.select_from(table).join(
                _ARTICLE, _ARTICLE.c.id == table.c.article_id
            )
            if table is _QUOTE:
                statement = statement.where(_SPEECH)
        return statement.where(*_instant_range(dated, since, until)).group_by(key).subquery(name)

    articles = per_source(None, "articles")
    quotes = per_source(_QUOTE, "quotes")
    claims = per_source(_CLAIM, "claims")
    return (
        sa.select(
            articles.c.name,
            articles.c.articles,
            sa.func.coalesce(quotes.c.quotes, 0),
            sa.func.coalesce(claims.c.claims, 0),
        )
        .select_from(articles)
        .outerjoin(quotes, quotes.c.key == articles.c.key)
        .outerjoin(claims, claims.c.key == articles.c.key)
        .order_by(articles.c.articles.desc(), articles.c.key)
    )


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
    kind = _SPEAKER.c.kind
    statement: Any
    if since is None and until is None:
        kept = _COUNT if source is None else _SPEAKER_SOURCE_COUNT
        statement = sa.select(kind, sa.func.sum(kept.c.quotes)).join(
            _SPEAKER, _SPEAKER.c.id == kept.c.speaker_id
        )
        if source is not None:
            statement = statement.where(kept.c.source_key == _outlet(source))
    else:
        counted = _quotes_per_speaker(since, until, source)
        statement = sa.select(kind, sa.func.sum(counted.c.quotes)).join(
            _SPEAKER, _SPEAKER.c.id == counted.c.speaker_id
        )
    counts = {str(k): int(n or 0) for k, n in session.execute(statement.group_by(kind))}
    total = sum(counts.values())
    return [
        KindShare(k, counts.get(k, 0), counts.get(k, 0) / total if total else 0.0)
        for k in SPEAKER_KINDS
    ]
