"""Time quotegraph's aggregates beside PostGraphile v4 with @graphile/pg-aggregates (pinned in
benchmarks/peer/package.json) on the same PostgreSQL database, for the questions the peer can
answer, and check that both give the same answer.

The peer's equivalents, as a PostGraphile user would write them (connection-filter for the
conditions, `groupedAggregates(groupBy:)` for the counts):

* quoteCount: `speaker(id) { quotes(filter: speech) { totalCount } }`;
* timeline by day: `quotes(filter: speaker, speech, period) { groupedAggregates(groupBy:
  SORT_DATE_TRUNCATED_TO_DAY) }` (pg-aggregates truncates to hours and days only: no weeks,
  months or years, and no empty buckets);
* topSpeakers: `quotes(filter: attributed speech, period[, article's outlet]) {
  groupedAggregates(groupBy: SPEAKER_ID) }`: every speaker's group comes back, and the client
  ranks them and keeps ten (grouped aggregates cannot be ordered or limited);
* sources: `articles { groupedAggregates(groupBy: SOURCE) }`: articles per outlet only (the
  peer cannot group quotes by a column of their article).

Speaker.coQuoted and quoteShareByKind have no equivalent (they group by a joined row).

    npm ci --prefix benchmarks/peer
    .venv/bin/python benchmarks/aggregates_peer.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/qg_1m
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db.engine import normalise_url  # noqa: E402
from app.db.migrations import upgrade  # noqa: E402
from benchmarks.api import (  # noqa: E402
    PEER_DIR,
    Database,
    Figures,
    Limits,
    free_port,
    global_id,
    interleaved_latency,
    libpq_url,
    load_average,
    pk_of,
    running,
)

Normalised = Any
SPEECH = {"attributionClass": {"equalTo": "speech"}}


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    query: str
    variables: dict[str, Any]
    answer: Callable[[dict[str, Any]], Normalised]  # quotegraph's data -> normalised
    peer_query: str
    peer_variables: dict[str, Any]
    peer_answer: Callable[[dict[str, Any]], Normalised]  # the peer's data -> normalised


@dataclass(slots=True)
class Result:
    case: str
    quotegraph: Figures
    peer: Figures
    same: bool
    size: int  # rows in quotegraph's answer (or the count itself): 0 would prove nothing


def _period(since: str, until: str) -> dict[str, Any]:
    return {"sortDate": {"greaterThanOrEqualTo": since, "lessThan": until}}


def _groups(data: dict[str, Any], root: str) -> list[tuple[str, int]]:
    return [
        (g["keys"][0], int(g["distinctCount"]["id"]))
        for g in data[root]["groupedAggregates"]
        if g["keys"][0] is not None
    ]


def peer_ranked(data: dict[str, Any], first: int = 10) -> Normalised:
    """The client's part on the peer: rank every speaker's group (ties: the higher id first,
    as quotegraph) and keep the first ten."""
    groups = [(int(key), n) for key, n in _groups(data, "quotes")]
    groups.sort(key=lambda g: (-g[1], -g[0]))
    return [(speaker_id, n) for speaker_id, n in groups[:first]]


def ranked(data: dict[str, Any]) -> Normalised:
    return [(pk_of(r["speaker"]["id"]), int(r["quotes"])) for r in data["topSpeakers"]]


def days(data: dict[str, Any]) -> Normalised:
    return [(b["start"][:10], int(b["quotes"])) for b in data["timeline"] if b["quotes"]]


def peer_days(data: dict[str, Any]) -> Normalised:
    return sorted((key[:10], n) for key, n in _groups(data, "quotes"))


def peer_sources(data: dict[str, Any], first: int = 100) -> Normalised:
    """The client's part on the peer: the outlets with most articles first, as quotegraph."""
    groups = [
        (g["keys"][0] or "", int(g["distinctCount"]["id"]))
        for g in data["articles"]["groupedAggregates"]
    ]
    groups.sort(key=lambda g: (-g[1], g[0].lower()))
    return sorted(groups[:first])


