"""Front-end reads over real HTTP: POST vs GET vs GET revalidated (304) vs a persisted query by
hash, and how long a committed announcement takes to reach a websocket subscriber.

    python -m benchmarks.http_get [--database-url URL] [--requests 400]

Without --database-url a synthetic SQLite database (benchmarks.generate) is made in a temporary
folder. The app runs on uvicorn in a thread, rate limits off, response cache on (the default)."""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from websockets.sync.client import connect

from app.db.engine import begin_write, make_engine, make_session
from app.main import create_app
from app.services.events import Added, announce_added
from app.settings import Settings
from benchmarks import generate
from benchmarks.api import free_port

QUERY = """query Page($speaker: String, $first: Int) {
  quotes(speaker: $speaker, first: $first) {
    totalCount
    edges { node { id text kind date speaker { name } article { title } } }
  }
}"""


def no_extraction(_text: str) -> Any:
    raise AssertionError("the benchmark does not ingest")


def timed(label: str, requests: int, send: Any) -> None:
    send()  # warm: the response cache, the parsed document
    times = []
    size = 0
    status = 0
    for _ in range(requests):
        start = time.perf_counter()
        response = send()
        times.append((time.perf_counter() - start) * 1000)
        size, status = len(response.content), response.status_code
    times.sort()
    print(
        f"{label:<34} status {status}  median {statistics.median(times):6.2f} ms  "
        f"p95 {times[int(0.95 * len(times)) - 1]:6.2f} ms  body {size:6d} B"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="an existing quotegraph database")
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args(argv)
    url = args.database_url
    if url is None:
        path = Path(tempfile.mkdtemp()) / "bench.db"
        url = f"sqlite:///{path}"
        generate.main(["--database-url", url, "--articles", "2000", "--quotes", "20000",
                       "--claims", "6000", "--speakers", "800"])  # fmt: skip
    settings = Settings(DATABASE_URL=url, QUOTEGRAPH_RATE_LIMIT=False)
    engine = make_engine(settings)
    app = create_app(settings, engine=engine, extractor=no_extraction)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    endpoint = f"http://127.0.0.1:{port}/graphql"
    variables = {"first": 20}
    with httpx.Client(timeout=30) as client:
        body = {"query": QUERY, "variables": variables}
        params = {"query": QUERY, "variables": json.dumps(variables)}
        sha = hashlib.sha256(QUERY.encode()).hexdigest()
        by_hash = {
            "variables": json.dumps(variables),
            "extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha}}),
        }
        etag = client.get(endpoint, params=params).headers["etag"]
        registered = client.post(
            endpoint, json={**body, "extensions": json.loads(by_hash["extensions"])}
        )
        assert not registered.json().get("errors"), registered.text
        print(f"database {url}, {args.requests} requests each, one keep-alive connection")
        timed("POST", args.requests, lambda: client.post(endpoint, json=body))
        timed("GET", args.requests, lambda: client.get(endpoint, params=params))
        timed(
            "GET If-None-Match (304)",
            args.requests,
            lambda: client.get(endpoint, params=params, headers={"If-None-Match": etag}),
        )
        timed("GET persisted by hash", args.requests, lambda: client.get(endpoint, params=by_hash))
        timed(
            "GET persisted by hash, 304",
            args.requests,
            lambda: client.get(endpoint, params=by_hash, headers={"If-None-Match": etag}),
        )
        quote = client.post(endpoint, json=body).json()["data"]["quotes"]["edges"][0]["node"]
    # Live: commit an announcement (of a stored quote), time until the subscriber has it.
    from app.graphql.ids import decode_global_id

    quote_id = decode_global_id(quote["id"], "Quote")[1]
    latencies = []
    with connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init"}))
        ws.recv(timeout=10)
        subscription = "subscription { quoteAdded { id text } }"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": subscription}}))
        time.sleep(1)
        for number in range(50):
            with make_session(engine) as session:
                begin_write(session)
                announce_added(session, Added(-number, (quote_id,)))
                start = time.perf_counter()
                session.commit()
            ws.recv(timeout=10)
            latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    print(
        f"{'commit -> subscriber (50 commits)':<34} median {statistics.median(latencies):6.2f} ms"
        f"  max {latencies[-1]:6.2f} ms"
    )
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


if __name__ == "__main__":
    main()
