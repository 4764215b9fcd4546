"""The schema: queries over articles, speakers, quotes and claims; ingest and delete mutations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from anyio import to_thread
from graphql import GraphQLError
from sqlmodel import Session
from strawberry import relay
from strawberry.extensions import DisableIntrospection
from strawberry.scalars import JSON
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext, Info

from app.graphql import aggregates
from app.graphql.aggregates import KindShare, RankedSpeaker, SourceCount, TimelineBucket
from app.graphql.article import Article
from app.graphql.claim import Claim, ClaimReview
from app.graphql.curation import CurationMutation, CurationQuery, speaker_by_wikidata_id
from app.graphql.documents import BoundedParsing, Documents
from app.graphql.enums import (
    AttributionClass,
    Classes,
    QuoteKind,
    QuoteOrder,
    SpeakerKind,
    SpeakerOrder,
    class_values,
    enum_value,
)
from app.graphql.guard import Guard
from app.graphql.ids import decode_global_id
from app.graphql.job import Job
from app.graphql.live import Subscription, WebSocketRules
from app.graphql.node import LoadedNode
from app.graphql.pagination import (
    ARTICLES,
    CLAIMS,
    QUOTATIONS,
    QUOTES,
    QUOTES_BY_CONFIDENCE,
    RELEVANCE,
    REVIEWS,
    SPEAKERS,
    SPEAKERS_BY_QUOTES,
    After,
    Before,
    Connection,
    First,
    Last,
    Since,
    Source,
    SpeakerId,
    SpeakerName,
    Until,
    connection,
)
from app.graphql.persisted import PersistedQueries
from app.graphql.quotation import Quotation
from app.graphql.quote import Quote
from app.graphql.ratelimit import RateLimiter
from app.graphql.ratelimit_type import RateLimit, resolve_rate_limit
from app.graphql.review import ReviewLink
from app.graphql.speaker import Speaker
from app.services import content_ids, ingest, jobs, queries
from app.services import reviews as reviews_service
from app.services.aggregates import MAX_BUCKETS
from app.services.errors import InvalidInput, NotFound
from app.services.review_documents import read_values
from app.settings import Settings

NODE_TYPES: dict[str, type[LoadedNode]] = {
    "Article": Article,
    "Speaker": Speaker,
    "Quote": Quote,
    "Claim": Claim,
    "ClaimReview": ClaimReview,
    "Quotation": Quotation,
}


def _optional_id(value: strawberry.ID | None, type_name: str, field: str) -> int | None:
    return None if value is None else decode_global_id(value, type_name, field=field)[1]


def _check_range(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and since >= until:
        raise InvalidInput("`since` must be earlier than `until`.", field="since")


# How each list of the Query type is built from its filter arguments: used by the resolvers
# below and by the lean read path (app.graphql.lean), which answers common reads without
# graphql-core's field-by-field execution.


def articles_source(
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    search: str | None = None,
) -> Source:
    _check_range(since, until)
    where = queries.ArticleFilter(source=source, since=since, until=until, search=search)
    return Source(ARTICLES, lambda _session: queries.articles_listing(where), Article.from_row)


def speakers_source(
    search: str | None = None,
    kind: SpeakerKind | None = None,
    named: bool | None = None,
    order_by: SpeakerOrder | None = None,
) -> Source:
    order = enum_value(order_by) or "name"
    return Source(
        SPEAKERS_BY_QUOTES if order == "quote_count" else SPEAKERS,
        lambda session: queries.speakers_listing(
            session, search=search, kind=enum_value(kind), named=named, order=order
        ),
        Speaker.from_row,
    )


def quotes_source(
    speaker: str | None = None,
    speaker_id: strawberry.ID | None = None,
    article_id: strawberry.ID | None = None,
    kind: QuoteKind | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    search: str | None = None,
    min_confidence: float | None = None,
    source: str | None = None,
    speakers: list[str] | None = None,
    order_by: QuoteOrder | None = None,
    classes: list[AttributionClass] | None = None,
) -> Source:
    _check_range(since, until)
    where = queries.QuoteFilter(
        speaker=speaker,
        speaker_id=_optional_id(speaker_id, "Speaker", "speakerId"),
        article_id=_optional_id(article_id, "Article", "articleId"),
        kind=enum_value(kind),
        since=since,
        until=until,
        search=search,
        min_confidence=min_confidence,
        source=source,
        speakers=None if speakers is None else tuple(speakers),
        classes=class_values(classes),
    )
    if enum_value(order_by) == "confidence":
        return Source(
            QUOTES_BY_CONFIDENCE,
            lambda session: queries.quotes_listing(session, where, queries.CONFIDENT_QUOTES),
            Quote.from_row,
        )
    return Source(QUOTES, lambda session: queries.quotes_listing(session, where), Quote.from_row)


def quotations_source(
    speaker: str | None = None,
    speaker_id: strawberry.ID | None = None,
    speakers: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    min_occurrences: int | None = None,
) -> Source:
    _check_range(since, until)
    where = queries.QuotationFilter(
        speaker=speaker,
        speakers=None if speakers is None else tuple(speakers),
        speaker_id=_optional_id(speaker_id, "Speaker", "speakerId"),
        since=since,
        until=until,
        min_occurrences=min_occurrences,
    )
    return Source(
        QUOTATIONS,
        lambda session: queries.quotations_listing(session, where),
        Quotation.from_row,
    )


def search_quotes_source(
    query: str,
    speaker: str | None = None,
    kind: QuoteKind | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    classes: list[AttributionClass] | None = None,
) -> Source:
    _check_range(since, until)
    if not query.strip():
        raise InvalidInput("Give at least one word to search for.", field="query")
    where = queries.QuoteFilter(
        speaker=speaker,
        kind=enum_value(kind),
        since=since,
        until=until,
        classes=class_values(classes),
    )
    return Source(
        RELEVANCE,
        lambda session: queries.quote_search_listing(session, query, where),
        Quote.from_row,
    )


def claims_source(
    claimant: str | None = None,
    claimant_id: strawberry.ID | None = None,
    article_id: strawberry.ID | None = None,
    min_score: float | None = None,
    search: str | None = None,
    reviewed: bool | None = None,
    source: str | None = None,
) -> Source:
    where = queries.ClaimFilter(
        claimant=claimant,
        claimant_id=_optional_id(claimant_id, "Speaker", "claimantId"),
        article_id=_optional_id(article_id, "Article", "articleId"),
        min_score=min_score,
        search=search,
        reviewed=reviewed,
        source=source,
    )
    return Source(CLAIMS, lambda session: queries.claims_listing(session, where), Claim.from_row)


def reviews_source(
    search: str | None = None,
    reviewer: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    publisher: str | None = None,
    rating: str | None = None,
) -> Source:
    _check_range(since, until)
    where = queries.ReviewFilter(
        search=search,
        reviewer=reviewer,
        since=since,
        until=until,
        publisher=publisher,
        rating=rating,
    )
    return Source(
        REVIEWS, lambda session: queries.reviews_listing(session, where), ClaimReview.from_row
    )


def exactly_one(first: object, second: object, names: tuple[str, str]) -> None:
    if (first is None) == (second is None):
        raise InvalidInput(f"Give exactly one of `{names[0]}` or `{names[1]}`.", field=names[0])


async def _load(info: Info, type_name: str, pk: int) -> object:
    loader = getattr(info.context.loaders, NODE_TYPES[type_name].loader_name)
    return await loader.load(pk)


@strawberry.type(description="Read quotegraph: who said what, where and when.")
class Query(CurationQuery):
    @strawberry.field(
        description="Any object by its global ID (Relay), or by a content ID (`contentId` of "
        "an article, quote or quotation, which survives an export and import into another "
        "database); null if it is gone."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> relay.Node | None:
        content = content_ids.parse_content_id(id)
        if content is not None:
            # A content-based id (Article.contentId, Quote.contentId, Quotation.contentId).
            found = await info.context.run(content_ids.resolve_content_id, content)
            return None if found is None else NODE_TYPES[content.type_name].from_row(found)  # type: ignore[attr-defined]
        type_name, pk = decode_global_id(id)
        node_type = NODE_TYPES.get(type_name)
        if node_type is None:
            raise InvalidInput(f"quotegraph has no objects of type {type_name}.", field="id")
        row = await _load(info, type_name, pk)
        return None if row is None else node_type.from_row(row)  # type: ignore[attr-defined]

    @strawberry.field(description="One article, by global ID or by URL.")
    async def article(
        self,
        info: Info,
        id: Annotated[strawberry.ID | None, strawberry.argument(description="Global ID.")] = None,
        url: Annotated[str | None, strawberry.argument(description="The article's URL.")] = None,
    ) -> Article:
        exactly_one(id, url, ("id", "url"))
        if id is not None:
            row = await info.context.loaders.article.load(decode_global_id(id, "Article")[1])
        else:
            assert url is not None
            row = await info.context.run(queries.article_by_url, url)
        if row is None:
            raise NotFound(f"No article with {'ID ' + id if id else 'URL ' + str(url)}.")
        return Article.from_row(row)

    @strawberry.field(description="Articles, newest first.")
    async def articles(
        self,
        info: Info,
        source: Annotated[
            str | None, strawberry.argument(description="Only from this publisher (any case).")
        ] = None,
        since: Since = None,
        until: Until = None,
        search: Annotated[
            str | None,
            strawberry.argument(description="Only articles whose title or text contains this."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Article]:
        return await connection(
            info,
            articles_source(source, since, until, search),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description=(
            "One speaker, by global ID, by name or by Wikidata id (a merged speaker's ID gives "
            "the speaker it was merged into). A name matches the canonical name or any "
            'alias, ignoring case and accents ("netanyahu" finds Benjamin Netanyahu).'
        )
    )
    async def speaker(
        self,
        info: Info,
        id: Annotated[strawberry.ID | None, strawberry.argument(description="Global ID.")] = None,
        name: Annotated[
            str | None, strawberry.argument(description="A name or alias of the speaker.")
        ] = None,
        wikidata_id: Annotated[
            str | None,
            strawberry.argument(description='The speaker\'s Wikidata item id, e.g. "Q1174".'),
        ] = None,
    ) -> Speaker:
        if wikidata_id is not None:
            exactly_one(id or name, wikidata_id, ("id", "wikidataId"))
            return await speaker_by_wikidata_id(info, wikidata_id)
        exactly_one(id, name, ("id", "name"))
        if id is not None:
            row = await info.context.loaders.speaker.load(decode_global_id(id, "Speaker")[1])
        else:
            assert name is not None
            row = await info.context.run(queries.find_speaker_by_name, name)
        if row is None:
            raise NotFound(f"No speaker {'with ID ' + id if id else 'named ' + repr(name)}.")
        return Speaker.from_row(row)

    @strawberry.field(
        description="Speakers in alphabetical order (or most quoted first), optionally searched."
    )
    async def speakers(
        self,
        info: Info,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Prefix of any word of a name or alias, ignoring case and accents."
            ),
        ] = None,
        kind: Annotated[
            SpeakerKind | None, strawberry.argument(description="Only speakers of this kind.")
        ] = None,
        named: Annotated[
            bool | None,
            strawberry.argument(
                description="true: only speakers known by a proper name; false: only those an "
                'article knows by a description ("officials", "the ministry"), each that '
                "article's own."
            ),
        ] = None,
        order_by: Annotated[
            SpeakerOrder | None,
            strawberry.argument(description="The order: NAME_ASC (default) or QUOTE_COUNT_DESC."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Speaker]:
        return await connection(
            info,
            speakers_source(search, kind, named, order_by),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="Quotes, newest first (or as `orderBy` says), filtered by any combination "
        "of arguments."
    )
    async def quotes(
        self,
        info: Info,
        speaker: SpeakerName = None,
        speaker_id: SpeakerId = None,
        article_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Global ID of the article.")
        ] = None,
        kind: Annotated[
            QuoteKind | None, strawberry.argument(description="Only quotes of this kind.")
        ] = None,
        since: Since = None,
        until: Until = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Only quotes containing these words (stemmed; all must occur)."
            ),
        ] = None,
        min_confidence: Annotated[
            float | None,
            strawberry.argument(
                description="Only quotes attributed with at least this confidence."
            ),
        ] = None,
        source: Annotated[
            str | None,
            strawberry.argument(description="Only quotes from this outlet (any case)."),
        ] = None,
        speakers: Annotated[
            list[str] | None,
            strawberry.argument(
                description="Only quotes by any of these speakers (names or aliases)."
            ),
        ] = None,
        order_by: Annotated[
            QuoteOrder | None,
            strawberry.argument(description="The order: DATE_DESC (default) or CONFIDENCE_DESC."),
        ] = None,
        classes: Classes = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Quote]:
        return await connection(
            info,
            quotes_source(
                speaker,
                speaker_id,
                article_id,
                kind,
                since,
                until,
                search,
                min_confidence,
                source,
                speakers,
                order_by,
                classes,
            ),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description=(
            "Full-text search over quote text, most relevant first (words are stemmed: "
            '"warn" finds "warned"; all words must occur). The 1,000 most recently stored '
            "matches are ranked (all matches when there are fewer), so common words answer "
            "quickly; for every match in date order use `quotes(search:)`."
        )
    )
    async def search_quotes(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="Words to look for.")],
        speaker: Annotated[
            str | None, strawberry.argument(description="Only quotes by this name or alias.")
        ] = None,
        kind: Annotated[
            QuoteKind | None, strawberry.argument(description="Only quotes of this kind.")
        ] = None,
        since: Since = None,
        until: Until = None,
        classes: Classes = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Quote]:
        return await connection(
            info,
            search_quotes_source(query, speaker, kind, since, until, classes),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    timeline: list[TimelineBucket] = strawberry.field(
        resolver=aggregates.resolve_timeline,
        description="Quotes and claims per day, week, month or year (UTC; weeks start on "
        "Monday), counted by the database, empty buckets included (0), oldest first: from the "
        "bucket of `since` (else of the earliest match) to that of `until` (else of the latest "
        f"match), at most {MAX_BUCKETS:,} buckets (more: BUCKET_LIMIT_EXCEEDED). The filters "
        "combine, and count what `quotes` and `claims` would list for them.",
    )
    top_speakers: list[RankedSpeaker] = strawberry.field(
        resolver=aggregates.resolve_top_speakers,
        description="Speakers ranked by their number of quotes in the period (and outlet), most "
        "first; ties: the newer speaker first. Without `since`, `until` and `source`, from the "
        "maintained counts (`Speaker.quoteCount`).",
    )
    sources: list[SourceCount] = strawberry.field(
        resolver=aggregates.resolve_sources,
        description="Outlets with their numbers of articles, quotes and claims in the period, "
        "most articles first.",
    )
    quote_share_by_kind: list[KindShare] = strawberry.field(
        resolver=aggregates.resolve_quote_share_by_kind,
        description="Attributed quotes per kind of speaker (person, organisation, unknown) and "
        "each kind's share, in the period and outlet; every kind is listed, with 0 if need be.",
    )

    @strawberry.field(
        description="Quotations (the same words of one speaker across articles, speech "
        "only), most recently reported first."
    )
    async def quotations(
        self,
        info: Info,
        speaker: SpeakerName = None,
        speaker_id: SpeakerId = None,
        speakers: Annotated[
            list[str] | None,
            strawberry.argument(description="Only quotations of any of these speakers."),
        ] = None,
        since: Annotated[
            datetime | None,
            strawberry.argument(description="Only quotations reported at or after this time."),
        ] = None,
        until: Annotated[
            datetime | None,
            strawberry.argument(description="Only quotations reported before this time."),
        ] = None,
        min_occurrences: Annotated[
            int | None,
            strawberry.argument(description="Only quotations reported at least this often."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Quotation]:
        return await connection(
            info,
            quotations_source(speaker, speaker_id, speakers, since, until, min_occurrences),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    rate_limit: RateLimit | None = strawberry.field(
        resolver=resolve_rate_limit,
        description="Your rate limit budget after this request; null when limits are off.",
    )

    @strawberry.field(description="Progress of an ingest job made by submitArticles.")
    async def job(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The job id.")],
    ) -> Job:
        return Job.from_progress(await info.context.run(jobs.job_progress, str(id)))

    @strawberry.field(description="Check-worthy claims, newest first.")
    async def claims(
        self,
        info: Info,
        claimant: Annotated[
            str | None, strawberry.argument(description="Name or alias of the claimant.")
        ] = None,
        claimant_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Global ID of the claimant.")
        ] = None,
        article_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Global ID of the article.")
        ] = None,
        min_score: Annotated[
            float | None, strawberry.argument(description="Only claims scoring at least this.")
        ] = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Only claims with these words (stemmed, any case or accent, every "
                "word, anywhere in the claim), as `quotes(search:)` finds them in quotes."
            ),
        ] = None,
        reviewed: Annotated[
            bool | None,
            strawberry.argument(
                description="Only claims with (true) or without (false) fact-checks: links an "
                "editor confirmed or the matcher made at or above its automatic threshold."
            ),
        ] = None,
        source: Annotated[
            str | None,
            strawberry.argument(description="Only claims from this outlet (any case)."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Claim]:
        return await connection(
            info,
            claims_source(claimant, claimant_id, article_id, min_score, search, reviewed, source),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="Fact-checks (ClaimReview), newest first by their publication date (their "
        "import date when they give none)."
    )
    async def reviews(
        self,
        info: Info,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Only reviews whose claimReviewed has these words (stemmed, any "
                "case or accent, every word), as `claims(search:)`."
            ),
        ] = None,
        reviewer: Annotated[
            str | None,
            strawberry.argument(description="Only reviews by this fact-checker (any case)."),
        ] = None,
        since: Annotated[
            datetime | None,
            strawberry.argument(description="Only reviews published at or after this time."),
        ] = None,
        until: Annotated[
            datetime | None,
            strawberry.argument(description="Only reviews published before this time."),
        ] = None,
        publisher: Annotated[
            str | None,
            strawberry.argument(
                description="Only reviews by this fact-checker (its name, any case) or "
                'published on this site ("fullfact.org": the domain or its subdomains).'
            ),
        ] = None,
        rating: Annotated[
            str | None,
            strawberry.argument(description='Only reviews with this verdict ("False", any case).'),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ClaimReview]:
        return await connection(
            info,
            reviews_source(search, reviewer, since, until, publisher, rating),
            first=first,
            after=after,
            last=last,
            before=before,
        )


@strawberry.input(description="An article to ingest.")
class IngestArticleInput:
    text: str = strawberry.field(description="Plain text of the article (paragraphs on new lines).")
    url: str | None = strawberry.field(default=None, description="Where it was published.")
    title: str | None = strawberry.field(default=None, description="Headline.")
    source: str | None = strawberry.field(default=None, description="Publisher or outlet.")
    published_at: datetime | None = strawberry.field(
        default=None, description="Publication time (ISO 8601; UTC assumed without an offset)."
    )


@strawberry.type(description="The stored article and what was extracted from it.")
class IngestArticlePayload:
    article: Article = strawberry.field(description="The stored article.")
    created: bool = strawberry.field(
        description="False when the same text was already stored: nothing was written."
    )

    @strawberry.field(description="The article's quotes, in order.")
    async def quotes(self, info: Info) -> list[Quote]:
        quotes: list[Quote] = await self.article.quotes(info)
        return quotes

    @strawberry.field(description="The article's speakers.")
    async def speakers(self, info: Info) -> list[Speaker]:
        speakers: list[Speaker] = await self.article.speakers(info)
        return speakers

    @strawberry.field(description="The article's claims.")
    async def claims(self, info: Info) -> list[Claim]:
        claims: list[Claim] = await self.article.claims(info)
        return claims


@strawberry.type(description="Result of deleteArticle.")
class DeleteArticlePayload:
    deleted_id: strawberry.ID = strawberry.field(description="Global ID of the deleted article.")


@strawberry.input(description="A fact-check to attach to a claim.")
class ReviewClaimInput:
    claim_id: strawberry.ID = strawberry.field(description="Global ID of the claim.")
    reviewer: str = strawberry.field(description="Who reviewed it.")
    rating: str = strawberry.field(description='Textual rating, e.g. "False".')
    url: str | None = strawberry.field(default=None, description="Where the review is published.")
    review_date: datetime | None = strawberry.field(default=None, description="When.")


@strawberry.type(description="A review that reviewClaims refused, and why.")
class ReviewImportError:
    position: str = strawberry.field(
        description="Where it was in the list: its index, with the path inside it when the "
        'item was a @graph document or a Fact Check Tools result (e.g. "2@graph[1]").'
    )
    message: str = strawberry.field(description="What is wrong with it.")


@strawberry.type(description="What reviewClaims did.")
class ReviewClaimsPayload:
    created: int = strawberry.field(description="Reviews stored for the first time.")
    updated: int = strawberry.field(description="Reviews already stored whose fields changed.")
    unchanged: int = strawberry.field(
        description="Reviews already stored exactly so: nothing was written for them."
    )
    automatic_links: int = strawberry.field(
        description="Claims linked automatically (score at or above the threshold)."
    )
    suggested_links: int = strawberry.field(description="Claims offered as suggestions.")
    errors: list[ReviewImportError] = strawberry.field(
        description="Reviews refused, with their positions; the others were stored."
    )
    review_ids: strawberry.Private[list[int]]

    @strawberry.field(description="The reviews stored or found, in the order given.")
    async def reviews(self, info: Info) -> list[ClaimReview]:
        rows = await info.context.loaders.claim_review.load_many(self.review_ids)
        return [ClaimReview.from_row(row) for row in rows if row is not None]


@strawberry.type(description="Change quotegraph: ingest or delete articles, review claims.")
class Mutation(CurationMutation):
    @strawberry.mutation(
        description=(
            "Extract speakers, quotes and claims from an article and store them, all in one "
            "transaction. Sending the same text again returns the stored article unchanged."
        )
    )
    async def ingest_article(
        self,
        info: Info,
        input: Annotated[IngestArticleInput, strawberry.argument(description="The article.")],
    ) -> IngestArticlePayload:
        context = info.context
        raw = ingest.ArticleInput(
            text=input.text,
            url=input.url,
            title=input.title,
            source=input.source,
            published_at=input.published_at,
        )
        prepared = ingest.prepare_article(raw, max_chars=context.settings.max_article_chars)
        existing = await context.run(ingest.find_existing, prepared)
        if existing is None:
            extraction = await to_thread.run_sync(context.extractor, prepared.text)
            result = await context.run(ingest.store_article, prepared, extraction)
        else:
            result = ingest.IngestResult(existing, created=False)
        row = await context.loaders.article.load(result.article_id)
        return IngestArticlePayload(article=Article.from_row(row), created=result.created)

    @strawberry.mutation(
        description=(
            "Queue articles for ingestion and return at once with a job to follow in job(id:). "
            "Workers (quotegraph worker) process them when a broker is configured; otherwise "
            "this server does, in the background. Invalid articles fail at once, with reasons."
        )
    )
    async def submit_articles(
        self,
        info: Info,
        articles: Annotated[
            list[IngestArticleInput], strawberry.argument(description="The articles.")
        ],
    ) -> Job:
        context = info.context
        raw = [
            ingest.ArticleInput(
                text=a.text,
                url=a.url,
                title=a.title,
                source=a.source,
                published_at=a.published_at,
            )
            for a in articles
        ]
        caller = await context.caller()
        job_id, positions = await context.run(
            jobs.create_job,
            raw,
            max_chars=context.settings.max_article_chars,
            submitted_by=caller.id if caller else None,
        )
        await to_thread.run_sync(context.dispatcher.dispatch, job_id, raw, positions)
        return Job.from_progress(await context.run(jobs.job_progress, job_id))

    @strawberry.mutation(description="Delete an article with its quotes and claims.")
    async def delete_article(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the article.")],
    ) -> DeleteArticlePayload:
        pk = decode_global_id(id, "Article")[1]
        if not await info.context.run(ingest.delete_article, pk):
            raise NotFound(f"No article with ID {id}.")
        return DeleteArticlePayload(deleted_id=id)

    @strawberry.mutation(
        description="Attach a fact-check to a claim by hand: stored as a review of the claim's "
        "text with a confirmed link (and matched to the same claim in other articles)."
    )
    async def review_claim(
        self,
        info: Info,
        input: Annotated[ReviewClaimInput, strawberry.argument(description="The review.")],
    ) -> ClaimReview:
        claim_id = decode_global_id(input.claim_id, "Claim", field="claimId")[1]
        row = await info.context.run(
            reviews_service.add_claim_review,
            claim_id,
            reviewer=input.reviewer,
            rating=input.rating,
            url=input.url,
            review_date=input.review_date,
        )
        return ClaimReview.from_row(row)

    @strawberry.mutation(
        description="Import fact-checks: schema.org ClaimReview JSON-LD objects, @graph "
        "documents or Google Fact Check Tools results, as `quotegraph reviews import` reads "
        "them. Each is linked to the stored claims it checks (automatically above the "
        "threshold, as a suggestion below it). The same review again changes nothing; "
        "editors' decisions are kept. Refused reviews are listed in `errors`; the rest are "
        "stored."
    )
    async def review_claims(
        self,
        info: Info,
        reviews: Annotated[
            list[JSON], strawberry.argument(description="ClaimReview JSON-LD objects.")
        ],
    ) -> ReviewClaimsPayload:
        read = read_values(reviews)
        report = await info.context.run(reviews_service.import_reviews, read.reviews)
        failures = [*read.failures, *report.failures]
        return ReviewClaimsPayload(
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            automatic_links=report.automatic,
            suggested_links=report.suggested,
            errors=[ReviewImportError(position=f.position, message=f.message) for f in failures],
            review_ids=report.review_ids,
        )

    @strawberry.mutation(
        description="Confirm that a review checks a claim (an editor's decision: no import "
        "undoes it). Makes the link if the matcher had not."
    )
    async def link_review(
        self,
        info: Info,
        claim_id: Annotated[strawberry.ID, strawberry.argument(description="The claim.")],
        review_id: Annotated[strawberry.ID, strawberry.argument(description="The review.")],
    ) -> ReviewLink:
        return await _decide_link(info, reviews_service.link_review, claim_id, review_id)

    @strawberry.mutation(
        description="Reject a link between a claim and a review (an editor's decision: the "
        "link is kept as rejected, so no import makes it again)."
    )
    async def unlink_review(
        self,
        info: Info,
        claim_id: Annotated[strawberry.ID, strawberry.argument(description="The claim.")],
        review_id: Annotated[strawberry.ID, strawberry.argument(description="The review.")],
    ) -> ReviewLink:
        return await _decide_link(info, reviews_service.unlink_review, claim_id, review_id)


async def _decide_link(
    info: Info,
    decide: Callable[[Session, int, int], Any],
    claim_id: strawberry.ID,
    review_id: strawberry.ID,
) -> ReviewLink:
    """An editor's decision on the link between a claim and a review, by their global ids."""
    row = await info.context.run(
        decide,
        decode_global_id(claim_id, "Claim", field="claimId")[1],
        decode_global_id(review_id, "ClaimReview", field="reviewId")[1],
    )
    return ReviewLink.from_row(row)


class Schema(strawberry.Schema):
    documents: Documents
    """Parsed query texts, shared with the response cache and the lean path."""
    persisted: PersistedQueries | None = None
    """Registered operations (set by create_app); websockets honour persisted_only too."""
    rate_limiter: RateLimiter | None = None
    """The HTTP rate limiter (set by create_app when on): it charges subscriptions too."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Client mistakes are not server errors: app.graphql.errors logs the unexpected ones,
        # with the request id the client is given.
        return None


def build_schema(settings: Settings | None = None) -> Schema:
    """The schema; `settings` adds the token limit and switches introspection off if asked."""
    settings = settings or Settings()
    documents = Documents(settings)
    extensions: list[Any] = [
        # The size and token limits apply before anything is parsed; documents are
        # remembered by digest, never by their text (see app.graphql.documents).
        lambda: BoundedParsing(documents),
        lambda: Guard(documents),
        # Websockets carry subscriptions only, under the same checks (app.graphql.live).
        lambda: WebSocketRules(documents),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(NODE_TYPES.values()),
        config=StrawberryConfig(auto_camel_case=True),
        extensions=extensions,
    )
    schema.documents = documents
    return schema
