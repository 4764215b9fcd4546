"""Keyset pagination: pages bounded by row-value comparisons on an indexed sort key, no OFFSET."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import table_of
from app.services.errors import InvalidInput

T = TypeVar("T")
SortKey = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Relay-style window: `first` after a key, or `last` before a key."""

    first: int | None = None
    after: SortKey | None = None
    last: int | None = None
    before: SortKey | None = None

    def validate(self, max_page_size: int, default_size: int = 20) -> PageRequest:
        for name, value in (("first", self.first), ("last", self.last)):
            if value is not None and value < 0:
                raise InvalidInput(f"`{name}` must be zero or more, not {value}.", field=name)
            if value is not None and value > max_page_size:
                raise InvalidInput(
                    f"`{name}` may be at most {max_page_size}; ask for the next page with "
                    f"the `after` cursor instead.",
                    field=name,
                )
        if self.first is not None and self.last is not None:
            raise InvalidInput("Pass either `first` or `last`, not both.", field="last")
        if self.first is None and self.last is None:
            return PageRequest(default_size, self.after, None, self.before)
        return self


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: Sequence[T]
    has_next_page: bool
    has_previous_page: bool
    joined: Sequence[Sequence[Any]] = ()
    """For each ToOne asked for, the related record of each row (None where there is none)."""


@dataclass(frozen=True, slots=True)
class ToOne:
    """A to-one relation fetched in the page's own statement (a LEFT JOIN on the related
    table's primary key): the listed table's model, its foreign key, the related model."""

    listed: type[Any]
    foreign_key: str
    model: type[Any]


@cache
def _record_type(table: sa.Table) -> Any:
    """A light record class with the table's column names (what table rows look like)."""
    return namedtuple(f"{table.name}_record", [c.name for c in table.c], rename=True)


@dataclass(frozen=True, slots=True)
class Joined:
    """A statement with to-one relations joined in, and how to read their records back."""

    statement: sa.Select[Any]
    spans: tuple[tuple[int, int, Any], ...]

    def records(self, rows: Sequence[Any]) -> list[list[Any]]:
        """For each relation, the related record of each row (None where there is none)."""
        return [
            [None if row[start] is None else record._make(row[start:end]) for row in rows]
            for start, end, record in self.spans
        ]


def join_to_one(statement: sa.Select[Any], joined: Sequence[ToOne]) -> Joined:
    """`statement` with each relation LEFT JOINed on the related table's primary key and its
    columns added after the statement's own."""
    width = len(statement.selected_columns)
    spans = []
    for number, relation in enumerate(joined):
        target = _joined_table(number, table_of(relation.model))
        key = table_of(relation.listed).c[relation.foreign_key]
        # The alias as one columns-clause element: all its columns in order, coerced once (the
        # records are read back by position, so their labels do not matter).
        statement = statement.outerjoin(target, target.c.id == key).add_columns(target)
        size = len(target.c)
        spans.append((width, width + size, _record_type(table_of(relation.model))))
        width += size
    return Joined(statement, tuple(spans))


@cache
def _joined_table(number: int, table: sa.Table) -> Any:
    """The related table under its alias in a join."""
    return table.alias(f"joined_{number}")


@dataclass(frozen=True, slots=True)
class Ordering:
    """The sort key of a listing: its columns and whether the listing runs newest/highest first."""

    columns: tuple[Any, ...]  # ORM attributes or column expressions
    descending: bool

    def order_by(self, *, reverse: bool = False) -> list[sa.ColumnElement[Any]]:
        down = self.descending != reverse
        return [c.desc() if down else c.asc() for c in self.columns]

    def beyond(self, key: SortKey, *, reverse: bool = False) -> sa.ColumnElement[bool]:
        """Rows strictly after `key` in listing order (strictly before it when reverse)."""
        if len(key) != len(self.columns):
            raise InvalidInput("The cursor does not belong to this list.", field="after")
        row = sa.tuple_(*self.columns)
        values = sa.tuple_(
            *(sa.literal(v, type_=c.type) for v, c in zip(key, self.columns, strict=True))
        )
        return row < values if self.descending != reverse else row > values


def fetch_page(
    session: Session,
    statement: sa.Select[Any],
    ordering: Ordering,
    request: PageRequest,
    joined: Sequence[ToOne] = (),
) -> Page[Any]:
    """Run `statement` (already filtered) for one page; one query, size+1 rows to see if more,
    with the `joined` relations' records from the same query."""
    join = join_to_one(statement, joined)
    statement = join.statement
    if request.after is not None:
        statement = statement.where(ordering.beyond(request.after))
    if request.before is not None:
        statement = statement.where(ordering.beyond(request.before, reverse=True))
    backwards = request.first is None and request.last is not None
    size = request.last if backwards else request.first
    assert size is not None  # PageRequest.validate fills a default
    statement = statement.order_by(*ordering.order_by(reverse=backwards)).limit(size + 1)
    rows = list(session.exec(statement).all())  # type: ignore[call-overload]
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    related = join.records(rows)
    if backwards:
        return Page(rows, request.before is not None, more, related)
    return Page(rows, more, request.after is not None, related)


def count_rows(session: Session, statement: sa.Select[Any]) -> int:
    counted = sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    return int(session.execute(counted).scalar_one())
