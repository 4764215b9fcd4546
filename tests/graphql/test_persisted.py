"""Persisted operations: automatic persisted queries, the manifest, persisted-only mode."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from graphql import GraphQLError

from app.graphql.persisted import manifest_operations, sha256_hex
from app.main import create_app
from app.settings import Settings
from tests.conftest import GraphQL
from tests.helpers import INGEST, STORY, ingest_input

COUNT = "query Count($s: String) { quotes(speaker: $s) { totalCount } }"

MANIFEST = """
# Operations of a front end: fragments may be shared and come after their users.
query SpeakerQuotes($speaker: String, $first: Int) {
  quotes(speaker: $speaker, first: $first) {
    totalCount
    edges { node { ...QuoteParts } }
  }
}

fragment QuoteParts on Quote { id text speaker { ...SpeakerName } }

fragment SpeakerName on Speaker { name }

query Speakers($search: String) {
  speakers(search: $search, first: 5) { edges { node { ...SpeakerName } } }
}
"""


def apq(sha256: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


def test_manifest_operations_carry_their_fragments() -> None:
    operations = {op.name: op for op in manifest_operations(MANIFEST)}
    assert list(operations) == ["SpeakerQuotes", "Speakers"]
    quotes = operations["SpeakerQuotes"].text
    assert quotes.startswith("query SpeakerQuotes(")
    assert "fragment QuoteParts on Quote" in quotes and "fragment SpeakerName" in quotes
    speakers = operations["Speakers"].text
    assert "fragment SpeakerName" in speakers and "QuoteParts" not in speakers
    for op in operations.values():
        assert op.sha256 == hashlib.sha256(op.text.encode()).hexdigest()
    with pytest.raises(GraphQLError, match="needs a name"):
        manifest_operations("{ quotes { totalCount } }")
    with pytest.raises(GraphQLError, match="two operations"):
        manifest_operations("query A { __typename } query A { __typename }")
    with pytest.raises(GraphQLError, match="undefined fragment"):
        manifest_operations("query A { ...Missing }")


def test_automatic_persisted_queries(gql: GraphQL) -> None:
    gql.ok(INGEST, input=ingest_input(STORY))
    client = gql.client
    sha256 = sha256_hex(COUNT)
    variables = {"s": "Vasquez"}
    # Unknown hash: the code clients answer by sending the text with the hash.
    unknown = client.post("/graphql", json={"variables": variables, "extensions": apq(sha256)})
    assert unknown.status_code == 200
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "no-cache" in unknown.headers["cache-control"]
    registered = client.post(
        "/graphql", json={"query": COUNT, "variables": variables, "extensions": apq(sha256)}
    )
    expected = gql(COUNT, **variables)
    assert registered.json() == expected and expected["data"]["quotes"]["totalCount"] > 0
    # From now on the hash alone, over POST or GET (with an ETag).
    by_post = client.post("/graphql", json={"variables": variables, "extensions": apq(sha256)})
    assert by_post.json() == expected
    params = {"variables": json.dumps(variables), "extensions": json.dumps(apq(sha256))}
    by_get = client.get("/graphql", params=params)
    assert by_get.json() == expected and by_get.headers["etag"]
    again = client.get("/graphql", params=params, headers={"If-None-Match": by_get.headers["etag"]})
    assert again.status_code == 304
    # Registering over GET works too (Apollo Client may send both in the query string).
    other = "{ speakers(first: 1) { totalCount } }"
    both = {"query": other, "extensions": json.dumps(apq(sha256_hex(other)))}
    assert client.get("/graphql", params=both).json()["data"]["speakers"]["totalCount"] >= 1


def test_bad_persisted_queries_are_refused_with_codes(gql: GraphQL) -> None:
    client = gql.client
    mismatch = client.post("/graphql", json={"query": COUNT, "extensions": apq("0" * 64)})
    assert mismatch.status_code == 400
    assert mismatch.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    version = client.post(
        "/graphql",
        json={"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}}},
    )
    assert version.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"
    not_hex = client.get("/graphql", params={"extensions": json.dumps(apq("zz"))})
    assert not_hex.status_code == 400
    assert not_hex.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    # A mutation registered by hash is still not run over GET.
    mutation = 'mutation { deleteArticle(id: "QXJ0aWNsZTox") { deletedId } }'
    client.post(
        "/graphql",
        json={"query": mutation, "extensions": apq(sha256_hex(mutation))},
        headers=gql.headers,
    )
    over_get = client.get(
        "/graphql",
        params={"extensions": json.dumps(apq(sha256_hex(mutation)))},
        headers=gql.headers,
    )
    assert over_get.status_code in (400, 405) and over_get.json()["errors"]


@pytest.fixture
def persisted_only(
    database_url: str, engine: sa.Engine, extractor: Callable[[str], Any], tmp_path: Path
) -> Iterator[TestClient]:
    path = tmp_path / "operations.graphql"
    path.write_text(MANIFEST, encoding="utf-8")
    settings = Settings(
        DATABASE_URL=database_url,
        QUOTEGRAPH_PERSISTED_ONLY=True,
        QUOTEGRAPH_PERSISTED_OPERATIONS=str(path),
    )
    with TestClient(create_app(settings, engine=engine, extractor=extractor)) as client:
        yield client


def test_persisted_only_runs_the_manifest_and_nothing_else(
    persisted_only: TestClient, gql: GraphQL
) -> None:
    gql.ok(INGEST, input=ingest_input(STORY))
    client = persisted_only
    manifest = client.get("/graphql/operations.json").json()
    assert set(manifest) == {"SpeakerQuotes", "Speakers"}
    speakers = manifest["Speakers"]
    assert speakers["sha256"] == sha256_hex(speakers["query"])
    variables = {"search": "Vasquez"}
    # A registered operation by hash, over GET (cacheable) and POST, or in full.
    params = {"variables": json.dumps(variables), "extensions": json.dumps(apq(speakers["sha256"]))}
    by_get = client.get("/graphql", params=params)
    assert by_get.status_code == 200, by_get.text
    names = [e["node"]["name"] for e in by_get.json()["data"]["speakers"]["edges"]]
    assert names == ["Elena Vasquez"] and by_get.headers["etag"]
    by_post = client.post(
        "/graphql", json={"variables": variables, "extensions": apq(speakers["sha256"])}
    )
    assert by_post.json() == by_get.json()
    in_full = client.post("/graphql", json={"query": speakers["query"], "variables": variables})
    assert in_full.json() == by_get.json()
    # The file as it is, naming the operation to run.
    whole = {"query": MANIFEST, "operationName": "Speakers", "variables": variables}
    assert client.post("/graphql", json=whole).json() == by_get.json()
    # Ad-hoc queries, in full or registered by hash, are refused with a code.
    for refused in (
        client.post("/graphql", json={"query": COUNT}),
        client.get("/graphql", params={"query": COUNT}),
        client.post("/graphql", json={"query": COUNT, "extensions": apq(sha256_hex(COUNT))}),
        client.post("/graphql", json=[{"query": speakers["query"]}]),
    ):
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["extensions"]["code"] == "QUERY_NOT_IN_SAFELIST"
    # An unknown hash is final here: the client has nothing to register.
    unknown = client.post("/graphql", json={"extensions": apq(sha256_hex(COUNT))})
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
    # No playground: it could send nothing but refused queries.
    assert client.get("/graphql", headers={"Accept": "text/html"}).status_code == 404


def test_the_playground_stays_in_development(gql: GraphQL) -> None:
    page = gql.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert gql.ok("{ __typename }") == {"__typename": "Query"}


def test_the_shipped_operations_are_named_and_valid() -> None:
    """The explorer's operations file (registered at start-up) parses, names every operation
    and validates against the schema: a bad one would stop the service from starting."""
    from graphql import parse, validate

    from app.graphql.schema import build_schema

    path = Settings().persisted_operations
    if not path.is_file():
        pytest.skip(f"no operations file at {path}")
    schema = build_schema()._schema
    operations = manifest_operations(path.read_text(encoding="utf-8"))
    assert operations
    for operation in operations:
        assert validate(schema, parse(operation.text)) == [], operation.name
