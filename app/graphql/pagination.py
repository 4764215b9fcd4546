"""Relay cursor connections over keyset pages: edges, pageInfo and a lazily counted totalCount."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from sqlmodel import Session
from strawberry.relay import PageInfo
from strawberry.types.nodes import FragmentSpread, InlineFragment

from app.db.models import Article, Claim, Quote, Speaker, as_utc
from app.graphql.ids import decode_cursor, encode_cursor
from app.services.pagination import PageRequest, ToOne
from app.services.queries import Listing

T = TypeVar("T")

# The arguments every list takes, documented once.
First = Annotated[int | None, strawberry.argument(description="Page size, forwards (max 100).")]
After = Annotated[str | None, strawberry.argument(description="Cursor to continue after.")]
Last = Annotated[int | None, strawberry.argument(description="Page size, backwards (max 100).")]
Before = Annotated[str | None, strawberry.argument(description="Cursor to continue before.")]
Since = Annotated[
    datetime | None,
    strawberry.argument(description="Only items from articles published at or after this time."),
]
Until = Annotated[
    datetime | None,
    strawberry.argument(description="Only items from articles published before this time."),
]
# Who said it, as the lists that filter by speaker take it.
SpeakerName = Annotated[
    str | None,
    strawberry.argument(description="Name or alias of the speaker, ignoring case and accents."),
]
SpeakerId = Annotated[
    strawberry.ID | None, strawberry.argument(description="Global ID of the speaker.")
]


@strawberry.type(description="An item in a connection, with the cursor that points at it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        # Made when asked for: most clients read only pageInfo's cursors.
        resolver=lambda root: encode_cursor(root._listing, root._key),
        description="Opaque cursor: pass it as `after` or `before`.",
    )
    node: T = strawberry.field(description="The item.")
    _listing: strawberry.Private[str]
    _key: strawberry.Private[tuple[Any, ...]]


@strawberry.type(description="One page of a list, Relay style: edges, page info and the total.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the whole list.")
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds (all pages together).")
    async def total_count(self) -> int:
        return await self._count()

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


@dataclass(frozen=True, slots=True)
class Relation:
    """A to-one relation of a listed row that the page fetches in its own statement: the
    GraphQL field, the loader it primes, and the join (listed model, foreign key, related)."""

    field: str
    loader: str
    join: ToOne


def _fields_below(selections: list[Any], path: tuple[str, ...]) -> set[str]:
    """Names of the fields selected at `path` (e.g. ("edges", "node")), through fragments."""
    found: set[str] = set()
    for selection in selections:
        inner = getattr(selection, "selections", None) or []
        if isinstance(selection, (FragmentSpread, InlineFragment)):
            found |= _fields_below(inner, path)
        elif not path:
            found.add(selection.name)
        elif selection.name == path[0]:
            found |= _fields_below(inner, path[1:])
    return found


@dataclass(frozen=True, slots=True)
class ListingSpec:
    """How a listing's cursors look: its name and the Python types of its sort key."""

    name: str
    key_types: tuple[type, ...]
    key: Callable[[Any], tuple[Any, ...]]
    relations: tuple[Relation, ...] = ()


QUOTE_RELATIONS = (
    Relation("speaker", "speaker", ToOne(Quote, "speaker_id", Speaker)),
    Relation("article", "article", ToOne(Quote, "article_id", Article)),
)
CLAIM_RELATIONS = (
    Relation("claimant", "speaker", ToOne(Claim, "claimant_id", Speaker)),
    Relation("quote", "quote", ToOne(Claim, "quote_id", Quote)),
    Relation("article", "article", ToOne(Claim, "article_id", Article)),
)
RECENT = (datetime, int)
QUOTES = ListingSpec(
    "quotes", RECENT, lambda q: (as_utc(q.sort_date), q.id), relations=QUOTE_RELATIONS
)
ARTICLES = ListingSpec("articles", RECENT, lambda a: (as_utc(a.sort_date), a.id))
CLAIMS = ListingSpec(
    "claims", RECENT, lambda c: (as_utc(c.sort_date), c.id), relations=CLAIM_RELATIONS
)
REVIEWS = ListingSpec("reviews", RECENT, lambda r: (as_utc(r.sort_date), r.id))
SPEAKERS = ListingSpec("speakers", (str, int), lambda s: (s.name_key, s.id))
RELEVANCE = ListingSpec(
    "search", (float, int), lambda row: (float(row.rank), row.id), relations=QUOTE_RELATIONS
)
# Other orders of the same rows: their own cursor names, so a cursor of one order is refused
# by another.
QUOTES_BY_CONFIDENCE = ListingSpec(
    "quotesByConfidence",
    (float, int),
    lambda q: (float(q.confidence), q.id),
    relations=QUOTE_RELATIONS,
)
SPEAKERS_BY_QUOTES = ListingSpec(
    "speakersByQuoteCount", (int, int), lambda s: (s.quote_count, s.id)
)
QUOTATIONS = ListingSpec("quotations", RECENT, lambda q: (as_utc(q.last_seen), q.id))


@dataclass(frozen=True, slots=True)
class Source:
    """What a list field pages over: its cursor spec, the listing (built with the request's
    session) and how a row becomes a GraphQL object. The Strawberry resolvers and the lean
    read path (app.graphql.lean) build their pages from the same Source."""

    spec: ListingSpec
    listing: Callable[[Session], Listing]
    convert: Callable[[Any], Any]


def page_request(
    spec: ListingSpec,
    max_page_size: int,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageRequest:
    """Check page arguments and decode cursors; coded errors for anything wrong."""
    return PageRequest(
        first=first,
        after=None
        if after is None
        else decode_cursor(after, spec.name, spec.key_types, field="after"),
        last=last,
        before=None
        if before is None
        else decode_cursor(before, spec.name, spec.key_types, field="before"),
    ).validate(max_page_size)


async def connection(
    info: Any,
    source: Source,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    """One page of a listing as a Connection, in one trip to the database: the rows, the
    to-one relations the query selects on them (primed into the loaders) and, if selected,
    totalCount."""
    context = info.context
    spec, make_listing, convert = source.spec, source.listing, source.convert
    request = page_request(
        spec, context.settings.max_page_size, first=first, after=after, last=last, before=before
    )
    selected = _fields_below(info.selected_fields, ())
    on_node = _fields_below(info.selected_fields, ("edges", "node")) | _fields_below(
        info.selected_fields, ("nodes",)
    )
    wanted = [relation for relation in spec.relations if relation.field in on_node]

    def fetch(session: Session) -> tuple[Listing, Any, int | None]:
        listing = make_listing(session)
        page = listing.page(session, request, [relation.join for relation in wanted])
        total = listing.count(session) if "totalCount" in selected else None
        return listing, page, total

    listing, page, total = await context.run(fetch)
    for relation, records in zip(wanted, page.joined, strict=True):
        loader = getattr(context.loaders, relation.loader)
        for record in records:
            if record is not None:
                loader.prime(record.id, record)

    async def count() -> int:
        return total if total is not None else int(await context.run(listing.count))

    return assemble(spec, page, convert, count)


def assemble(
    spec: ListingSpec, page: Any, convert: Callable[[Any], Any], count: Callable[[], Any]
) -> Connection[Any]:
    """A Connection from a fetched page: edges with their cursors, and pageInfo."""
    edges = [Edge(_listing=spec.name, _key=spec.key(row), node=convert(row)) for row in page.rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=encode_cursor(spec.name, edges[0]._key) if edges else None,
            end_cursor=encode_cursor(spec.name, edges[-1]._key) if edges else None,
        ),
        _count=count,
    )
