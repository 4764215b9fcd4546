"""The filters and orders researchers expect: `source` on quotes and claims, several speakers
at once, `orderBy` on speakers and quotes with cursors that walk the whole order, reviews by
publisher and rating; on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.conftest import GraphQL
from tests.test_quotations import MONDAY, TUESDAY, WEDNESDAY, ingest


@pytest.fixture
def seeded(gql: GraphQL) -> GraphQL:
    for text, source in ((MONDAY, "Wire"), (TUESDAY, "Daily"), (WEDNESDAY, "Post")):
        ingest(gql, text, source)
    return gql


def row_id(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().partition(":")[2])


def walk(gql: GraphQL, query: str, field: str, **variables: Any) -> list[dict[str, Any]]:
    """Every node of a list, one page of two at a time through the cursors."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = gql.ok(query, after=after, **variables)[field]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


QUOTES = """
query($after: String, $order: QuoteOrder, $source: String, $speakers: [String!]) {
  quotes(first: 2, after: $after, orderBy: $order, source: $source, speakers: $speakers) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id text confidence speaker { name } article { source } } }
  }
}
"""


def test_quotes_by_source_and_by_several_speakers(seeded: GraphQL) -> None:
    everything = walk(seeded, QUOTES, "quotes")
    daily = walk(seeded, QUOTES, "quotes", source="DAILY")
    assert daily and {q["article"]["source"] for q in daily} == {"Daily"}
    assert len(daily) == sum(q["article"]["source"] == "Daily" for q in everything)
    both = walk(seeded, QUOTES, "quotes", speakers=["vasquez", "Tom Reed"])
    assert len(both) == len(everything) == 6
    reed = walk(seeded, QUOTES, "quotes", speakers=["Reed", "Nobody Known"])
    assert {q["speaker"]["name"] for q in reed} == {"Tom Reed"} and len(reed) == 2
    assert walk(seeded, QUOTES, "quotes", speakers=[]) == []


def test_quotes_by_confidence_walk_the_whole_order(seeded: GraphQL) -> None:
    by_date = walk(seeded, QUOTES, "quotes")
    by_confidence = walk(seeded, QUOTES, "quotes", order="CONFIDENCE_DESC")
    expected = sorted(by_date, key=lambda q: (q["confidence"], row_id(q["id"])), reverse=True)
    assert by_confidence == expected
    # A cursor of one order is refused by another, with a sentence saying so.
    cursor = seeded.ok(QUOTES)["quotes"]["pageInfo"]["endCursor"]
    refused = seeded(QUOTES, after=cursor, order="CONFIDENCE_DESC")
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "cursor" in refused["errors"][0]["message"]


SPEAKERS = """
query($after: String, $order: SpeakerOrder) {
  speakers(first: 2, after: $after, orderBy: $order) {
    pageInfo { hasNextPage endCursor } edges { node { id name quoteCount } }
  }
}
"""


def test_speakers_by_quote_count_and_by_name(seeded: GraphQL) -> None:
    by_count = walk(seeded, SPEAKERS, "speakers", order="QUOTE_COUNT_DESC")
    assert by_count == sorted(
        by_count, key=lambda s: (s["quoteCount"], row_id(s["id"])), reverse=True
    )
    assert by_count[0]["name"] == "Elena Vasquez" and by_count[0]["quoteCount"] == 4
    by_name = walk(seeded, SPEAKERS, "speakers", order="NAME_ASC")
    assert by_name == walk(seeded, SPEAKERS, "speakers")
    assert sorted(s["id"] for s in by_name) == sorted(s["id"] for s in by_count)


def test_claims_by_source(seeded: GraphQL) -> None:
    query = """query($source: String) { claims(source: $source, first: 50) {
      totalCount nodes { article { source } } } }"""
    everything = seeded.ok(query)["claims"]
    assert everything["totalCount"] > 0
    for source in ("Wire", "Daily", "Post"):
        mine = seeded.ok(query, source=source.lower())["claims"]
        assert {c["article"]["source"] for c in mine["nodes"]} <= {source}
        assert mine["totalCount"] == sum(
            c["article"]["source"] == source for c in everything["nodes"]
        )


def test_reviews_by_publisher_and_rating(seeded: GraphQL) -> None:
    claim = seeded.ok("{ claims(first: 1) { nodes { id } } }")["claims"]["nodes"][0]["id"]
    for reviewer, rating, url in (
        ("Full Fact", "Mostly true", "https://fullfact.org/pier"),
        ("Check Desk", "False", "https://www.checkdesk.example/claims/9"),
    ):
        seeded.ok(
            """mutation($id: ID!, $reviewer: String!, $rating: String!, $url: String) {
            reviewClaim(input: {claimId: $id, reviewer: $reviewer, rating: $rating, url: $url})
            { id } }""",
            id=claim,
            reviewer=reviewer,
            rating=rating,
            url=url,
        )
    query = """query($publisher: String, $rating: String) {
      reviews(publisher: $publisher, rating: $rating) { nodes { reviewer rating } } }"""

    def reviewers(**variables: Any) -> list[str]:
        return [r["reviewer"] for r in seeded.ok(query, **variables)["reviews"]["nodes"]]

    assert reviewers(publisher="full fact") == ["Full Fact"]
    assert reviewers(publisher="fullfact.org") == ["Full Fact"]
    assert reviewers(publisher="checkdesk.example") == ["Check Desk"]  # a subdomain: www.
    assert reviewers(publisher="fact.org") == []  # not a domain boundary
    assert reviewers(rating="false") == ["Check Desk"]
    assert reviewers(rating="Mostly true", publisher="checkdesk.example") == []
    assert sorted(reviewers()) == ["Check Desk", "Full Fact"]
