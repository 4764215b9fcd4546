"""Read paths shared by GraphQL and the CLI: filtered listings, lookups and batched loads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from app.db.models import (
    SHOWN_STATUSES,
    Article,
    Claim,
    ClaimReview,
    Quotation,
    QuotationOccurrence,
    Quote,
    QuoteFragment,
    ReviewLink,
    Speaker,
    SpeakerAlias,
    SpeakerQuoteCount,
    as_utc,
    table_of,
)
from app.extraction.classes import ATTRIBUTION_CLASSES
from app.services import search
from app.services.names import like_escape, name_key
from app.services.pagination import (
    Joined,
    Ordering,
    Page,
    PageRequest,
    ToOne,
    count_rows,
    fetch_page,
    join_to_one,
)
from app.services.speakers import described

RECENT_QUOTES = Ordering((table_of(Quote).c.sort_date, table_of(Quote).c.id), descending=True)
RECENT_ARTICLES = Ordering((table_of(Article).c.sort_date, table_of(Article).c.id), descending=True)
RECENT_CLAIMS = Ordering((table_of(Claim).c.sort_date, table_of(Claim).c.id), descending=True)
SPEAKERS_BY_NAME = Ordering(
    (table_of(Speaker).c.name_key, table_of(Speaker).c.id), descending=False
)


@dataclass(frozen=True, slots=True)
class Listing:
    """A filtered statement and its order: fetch a page of it, or count it."""

    statement: sa.Select[Any]
    ordering: Ordering

    def page(
        self, session: Session, request: PageRequest, joined: Sequence[ToOne] = ()
    ) -> Page[Any]:
        return fetch_page(session, self.statement, self.ordering, request, joined)

    def count(self, session: Session) -> int:
        return count_rows(session, self.statement)


def _contains(column: Any, text: str) -> sa.ColumnElement[bool]:
    # Bound parameters with escaped wildcards: user text is data, never SQL or a pattern.
    condition: sa.ColumnElement[bool] = column.ilike(f"%{like_escape(text)}%", escape="\\")
    return condition


# --- speakers -------------------------------------------------------------------------------


_NAME_KEY: sa.BindParameter[str] = sa.bindparam("key")
# Built once: this lookup starts every "quotes by speaker" request.
_EXACT_NAME = (
    sa.select(table_of(Speaker).c.id)
    .where(table_of(Speaker).c.name_key == _NAME_KEY)
    .union(
        sa.select(table_of(SpeakerAlias).c.speaker_id).where(
            table_of(SpeakerAlias).c.alias_key == _NAME_KEY
        )
    )
)


def speaker_ids_for_name(session: Session, name: str) -> list[int]:
    """Speakers a person means by `name`: exact name or alias first, else word-boundary matches.

    "netanyahu" finds "Benjamin Netanyahu" through the alias the articles used; "Blinken" finds
    "Antony Blinken" even where no article used the surname alone.
    """
    key = name_key(name)
    if not key:
        return []
    exact = session.execute(_EXACT_NAME, {"key": key}).scalars().all()
    if exact:
        return sorted({int(i) for i in exact})
    escaped = like_escape(key)
    partial = session.exec(
        select(Speaker.id).where(
            sa.or_(
                table_of(Speaker).c.name_key.like(f"% {escaped}", escape="\\"),
                table_of(Speaker).c.name_key.like(f"{escaped} %", escape="\\"),
                table_of(Speaker).c.name_key.like(f"% {escaped} %", escape="\\"),
            )
        )
    ).all()
    return sorted(int(i) for i in partial if i is not None)


def find_speaker_by_name(session: Session, name: str) -> Speaker | None:
    """The one speaker `name` denotes; the busiest when several match."""
    ids = speaker_ids_for_name(session, name)
    if not ids:
        return None
    if len(ids) == 1:
        return session.get(Speaker, ids[0])
    counted = table_of(SpeakerQuoteCount)
    busiest = session.execute(
        sa.select(counted.c.speaker_id)
        .where(counted.c.speaker_id.in_(ids), counted.c.quotes > 0)
        .order_by(counted.c.quotes.desc(), counted.c.speaker_id)
        .limit(1)
    ).scalar()
    return session.get(Speaker, busiest if busiest is not None else ids[0])


def _prefix_range(column: Any, prefix: str) -> sa.ColumnElement[bool]:
    # A range rather than LIKE 'x%': both databases walk the key's B-tree index for it
    # (the keys compare byte-wise: COLLATE "C" on PostgreSQL, BINARY on SQLite).
    condition: sa.ColumnElement[bool] = sa.and_(column >= prefix, column < prefix + "\U0010ffff")
    return condition


def speakers_listing(
    session: Session,
    *,
    search: str | None = None,
    kind: str | None = None,
    named: bool | None = None,
    order: str = "name",
) -> Listing:
    """Speakers by name (`order="quote_count"`: most quoted first); `search` is a prefix of
    the name or of any alias (index range scans),
    or, when nothing starts with it, of any word in a name. `named` keeps only speakers known
    by a proper name (True) or only an article's own descriptions, "officials" (False)."""
    statement = sa.select(table_of(Speaker))
    key = name_key(search) if search else ""
    if key:
        starts: Any = sa.union(
            sa.select(table_of(Speaker).c.id).where(
                _prefix_range(table_of(Speaker).c.name_key, key)
            ),
            sa.select(table_of(SpeakerAlias).c.speaker_id).where(
                _prefix_range(table_of(SpeakerAlias).c.alias_key, key)
            ),
        )
        if session.execute(
            sa.select(sa.literal(1)).select_from(starts.subquery()).limit(1)
        ).first():
            statement = statement.where(table_of(Speaker).c.id.in_(starts))
        else:
            statement = statement.where(
                table_of(Speaker).c.name_key.like(f"% {like_escape(key)}%", escape="\\")
            )
    elif search:
        statement = statement.where(sa.false())
    if kind:
        statement = statement.where(table_of(Speaker).c.kind == kind)
    if named is not None:
        description = described(table_of(Speaker).c.name_key)
        statement = statement.where(sa.not_(description) if named else description)
    if order == "quote_count":
        # The kept counter (app.services.counters: speech quotes, as Speaker.quoteCount), not
        # a count of each speaker's quotes per page.
        counted = table_of(SpeakerQuoteCount)
        quote_count = sa.func.coalesce(counted.c.quotes, 0)
        statement = statement.outerjoin(
            counted, counted.c.speaker_id == table_of(Speaker).c.id
        ).add_columns(quote_count.label("quote_count"))
        return Listing(statement, Ordering((quote_count, table_of(Speaker).c.id), descending=True))
    return Listing(statement, SPEAKERS_BY_NAME)


