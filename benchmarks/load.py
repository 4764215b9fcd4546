"""Load test: concurrent readers and authenticated writers against uvicorn, then a row audit.

    .venv/bin/python benchmarks/load.py --duration 60 --clients 8

Starts quotegraph on 127.0.0.1 (its own SQLite file unless --database-url is given), mixes reads
with ingests of generated articles (some sent twice) for --duration seconds, and prints requests
served, errors, p50/p99 latency per operation, server memory in the first and last 10 seconds,
and the database's row counts checked against what the clients sent and were told.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db.engine import make_engine, make_session  # noqa: E402
from app.db.migrations import upgrade  # noqa: E402
from app.services.keys import create_key  # noqa: E402
from app.settings import Settings  # noqa: E402

FIRST = ["Elena", "Tom", "Priya", "Marcus", "Ines", "Kofi", "Hana", "Liam", "Sofia", "Omar"]
LAST = ["Vasquez", "Reddick", "Natarajan", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Brennan"]
ROLES = ["Transport Minister", "mayor", "union leader", "senior engineer", "council chair"]
TOPICS = ["the pier", "the new bridge", "bus fares", "the hospital wing", "flood barriers"]

INGEST = """mutation($input: IngestArticleInput!) { ingestArticle(input: $input) {
  created article { id } quotes { id } } }"""
READS = {
    "quotes_by_speaker": (
        "query($s: String!) { quotes(speaker: $s, first: 20) { totalCount edges { node "
        "{ text kind date speaker { name } article { title publishedAt } } } } }"
    ),
    "speakers_search": (
        "query($p: String!) { speakers(search: $p, first: 10) "
        "{ edges { node { name quoteCount } } } }"
    ),
    "articles": (
        "{ articles(first: 10) { edges { node { title quotes { text speaker { name } } } } } }"
    ),
    "search": "query($q: String!) { quotes(search: $q, first: 20) { edges { node { text } } } }",
}


def article_text(rng: random.Random, serial: int) -> str:
    a, b = rng.sample([f"{f} {l}" for f in FIRST for l in LAST], 2)  # noqa: E741
    topic = rng.choice(TOPICS)
    figure = rng.randint(2, 900)
    return (
        f"CITY (Wire): {rng.choice(ROLES).capitalize()} {a} said on day {serial} that work on "
        f"{topic} would cost {figure} million.\n\n"
        f'"We have checked every figure twice," {a.split()[1]} told reporters. '
        f'"The work starts in {rng.choice(["May", "June", "July"])}."\n\n'
        f'{b}, a {rng.choice(ROLES)}, disagreed. "This plan ignores the people who use '
        f'{topic} every day," {b.split()[1]} said.\n'
    )


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)  # text -> quotes reported
    sent_texts: set[str] = field(default_factory=set)
    duplicates_sent: int = 0


async def client_loop(
    number: int, base: str, key: str, deadline: float, tally: Tally, write_share: float
) -> None:
    rng = random.Random(number)
    serial = number * 1_000_000
    sent: list[str] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.monotonic() < deadline:
            if rng.random() < write_share:
                if sent and rng.random() < 0.15:
                    text = rng.choice(sent)
                    tally.duplicates_sent += 1
                else:
                    serial += 1
                    text = article_text(rng, serial)
                    sent.append(text)
                name, body = "ingest", {"query": INGEST, "variables": {"input": {"text": text}}}
                headers = {"Authorization": f"Bearer {key}"}
            else:
                name = rng.choice(list(READS))
                variables = {
                    "s": rng.choice(LAST),
                    "p": rng.choice(FIRST)[:2],
                    "q": rng.choice(["figure", "plan", "work"]),
                }
                body = {"query": READS[name], "variables": variables}
                headers = {}
                text = ""
            started = time.perf_counter()
            try:
                response = await http.post("/graphql", json=body, headers=headers)
                payload: dict[str, Any] = response.json()
            except (httpx.HTTPError, ValueError) as error:
                tally.errors.append(f"{name}: {type(error).__name__} {error}")
                continue
            tally.latencies[name].append(time.perf_counter() - started)
            if response.status_code != 200 or payload.get("errors"):
                tally.errors.append(f"{name}: {response.status_code} {payload.get('errors')}")
                continue
            if name == "ingest":
                tally.sent_texts.add(text)
                result = payload["data"]["ingestArticle"]
                if result["created"]:
                    if text in tally.created:
                        tally.errors.append("ingest: the same text was created twice")
                    tally.created[text] = len(result["quotes"])


def rss_tree(pid: int, depth: int = 0, depths: dict[int, int] | None = None) -> dict[int, float]:
    """Resident memory in MB of a process and all its descendants (uvicorn workers and their
    extraction processes), by pid."""
    found: dict[int, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                found[pid] = int(line.split()[1]) / 1024
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return found
    if depths is not None:
        depths[pid] = depth
    for child in children:
        found.update(rss_tree(int(child), depth + 1, depths))
    return found


def describe(pid: int, depth: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        return "gone"
    text = " ".join(w.decode(errors="replace") for w in words if w)
    if "resource_tracker" in text:
        return "multiprocessing resource tracker"
    if depth == 0:
        return "server"
    # With one worker, extraction processes are the server's children; with several, the
    # children are uvicorn workers and extraction processes are their children.
    return f"process at depth {depth}"


async def sample_memory(
    pid: int,
    deadline: float,
    samples: list[tuple[float, dict[int, float]]],
    names: dict[int, str],
) -> None:
    start = time.monotonic()
    while time.monotonic() < deadline:
        depths: dict[int, int] = {}
        tree = rss_tree(pid, 0, depths)
        for process in tree:
            names.setdefault(process, describe(process, depths.get(process, 0)))
        samples.append((time.monotonic() - start, tree))
        await asyncio.sleep(1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--write-share", type=float, default=0.25, help="share of ingests")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    database_url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/load.db"
    upgrade(database_url)
    settings = Settings(DATABASE_URL=database_url)
    engine = make_engine(settings)
    with make_session(engine) as session:
        key = create_key(session, "load test")[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(args.port), "--workers", str(args.workers),
         "--log-level", "warning"],
        # Rate limits off: the load test sends far more than one address's budget.
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "QUOTEGRAPH_RATE_LIMIT": "false"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise SystemExit("the server did not start")
        # One request warms the spaCy pipeline so the first seconds measure the service.
        httpx.post(
            f"{base}/graphql",
            json={
                "query": INGEST,
                "variables": {"input": {"text": article_text(random.Random(-1), -1)}},
            },
            headers={"Authorization": f"Bearer {key}"},
            timeout=60,
        )
        tally = Tally()
        memory: list[tuple[float, dict[int, float]]] = []
        names: dict[int, str] = {}
        deadline = time.monotonic() + args.duration

        async def run() -> None:
            await asyncio.gather(
                sample_memory(server.pid, deadline, memory, names),
                *(
                    client_loop(n, base, key, deadline, tally, args.write_share)
                    for n in range(args.clients)
                ),
            )

        started = time.monotonic()
        asyncio.run(run())
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)

    served = sum(len(v) for v in tally.latencies.values())
    print(f"database: {engine.url.render_as_string(hide_password=True)}")
    print(f"{args.clients} clients, {args.workers} worker(s), {elapsed:.1f} s")
    print(f"requests served: {served} ({served / elapsed:.1f}/s), errors: {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"  error: {error[:300]}")
    print(f"{'operation':<20}{'count':>8}{'p50 ms':>10}{'p99 ms':>10}")
    for name, values in sorted(tally.latencies.items()):
        print(
            f"{name:<20}{len(values):>8}"
            f"{percentile(values, 0.5):>10.1f}{percentile(values, 0.99):>10.1f}"
        )
    first = [m for t, m in memory if t < 10]
    last = [m for t, m in memory if t >= elapsed - 10]
    if first and last:
        total_first = statistics.mean(sum(m.values()) for m in first)
        total_last = statistics.mean(sum(m.values()) for m in last)
        print(
            f"server RSS, all processes: first 10 s {total_first:.0f} MB, "
            f"last 10 s {total_last:.0f} MB"
        )
        for process in sorted(set(first[-1]) | set(last[-1])):
            before = statistics.mean(m.get(process, 0.0) for m in first)
            after = statistics.mean(m.get(process, 0.0) for m in last)
            print(f"  pid {process} ({names.get(process, '?')}): {before:.0f} -> {after:.0f} MB")

    with engine.connect() as connection:

        def scalar(sql: str) -> int:
            return int(connection.execute(sa.text(sql)).scalar_one())

        articles = scalar("SELECT count(*) FROM article") - 1  # minus the warm-up article
        quotes = scalar("SELECT count(*) FROM quote")
        dup_speakers = scalar(
            "SELECT count(*) FROM (SELECT name_key FROM speaker GROUP BY name_key "
            "HAVING count(*) > 1) d"
        )
        dup_aliases = scalar(
            "SELECT count(*) FROM (SELECT speaker_id, alias_key FROM speaker_alias "
            "GROUP BY 1, 2 HAVING count(*) > 1) d"
        )
        warm_quotes = scalar(
            "SELECT count(*) FROM quote WHERE article_id = (SELECT min(id) FROM article)"
        )
    engine.dispose()
    unique_sent = len(tally.sent_texts)
    expected_quotes = sum(tally.created.values())
    print(
        f"articles: {articles} stored, {unique_sent} distinct acknowledged, "
        f"{len(tally.created)} reported created, {tally.duplicates_sent} resends"
    )
    print(f"quotes: {quotes - warm_quotes} stored, {expected_quotes} reported by ingestArticle")
    print(f"duplicate speakers: {dup_speakers}, duplicate aliases: {dup_aliases}")
    lost_or_duplicated = (
        articles != unique_sent
        or len(tally.created) != unique_sent
        or quotes - warm_quotes != expected_quotes
        or dup_speakers
        or dup_aliases
    )
    print("row audit:", "FAILED" if lost_or_duplicated else "ok (nothing lost, nothing twice)")
    if lost_or_duplicated or tally.errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
