"""What rate limits add to a request: in-process requests through the ASGI app, limits off, on
with counters in memory, and on Redis, for a cached answer and a lean (uncached) one.

    .venv/bin/python benchmarks/ratelimit.py [--requests 2000] [--redis redis://127.0.0.1:6379/0]

Prints the median and p90 microseconds per request of each mode, and then the difference. Every
request is sent one after another, the modes taking turns, so the figures are the work of one
request and every mode sees the same moments of the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid

import httpx

from app.db.migrations import upgrade
from app.main import create_app
from app.settings import Settings

QUERY = "{ quotes(first: 20) { edges { node { text } } } }"


async def timed(modes: dict[str, Settings], requests: int) -> dict[str, list[float]]:
    """Per mode, microseconds per request; the modes take turns request by request, so that
    all of them see the same moments of a shared machine."""
    clients = {
        mode: httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, extractor=lambda _text: None)),  # type: ignore[arg-type,return-value]
            base_url="http://bench",
        )
        for mode, settings in modes.items()
    }
    samples: dict[str, list[float]] = {mode: [] for mode in modes}
    for n in range(requests + 50):
        for mode, client in clients.items():
            started = time.perf_counter()
            response = await client.post("/graphql", json={"query": QUERY})
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.text
            if n >= 50:  # the first ones warm the plan, the cache and the cost memo
                samples[mode].append(elapsed * 1e6)
    for client in clients.values():
        await client.aclose()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--redis", default=os.environ.get("QUOTEGRAPH_TEST_REDIS_URL"))
    args = parser.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/ratelimit.db"
    upgrade(url)
    base = Settings(DATABASE_URL=url, QUOTEGRAPH_RATE_LIMIT_ANONYMOUS_POINTS=10**9)
    modes: dict[str, dict[str, object]] = {
        "off": {"rate_limit": False},
        "memory": {},
    }
    if args.redis:
        prefix = f"qg-bench-{uuid.uuid4().hex[:8]}"
        modes["redis"] = {"rate_limit_storage": args.redis, "rate_limit_prefix": prefix}
    print(f"{args.requests} sequential requests each, load average {os.getloadavg()[0]:.1f}")
    print(f"{'answer':8} {'limits':8} {'median µs':>10} {'p90 µs':>8}")
    for answer, cache_mb in (("cached", 64), ("lean", 0)):
        samples = asyncio.run(
            timed(
                {
                    mode: base.model_copy(update={"response_cache_mb": cache_mb, **update})
                    for mode, update in modes.items()
                },
                args.requests,
            )
        )
        medians = {mode: statistics.median(values) for mode, values in samples.items()}
        for mode, values in samples.items():
            p90 = statistics.quantiles(values, n=10)[-1]
            print(f"{answer:8} {mode:8} {medians[mode]:10.0f} {p90:8.0f}")
        for mode in modes:
            if mode != "off":
                added = medians[mode] - medians["off"]
                print(f"{answer:8} {mode:8} adds {added:.0f} µs to the median")


if __name__ == "__main__":
    main()
