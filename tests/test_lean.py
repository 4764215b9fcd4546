"""The lean read path (app.graphql.lean) answers exactly what Strawberry's executor would.

Every query here goes to two apps over the same database: one with the lean path (the default)
and one with it switched off. Their responses must be identical byte for byte (key order
matters to caches and clients), errors included (the lean path leaves those to the full path);
and the lean app must really have answered the queries it claims to support."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from graphql import GraphQLObjectType, GraphQLSchema
from graphql import build_schema as graphql_build_schema
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
    # The aggregates (tests/graphql/test_aggregates.py checks their figures).
    (
        """query($speaker: String) {
          byWeek: timeline(interval: WEEK, speaker: $speaker) { start end quotes claims }
          byMonth: timeline(interval: MONTH, source: "example wire",
                            since: "2024-01-01T00:00:00Z") { start quotes }
          byDay: timeline(interval: DAY, since: "2024-03-13T12:00:00Z",
                          until: "2024-03-16T00:00:00Z") { start quotes claims }
          topSpeakers(first: 3) { quotes share speaker { id name quoteCount aliases } }
          inPeriod: topSpeakers(since: "2024-02-01T00:00:00Z", kind: PERSON) { quotes share }
          sources { source articles quotes claims }
          quoteShareByKind(until: "2024-06-01T12:00:00Z") { kind quotes share } }""",
        {"speaker": "Vasquez"},
    ),
    # Variable defaults, sent or not.
    (
        """query($first: Int = 3, $kind: QuoteKind = DIRECT, $speaker: String = "vasquez") {
          quotes(first: $first, kind: $kind, speaker: $speaker) { totalCount nodes { kind text } }
        }""",
        {},
    ),
    (
        """query($first: Int = 3, $kind: QuoteKind = DIRECT) {
          quotes(first: $first, kind: $kind) { totalCount nodes { kind text } } }""",
        {"first": 1, "kind": "INDIRECT"},
    ),
    # @skip and @include, on fields, inline fragments and spreads, by literal and variable.
    (
        """query($yes: Boolean!, $no: Boolean = false) {
          quotes(first: 3) { nodes {
            text @include(if: $yes) id @skip(if: $yes) kind @include(if: $no)
            speaker @skip(if: $no) { name @include(if: true) role @skip(if: true) }
            ... on Quote @include(if: $yes) { cue }
            ...Where @skip(if: $no)
          } }
        }
        fragment Where on Quote { start end }""",
        {"yes": True},
    ),
    (
        """query($yes: Boolean!) { quotes(first: 2) { nodes { text @include(if: $yes) id } } }""",
        {"yes": False},
    ),
    # Fragments on the interface the types implement.
    (
        """{ quotes(first: 3) { nodes { ... on Node { id } text speaker { ...Id name } } }
             articles(first: 1) { nodes { ...Id title } } }
           fragment Id on Node { id }""",
        {},
    ),
]

# Quotations, content ids, provenance, and the filters and orders of branch quotations.
SUPPORTED += [
    (
        """{ quotations(first: 5) { totalCount edges { cursor node { id text occurrences
             firstSeen lastSeen contentId speaker { name } } } }
             often: quotations(speaker: "vasquez", minOccurrences: 2) { totalCount } }""",
        {},
    ),
    (
        """{ quotes(first: 3, orderBy: CONFIDENCE_DESC, source: "example wire",
                   speakers: ["Vasquez", "nobody"]) {
             pageInfo { endCursor } edges { cursor node { text confidence contentId
               quotation { id occurrences text }
               provenance { extractorVersion ingestedAt pipeline spacyVersion quotegraphVersion
                            models { role name format weights sha256 trained } record } } } } }""",
        {},
    ),
    (
        """{ speakers(orderBy: QUOTE_COUNT_DESC, first: 3) { totalCount
               pageInfo { hasNextPage endCursor } edges { cursor node { name quoteCount } } }
             articles(first: 2) { nodes { contentId provenance { extractorVersion } } }
             claims(source: "Example Wire", first: 2) { totalCount nodes { text } } }""",
        {},
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
    ("query($yes: Boolean) { quotes { nodes { text @include(if: $yes) } } }", {"yes": None}),
    ('{ quotes(first: 2) { nodes { text @deprecated(reason: "no") } } }', {}),
    ("{ quotes(first: 2) { nodes { ... on Speaker { name } } } }", {}),
    ("{ quotes { nodes { text } } quotes { nodes { id } } }", {}),
    ("{ nosuchfield }", {}),
    ('{ timeline(interval: DAY, since: "2000-01-01T00:00:00Z") { start } }', {}),  # too many
    ("{ topSpeakers(first: 0) { quotes } }", {}),
    ('{ speaker(name: "Vasquez") { coQuoted { articles speaker { name } } } }', {}),
    ("query($first: Int) { quotes(first: $first) { totalCount } }", {"first": "many"}),
]


class Raw(GraphQL):
    """Posts like GraphQL, and returns the response bytes."""

    def raw(self, query: str, **variables: Any) -> bytes:
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        assert response.headers["content-type"].startswith("application/json")
        return response.content


@pytest.fixture
def apps(
    settings: Settings, engine: sa.Engine, extractor: Callable[[str], Any], api_key: str
) -> Iterator[tuple[Raw, Raw, LeanReads]]:
    # Rate limits off: the generated queries can spend more than a key's budget.
    uncached = settings.model_copy(update={"response_cache_mb": 0, "rate_limit": False})
    lean_app = create_app(uncached, engine=engine, extractor=extractor)
    full_app = create_app(
        uncached.model_copy(update={"lean_reads": False}), engine=engine, extractor=extractor
    )
    with TestClient(lean_app) as lean_client, TestClient(full_app) as full_client:
        lean, full = Raw(lean_client, api_key), Raw(full_client, api_key)
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


def test_supported_queries_match_the_full_path(apps: tuple[Raw, Raw, LeanReads]) -> None:
    lean, full, reads = apps
    for query, variables in SUPPORTED:
        before = reads.served
        answer = lean.raw(query, **variables)
        assert answer == full.raw(query, **variables), query
        assert b'"errors"' not in answer, (query, answer)
        assert reads.served == before + 1, f"answered on the full path: {query}"


def test_pages_walked_by_cursor_match(apps: tuple[Raw, Raw, LeanReads]) -> None:
    lean, full, _ = apps
    query = SUPPORTED[3][0]
    after = None
    seen = 0
    while True:
        answer = lean(query, speaker="Vasquez", first=2, after=after)
        assert lean.raw(query, speaker="Vasquez", first=2, after=after) == full.raw(
            query, speaker="Vasquez", first=2, after=after
        )
        page = answer["data"]["quotes"]
        seen += len(page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == page["totalCount"] > 2
    before = page["pageInfo"]["startCursor"]
    backwards = lean(query, speaker="Vasquez", last=2, before=before)
    assert lean.raw(query, speaker="Vasquez", last=2, before=before) == full.raw(
        query, speaker="Vasquez", last=2, before=before
    )
    assert backwards["data"]["quotes"]["pageInfo"]["hasPreviousPage"]


def test_single_objects_by_id_and_url_match(apps: tuple[Raw, Raw, LeanReads]) -> None:
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
        answer = lean.raw(query, **variables)
        assert answer == full.raw(query, **variables)
        assert b'"errors"' not in answer
    assert reads.served == before + 5


def test_errors_and_unsupported_shapes_take_the_full_path(
    apps: tuple[Raw, Raw, LeanReads],
) -> None:
    lean, full, reads = apps
    before = reads.served
    for query, variables in FALLBACK:
        assert lean.raw(query, **variables) == full.raw(query, **variables), query
    assert reads.served == before
    bad = lean('{ quotes(after: "not a cursor") { totalCount } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_private_reads_match_and_need_a_key(
    settings: Settings, engine: sa.Engine, extractor: Callable[[str], Any], api_key: str
) -> None:
    private = settings.model_copy(update={"public_reads": False, "response_cache_mb": 0})
    app = create_app(private, engine=engine, extractor=extractor)
    full_app = create_app(
        private.model_copy(update={"lean_reads": False}), engine=engine, extractor=extractor
    )
    with TestClient(app) as client, TestClient(full_app) as full_client:
        Raw(full_client, api_key).ok(INGEST, input=ingest_input(STORY))
        for key in (None, "qg_wrong_key"):
            refused = Raw(client, key).raw(EVERY_FIELD, first=1)
            assert refused == Raw(full_client, key).raw(EVERY_FIELD, first=1)
            assert b"UNAUTHENTICATED" in refused
        assert app.state.lean_reads.served == 0
        for query, variables in [(EVERY_FIELD, {"first": 3}), *SUPPORTED[-5:]]:
            allowed = Raw(client, api_key).raw(query, **variables)
            assert allowed == Raw(full_client, api_key).raw(query, **variables), query
            assert b'"errors"' not in allowed
        assert app.state.lean_reads.served == 6


# Generated queries keep to what a client of these lists sends: fields without arguments
# below the roots (nested connections take the full path), and root arguments that are always
# valid (no cursors, page sizes or ids that hypothesis would mostly make wrong).
GENERATED_ROOTS = ["quotes", "speakers", "articles", "claims"]
KEPT_ARGUMENTS = {"kind", "named", "reviewed", "minConfidence", "minScore"}


def _generation_schema() -> GraphQLSchema:
    schema = graphql_build_schema(build_schema().as_str())
    query_type = schema.query_type
    assert query_type is not None
    for name in list(query_type.fields):
        if name not in GENERATED_ROOTS:
            del query_type.fields[name]
        else:
            arguments = query_type.fields[name].args
            for argument in list(arguments):
                if argument not in KEPT_ARGUMENTS:
                    del arguments[argument]
    for named in schema.type_map.values():
        # Never the introspection types: graphql-core shares them between all schemas.
        if (
            isinstance(named, GraphQLObjectType)
            and named is not query_type
            and not named.name.startswith("__")
        ):
            for name in [n for n, f in named.fields.items() if f.args]:
                del named.fields[name]
    return schema


GENERATION_SCHEMA = _generation_schema()
served_and_valid: list[bool] = []


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_queries_match_the_full_path(
    apps: tuple[Raw, Raw, LeanReads], data: st.DataObject
) -> None:
    lean, full, reads = apps
    query = data.draw(graphql_queries(GENERATION_SCHEMA, fields=GENERATED_ROOTS, allow_x00=False))
    before = reads.served
    answer = lean.raw(query)
    assert answer == full.raw(query), query
    served_and_valid.append(reads.served == before + 1 and b'"errors"' not in answer)


def test_most_generated_queries_were_valid_and_lean_served() -> None:
    """Runs after the generated-query test: a differential test proves little when most of
    its queries are errors that both paths leave to the same code."""
    if not served_and_valid:
        pytest.skip("the generated-query test did not run")
    share = sum(served_and_valid) / len(served_and_valid)
    assert share >= 0.8, f"{share:.0%} of {len(served_and_valid)} generated queries lean-served"
