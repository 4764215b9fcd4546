"""Hostile requests against a real server: how long each blocks the worker, what memory it
leaves behind, what the guard estimates (issue 17, defects 2-8).

    .venv/bin/python -m benchmarks.hardening [--padded 300] [--chain-levels 20,24,40]

Starts `uvicorn app.main:create_app` (one worker, a fresh SQLite file, default settings) and
prints one line per measurement. Each slow request is sent while /health is polled, so
"health" is how long the event loop was unavailable to other clients. RSS is the server's
VmRSS. Run it on two checkouts (PYTHONPATH=<checkout>) to compare before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

DEFAULTS = """query($a: Int = 100, $b: Int = 100) { speakers(first: $a) { edges { node {
  quotes(first: $b) { edges { node { claims { text } } } } } } } }"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server() -> Iterator[tuple[str, int]]:
    from app.db.migrations import upgrade

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'hardening.db'}"
        upgrade(url)
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "QUOTEGRAPH_PORT": str(port)}
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app"),
                *("--port", str(port), "--log-level", "warning"),
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                time.sleep(0.1)
            yield base, process.pid
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:  # still busy with a request: the old code
                process.kill()
                process.wait(10)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def timed_with_health(base: str, body: Any, timeout: float = 60) -> dict[str, Any]:
    """Send `body`; meanwhile time a /health request started 50 ms later."""
    health: dict[str, float] = {}

    def poll() -> None:
        time.sleep(0.05)
        started = time.perf_counter()
        try:
            httpx.get(f"{base}/health", timeout=timeout)
            health["s"] = time.perf_counter() - started
        except httpx.HTTPError:
            health["s"] = float("inf")

    thread = threading.Thread(target=poll)
    thread.start()
    started = time.perf_counter()
    try:
        response = httpx.post(f"{base}/graphql", json=body, timeout=timeout)
        elapsed = time.perf_counter() - started
        outcome = _outcome(response)
    except httpx.TimeoutException:
        elapsed, outcome = float("inf"), f"no answer within {timeout:g} s"
    thread.join()
    return {"request_s": round(elapsed, 3), "health_s": round(health["s"], 3), "answer": outcome}


def _outcome(response: httpx.Response) -> str:
    kind = response.headers.get("content-type", "")
    if not kind.startswith("application/json"):
        return f"HTTP {response.status_code} {kind} {response.text[:60]!r}"
    body = response.json()
    if body.get("errors"):
        error = body["errors"][0]
        extensions = error.get("extensions") or {}
        value = f" value={extensions['value']}" if "value" in extensions else ""
        return f"HTTP {response.status_code} {extensions.get('code')}{value}"
    return f"HTTP {response.status_code} data"


def chain(levels: int) -> str:
    lines = ["query { ...F0 }"]
    lines += [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels - 1)]
    lines.append(f"fragment F{levels - 1} on Query {{ __typename }}")
    return "\n".join(lines)


def cache_memory() -> str:
    """A 4 MB response cache filled with small answers under distinct variables: what its own
    counter says, and what tracemalloc traces."""
    from app.graphql import cache as module

    cache = module.ResponseCache(4 * 1024 * 1024)
    query = "query($s: String) { quotes(speaker: $s) { totalCount } }"
    documents = None
    with contextlib.suppress(ImportError):
        from app.graphql.documents import Documents
        from app.settings import Settings

        documents = Documents(Settings())
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for number in range(100_000):
        payload = {"query": query, "variables": {"s": f"speaker number {number}"}}
        key = (
            module.cache_key(payload, "public", documents)  # type: ignore[call-arg]
            if documents is not None
            else module.cache_key(payload, "public")  # type: ignore[call-arg]
        )
        cache.put(key, 1, b'{"data":{"quotes":{"totalCount":%d}}}' % number)
    traced = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return (
        f"cache budget 4.0 MB: counter {cache.size / 2**20:.1f} MB, "
        f"tracemalloc {traced / 2**20:.1f} MB, {len(cache)} entries"
    )


def estimates() -> str:
    from graphql import parse

    from app.graphql import guard
    from app.graphql.schema import build_schema

    document = parse(DEFAULTS)
    if hasattr(guard, "estimate"):
        schema = build_schema()._schema
        figures = []
        for sent in ({}, {"a": 100, "b": 100}):
            coerced = guard.coerce_variables(schema, document, None, sent)
            figures.append(guard.estimate(document, None, coerced).cost)  # type: ignore[arg-type]
    else:
        operation = document.definitions[0]
        figures = [
            guard.measure(operation, {}, sent).cost  # type: ignore[attr-defined,arg-type]
            for sent in ({}, {"a": 100, "b": 100})
        ]
    return f"estimated cost, defaults unsent: {figures[0]:,}; same values sent: {figures[1]:,}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--padded", type=int, default=300, help="distinct padded queries")
    parser.add_argument("--chain-levels", default="20,24,40")
    args = parser.parse_args()
    print(estimates())
    print(cache_memory())
    with server() as (base, pid):
        flood = "{ " + "a " * 400_000 + "}"
        print("token flood (800 KB of names):", timed_with_health(base, {"query": flood}))
        many = "{ " + "a " * 20_000 + "}"
        print("token flood (40 KB of names):", timed_with_health(base, {"query": many}))
        merging = "{ quotes { nodes { " + "speaker { name } " * 495 + "} } }"
        print(
            "495 repeats of `speaker { name }` (slow to validate):",
            timed_with_health(base, {"query": merging}),
        )
        for size in (900_000, 90_000) if args.padded else ():
            start = rss_mb(pid)
            answers: dict[str, int] = {}
            started = time.perf_counter()
            for number in range(args.padded):
                padded = f"# {number} " + "x" * size + "\n{ __typename }"
                response = httpx.post(f"{base}/graphql", json={"query": padded}, timeout=60)
                outcome = _outcome(response)
                answers[outcome] = answers.get(outcome, 0) + 1
            elapsed = time.perf_counter() - started
            grown = rss_mb(pid) - start
            print(
                f"{args.padded} distinct comment-padded queries of {size // 1000} KB: "
                f"RSS +{grown:.0f} MB ({grown / args.padded:.2f} MB per request), "
                f"{elapsed / args.padded * 1000:.0f} ms each, answers {answers}"
            )
        print("defaults unsent:", _outcome(httpx.post(f"{base}/graphql", json={"query": DEFAULTS})))
        read = {"query": "{ quotes(first: 3) { totalCount } }"}
        httpx.post(f"{base}/graphql", json=read)
        httpx.post(f"{base}/graphql", json=read)
        import orjson

        plain = httpx.post(
            f"{base}/graphql", content=orjson.dumps(read), headers={"content-type": "text/plain"}
        )
        print("text/plain POST of a cached read:", _outcome(plain))
        unknown = {"query": "query A { __typename }", "operationName": "B"}
        print("unknown operationName:", _outcome(httpx.post(f"{base}/graphql", json=unknown)))
        for levels in (int(n) for n in args.chain_levels.split(",")):
            result = timed_with_health(base, {"query": chain(levels)}, timeout=40)
            print(f"fragment chain of {levels} levels ({len(chain(levels))} chars):", result)
            if result["request_s"] == float("inf"):
                break  # the worker is still busy with it: nothing after this would be fair


if __name__ == "__main__":
    main()
