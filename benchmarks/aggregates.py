"""Time quotegraph's aggregates (timeline, topSpeakers, coQuoted, sources, quoteShareByKind,
quoteCount) over HTTP beside two hand-written SQL floors, and check that all three agree.

* "floor": the least SQL that answers from the same kept tables quotegraph reads
  (speaker_quote_count, speaker_co_quote, speaker_day, source_day): GROUP BY and ORDER BY
  only, no zero-filled buckets, no JSON;
* "rows": the same answer counted from the quotes and claims themselves, as a database
  without those tables must (timed with fewer requests: some take a second).

Every answer of the three is normalised (non-empty buckets as (date, quotes, claims), ranked
names with counts) and compared; the run exits 1 on a difference.

    .venv/bin/python benchmarks/aggregates.py --database-url sqlite:////path/qg_1m.db
    .venv/bin/python benchmarks/aggregates.py --database-url postgresql://postgres@127.0.0.1/qg
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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db.engine import normalise_url  # noqa: E402
from app.db.migrations import upgrade  # noqa: E402
from benchmarks.api import (  # noqa: E402
    Database,
    Figures,
    Limits,
    free_port,
    interleaved_latency,
    latency,
    load_average,
    percentile,
    running,
)

Normalised = Any


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    query: str
    variables: dict[str, Any]
    answer: Callable[[dict[str, Any]], Normalised]  # quotegraph's data -> normalised
    floor: Callable[[Database], Normalised]
    rows: Callable[[Database], Normalised]


def day_text(value: Any) -> str:
    """A bucket start as its date: a datetime or date from psycopg, text from SQLite."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)[:10]


def buckets_of(rows: list[tuple[Any, ...]]) -> Normalised:
    return [(day_text(b), int(q), int(c)) for b, q, c in rows if int(q) or int(c)]


def trunc(db: Database, interval: str, column: str, daily: bool) -> str:
    """SQL for the start of the bucket of `column` (a day, or an instant)."""
    if not db.sqlite:
        inner = f"CAST({column} AS timestamp)" if daily else f"timezone('UTC', {column})"
        return f"date_trunc('{interval}', {inner})"
    modifiers = {
        "day": "",
        "week": ", 'weekday 0', '-6 days'",
        "month": ", 'start of month'",
        "year": ", 'start of year'",
    }[interval]
    return f"date({column}{modifiers})"


def rows_timeline(
    db: Database, interval: str, where_quote: str, where_claim: str, params: list[Any]
) -> Normalised:
    q_bucket = trunc(db, interval, "q.sort_date", daily=False)
    c_bucket = trunc(db, interval, "c.sort_date", daily=False)
    statement = f"""
        SELECT b, sum(nq), sum(nc) FROM (
          SELECT {q_bucket} AS b, count(*) AS nq, 0 AS nc FROM quote q {where_quote} GROUP BY 1
          UNION ALL
          SELECT {c_bucket}, 0, count(*) FROM claim c {where_claim} GROUP BY 1
        ) t GROUP BY b ORDER BY b"""
    return buckets_of(db.rows(statement, params))


def timeline_answer(data: dict[str, Any]) -> Normalised:
    return [
        (b["start"][:10], b["quotes"], b["claims"])
        for b in data["timeline"]
        if b["quotes"] or b["claims"]
    ]


def ranked_answer(data: dict[str, Any]) -> Normalised:
    return [(r["speaker"]["name"], r["quotes"], round(r["share"], 6)) for r in data["topSpeakers"]]


def ranked_rows(rows: list[tuple[Any, ...]]) -> Normalised:
    return [(name, int(n), round(int(n) / int(total), 6)) for name, n, total in rows]


