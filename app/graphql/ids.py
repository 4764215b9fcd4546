"""Global IDs ("Quote:42" in base64) and opaque cursors, decoded with coded errors."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from app.services.errors import InvalidInput
from app.services.pagination import SortKey


def encode_global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def decode_global_id(
    value: str, expected: str | None = None, *, field: str = "id"
) -> tuple[str, int]:
    """(type name, primary key) of a global ID; BAD_USER_INPUT when malformed or of another type."""
    try:
        type_name, _, pk = base64.b64decode(value.encode(), validate=True).decode().partition(":")
        number = int(pk)
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidInput(
            f"{value!r} is not a quotegraph ID; use the `id` field of a node as it was returned.",
            field=field,
        ) from None
    if not type_name or number < 1:
        raise InvalidInput(f"{value!r} is not a quotegraph ID.", field=field)
    if expected is not None and type_name != expected:
        raise InvalidInput(
            f"The ID {value!r} belongs to a {type_name}, but a {expected} ID is needed here.",
            field=field,
        )
    return type_name, number


def encode_cursor(listing: str, key: SortKey) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    return base64.urlsafe_b64encode(json.dumps([listing, *values]).encode()).decode()


def decode_cursor(value: str, listing: str, kinds: tuple[type, ...], *, field: str) -> SortKey:
    """The sort key inside a cursor made by encode_cursor for the same listing."""
    try:
        decoded: Any = json.loads(base64.urlsafe_b64decode(value.encode()).decode())
        if not isinstance(decoded, list) or len(decoded) != len(kinds) + 1:
            raise ValueError(value)
        owner, *raw = decoded
        key = tuple(_parse(item, kind) for item, kind in zip(raw, kinds, strict=True))
    except (binascii.Error, UnicodeError, ValueError, TypeError):
        raise InvalidInput(
            f"{value!r} is not a valid cursor; pass `endCursor` or `startCursor` from a previous "
            "page unchanged.",
            field=field,
        ) from None
    if owner != listing:
        raise InvalidInput(
            f"This cursor comes from a list of {owner}, not of {listing}.", field=field
        )
    return key


def _parse(item: Any, kind: type) -> Any:
    if kind is datetime:
        if not isinstance(item, str):
            raise ValueError(item)
        return datetime.fromisoformat(item)
    if kind is int:
        if not isinstance(item, int) or isinstance(item, bool):
            raise ValueError(item)
        return item
    if not isinstance(item, kind) or (isinstance(item, str) and "\x00" in item):
        raise ValueError(item)
    return item
