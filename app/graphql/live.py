"""Live updates over graphql-transport-ws: quoteAdded and claimAdded subscriptions, fed by the
announcements the ingest service makes (app.services.events), and the rules for websockets:
subscriptions only, the same key check and query limits as HTTP, coded errors."""

from __future__ import annotations

import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator, Sequence
from typing import Annotated, Any

import orjson
import sqlalchemy as sa
import strawberry
from anyio import to_thread
from graphql import GraphQLError
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension
from strawberry.types import Info
from strawberry.types.graphql import OperationType

from app.db import models
from app.db.engine import make_session
from app.graphql.claim import Claim
from app.graphql.documents import Documents
from app.graphql.enums import Classes, class_values
from app.graphql.errors import coded_errors
from app.graphql.guard import coerce_variables, shape_refusal
from app.graphql.ids import decode_global_id
from app.graphql.pagination import SpeakerId, SpeakerName
from app.graphql.persisted import PersistedQueries
from app.graphql.quote import Quote
from app.graphql.ratelimit import RateLimiter, rate_limited_error
from app.services import queries
from app.services.events import Added, hub_for
from app.settings import Settings


class Arrival:
    """One announcement as this worker's subscribers see it: rows and name lookups are read
    once for all of them, however many subscribe."""

    def __init__(self, added: Added) -> None:
        self.added = added
        self._lock = threading.Lock()
        self._memo: dict[Any, Any] = {}

    def _once(self, key: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key]

    def rows(self, engine: sa.Engine, model: type[Any], ids: Sequence[int]) -> list[Any]:
        def read() -> list[Any]:
            with make_session(engine) as session:
                return [row for row in queries.by_ids(session, model, ids) if row is not None]

        found: list[Any] = self._once(model, read)
        return found

    def speaker_ids(self, engine: sa.Engine, name: str) -> frozenset[int]:
        def read() -> frozenset[int]:
            with make_session(engine) as session:
                return frozenset(queries.speaker_ids_for_name(session, name))

        found: frozenset[int] = self._once(("name", name), read)
        return found