def build_cases(db: Database, busiest: tuple[int, str], source: str) -> list[Case]:
    speaker_id, speaker = busiest
    year = ["2024-01-01", "2025-01-01"]
    year_instants = ["2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"]
    stamp = (
        (lambda d: d) if db.sqlite else (lambda d: datetime.fromisoformat(d).replace(tzinfo=UTC))
    )
    year_params = [stamp(year[0]), stamp(year[1])]
    if db.sqlite:  # stored as text without a zone; compare as text
        year_params = [f"{year[0]} 00:00:00.000000", f"{year[1]} 00:00:00.000000"]
    cases: list[Case] = []

    # 1. A busy speaker's weekly timeline, all time.
    cases.append(
        Case(
            "timeline(speaker, WEEK)",
            "query T($s: String!) { timeline(speaker: $s, interval: WEEK) "
            "{ start end quotes claims } }",
            {"s": speaker},
            timeline_answer,
            lambda db: buckets_of(
                db.rows(
                    f"SELECT {trunc(db, 'week', 'day', True)} AS b, sum(quotes), sum(claims) "
                    "FROM speaker_day WHERE speaker_id = %s GROUP BY b ORDER BY b",
                    [speaker_id],
                )
            ),
            lambda db: rows_timeline(
                db,
                "week",
                "WHERE q.speaker_id = %s",
                "WHERE c.claimant_id = %s",
                [speaker_id, speaker_id],
            ),
        )
    )
    # 2. Everything, by month, all time.
    cases.append(
        Case(
            "timeline(MONTH), all",
            "{ timeline(interval: MONTH) { start end quotes claims } }",
            {},
            timeline_answer,
            lambda db: buckets_of(
                db.rows(
                    f"SELECT {trunc(db, 'month', 'day', True)} AS b, sum(quotes), sum(claims) "
                    "FROM source_day GROUP BY b ORDER BY b"
                )
            ),
            lambda db: rows_timeline(db, "month", "", "", []),
        )
    )
    # 3. One outlet by week over a year.
    outlet_q = (
        "WHERE q.sort_date >= %s AND q.sort_date < %s AND q.article_id IN "
        "(SELECT id FROM article WHERE lower(source) = lower(%s))"
    )
    outlet_c = outlet_q.replace("q.", "c.")
    cases.append(
        Case(
            "timeline(source, WEEK, 1 year)",
            "query T($src: String!, $a: DateTime!, $b: DateTime!) { timeline(source: $src, "
            "interval: WEEK, since: $a, until: $b) { start end quotes claims } }",
            {"src": source, "a": year_instants[0], "b": year_instants[1]},
            timeline_answer,
            lambda db: buckets_of(
                db.rows(
                    f"SELECT {trunc(db, 'week', 'day', True)} AS b, sum(quotes), sum(claims) "
                    "FROM source_day WHERE source_key = lower(%s) AND day >= %s AND day < %s "
                    "GROUP BY b ORDER BY b",
                    [source, *year],
                )
            ),
            lambda db: rows_timeline(
                db, "week", outlet_q, outlet_c, [*year_params, source, *year_params, source]
            ),
        )
    )
    # 4. Top ten speakers of all time.
    top_query = (
        "query R($a: DateTime, $b: DateTime) { topSpeakers(since: $a, until: $b, first: 10) "
        "{ speaker { name } quotes share } }"
    )
    cases.append(
        Case(
            "topSpeakers(first: 10), all time",
            top_query,
            {},
            ranked_answer,
            lambda db: ranked_rows(
                db.rows(
                    "SELECT s.name, c.quotes, (SELECT sum(quotes) FROM speaker_quote_count) "
                    "FROM speaker_quote_count c JOIN speaker s ON s.id = c.speaker_id "
                    "WHERE c.quotes > 0 ORDER BY c.quotes DESC, c.speaker_id DESC LIMIT 10"
                )
            ),
            lambda db: ranked_rows(
                db.rows(
                    "SELECT s.name, t.n, t.total FROM (SELECT speaker_id, count(*) AS n, "
                    "sum(count(*)) OVER () AS total FROM quote WHERE speaker_id IS NOT NULL "
                    "GROUP BY speaker_id ORDER BY n DESC, speaker_id DESC LIMIT 10) t "
                    "JOIN speaker s ON s.id = t.speaker_id ORDER BY t.n DESC, t.speaker_id DESC"
                )
            ),
        )
    )
    # 5. Top ten speakers of one year.
    cases.append(
        Case(
            "topSpeakers(first: 10), 1 year",
            top_query,
            {"a": year_instants[0], "b": year_instants[1]},
            ranked_answer,
            lambda db: ranked_rows(
                db.rows(
                    "SELECT s.name, t.n, t.total FROM (SELECT speaker_id, sum(quotes) AS n, "
                    "sum(sum(quotes)) OVER () AS total FROM speaker_day "
                    "WHERE day >= %s AND day < %s GROUP BY speaker_id HAVING sum(quotes) > 0 "
                    "ORDER BY n DESC, speaker_id DESC LIMIT 10) t "
                    "JOIN speaker s ON s.id = t.speaker_id ORDER BY t.n DESC, t.speaker_id DESC",
                    year,
                )
            ),
            lambda db: ranked_rows(
                db.rows(
                    "SELECT s.name, t.n, t.total FROM (SELECT speaker_id, count(*) AS n, "
                    "sum(count(*)) OVER () AS total FROM quote WHERE speaker_id IS NOT NULL "
                    "AND sort_date >= %s AND sort_date < %s "
                    "GROUP BY speaker_id ORDER BY n DESC, speaker_id DESC LIMIT 10) t "
                    "JOIN speaker s ON s.id = t.speaker_id ORDER BY t.n DESC, t.speaker_id DESC",
                    year_params,
                )
            ),
        )
    )
    # 6. Who is quoted beside the busiest speaker.
    cases.append(
        Case(
            "Speaker.coQuoted(first: 10)",
            "query C($s: String!) { speaker(name: $s) { coQuoted(first: 10) "
            "{ speaker { name } articles } } }",
            {"s": speaker},
            lambda data: [
                (c["speaker"]["name"], c["articles"]) for c in data["speaker"]["coQuoted"]
            ],
            lambda db: [
                (name, int(n))
                for name, n in db.rows(
                    "SELECT s.name, p.articles FROM speaker_co_quote p "
                    "JOIN speaker s ON s.id = p.other_id WHERE p.speaker_id = %s "
                    "AND p.articles > 0 ORDER BY p.articles DESC, p.other_id DESC LIMIT 10",
                    [speaker_id],
                )
            ],
            lambda db: [
                (name, int(n))
                for name, n in db.rows(
                    "SELECT s.name, t.n FROM (SELECT b.speaker_id, count(*) AS n FROM "
                    "(SELECT DISTINCT article_id FROM quote WHERE speaker_id = %s) a JOIN "
                    "(SELECT DISTINCT article_id, speaker_id FROM quote "
                    "WHERE speaker_id IS NOT NULL AND speaker_id <> %s) b "
                    "ON b.article_id = a.article_id GROUP BY b.speaker_id "
                    "ORDER BY n DESC, b.speaker_id DESC LIMIT 10) t "
                    "JOIN speaker s ON s.id = t.speaker_id ORDER BY t.n DESC, t.speaker_id DESC",
                    [speaker_id, speaker_id],
                )
            ],
        )
    )
    # 7. Outlets.
    cases.append(
        Case(
            "sources",
            "{ sources { source articles quotes claims } }",
            {},
            lambda data: [
                (s["source"], s["articles"], s["quotes"], s["claims"]) for s in data["sources"]
            ],
            lambda db: [
                (name, int(a), int(q), int(c))
                for name, a, q, c in db.rows(
                    "SELECT min(source), sum(articles), sum(quotes), sum(claims) FROM source_day "
                    "GROUP BY source_key HAVING sum(articles) > 0 "
                    "ORDER BY sum(articles) DESC, source_key LIMIT 20"
                )
            ],
            lambda db: [
                (name, int(a), int(q), int(c))
                for name, a, q, c in db.rows(
                    "SELECT min(a.source), count(*), sum(coalesce(q.n, 0)), sum(coalesce(c.n, 0)) "
                    "FROM article a "
                    "LEFT JOIN (SELECT article_id, count(*) AS n FROM quote GROUP BY article_id) q "
                    "ON q.article_id = a.id "
                    "LEFT JOIN (SELECT article_id, count(*) AS n FROM claim GROUP BY article_id) c "
                    "ON c.article_id = a.id GROUP BY coalesce(lower(a.source), '') "
                    "ORDER BY count(*) DESC, coalesce(lower(a.source), '') LIMIT 20"
                )
            ],
        )
    )
    # 8. Share of quotes by kind of speaker.
    kinds = ("person", "organisation", "unknown")

    def shares(rows: list[tuple[Any, ...]]) -> Normalised:
        counts = {str(k): int(n) for k, n in rows}
        total = sum(counts.values())
        return [(k.upper(), counts.get(k, 0), round(counts.get(k, 0) / total, 6)) for k in kinds]

    cases.append(
        Case(
            "quoteShareByKind",
            "{ quoteShareByKind { kind quotes share } }",
            {},
            lambda data: [
                (k["kind"], k["quotes"], round(k["share"], 6)) for k in data["quoteShareByKind"]
            ],
            lambda db: shares(
                db.rows(
                    "SELECT s.kind, sum(c.quotes) FROM speaker_quote_count c "
                    "JOIN speaker s ON s.id = c.speaker_id GROUP BY s.kind"
                )
            ),
            lambda db: shares(
                db.rows(
                    "SELECT s.kind, count(*) FROM quote q JOIN speaker s ON s.id = q.speaker_id "
                    "GROUP BY s.kind"
                )
            ),
        )
    )
    # 9. The busiest speaker's quoteCount.
    cases.append(
        Case(
            "Speaker.quoteCount (busiest)",
            "query Q($s: String!) { speaker(name: $s) { name quoteCount } }",
            {"s": speaker},
            lambda data: (data["speaker"]["name"], data["speaker"]["quoteCount"]),
            lambda db: tuple(
                db.rows(
                    "SELECT s.name, c.quotes FROM speaker s JOIN speaker_quote_count c "
                    "ON c.speaker_id = s.id WHERE s.id = %s",
                    [speaker_id],
                )[0]
            ),
            lambda db: tuple(
                db.rows(
                    "SELECT s.name, (SELECT count(*) FROM quote q WHERE q.speaker_id = s.id) "
                    "FROM speaker s WHERE s.id = %s",
                    [speaker_id],
                )[0]
            ),
        )
    )
    cases.extend(outlet_and_range_cases(db, source, shares))
    return cases


