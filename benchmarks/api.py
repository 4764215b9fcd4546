"""Time quotegraph's GraphQL API against a hand-written SQL floor and PostGraphile v4 (the peer)."""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import URL, make_url

from app.db.engine import normalise_url
from app.db.migrations import upgrade
from app.services.names import name_key
from app.services.search import fts5_query

try:
    import orjson

    def to_json(value: Any) -> bytes:
        return orjson.dumps(value, default=str)

    JSON_LIBRARY = "orjson"
except ImportError:  # pragma: no cover - orjson is a dependency of the app

    def to_json(value: Any) -> bytes:
        return json.dumps(value, default=str).encode()

    JSON_LIBRARY = "json"

ROOT = Path(__file__).resolve().parents[1]
PEER_DIR = Path(__file__).resolve().parent / "peer"
PAGE_SIZE = 20
MAX_PAGE = 100  # quotegraph's default QUOTEGRAPH_MAX_PAGE_SIZE: the cursor walk uses full pages

# --- the GraphQL of both servers ---------------------------------------------------------------

QG_QUOTES_BY_SPEAKER = """
query QuotesBySpeaker($speaker: String!, $first: Int!, $after: String) {
  quotes(speaker: $speaker, first: $first, after: $after) {
    edges { node { id text kind date article { title publishedAt } speaker { name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
QG_WALK = """
query Walk($speaker: String!, $first: Int!, $after: String) {
  quotes(speaker: $speaker, first: $first, after: $after) { pageInfo { hasNextPage endCursor } }
}"""
QG_SPEAKERS = """
query Speakers($search: String!) {
  speakers(search: $search, first: 10) { edges { node { id name quoteCount } } }
}"""
QG_ARTICLE = """
query Article($id: ID!) {
  article(id: $id) {
    id title publishedAt
    quotes { id text speaker { name } }
    claims { id text claimant { name } reviews { rating } }
  }
}"""
QG_RANKED = """
query Ranked($search: String!) {
  searchQuotes(query: $search, first: 20) {
    edges { node { id text kind date speaker { name } } }
  }
}"""
QG_SEARCH = """
query Search($search: String!) {
  quotes(search: $search, first: 20) {
    edges { node { id text kind date speaker { name } } }
  }
}"""

# PostGraphile v4 with the simplify inflector and connection-filter (relations enabled).
PEER_QUOTES_BY_SPEAKER = """
query QuotesBySpeaker($key: String!, $first: Int!, $after: Cursor) {
  speakerByNameKey(nameKey: $key) {
    quotes(first: $first, after: $after, orderBy: [SORT_DATE_DESC, ID_DESC]) {
      nodes { id text kind sortDate article { title publishedAt } speaker { name } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""
PEER_WALK = """
query Walk($key: String!, $first: Int!, $after: Cursor) {
  speakerByNameKey(nameKey: $key) {
    quotes(first: $first, after: $after, orderBy: [SORT_DATE_DESC, ID_DESC]) {
      pageInfo { hasNextPage endCursor }
    }
  }
}"""
PEER_SPEAKERS = """
query Speakers($prefix: String!, $inner: String!) {
  speakers(
    first: 10
    orderBy: [NAME_KEY_ASC, ID_ASC]
    filter: {or: [
      {nameKey: {like: $prefix}}
      {nameKey: {like: $inner}}
      {speakerAliases: {some: {aliasKey: {like: $prefix}}}}
    ]}
  ) { nodes { id name quotes { totalCount } } }
}"""
PEER_ARTICLE = """
query Article($id: Int!) {
  article(id: $id) {
    id title publishedAt
    quotes(orderBy: POSITION_ASC) { nodes { id text speaker { name } } }
    claims(orderBy: POSITION_ASC) {
      nodes { id text claimant { name } claimReviews(orderBy: ID_ASC) { nodes { rating } } }
    }
  }
}"""
PEER_SEARCH = """
query Search($search: String!) {
  quotes(
    first: 20
    orderBy: [SORT_DATE_DESC, ID_DESC]
    filter: {text: {includesInsensitive: $search}}
  ) { nodes { id text kind sortDate speaker { name } } }
}"""

# --- the floor: one hand-written SQL query per benchmark query ---------------------------------
# The speaker's name is resolved in a scalar subquery: the floor assumes a name denotes one speaker
# (true of generated data; PostgreSQL raises an error if not, and the rows are compared anyway).
# `IN (subquery)` instead makes PostgreSQL sort the speaker's whole history (300 ms at 93k quotes).

SQL_QUOTES_BY_SPEAKER = """
SELECT q.id, q.text, q.kind, q.sort_date, a.title, a.published_at, s.name
FROM quote q
JOIN article a ON a.id = q.article_id
JOIN speaker s ON s.id = q.speaker_id
WHERE q.speaker_id = (
    SELECT id FROM speaker WHERE name_key = %s
    UNION SELECT speaker_id FROM speaker_alias WHERE alias_key = %s)
  {after}
ORDER BY q.sort_date DESC, q.id DESC
LIMIT %s"""
# Setup only (untimed): the sort key of the row before the deep page, for any number of speakers.
SQL_DEEP_KEY = """
SELECT q.sort_date, q.id
FROM quote q
WHERE q.speaker_id IN (
    SELECT id FROM speaker WHERE name_key = %s
    UNION SELECT speaker_id FROM speaker_alias WHERE alias_key = %s)
ORDER BY q.sort_date DESC, q.id DESC
LIMIT 1 OFFSET %s"""
SQL_SPEAKERS = """
SELECT s.id, s.name, (SELECT count(*) FROM quote q WHERE q.speaker_id = s.id) AS quote_count
FROM speaker s
WHERE s.name_key LIKE %s OR s.name_key LIKE %s
   OR s.id IN (SELECT speaker_id FROM speaker_alias WHERE alias_key LIKE %s)
ORDER BY s.name_key, s.id
LIMIT 10"""
SQL_ARTICLE = """
SELECT 'a' AS part, 0 AS position, a.id, a.title, CAST(a.published_at AS TEXT), NULL, NULL
FROM article a WHERE a.id = %s
UNION ALL
SELECT 'c', c.position, c.id, c.text, s.name, r.rating, r.id
FROM claim c
LEFT JOIN speaker s ON s.id = c.claimant_id
LEFT JOIN review_link l ON l.claim_id = c.id AND l.status IN ('confirmed', 'automatic')
LEFT JOIN claim_review r ON r.id = l.review_id
WHERE c.article_id = %s
UNION ALL
SELECT 'q', q.position, q.id, q.text, s.name, NULL, NULL
FROM quote q LEFT JOIN speaker s ON s.id = q.speaker_id
WHERE q.article_id = %s
ORDER BY 1, 2, 7"""
SQL_SEARCH = """
SELECT q.id, q.text, q.kind, q.sort_date, s.name
FROM quote q LEFT JOIN speaker s ON s.id = q.speaker_id
WHERE {contains}
ORDER BY q.sort_date DESC, q.id DESC
LIMIT 20"""

# Ranked: the 1,000 most recently stored matches, most relevant first (quotegraph's contract).
SQL_RANKED_POSTGRES = """
WITH recent AS (
  SELECT id FROM quote WHERE search_vector @@ websearch_to_tsquery('english', %s)
  ORDER BY id DESC LIMIT 1000
)
SELECT q.id, q.text, q.kind, q.sort_date, s.name
FROM recent r JOIN quote q ON q.id = r.id LEFT JOIN speaker s ON s.id = q.speaker_id
ORDER BY ts_rank(q.search_vector, websearch_to_tsquery('english', %s))::float8 DESC, q.id DESC
LIMIT 20"""
SQL_RANKED_SQLITE = """
WITH recent AS (
  SELECT rowid AS id, -bm25(quote_fts) AS rank FROM quote_fts WHERE quote_fts MATCH %s
  ORDER BY rowid DESC LIMIT 1000
)
SELECT q.id, q.text, q.kind, q.sort_date, s.name
FROM recent r JOIN quote q ON q.id = r.id LEFT JOIN speaker s ON s.id = q.speaker_id
ORDER BY r.rank DESC, q.id DESC
LIMIT 20"""


class Database:
    """The floor's connection: psycopg for PostgreSQL, sqlite3 for SQLite, one SQL dialect."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.sqlite = url.get_backend_name() == "sqlite"
        self.connection: Any
        if self.sqlite:
            assert url.database is not None
            self.connection = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
        else:
            self.connection = psycopg.connect(libpq_url(url), autocommit=True)

    def rows(self, statement: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.sqlite:
            statement = statement.replace("%s", "?")
        return list(self.connection.execute(statement, tuple(parameters)).fetchall())

    def contains(self, column: str) -> str:
        # What SQLAlchemy's ilike compiles to on each backend.
        return f"lower({column}) LIKE lower(%s)" if self.sqlite else f"{column} ILIKE %s"

    def close(self) -> None:
        self.connection.close()


def libpq_url(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


# --- what to ask for ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Targets:
    busiest: str
    busiest_count: int
    rare: str
    rare_count: int
    prefix: str
    article_id: int
    search: str


def discover(database: Database, args: argparse.Namespace) -> Targets:
    """The busiest and a rare speaker, a prefix and a typical article, unless given."""
    counts = [
        (name, n)
        for name, n, _id in database.rows(
            "SELECT s.name, n, s.id FROM (SELECT speaker_id, count(*) AS n FROM quote "
            "WHERE speaker_id IS NOT NULL GROUP BY speaker_id) c "
            "JOIN speaker s ON s.id = c.speaker_id ORDER BY n DESC, s.id DESC"
        )
    ]
    if not counts:
        sys.exit("The database holds no attributed quotes; run benchmarks/generate.py first.")
    busiest, busiest_count = args.speaker or counts[0][0], counts[0][1]
    # Fewest quotes, lowest id among equals (the order above ends with it), as generate.py says.
    rare, rare_count = counts[-1]
    if args.speaker:
        found = [n for name, n in counts if name_key(name) == name_key(args.speaker)]
        busiest_count = found[0] if found else -1
    if args.rare_speaker:
        rare = args.rare_speaker
        found = [n for name, n in counts if name_key(name) == name_key(rare)]
        rare_count = found[0] if found else -1
    prefix = args.speaker_prefix or name_key(busiest)[:3]
    article_id = args.article_id
    if article_id is None:
        # Typical rather than extreme: one reviewed claim, and a quote count near a dozen.
        row = database.rows(
            "SELECT c.article_id FROM review_link r JOIN claim c ON c.id = r.claim_id "
            "JOIN (SELECT article_id, count(*) AS n FROM quote GROUP BY article_id) q "
            "ON q.article_id = c.article_id ORDER BY abs(q.n - 12), c.article_id LIMIT 1"
        )
        if not row:
            row = database.rows("SELECT min(article_id) FROM quote")
        article_id = int(row[0][0])
    return Targets(busiest, busiest_count, rare, rare_count, prefix, article_id, args.search)


def deep_page_key(database: Database, speaker: str, rows: int) -> tuple[Any, int] | None:
    """(sort_date, id) of the quote just before the deep page (the floor's keyset bound), or None
    when the name, taken as an exact name or alias, has fewer quotes."""
    key = name_key(speaker)
    found = database.rows(SQL_DEEP_KEY, [key, key, rows - 1])
    return (found[0][0], found[0][1]) if found else None


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def pk_of(value: str) -> int:
    return int(base64.b64decode(value).decode().partition(":")[2])


# --- servers started and stopped by this script -------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running(
    name: str, command: Sequence[str], env: dict[str, str], cwd: Path, ready_url: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server in its own process group, wait until it answers, stop it by its PID."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    print(f"started {name} (pid {process.pid}): {' '.join(command)}; log {log}")
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}; see {log}")
            try:
                response = httpx.post(ready_url, json={"query": "{ __typename }"}, timeout=2)
                if response.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer within 90 s; see {log}")
            time.sleep(0.3)
        yield process
    finally:
        stop(name, process)


def stop(name: str, process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # both servers stop their workers on SIGTERM
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            # The process group is the one start_new_session gave this server: its own workers.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    print(f"stopped {name} (pid {process.pid}, exit {process.returncode})")


# --- measuring ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Figures:
    p50_ms: float | None = None
    p99_ms: float | None = None
    rps: float | None = None
    client_cpu_ms: float | None = None  # client CPU time per request in the concurrent run
    requests: int = 0
    errors: list[str] = field(default_factory=list)


def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True, slots=True)
class Limits:
    requests: int
    duration: float
    warmup: int
    concurrency: int


def latency(call: Callable[[], None], limits: Limits) -> tuple[list[float], float]:
    """Per-call latencies (ms) of sequential calls, bounded in count and time."""
    for _ in range(limits.warmup):
        call()
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < limits.requests and time.perf_counter() - started < limits.duration:
        before = time.perf_counter()
        call()
        samples.append((time.perf_counter() - before) * 1000)
    return samples, time.perf_counter() - started


class GraphQLClient:
    """POSTs one pre-encoded GraphQL request over a kept-alive connection."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(timeout=120, headers={"content-type": "application/json"})

    def post(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(
            self.url, content=to_json({"query": query, "variables": variables})
        )
        body: dict[str, Any] = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{response.status_code}: {body.get('errors')}")
        return body

    def close(self) -> None:
        self.http.close()


def server_call(
    http: httpx.Client, url: str, body: bytes, responses: Responses
) -> Callable[[], None]:
    """One POST of a pre-encoded request; its answer is kept in `responses`, to be compared
    field by field with the floor's after the timing."""
    headers = {"content-type": "application/json"}

    def call() -> None:
        response = http.post(url, content=body, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
        responses.add(response.content)

    return call


def interleaved_latency(calls: dict[str, Callable[[], None]], limits: Limits) -> dict[str, Figures]:
    """p50/p99 of sequential calls to every system, taken in turns (a, b, c, b, c, a, ...).

    Timing one system after another lets a drift in the machine's speed (another VM waking, a
    CPU frequency change) land on one of them only; in turns, every system sees the same
    moments, so the ratios between them hold even when the absolute figures move.
    """
    for call in calls.values():
        for _ in range(limits.warmup):
            call()
    names = list(calls)
    samples: dict[str, list[float]] = {name: [] for name in names}
    started = time.perf_counter()
    turn = 0
    while turn < limits.requests and time.perf_counter() - started < limits.duration * len(names):
        for offset in range(len(names)):
            name = names[(turn + offset) % len(names)]
            before = time.perf_counter()
            calls[name]()
            samples[name].append((time.perf_counter() - before) * 1000)
        turn += 1
    return {
        name: Figures(
            p50_ms=percentile(values, 0.5),
            p99_ms=percentile(values, 0.99),
            requests=len(values),
        )
        for name, values in samples.items()
    }


def throughput(
    url: str, body: bytes, limits: Limits, figures: Figures, responses: Responses
) -> None:
    """Requests/s with `concurrency` clients (threads), into `figures`; every answer into
    `responses` (each client keeps its own, merged after the clock stops)."""
    clients = [httpx.Client(timeout=120) for _ in range(limits.concurrency)]
    kept = [Responses(responses.limit) for _ in clients]
    calls = [server_call(c, url, body, k) for c, k in zip(clients, kept, strict=True)]
    for call in calls:  # open every connection before the clock starts
        call()
    done = [0] * limits.concurrency
    failures: list[str] = []
    stop_at = [0.0]
    per_client = max(1, limits.requests // limits.concurrency)
    barrier = threading.Barrier(limits.concurrency + 1)

    def worker(index: int) -> None:
        barrier.wait()
        try:
            while done[index] < per_client and time.perf_counter() < stop_at[0]:
                calls[index]()
                done[index] += 1
        except Exception as error:  # recorded and reported; the other clients carry on
            failures.append(repr(error))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(limits.concurrency)]
    for thread in threads:
        thread.start()
    cpu = time.process_time()
    started = time.perf_counter()
    stop_at[0] = started + limits.duration
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    for client in clients:
        client.close()
    for one in kept:
        responses.merge(one)
    total = sum(done)
    figures.requests += total
    figures.rps = total / elapsed if elapsed > 0 else None
    figures.client_cpu_ms = cpu / total * 1000 if total else None
    figures.errors = failures


# --- the five queries -----------------------------------------------------------------------


@dataclass(slots=True)
class Case:
    """One benchmark query in its three forms, and where each answer keeps its result.

    `qg_root` and `peer_root` take a decoded response body to the part every system returns
    (the floor's JSON is that part already); `canonical` then compares it field by field.
    """

    name: str
    qg_query: str
    qg_variables: dict[str, Any]
    qg_root: Callable[[dict[str, Any]], Any]
    floor: Callable[[Database], Any]
    floor_json: Callable[[Any], bytes]
    peer_query: str | None = None
    peer_variables: dict[str, Any] = field(default_factory=dict)
    peer_root: Callable[[dict[str, Any]], Any] | None = None
    deep: bool = False  # a deep page of the first case's list, timed beside that list's page 1


# --- comparing answers field by field -----------------------------------------------------------
# Every field a system returns is compared; only its representation is normalised, each rule
# named here:
#   * ids: quotegraph's global ids (base64 "Type:pk") and the row ids of the peer and the floor
#     become the row id (int);
#   * timestamps (`date`, `sortDate`, `publishedAt`): ISO strings with or without a zone, or the
#     SQLite text form, become ISO 8601 in UTC (a value without a zone is UTC, as stored);
#   * enums (`kind`): quotegraph's enum names (DIRECT) and the stored values (direct) compare
#     case-insensitively;
#   * floats are rounded to 6 places;
#   * connections: quotegraph's `edges { node }`, the peer's `nodes` and the floor's list become
#     one list; `pageInfo { hasNextPage }` sits beside it; `endCursor` is dropped, because each
#     system's cursor is its own opaque encoding (the cursors are exercised by the walk to the
#     deep page, whose rows are compared);
#   * names: the peer's `sortDate` is `date`, `claimReviews` is `reviews`, and a speaker's
#     `quotes { totalCount }` is `quoteCount`.
# Anything else (a missing or extra field, a different value) is a mismatch that fails the run.

PEER_FIELD_NAMES = {"sortDate": "date", "claimReviews": "reviews"}
TIMESTAMP_FIELDS = frozenset({"date", "sortDate", "publishedAt"})
ENUM_FIELDS = frozenset({"kind"})
OPAQUE_FIELDS = frozenset({"endCursor"})


def row_id(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return pk_of(value)
        except ValueError:
            return value  # not a global id: left as it is, and compared as it is
    return value


def timestamp(value: Any) -> Any:
    if value is None:
        return None
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return value  # not a timestamp: compared as it is (and so differs)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def canonical(value: Any, name: str | None = None) -> Any:
    """`value` with only its representation normalised (see the rules above)."""
    if isinstance(value, dict):
        keys = set(value)
        if keys == {"node"}:  # quotegraph's edge
            return canonical(value["node"])
        if keys == {"totalCount"}:  # the peer's `quotes { totalCount }`
            return value["totalCount"]
        if keys & {"edges", "nodes"}:
            items = value.get("edges", value.get("nodes"))
            rest = {k: v for k, v in value.items() if k not in ("edges", "nodes")}
            page_info = rest.pop("pageInfo", {})
            rest.update(page_info)
            if not rest:
                return canonical(items)
            connection = {"nodes": canonical(items)}
            connection.update(
                (key, canonical(item, key))
                for key, item in rest.items()
                if key not in OPAQUE_FIELDS
            )
            return connection
        result: dict[str, Any] = {}
        key: str
        for key, item in value.items():
            if key in OPAQUE_FIELDS:
                continue
            renamed = PEER_FIELD_NAMES.get(key, key)
            if key == "quotes" and isinstance(item, dict) and set(item) == {"totalCount"}:
                renamed = "quoteCount"
            result[renamed] = canonical(item, key)
        return result
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if name == "id":
        return row_id(value)
    if name in TIMESTAMP_FIELDS:
        return timestamp(value)
    if name in ENUM_FIELDS and isinstance(value, str):
        return value.lower()
    if isinstance(value, float):
        return round(value, 6)
    return value


def first_difference(expected: Any, got: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """(field path, expected, got) of the first difference, or None when equal."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in sorted(set(expected) | set(got)):
            here = f"{path}.{key}" if path else key
            if key not in got:
                return here, expected[key], "<missing>"
            if key not in expected:
                return here, "<missing>", got[key]
            found = first_difference(expected[key], got[key], here)
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(got, list):
        for index, (a, b) in enumerate(zip(expected, got, strict=False)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        if len(expected) != len(got):
            return f"{path} (length)", len(expected), len(got)
        return None
    if expected != got or type(expected) is not type(got):
        return path or "(root)", expected, got
    return None


class Responses:
    """Every measured response of one system for one case, kept once per distinct body.

    Counting identical bodies costs a hash per response, so every response is compared, not a
    sample; past `limit` distinct bodies new ones are counted as unchecked (a system whose
    answers all differ would otherwise fill the memory).
    """

    def __init__(self, limit: int = 200) -> None:
        self.bodies: dict[bytes, int] = {}
        self.unchecked = 0
        self.limit = limit

    def add(self, body: bytes) -> None:
        count = self.bodies.get(body)
        if count is not None:
            self.bodies[body] = count + 1
        elif len(self.bodies) < self.limit:
            self.bodies[body] = 1
        else:
            self.unchecked += 1

    def merge(self, other: Responses) -> None:
        for body, count in other.bodies.items():
            if body in self.bodies or len(self.bodies) < self.limit:
                self.bodies[body] = self.bodies.get(body, 0) + count
            else:
                self.unchecked += count
        self.unchecked += other.unchecked

    @property
    def total(self) -> int:
        return sum(self.bodies.values()) + self.unchecked


@dataclass(frozen=True, slots=True)
class Tamper:
    """For the self-test: change one field of one system's answers before they are compared."""

    system: str
    field: str

    @classmethod
    def parse(cls, text: str) -> Tamper:
        system, _, name = text.partition(":")
        if not system or not name:
            raise argparse.ArgumentTypeError("expected SYSTEM:FIELD, e.g. cached:text")
        return cls(system, name)

    def apply(self, value: Any) -> bool:
        """Change the first `field` found in `value` (depth first); True if one was found."""
        if isinstance(value, dict):
            for key, item in value.items():
                if key == self.field and not isinstance(item, dict | list):
                    value[key] = f"{item}-tampered"
                    return True
                if self.apply(item):
                    return True
        elif isinstance(value, list):
            return any(self.apply(item) for item in value)
        return False


def compare_case(
    case: Case, responses: dict[str, Responses], tamper: Tamper | None = None
) -> list[str]:
    """Mismatch messages (empty when every response of every system equals the floor's)."""
    roots: dict[str, Callable[[dict[str, Any]], Any]] = {"quotegraph": case.qg_root}
    roots["cached"] = case.qg_root
    if case.peer_root is not None:
        roots["peer"] = case.peer_root
    floor = responses.get("floor")
    if floor is None or not floor.bodies:
        return [f"{case.name}: the floor gave no answer to compare with"]
    expected = canonical(json.loads(next(iter(floor.bodies))))
    problems = []
    for system, kept in responses.items():
        if kept.unchecked:
            problems.append(
                f"{case.name}: {system} gave more than {kept.limit} distinct answers; "
                f"{kept.unchecked} of {kept.total} were not compared"
            )
        for index, (body, count) in enumerate(kept.bodies.items()):
            decoded = json.loads(body)
            if system != "floor":
                if decoded.get("errors") or "data" not in decoded:
                    problems.append(f"{case.name}: {system} answered with errors: {body[:300]!r}")
                    continue
                decoded = roots[system](decoded)
            if tamper is not None and tamper.system == system and index == 0:
                tamper.apply(decoded)  # a case without that field is simply left as it is
            difference = first_difference(expected, canonical(decoded))
            if difference is not None:
                path, want, got = difference
                problems.append(
                    f"MISMATCH {case.name}: {system}, field {path}: floor {want!r}, "
                    f"{system} {got!r} ({count} of {kept.total} responses)"
                )
    return problems


def peer_speaker_quotes(body: dict[str, Any]) -> Any:
    speaker = body["data"]["speakerByNameKey"]
    if speaker is None:  # no such name: what the other systems answer is an empty page
        return {"nodes": [], "pageInfo": {"hasNextPage": False}}
    return speaker["quotes"]


def build_cases(
    targets: Targets, database: Database, after: dict[str, Any], page: int
) -> list[Case]:
    """The benchmark queries; `after` holds the three systems' cursors for the deep page."""
    busiest_key, rare_key = name_key(targets.busiest), name_key(targets.rare)
    prefix = targets.prefix

    def speaker_case(label: str, name: str, key: str, cursor_of: str | None) -> Case:
        qg_vars: dict[str, Any] = {"speaker": name, "first": PAGE_SIZE}
        peer_vars: dict[str, Any] = {"key": key, "first": PAGE_SIZE}
        clause, params = "", [key, key]
        if cursor_of is not None:
            qg_vars["after"] = after["quotegraph"]
            peer_vars["after"] = after["peer"]
            clause = "AND (q.sort_date, q.id) < (%s, %s)"
            params += list(after["floor"])
        statement = SQL_QUOTES_BY_SPEAKER.format(after=clause)

        def floor(db: Database) -> Any:
            # One row more than the page, as both servers fetch, to answer hasNextPage.
            return db.rows(statement, [*params, PAGE_SIZE + 1])

        return Case(
            name=label,
            qg_query=QG_QUOTES_BY_SPEAKER,
            qg_variables=qg_vars,
            qg_root=lambda body: body["data"]["quotes"],
            floor=floor,
            floor_json=floor_quotes,
            peer_query=PEER_QUOTES_BY_SPEAKER,
            peer_variables=peer_vars,
            peer_root=peer_speaker_quotes,
            deep=cursor_of is not None,
        )

    search_pattern = f"%{targets.search}%"
    search_sql = SQL_SEARCH.format(contains=database.contains("q.text"))
    speakers_params = [f"{prefix}%", f"% {prefix}%", f"{prefix}%"]
    article_params = [targets.article_id] * 3
    return [
        speaker_case("1a quotes(speaker: busiest)", targets.busiest, busiest_key, None),
        speaker_case("1b quotes(speaker: rare)", targets.rare, rare_key, None),
        speaker_case(f"2  busiest, page {page} by cursor", targets.busiest, busiest_key, "deep"),
        Case(
            name=f"3  speakers(search: {prefix!r})",
            qg_query=QG_SPEAKERS,
            qg_variables={"search": prefix},
            qg_root=lambda body: body["data"]["speakers"],
            floor=lambda db: db.rows(SQL_SPEAKERS, speakers_params),
            floor_json=floor_speakers,
            peer_query=PEER_SPEAKERS,
            peer_variables={"prefix": f"{prefix}%", "inner": f"% {prefix}%"},
            peer_root=lambda body: body["data"]["speakers"],
        ),
        Case(
            name=f"4  article(id: {targets.article_id})",
            qg_query=QG_ARTICLE,
            qg_variables={"id": global_id("Article", targets.article_id)},
            qg_root=lambda body: body["data"]["article"],
            floor=lambda db: db.rows(SQL_ARTICLE, article_params),
            floor_json=floor_article,
            peer_query=PEER_ARTICLE,
            peer_variables={"id": targets.article_id},
            peer_root=lambda body: body["data"]["article"],
        ),
        Case(
            # Not the same operation: quotegraph matches stemmed full-text words
            # (websearch_to_tsquery / FTS5), the floor and PostGraphile a case-insensitive
            # substring (ILIKE '%word%'). The run fails if their answers differ on the data.
            name=f"5  quotes(search: {targets.search!r}) [qg full text; floor, peer ILIKE]",
            qg_query=QG_SEARCH,
            qg_variables={"search": targets.search},
            qg_root=lambda body: body["data"]["quotes"],
            floor=lambda db: db.rows(search_sql, [search_pattern]),
            floor_json=floor_search,
            peer_query=PEER_SEARCH,
            peer_variables={"search": targets.search},
            peer_root=lambda body: body["data"]["quotes"],
        ),
        Case(
            name=f"5r searchQuotes(query: {targets.search!r}), ranked",
            qg_query=QG_RANKED,
            qg_variables={"search": targets.search},
            qg_root=lambda body: body["data"]["searchQuotes"],
            floor=lambda db: (
                db.rows(SQL_RANKED_SQLITE, [fts5_query(targets.search)])
                if db.sqlite
                else db.rows(SQL_RANKED_POSTGRES, [targets.search, targets.search])
            ),
            floor_json=floor_search,
        ),
    ]


def floor_quotes(rows: list[tuple[Any, ...]]) -> bytes:
    return to_json(
        {
            "nodes": [
                {
                    "id": r[0],
                    "text": r[1],
                    "kind": r[2],
                    "date": r[3],
                    "article": {"title": r[4], "publishedAt": r[5]},
                    "speaker": None if r[6] is None else {"name": r[6]},
                }
                for r in rows[:PAGE_SIZE]
            ],
            "hasNextPage": len(rows) > PAGE_SIZE,
        }
    )


def floor_article(rows: list[tuple[Any, ...]]) -> bytes:
    article: dict[str, Any] = {"quotes": [], "claims": []}
    claims: dict[int, dict[str, Any]] = {}
    for part, _position, pk, text, name, rating, _review in rows:
        if part == "a":
            article.update(id=pk, title=text, publishedAt=name)
        elif part == "q":
            speaker = None if name is None else {"name": name}
            article["quotes"].append({"id": pk, "text": text, "speaker": speaker})
        else:
            claim = claims.get(pk)
            if claim is None:
                claimant = None if name is None else {"name": name}
                claim = claims[pk] = {"id": pk, "text": text, "claimant": claimant, "reviews": []}
                article["claims"].append(claim)
            if rating is not None:
                claim["reviews"].append({"rating": rating})
    return to_json(article)


def floor_speakers(rows: list[tuple[Any, ...]]) -> bytes:
    return to_json([{"id": r[0], "name": r[1], "quoteCount": r[2]} for r in rows])


def floor_search(rows: list[tuple[Any, ...]]) -> bytes:
    return to_json(
        [
            {
                "id": r[0],
                "text": r[1],
                "kind": r[2],
                "date": r[3],
                "speaker": None if r[4] is None else {"name": r[4]},
            }
            for r in rows
        ]
    )


def walk(
    client: GraphQLClient, query: str, variables: dict[str, Any], rows: int, peer: bool
) -> Any:
    """The `after` cursor of row `rows` (newest first), reached by following endCursor."""
    cursor: Any = None
    remaining = rows
    while remaining > 0:
        size = min(MAX_PAGE, remaining)
        body = client.post(query, {**variables, "first": size, "after": cursor})
        data = body["data"]
        page = data["speakerByNameKey"]["quotes"] if peer else data["quotes"]
        if not page["pageInfo"]["hasNextPage"]:
            raise RuntimeError(f"fewer than {rows} quotes: cannot reach the page")
        cursor = page["pageInfo"]["endCursor"]
        remaining -= size
    return cursor


# --- orchestration --------------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    case: str
    quotegraph: Figures | None  # response cache off: the query path
    cached: Figures | None  # response cache on (the default), the same request repeated
    floor: Figures
    peer: Figures | None
    rows: int = 0
    match: str = "?"
    checked: dict[str, int] = field(default_factory=dict)  # responses compared, per system
    first_page: dict[str, Figures] = field(default_factory=dict)  # deep case: page 1 beside it


def floor_call(case: Case, database: Database, responses: Responses) -> Callable[[], None]:
    """The floor: the same rows by one hand-written query, serialised to JSON (kept, and
    compared like the servers' answers)."""

    def call() -> None:
        responses.add(case.floor_json(case.floor(database)))

    return call


def run(args: argparse.Namespace, mismatches: list[str]) -> list[Result]:
    """Start the servers, time (or with --check-only just ask) every case; each mismatch of
    an answer with the floor's is appended to `mismatches`."""
    url = make_url(normalise_url(args.database_url))
    is_postgres = url.get_backend_name() == "postgresql"
    with_peer = is_postgres and not args.skip_peer
    if with_peer and not (PEER_DIR / "node_modules").is_dir():
        sys.exit(
            f"PostGraphile is not installed: run `npm ci --prefix {PEER_DIR}` (or --skip-peer)"
        )
    limits = Limits(args.requests, args.duration, args.warmup, args.concurrency)
    database = Database(url)
    targets = discover(database, args)
    print(
        f"busiest speaker {targets.busiest!r} ({targets.busiest_count} quotes), "
        f"rare {targets.rare!r} ({targets.rare_count}), prefix {targets.prefix!r}, "
        f"article {targets.article_id}, search {targets.search!r}"
    )
    deep_rows = (args.page - 1) * PAGE_SIZE
    deep_key = deep_page_key(database, targets.busiest, deep_rows)
    if deep_key is None:
        sys.exit(f"{targets.busiest!r} has fewer than {deep_rows} quotes; lower --page")
    after: dict[str, Any] = {"floor": deep_key}
    # Server logs, kept after the run; nothing to keep when no server is started here.
    starts_servers = with_peer or not args.quotegraph_url
    logs = Path(tempfile.mkdtemp(prefix="qg-bench-")) if starts_servers else Path()
    workers = str(args.workers)

    # Rate limits off: the run sends far more than one address's budget, and times the queries.
    env = {**os.environ, "DATABASE_URL": args.database_url, "QUOTEGRAPH_RATE_LIMIT": "false"}
    systems = ("quotegraph", "cached", "floor", "peer")
    figures: dict[str, dict[str, Figures]] = {system: {} for system in systems}
    urls: dict[str, str] = {}
    if not args.no_upgrade:
        # quotegraph refuses a database behind its migrations, and new ones keep arriving.
        upgrade(url.render_as_string(hide_password=False))

    with ExitStack() as servers:
        # Every server runs for the whole run: their latencies are sampled in turns, so that
        # all of them see the same moments of the machine. The response cache answers a
        # repeated request without running it, so the query path is timed with the cache off
        # ("quotegraph") beside what a client repeating a request sees ("cached").
        modes = {"off": ["quotegraph"], "on": ["cached"], "both": ["quotegraph", "cached"]}
        for index, system in enumerate(modes[args.cache]):
            if args.quotegraph_url:
                urls[system] = args.quotegraph_url  # already running: nothing to start
                continue
            cache_mb = {"QUOTEGRAPH_RESPONSE_CACHE_MB": "0"} if system == "quotegraph" else {}
            port = (args.port + index if args.port else 0) or free_port()
            urls[system] = f"http://127.0.0.1:{port}/graphql"
            command = [
                str(Path(sys.executable).with_name("quotegraph")),
                *("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", workers),
            ]
            log = logs / f"{system}.log"
            servers.enter_context(
                running(system, command, {**env, **cache_mb}, ROOT, urls[system], log)
            )
        if with_peer:
            peer_port = args.peer_port or free_port()
            urls["peer"] = f"http://127.0.0.1:{peer_port}/graphql"
            peer_env = {
                **os.environ,
                "DATABASE_URL": libpq_url(url),
                "PORT": str(peer_port),
                "WORKERS": workers,
                "NODE_ENV": "production",
            }
            node = [args.node, str(PEER_DIR / "server.js")]
            servers.enter_context(
                running("postgraphile", node, peer_env, PEER_DIR, urls["peer"], logs / "peer.log")
            )
        clients = {system: GraphQLClient(address) for system, address in urls.items()}
        for client in clients.values():
            servers.callback(client.close)

        qg_client = clients.get("quotegraph") or clients["cached"]
        started = time.perf_counter()
        after["quotegraph"] = walk(
            qg_client, QG_WALK, {"speaker": targets.busiest}, deep_rows, peer=False
        )
        print(f"quotegraph: walked {deep_rows} quotes in {time.perf_counter() - started:.1f} s")
        after["peer"] = None
        if with_peer:
            after["peer"] = walk(
                clients["peer"],
                PEER_WALK,
                {"key": name_key(targets.busiest)},
                deep_rows,
                peer=True,
            )
        cases = build_cases(targets, database, after, args.page)

        page_one: dict[str, bytes] = {}
        first_pages: dict[str, dict[str, Figures]] = {}
        kept: dict[str, dict[str, Responses]] = {case.name: {} for case in cases}
        for case in cases:
            bodies: dict[str, bytes] = {}
            for system in clients:
                if system == "peer":
                    if case.peer_query is None:
                        continue  # PostGraphile has no ranked search
                    query, variables = case.peer_query, case.peer_variables
                else:
                    query, variables = case.qg_query, case.qg_variables
                bodies[system] = to_json({"query": query, "variables": variables})
            responses = kept[case.name]
            for system in [*bodies, "floor"]:
                responses[system] = Responses()

            https = {system: httpx.Client(timeout=120) for system in bodies}
            calls = {
                system: server_call(https[system], urls[system], body, responses[system])
                for system, body in bodies.items()
            }
            calls["floor"] = floor_call(case, database, responses["floor"])
            if args.check_only:
                for call in calls.values():
                    call()
                for http in https.values():
                    http.close()
                continue
            if case.deep:
                # "Deep pages as fast as the first": page 1 of the same list in the same turns,
                # its answers compared with the first case's floor.
                first = kept[cases[0].name]
                for system, body in page_one.items():
                    calls[f"{system} page 1"] = server_call(
                        https[system], urls[system], body, first[system]
                    )
            for system, result in interleaved_latency(calls, limits).items():
                if system.endswith(" page 1"):
                    first_pages.setdefault(case.name, {})[system.removesuffix(" page 1")] = result
                else:
                    figures[system][case.name] = result
            if not page_one:
                page_one = dict(bodies)
            for http in https.values():
                http.close()
            for system, body in bodies.items():
                throughput(
                    urls[system], body, limits, figures[system][case.name], responses[system]
                )
            print(f"{case.name}: done ({', '.join(calls)})")
    database.close()

    results = []
    for case in cases:
        responses = kept[case.name]
        problems = compare_case(case, responses, args.tamper)
        mismatches.extend(problems)
        floor_root = json.loads(next(iter(responses["floor"].bodies), b"[]"))
        # Rows: a list's length; an article's quotes and claims; a page's nodes.
        rows = (
            len(floor_root)
            if isinstance(floor_root, list)
            else sum(len(v) for v in floor_root.values() if isinstance(v, list))
        )
        results.append(
            Result(
                case=case.name,
                quotegraph=figures["quotegraph"].get(case.name),
                cached=figures["cached"].get(case.name),
                floor=figures["floor"].get(case.name) or Figures(),
                peer=figures["peer"].get(case.name),
                rows=rows,
                first_page=first_pages.get(case.name, {}),
                match="NO" if problems else "yes",
                checked={system: kept_.total for system, kept_ in responses.items()},
            )
        )
    return results


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None or b == 0 else f"{a / b:.1f}x"


def print_table(results: Sequence[Result], args: argparse.Namespace) -> None:
    header = (
        "| query | rows | answers equal | qg p50 ms | qg p99 ms | qg rps "
        "| cached p50 ms | cached p99 ms | cached rps "
        "| floor p50 ms | peer p50 ms | peer p99 ms | peer rps | qg/floor p50 | qg/peer p50 "
        "| peer/qg rps |"
    )
    print()
    print(
        f"workers {args.workers}, {args.concurrency} concurrent clients for rps, up to "
        f"{args.requests} requests or {args.duration:g} s per measurement, {JSON_LIBRARY} for "
        "the floor; qg = response cache off, cached = cache on (default), same request repeated"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for r in results:
        qg, ca, fl, pe = (
            r.quotegraph or Figures(),
            r.cached or Figures(),
            r.floor,
            r.peer or Figures(),
        )
        print(
            f"| {r.case} | {r.rows} | {r.match} | {fmt(qg.p50_ms)} | {fmt(qg.p99_ms)} "
            f"| {fmt(qg.rps, 0)} | {fmt(ca.p50_ms)} | {fmt(ca.p99_ms)} | {fmt(ca.rps, 0)} "
            f"| {fmt(fl.p50_ms, 2)} "
            f"| {fmt(pe.p50_ms)} | {fmt(pe.p99_ms)} | {fmt(pe.rps, 0)} "
            f"| {ratio(qg.p50_ms, fl.p50_ms)} | {ratio(qg.p50_ms, pe.p50_ms)} "
            f"| {ratio(pe.rps, qg.rps)} |"
        )
    for r in results:
        if r.first_page:
            ratios = ", ".join(
                f"{system} {fmt(deep.p50_ms)} / {fmt(first.p50_ms)} ms "
                f"= {ratio(deep.p50_ms, first.p50_ms)}"
                for system, first in r.first_page.items()
                if (deep := getattr(r, system)) is not None
            )
            print(f"\n{r.case} against page 1 of the same list, in the same turns (p50): {ratios}")
    overheads = [
        f.client_cpu_ms
        for r in results
        for f in (r.quotegraph, r.cached, r.peer)
        if f is not None and f.client_cpu_ms is not None
    ]
    if overheads:
        print(
            f"\nclient overhead: {min(overheads):.2f}-{max(overheads):.2f} ms of client CPU per "
            "request in the concurrent runs (httpx, threads; the client shares the machine)"
        )
    for r in results:
        for system, f in (("quotegraph", r.quotegraph), ("cached", r.cached), ("peer", r.peer)):
            if f is not None and f.errors:
                print(f"errors in {system} {r.case}: {f.errors[:2]}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Start quotegraph (and PostGraphile on PostgreSQL) over a generated database, time "
            "five GraphQL queries (p50/p99 with one client, requests/s with several), compare "
            "with one hand-written SQL query each (the floor); every answer of every system is "
            "compared field by field with the floor's, and the run exits 1 on a difference."
        )
    )
    parser.add_argument(
        "--database-url",
        required=True,
        help="The database benchmarks/generate.py filled (sqlite:///… or postgresql://…).",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="Server worker processes, both servers (2)."
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        help="Most requests per measurement (latency run, and concurrent run in total) (200).",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=10.0,
        help="Most seconds per measurement; whichever of --requests/--duration comes first (10).",
    )
    parser.add_argument(
        "--warmup", type=int, default=10, help="Untimed requests before each latency run (10)."
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, help="Concurrent clients for requests/s (8)."
    )
    parser.add_argument(
        "--skip-peer", action="store_true", help="Do not start or time PostGraphile."
    )
    parser.add_argument(
        "--cache",
        choices=("both", "off", "on"),
        default="both",
        help=(
            "quotegraph's response cache: time it off (the query path), on (the default, a "
            "repeated request), or both (both)."
        ),
    )
    parser.add_argument(
        "--speaker", help="Name for query 1a and 2 (default: the speaker with most quotes)."
    )
    parser.add_argument(
        "--rare-speaker", help="Name for query 1b (default: a speaker with fewest quotes)."
    )
    parser.add_argument(
        "--speaker-prefix", help="Search for query 3 (default: first 3 letters of --speaker)."
    )
    parser.add_argument(
        "--article-id", type=int, help="Article for query 4 (default: a typical one, found)."
    )
    parser.add_argument(
        "--search", default="ceasefire", help="Text for query 5 (default: 'ceasefire')."
    )
    parser.add_argument(
        "--page", type=int, default=500, help="Page (of 20) fetched by cursor in query 2 (500)."
    )
    parser.add_argument(
        "--port", type=int, default=0, help="quotegraph's port on 127.0.0.1 (0: a free one)."
    )
    parser.add_argument(
        "--peer-port", type=int, default=0, help="PostGraphile's port (0: a free one)."
    )
    parser.add_argument(
        "--no-upgrade",
        action="store_true",
        help="Do not apply pending migrations first (quotegraph then refuses an old database).",
    )
    parser.add_argument("--node", default="node", help="Node.js executable for the peer (node).")
    parser.add_argument(
        "--quotegraph-url",
        help=(
            "Use a quotegraph already running at this GraphQL URL instead of starting one; "
            "with --cache off it is reported as the uncached server, with --cache on as the "
            "cached one (its own QUOTEGRAPH_RESPONSE_CACHE_MB decides which it really is)."
        ),
    )
    parser.add_argument(
        "--check-only",
        action="store_true",
        help=(
            "Ask every case once of every system and compare the answers field by field, "
            "without timing (seconds on a small database); exit 1 on a mismatch."
        ),
    )
    parser.add_argument(
        "--tamper",
        type=Tamper.parse,
        metavar="SYSTEM:FIELD",
        help=(
            "Self-test of the comparison: change FIELD (e.g. text, kind, name) in the first "
            "answer of SYSTEM (quotegraph, cached, peer, floor) of every case before comparing; "
            "the run must then fail."
        ),
    )
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args(argv)
    if args.quotegraph_url and args.cache == "both":
        parser.error("--quotegraph-url is one server: give --cache off or --cache on")
    if min(args.workers, args.requests, args.concurrency, args.page) < 1:
        parser.error("--workers, --requests, --concurrency and --page must be at least 1")
    return args


def load_average() -> str:
    # Other work on the machine shows up in every figure: keep the load beside them.
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    load_before = load_average()
    mismatches: list[str] = []
    results = run(args, mismatches)
    load_after = load_average()
    if not args.check_only:
        print_table(results, args)
    print()
    for r in results:
        counts = ", ".join(f"{system} {n}" for system, n in r.checked.items())
        print(f"compared field by field with the floor: {r.case}: {counts} responses")
    print(f"load average (1, 5, 15 min): before {load_before}, after {load_after}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "arguments": {k: str(v) for k, v in vars(args).items()},
                    "load_average": {"before": load_before, "after": load_after},
                    "results": [
                        {
                            "case": r.case,
                            "rows": r.rows,
                            "same_rows": r.match,
                            "responses_compared": r.checked,
                            "quotegraph": None if r.quotegraph is None else vars_of(r.quotegraph),
                            "cached": None if r.cached is None else vars_of(r.cached),
                            "floor": vars_of(r.floor),
                            "peer": None if r.peer is None else vars_of(r.peer),
                        }
                        for r in results
                    ],
                },
                indent=2,
            )
        )
    if mismatches:
        for problem in mismatches:
            print(problem, file=sys.stderr)
        sys.exit(f"FAILED: {len(mismatches)} answer(s) differ from the floor's (see above)")


def vars_of(figures: Figures) -> dict[str, Any]:
    return {
        "p50_ms": figures.p50_ms,
        "p99_ms": figures.p99_ms,
        "rps": figures.rps,
        "client_cpu_ms": figures.client_cpu_ms,
        "requests": figures.requests,
        "errors": figures.errors,
    }


if __name__ == "__main__":
    main()