# --- quotes ---------------------------------------------------------------------------------


# What people mean by "a quote": what someone said. Beliefs and intentions ("X believes",
# "X plans") and evidence ("a poll shows") are stored too, and listed when asked for by class.
DEFAULT_CLASSES: tuple[str, ...] = ("speech",)


def _class_condition(
    classes: Sequence[str], *, indexed: bool = True
) -> sa.ColumnElement[bool] | None:
    """The condition keeping quotes of these attribution classes; None when all are kept.
    Not `indexed` when a narrower condition (a speaker, an article) picks the rows on SQLite:
    then the class is tested on an expression, so that SQLite cannot choose the class index
    (which walks every speech quote newest first) over the speaker's own index."""
    if set(classes) >= set(ATTRIBUTION_CLASSES):
        return None
    column = table_of(Quote).c.attribution_class
    tested = column if indexed else column.concat("")
    condition: sa.ColumnElement[bool] = tested.in_(sorted(set(classes)))
    return condition


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    speaker: str | None = None
    speaker_id: int | None = None
    article_id: int | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None
    min_confidence: float | None = None
    source: str | None = None
    """The outlet (article source), any case."""
    speakers: tuple[str, ...] | None = None
    """Names or aliases: quotes by any of them."""
    quotation_id: int | None = None
    classes: tuple[str, ...] = DEFAULT_CLASSES
    """Attribution classes kept (speech, belief, evidence)."""


def _from_source(article_id: Any, source: str) -> sa.ColumnElement[bool]:
    """Rows whose article comes from the outlet `source` (any case)."""
    article = table_of(Article)
    outlet = sa.select(article.c.id).where(sa.func.lower(article.c.source) == source.lower())
    condition: sa.ColumnElement[bool] = article_id.in_(outlet)
    return condition


def _any_speaker(session: Session, names: Sequence[str]) -> list[int]:
    return sorted({i for name in names for i in speaker_ids_for_name(session, name)})


