"""Replica routing for GraphQL requests: reads from a replica that has replayed the client's last
write (the stamp it sends back in X-Quotegraph-Stamp or the quotegraph_stamp cookie), writes
on the primary, and the stamp of a request's write returned in the same header and cookie."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db.engine import READ_ROUTE, ReadRoute
from app.db.replicas import ReadReplicas

STAMP_HEADER = "x-quotegraph-stamp"
STAMP_COOKIE = "quotegraph_stamp"
COOKIE_MAX_AGE_S = 3600
_MAX_STAMP_DIGITS = 19  # a stamp is a BIGINT; anything longer is not one


def client_stamp(headers: dict[bytes, bytes]) -> int | None:
    """The stamp of the client's last write: the header if sent, else the cookie."""
    value = headers.get(STAMP_HEADER.encode())
    if value is None and b"cookie" in headers:
        try:
            cookie = SimpleCookie(headers[b"cookie"].decode("latin-1"))
        except CookieError:
            cookie = SimpleCookie()
        morsel = cookie.get(STAMP_COOKIE)
        value = morsel.value.encode("latin-1") if morsel is not None else None
    if value is None:
        return None
    text = value.strip()
    return int(text) if text.isdigit() and len(text) <= _MAX_STAMP_DIGITS else None


class ReplicaRoutingMiddleware:
    """ASGI middleware inside the response cache, outside the lean path and the router: picks
    the database a request reads from and hands it to the sessions the request opens (through
    app.db.engine.READ_ROUTE); a response to a request that wrote carries the write's stamp."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        replicas: ReadReplicas,
        cached: bool,
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.replicas = replicas
        # With the response cache on, an answer is stored under the primary's current stamp, so
        # it may only come from a replica that has replayed that stamp.
        self.cached = cached
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        written_before = client_stamp(headers)
        needed = max(written_before or 0, self.replicas.primary_stamp_seen if self.cached else 0)
        engine = self.replicas.ready(needed)
        if engine is None:
            engine = await to_thread.run_sync(self.replicas.choose, needed)
        self.replicas.routed["replica" if engine is not None else "primary"] += 1
        route = ReadRoute(
            engine=engine,
            failed=self.replicas.failed,
            option_engines=self.replicas.option_engines,
        )

        async def send_with_stamp(message: Message) -> None:
            if message["type"] == "http.response.start" and route.written is not None:
                stamp = str(route.written).encode()
                message["headers"] = [
                    *message.get("headers", []),
                    (STAMP_HEADER.encode(), stamp),
                    (
                        b"set-cookie",
                        b"%s=%s; Path=%s; Max-Age=%d; HttpOnly; SameSite=Lax"
                        % (
                            STAMP_COOKIE.encode(),
                            stamp,
                            self.path.encode(),
                            COOKIE_MAX_AGE_S,
                        ),
                    ),
                ]
            await send(message)

        token = READ_ROUTE.set(route)
        try:
            await self.app(scope, receive, send_with_stamp)
        finally:
            READ_ROUTE.reset(token)