def build_cases(busiest: tuple[int, str], source: str) -> list[Case]:
    speaker_id, _name = busiest
    since, until = "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"
    odd_since, odd_until = "2024-03-01T06:30:00Z", "2024-09-15T18:00:00Z"
    top = (
        "query T($since: DateTime, $until: DateTime, $source: String) { "
        "topSpeakers(since: $since, until: $until, source: $source, first: 10) "
        "{ speaker { id } quotes } }"
    )
    peer_top = (
        "query T($filter: QuoteFilter!) { quotes(filter: $filter) "
        "{ groupedAggregates(groupBy: SPEAKER_ID) { keys distinctCount { id } } } }"
    )
    attributed = {**SPEECH, "speakerId": {"isNull": False}}
    cases = [
        Case(
            "Speaker.quoteCount (busiest)",
            "query Q($id: ID!) { speaker(id: $id) { quoteCount } }",
            {"id": global_id("Speaker", speaker_id)},
            lambda d: d["speaker"]["quoteCount"],
            "query Q($id: Int!, $filter: QuoteFilter!) { speaker(id: $id) "
            "{ quotes(filter: $filter) { totalCount } } }",
            {"id": speaker_id, "filter": SPEECH},
            lambda d: d["speaker"]["quotes"]["totalCount"],
        ),
        Case(
            "timeline(speakerId, DAY, 2024)",
            "query T($id: ID!, $since: DateTime, $until: DateTime) { timeline(speakerId: $id, "
            "interval: DAY, since: $since, until: $until) { start quotes } }",
            {"id": global_id("Speaker", speaker_id), "since": since, "until": until},
            days,
            "query T($filter: QuoteFilter!) { quotes(filter: $filter) { groupedAggregates("
            "groupBy: SORT_DATE_TRUNCATED_TO_DAY) { keys distinctCount { id } } } }",
            {"filter": {**SPEECH, "speakerId": {"equalTo": speaker_id}, **_period(since, until)}},
            peer_days,
        ),
        Case(
            "topSpeakers(2024)",
            top,
            {"since": since, "until": until},
            ranked,
            peer_top,
            {"filter": {**attributed, **_period(since, until)}},
            peer_ranked,
        ),
        Case(
            "topSpeakers(since/until mid-day)",
            top,
            {"since": odd_since, "until": odd_until},
            ranked,
            peer_top,
            {"filter": {**attributed, **_period(odd_since, odd_until)}},
            peer_ranked,
        ),
        Case(
            "topSpeakers(source, 2024)",
            top,
            {"since": since, "until": until, "source": source},
            ranked,
            peer_top,
            {
                "filter": {
                    **attributed,
                    **_period(since, until),
                    "article": {"source": {"equalToInsensitive": source}},
                }
            },
            peer_ranked,
        ),
        Case(
            "sources (articles per outlet)",
            "{ sources(first: 100) { source articles } }",
            {},
            lambda d: sorted((s["source"] or "", s["articles"]) for s in d["sources"]),
            "{ articles { groupedAggregates(groupBy: SOURCE) { keys distinctCount { id } } } }",
            {},
            peer_sources,
        ),
    ]
    return cases