def _quote_conditions(
    session: Session, where: QuoteFilter, *, of_class: bool = True
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if where.source is not None:
        conditions.append(_from_source(table_of(Quote).c.article_id, where.source))
    if where.speakers is not None:
        conditions.append(table_of(Quote).c.speaker_id.in_(_any_speaker(session, where.speakers)))
    if where.quotation_id is not None:
        occurrence = table_of(QuotationOccurrence)
        conditions.append(
            table_of(Quote).c.id.in_(
                sa.select(occurrence.c.quote_id).where(
                    occurrence.c.quotation_id == where.quotation_id
                )
            )
        )
    if where.speaker is not None:
        ids = speaker_ids_for_name(session, where.speaker)
        conditions.append(table_of(Quote).c.speaker_id.in_(ids))
    if where.speaker_id is not None:
        conditions.append(table_of(Quote).c.speaker_id == where.speaker_id)
    if where.article_id is not None:
        conditions.append(table_of(Quote).c.article_id == where.article_id)
    if where.kind is not None:
        conditions.append(table_of(Quote).c.kind == where.kind)
    if where.since is not None:
        conditions.append(table_of(Quote).c.sort_date >= as_utc(where.since))
    if where.until is not None:
        conditions.append(table_of(Quote).c.sort_date < as_utc(where.until))
    if where.search:
        conditions.append(search.matches(session, where.search))
    if where.min_confidence is not None:
        conditions.append(table_of(Quote).c.confidence >= where.min_confidence)
    narrowed = any(
        value is not None
        for value in (
            where.speaker,
            where.speakers,
            where.speaker_id,
            where.article_id,
            where.quotation_id,
        )
    )
    # Only SQLite needs the class hidden from its planner. PostgreSQL weighs the class by its
    # statistics, which an expression has not: it guessed 0.5% of the rows were speech, and
    # walked every quote newest first in parallel workers for the busiest speaker's page.
    hidden = narrowed and session.get_bind().dialect.name == "sqlite"
    class_condition = _class_condition(where.classes, indexed=not hidden)
    if of_class and class_condition is not None:
        conditions.append(class_condition)
    return conditions


def quotes_listing(
    session: Session, where: QuoteFilter, ordering: Ordering = RECENT_QUOTES
) -> Listing:
    """Quotes newest first (or in `ordering`); `search` matches words (stemmed), not
    substrings."""
    return Listing(sa.select(table_of(Quote)).where(*_quote_conditions(session, where)), ordering)


CONFIDENT_QUOTES = Ordering((table_of(Quote).c.confidence, table_of(Quote).c.id), descending=True)


def quote_search_listing(session: Session, text: str, where: QuoteFilter) -> Listing:
    """Quotes matching `text` by relevance, best first, narrowed by the other filters."""
    class_condition = _class_condition(where.classes)
    statement, ordering = search.ranked(
        session,
        text,
        _quote_conditions(session, where, of_class=False),
        () if class_condition is None else (class_condition,),
    )
    return Listing(statement, ordering)


# --- quotations -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuotationFilter:
    speaker: str | None = None
    speakers: tuple[str, ...] | None = None
    speaker_id: int | None = None
    since: datetime | None = None
    """Only quotations with an occurrence at or after this time."""
    until: datetime | None = None
    """Only quotations with an occurrence before this time."""
    min_occurrences: int | None = None


RECENT_QUOTATIONS = Ordering(
    (table_of(Quotation).c.last_seen, table_of(Quotation).c.id), descending=True
)


def quotations_listing(session: Session, where: QuotationFilter) -> Listing:
    """Quotations, most recently reported first."""
    quotation = table_of(Quotation)
    statement = sa.select(quotation)
    if where.speaker is not None:
        ids = speaker_ids_for_name(session, where.speaker)
        statement = statement.where(quotation.c.speaker_id.in_(ids))
    if where.speakers is not None:
        statement = statement.where(
            quotation.c.speaker_id.in_(_any_speaker(session, where.speakers))
        )
    if where.speaker_id is not None:
        statement = statement.where(quotation.c.speaker_id == where.speaker_id)
    if where.min_occurrences is not None:
        statement = statement.where(quotation.c.occurrences >= where.min_occurrences)
    if where.since is not None or where.until is not None:
        occurrence = table_of(QuotationOccurrence)
        window = [occurrence.c.quotation_id == quotation.c.id]
        if where.since is not None:
            statement = statement.where(quotation.c.last_seen >= as_utc(where.since))
            window.append(occurrence.c.sort_date >= as_utc(where.since))
        if where.until is not None:
            statement = statement.where(quotation.c.first_seen < as_utc(where.until))
            window.append(occurrence.c.sort_date < as_utc(where.until))
        statement = statement.where(sa.exists().where(*window))
    return Listing(statement, RECENT_QUOTATIONS)


def quotations_by_quote_ids(session: Session, ids: Sequence[int]) -> list[Any | None]:
    """The quotation of each quote (None for a quote without a speaker, or not speech)."""
    occurrence, quotation = table_of(QuotationOccurrence), table_of(Quotation)
    rows = session.execute(
        sa.select(quotation, occurrence.c.quote_id)
        .join(occurrence, occurrence.c.quotation_id == quotation.c.id)
        .where(occurrence.c.quote_id.in_(sorted(set(ids))))
    ).all()
    found = {row.quote_id: row for row in rows}
    return [found.get(i) for i in ids]


# --- articles and claims ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None


def _story_text() -> Any:
    # Only the story is searched: the dateline before it and site chrome after it are not.
    start = table_of(Article).c.body_start
    return sa.func.substr(table_of(Article).c.text, start + 1, table_of(Article).c.body_end - start)


def articles_listing(where: ArticleFilter) -> Listing:
    statement = sa.select(table_of(Article))
    if where.source is not None:
        statement = statement.where(
            sa.func.lower(table_of(Article).c.source) == where.source.lower()
        )
    if where.since is not None:
        statement = statement.where(table_of(Article).c.sort_date >= as_utc(where.since))
    if where.until is not None:
        statement = statement.where(table_of(Article).c.sort_date < as_utc(where.until))
    if where.search:
        statement = statement.where(
            sa.or_(
                _contains(table_of(Article).c.title, where.search),
                _contains(_story_text(), where.search),
            )
        )
    return Listing(statement, RECENT_ARTICLES)


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    claimant_id: int | None = None
    claimant: str | None = None
    article_id: int | None = None
    min_score: float | None = None
    search: str | None = None
    reviewed: bool | None = None
    source: str | None = None
    """The outlet (article source), any case."""
    since: datetime | None = None
    until: datetime | None = None


def claims_listing(session: Session, where: ClaimFilter) -> Listing:
    statement = sa.select(table_of(Claim))
    if where.source is not None:
        statement = statement.where(_from_source(table_of(Claim).c.article_id, where.source))
    if where.since is not None:
        statement = statement.where(table_of(Claim).c.sort_date >= as_utc(where.since))
    if where.until is not None:
        statement = statement.where(table_of(Claim).c.sort_date < as_utc(where.until))
    if where.claimant is not None:
        statement = statement.where(
            table_of(Claim).c.claimant_id.in_(speaker_ids_for_name(session, where.claimant))
        )
    if where.claimant_id is not None:
        statement = statement.where(table_of(Claim).c.claimant_id == where.claimant_id)
    if where.article_id is not None:
        statement = statement.where(table_of(Claim).c.article_id == where.article_id)
    if where.min_score is not None:
        statement = statement.where(table_of(Claim).c.score >= where.min_score)
    if where.search:
        statement = statement.where(search.claim_matches(session, where.search))
    if where.reviewed is not None:
        link = table_of(ReviewLink)
        has_review = sa.exists().where(
            link.c.claim_id == table_of(Claim).c.id, link.c.status.in_(SHOWN_STATUSES)
        )
        statement = statement.where(has_review if where.reviewed else ~has_review)
    return Listing(statement, RECENT_CLAIMS)


RECENT_REVIEWS = Ordering(
    (table_of(ClaimReview).c.sort_date, table_of(ClaimReview).c.id), descending=True
)


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    search: str | None = None
    reviewer: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    claim_id: int | None = None
    rating: str | None = None
    """The verdict in words (reviewRating.alternateName), any case."""
    publisher: str | None = None
    """The fact-checker's name, or the site its reviews are published on ("fullfact.org")."""


def _published_by(review: sa.Table, publisher: str) -> sa.ColumnElement[bool]:
    """Reviews by this fact-checker (its name, any case) or on this site: the host of the
    review's URL is the domain or a subdomain of it, as Fact Check Tools' site filter."""
    name = publisher.strip().lower()
    site = like_escape(name.removeprefix("https://").removeprefix("http://").strip("/"))
    url = sa.func.lower(sa.func.coalesce(review.c.url, review.c.reviewer_url, ""))
    hosts = [
        url.like(f"{scheme}://{sub}{site}{tail}", escape="\\")
        for scheme in ("http", "https")
        for sub in ("", "%.")
        for tail in ("", "/%")
    ]
    condition: sa.ColumnElement[bool] = sa.or_(sa.func.lower(review.c.reviewer) == name, *hosts)
    return condition


def reviews_listing(session: Session, where: ReviewFilter) -> Listing:
    """Fact-checks, newest first (by their publication date, else their import)."""
    review = table_of(ClaimReview)
    statement = sa.select(review)
    if where.rating is not None:
        statement = statement.where(sa.func.lower(review.c.rating) == where.rating.lower())
    if where.publisher is not None:
        statement = statement.where(_published_by(review, where.publisher))
    if where.search:
        statement = statement.where(search.review_matches(session, where.search))
    if where.reviewer is not None:
        statement = statement.where(sa.func.lower(review.c.reviewer) == where.reviewer.lower())
    if where.since is not None:
        statement = statement.where(review.c.sort_date >= as_utc(where.since))
    if where.until is not None:
        statement = statement.where(review.c.sort_date < as_utc(where.until))
    return Listing(statement, RECENT_REVIEWS)


def article_by_url(session: Session, url: str) -> Article | None:
    return session.exec(select(Article).where(Article.url == url.strip())).first()


# --- batched loads (one query per batch, for DataLoaders) -------------------------------------


# The batched loads run on every request: their statements are built once (an expanding
# parameter takes the ids), which spares SQLAlchemy the construction and keeps its cache warm.
IDS: sa.BindParameter[Any] = sa.bindparam("ids", expanding=True)


@cache
def _by_ids(table: sa.Table) -> sa.Select[Any]:
    return sa.select(table).where(table.c.id.in_(IDS))


def by_ids(session: Session, model: type[Any], ids: Sequence[int]) -> list[Any | None]:
    """Records of `model` for `ids`, in the same order, None where absent."""
    rows = session.execute(_by_ids(table_of(model)), {"ids": sorted(set(ids))}).all()
    found = {row.id: row for row in rows}
    return [found.get(i) for i in ids]


def _grouped(rows: Sequence[Any], attribute: str, keys: Sequence[int]) -> list[list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, attribute)].append(row)
    return [groups.get(k, []) for k in keys]


