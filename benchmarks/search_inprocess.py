"""Time text search through quotegraph in process (ASGI, no HTTP server), response cache off.

    .venv/bin/python benchmarks/search_inprocess.py \
        --database-url postgresql://postgres@127.0.0.1:5432/qg_bench

For each search text: the number of quotes it matches (SQL, untimed), then the median and p90
of `--runs` requests of `quotes(search:)` (newest first) and of `searchQuotes` (ranked), taken
in turns. With `--claims`: the number of claims it matches, and `claims(search:)`'s first page
newest first, without and with its `totalCount`. The app is the real one (create_app, its
engine and settings) with the response cache off, so every request runs the query path; there
is no HTTP, server or client in the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Sequence
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.db.engine import make_engine, normalise_url
from app.main import create_app
from app.services.search import fts5_query
from app.settings import Settings

try:  # python -m benchmarks.search_inprocess
    from benchmarks import api
except ImportError:  # python benchmarks/search_inprocess.py
    import api  # type: ignore[no-redef]

WORDS = ("ceasefire", "health", "walrus", "new law")


def no_extraction(_text: str) -> Any:
    raise RuntimeError("the benchmark only reads")


CLAIM_PAGE = "query C($search: String!) { claims(search: $search, first: 20) { nodes { id } } }"
CLAIM_COUNTED = (
    "query C($search: String!) { claims(search: $search, first: 20) { totalCount nodes { id } } }"
)


def hits(engine: sa.Engine, text: str, table: str = "quote") -> int:
    """How many quotes (or claims) the text matches, by the same full-text operator the app
    uses."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            statement = f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH :q"
            value = connection.execute(sa.text(statement), {"q": fts5_query(text)}).scalar()
        else:
            statement = (
                f"SELECT count(*) FROM {table} "
                "WHERE search_vector @@ websearch_to_tsquery('english', :q)"
            )
            value = connection.execute(sa.text(statement), {"q": text}).scalar()
    return int(value or 0)


async def timed(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    elapsed = (time.perf_counter() - started) * 1000
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{response.status_code}: {body}")
    return elapsed


async def measure(
    url: str, words: Sequence[str], runs: int, warmup: int, claims: bool = False
) -> None:
    settings = Settings(database_url=url, response_cache_mb=0)
    engine = make_engine(settings)
    app = create_app(settings, engine=engine, extractor=no_extraction)
    table = "claim" if claims else "quote"
    if claims:
        queries = {"page": CLAIM_PAGE, "counted": CLAIM_COUNTED}
        print(
            "| words | claims holding them | `claims(search:, first: 20)` median / p90 ms "
            "| with `totalCount` median / p90 ms |"
        )
    else:
        queries = {"by date": api.QG_SEARCH, "ranked": api.QG_RANKED}
        print(
            "| words | hits | `quotes(search:)` median / p90 ms | `searchQuotes` median / p90 ms |"
        )
    print("|---|---|---|---|")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://quotegraph") as client:
        for word in words:
            samples: dict[str, list[float]] = {name: [] for name in queries}
            for _ in range(warmup):
                for query in queries.values():
                    await timed(client, query, {"search": word})
            for _ in range(runs):  # in turns, so both see the same moments of the machine
                for name, query in queries.items():
                    samples[name].append(await timed(client, query, {"search": word}))
            cells = [
                f"{statistics.median(v):.1f} / {api.percentile(v, 0.9):.1f}"
                for v in samples.values()
            ]
            print(f"| {word} | {hits(engine, word, table):,} | {cells[0]} | {cells[1]} |")
    engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="A database generate.py filled.")
    parser.add_argument("--words", nargs="*", default=list(WORDS), help=f"Searches {WORDS}.")
    parser.add_argument("--runs", type=int, default=15, help="Timed requests per query (15).")
    parser.add_argument("--warmup", type=int, default=3, help="Untimed first requests (3).")
    parser.add_argument("--claims", action="store_true", help="Time claims(search:) instead.")
    args = parser.parse_args(argv)
    url = make_url(normalise_url(args.database_url)).render_as_string(hide_password=False)
    before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    asyncio.run(measure(url, args.words, args.runs, args.warmup, args.claims))
    after = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\nload average (1, 5, 15 min): before {before}, after {after}")


if __name__ == "__main__":
    main()
