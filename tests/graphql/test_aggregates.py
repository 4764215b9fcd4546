"""Aggregates over HTTP on both databases: timelines, rankings, co-quoted speakers, outlets and
kinds agree with the listings they summarise, and bad ranges get coded errors."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from app.db.engine import make_session
from app.services import search as search_service
from tests.conftest import GraphQL
from tests.helpers import INGEST

BRIDGE = (
    '"We will open the new bridge in May," Transport Minister Elena Vasquez said on Monday.'
    '\n\n"The budget is far too small for a bridge of that size," opposition leader Tomas Berg '
    'told reporters.\n\n"We have the money," Vasquez said.'
)
HARBOUR = (
    '"The harbour will stay open all winter," Elena Vasquez said.\n\n'
    '"Nobody believes that," said Tomas Berg.'
)
PRICES = (
    '"Inflation fell to 2 percent in March," the Statistics Office said in a statement.\n\n'
    '"Prices will keep falling," Elena Vasquez said.'
)
# (text, outlet, publication time): Monday 1 January 2024 starts an ISO week; 7 January is its
# Sunday; 00:30 on 8 January at UTC+2 is still that Sunday in UTC.
ARTICLES = (
    (BRIDGE, "Harbour Times", "2024-01-01T09:00:00Z"),
    (HARBOUR, "harbour times", "2024-01-08T00:30:00+02:00"),
    (PRICES, "Daily Planet", "2024-01-17T12:00:00Z"),
)

TIMELINE = """
query T($interval: TimelineInterval!, $speaker: String, $speakerId: ID, $search: String,
        $source: String, $since: DateTime, $until: DateTime) {
  timeline(interval: $interval, speaker: $speaker, speakerId: $speakerId, search: $search,
           source: $source, since: $since, until: $until) { start end quotes claims }
}
"""
COUNTS = """
query C($speaker: String, $since: DateTime, $until: DateTime) {
  quotes(speaker: $speaker, since: $since, until: $until) { totalCount }
  claims(claimant: $speaker) { totalCount }
}
"""


@pytest.fixture
def stored(gql: GraphQL) -> list[dict[str, Any]]:
    payloads = []
    for text, source, published in ARTICLES:
        data = gql.ok(INGEST, input={"text": text, "source": source, "publishedAt": published})
        payloads.append(data["ingestArticle"])
    return payloads


def buckets(gql: GraphQL, **variables: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = gql.ok(TIMELINE, **variables)["timeline"]
    return found


def test_weekly_timeline_is_zero_filled_and_matches_the_listings(
    gql: GraphQL, stored: list[dict[str, Any]]
) -> None:
    weeks = buckets(gql, interval="WEEK", speaker="Vasquez")
    assert [(b["start"], b["end"]) for b in weeks] == [
        ("2024-01-01T00:00:00+00:00", "2024-01-08T00:00:00+00:00"),
        ("2024-01-08T00:00:00+00:00", "2024-01-15T00:00:00+00:00"),
        ("2024-01-15T00:00:00+00:00", "2024-01-22T00:00:00+00:00"),
    ]
    # The UTC+2 article is a Sunday in UTC: it belongs to the first week.
    assert [b["quotes"] for b in weeks] == [3, 0, 1]
    for bucket in weeks:
        listed = gql.ok(COUNTS, speaker="Vasquez", since=bucket["start"], until=bucket["end"])
        assert bucket["quotes"] == listed["quotes"]["totalCount"]
    totals = gql.ok(COUNTS, speaker="Vasquez")
    assert sum(b["quotes"] for b in weeks) == totals["quotes"]["totalCount"] == 4
    assert sum(b["claims"] for b in weeks) == totals["claims"]["totalCount"]


def test_timeline_within_given_bounds_by_day_month_and_year(
    gql: GraphQL, stored: list[dict[str, Any]]
) -> None:
    days = buckets(gql, interval="DAY", since="2024-01-06T12:00:00Z", until="2024-01-09T00:00:00Z")
    assert [(b["start"][:10], b["quotes"]) for b in days] == [
        ("2024-01-06", 0),
        ("2024-01-07", 2),  # the harbour article, 22:30 UTC on Sunday
        ("2024-01-08", 0),
    ]
    months = buckets(gql, interval="MONTH", since="2023-11-15T00:00:00Z")
    assert [(b["start"][:10], b["quotes"]) for b in months] == [
        ("2023-11-01", 0),
        ("2023-12-01", 0),
        ("2024-01-01", 7),
    ]
    years = buckets(gql, interval="YEAR", until="2026-01-01T00:00:00Z")
    assert [(b["start"][:4], b["quotes"], b["end"][:4]) for b in years] == [
        ("2024", 7, "2025"),
        ("2025", 0, "2026"),
    ]


def test_timeline_filters_combine(gql: GraphQL, stored: list[dict[str, Any]]) -> None:
    # The outlet's name in any case; both spellings are one outlet.
    by_outlet = buckets(gql, interval="WEEK", source="HARBOUR TIMES")
    assert [b["quotes"] for b in by_outlet] == [5]
    berg = stored[0]["speakers"][1]
    assert berg["name"] == "Tomas Berg"
    by_id = buckets(gql, interval="WEEK", speakerId=berg["id"], source="harbour times")
    assert [b["quotes"] for b in by_id] == [2]
    assert [b["claims"] for b in by_id] == [1]
    by_words = buckets(gql, interval="MONTH", search="harbour winter")
    assert [b["quotes"] for b in by_words] == [1]
    assert buckets(gql, interval="WEEK", speaker="Nobody Known") == []


SEARCH_COUNTS = """
query S($search: String!, $since: DateTime, $until: DateTime) {
  quotes(search: $search, since: $since, until: $until) { totalCount }
  claims(search: $search, first: 100) { nodes { date } }
}
"""


@pytest.mark.parametrize(
    "search",
    [
        "bridge",
        "BRIDGE",  # case
        "opened",  # stemmed like quotes(search:): finds "open"
        "harbour winter",  # every word, anywhere in the quote
        "percent in March",  # every word, anywhere in the claim too
        "March percent",  # in any order
        "in",  # a stop word for PostgreSQL's english configuration
        "falling,",
        "fell",  # a claim's word, in no quote's
        "zeppelin",  # nowhere
    ],
)
def test_timeline_of_a_search_counts_what_the_searches_list(
    gql: GraphQL, stored: list[dict[str, Any]], engine: sa.Engine, search: str
) -> None:
    """Each bucket of `timeline(search:)` holds as many quotes as `quotes(search:)` lists in
    it, and as many claims as `claims(search:)` lists published in it, and both find words as
    the database's own text search does. One word is counted from the kept per-term daily
    counts, several words from the rows."""
    with make_session(engine) as session:
        term = search_service.single_term(session, search)
    # "in" is a stop word for PostgreSQL's english configuration: a query of nothing.
    one_term = " " not in search and not (search == "in" and engine.dialect.name != "sqlite")
    assert (term is not None) == one_term
    listed = gql.ok(SEARCH_COUNTS, search=search)
    claim_dates = sorted(c["date"] for c in listed["claims"]["nodes"])
    # Checked against the stored claim texts, each searched alone by the database's tokenizer.
    holding = [
        c for article in stored for c in article["claims"] if words_match(engine, c["text"], search)
    ]
    assert len(claim_dates) == len(holding)
    weeks = buckets(gql, interval="WEEK", search=search)
    assert sum(b["quotes"] for b in weeks) == listed["quotes"]["totalCount"]
    assert sum(b["claims"] for b in weeks) == len(claim_dates)
    if not weeks:
        assert listed["quotes"]["totalCount"] == 0 and not claim_dates
        return
    for bucket in weeks:
        inside = gql.ok(SEARCH_COUNTS, search=search, since=bucket["start"], until=bucket["end"])
        assert bucket["quotes"] == inside["quotes"]["totalCount"]
        in_week = [d for d in claim_dates if bucket["start"] <= _utc(d) < bucket["end"]]
        assert bucket["claims"] == len(in_week)
    # A fixed period: every week of it, empty ones too, and the same counts.
    fixed = buckets(
        gql,
        interval="WEEK",
        search=search,
        since="2023-12-25T00:00:00Z",
        until="2024-02-05T00:00:00Z",
    )
    assert len(fixed) == 6
    assert sum(b["quotes"] for b in fixed) == listed["quotes"]["totalCount"]
    assert sum(b["claims"] for b in fixed) == len(claim_dates)


def test_timeline_of_one_word_reads_the_kept_term_counts(
    gql: GraphQL, stored: list[dict[str, Any]], engine: sa.Engine
) -> None:
    """A one-word search's quotes and claims come from `term_day` (whole days) and the rows
    (the part of a day at either end); several words from the rows alone."""
    with make_session(engine) as session:
        term = search_service.single_term(session, "Bridge")
    assert term == "bridg"  # stemmed and folded as both searches index it
    claims = len(gql.ok(SEARCH_COUNTS, search="bridge")["claims"]["nodes"])
    with engine.connect() as connection:
        kept = connection.execute(
            sa.text("SELECT day, quotes, claims FROM term_day WHERE term = :t"), {"t": term}
        ).all()
    assert [(str(day), q, c) for day, q, c in kept] == [("2024-01-01", 2, claims)]
    # Counts planted in the kept table show through for one word, not for two.
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE term_day SET quotes = quotes + 40, claims = claims + 30 WHERE term = :t"
            ),
            {"t": term},
        )
    planted = buckets(gql, interval="YEAR", search="bridge")
    assert [(b["quotes"], b["claims"]) for b in planted] == [(42, claims + 30)]
    assert [b["quotes"] for b in buckets(gql, interval="YEAR", search="new bridge")] == [1]
    # A period that starts at 06:00: that day's quotes and claims from the rows, 09:00 is
    # inside it.
    edge = buckets(gql, interval="YEAR", search="bridge", since="2024-01-01T06:00:00Z")
    assert [(b["quotes"], b["claims"]) for b in edge] == [(2, claims)]
    day_after = buckets(gql, interval="YEAR", search="bridge", since="2024-01-02T00:00:00Z")
    assert day_after == []  # nothing from that day on


def test_claims_are_searched_by_word_like_quotes(
    gql: GraphQL, stored: list[dict[str, Any]]
) -> None:
    """`claims(search:)` finds words, stemmed and in any order, not a piece of text: "percent"
    finds the inflation claim, "cent" (inside "percent") does not."""
    texts = [c["text"] for article in stored for c in article["claims"]]
    inflation = [t for t in texts if "percent" in t]
    assert inflation, texts  # the fixture's claim about prices
    query = "query S($search: String!) { claims(search: $search) { nodes { text } } }"

    def found(search: str) -> list[str]:
        return [c["text"] for c in gql.ok(query, search=search)["claims"]["nodes"]]

    assert found("percent") == inflation
    assert found("PERCENT march") == inflation
    assert found("cent") == []
    assert found("percentage") == []  # another word, though it starts alike


def words_match(engine: sa.Engine, text: str, search: str) -> bool:
    """Whether `text` holds the words of `search`, asked of the database's text search
    directly (PostgreSQL's english configuration; SQLite's FTS5 with the tokenizer of the
    search tables, in a database of its own), not through the services."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            return bool(
                connection.execute(
                    sa.text(
                        "SELECT to_tsvector('english', :text) @@ "
                        "websearch_to_tsquery('english', :search)"
                    ),
                    {"text": text, "search": search},
                ).scalar_one()
            )
    words = re.findall(r"\w+", search)
    if not words:
        return False
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(
            "CREATE VIRTUAL TABLE t USING fts5(text, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        scratch.execute("INSERT INTO t(text) VALUES (?)", (text,))
        query = " ".join(f'"{word}"' for word in words)
        return scratch.execute("SELECT count(*) FROM t WHERE t MATCH ?", (query,)).fetchone()[0] > 0
    finally:
        scratch.close()


def _utc(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(UTC).isoformat()


def test_speakers_ranked_with_shares_all_time_and_in_a_period(
    gql: GraphQL, stored: list[dict[str, Any]]
) -> None:
    query = """
    query R($since: DateTime, $until: DateTime, $source: String, $kind: SpeakerKind,
            $first: Int!) {
      topSpeakers(since: $since, until: $until, source: $source, kind: $kind, first: $first) {
        speaker { name quoteCount } quotes share
      }
    }"""
    ranked = gql.ok(query, first=10)["topSpeakers"]
    assert [(r["speaker"]["name"], r["quotes"]) for r in ranked] == [
        ("Elena Vasquez", 4),
        ("Tomas Berg", 2),
        ("Statistics Office", 1),
    ]
    assert [r["share"] for r in ranked] == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert all(r["quotes"] == r["speaker"]["quoteCount"] for r in ranked)
    january = gql.ok(query, since="2024-01-05T00:00:00Z", until="2024-01-31T00:00:00Z", first=2)[
        "topSpeakers"
    ]
    # Tomas Berg and the Statistics Office tie: the newer speaker comes first.
    assert [(r["speaker"]["name"], r["quotes"]) for r in january] == [
        ("Elena Vasquez", 2),
        ("Statistics Office", 1),
    ]
    assert [r["share"] for r in january] == pytest.approx([2 / 4, 1 / 4])
    planet = gql.ok(query, source="daily planet", kind="ORGANISATION", first=5)["topSpeakers"]
    assert [(r["speaker"]["name"], r["share"]) for r in planet] == [("Statistics Office", 1.0)]


def test_co_quoted_speakers_and_counts_follow_a_delete(
    gql: GraphQL, stored: list[dict[str, Any]]
) -> None:
    query = """
    query Q($name: String!) {
      speaker(name: $name) { quoteCount coQuoted(first: 5) { speaker { name } articles } }
    }"""
    vasquez = gql.ok(query, name="Vasquez")["speaker"]
    assert vasquez["quoteCount"] == 4
    assert vasquez["coQuoted"] == [
        {"speaker": {"name": "Tomas Berg"}, "articles": 2},
        {"speaker": {"name": "Statistics Office"}, "articles": 1},
    ]
    gql.ok(
        "mutation D($id: ID!) { deleteArticle(id: $id) { deletedId } }",
        id=stored[0]["article"]["id"],
    )
    vasquez = gql.ok(query, name="Vasquez")["speaker"]
    assert vasquez["quoteCount"] == 2
    # A tie: the newer speaker (the Statistics Office, stored last) comes first.
    assert vasquez["coQuoted"] == [
        {"speaker": {"name": "Statistics Office"}, "articles": 1},
        {"speaker": {"name": "Tomas Berg"}, "articles": 1},
    ]
    weeks = buckets(gql, interval="WEEK", speaker="Vasquez")
    assert [b["quotes"] for b in weeks] == [1, 0, 1]


def test_outlets_and_kinds(gql: GraphQL, stored: list[dict[str, Any]]) -> None:
    data = gql.ok(
        """{
          sources { source articles quotes claims }
          quoteShareByKind { kind quotes share }
          january: quoteShareByKind(since: "2024-01-10T00:00:00Z", source: "Daily Planet") {
            kind quotes share
          }
        }"""
    )
    assert data["sources"] == [
        {"source": "Harbour Times", "articles": 2, "quotes": 5, "claims": 2},
        {"source": "Daily Planet", "articles": 1, "quotes": 2, "claims": 1},
    ]
    assert data["quoteShareByKind"] == [
        {"kind": "PERSON", "quotes": 6, "share": pytest.approx(6 / 7)},
        {"kind": "ORGANISATION", "quotes": 1, "share": pytest.approx(1 / 7)},
        {"kind": "UNKNOWN", "quotes": 0, "share": 0.0},
    ]
    assert [(k["kind"], k["quotes"]) for k in data["january"]] == [
        ("PERSON", 1),
        ("ORGANISATION", 1),
        ("UNKNOWN", 0),
    ]


def test_empty_database_gives_empty_aggregates(gql: GraphQL) -> None:
    data = gql.ok(
        """{ timeline(interval: DAY) { start } topSpeakers { quotes } sources { articles }
             quoteShareByKind { quotes share } }"""
    )
    assert data["timeline"] == [] and data["topSpeakers"] == [] and data["sources"] == []
    assert {k["quotes"] for k in data["quoteShareByKind"]} == {0}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (
            '{ timeline(interval: DAY, since: "2000-01-01T00:00:00Z", '
            'until: "2024-01-01T00:00:00Z") { start } }',
            "BUCKET_LIMIT_EXCEEDED",
        ),
        (
            '{ timeline(interval: WEEK, since: "2024-02-01T00:00:00Z", '
            'until: "2024-01-01T00:00:00Z") { start } }',
            "BAD_USER_INPUT",
        ),
        ('{ timeline(interval: WEEK, speakerId: "QXJ0aWNsZTox") { start } }', "BAD_USER_INPUT"),
        ("{ topSpeakers(first: 0) { quotes } }", "BAD_USER_INPUT"),
        ("{ topSpeakers(first: 101) { quotes } }", "BAD_USER_INPUT"),
        ('{ sources(since: "2024-01-02T00:00:00Z", until: "2024-01-01T00:00:00Z") { source } }',
         "BAD_USER_INPUT"),
        ('{ speaker(name: "Vasquez") { coQuoted(first: 1000) { articles } } }', "BAD_USER_INPUT"),
        ("{ timeline(interval: HOUR) { start } }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)  # fmt: skip
def test_bad_arguments_get_coded_errors(
    gql: GraphQL, stored: list[dict[str, Any]], query: str, code: str
) -> None:
    body = gql(query)
    assert body["errors"][0]["extensions"]["code"] == code, body
    assert body["errors"][0]["message"].endswith(".")


def test_unbounded_daily_timeline_over_a_long_history_is_refused(gql: GraphQL) -> None:
    for published in ("2019-01-01T00:00:00Z", "2024-01-01T00:00:00Z"):
        text = HARBOUR.replace("all winter", f"in {published[:4]}")
        gql.ok(INGEST, input={"text": text, "publishedAt": published})
    body = gql("{ timeline(interval: DAY) { start } }")
    assert body["errors"][0]["extensions"]["code"] == "BUCKET_LIMIT_EXCEEDED"
    assert "1,000" in body["errors"][0]["message"]
    weeks = gql.ok("{ timeline(interval: WEEK) { quotes } }")["timeline"]
    assert len(weeks) == 262 and sum(b["quotes"] for b in weeks) == 4


def test_daily_totals_and_rows_give_the_same_answers(
    gql: GraphQL, stored: list[dict[str, Any]]
) -> None:
    """A bound at 00:00 UTC is answered from the daily totals, one a millisecond later from
    the rows themselves; nothing lies in between, so the answers are the same."""
    query = """
    query A($since: DateTime, $until: DateTime, $speaker: String, $source: String) {
      timeline(interval: MONTH, since: $since, until: $until, speaker: $speaker,
               source: $source) { start quotes claims }
      topSpeakers(since: $since, until: $until) { speaker { name } quotes share }
      sources(since: $since, until: $until) { source articles quotes claims }
      quoteShareByKind(since: $since, until: $until) { kind quotes share }
    }"""
    for filters in ({}, {"speaker": "Tomas Berg"}, {"source": "daily planet"}):
        daily = gql.ok(query, since="2024-01-01T00:00:00Z", until="2024-02-01T00:00:00Z", **filters)
        rows = gql.ok(
            query, since="2024-01-01T00:00:00.001Z", until="2024-02-01T00:00:00Z", **filters
        )
        assert daily == rows
        assert daily["timeline"][0]["quotes"] > 0


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("2024-01-01T08:00:00Z", "2024-01-17T11:00:00Z"),  # both edges cut a day, nothing cut off
        ("2024-01-01T10:00:00Z", "2024-01-17T13:00:00Z"),  # both cut an article off or in
        ("2024-01-01T10:00:00Z", None),
        (None, "2024-01-17T11:59:59Z"),
        ("2024-01-07T22:00:00Z", "2024-01-07T23:00:00Z"),  # inside one day
        ("2024-01-07T22:00:00Z", "2024-01-08T01:00:00Z"),  # across one midnight
        ("2024-01-01T00:00:00Z", "2024-01-17T00:00:00Z"),  # whole days
    ],
)
@pytest.mark.parametrize("source", [None, "harbour TIMES", "Daily Planet", "Nowhere Post"])
def test_ranges_and_outlets_agree_with_the_listings(
    gql: GraphQL,
    stored: list[dict[str, Any]],
    since: str | None,
    until: str | None,
    source: str | None,
) -> None:
    """Whole days from the kept totals (per speaker and outlet) plus the rows of the part days
    at either end: every count equals the quotes listed with the same filters."""
    query = """
    query A($since: DateTime, $until: DateTime, $source: String) {
      topSpeakers(since: $since, until: $until, source: $source, first: 100) {
        speaker { name } quotes share }
      quoteShareByKind(since: $since, until: $until, source: $source) { kind quotes }
      all: quotes(since: $since, until: $until, source: $source, first: 100) {
        totalCount edges { node { speaker { name kind } } } }
    }"""
    data = gql.ok(query, since=since, until=until, source=source)
    listed: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for edge in data["all"]["edges"]:
        speaker = edge["node"]["speaker"]
        if speaker is not None:
            listed[speaker["name"]] = listed.get(speaker["name"], 0) + 1
            kinds[speaker["kind"]] = kinds.get(speaker["kind"], 0) + 1
    assert {r["speaker"]["name"]: r["quotes"] for r in data["topSpeakers"]} == listed
    assert {k["kind"]: k["quotes"] for k in data["quoteShareByKind"] if k["quotes"]} == kinds
    for speaker in ("Elena Vasquez", "Tomas Berg"):
        timeline = buckets(
            gql, interval="DAY", speaker=speaker, source=source, since=since, until=until
        )
        assert sum(b["quotes"] for b in timeline) == listed.get(speaker, 0)
    everyone = buckets(gql, interval="DAY", source=source, since=since, until=until)
    assert sum(b["quotes"] for b in everyone) == data["all"]["totalCount"]
    if source is None and since == "2024-01-01T10:00:00Z" and until is not None:
        assert listed and "Elena Vasquez" in listed  # the case is not vacuous
