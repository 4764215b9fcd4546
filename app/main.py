"""create_app(settings) -> FastAPI: the GraphQL router (GraphiQL at /graphql), CORS, health."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from functools import cached_property
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from anyio import to_thread
from cross_web import HTTPException
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from app.db.engine import make_engine, make_session
from app.db.migrations import ensure_up_to_date
from app.db.replicas import ReadReplicas
from app.explorer import mount_explorer
from app.export_http import export_router
from app.extraction.types import Extraction
from app.graphql.cache import ResponseCache, ResponseCacheMiddleware
from app.graphql.context import Context
from app.graphql.errors import coded_errors, timeout_error
from app.graphql.httpcache import HttpGetCacheMiddleware
from app.graphql.lean import LeanReadMiddleware, LeanReads
from app.graphql.persisted import PersistedQueries, PersistedQueryMiddleware, load_manifest
from app.graphql.ratelimit import HEADERS as RATE_LIMIT_HEADERS
from app.graphql.ratelimit import RateLimiter, RateLimitMiddleware, reports_rate_limit
from app.graphql.routing import STAMP_HEADER, ReplicaRoutingMiddleware
from app.graphql.schema import build_schema
from app.playground import PlaygroundExample
from app.queue.dispatch import JobDispatcher
from app.services.events import PostgresListener, hub_for
from app.services.ingest import Extractor
from app.services.keys import authenticate, bearer_token
from app.services.stamp import read_write_stamp
from app.settings import Settings

log = logging.getLogger("quotegraph")


class PooledExtractor:
    """Extraction in separate processes: it is CPU-bound Python, and run in a thread of the
    server it would hold the GIL and stall every read this worker is answering meanwhile."""

    def __init__(self, processes: int) -> None:
        # spawn, not fork: forking a process that already runs threads is unsafe.
        self.processes = processes
        self.pool = ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn"))

    def __call__(self, text: str) -> Extraction:
        from app.extraction import extract

        return self.pool.submit(extract, text).result()

    def warm_up(self) -> None:
        from app.extraction import extract

        for _ in range(self.processes):
            self.pool.submit(extract, "Warm-up, said the server.")

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class BodySizeLimit:
    """ASGI middleware: refuse request bodies over `max_bytes` with 413 before parsing them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = orjson.dumps(
            {
                "data": None,
                "errors": [
                    {
                        "message": f"The request body is larger than {self.max_bytes:,} bytes.",
                        "extensions": {"code": "REQUEST_TOO_LARGE", "limit": self.max_bytes},
                    }
                ],
            }
        )
        response = Response(body, status_code=413, media_type="application/json")
        await response({"type": "http"}, _no_receive, send)


class _BodyTooLarge(Exception):
    pass


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


STATIC = Path(__file__).parent / "static"
PLAYGROUND_ASSETS = "/graphql-assets"
# Strawberry's GraphiQL page loads its scripts from a CDN; these files are the same (the page's
# integrity hashes still hold), served from here so the playground works on a closed network.
_CDN_FILES = {
    "https://unpkg.com/graphiql@3.8.3/": "",
    "https://unpkg.com/react@18.2.0/umd/": "",
    "https://unpkg.com/react-dom@18.2.0/umd/": "",
    "https://unpkg.com/js-cookie@3.0.5/dist/": "",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "plugin-explorer.umd.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
}


def playground_html(html: str) -> str:
    """Strawberry's GraphiQL page with every CDN address pointing at our own copy."""
    for cdn, local in _CDN_FILES.items():
        html = html.replace(cdn, f"{PLAYGROUND_ASSETS}/graphiql/{local}")
    if "https://unpkg.com" in html:
        raise RuntimeError("the GraphiQL page loads something not served locally")
    return html


