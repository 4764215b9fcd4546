"""Response cache for read queries: stored bytes keyed by the normalised request, valid while the
database's write stamp is unchanged (so a write in any worker invalidates every worker's copy)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse, print_ast
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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


class ResponseCacheMiddleware:
    """ASGI middleware in front of the GraphQL endpoint: a repeated read is answered from
    stored bytes before any routing, context or execution; other requests pass through and
    successful reads are stored on the way out."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        cache: ResponseCache,
        read_stamp: Callable[[], int],
        permission: Callable[[str | None], Awaitable[str | None]],
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.cache = cache
        self.read_stamp = read_stamp
        self.permission = permission
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"].rstrip("/") != self.path
        ):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        replayed = replay(body)
        key = await self._key(scope, body)
        if key is None:
            await self.app(scope, replayed, send)
            return
        # Read every time, never remembered: a write committed by any worker on any machine
        # changes it, so nothing stored before that write can be served after it.
        stamp = self.read_stamp()
        cached = self.cache.get(key, stamp)
        if cached is not None:
            await send_json(send, cached)
            return
        # The GraphQL view marks a result without errors as cacheable in the request state.
        state = scope.setdefault("state", {})
        status = 0
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, replayed, capture)
        if status == 200 and state.get("cacheable"):
            self.cache.put(key, stamp, b"".join(chunks))

    async def _key(self, scope: Scope, body: bytes) -> str | None:
        payload = json_object(body)
        if payload is None:
            return None
        authorization = dict(scope["headers"]).get(b"authorization")
        permission = await self.permission(
            authorization.decode("latin-1") if authorization else None
        )
        return None if permission is None else cache_key(payload, permission)


def json_object(body: bytes) -> dict[str, Any] | None:
    """The request body as a JSON object, or None when it is anything else."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return payload if isinstance(payload, dict) else None


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def send_json(send: Send, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
