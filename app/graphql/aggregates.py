"""Aggregate types and resolvers: timelines, speaker rankings, co-quoted speakers, outlets and
kinds of speaker. The database counts (app.services.aggregates); these only convert."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from sqlmodel import Session
from strawberry.types import Info

from app.graphql.enums import SpeakerKind, enum_value
from app.graphql.ids import decode_global_id
from app.graphql.pagination import Since, SpeakerId, Until
from app.graphql.speaker import Speaker
from app.services import aggregates

Source = Annotated[
    str | None,
    strawberry.argument(description="Only from articles of this outlet (name, any case)."),
]
Ranked = Annotated[
    int,
    strawberry.argument(
        description=f"How many to return, from 1 to {aggregates.MAX_RANKED} (default 10)."
    ),
]


@strawberry.enum(description="The width of a timeline's buckets; all buckets are in UTC.")
class TimelineInterval(Enum):
    DAY = strawberry.enum_value("day", description="Calendar days, from 00:00 UTC.")
    WEEK = strawberry.enum_value(
        "week", description="ISO weeks: Monday 00:00 UTC to the next Monday."
    )
    MONTH = strawberry.enum_value("month", description="Calendar months, from the 1st.")
    YEAR = strawberry.enum_value("year", description="Calendar years, from 1 January.")


@strawberry.type(
    description="One bucket of a timeline: what was published from `start` (included) to "
    "`end` (excluded)."
)
class TimelineBucket:
    start: datetime = strawberry.field(
        description="The bucket's first instant (UTC): a day at 00:00, a week's Monday, a "
        "month's 1st, a year's 1 January."
    )
    end: datetime = strawberry.field(description="The next bucket's first instant (UTC).")
    quotes: int = strawberry.field(description="Quotes in this bucket (0 when none).")
    claims: int = strawberry.field(description="Claims in this bucket (0 when none).")


@strawberry.type(description="A speaker with its number of quotes and their share of the total.")
class RankedSpeaker:
    speaker: Speaker = strawberry.field(description="The speaker.")
    quotes: int = strawberry.field(description="Its quotes matching the arguments.")
    share: float = strawberry.field(
        description="Its quotes divided by the quotes of every speaker that qualifies (attributed "
        "quotes matching all the arguments), 0 to 1."
    )


@strawberry.type(description="A speaker quoted in the same articles as another, and how often.")
class CoQuotedSpeaker:
    speaker: Speaker = strawberry.field(description="The other speaker.")
    articles: int = strawberry.field(description="Articles in which both are quoted.")


@strawberry.type(description="What one outlet published: articles, quotes and claims.")
class SourceCount:
    source: str | None = strawberry.field(
        description="The outlet's name as first stored (names that differ only in case are "
        "one outlet); null for articles without one."
    )
    articles: int = strawberry.field(description="Articles.")
    quotes: int = strawberry.field(description="Quotes in those articles.")
    claims: int = strawberry.field(description="Claims in those articles.")


@strawberry.type(description="Attributed quotes by one kind of speaker, and their share.")
class KindShare:
    kind: SpeakerKind = strawberry.field(description="The kind of speaker.")
    quotes: int = strawberry.field(description="Quotes by speakers of this kind.")
    share: float = strawberry.field(
        description="Those quotes divided by all attributed quotes counted, 0 to 1."
    )


def _ranked(rows: list[aggregates.Ranked]) -> list[RankedSpeaker]:
    return [
        RankedSpeaker(speaker=Speaker.from_row(r.speaker), quotes=r.count, share=r.share)
        for r in rows
    ]


# Each root field's answer from a session: what its resolver runs in a worker thread, and what
# the lean read path (app.graphql.lean) calls with the same arguments.


def timeline_of(
    session: Session,
    interval: TimelineInterval,
    speaker: str | None = None,
    speaker_id: strawberry.ID | None = None,
    search: str | None = None,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[TimelineBucket]:
    where = aggregates.TimelineFilter(
        speaker=speaker,
        speaker_id=(
            None
            if speaker_id is None
            else decode_global_id(speaker_id, "Speaker", field="speakerId")[1]
        ),
        search=search,
        source=source,
        since=since,
        until=until,
    )
    step = str(interval.value)
    return [
        TimelineBucket(
            start=b.start,
            end=aggregates.bucket_end(b.start, step),
            quotes=b.quotes,
            claims=b.claims,
        )
        for b in aggregates.timeline(session, where, step)
    ]


def top_speakers_of(
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    kind: SpeakerKind | None = None,
    first: int = 10,
) -> list[RankedSpeaker]:
    return _ranked(
        aggregates.top_speakers(
            session, since=since, until=until, source=source, kind=enum_value(kind), first=first
        )
    )


def sources_of(
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    first: int = 20,
) -> list[SourceCount]:
    return [
        SourceCount(source=r.source, articles=r.articles, quotes=r.quotes, claims=r.claims)
        for r in aggregates.sources(session, since=since, until=until, first=first)
    ]


def quote_share_by_kind_of(
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
) -> list[KindShare]:
    return [
        KindShare(kind=SpeakerKind(r.kind), quotes=r.quotes, share=r.share)
        for r in aggregates.quote_share_by_kind(session, since=since, until=until, source=source)
    ]


async def resolve_timeline(
    info: Info,
    interval: Annotated[TimelineInterval, strawberry.argument(description="Width of the buckets.")],
    speaker: Annotated[
        str | None,
        strawberry.argument(
            description="Only quotes by (and claims of) this name or alias, ignoring case and "
            "accents, as `quotes(speaker:)`."
        ),
    ] = None,
    speaker_id: SpeakerId = None,
    search: Annotated[
        str | None,
        strawberry.argument(
            description="Only quotes and claims with these words (stemmed, any case, every "
            "word; as `quotes(search:)` and `claims(search:)`). The counts are exact. One word "
            "without a speaker or outlet is read from kept per-word daily counts; several "
            "words, a phrase or other filters are counted from the matching rows on each "
            "request, so a combination found in tens of thousands of quotes takes longer than "
            "the other timelines."
        ),
    ] = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
) -> list[TimelineBucket]:
    buckets: list[TimelineBucket] = await info.context.run(
        timeline_of, interval, speaker, speaker_id, search, source, since, until
    )
    return buckets


async def resolve_top_speakers(
    info: Info,
    since: Since = None,
    until: Until = None,
    source: Source = None,
    kind: Annotated[
        SpeakerKind | None, strawberry.argument(description="Only speakers of this kind.")
    ] = None,
    first: Ranked = 10,
) -> list[RankedSpeaker]:
    ranked: list[RankedSpeaker] = await info.context.run(
        top_speakers_of, since, until, source, kind, first
    )
    return ranked


async def resolve_co_quoted(info: Info, speaker_id: int, first: int) -> list[CoQuotedSpeaker]:
    rows = await info.context.run(aggregates.co_quoted, speaker_id, first)
    return [CoQuotedSpeaker(speaker=Speaker.from_row(r.speaker), articles=r.articles) for r in rows]


async def resolve_sources(
    info: Info,
    since: Since = None,
    until: Until = None,
    first: Annotated[
        int,
        strawberry.argument(
            description=f"How many outlets, from 1 to {aggregates.MAX_RANKED} (default 20)."
        ),
    ] = 20,
) -> list[SourceCount]:
    counts: list[SourceCount] = await info.context.run(sources_of, since, until, first)
    return counts


async def resolve_quote_share_by_kind(
    info: Info, since: Since = None, until: Until = None, source: Source = None
) -> list[KindShare]:
    shares: list[KindShare] = await info.context.run(quote_share_by_kind_of, since, until, source)
    return shares
