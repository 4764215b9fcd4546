"""Announcements of stored quotes and claims, for live subscribers. On PostgreSQL they are
NOTIFY'd in the transaction that stores them, so PostgreSQL delivers them at commit (and never
for a rollback) to every listening API worker on any machine, whichever process wrote; on SQLite
they reach this process's subscribers once the transaction commits."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

log = logging.getLogger("quotegraph.events")

CHANNEL = "quotegraph_added"
# PostgreSQL refuses a NOTIFY payload of 8000 bytes or more: larger announcements are split.
MAX_PAYLOAD = 7_000
_PENDING = "quotegraph_pending_events"  # session.info: announced, published at commit (SQLite)


@dataclass(frozen=True, slots=True)
class Added:
    """What one transaction stored: ids only (subscribers read the rows they want)."""

    article_id: int
    quote_ids: tuple[int, ...] = ()
    claim_ids: tuple[int, ...] = ()

    def payloads(self) -> list[str]:
        """The announcement as NOTIFY payloads, each under PostgreSQL's limit."""
        whole = self._payload(self.quote_ids, self.claim_ids)
        if len(whole) <= MAX_PAYLOAD:
            return [whole]
        # About 8 bytes an id: chunks of 500 stay well under the limit.
        return [
            *(
                self._payload(self.quote_ids[i : i + 500], ())
                for i in range(0, len(self.quote_ids), 500)
            ),
            *(
                self._payload((), self.claim_ids[i : i + 500])
                for i in range(0, len(self.claim_ids), 500)
            ),
        ]

    def _payload(self, quotes: tuple[int, ...], claims: tuple[int, ...]) -> str:
        return orjson.dumps({"a": self.article_id, "q": quotes, "c": claims}).decode()

    @classmethod
    def from_payload(cls, payload: str) -> Added:
        data = orjson.loads(payload)
        return cls(
            int(data["a"]),
            tuple(int(i) for i in data.get("q", ())),
            tuple(int(i) for i in data.get("c", ())),
        )


def announce_added(session: Session, added: Added) -> None:
    """Announce what the session's current (writing) transaction stored; delivered only if it
    commits. Call it from the service that writes, after writing."""
    if not added.quote_ids and not added.claim_ids:
        return
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        for payload in added.payloads():
            session.execute(
                sa.text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANNEL, "payload": payload},
            )
        return
    session.info.setdefault(_PENDING, []).append((hub_key(bind), added))


@sa.event.listens_for(Session, "after_commit")
def _publish_pending(session: Session) -> None:
    for key, added in session.info.pop(_PENDING, ()):
        hub_for_key(key).publish(added)


@sa.event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


# --- this process's subscribers ---------------------------------------------------------------


@dataclass(eq=False)
class Subscriber:
    """One subscription's inbox, on the event loop it reads from."""

    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Added] = field(default_factory=lambda: asyncio.Queue(maxsize=1_000))
    dropped: int = 0

    def offer(self, added: Added) -> None:
        try:
            self.queue.put_nowait(added)
        except asyncio.QueueFull:
            # A subscriber that does not read keeps no more than its queue's worth.
            self.dropped += 1


class Hub:
    """Fan-out of announcements to this process's subscribers; publish() may be called from
    any thread (services write in worker threads), each subscriber gets it on its own loop."""

    def __init__(self) -> None:
        self._subscribers: set[Subscriber] = set()
        self._lock = threading.Lock()

    def publish(self, added: Added) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber.loop.call_soon_threadsafe(subscriber.offer, added)
            except RuntimeError:  # its loop is closed: the subscription is gone
                self._discard(subscriber)

    @contextmanager
    def subscribe(self) -> Iterator[Subscriber]:
        subscriber = Subscriber(asyncio.get_running_loop())
        with self._lock:
            self._subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            self._discard(subscriber)

    def _discard(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.discard(subscriber)

    def __len__(self) -> int:
        return len(self._subscribers)


_HUBS: dict[str, Hub] = {}
_HUBS_LOCK = threading.Lock()


def hub_key(engine: sa.Engine | sa.Connection) -> str:
    """Engines on the same database share a hub (the URL without its password)."""
    return engine.engine.url.render_as_string(hide_password=True)


def hub_for_key(key: str) -> Hub:
    with _HUBS_LOCK:
        hub = _HUBS.get(key)
        if hub is None:
            hub = _HUBS[key] = Hub()
        return hub


def hub_for(engine: sa.Engine) -> Hub:
    """This process's subscribers to announcements about `engine`'s database."""
    return hub_for_key(hub_key(engine))


# --- PostgreSQL: one listening connection per API worker ----------------------------------------


class PostgresListener:
    """LISTENs on the announcements channel and hands each to the hub; reconnects when the
    connection drops (announcements made meanwhile are missed: live updates, not a log)."""

    def __init__(self, engine: sa.Engine, hub: Hub, retry_s: float = 1.0) -> None:
        url = engine.url.set(drivername="postgresql")
        self.conninfo = url.render_as_string(hide_password=False)
        self.hub = hub
        self.retry_s = retry_s
        self.listening = asyncio.Event()

    async def run(self) -> None:
        import psycopg

        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.conninfo, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    async for notice in connection.notifies():
                        try:
                            added = Added.from_payload(notice.payload)
                        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                            log.warning("ignored a malformed announcement: %.80r", notice.payload)
                            continue
                        self.hub.publish(added)
            except psycopg.Error as error:
                self.listening.clear()
                log.warning("live updates: listening connection lost (%s); retrying", error)
                await asyncio.sleep(self.retry_s)
