"""Resident memory of one `quotegraph serve` worker under a stream of mixed read requests.

    .venv/bin/python benchmarks/memory.py \
        --database-url postgresql://postgres@127.0.0.1:5432/qg_bench --requests 3000

Starts `quotegraph serve --workers 1` (response cache on, its default size unless
QUOTEGRAPH_RESPONSE_CACHE_MB is set) over a database generate.py filled, sends `--requests`
sequential requests mixing quotes of random speakers, random articles, speaker searches and
ranked searches of ten words, and prints the RSS of every process of the server's tree (the
server, its extraction process, multiprocessing's resource tracker) after start and after each
`--every` requests.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from app.db.engine import normalise_url

try:  # python -m benchmarks.memory
    from benchmarks import api
    from benchmarks.load import describe, rss_tree
except ImportError:  # python benchmarks/memory.py
    import api  # type: ignore[no-redef]
    from load import describe, rss_tree  # type: ignore[no-redef]

SEARCHES = (
    "ceasefire", "health", "budget", "election", "border",
    "tariffs", "housing", "energy", "coalition", "investigation",
)  # fmt: skip


def requests_for(database: api.Database, count: int, seed: int) -> list[dict[str, Any]]:
    """`count` GraphQL requests, mixed in equal shares, drawn from the database's own rows."""
    rng = random.Random(seed)
    speakers = [row[0] for row in database.rows("SELECT name FROM speaker ORDER BY id")]
    (last_article,) = database.rows("SELECT max(id) FROM article")[0]
    made: list[dict[str, Any]] = []
    for index in range(count):
        kind = index % 4
        if kind == 0:
            variables = {"speaker": rng.choice(speakers), "first": api.PAGE_SIZE}
            made.append({"query": api.QG_QUOTES_BY_SPEAKER, "variables": variables})
        elif kind == 1:
            article = api.global_id("Article", rng.randint(1, int(last_article)))
            made.append({"query": api.QG_ARTICLE, "variables": {"id": article}})
        elif kind == 2:
            prefix = rng.choice(speakers).lower()[: rng.randint(2, 4)]
            made.append({"query": api.QG_SPEAKERS, "variables": {"search": prefix}})
        else:
            made.append({"query": api.QG_RANKED, "variables": {"search": rng.choice(SEARCHES)}})
    return made


def name_of(pid: int, depth: int) -> str:
    name = describe(pid, depth)
    # With one worker the server's other child is its extraction process (spawned).
    return "extraction process" if name == "process at depth 1" else name


def report(pid: int, label: str) -> None:
    depths: dict[int, int] = {}
    tree = rss_tree(pid, 0, depths)
    parts = ", ".join(f"{name_of(p, depths.get(p, 0))} {mb:.0f}" for p, mb in sorted(tree.items()))
    print(f"{label}: all processes {sum(tree.values()):.0f} MB ({parts})")


def settle(pid: int, timeout: float = 120) -> None:
    """Wait until the tree's RSS stops growing: the server answers before its extraction
    process has loaded the model (warm-up is not awaited), which would flatter `after start`."""
    deadline = time.monotonic() + timeout
    previous, steady = -1.0, 0
    while steady < 3 and time.monotonic() < deadline:
        total = sum(rss_tree(pid).values())
        steady = steady + 1 if abs(total - previous) < 1 else 0
        previous = total
        time.sleep(1)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="A database generate.py filled.")
    parser.add_argument("--requests", type=int, default=3000, help="Requests in all (3000).")
    parser.add_argument("--every", type=int, default=1000, help="Report every N (1000).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed of the mix (1).")
    args = parser.parse_args(argv)

    database = api.Database(make_url(normalise_url(args.database_url)))
    requests = requests_for(database, args.requests, args.seed)
    database.close()
    port = api.free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    command = [
        str(Path(sys.executable).with_name("quotegraph")),
        *("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"),
    ]
    env = {**os.environ, "DATABASE_URL": args.database_url}
    log = Path(tempfile.mkdtemp(prefix="qg-memory-")) / "server.log"
    print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    with api.running("quotegraph", command, env, api.ROOT, url, log) as server:
        settle(server.pid)
        report(server.pid, "after start (model loaded)")
        errors = 0
        with httpx.Client(timeout=120) as client:
            for index, request in enumerate(requests, start=1):
                response = client.post(url, json=request)
                if response.status_code != 200 or response.json().get("errors"):
                    errors += 1
                if index % args.every == 0 or index == len(requests):
                    report(server.pid, f"after {index} requests ({errors} errors)")
    print(f"load average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
