"""create_app(settings) -> FastAPI: the GraphQL router (GraphiQL at /graphql), CORS, health."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from app.db.engine import make_engine
from app.db.migrations import ensure_up_to_date
from app.graphql.context import Context
from app.graphql.errors import coded_errors
from app.graphql.schema import build_schema
from app.services.ingest import Extractor
from app.settings import Settings

log = logging.getLogger("quotegraph")


def default_extractor() -> Extractor:
    from app.extraction import extract

    return extract


class CodedGraphQLRouter(GraphQLRouter[Context, None]):
    """Every error a client receives carries extensions.code; unexpected ones are masked."""

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = coded_errors(result.errors)
        return await super().process_result(request, result)


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
    run_extractor = extractor or default_extractor()

    async def get_context() -> AsyncIterator[Context]:
        context = Context(settings, engine, run_extractor)
        try:
            yield context
        finally:
            context.close()

    router = CodedGraphQLRouter(
        build_schema(),
        # A FastAPI dependency with yield, so the session is closed after every request.
        context_getter=get_context,  # type: ignore[arg-type]
        graphql_ide="graphiql",
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="quotegraph",
        description="Who said what in the news: speakers, quotes and claims over GraphQL.",
        lifespan=lifespan,
    )
    app.include_router(router, prefix="/graphql")
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type", "Authorization"],
        )

    @app.get("/health", summary="Liveness and database check")
    def health() -> dict[str, str]:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return {"status": "ok"}

    return app
