"""Capture the SQL quotegraph issues for each benchmark query and EXPLAIN ANALYZE it, flagged."""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from app.db.engine import make_engine, normalise_url
from app.db.models import as_utc
from app.graphql.ids import encode_cursor
from app.main import create_app
from app.settings import Settings

try:  # python -m benchmarks.explain
    from benchmarks import api
except ImportError:  # python benchmarks/explain.py: this folder is on sys.path, the root is not
    import api  # type: ignore[no-redef]

BIG = 1_000  # a plan node handling more rows than this, for a 20-row page, is worth a look
SMALL = 100  # a sequential scan of a table this small (write_stamp: one row) is the right plan


@dataclass(slots=True)
class Statement:
    sql: str
    parameters: Any


def no_extraction(_text: str) -> Any:
    raise RuntimeError("the benchmark only reads")


async def capture(
    url: str, requests: Sequence[tuple[str, str, dict[str, Any]]]
) -> dict[str, list[Statement]]:
    """Run each GraphQL request through the real ASGI app; record every SQL statement it sends."""
    settings = Settings(database_url=url)
    engine = make_engine(settings)
    recording: list[Statement] | None = None

    @sa.event.listens_for(engine, "before_cursor_execute")
    def record(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        # Only queries: SQLite's engine sends its own BEGIN, which has no plan.
        if recording is not None and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            recording.append(Statement(statement, parameters))

    app = create_app(settings, engine=engine, extractor=no_extraction)
    captured: dict[str, list[Statement]] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://quotegraph") as client:
        for name, query, variables in requests:
            recording = captured.setdefault(name, [])
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            recording = None
            body = response.json()
            if body.get("errors"):
                raise RuntimeError(f"{name}: {body['errors']}")
    engine.dispose()
    return captured


def plan_nodes(node: dict[str, Any], depth: int = 0) -> Iterator[tuple[int, dict[str, Any]]]:
    yield depth, node
    for child in node.get("Plans", []):
        yield from plan_nodes(child, depth + 1)


def describe(node: dict[str, Any]) -> str:
    what = node["Node Type"]
    if "Relation Name" in node:
        what += f" on {node['Relation Name']}"
    if "Index Name" in node:
        what += f" using {node['Index Name']}"
    rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
    extra = ""
    for key in ("Index Cond", "Filter", "Sort Key", "Group Key"):
        if key in node:
            extra += f" {key}: {node[key]}"
    # Per-loop figures (parallel workers count as loops): report totals.
    removed = node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
    if removed:
        extra += f" (removed by filter: {removed})"
    return f"{what}: {rows} rows, {node.get('Actual Total Time', 0):.1f} ms{extra}"


def flags(plan: dict[str, Any]) -> list[str]:
    """Sequential scans, sorts, and any node that touches many rows (a speaker's history)."""
    found = []
    for _depth, node in plan_nodes(plan):
        rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        removed = node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
        kind = node["Node Type"]
        if (
            (kind == "Seq Scan" and rows + removed > SMALL)
            or (kind in ("Sort", "Incremental Sort") and rows > BIG)
            or (rows + removed > BIG and kind not in ("Limit", "Nested Loop", "Sort"))
        ):
            found.append(describe(node))
    return found


def explain_postgres(url: URL, statements: list[Statement], verbose: bool) -> None:
    with psycopg.connect(api.libpq_url(url), autocommit=True) as connection:
        for number, statement in enumerate(statements, start=1):
            row = connection.execute(
                "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement.sql, statement.parameters
            ).fetchone()
            assert row is not None
            document = row[0] if isinstance(row[0], list) else json.loads(row[0])
            plan = document[0]
            print(f"  [{number}] {one_line(statement.sql)}")
            print(f"      parameters {short(statement.parameters)}")
            print(
                f"      planning {plan.get('Planning Time', 0):.2f} ms, execution "
                f"{plan.get('Execution Time', 0):.2f} ms"
            )
            for flag in flags(plan["Plan"]):
                print(f"      ! {flag}")
            if verbose:
                for depth, node in plan_nodes(plan["Plan"]):
                    print("      " + "  " * depth + "-> " + describe(node))


def explain_sqlite(url: URL, statements: list[Statement], verbose: bool) -> None:
    assert url.database is not None
    connection = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
    for number, statement in enumerate(statements, start=1):
        parameters = statement.parameters
        plan = connection.execute("EXPLAIN QUERY PLAN " + statement.sql, parameters).fetchall()
        started = time.perf_counter()
        connection.execute(statement.sql, parameters).fetchall()
        elapsed = (time.perf_counter() - started) * 1000
        print(f"  [{number}] {one_line(statement.sql)}")
        print(f"      parameters {short(parameters)}; {elapsed:.2f} ms")
        for _id, _parent, _unused, detail in plan:
            marker = "!" if detail.startswith("SCAN") or "TEMP B-TREE" in detail else " "
            if marker == "!" or verbose:
                print(f"      {marker} {detail}")
    connection.close()


def one_line(sql: str, width: int = 160) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def short(parameters: Any, width: int = 160) -> str:
    text = repr(parameters)
    return text if len(text) <= width else text[: width - 3] + "..."


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Send benchmarks/api.py's queries through quotegraph in-process, record the SQL each "
            "one issues, and show its plan (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on "
            "SQLite) with sequential scans, sorts and nodes touching many rows flagged (!)."
        )
    )
    parser.add_argument(
        "--database-url",
        required=True,
        help="The generated database (sqlite:///… or postgresql://…).",
    )
    parser.add_argument("--speaker", help="Name for queries 1 and 2 (default: the busiest).")
    parser.add_argument("--speaker-prefix", help="Search for query 3 (default: 3 letters).")
    parser.add_argument("--article-id", type=int, help="Article for query 4 (default: found).")
    parser.add_argument("--search", default="ceasefire", help="Text for query 5 ('ceasefire').")
    parser.add_argument("--page", type=int, default=500, help="Deep page for query 2 (500).")
    parser.add_argument("--verbose", action="store_true", help="Print every plan node too.")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    args.rare_speaker = None
    url = make_url(normalise_url(args.database_url))
    database = api.Database(url)
    targets = api.discover(database, args)
    deep_rows = (args.page - 1) * api.PAGE_SIZE
    deep_key = api.deep_page_key(database, targets.busiest, deep_rows)
    database.close()
    requests: list[tuple[str, str, dict[str, Any]]] = [
        (
            "1 quotes(speaker: busiest)",
            api.QG_QUOTES_BY_SPEAKER,
            {"speaker": targets.busiest, "first": 20},
        ),
    ]
    if deep_key is None:
        print(f"(query 2 left out: {targets.busiest!r} as an exact name has < {deep_rows} quotes)")
    else:
        sort_date, last_id = deep_key
        if isinstance(sort_date, str):  # SQLite hands back the stored text
            sort_date = datetime.fromisoformat(sort_date)
        cursor = encode_cursor("quotes", (as_utc(sort_date), last_id))
        variables = {"speaker": targets.busiest, "first": 20, "after": cursor}
        requests.append(("2 page by cursor", api.QG_QUOTES_BY_SPEAKER, variables))
    requests += [
        ("3 speakers(search:)", api.QG_SPEAKERS, {"search": targets.prefix}),
        ("4 article(id:)", api.QG_ARTICLE, {"id": api.global_id("Article", targets.article_id)}),
        ("5 quotes(search:)", api.QG_SEARCH, {"search": targets.search}),
    ]
    captured = asyncio.run(capture(args.database_url, requests))
    for name, statements in captured.items():
        print(f"\n{name}: {len(statements)} SQL statements")
        if url.get_backend_name() == "sqlite":
            explain_sqlite(url, statements, args.verbose)
        else:
            explain_postgres(url, statements, args.verbose)


if __name__ == "__main__":
    main()
