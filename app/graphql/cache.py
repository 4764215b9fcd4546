"""Response cache for read queries: stored bytes keyed by the normalised request, valid while the
database's write stamp is unchanged (so a write in any worker invalidates every worker's copy)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType, print_ast
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.http.parse_content_type import parse_content_type

from app.graphql.documents import Documents, Parsed


def normalised_read(parsed: Parsed) -> bytes | None:
    """Digest of the document printed canonically (whitespace, commas and comments gone), or
    None when it holds anything but queries (never cached). Worked out once per document."""
    memo = parsed.memo
    if "normalised" not in memo:
        reads = all(
            definition.operation is OperationType.QUERY
            for definition in parsed.document.definitions
            if isinstance(definition, OperationDefinitionNode)
        )
        memo["normalised"] = (
            hashlib.sha256(print_ast(parsed.document).encode()).digest() if reads else None
        )
    normalised: bytes | None = memo["normalised"]
    return normalised


def cache_key(body: dict[str, Any], permission: str, documents: Documents) -> bytes | None:
    """Key of a POSTed GraphQL body for a caller with `permission`, or None if not cacheable.
    A digest: neither the query text nor the variables are kept."""
    query = body.get("query")
    variables = body.get("variables") or {}
    operation = body.get("operationName")
    if (
        not isinstance(query, str)
        or not isinstance(variables, dict)
        or not isinstance(operation, (str, type(None)))
    ):
        return None
    try:
        # Bounded: the size and token limits apply before the parser runs.
        parsed = documents.parse(query)
    except GraphQLError:
        return None
    normalised = normalised_read(parsed)
    if normalised is None:
        return None
    material = orjson.dumps(
        [normalised.hex(), variables, operation, permission], option=orjson.OPT_SORT_KEYS
    )
    return hashlib.sha256(material).digest()


def accepted_json_post(scope: Scope, path: str) -> bool:
    """Whether the request is a POST that the GraphQL router reads as one JSON operation and
    answers with one JSON body: the only requests a stored answer may stand in for."""
    if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != path:
        return False
    headers = dict(scope.get("headers") or ())
    try:
        mime, _ = parse_content_type(headers.get(b"content-type", b"").decode("latin-1"))
    except (AssertionError, ValueError):
        return False
    # The router's own test (strawberry.http.async_base_view.parse_http_body).
    if "application/json" not in mime:
        return False
    # A client asking for a stream (incremental delivery, server-sent events) gets another
    # format from the router.
    accept = headers.get(b"accept", b"").decode("latin-1").lower()
    return "multipart/mixed" not in accept and "text/event-stream" not in accept


# Memory an entry takes besides the bytes of its key and body, measured with tracemalloc
# (tests/test_cache.py checks the bound that way): the bytes and int objects' headers, the
# tuple, the OrderedDict's hash slot and linked-list node.
ENTRY_OVERHEAD = 320


def entry_size(key: bytes, body: bytes) -> int:
    return len(key) + len(body) + ENTRY_OVERHEAD


class ResponseCache:
    """A least-recently-used map of key -> (write stamp, response bytes), bounded in bytes:
    the whole of each entry is counted (key, body and bookkeeping), not the body alone."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes, stamp: int) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] != stamp:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: bytes, stamp: int, body: bytes) -> None:
        size = entry_size(key, body)
        if size > self.max_bytes // 4:
            return  # one huge response must not flush everything else
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (stamp, body)
            self.size += size
            while self.size > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: bytes) -> None:
        _, body = self._entries.pop(key)
        self.size -= entry_size(key, body)

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
        documents: Documents,
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.documents = documents
        self.cache = cache
        self.read_stamp = read_stamp
        self.permission = permission
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not accepted_json_post(scope, self.path):
            # Not for the cache: the router answers it (or refuses it) on its own.
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
        # The GraphQL view marks a result without errors as cacheable in the request state
        # (and a stored answer is one: HTTP caching outside reads the mark too).
        state = scope.setdefault("state", {})
        if cached is not None:
            state["cacheable"] = True
            await send_json(send, cached)
            return
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

    async def _key(self, scope: Scope, body: bytes) -> bytes | None:
        payload = json_object(body)
        if payload is None:
            return None
        authorization = dict(scope["headers"]).get(b"authorization")
        permission = await self.permission(
            authorization.decode("latin-1") if authorization else None
        )
        return None if permission is None else cache_key(payload, permission, self.documents)


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