def children(
    session: Session,
    model: type[Any],
    parent: str,
    ids: Sequence[int],
    order: str,
    joined: Sequence[ToOne] = (),
    only: tuple[str, tuple[str, ...]] | None = None,
) -> tuple[list[list[Any]], list[list[Any]]]:
    """For each parent id, the records of `model` pointing at it by column `parent`, in
    `order` (those whose column only[0] holds one of only[1], when given); and the `joined`
    to-one relations' records of those rows (one statement)."""
    join = _children(table_of(model), parent, order, tuple(joined), only)
    rows = session.execute(join.statement, {"ids": sorted(set(ids))}).all()
    return _grouped(rows, parent, ids), join.records(rows)


@cache
def _children(
    table: sa.Table,
    parent: str,
    order: str,
    joined: tuple[ToOne, ...],
    only: tuple[str, tuple[str, ...]] | None = None,
) -> Joined:
    statement = sa.select(table).where(table.c[parent].in_(IDS))
    if only is not None:
        statement = statement.where(table.c[only[0]].in_(only[1]))
    return join_to_one(statement.order_by(table.c[order]), joined)


@dataclass(frozen=True, slots=True)
class Children:
    """A to-many relation read in batches: the records of `model` whose column `parent`
    points at each of the given ids, in `order`. Called as a DataLoader batch function."""

    model: type[Any]
    parent: str
    order: str
    only: tuple[str, tuple[str, ...]] | None = None
    """(column, values): only the records whose column holds one of the values."""

    def __call__(self, session: Session, ids: Sequence[int]) -> list[list[Any]]:
        return self.with_joined(session, ids, ())[0]

    def with_joined(
        self, session: Session, ids: Sequence[int], joined: Sequence[ToOne]
    ) -> tuple[list[list[Any]], list[list[Any]]]:
        return children(session, self.model, self.parent, ids, self.order, joined, self.only)


