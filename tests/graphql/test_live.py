"""Live updates: quoteAdded / claimAdded over graphql-transport-ws, with a real websocket client
against real uvicorn; on PostgreSQL across worker processes through LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from app.db.engine import begin_write, make_engine, make_session
from app.graphql.ids import decode_global_id
from app.main import create_app
from app.services import ingest
from app.services.events import Added, PostgresListener, announce_added, hub_for
from app.services.keys import create_key
from app.settings import Settings
from benchmarks.api import free_port
from tests.conftest import _truncate_postgres
from tests.helpers import FOLLOWUP, INGEST, STORY, ingest_input, numbered_story

PROTOCOL = "graphql-transport-ws"
QUOTES = """
subscription Live($speaker: String, $speakerId: ID) {
  quoteAdded(speaker: $speaker, speakerId: $speakerId) {
    id text speaker { id name } article { id }
  }
}
"""
QUOTES_OF_CLASSES = """
subscription Live($speaker: String, $classes: [AttributionClass!]) {
  quoteAdded(speaker: $speaker, classes: $classes) { id attributionClass }
}
"""
VASQUEZ = "Elena Vasquez"
CLAIMS = "subscription { claimAdded { id text article { id } } }"


class Live:
    """A graphql-transport-ws client on a real websocket."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket

    def send(self, message: dict[str, Any]) -> None:
        self.socket.send(json.dumps(message))

    def receive(self, timeout: float = 30) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self.socket.recv(timeout=timeout))
        return message

    def subscribe(self, id: str, query: str, **variables: Any) -> None:
        self.send(
            {"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )

    def quiet(self, seconds: float) -> bool:
        """Whether nothing arrives for `seconds`."""
        try:
            self.socket.recv(timeout=seconds)
        except TimeoutError:
            return True
        return False


@contextmanager
def live(url: str, payload: dict[str, Any] | None = None, **options: Any) -> Iterator[Live]:
    with connect(url, subprotocols=[PROTOCOL], open_timeout=30, **options) as socket:  # type: ignore[list-item]
        client = Live(socket)
        client.send({"type": "connection_init", **({"payload": payload} if payload else {})})
        assert client.receive()["type"] == "connection_ack"
        yield client


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app on real uvicorn in a thread; yields its host:port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_for(condition: Callable[[], bool], seconds: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def server(
    settings: Settings, engine: sa.Engine, extractor: Callable[[str], Any]
) -> Iterator[tuple[str, FastAPI]]:
    app = create_app(settings, engine=engine, extractor=extractor)
    with serving(app) as address:
        listener = getattr(app.state, "listener", None)
        if listener is not None:  # PostgreSQL: announcements come through LISTEN
            wait_for(listener.listening.is_set, what="the listener")
        yield address, app


def post(address: str, query: str, key: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = httpx.post(
        f"http://{address}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=60,
    )
    body: dict[str, Any] = response.json()
    return body


def test_subscribers_receive_what_is_stored_as_it_is_stored(
    server: tuple[str, FastAPI], engine: sa.Engine, api_key: str
) -> None:
    address, _app = server
    url = f"ws://{address}/graphql"
    hub = hub_for(engine)
    with (
        live(url) as quotes,
        live(url) as others,
        live(url) as claims,
        live(url) as everything,
    ):
        quotes.subscribe("vasquez", QUOTES, speaker="vasquez")
        others.subscribe("nobody", QUOTES, speaker="Nobody Atall")
        claims.subscribe("claims", CLAIMS)
        every_class = ["SPEECH", "BELIEF", "EVIDENCE"]
        everything.subscribe("all", QUOTES_OF_CLASSES, speaker="vasquez", classes=every_class)
        wait_for(lambda: len(hub) >= 4, what="four subscriptions")
        stored = post(address, INGEST, api_key, input=ingest_input(STORY))
        assert not stored.get("errors"), stored
        payload = stored["data"]["ingestArticle"]
        expected = [
            q["id"] for q in payload["quotes"] if (q["speaker"] or {}).get("name") == VASQUEZ
        ]
        assert expected
        received = []
        for _ in expected:
            message = quotes.receive()
            assert message["type"] == "next" and message["id"] == "vasquez", message
            quote = message["payload"]["data"]["quoteAdded"]
            assert quote["speaker"]["name"] == "Elena Vasquez"
            assert quote["article"]["id"] == payload["article"]["id"]
            received.append(quote["id"])
        assert received == expected  # in the article's order, each once
        # Speech by default, as `quotes`; `classes` asks for beliefs and evidence too.
        with engine.connect() as connection:
            stored_classes = dict(
                connection.execute(
                    sa.text(
                        "SELECT id, attribution_class FROM quote WHERE speaker_id IS NOT NULL "
                        "AND article_id = (SELECT max(id) FROM article)"
                    )
                ).all()
            )
        all_of_hers = []
        while True:
            try:
                message = everything.receive(timeout=1.0)
            except TimeoutError:
                break
            all_of_hers.append(message["payload"]["data"]["quoteAdded"])
        assert [q["id"] for q in all_of_hers if q["attributionClass"] == "SPEECH"] == expected
        assert all(
            stored_classes[decode_global_id(q["id"], "Quote")[1]] == q["attributionClass"].lower()
            for q in all_of_hers
        )
        if payload["claims"]:
            got = [
                claims.receive()["payload"]["data"]["claimAdded"]["id"] for _ in payload["claims"]
            ]
            assert got == [c["id"] for c in payload["claims"]]
        assert others.quiet(0.5)
        # The same text again stores nothing, so announces nothing.
        post(address, INGEST, api_key, input=ingest_input(STORY))
        assert quotes.quiet(0.5)
        # By global ID; the next article reaches the subscription that is still open.
        speaker_id = next(
            q["speaker"]["id"]
            for q in payload["quotes"]
            if (q["speaker"] or {}).get("name") == VASQUEZ
        )
        quotes.subscribe("by-id", QUOTES, speakerId=speaker_id)
        wait_for(lambda: len(hub) >= 5, what="the fifth subscription")
        followup = post(address, INGEST, api_key, input=ingest_input(FOLLOWUP))
        by_speaker = [
            q["id"]
            for q in followup["data"]["ingestArticle"]["quotes"]
            if q["speaker"] and q["speaker"]["id"] == speaker_id
        ]
        messages = [quotes.receive() for _ in range(2 * len(by_speaker))]
        for id in ("vasquez", "by-id"):
            assert [
                m["payload"]["data"]["quoteAdded"]["id"] for m in messages if m["id"] == id
            ] == by_speaker
    wait_for(lambda: len(hub) == 0, what="subscriptions to end with their connections")


def test_announcements_reach_subscribers_on_commit_only(engine: sa.Engine) -> None:
    async def scenario() -> list[Added]:
        hub = hub_for(engine)
        listening = None
        if engine.dialect.name == "postgresql":
            listener = PostgresListener(engine, hub)
            listening = asyncio.create_task(listener.run())
            await asyncio.wait_for(listener.listening.wait(), 30)
        with hub.subscribe() as inbox:

            def write(added: Added, commit: bool) -> None:
                with make_session(engine) as session:
                    begin_write(session)
                    announce_added(session, added)
                    if commit:
                        session.commit()
                    else:
                        session.rollback()

            await asyncio.to_thread(write, Added(1, (1, 2)), False)
            await asyncio.to_thread(write, Added(2, (3,), (4,)), True)
            got = [await asyncio.wait_for(inbox.queue.get(), 30)]
            # Big announcements are split under PostgreSQL's payload limit, nothing lost.
            many = Added(3, tuple(range(10, 3000)), tuple(range(5000, 5600)))
            await asyncio.to_thread(write, many, True)
            while sum(len(a.quote_ids) + len(a.claim_ids) for a in got[1:]) < 3590:
                got.append(await asyncio.wait_for(inbox.queue.get(), 30))
            assert inbox.queue.empty()
        if listening is not None:
            listening.cancel()
        return got

    got = asyncio.run(scenario())
    assert got[0] == Added(2, (3,), (4,))  # the rolled-back one never arrived
    assert sorted(i for a in got[1:] for i in a.quote_ids) == list(range(10, 3000))
    assert sorted(i for a in got[1:] for i in a.claim_ids) == list(range(5000, 5600))


def test_websockets_carry_subscriptions_under_the_http_rules(
    server: tuple[str, FastAPI], api_key: str
) -> None:
    address, _app = server
    url = f"ws://{address}/graphql"
    with live(url) as client:
        for id, query in (
            ("query", "{ quotes { totalCount } }"),
            ("mutation", 'mutation { deleteArticle(id: "QXJ0aWNsZTox") { deletedId } }'),
        ):
            client.subscribe(id, query)
            message = client.receive()
            assert message["type"] == "error" and message["id"] == id
            assert message["payload"][0]["extensions"]["code"] == "OPERATION_NOT_SUPPORTED"
        deep = (
            "subscription { quoteAdded { " + "article { quotes { " * 6 + "id" + " } }" * 6 + " } }"
        )
        client.subscribe("deep", deep)
        message = client.receive()
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"].endswith("_LIMIT_EXCEEDED")
        client.subscribe("bad-id", QUOTES, speakerId="not an id")
        message = client.receive()
        error = message["payload"]["errors"][0]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "speakerId"}
        assert client.receive() == {"id": "bad-id", "type": "complete"}
        client.subscribe("typo", "subscription { quoteAdded { nope } }")
        message = client.receive()
        assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    # Pages on other origins may open one only when CORS allows them (tests' settings: one).
    with live(url, additional_headers={"Origin": "https://frontend.example"}):
        pass
    with (
        pytest.raises(InvalidStatus),
        live(url, additional_headers={"Origin": "https://evil.example"}),
    ):
        pass


def test_private_deployments_need_a_key_for_subscriptions(
    database_url: str, engine: sa.Engine, api_key: str, extractor: Callable[[str], Any]
) -> None:
    settings = Settings(DATABASE_URL=database_url, QUOTEGRAPH_PUBLIC_READS=False)
    with serving(create_app(settings, engine=engine, extractor=extractor)) as address:
        url = f"ws://{address}/graphql"
        with live(url) as anonymous:
            anonymous.subscribe("1", CLAIMS)
            message = anonymous.receive()
            assert message["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        hub = hub_for(engine)
        # A browser sends the key in connection_init; other clients may use the header.
        with (
            live(url, {"Authorization": f"Bearer {api_key}"}) as keyed,
            live(url, additional_headers={"Authorization": f"Bearer {api_key}"}) as headed,
        ):
            keyed.subscribe("1", CLAIMS)
            headed.subscribe("1", CLAIMS)
            wait_for(lambda: len(hub) >= 2, what="two subscriptions")
            assert keyed.quiet(0.2) and headed.quiet(0.2)


# --- PostgreSQL, two uvicorn workers ---------------------------------------------------------


def listeners(url: str) -> int:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        count = connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND query = 'LISTEN quotegraph_added'"
            )
        ).scalar_one()
    engine.dispose()
    return int(count)


@pytest.mark.postgres
def test_two_workers_deliver_every_commit_to_every_subscriber(
    postgres_url: str, extractor: Callable[[str], Any]
) -> None:
    _truncate_postgres(postgres_url)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": postgres_url, "QUOTEGRAPH_RATE_LIMIT": "false"}
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
               "--workers", "2", "--host", "127.0.0.1", "--port", str(port),
               "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    try:
        wait_for(lambda: listeners(postgres_url) == 2, 120, "both workers to listen")
        url = f"ws://127.0.0.1:{port}/graphql"
        with contextlib.ExitStack() as stack:
            clients = [stack.enter_context(live(url)) for _ in range(8)]
            for number, client in enumerate(clients):
                client.subscribe(str(number), QUOTES, speaker="Vasquez")
            # The protocol does not acknowledge a subscription: articles are stored by this
            # process (not a server worker), through the same service, until every subscriber
            # has heard of one, each from PostgreSQL, whichever worker holds it.
            engine = make_engine(Settings(DATABASE_URL=postgres_url))
            heard: set[int] = set()
            number = 0
            while len(heard) < len(clients):
                assert number < 20, f"{len(heard)} of {len(clients)} subscribers heard"
                number += 1
                with make_session(engine) as session:
                    article = ingest.ArticleInput(numbered_story(number))
                    stored_here = ingest.ingest_article(
                        session, article, extractor, max_chars=200_000
                    )
                assert stored_here.created
                for index, client in enumerate(clients):
                    if index in heard:
                        continue
                    with contextlib.suppress(TimeoutError):
                        quote = client.receive(timeout=3)["payload"]["data"]["quoteAdded"]
                        assert quote["speaker"]["name"] == VASQUEZ
                        heard.add(index)
            with make_session(engine) as session:
                key = create_key(session, "live")[1]
            engine.dispose()
            # Through the API: one worker stores it, both deliver it.
            stored = post(f"127.0.0.1:{port}", INGEST, key, input=ingest_input(FOLLOWUP))
            assert not stored.get("errors"), stored
            wanted = next(
                q["id"]
                for q in stored["data"]["ingestArticle"]["quotes"]
                if (q["speaker"] or {}).get("name") == VASQUEZ
            )
            for client in clients:
                ids = []
                while wanted not in ids:
                    ids.append(client.receive()["payload"]["data"]["quoteAdded"]["id"])
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_subscriptions_are_charged_to_the_callers_budget(
    database_url: str, engine: sa.Engine, extractor: Callable[[str], Any]
) -> None:
    settings = Settings(DATABASE_URL=database_url, QUOTEGRAPH_RATE_LIMIT_ANONYMOUS_POINTS=2)
    app = create_app(settings, engine=engine, extractor=extractor)
    with serving(app) as address, live(f"ws://{address}/graphql") as client:
        # Three subscriptions of one point each (they are checked concurrently: any of them
        # may be the one the budget of two cannot pay).
        for id in ("1", "2", "3"):
            client.subscribe(id, CLAIMS)
        message = client.receive()
        assert message["type"] == "error"
        assert client.quiet(0.3)  # the other two are running
        error = message["payload"][0]["extensions"]
        assert error["code"] == "RATE_LIMITED" and error["remaining"] == 0
        # The budget is the one HTTP requests spend from.
        spent = httpx.post(f"http://{address}/graphql", json={"query": "{ __typename }"})
        assert spent.status_code == 429
