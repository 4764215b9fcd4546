"""Abuse budgets: every GraphQL request is charged points, from the guard's cost estimate, to
its caller's budget (an API key's, else its client address's), counted in memory or on Redis.

The charge is made by one ASGI middleware in front of the response cache, so the three paths
that answer (a cached answer, the lean path, Strawberry's executor) are charged alike, once,
before any of them runs. Like GitHub's GraphQL API, a request costs its estimated objects / 100
rounded up (at least `rate_limit_min_points`, so `{ __typename }` floods are counted too), plus
`rate_limit_mutation_points` per mutation field; a budget is a number of points per window,
which starts with the window's first request. A request the budget cannot pay is refused whole
with HTTP 429, `Retry-After`, and a `RATE_LIMITED` error; a refused request spends nothing.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import orjson
import sqlalchemy as sa
from anyio import to_thread
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db.engine import make_session
from app.graphql.cache import json_object, read_body, replay
from app.graphql.documents import Documents
from app.graphql.guard import coerce_variables, estimate
from app.services.keys import authenticate, bearer_token
from app.settings import Settings

log = logging.getLogger("quotegraph.ratelimit")

STATE_KEY = "rate_limit"
"""Where the request's Charge is kept in the ASGI scope's state (read by the rateLimit field)."""
REPORTED_KEY = "rate_limit_reported"
"""Set in the scope's state when a response reports the budget: it must not be cached."""

# Sent on every charged response, like GitHub's x-ratelimit-*; CORS exposes them to browsers.
HEADERS = (
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Used",
    "X-RateLimit-Reset",
    "X-RateLimit-Cost",
)


@dataclass(frozen=True, slots=True)
class Charge:
    """What one request was charged, and where its caller's budget stands after it."""

    limit: int
    """Points per window of the caller's budget."""
    cost: int
    """Points this request costs (charged when allowed; nothing is spent when refused)."""
    used: int
    """Points spent in the current window, this request included when it was allowed."""
    reset_at: float
    """When the window ends and the budget is whole again (seconds since the epoch)."""
    allowed: bool

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def retry_after(self, now: float | None = None) -> int:
        """Whole seconds until the budget is renewed (at least 1)."""
        return max(1, math.ceil(self.reset_at - (time.time() if now is None else now)))

    @property
    def reset_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.reset_at, tz=UTC)

    def headers(self) -> list[tuple[bytes, bytes]]:
        pairs = [
            ("x-ratelimit-limit", self.limit),
            ("x-ratelimit-remaining", self.remaining),
            ("x-ratelimit-used", self.used),
            ("x-ratelimit-reset", math.ceil(self.reset_at)),
            ("x-ratelimit-cost", self.cost),
        ]
        if not self.allowed:
            pairs.append(("retry-after", self.retry_after()))
        return [(name.encode(), str(value).encode()) for name, value in pairs]


def rate_limited_error(charge: Charge) -> GraphQLError:
    """The coded error of a refused request."""
    retry_after = charge.retry_after()
    if charge.cost > charge.limit:
        message = (
            f"This request costs {charge.cost} points, more than your whole budget of "
            f"{charge.limit} per window: ask for less at once (smaller pages, fewer nested lists)."
        )
    else:
        message = (
            f"Rate limit exceeded: this request costs {charge.cost} points and {charge.remaining} "
            f"of your {charge.limit} are left until {charge.reset_datetime.isoformat()}; "
            f"retry after {retry_after} s. Query `rateLimit {{ cost remaining resetAt }}` to "
            "see what requests cost."
        )
    return GraphQLError(
        message,
        extensions={
            "code": "RATE_LIMITED",
            "retryAfter": retry_after,
            "limit": charge.limit,
            "cost": charge.cost,
            "remaining": charge.remaining,
            "resetAt": charge.reset_datetime.isoformat(),
        },
    )


# --- what a request costs -----------------------------------------------------------------------