class _Arrivals:
    """Memo of Arrival objects per announcement within this process (one per Added)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._recent: dict[Added, Arrival] = {}

    def of(self, added: Added) -> Arrival:
        with self._lock:
            arrival = self._recent.get(added)
            if arrival is None:
                if len(self._recent) > 256:
                    self._recent.clear()
                arrival = self._recent[added] = Arrival(added)
            return arrival


ARRIVALS = _Arrivals()


def _engine(info: Info) -> sa.Engine:
    bind = info.context.session.get_bind()
    assert isinstance(bind, sa.Engine)
    return bind


async def announcements(info: Info) -> AsyncIterator[Arrival]:
    """Every announcement from now on, for the lifetime of the subscription."""
    with hub_for(_engine(info)).subscribe() as inbox:
        while True:
            added = await inbox.queue.get()
            yield ARRIVALS.of(added)
            await _fresh(info)


async def _fresh(info: Info) -> None:
    """A websocket's context lives as long as the connection: after each delivery its session
    gives its connection back and its loaders forget what they held."""
    from app.graphql.loaders import Loaders

    context = info.context
    await context.run(lambda session: session.close())
    context.loaders = Loaders(context)


def _matches_speaker(
    arrival: Arrival, engine: sa.Engine, speaker_id: int | None, name: str | None, value: int | None
) -> bool:
    if speaker_id is not None and value != speaker_id:
        return False
    return name is None or (value is not None and value in arrival.speaker_ids(engine, name))


@strawberry.type(description="Live updates: what is stored from now on, as it is stored.")
class Subscription:
    @strawberry.subscription(
        description=(
            "Each quote as it is stored, by any API worker or ingest job, optionally only a "
            "speaker's (the same filters as `quotes`, speech only unless `classes` says "
            "otherwise). Quotes stored before subscribing are read with `quotes`; ones stored "
            "while the connection was down are not replayed."
        )
    )
    async def quote_added(
        self,
        info: Info,
        speaker: SpeakerName = None,
        speaker_id: SpeakerId = None,
        classes: Classes = None,
    ) -> AsyncGenerator[Quote, None]:
        wanted = (
            None
            if speaker_id is None
            else decode_global_id(speaker_id, "Speaker", field="speakerId")[1]
        )
        kept = class_values(classes)
        engine = _engine(info)
        async for arrival in announcements(info):
            if not arrival.added.quote_ids:
                continue
            rows = await to_thread.run_sync(
                arrival.rows, engine, models.Quote, arrival.added.quote_ids
            )
            for row in rows:
                if row.attribution_class in kept and await to_thread.run_sync(
                    _matches_speaker, arrival, engine, wanted, speaker, row.speaker_id
                ):
                    yield Quote.from_row(row)

    @strawberry.subscription(
        description=(
            "Each check-worthy claim as it is stored, optionally only a claimant's or above a "
            "score (the same filters as `claims`)."
        )
    )
    async def claim_added(
        self,
        info: Info,
        claimant: Annotated[
            str | None,
            strawberry.argument(description="Name or alias of the claimant."),
        ] = None,
        claimant_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Global ID of the claimant.")
        ] = None,
        min_score: Annotated[
            float | None,
            strawberry.argument(description="Only claims scored at least this check-worthy."),
        ] = None,
    ) -> AsyncGenerator[Claim, None]:
        wanted = (
            None
            if claimant_id is None
            else decode_global_id(claimant_id, "Speaker", field="claimantId")[1]
        )
        engine = _engine(info)
        async for arrival in announcements(info):
            if not arrival.added.claim_ids:
                continue
            rows = await to_thread.run_sync(
                arrival.rows, engine, models.Claim, arrival.added.claim_ids
            )
            for row in rows:
                if min_score is not None and row.score < min_score:
                    continue
                if await to_thread.run_sync(
                    _matches_speaker, arrival, engine, wanted, claimant, row.claimant_id
                ):
                    yield Claim.from_row(row)


class WebSocketRules(SchemaExtension):
    """Over a websocket: subscriptions only (queries and mutations go over HTTP, where the rate
    limits, caches and ETags are); for subscriptions the key check and query limits of HTTP,
    refused before anything is subscribed; every error coded. With persisted_only, only
    registered operations."""

    def __init__(self, documents: Documents) -> None:
        super().__init__()
        self.documents = documents

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.pre_execution_errors is None and context.graphql_document is not None:
            # Not validated by BoundedParsing (no text): validate here, before refusing.
            context.pre_execution_errors = await self.documents.validate(
                context.schema._schema, self.documents.parse(context.query or "")
            )
        if not context.pre_execution_errors:
            error = await self._refusal()
            if error is not None:
                context.pre_execution_errors = [error]
        yield

    async def _refusal(self) -> GraphQLError | None:
        context = self.execution_context
        request = getattr(context.context, "request", None)
        subscription = context.operation_type is OperationType.SUBSCRIPTION
        if isinstance(request, WebSocket) and not subscription:
            return GraphQLError(
                "Only subscriptions are sent over the websocket; send queries and mutations "
                "over HTTP (POST or GET /graphql).",
                extensions={"code": "OPERATION_NOT_SUPPORTED"},
            )
        if not subscription:
            return None  # HTTP: the Guard decides
        persisted: PersistedQueries | None = getattr(context.schema, "persisted", None)
        query = context.query
        if persisted is not None and query is not None and not persisted.allows(query):
            return GraphQLError(
                "This server runs only its registered operations.",
                extensions={"code": "QUERY_NOT_IN_SAFELIST"},
            )
        settings: Settings = context.context.settings
        if not settings.public_reads and await context.context.caller() is None:
            return GraphQLError(
                "Reading needs an API key: send `Authorization: Bearer <key>` with the "
                "websocket handshake or in the connection_init payload.",
                extensions={"code": "UNAUTHENTICATED"},
            )
        parsed = self.documents.parse(context.query or "")
        variables = context.variables or {}
        coerced = coerce_variables(
            context.schema._schema, parsed.document, context.operation_name, variables
        )
        if isinstance(coerced, list):
            return None  # refused by graphql-core in its own words
        refused = shape_refusal(settings, parsed, context.operation_name, variables, coerced)
        if refused is not None:
            return refused
        return await self._charge(request, variables)

    async def _charge(self, request: Any, variables: dict[str, Any]) -> GraphQLError | None:
        """A subscription costs what the same query costs over HTTP, from the same budget."""
        context = self.execution_context
        limiter: RateLimiter | None = getattr(context.schema, "rate_limiter", None)
        if limiter is None or not isinstance(request, WebSocket):
            return None
        body = {"query": context.query, "variables": variables}
        if context.operation_name:
            body["operationName"] = context.operation_name
        charge = await limiter.charge(request.scope, orjson.dumps(body), body)
        if charge is not None and not charge.allowed:
            return rate_limited_error(charge)
        return None

    def on_stream_result(self, result: Any) -> Iterator[None]:
        # Streaming transports send results as they are; HTTP answers are coded by the router.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = coded_errors(list(errors))
        yield