@cache
def quotes_by_article_ids_of(classes: tuple[str, ...]) -> Children:
    """Each article's quotes of these attribution classes, in order."""
    kept = tuple(sorted(set(classes)))
    if set(kept) >= set(ATTRIBUTION_CLASSES):
        return Children(Quote, "article_id", "position")
    return Children(Quote, "article_id", "position", only=("attribution_class", kept))


quotes_by_article_ids = quotes_by_article_ids_of(DEFAULT_CLASSES)
fragments_by_quote_ids = Children(QuoteFragment, "quote_id", "position")
claims_by_article_ids = Children(Claim, "article_id", "position")
claims_by_quote_ids = Children(Claim, "quote_id", "position")


@dataclass(frozen=True, slots=True)
class LinkedReviews(Children):
    """Each claim's reviews through review_link, with the link's claim_id, score, method and
    status on each row; `statuses` says which links count."""

    statuses: tuple[str, ...] = SHOWN_STATUSES

    def with_joined(
        self, session: Session, ids: Sequence[int], joined: Sequence[ToOne]
    ) -> tuple[list[list[Any]], list[list[Any]]]:
        rows = session.execute(_linked_reviews(self.statuses), {"ids": sorted(set(ids))}).all()
        return _grouped(rows, "claim_id", ids), [[] for _ in joined]