def run(args: argparse.Namespace) -> tuple[list[Result], list[str]]:
    url = make_url(normalise_url(args.database_url))
    if url.get_backend_name() != "postgresql":
        sys.exit("the peer (PostGraphile) runs on PostgreSQL only")
    if not (PEER_DIR / "node_modules" / "@graphile" / "pg-aggregates").is_dir():
        sys.exit(f"PostGraphile is not installed: run `npm ci --prefix {PEER_DIR}`")
    if not args.no_upgrade:
        upgrade(url.render_as_string(hide_password=False))
    db = Database(url)
    busiest = db.rows(
        "SELECT s.id, s.name FROM speaker_quote_count c JOIN speaker s ON s.id = c.speaker_id "
        "ORDER BY c.quotes DESC, c.speaker_id DESC LIMIT 1"
    )[0]
    source = db.rows(
        "SELECT min(source) FROM source_day WHERE source_key <> '' GROUP BY source_key "
        "ORDER BY sum(articles) DESC, source_key LIMIT 1"
    )[0][0]
    db.close()
    print(f"busiest speaker {busiest[1]!r} (id {busiest[0]}), outlet {source!r}")
    cases = build_cases((int(busiest[0]), str(busiest[1])), str(source))
    limits = Limits(args.requests, args.duration, args.warmup, 1)
    logs = Path(tempfile.mkdtemp(prefix="qg-aggregates-peer-"))
    qg_port, peer_port = free_port(), free_port()
    qg_url = f"http://127.0.0.1:{qg_port}/graphql"
    peer_url = f"http://127.0.0.1:{peer_port}/graphql"
    qg_env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "QUOTEGRAPH_RATE_LIMIT": "false",
        "QUOTEGRAPH_RESPONSE_CACHE_MB": "0",  # the query path, not a cached answer
    }
    peer_env = {
        **os.environ,
        "DATABASE_URL": libpq_url(url),
        "PORT": str(peer_port),
        "WORKERS": "1",
    }
    qg_command = [
        str(Path(sys.executable).with_name("quotegraph")),
        *("serve", "--host", "127.0.0.1", "--port", str(qg_port), "--workers", "1"),
    ]
    results: list[Result] = []
    problems: list[str] = []
    with (
        running("quotegraph", qg_command, qg_env, ROOT, qg_url, logs / "quotegraph.log"),
        running("peer", ["node", "server.js"], peer_env, PEER_DIR, peer_url, logs / "peer.log"),
        httpx.Client(timeout=120) as http,
    ):
        time.sleep(args.settle)
        for case in cases:
            answers: dict[str, Any] = {}

            def asker(
                address: str,
                query: str,
                variables: dict[str, Any],
                normalise: Callable[[dict[str, Any]], Normalised],
                system: str,
                answers: dict[str, Any] = answers,
            ) -> Callable[[], None]:
                body = json.dumps({"query": query, "variables": variables}).encode()

                def ask() -> None:
                    response = http.post(
                        address, content=body, headers={"content-type": "application/json"}
                    )
                    decoded = response.json()
                    if response.status_code != 200 or decoded.get("errors"):
                        raise RuntimeError(f"{system}: {response.status_code} {decoded}")
                    # The client's part (the peer's ranking) is timed with the request.
                    answers[system] = normalise(decoded["data"])

                return ask

            calls = {
                "quotegraph": asker(qg_url, case.query, case.variables, case.answer, "quotegraph"),
                "peer": asker(
                    peer_url, case.peer_query, case.peer_variables, case.peer_answer, "peer"
                ),
            }
            for call in calls.values():
                call()
            same = answers["quotegraph"] == answers["peer"]
            if not same:
                problems.append(
                    f"MISMATCH {case.name}: quotegraph {str(answers['quotegraph'])[:300]} "
                    f"!= peer {str(answers['peer'])[:300]}"
                )
            timed = interleaved_latency(calls, limits)
            answer = answers["quotegraph"]
            size = len(answer) if isinstance(answer, list) else int(answer)
            results.append(Result(case.name, timed["quotegraph"], timed["peer"], same, size))
            print(
                f"{case.name:34s} quotegraph p50 {timed['quotegraph'].p50_ms:7.1f} p99 "
                f"{timed['quotegraph'].p99_ms:7.1f} | peer p50 {timed['peer'].p50_ms:7.1f} "
                f"p99 {timed['peer'].p99_ms:7.1f} ms  same={same}",
                flush=True,
            )
    return results, problems


def print_table(results: list[Result], args: argparse.Namespace) -> None:
    print()
    print("| case | quotegraph p50 / p99 ms | PostGraphile + pg-aggregates p50 / p99 ms | same |")
    print("|---|---|---|---|")
    for r in results:
        print(
            f"| {r.case} | {r.quotegraph.p50_ms:.1f} / {r.quotegraph.p99_ms:.1f} "
            f"| {r.peer.p50_ms:.1f} / {r.peer.p99_ms:.1f} | {'yes' if r.same else 'NO'} |"
        )
    print(
        f"\n{args.requests} requests (or {args.duration:g} s) per system and case, one client, "
        "in turns; one worker each; quotegraph's response cache off"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="A PostgreSQL generate.py filled.")
    parser.add_argument("--requests", type=int, default=200, help="Requests per system (200).")
    parser.add_argument(
        "--duration", type=float, default=30.0, help="Most seconds per measurement (30)."
    )
    parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first (5).")
    parser.add_argument(
        "--settle", type=float, default=20.0, help="Seconds to wait after the start (20)."
    )
    parser.add_argument("--no-upgrade", action="store_true", help="Skip pending migrations.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    before = load_average()
    started = time.perf_counter()
    results, problems = run(args)
    print_table(results, args)
    print(
        f"load average (1, 5, 15 min): before {before}, after {load_average()}; "
        f"{time.perf_counter() - started:.0f} s"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "case": r.case,
                        "same": r.same,
                        "size": r.size,
                        "quotegraph": {
                            "p50_ms": r.quotegraph.p50_ms,
                            "p99_ms": r.quotegraph.p99_ms,
                        },
                        "peer": {"p50_ms": r.peer.p50_ms, "p99_ms": r.peer.p99_ms},
                    }
                    for r in results
                ],
                indent=2,
            )
        )
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(f"FAILED: {len(problems)} answer(s) differ")


if __name__ == "__main__":
    main()
