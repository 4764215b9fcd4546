"""Relay cursor connections over keyset pages: edges, pageInfo and a lazily counted totalCount."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import strawberry
from sqlmodel import Session
from strawberry.relay import PageInfo

from app.db.models import as_utc
from app.graphql.ids import decode_cursor, encode_cursor
from app.services.pagination import PageRequest
from app.services.queries import Listing

T = TypeVar("T")


@strawberry.type(description="An item in a connection, with the cursor that points at it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque cursor: pass it as `after` or `before`.")
    node: T = strawberry.field(description="The item.")


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
class ListingSpec:
    """How a listing's cursors look: its name and the Python types of its sort key."""

    name: str
    key_types: tuple[type, ...]
    key: Callable[[Any], tuple[Any, ...]]


RECENT = (datetime, int)
QUOTES = ListingSpec("quotes", RECENT, lambda q: (as_utc(q.sort_date), q.id))
ARTICLES = ListingSpec("articles", RECENT, lambda a: (as_utc(a.sort_date), a.id))
CLAIMS = ListingSpec("claims", RECENT, lambda c: (as_utc(c.sort_date), c.id))
SPEAKERS = ListingSpec("speakers", (str, int), lambda s: (s.name_key, s.id))


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
    spec: ListingSpec,
    make_listing: Callable[[Session], Listing],
    convert: Callable[[Any], T],
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[T]:
    """One page of a listing as a Connection; totalCount runs its COUNT only when asked for."""
    context = info.context
    request = page_request(
        spec, context.settings.max_page_size, first=first, after=after, last=last, before=before
    )

    def fetch(session: Session) -> tuple[Listing, Any]:
        listing = make_listing(session)
        return listing, listing.page(session, request)

    listing, page = await context.run(fetch)
    edges = [
        Edge(cursor=encode_cursor(spec.name, spec.key(row)), node=convert(row)) for row in page.rows
    ]

    async def count() -> int:
        return int(await context.run(listing.count))

    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count=count,
    )


RELEVANCE = ListingSpec("search", (float, int), lambda row: (float(row[1]), row[0].id))
