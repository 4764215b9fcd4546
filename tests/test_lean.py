"""The lean read path (app.graphql.lean) answers exactly what Strawberry's executor would.

Every query here goes to two apps over the same database: one with the lean path (the default)
and one with it switched off. Their decoded responses must be identical, errors included (the
lean path leaves those to the full path); and the lean app must really have answered the
queries it claims to support."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import queries as graphql_queries

from app.graphql.lean import LeanReads
from app.graphql.schema import build_schema
from app.main import create_app
from app.settings import Settings
from tests.conftest import GraphQL
from tests.helpers import FOLLOWUP, INGEST, STORY, ingest_input, numbered_story

EVERY_FIELD = """
query Everything($first: Int) {
  quotes(first: $first) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor }
    nodes {
      __typename id text kind cue cueStart cueEnd start end speakerMention speakerStart
      speakerEnd role confidence position date
      speaker { __typename id name kind role aliases quoteCount }
      article {
        id url title source publishedAt ingestedAt dateline byline bodyStart bodyEnd
        contentHash language extractorVersion body
        speakers { name }
      }
      claims {
        id text start end score date features { name value }
        claimant { name } quote { id } article { id }
        reviews { id reviewer url rating reviewDate claim { id text } }
      }
    }
  }
}
"""

# Each (query, variables) the lean path answers itself.
SUPPORTED: list[tuple[str, dict[str, Any]]] = [
    ("{ __typename }", {}),
    (EVERY_FIELD, {"first": 50}),
    (EVERY_FIELD, {"first": 2}),
    (
        """query Q($speaker: String, $first: Int, $after: String, $last: Int, $before: String) {
          quotes(speaker: $speaker, first: $first, after: $after, last: $last, before: $before) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id text date speaker { name } article { title } } }
          }
        }""",
        {"speaker": "vasquez", "first": 2},
    ),
    (
        """{ a: quotes(kind: DIRECT, first: 3) { totalCount edges { node { kind text } } }
             b: quotes(kind: INDIRECT, minConfidence: 0.5) { nodes { kind confidence } }
             c: quotes(search: "pier", since: "2020-01-01T00:00:00Z") { nodes { text } }
             d: quotes(until: "2001-01-01T00:00:00Z") { totalCount nodes { id } } }""",
        {},
    ),
    (
        """query { ...Root }
           fragment Root on Query { quotes(first: 4) { edges { node { ...Bits } } } }
           fragment Bits on Quote {
             id ... on Quote { text speaker { ... on Speaker { name } } }
           }""",
        {},
    ),
    (
        """query Search($q: String!) {
          searchQuotes(query: $q, first: 3) {
            totalCount edges { cursor node { text speaker { name } } }
          }
        }""",
        {"q": "pier section"},
    ),
    (
        """{ speakers(search: "vas") { totalCount edges { cursor node { id name kind role aliases
             quoteCount } } }
             everyone: speakers(first: 2) { pageInfo { hasNextPage endCursor } nodes { name } }
             people: speakers(kind: PERSON) { totalCount } }""",
        {},
    ),
    (
        """{ articles(first: 3) { totalCount nodes { id title source publishedAt quotes { text }
             claims { text claimant { name } } speakers { name role } } }
             recent: articles(since: "2020-01-01T00:00:00Z", search: "pier") { totalCount } }""",
        {},
    ),
    (
        """{ claims(first: 5, minScore: 0.1) { totalCount nodes { text score claimant { name }
             quote { text } reviews { rating } } }
             reviewed: claims(reviewed: true) { nodes { text reviews { reviewer rating } } } }""",
        {},
    ),
    (
        """query One($name: String) { speaker(name: $name) { id name role aliases quoteCount } }""",
        {"name": "Elena Vasquez"},
    ),
]

# Each goes to the full path (unsupported shapes, or errors), with the same answer.
FALLBACK: list[tuple[str, dict[str, Any]]] = [
    ('{ quotes(after: "not a cursor") { totalCount } }', {}),
    ("{ quotes(first: 1000) { totalCount } }", {}),
    ('{ quotes(since: "2020-01-01T00:00:00Z", until: "2019-01-01T00:00:00Z") { totalCount } }', {}),
    ('{ article(id: "bm9wZQ==") { title } }', {}),
    ('{ article(url: "https://nowhere.example/none") { title } }', {}),
    ('{ speaker(name: "Nobody At All") { name } }', {}),
    ('{ speaker(id: "QXJ0aWNsZTox") { name } }', {}),
    ('{ searchQuotes(query: "   ") { totalCount } }', {}),
    ("{ __schema { queryType { name } } }", {}),
    ('{ speaker(name: "Vasquez") { quotes(first: 1) { nodes { text } } } }', {}),
    ("query($yes: Boolean!) { quotes { nodes { text @include(if: $yes) } } }", {"yes": True}),
    ("{ quotes { nodes { text } } quotes { nodes { id } } }", {}),
    ("{ nosuchfield }", {}),
    ("query($first: Int) { quotes(first: $first) { totalCount } }", {"first": "many"}),
]


@pytest.fixture
def apps(
    settings: Settings, engine: sa.Engine, extractor: Callable[[str], Any], api_key: str
) -> Iterator[tuple[GraphQL, GraphQL, LeanReads]]:
    # Rate limits off: the generated queries can spend more than a key's budget.
    uncached = settings.model_copy(update={"response_cache_mb": 0, "rate_limit": False})
    lean_app = create_app(uncached, engine=engine, extractor=extractor)
    full_app = create_app(
        uncached.model_copy(update={"lean_reads": False}), engine=engine, extractor=extractor
    )
    with TestClient(lean_app) as lean_client, TestClient(full_app) as full_client:
        lean, full = GraphQL(lean_client, api_key), GraphQL(full_client, api_key)
        _seed(full)
        yield lean, full, lean_app.state.lean_reads


def _seed(gql: GraphQL) -> None:
    texts = [STORY, FOLLOWUP, *(numbered_story(n) for n in range(1, 6))]
    for number, text in enumerate(texts):
        gql.ok(
            INGEST,
            input=ingest_input(
                text,
                url=f"https://news.example/{number}",
                title=f"Story {number}",
                source="Example Wire",
                publishedAt=f"2024-0{1 + number % 9}-1{number % 10}T08:00:00Z",
            ),
        )
    claims = gql.ok("{ claims(first: 2) { nodes { id } } }")["claims"]["nodes"]
    assert claims, "the seed articles should yield claims"
    gql.ok(
        """mutation($input: ReviewClaimInput!) { reviewClaim(input: $input) { id } }""",
        input={"claimId": claims[0]["id"], "reviewer": "Fact Desk", "rating": "Mostly true"},
    )


def test_supported_queries_match_the_full_path(apps: tuple[GraphQL, GraphQL, LeanReads]) -> None:
    lean, full, reads = apps
    for query, variables in SUPPORTED:
        before = reads.served
        answer = lean(query, **variables)
        assert answer == full(query, **variables), query
        assert not answer.get("errors"), (query, answer)
        assert reads.served == before + 1, f"answered on the full path: {query}"


def test_pages_walked_by_cursor_match(apps: tuple[GraphQL, GraphQL, LeanReads]) -> None:
    lean, full, _ = apps
    query = SUPPORTED[3][0]
    after = None
    seen = 0
    while True:
        answer = lean(query, speaker="Vasquez", first=2, after=after)
        assert answer == full(query, speaker="Vasquez", first=2, after=after)
        page = answer["data"]["quotes"]
        seen += len(page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == page["totalCount"] > 2
    before = page["pageInfo"]["startCursor"]
    backwards = lean(query, speaker="Vasquez", last=2, before=before)
    assert backwards == full(query, speaker="Vasquez", last=2, before=before)
    assert backwards["data"]["quotes"]["pageInfo"]["hasPreviousPage"]


def test_single_objects_by_id_and_url_match(apps: tuple[GraphQL, GraphQL, LeanReads]) -> None:
    lean, full, reads = apps
    article_id = full.ok("{ articles(first: 1) { nodes { id } } }")["articles"]["nodes"][0]["id"]
    speaker_id = full.ok('{ speaker(name: "Vasquez") { id } }')["speaker"]["id"]
    before = reads.served
    for query, variables in [
        (
            """query($id: ID) { article(id: $id) { id title text quotes { id text speaker { name } }
                 claims { id text claimant { name } reviews { rating } } speakers { name } } }""",
            {"id": article_id},
        ),
        ('{ article(url: "https://news.example/1") { id title byline dateline } }', {}),
        ("query($id: ID) { speaker(id: $id) { name aliases } }", {"id": speaker_id}),
        ("query($id: ID) { quotes(speakerId: $id) { totalCount } }", {"id": speaker_id}),
        ("query($id: ID) { quotes(articleId: $id) { nodes { position } } }", {"id": article_id}),
    ]:
        answer = lean(query, **variables)
        assert answer == full(query, **variables)
        assert not answer.get("errors")
    assert reads.served == before + 5


def test_errors_and_unsupported_shapes_take_the_full_path(
    apps: tuple[GraphQL, GraphQL, LeanReads],
) -> None:
    lean, full, reads = apps
    before = reads.served
    for query, variables in FALLBACK:
        assert lean(query, **variables) == full(query, **variables), query
    assert reads.served == before
    bad = lean('{ quotes(after: "not a cursor") { totalCount } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_reads_need_a_key_when_reads_are_private(
    settings: Settings, engine: sa.Engine, extractor: Callable[[str], Any], api_key: str
) -> None:
    private = settings.model_copy(update={"public_reads": False, "response_cache_mb": 0})
    app = create_app(private, engine=engine, extractor=extractor)
    with TestClient(app) as client:
        anonymous = GraphQL(client)(EVERY_FIELD, first=1)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        wrong = GraphQL(client, "qg_wrong_key")(EVERY_FIELD, first=1)
        assert wrong["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert app.state.lean_reads.served == 0
        allowed = GraphQL(client, api_key)(EVERY_FIELD, first=1)
        assert "errors" not in allowed
        assert app.state.lean_reads.served == 1


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_queries_match_the_full_path(
    apps: tuple[GraphQL, GraphQL, LeanReads], data: st.DataObject
) -> None:
    lean, full, _ = apps
    query = data.draw(
        graphql_queries(
            build_schema().as_str(),
            fields=["quotes", "speakers", "articles", "claims", "searchQuotes", "speaker"],
        )
    )
    assert lean(query) == full(query), query
