"""create_app(settings) -> FastAPI: the GraphQL router (GraphiQL at /graphql), CORS, health."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
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
from strawberry.types import ExecutionResult

from app.db.engine import make_engine, make_session
from app.db.migrations import ensure_up_to_date
from app.db.replicas import ReadReplicas
from app.explorer import mount_explorer
from app.extraction.types import Extraction
from app.graphql.cache import ResponseCache, ResponseCacheMiddleware
from app.graphql.context import Context
from app.graphql.errors import coded_errors, timeout_error
from app.graphql.lean import LeanReadMiddleware, LeanReads
from app.graphql.ratelimit import HEADERS as RATE_LIMIT_HEADERS
from app.graphql.ratelimit import RateLimiter, RateLimitMiddleware, reports_rate_limit
from app.graphql.routing import STAMP_HEADER, ReplicaRoutingMiddleware
from app.graphql.schema import build_schema
from app.playground import PlaygroundExample
from app.queue.dispatch import JobDispatcher
from app.services.ingest import Extractor
from app.services.keys import authenticate
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
    router = CodedGraphQLRouter(
        schema,
        settings=settings,
        example=PlaygroundExample(engine),
        # A FastAPI dependency with yield, so the session is closed after every request.
        context_getter=get_context,
        graphql_ide="graphiql",
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if pooled is not None:
            pooled.warm_up()
        yield
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
            ReplicaRoutingMiddleware, replicas=replicas, cached=settings.response_cache_mb > 0
        )
    if settings.response_cache_mb > 0:

        async def permission(authorization: str | None) -> str | None:
            """The caller's standing for cache keys; None: do not use the cache."""
            if settings.public_reads:
                return "public"
            scheme, _, token = (authorization or "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return None

            def check() -> bool:
                with make_session(engine) as session:
                    return authenticate(session, token.strip()) is not None

            return "reader" if await to_thread.run_sync(check) else None

        app.add_middleware(
            ResponseCacheMiddleware,
            cache=ResponseCache(settings.response_cache_mb * 1024 * 1024),
            # Always the primary's stamp: it is the invalidation signal (replicas note it).
            read_stamp=(
                (lambda: replicas.note_primary_stamp(read_write_stamp(engine)))
                if replicas is not None
                else lambda: read_write_stamp(engine)
            ),
            permission=permission,
            documents=schema.documents,
        )
    if settings.rate_limit:
        # Rate limits (app.graphql.ratelimit): outside the cache, so every answer is charged.
        app.add_middleware(
            RateLimitMiddleware,
            limiter=RateLimiter(
                settings, engine, documents=schema.documents, schema=schema._schema
            ),
        )
    # Middleware added later runs earlier: oversized bodies are refused before the cache or
    # the router reads them, and CORS, outermost, puts its headers even on those refusals.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type", "Authorization", STAMP_HEADER],
            expose_headers=[STAMP_HEADER, *RATE_LIMIT_HEADERS],
        )

    @app.exception_handler(StarletteHTTPException)
    async def coded_http_error(_request: Request, error: StarletteHTTPException) -> Response:
        # Routing refusals (an unknown path, PUT on /graphql) are coded JSON like the rest.
        return request_error(error.status_code, str(error.detail))

    @app.get("/health", summary="Liveness and database check")
    def health() -> dict[str, str]:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return {"status": "ok"}

    return app