@cache
def _linked_reviews(statuses: tuple[str, ...]) -> sa.Select[Any]:
    review, link = table_of(ClaimReview), table_of(ReviewLink)
    # Editors' confirmations first, then the matcher's links, best first.
    confirmed_first = sa.case((link.c.status == "confirmed", 0), else_=1)
    return (
        sa.select(
            review,
            link.c.claim_id,
            link.c.score.label("link_score"),
            link.c.method.label("link_method"),
            link.c.status.label("link_status"),
            link.c.decided_at.label("link_decided_at"),
        )
        .join(link, link.c.review_id == review.c.id)
        .where(link.c.claim_id.in_(IDS), link.c.status.in_(statuses))
        .order_by(link.c.claim_id, confirmed_first, link.c.score.desc(), review.c.id)
    )


_LINKS_OF_REVIEWS = (
    sa.select(table_of(ReviewLink))
    .where(table_of(ReviewLink).c.review_id.in_(IDS))
    .order_by(
        table_of(ReviewLink).c.review_id,
        sa.case((table_of(ReviewLink).c.status == "confirmed", 0), else_=1),
        table_of(ReviewLink).c.score.desc(),
        table_of(ReviewLink).c.claim_id,
    )
)


def links_by_review_ids(session: Session, ids: Sequence[int]) -> list[list[Any]]:
    """Every link of each review (all statuses), editors' confirmations first, best first."""
    rows = session.execute(_LINKS_OF_REVIEWS, {"ids": sorted(set(ids))}).all()
    return _grouped(rows, "review_id", ids)


reviews_by_claim_ids = LinkedReviews(ClaimReview, "claim_id", "id")
suggested_reviews_by_claim_ids = LinkedReviews(
    ClaimReview, "claim_id", "id", statuses=("suggested",)
)
aliases_by_speaker_ids = Children(SpeakerAlias, "speaker_id", "id")


def _first_quotes() -> sa.Select[Any]:
    first_quote = (
        select(
            table_of(Quote).c.article_id,
            table_of(Quote).c.speaker_id,
            sa.func.min(table_of(Quote).c.position).label("first"),
        )
        .where(
            table_of(Quote).c.article_id.in_(IDS),
            table_of(Quote).c.speaker_id.is_not(None),
            table_of(Quote).c.attribution_class.in_(DEFAULT_CLASSES),
        )
        .group_by(table_of(Quote).c.article_id, table_of(Quote).c.speaker_id)
        .subquery()
    )
    speaker = table_of(Speaker)
    return (
        sa.select(first_quote.c.article_id.label("of_article"), speaker)
        .join(speaker, speaker.c.id == first_quote.c.speaker_id)
        .order_by(first_quote.c.article_id, first_quote.c.first)
    )


_FIRST_QUOTES = _first_quotes()
# The maintained counters (app.services.counters), not a count of each speaker's history.
_QUOTE_COUNTS = sa.select(
    table_of(SpeakerQuoteCount).c.speaker_id, table_of(SpeakerQuoteCount).c.quotes
).where(table_of(SpeakerQuoteCount).c.speaker_id.in_(IDS))


def speakers_by_article_ids(session: Session, ids: Sequence[int]) -> list[list[Any]]:
    """Each article's speakers, in order of their first quote (of the default classes)."""
    rows = session.execute(_FIRST_QUOTES, {"ids": sorted(set(ids))}).all()
    return _grouped(rows, "of_article", ids)


def quote_counts_by_speaker_ids(session: Session, ids: Sequence[int]) -> list[int]:
    """Each speaker's number of quotes of the default classes (speech)."""
    rows = session.execute(_QUOTE_COUNTS, {"ids": sorted(set(ids))}).all()
    counts = {speaker_id: int(n) for speaker_id, n in rows}
    return [counts.get(i, 0) for i in ids]
