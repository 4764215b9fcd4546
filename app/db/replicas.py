"""Read replicas: which database answers a request's reads, so that a client always sees its own
writes and the response cache never keeps an answer older than its stamp."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.db.engine import make_engine, normalise_url, read_write_stamp
from app.settings import Settings

log = logging.getLogger("quotegraph.replicas")


REPLICA_CONNECT_TIMEOUT_S = 3


def _with_connect_timeout(url: str) -> str:
    """A replica whose host does not answer must cost a request seconds, not a TCP timeout:
    the primary answers instead."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "postgresql" or "connect_timeout" in parsed.query:
        return url
    timeout = str(REPLICA_CONNECT_TIMEOUT_S)
    return parsed.update_query_dict({"connect_timeout": timeout}).render_as_string(
        hide_password=False
    )


class ReadReplicas:
    """The primary and its streaming replicas, with how far each replica is known to have
    replayed the primary's writes (its own copy of the write stamp row, which only grows)."""

    def __init__(
        self, primary: sa.Engine, replicas: Sequence[sa.Engine], *, retry_s: float = 5.0
    ) -> None:
        self.primary = primary
        self.replicas = list(replicas)
        self.retry_s = retry_s
        self._replayed = [0] * len(self.replicas)
        self._down_until = [0.0] * len(self.replicas)
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self.primary_stamp_seen = 0
        """The highest primary stamp this process has read (the response cache reads it)."""
        self.option_engines: dict[tuple[Any, ...], sa.Engine] = {}
        """Replica engines with execution options (ReadRoute.read_engine), made once each."""
        self.routed: Counter[str] = Counter()
        """Requests routed to "replica" / "primary" (for tests and diagnostics)."""

    @classmethod
    def from_settings(cls, settings: Settings, primary: sa.Engine) -> ReadReplicas:
        replicas = [
            make_engine(settings, _with_connect_timeout(url)) for url in settings.read_database_urls
        ]
        return cls(primary, replicas, retry_s=settings.replica_retry_s)

    def note_primary_stamp(self, stamp: int) -> int:
        """Record a stamp read from the primary; returns it (wraps the cache's stamp reader)."""
        if stamp > self.primary_stamp_seen:
            self.primary_stamp_seen = stamp
        return stamp

    def ready(self, needed: int) -> sa.Engine | None:
        """A live replica already known to have replayed `needed`, without asking any; None if
        none is known to (choose() may still find one)."""
        now = time.monotonic()
        count = len(self.replicas)
        start = next(self._turn) if count > 1 else 0
        for offset in range(count):
            index = (start + offset) % count
            if self._down_until[index] <= now and self._replayed[index] >= needed:
                return self.replicas[index]
        return None

    def choose(self, needed: int) -> sa.Engine | None:
        """A live replica that has replayed the write stamp `needed`, else None (the primary).
        May ask replicas how far they are: call it off the event loop."""
        found = self.ready(needed)
        if found is not None:
            return found
        now = time.monotonic()
        for index, replica in enumerate(self.replicas):
            if self._down_until[index] > now:
                continue
            try:
                replayed = read_write_stamp(replica)
            except sa.exc.SQLAlchemyError as error:
                self.failed(replica, error)
                continue
            with self._lock:
                self._replayed[index] = max(self._replayed[index], replayed)
            if replayed >= needed:
                return replica
        return None

    def failed(self, replica: sa.Engine, error: Exception) -> None:
        """A replica could not answer: reads go elsewhere for retry_s seconds."""
        index = self.replicas.index(replica) if replica in self.replicas else None
        if index is None:  # an execution-options copy of a replica engine
            index = next((i for i, r in enumerate(self.replicas) if r.pool is replica.pool), None)
        if index is None:
            return
        log.warning(
            "read replica %s failed (%s); reads go to the primary for %.0f s",
            replica.url.render_as_string(hide_password=True),
            str(error).splitlines()[0] if str(error) else type(error).__name__,
            self.retry_s,
        )
        self._down_until[index] = time.monotonic() + self.retry_s

    def dispose(self) -> None:
        for replica in self.replicas:
            replica.dispose()