def estimated_objects(
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any],
    schema: GraphQLSchema | None = None,
) -> int | None:
    """The guard's cost estimate of the operation (objects it may return), with the variables
    as execution will coerce them (defaults included) when the schema is known; None when the
    document names no such operation or its variables would be refused."""
    operation = chosen_operation(document, operation_name)
    if operation is None:
        return None
    if schema is not None:
        coerced = coerce_variables(schema, document, operation_name, variables)
        if isinstance(coerced, list):
            return None
        variables = coerced
    return estimate(document, operation_name, variables).cost


def chosen_operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == operation_name), None)


def root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> int:
    """How many fields the operation selects at its root (aliases each count; through
    fragments too, each fragment once)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    seen: set[str] = set()

    def count(selection_set: SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += not selection.name.value.startswith("__")
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    seen.add(name)
                    total += count(fragment.selection_set)
        return total

    return count(operation.selection_set)


def request_points(
    settings: Settings,
    query: str,
    operation_name: str | None,
    variables: dict[str, Any],
    documents: Documents | None = None,
    schema: GraphQLSchema | None = None,
) -> int:
    """Points a GraphQL request costs. A request the service will refuse before running it
    (it does not parse, names no operation, or exceeds the cost limit) costs the minimum:
    it reads nothing, and a typo should not spend a client's hour. With the app's `documents`
    the text is parsed once for every part of the app, under the same size and token limits."""
    least = settings.rate_limit_min_points
    try:
        if documents is not None:
            document = documents.parse(query).document
        elif len(query.encode("utf-8", "surrogatepass")) > settings.max_query_bytes:
            return least
        else:
            document = parse(query, no_location=True, max_tokens=settings.max_tokens)
    except GraphQLError:
        return least
    operation = chosen_operation(document, operation_name)
    objects = estimated_objects(document, operation_name, variables, schema)
    if operation is None or objects is None or objects > settings.max_cost:
        return least
    points = max(least, math.ceil(objects / settings.rate_limit_objects_per_point))
    if operation.operation is OperationType.MUTATION:
        points += settings.rate_limit_mutation_points * root_fields(document, operation)
    return points


# --- who pays -----------------------------------------------------------------------------------


def _networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry]


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class Callers:
    """Who pays for a request: an API key (by id) when a valid one is sent, else the client's
    address, taken from X-Forwarded-For only when the connection comes from a trusted proxy."""

    KEY_MEMORY_S = 60.0
    """How long a token's key is remembered (a key revoked meanwhile is charged as a key)."""

    def __init__(self, settings: Settings, engine: sa.Engine, size: int = 4096) -> None:
        self.engine = engine
        self.proxies = _networks(settings.trusted_proxies)
        self.size = size
        self._keys: OrderedDict[bytes, tuple[float, int | None]] = OrderedDict()
        self._lock = threading.Lock()

    def trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return address is not None and any(address in network for network in self.proxies)

    def address(self, scope: Scope) -> str:
        """The client's address; IPv6 by its /64 (one host usually holds a whole /64)."""
        client = scope.get("client")
        peer = _ip(client[0]) if client else None
        if self.trusted(peer):
            forwarded = b",".join(
                value for name, value in scope.get("headers") or () if name == b"x-forwarded-for"
            )
            # Each proxy appends the address it was connected from: read from the right, past
            # our own proxies; the first other address is the client (what is left of it may
            # be anything the client chose to send).
            for hop in reversed(forwarded.decode("latin-1").split(",")):
                address = _ip(hop)
                if address is None:
                    break
                peer = address
                if not self.trusted(address):
                    break
        if peer is None:
            return client[0] if client else "unknown"
        if isinstance(peer, ipaddress.IPv6Address):
            if peer.ipv4_mapped is not None:
                return str(peer.ipv4_mapped)
            return str(ipaddress.ip_network(f"{peer}/64", strict=False))
        return str(peer)

    async def key_id(self, authorization: bytes | None) -> int | None:
        """The id of the live API key sent as `Authorization: Bearer`, if any."""
        token = bearer_token(authorization)
        if token is None:
            return None
        digest = hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()
        now = time.monotonic()
        with self._lock:
            known = self._keys.get(digest)
        if known is not None and known[0] > now:
            return known[1]

        def look_up() -> int | None:
            with make_session(self.engine) as session:
                key = authenticate(session, token)
                return None if key is None else key.id

        key_id = await to_thread.run_sync(look_up)
        with self._lock:
            self._keys[digest] = (now + self.KEY_MEMORY_S, key_id)
            self._keys.move_to_end(digest)
            while len(self._keys) > self.size:
                self._keys.popitem(last=False)
        return key_id


