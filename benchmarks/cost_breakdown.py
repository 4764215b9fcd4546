"""Where an uncached request's time goes in process: SQL statements against everything else.

    .venv/bin/python benchmarks/cost_breakdown.py \
        --database-url postgresql://postgres@127.0.0.1:5432/qg_bench

Sends each benchmark query of api.py (but the deep page) `--runs` times through the real app in
process (ASGI, no HTTP; response cache off) and reports, as medians per request: the whole
request, the time spent inside the database driver's execute and fetch of each SQL statement
(SQLAlchemy's before/after_cursor_execute events), and the rest (Python: parsing, planning the
read, building statements, rows to objects, serialising, the worker-thread hop). On PostgreSQL it
also runs EXPLAIN ANALYZE on each statement the request sent and prints PostgreSQL's own
planning and execution times.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.db.engine import make_engine, normalise_url
from app.main import create_app
from app.settings import Settings

try:  # python -m benchmarks.cost_breakdown
    from benchmarks import api
except ImportError:  # python benchmarks/cost_breakdown.py
    import api  # type: ignore[no-redef]


@dataclass(slots=True)
class Recorder:
    """SQL time and statements of the request in flight (requests are sent one at a time)."""

    seconds: float = 0.0
    statements: list[tuple[str, Any]] = field(default_factory=list)
    local: threading.local = field(default_factory=threading.local)

    def attach(self, engine: sa.Engine) -> None:
        @sa.event.listens_for(engine, "before_cursor_execute")
        def before(*_args: Any) -> None:
            self.local.started = time.perf_counter()

        @sa.event.listens_for(engine, "after_cursor_execute")
        def after(
            _conn: Any, cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool
        ) -> None:
            self.seconds += time.perf_counter() - self.local.started
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                self.statements.append((statement, parameters))


def no_extraction(_text: str) -> Any:
    raise RuntimeError("the benchmark only reads")


def postgres_times(engine: sa.Engine, statements: Sequence[tuple[str, Any]]) -> tuple[float, float]:
    """PostgreSQL's planning and execution ms, summed over the statements (EXPLAIN ANALYZE)."""
    planning = execution = 0.0
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        for statement, parameters in statements:
            row = driver.execute(
                f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters
            ).fetchone()
            assert row is not None
            plan = row[0] if isinstance(row[0], list) else json.loads(row[0])
            planning += plan[0]["Planning Time"]
            execution += plan[0]["Execution Time"]
    return planning, execution


async def measure(url: str, runs: int, warmup: int, args: argparse.Namespace) -> None:
    database = api.Database(make_url(url))
    targets = api.discover(database, args)
    unused = {"floor": (None, None), "quotegraph": None, "peer": None}
    cases = [c for c in api.build_cases(targets, database, unused, 1) if not c.deep]
    database.close()
    settings = Settings(database_url=url, response_cache_mb=0)
    engine = make_engine(settings)
    recorder = Recorder()
    recorder.attach(engine)
    app = create_app(settings, engine=engine, extractor=no_extraction)
    postgres = engine.dialect.name == "postgresql"
    header = "| query | statements | request ms | SQL ms | rest (Python) ms | rest share |"
    if postgres:
        header += " PostgreSQL planning / execution ms |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://quotegraph") as client:
        for case in cases:
            body = {"query": case.qg_query, "variables": case.qg_variables}
            totals: list[float] = []
            sql: list[float] = []
            for index in range(warmup + runs):
                recorder.seconds, recorder.statements = 0.0, []
                started = time.perf_counter()
                response = await client.post("/graphql", json=body)
                elapsed = time.perf_counter() - started
                if response.status_code != 200 or response.json().get("errors"):
                    raise RuntimeError(f"{case.name}: {response.text[:300]}")
                if index >= warmup:
                    totals.append(elapsed * 1000)
                    sql.append(recorder.seconds * 1000)
            total, in_sql = statistics.median(totals), statistics.median(sql)
            rest = statistics.median(t - s for t, s in zip(totals, sql, strict=True))
            line = (
                f"| {case.name} | {len(recorder.statements)} | {total:.2f} | {in_sql:.2f} "
                f"| {rest:.2f} | {100 * rest / total:.0f} % |"
            )
            if postgres:
                planning, execution = postgres_times(engine, recorder.statements)
                line += f" {planning:.2f} / {execution:.2f} |"
            print(line)
    engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="A database generate.py filled.")
    parser.add_argument("--runs", type=int, default=50, help="Timed requests per query (50).")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed first requests (5).")
    parser.add_argument("--search", default="ceasefire", help="Text for the searches.")
    args = parser.parse_args(argv)
    for name in ("speaker", "rare_speaker", "speaker_prefix", "article_id"):
        setattr(args, name, None)
    url = make_url(normalise_url(args.database_url)).render_as_string(hide_password=False)
    before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    asyncio.run(measure(url, args.runs, args.warmup, args))
    after = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\nload average (1, 5, 15 min): before {before}, after {after}")


if __name__ == "__main__":
    main()