def outlet_and_range_cases(
    db: Database, source: str, shares: Callable[[list[tuple[Any, ...]]], Normalised]
) -> list[Case]:
    """The cases issue 15 left open: one outlet's ranking and kind shares, ranges that cut
    through days, and a timeline of search words."""
    # 06:00 on 1 January 2024 to 18:00 on 1 January 2025: whole days plus two part days.
    since, until = "2024-01-01T06:00:00Z", "2025-01-01T18:00:00Z"
    first_day, end_day = "2024-01-02", "2025-01-01"
    if db.sqlite:
        instants = ["2024-01-01 06:00:00.000000", "2025-01-01 18:00:00.000000"]
        midnights = ["2024-01-02 00:00:00.000000", "2025-01-01 00:00:00.000000"]
    else:
        instants = [datetime.fromisoformat(v) for v in (since, until)]
        midnights = [datetime.fromisoformat(f"{d}T00:00:00+00:00") for d in (first_day, end_day)]
    speech = "attribution_class = 'speech'"
    # All time per outlet: the first rows of the kept count's index, and their total apart.
    top_outlet = (
        "SELECT s.name, t.quotes, (SELECT sum(quotes) FROM speaker_source_count "
        "WHERE source_key = lower(%s) AND quotes > 0) FROM (SELECT speaker_id, quotes "
        "FROM speaker_source_count WHERE source_key = lower(%s) AND quotes > 0 "
        "ORDER BY quotes DESC, speaker_id DESC LIMIT 10) t "
        "JOIN speaker s ON s.id = t.speaker_id ORDER BY t.quotes DESC, t.speaker_id DESC"
    )
    top_outlet_rows = (
        "SELECT s.name, t.n, t.total FROM (SELECT q.speaker_id, count(*) AS n, "
        "sum(count(*)) OVER () AS total FROM quote q JOIN article a ON a.id = q.article_id "
        f"WHERE q.speaker_id IS NOT NULL AND q.{speech} AND lower(a.source) = lower(%s) "
        "GROUP BY q.speaker_id ORDER BY n DESC, q.speaker_id DESC LIMIT 10) t "
        "JOIN speaker s ON s.id = t.speaker_id ORDER BY t.n DESC, t.speaker_id DESC"
    )
    # Whole days from the kept table, the part days from the quotes (what quotegraph does).
    top_range = (
        "SELECT s.name, t.n, t.total FROM (SELECT speaker_id, sum(n) AS n, "
        "sum(sum(n)) OVER () AS total FROM ("
        "SELECT speaker_id, quotes AS n FROM speaker_day WHERE day >= %s AND day < %s "
        "UNION ALL SELECT speaker_id, count(*) FROM quote WHERE speaker_id IS NOT NULL "
        f"AND {speech} AND ((sort_date >= %s AND sort_date < %s) "
        "OR (sort_date >= %s AND sort_date < %s)) GROUP BY speaker_id) u "
        "GROUP BY speaker_id HAVING sum(n) > 0 ORDER BY n DESC, speaker_id DESC LIMIT 10) t "
        "JOIN speaker s ON s.id = t.speaker_id ORDER BY t.n DESC, t.speaker_id DESC"
    )
    top_range_params = [first_day, end_day, instants[0], midnights[0], midnights[1], instants[1]]
    top_range_rows = (
        "SELECT s.name, t.n, t.total FROM (SELECT speaker_id, count(*) AS n, "
        "sum(count(*)) OVER () AS total FROM quote WHERE speaker_id IS NOT NULL "
        f"AND {speech} AND sort_date >= %s AND sort_date < %s "
        "GROUP BY speaker_id ORDER BY n DESC, speaker_id DESC LIMIT 10) t "
        "JOIN speaker s ON s.id = t.speaker_id ORDER BY t.n DESC, t.speaker_id DESC"
    )
    week_day = trunc(db, "week", "day", True)
    q_week = trunc(db, "week", "sort_date", False)
    timeline_range = f"""
        SELECT b, sum(nq), sum(nc) FROM (
          SELECT {week_day} AS b, sum(quotes) AS nq, sum(claims) AS nc FROM source_day
          WHERE day >= %s AND day < %s GROUP BY 1
          UNION ALL
          SELECT {q_week}, count(*), 0 FROM quote WHERE {speech} AND ((sort_date >= %s
            AND sort_date < %s) OR (sort_date >= %s AND sort_date < %s)) GROUP BY 1
          UNION ALL
          SELECT {q_week}, 0, count(*) FROM claim WHERE (sort_date >= %s AND sort_date < %s)
            OR (sort_date >= %s AND sort_date < %s) GROUP BY 1
        ) t GROUP BY b ORDER BY b"""
    edges = [instants[0], midnights[0], midnights[1], instants[1]]
    word = "ceasefire"
    if db.sqlite:
        from app.services.search import fts5_query, fts5_terms

        hits = "q.id IN (SELECT rowid FROM quote_fts WHERE quote_fts MATCH %s)"
        claim_hits = "c.id IN (SELECT rowid FROM claim_fts WHERE claim_fts MATCH %s)"
        word_param: Any = fts5_query(word)
        term = fts5_terms([word])[0][0]
    else:
        hits = "q.search_vector @@ websearch_to_tsquery('english', %s)"
        claim_hits = "c.search_vector @@ websearch_to_tsquery('english', %s)"
        word_param = word
        shape = db.rows("SELECT websearch_to_tsquery('english', %s)::text", [word])[0][0]
        term = str(shape).strip("'")
    # One word: the quotes and claims from the kept per-term daily counts (migration 0018).
    term_search = f"""
        SELECT {trunc(db, "month", "day", True)} AS b, sum(quotes), sum(claims)
        FROM term_day WHERE term = %s GROUP BY 1 ORDER BY 1"""
    return [
        Case(
            "topSpeakers(source:, first: 10)",
            "query R($src: String!) { topSpeakers(source: $src, first: 10) "
            "{ speaker { name } quotes share } }",
            {"src": source},
            ranked_answer,
            lambda db: ranked_rows(db.rows(top_outlet, [source, source])),
            lambda db: ranked_rows(db.rows(top_outlet_rows, [source])),
        ),
        Case(
            "quoteShareByKind(source:)",
            "query K($src: String!) { quoteShareByKind(source: $src) { kind quotes share } }",
            {"src": source},
            lambda data: [
                (k["kind"], k["quotes"], round(k["share"], 6)) for k in data["quoteShareByKind"]
            ],
            lambda db: shares(
                db.rows(
                    "SELECT s.kind, sum(d.quotes) FROM speaker_source_count d "
                    "JOIN speaker s ON s.id = d.speaker_id WHERE d.source_key = lower(%s) "
                    "GROUP BY s.kind",
                    [source],
                )
            ),
            lambda db: shares(
                db.rows(
                    "SELECT s.kind, count(*) FROM quote q JOIN speaker s ON s.id = q.speaker_id "
                    f"JOIN article a ON a.id = q.article_id WHERE q.{speech} "
                    "AND lower(a.source) = lower(%s) GROUP BY s.kind",
                    [source],
                )
            ),
        ),
        Case(
            "topSpeakers(first: 10), 06:00 to 18:00",
            "query R($a: DateTime, $b: DateTime) { topSpeakers(since: $a, until: $b, first: 10) "
            "{ speaker { name } quotes share } }",
            {"a": since, "b": until},
            ranked_answer,
            lambda db: ranked_rows(db.rows(top_range, top_range_params)),
            lambda db: ranked_rows(db.rows(top_range_rows, instants)),
        ),
        Case(
            "timeline(WEEK), 06:00 to 18:00",
            "query T($a: DateTime!, $b: DateTime!) { timeline(interval: WEEK, since: $a, "
            "until: $b) { start end quotes claims } }",
            {"a": since, "b": until},
            timeline_answer,
            lambda db: buckets_of(db.rows(timeline_range, [first_day, end_day, *edges, *edges])),
            lambda db: rows_timeline(
                db,
                "week",
                f"WHERE q.{speech} AND q.sort_date >= %s AND q.sort_date < %s",
                "WHERE c.sort_date >= %s AND c.sort_date < %s",
                [*instants, *instants],
            ),
        ),
        Case(
            f"timeline(search: {word!r}, MONTH)",
            "query T($w: String!) { timeline(interval: MONTH, search: $w) "
            "{ start end quotes claims } }",
            {"w": word},
            timeline_answer,
            # The floor reads the term's kept daily counts; rows: the quotes and the claims
            # through their word indexes.
            lambda db: buckets_of(db.rows(term_search, [term])),
            lambda db: rows_timeline(
                db,
                "month",
                f"WHERE q.{speech} AND {hits}",
                f"WHERE {claim_hits}",
                [word_param, word_param],
            ),
        ),
    ]