# --- the budgets --------------------------------------------------------------------------------


class MemoryCounters(MemoryStorage):
    """limits' in-process storage, sweeping expired counters at most every 10 s. Its own
    schedule starts a timer thread whenever none is alive, on nearly every request, and
    Thread.start() waits for the thread to run: 3-9 ms of the event loop per request on a
    loaded machine (profiled). Expired counters are dropped whenever they are read anyway, so
    the sweep only frees memory. (Should a new version of limits rename the private method,
    this override is just not called, and only speed is lost.)"""

    SWEEP_S = 10.0
    _next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_S
            super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


class Budgets:
    """Points per window for API keys and for client addresses, counted by `limits` in a fixed
    window per caller; on Redis every worker and machine charges the same counters."""

    def __init__(self, settings: Settings) -> None:
        uri = settings.rate_limit_storage
        storage = (
            MemoryCounters()
            if uri.startswith("memory://")
            else storage_from_string(
                uri,
                key_prefix=settings.rate_limit_prefix,
                wrap_exceptions=True,
                # A Redis that does not answer must not hold requests: they pass uncharged.
                socket_timeout=1.0,
                socket_connect_timeout=1.0,
            )
        )
        if not isinstance(storage, Storage):
            raise ValueError(f"QUOTEGRAPH_RATE_LIMIT_STORAGE: not a storage for threads: {storage}")
        self.storage = storage
        self.local = isinstance(self.storage, MemoryStorage)
        window = settings.rate_limit_window_s
        self.items: dict[str, RateLimitItem] = {
            "key": RateLimitItemPerSecond(settings.rate_limit_key_points, window, "quotegraph"),
            "address": RateLimitItemPerSecond(
                settings.rate_limit_anonymous_points, window, "quotegraph"
            ),
        }

    def charge(self, kind: str, who: str, points: int) -> Charge:
        """Spend `points` from the budget of caller `who` (of `kind` "key" or "address") if it
        has them; never more than the budget, however many requests charge it at once."""
        item = self.items[kind]
        key = item.key_for(kind, who)
        expiry = item.get_expiry()
        if points > item.amount:
            used = self.storage.get(key)
            return Charge(item.amount, points, used, self.storage.get_expiry(key), False)
        # One atomic increment decides (INCRBY on Redis): of requests racing for the last
        # points, exactly those that fit are allowed.
        used = self.storage.incr(key, expiry, amount=points)
        allowed = used <= item.amount
        if not allowed:
            # Give back what a refused request took, so refusals spend nothing. (Should the
            # window end in between, the new window starts that much richer: one request's
            # points, at most, once in a window.)
            used = self.storage.incr(key, expiry, amount=-points)
        return Charge(item.amount, points, used, self.storage.get_expiry(key), allowed)

    def clear(self) -> None:
        self.storage.reset()


