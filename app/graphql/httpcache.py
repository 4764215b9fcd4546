"""Queries over HTTP GET that browsers and CDNs can cache: an ETag from the database's write
stamp, the operation, its variables and the caller's scope; Cache-Control; 304 Not Modified."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import orjson
from anyio import to_thread
from graphql import GraphQLError, OperationType
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.graphql.cache import normalised_read, replay
from app.graphql.documents import Documents
from app.graphql.ratelimit import chosen_operation


def entity_tag(
    salt: str,
    stamp: int,
    normalised: bytes,
    operation_name: str | None,
    variables: dict[str, Any],
    caller: str,
) -> str:
    """A strong ETag: the same for every worker that serves the same data to the same caller."""
    material = orjson.dumps(
        [salt, stamp, normalised.hex(), operation_name, variables, caller],
        option=orjson.OPT_SORT_KEYS,
    )
    return '"' + hashlib.sha256(material).hexdigest()[:40] + '"'


def matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110's weak comparison of an If-None-Match list with our tag."""
    if if_none_match.strip() == "*":
        return True
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate.startswith("W/"):
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


class HttpGetCacheMiddleware:
    """ASGI middleware inside the rate limits, outside the response cache. A GET with a query
    operation is answered as the same POST would be (so the response cache and the lean path
    serve it too), with `ETag` and `Cache-Control` when the answer is cacheable; a GET whose
    If-None-Match names the current tag gets 304 without running anything. Anything else (a
    mutation, a text that does not parse, bad variables) goes to the router unchanged, which
    refuses it as before."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        documents: Documents,
        read_stamp: Callable[[], int],
        salt: str,
        max_age_s: int,
        known_key: Callable[[str], Awaitable[bool]] | None,
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.documents = documents
        self.read_stamp = read_stamp
        self.salt = salt
        self.max_age_s = max_age_s
        # None when reads are public; otherwise whether a bearer token is a live key (a 304
        # must not tell a caller whose key was revoked that its copy is still current).
        self.known_key = known_key
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = self._read_request(scope)
        if request is None:
            await self.app(scope, receive, send)
            return
        query, operation_name, variables = request
        try:
            parsed = self.documents.parse(query)
        except GraphQLError:
            await self.app(scope, receive, send)
            return
        operation = chosen_operation(parsed.document, operation_name)
        normalised = normalised_read(parsed)
        if operation is None or operation.operation is not OperationType.QUERY or not normalised:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        caller = "public"
        if authorization:
            caller = "key:" + hashlib.sha256(authorization.encode("latin-1")).hexdigest()
            if self.known_key is not None and not await self.known_key(authorization):
                caller = ""  # refused by the router; never tagged
        stamp = await to_thread.run_sync(self.read_stamp)
        etag = entity_tag(self.salt, stamp, normalised, operation_name, variables, caller)
        cache_headers = [
            (b"etag", etag.encode()),
            (
                b"cache-control",
                f"{'private' if authorization else 'public'}, max-age={self.max_age_s}".encode(),
            ),
            (b"vary", b"Authorization"),
        ]
        if_none_match = headers.get(b"if-none-match")
        if caller and if_none_match is not None and matches(if_none_match.decode("latin-1"), etag):
            await send({"type": "http.response.start", "status": 304, "headers": cache_headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = orjson.dumps(
            {"query": query, "operationName": operation_name, "variables": variables}
        )
        state = scope.setdefault("state", {})
        as_post = {
            **scope,
            "method": "POST",
            "query_string": b"",
            "headers": [
                *(
                    (k, v)
                    for k, v in scope.get("headers") or ()
                    if k not in (b"content-type", b"content-length")
                ),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }

        async def tagging(message: Message) -> None:
            if message["type"] == "http.response.start":
                cacheable = caller and message["status"] == 200 and state.get("cacheable")
                extra = cache_headers if cacheable else [(b"cache-control", b"no-store")]
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await self.app(as_post, replay(body), tagging)

    def _read_request(self, scope: Scope) -> tuple[str, str | None, dict[str, Any]] | None:
        """(query, operation name, variables) of a GET with a query; None for anything else."""
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"].rstrip("/") != self.path
        ):
            return None
        params = dict(
            parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        )
        query = params.get("query")
        if not query:
            return None
        variables: Any = {}
        if params.get("variables"):
            try:
                variables = orjson.loads(params["variables"])
            except orjson.JSONDecodeError:
                return None
        if variables is None:
            variables = {}
        if not isinstance(variables, dict):
            return None
        return query, params.get("operationName") or None, variables
