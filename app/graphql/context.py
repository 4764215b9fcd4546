"""Per-request context: one database session (used one call at a time), loaders, settings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from anyio import to_thread
from sqlmodel import Session
from strawberry.fastapi import BaseContext

from app.db.engine import make_session
from app.db.models import ApiKey
from app.queue.dispatch import JobDispatcher
from app.services.ingest import Extractor
from app.services.keys import authenticate, bearer_token
from app.settings import Settings

if TYPE_CHECKING:
    from app.graphql.loaders import Loaders

R = TypeVar("R")
_UNKNOWN = object()


class Context(BaseContext):
    """What every resolver sees as info.context."""

    def __init__(
        self,
        settings: Settings,
        engine: sa.Engine,
        extractor: Extractor,
        dispatcher: JobDispatcher,
    ) -> None:
        super().__init__()
        from app.graphql.loaders import Loaders

        self.settings = settings
        self.extractor = extractor
        self.dispatcher = dispatcher
        # On the primary `engine`; with read replicas it reads from the one this request was
        # routed to (app.graphql.routing) until it writes, then uses the primary only.
        self.session: Session = make_session(engine)
        # A Session is not thread-safe; resolvers of one request run concurrently on the event
        # loop, so their database calls take turns while other requests proceed in parallel.
        self._lock = asyncio.Lock()
        self.loaders: Loaders = Loaders(self)
        self._caller: ApiKey | object | None = _UNKNOWN

    async def caller(self) -> ApiKey | None:
        """The API key the request authenticated with (Authorization: Bearer), if any."""
        if self._caller is _UNKNOWN:
            header = self.request.headers.get("authorization", "") if self.request else ""
            params = self.connection_params
            if not header and isinstance(params, dict):
                # A browser cannot set headers on a websocket: the key comes in connection_init.
                sent = params.get("Authorization", params.get("authorization"))
                header = sent if isinstance(sent, str) else ""
            token = bearer_token(header)
            found = None
            if token is not None:
                found = await self.run(authenticate, token)
            self._caller = found
        return self._caller  # type: ignore[return-value]

    async def run(self, function: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """Call function(session, *args, **kwargs) in a worker thread, off the event loop."""
        async with self._lock:
            return await to_thread.run_sync(partial(function, self.session, *args, **kwargs))

    def close(self) -> None:
        self.session.close()
