"""Response cache for read queries: stored bytes keyed by the normalised request, valid while the
database's write stamp is unchanged (so a write in any worker invalidates every worker's copy)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse, print_ast


@lru_cache(maxsize=1024)
def normalised_read(query: str) -> str | None:
    """The query printed canonically (whitespace, commas and comments gone), or None when the
    document holds anything but queries, or does not parse (those are never cached)."""
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return None
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            definition.operation is not OperationType.QUERY
        ):
            return None
    return print_ast(document)


def cache_key(body: dict[str, Any], permission: str) -> str | None:
    """Key of a POSTed GraphQL body for a caller with `permission`, or None if not cacheable."""
    query = body.get("query")
    if not isinstance(query, str):
        return None
    normalised = normalised_read(query)
    if normalised is None:
        return None
    variables = body.get("variables") or {}
    operation = body.get("operationName")
    if not isinstance(variables, dict) or not isinstance(operation, (str, type(None))):
        return None
    material = orjson.dumps(
        [normalised, variables, operation, permission], option=orjson.OPT_SORT_KEYS
    )
    return hashlib.sha256(material).hexdigest()


class ResponseCache:
    """A least-recently-used map of key -> (write stamp, response bytes), bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, tuple[int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, stamp: int) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] != stamp:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, stamp: int, body: bytes) -> None:
        if len(body) > self.max_bytes // 4:
            return  # one huge response must not flush everything else
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (stamp, body)
            self.size += len(body)
            while self.size > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        _, body = self._entries.pop(key)
        self.size -= len(body)

    def __len__(self) -> int:
        return len(self._entries)