class RateLimiter:
    """Decides what a request costs and who pays for it, and charges it."""

    def __init__(
        self,
        settings: Settings,
        engine: sa.Engine,
        size: int = 4096,
        *,
        documents: Documents | None = None,
        schema: GraphQLSchema | None = None,
    ) -> None:
        self.settings = settings
        self.documents = documents
        self.schema = schema
        self.budgets = Budgets(settings)
        self.callers = Callers(settings, engine)
        self.size = size
        # Points by a digest of the request (query, operation name and variables together),
        # so a repeated request is not parsed again; digests keep the memory small and fixed.
        self._points: OrderedDict[bytes, int] = OrderedDict()
        self._lock = threading.Lock()
        self._quiet_until = 0.0

    async def points(self, material: bytes, request: dict[str, Any] | None) -> int:
        if request is None:
            return self.settings.rate_limit_min_points
        digest = hashlib.sha256(material).digest()
        with self._lock:
            known = self._points.get(digest)
        if known is not None:
            return known
        query = request.get("query")
        variables = request.get("variables") or {}
        operation_name = request.get("operationName")
        if (
            not isinstance(query, str)
            or not isinstance(variables, dict)
            or not isinstance(operation_name, (str, type(None)))
        ):
            return self.settings.rate_limit_min_points
        # Off the event loop: other requests go on while a new query is parsed and measured.
        points = await to_thread.run_sync(
            request_points,
            self.settings,
            query,
            operation_name,
            variables,
            self.documents,
            self.schema,
        )
        with self._lock:
            self._points[digest] = points
            while len(self._points) > self.size:
                self._points.popitem(last=False)
        return points

    async def charge(
        self, scope: Scope, material: bytes, request: dict[str, Any] | None
    ) -> Charge | None:
        """Charge the request; None when the counters cannot be reached (it then passes)."""
        points = await self.points(material, request)
        key_id = await self.callers.key_id(dict(scope.get("headers") or ()).get(b"authorization"))
        kind, who = ("key", str(key_id)) if key_id is not None else ("address", "")
        if key_id is None:
            who = self.callers.address(scope)
        try:
            if self.budgets.local:
                return self.budgets.charge(kind, who, points)
            return await to_thread.run_sync(self.budgets.charge, kind, who, points)
        except StorageError as error:
            now = time.monotonic()
            if now >= self._quiet_until:  # once a minute, not once a request
                self._quiet_until = now + 60
                log.warning("rate limit counters unreachable, requests pass uncharged: %s", error)
            return None


# --- the middleware -----------------------------------------------------------------------------


class RateLimitMiddleware:
    """ASGI middleware in front of the response cache: charges each GraphQL request (POST, or
    GET with a query) before anything answers it; refuses it with 429 when the budget cannot
    pay; puts the budget in every response's headers and in the scope for the rateLimit field."""

    def __init__(self, app: ASGIApp, *, limiter: RateLimiter, path: str = "/graphql") -> None:
        self.app = app
        self.limiter = limiter
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "POST":
            material = await read_body(receive)
            receive = replay(material)
            request = json_object(material)
        elif scope["method"] == "GET":
            material = scope.get("query_string", b"")
            params = parse_qs(material.decode("latin-1"))
            if "query" not in params:  # the GraphiQL page
                await self.app(scope, receive, send)
                return
            request = {name: values[-1] for name, values in params.items()}
            if "variables" in request:
                try:
                    request["variables"] = orjson.loads(request["variables"])
                except orjson.JSONDecodeError:
                    request["variables"] = None
        else:
            await self.app(scope, receive, send)
            return
        charge = await self.limiter.charge(scope, material, request)
        if charge is None:
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})[STATE_KEY] = charge
        if not charge.allowed:
            await refuse(send, charge)
            return
        await self.app(scope, receive, with_headers(send, charge.headers))


def with_headers(send: Send, headers: Callable[[], list[tuple[bytes, bytes]]]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), *headers()]}
        await send(message)

    return sending


async def refuse(send: Send, charge: Charge) -> None:
    """429 Too Many Requests, with the coded error as a GraphQL response body."""
    body = orjson.dumps({"data": None, "errors": [rate_limited_error(charge).formatted]})
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *charge.headers(),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def reports_rate_limit(state: Any) -> bool:
    """Whether the response tells the budget (so it may not be cached); `state` is the
    request's state (starlette's Request.state)."""
    return bool(getattr(state, REPORTED_KEY, False))
