"""Persisted operations: Apollo's automatic persisted queries (a query sent once, then by its
SHA-256 hash) and a manifest of operations registered at start-up; with persisted_only, only the
manifest's operations run, so a production deployment answers its own front end and nothing else."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    Node,
    OperationDefinitionNode,
    parse,
    print_ast,
)
from starlette.types import ASGIApp, Receive, Scope, Send

from app.graphql.cache import accepted_json_post, json_object, read_body, replay
from app.graphql.documents import WeightedLRU

log = logging.getLogger("quotegraph.persisted")

APQ_VERSION = 1
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# The codes clients act on: Apollo Client, urql and Relay retry with the query text on
# PERSISTED_QUERY_NOT_FOUND; the other two are final.
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
NOT_IN_SAFELIST = "QUERY_NOT_IN_SAFELIST"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class PersistedOperation:
    """One operation of a manifest: the exact text a client sends, and its hash."""

    name: str
    text: str
    sha256: str
    listed: bool = True
    """Whether /graphql/operations.json lists it (not the file's own texts of its operations)."""


def manifest_operations(source: str) -> list[PersistedOperation]:
    """Every named operation of a file of operations (and fragments), each as its own document:
    the operation followed by the fragments it uses, in the file's order, printed by GraphQL's
    printer (graphql-js `print` gives the same text). Raises GraphQLError on a bad file."""
    document = parse(source, no_location=True)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations: list[PersistedOperation] = []
    seen: set[str] = set()
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if definition.name is None:
            raise GraphQLError("Every operation of a manifest needs a name.")
        name = definition.name.value
        if name in seen:
            raise GraphQLError(f"The manifest names two operations {name!r}.")
        seen.add(name)
        used = _fragments_used(definition, fragments)
        own = [d for d in document.definitions if d is definition or d in used]
        text = print_ast(DocumentNode(definitions=tuple(own)))
        operations.append(PersistedOperation(name, text, sha256_hex(text)))
    return operations


def _fragments_used(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> list[FragmentDefinitionNode]:
    used: dict[str, FragmentDefinitionNode] = {}
    stack: list[Node] = [operation]
    while stack:
        for spread in _spreads(stack.pop()):
            name = spread.name.value
            if name not in used:
                if name not in fragments:
                    raise GraphQLError(f"The manifest uses an undefined fragment {name!r}.")
                used[name] = fragments[name]
                stack.append(fragments[name])
    return list(used.values())


def _spreads(node: Node) -> Iterator[FragmentSpreadNode]:
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, FragmentSpreadNode):
            yield item
        elif isinstance(item, Node):
            stack.extend(getattr(item, key) for key in item.keys if key != "loc")
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


WHOLE_FILE = ""
"""The name of the manifest entry that is the whole file as it is (sent with an operationName)."""


def written_operations(source: str) -> list[PersistedOperation]:
    """Every named operation that uses no fragment, as the file writes it (from its keyword to
    its closing brace): the text a client sends when it cuts the file into operations rather
    than printing them, as the explorer does (app/static/explorer/api.js)."""
    document = parse(source)
    written = []
    for definition in document.definitions:
        if (
            isinstance(definition, OperationDefinitionNode)
            and definition.name is not None
            and definition.loc is not None
            and not any(True for _ in _spreads(definition))
        ):
            text = source[definition.loc.start : definition.loc.end]
            written.append(
                PersistedOperation(definition.name.value, text, sha256_hex(text), listed=False)
            )
    return written


def load_manifest(path: Path) -> list[PersistedOperation]:
    """The operations of the file at `path` (printed, and as written), and the whole file as one
    more entry (a client may send the file as it is with an operationName); none when there is
    no such file."""
    if not path.is_file():
        log.info("no persisted operations at %s", path)
        return []
    source = path.read_text(encoding="utf-8")
    operations = manifest_operations(source)
    printed = {operation.sha256 for operation in operations}
    written = [op for op in written_operations(source) if op.sha256 not in printed]
    whole = PersistedOperation(WHOLE_FILE, source, sha256_hex(source), listed=False)
    return [*operations, *written, whole]


class PersistedQueries:
    """Query texts by SHA-256 hash: the manifest's (fixed) and those clients registered (a
    bounded LRU per worker, as in Apollo Server: a worker that forgot one answers NOT_FOUND
    and the client sends the text again)."""

    def __init__(
        self,
        manifest: list[PersistedOperation],
        *,
        persisted_only: bool,
        registered_mb: int = 8,
    ) -> None:
        self.manifest = {operation.sha256: operation for operation in manifest}
        self.persisted_only = persisted_only
        self._registered: WeightedLRU[str, str] = WeightedLRU(
            registered_mb * 1024 * 1024, max_entries=10_000
        )

    def lookup(self, sha256: str) -> str | None:
        operation = self.manifest.get(sha256)
        if operation is not None:
            return operation.text
        return None if self.persisted_only else self._registered.get(sha256)

    def allows(self, query: str) -> bool:
        """Whether a query text sent in full may run."""
        return not self.persisted_only or sha256_hex(query) in self.manifest

    def register(self, sha256: str, query: str) -> None:
        if sha256 not in self.manifest and not self.persisted_only:
            self._registered.put(sha256, query, 200 + 2 * len(query))

    def manifest_json(self) -> bytes:
        """The manifest for clients: operation name -> {sha256, query}."""
        return orjson.dumps(
            {
                op.name: {"sha256": op.sha256, "query": op.text}
                for op in self.manifest.values()
                if op.listed
            },
            option=orjson.OPT_SORT_KEYS,
        )


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def resolve_request(queries: PersistedQueries, request: dict[str, Any]) -> dict[str, Any]:
    """The request with its query text in place of a persisted query's hash (and the hash
    dropped from its extensions); raises Refusal for a hash it cannot resolve, a text that does
    not match its hash, or (persisted only) a text not in the manifest."""
    extensions = request.get("extensions")
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    query = request.get("query")
    if persisted is None:
        if isinstance(query, str) and not queries.allows(query):
            raise _not_in_safelist()
        return request
    if not isinstance(persisted, dict) or persisted.get("version") != APQ_VERSION:
        raise Refusal(
            400,
            "PERSISTED_QUERY_NOT_SUPPORTED",
            f"Only version {APQ_VERSION} of persisted queries is supported "
            '(extensions: {"persistedQuery": {"version": 1, "sha256Hash": "..."}}).',
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256.match(sha256.lower()):
        raise Refusal(
            400,
            "BAD_REQUEST",
            "persistedQuery.sha256Hash must be the SHA-256 of the query text, in hexadecimal.",
        )
    sha256 = sha256.lower()
    rest = {k: v for k, v in extensions.items() if k != "persistedQuery"}  # type: ignore[union-attr]
    resolved = {k: v for k, v in request.items() if k != "extensions"}
    if rest:
        resolved["extensions"] = rest
    if isinstance(query, str):
        if sha256_hex(query) != sha256:
            raise Refusal(
                400,
                "PERSISTED_QUERY_HASH_MISMATCH",
                "persistedQuery.sha256Hash is not the SHA-256 of the query text sent with it.",
            )
        if not queries.allows(query):
            raise _not_in_safelist()
        queries.register(sha256, query)
        return resolved
    text = queries.lookup(sha256)
    if text is None:
        if queries.persisted_only:
            raise Refusal(
                400,
                NOT_IN_LIST,
                f"No operation with hash {sha256} is registered, and this server runs only "
                "its registered operations.",
            )
        raise Refusal(
            200,
            NOT_FOUND,
            f"The query with hash {sha256} is not known here yet: send it again with its text "
            "to register it.",
        )
    resolved["query"] = text
    return resolved


def _not_in_safelist() -> Refusal:
    return Refusal(
        400,
        NOT_IN_SAFELIST,
        "This server runs only its registered operations: send one of them, by its "
        "persistedQuery hash (the list is at /graphql/operations.json).",
    )


def refusal_body(refusal: Refusal) -> bytes:
    return orjson.dumps(
        {
            "data": None,
            "errors": [{"message": refusal.message, "extensions": {"code": refusal.code}}],
        }
    )


class PersistedQueryMiddleware:
    """ASGI middleware in front of everything that reads a query text (rate limits, the
    response cache, the lean path, the router): puts the text of a persisted query in place of
    its hash, in a GET's query string or a POST's JSON body, and refuses what may not run."""

    def __init__(self, app: ASGIApp, *, queries: PersistedQueries, path: str = "/graphql") -> None:
        self.app = app
        self.queries = queries
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET":
            await self._get(scope, receive, send)
        elif accepted_json_post(scope, self.path):
            await self._post(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _get(self, scope: Scope, receive: Receive, send: Send) -> None:
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        params = dict(pairs)
        if "extensions" not in params and "query" not in params:
            await self.app(scope, receive, send)  # the playground's page
            return
        request: dict[str, Any] = dict(params)
        if "extensions" in params:
            try:
                request["extensions"] = orjson.loads(params["extensions"])
            except orjson.JSONDecodeError:
                await self.app(scope, receive, send)  # the router refuses it in its own words
                return
        try:
            resolved = resolve_request(self.queries, request)
        except Refusal as refusal:
            await send_refusal(send, refusal)
            return
        if resolved is request:
            await self.app(scope, receive, send)
            return
        params = {k: v for k, v in params.items() if k not in ("extensions", "query")}
        params["query"] = resolved["query"]
        if "extensions" in resolved:
            params["extensions"] = orjson.dumps(resolved["extensions"]).decode()
        query_string = urlencode(params).encode("latin-1", "strict") if params else b""
        await self.app({**scope, "query_string": query_string}, receive, send)

    async def _post(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await read_body(receive)
        if not self.queries.persisted_only and b"persistedQuery" not in body:
            await self.app(scope, replay(body), send)  # nothing to resolve: not even parsed
            return
        request = json_object(body)
        if request is None:
            if self.queries.persisted_only and body.lstrip().startswith(b"["):
                await send_refusal(send, _not_in_safelist())  # batches: none registered
                return
            await self.app(scope, replay(body), send)
            return
        try:
            resolved = resolve_request(self.queries, request)
        except Refusal as refusal:
            await send_refusal(send, refusal)
            return
        if resolved is request:
            await self.app(scope, replay(body), send)
            return
        body = orjson.dumps(resolved)
        headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self.app({**scope, "headers": headers}, replay(body), send)


async def send_refusal(send: Send, refusal: Refusal) -> None:
    body = refusal_body(refusal)
    await send(
        {
            "type": "http.response.start",
            "status": refusal.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # The client is about to register it: nothing may remember this answer.
                (b"cache-control", b"private, no-cache, must-revalidate"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