class CodedGraphQLRouter(GraphQLRouter[Context, None]):
    """Every error a client receives carries extensions.code; unexpected ones are masked;
    every operation runs within the configured time budget."""

    def __init__(
        self, *args: Any, settings: Settings, example: PlaygroundExample, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.timeout_s = settings.request_timeout_s
        self.example = example

    @cached_property
    def graphql_ide_html(self) -> str:
        return playground_html(super().graphql_ide_html)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # The example speaker is read from the database, off the event loop.
        page = await to_thread.run_sync(self.example.page, self.graphql_ide_html)
        return HTMLResponse(page)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def run(self, *args: Any, **kwargs: Any) -> Any:
        # Strawberry refuses a malformed request (not JSON, no query, an unknown operation, a
        # mutation over GET, another content type) with text/plain; clients get JSON here.
        try:
            return await super().run(*args, **kwargs)
        except HTTPException as error:
            return request_error(error.status_code, error.reason)

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            async with asyncio.timeout(self.timeout_s):
                return await super().execute_single(*args, **kwargs)
        except TimeoutError:
            return ExecutionResult(data=None, errors=[timeout_error(self.timeout_s)])

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # (rate limits: an answer telling the caller's budget is never cached)
        request.state.cacheable = not result.errors and not reports_rate_limit(request.state)
        if result.errors:
            result.errors = coded_errors(result.errors)
        return await super().process_result(request, result)


REQUEST_ERROR_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


def request_error(status: int, message: str) -> Response:
    """A refused HTTP request as a GraphQL error body: JSON with extensions.code."""
    code = REQUEST_ERROR_CODES.get(status, "BAD_REQUEST")
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def live_key(engine: sa.Engine) -> Callable[[str], Awaitable[bool]]:
    """Whether an Authorization header carries a live API key (checked off the event loop)."""

    async def known(authorization: str) -> bool:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False

        def check() -> bool:
            with make_session(engine) as session:
                return authenticate(session, token.strip()) is not None

        return await to_thread.run_sync(check)

    return known


def create_app(
    settings: Settings | None = None,
    *,
    engine: sa.Engine | None = None,
    extractor: Extractor | None = None,
) -> FastAPI:
    """The service; refuses to start on a database behind the code's migrations."""
    settings = settings or Settings()
    engine = engine or make_engine(settings)
    if settings.check_migrations:
        ensure_up_to_date(engine, settings.database_url)
    pooled = None
    if extractor is None:
        pooled = PooledExtractor(settings.extract_processes)
    run_extractor: Extractor = extractor or pooled  # type: ignore[assignment]
    dispatcher = JobDispatcher(settings, engine, run_extractor)
    # Queries read from replicas when configured; writes and the write stamp stay on `engine`.
    replicas = ReadReplicas.from_settings(settings, engine) if settings.read_database_urls else None

    async def get_context() -> AsyncIterator[Context]:
        context = Context(settings, engine, run_extractor, dispatcher)
        try:
            yield context
        finally:
            context.close()

    schema = build_schema(settings)
    persisted = PersistedQueries(
        load_manifest(settings.persisted_operations), persisted_only=settings.persisted_only
    )
    schema.persisted = persisted
    router = CodedGraphQLRouter(
        schema,
        settings=settings,
        example=PlaygroundExample(engine),
        # A FastAPI dependency with yield, so the session is closed after every request.
        context_getter=get_context,
        # No playground when only registered operations run (it could send nothing else).
        graphql_ide=None if settings.persisted_only else "graphiql",
        # Live updates (app.graphql.live) over graphql-transport-ws only; pages on other
        # origins may open a websocket only when CORS allows them too.
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        allowed_origins=settings.cors_origins,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if pooled is not None:
            pooled.warm_up()
        listening = None
        if engine.dialect.name == "postgresql":
            # Every worker hears every commit's announcements (app.services.events).
            app.state.listener = PostgresListener(engine, hub_for(engine))
            listening = asyncio.create_task(app.state.listener.run())
        yield
        if listening is not None:
            listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listening
        if pooled is not None:
            pooled.close()
        if replicas is not None:
            replicas.dispose()
        engine.dispose()

    app = FastAPI(
        title="quotegraph",
        description="Who said what in the news: speakers, quotes and claims over GraphQL.",
        lifespan=lifespan,
        # FastAPI's native OpenTelemetry hooks look for providers on every request; quotegraph
        # configures none, so they are off rather than probed each time.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.include_router(router, prefix="/graphql")
    app.mount(PLAYGROUND_ASSETS, StaticFiles(directory=STATIC), name="playground-assets")
    mount_explorer(app)
    if settings.lean_reads:
        app.state.lean_reads = LeanReads(schema, settings, engine)
        app.add_middleware(LeanReadMiddleware, reads=app.state.lean_reads)
    if replicas is not None:  # inside the cache, outside the lean path and the router
        app.state.replicas = replicas
        app.add_middleware(
            ReplicaRoutingMiddleware,
            replicas=replicas,
            # The response cache and the ETags of GET answers both name data by the primary's
            # stamp: a replica must have replayed it.
            cached=True,
        )
    read_stamp = (
        (lambda: replicas.note_primary_stamp(read_write_stamp(engine)))
        if replicas is not None
        else lambda: read_write_stamp(engine)
    )
    if settings.response_cache_mb > 0:

        async def permission(authorization: str | None) -> str | None:
            """The caller's standing for cache keys; None: do not use the cache."""
            if settings.public_reads:
                return "public"
            token = bearer_token(authorization)
            if token is None:
                return None

            def check() -> bool:
                with make_session(engine) as session:
                    return authenticate(session, token) is not None

            return "reader" if await to_thread.run_sync(check) else None

        app.add_middleware(
            ResponseCacheMiddleware,
            cache=ResponseCache(settings.response_cache_mb * 1024 * 1024),
            # Always the primary's stamp: it is the invalidation signal (replicas note it).
            read_stamp=read_stamp,
            permission=permission,
            documents=schema.documents,
        )
    # GET queries: ETag and 304 (app.graphql.httpcache); inside the rate limits, so a 304 is
    # charged too, outside the response cache, which answers them as POSTs.
    app.add_middleware(
        HttpGetCacheMiddleware,
        documents=schema.documents,
        read_stamp=read_stamp,
        salt=hashlib.sha256(str(schema).encode()).hexdigest(),
        max_age_s=settings.http_max_age_s,
        known_key=None if settings.public_reads else live_key(engine),
    )
    if settings.rate_limit:
        # Rate limits (app.graphql.ratelimit): outside the cache, so every answer is charged.
        limiter = RateLimiter(settings, engine, documents=schema.documents, schema=schema._schema)
        schema.rate_limiter = limiter  # subscriptions are charged too (app.graphql.live)
        app.add_middleware(RateLimitMiddleware, limiter=limiter)
    # Persisted queries: every part inside reads the query text, so the hash is resolved first.
    app.add_middleware(PersistedQueryMiddleware, queries=persisted)
    # Middleware added later runs earlier: oversized bodies are refused before the cache or
    # the router reads them, and CORS, outermost, puts its headers even on those refusals.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type", "Authorization", STAMP_HEADER, "If-None-Match"],
            expose_headers=[STAMP_HEADER, *RATE_LIMIT_HEADERS, "ETag"],
        )

    @app.exception_handler(StarletteHTTPException)
    async def coded_http_error(_request: Request, error: StarletteHTTPException) -> Response:
        # Routing refusals (an unknown path, PUT on /graphql) are coded JSON like the rest.
        return request_error(error.status_code, str(error.detail))

    # Datasets to take away (Parquet, CSV, JSON Lines), streamed: app/export_http.py.
    app.include_router(export_router(settings, engine))

    @app.get("/graphql/operations.json", summary="The registered operations, by name")
    def persisted_operations() -> Response:
        return Response(persisted.manifest_json(), media_type="application/json")

    @app.get("/health", summary="Liveness and database check")
    def health() -> dict[str, str]:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return {"status": "ok"}

    return app