@dataclass(slots=True)
class Result:
    case: str
    quotegraph: Figures
    floor: Figures
    rows: Figures
    same: bool


def run(args: argparse.Namespace) -> tuple[list[Result], list[str]]:
    url = make_url(normalise_url(args.database_url))
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
    print(f"busiest speaker {busiest[1]!r} (id {busiest[0]}), outlet {source!r}")
    cases = build_cases(db, (int(busiest[0]), str(busiest[1])), str(source))
    if args.only:
        cases = [c for c in cases if any(part in c.name for part in args.only)]
    limits = Limits(args.requests, args.duration, args.warmup, 1)
    rows_limits = Limits(args.rows_requests, args.duration, 1, 1)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "QUOTEGRAPH_RATE_LIMIT": "false",
        "QUOTEGRAPH_RESPONSE_CACHE_MB": "0",  # the query path, not a cached answer
    }
    port = args.port or free_port()
    address = f"http://127.0.0.1:{port}/graphql"
    command = [
        str(Path(sys.executable).with_name("quotegraph")),
        *("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)),
    ]
    log = Path(tempfile.mkdtemp(prefix="qg-aggregates-")) / "quotegraph.log"
    results: list[Result] = []
    problems: list[str] = []
    with running("quotegraph", command, env, ROOT, address, log), httpx.Client(timeout=120) as http:
        # The server warms its extraction pool (spaCy in a child process) as it starts: let
        # that finish before anything is timed.
        time.sleep(args.settle)
        for case in cases:
            body = json.dumps({"query": case.query, "variables": case.variables}).encode()
            answers: dict[str, Any] = {}

            def ask(
                case: Case = case, body: bytes = body, answers: dict[str, Any] = answers
            ) -> None:
                response = http.post(
                    address, content=body, headers={"content-type": "application/json"}
                )
                decoded = response.json()
                if response.status_code != 200 or decoded.get("errors"):
                    raise RuntimeError(f"{case.name}: {response.status_code} {decoded}")
                answers["quotegraph"] = case.answer(decoded["data"])

            def floor(case: Case = case, answers: dict[str, Any] = answers) -> None:
                answers["floor"] = case.floor(db)

            def rows(case: Case = case, answers: dict[str, Any] = answers) -> None:
                answers["rows"] = case.rows(db)

            ask()
            floor()
            rows()
            same = answers["quotegraph"] == answers["floor"] == answers["rows"]
            if not same:
                for system in ("floor", "rows"):
                    if answers[system] != answers["quotegraph"]:
                        problems.append(
                            f"MISMATCH {case.name}: quotegraph {str(answers['quotegraph'])[:300]} "
                            f"!= {system} {str(answers[system])[:300]}"
                        )
            print(f"{case.name:36s} same answer: {same}", flush=True)
            if args.check_only:
                results.append(Result(case.name, Figures(), Figures(), Figures(), same))
                continue
            timed = interleaved_latency({"quotegraph": ask, "floor": floor}, limits)
            samples, _ = latency(rows, rows_limits)
            rows_figures = Figures(
                percentile(samples, 0.5), percentile(samples, 0.99), requests=len(samples)
            )
            results.append(
                Result(case.name, timed["quotegraph"], timed["floor"], rows_figures, same)
            )
            print(
                f"{case.name:36s} quotegraph p50 {timed['quotegraph'].p50_ms:7.1f} p99 "
                f"{timed['quotegraph'].p99_ms:7.1f} | floor {timed['floor'].p50_ms:6.1f} / "
                f"{timed['floor'].p99_ms:6.1f} | rows {rows_figures.p50_ms:7.1f} / "
                f"{rows_figures.p99_ms:7.1f} ms  same={same}",
                flush=True,
            )
    db.close()
    return results, problems


def print_table(results: list[Result], args: argparse.Namespace) -> None:
    print()
    print(
        "| case | quotegraph p50 / p99 ms | floor (kept tables) p50 / p99 ms "
        "| rows (no kept tables) p50 / p99 ms | same answer |"
    )
    print("|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.case} | {r.quotegraph.p50_ms:.1f} / {r.quotegraph.p99_ms:.1f} "
            f"| {r.floor.p50_ms:.1f} / {r.floor.p99_ms:.1f} "
            f"| {r.rows.p50_ms:.1f} / {r.rows.p99_ms:.1f} ({r.rows.requests} req) "
            f"| {'yes' if r.same else 'NO'} |"
        )
    print(
        f"\n{args.requests} requests (or {args.duration:g} s) per system and case, one client, "
        f"quotegraph and the floor in turns; rows: {args.rows_requests} requests"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="A database generate.py filled.")
    parser.add_argument("--workers", type=int, default=1, help="Server worker processes (1).")
    parser.add_argument("--requests", type=int, default=200, help="Requests per system (200).")
    parser.add_argument(
        "--rows-requests", type=int, default=10, help="Requests for the rows floor (10)."
    )
    parser.add_argument(
        "--duration", type=float, default=15.0, help="Most seconds per measurement (15)."
    )
    parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first (5).")
    parser.add_argument(
        "--settle", type=float, default=20.0, help="Seconds to wait after the start (20)."
    )
    parser.add_argument("--port", type=int, default=0, help="quotegraph's port (0: a free one).")
    parser.add_argument("--no-upgrade", action="store_true", help="Skip pending migrations.")
    parser.add_argument(
        "--check-only", action="store_true", help="Compare the answers once, without timing."
    )
    parser.add_argument(
        "--only", action="append", help="Only the cases whose name contains this (repeatable)."
    )
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    before = load_average()
    started = time.perf_counter()
    results, problems = run(args)
    if not args.check_only:
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
                        **{
                            system: {"p50_ms": f.p50_ms, "p99_ms": f.p99_ms, "requests": f.requests}
                            for system, f in (
                                ("quotegraph", r.quotegraph),
                                ("floor", r.floor),
                                ("rows", r.rows),
                            )
                        },
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
