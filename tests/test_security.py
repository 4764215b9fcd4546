"""Access and abuse: API keys for writes, limits on query shape and size, masked failures."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.settings import Settings
from tests.conftest import GraphQL, row_counts
from tests.helpers import INGEST, STORY, ingest_input


def _code(body: dict[str, object]) -> str:
    errors = body["errors"]
    assert isinstance(errors, list)
    assert "Traceback" not in str(body)
    return str(errors[0]["extensions"]["code"])


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer qg_nope_wrong", "Basic abc", "Bearer "])
def test_mutations_need_a_valid_key(
    client: TestClient, engine: sa.Engine, header: str | None
) -> None:
    before = row_counts(engine)
    headers = {"Authorization": header} if header is not None else {}
    response = client.post(
        "/graphql",
        json={"query": INGEST, "variables": {"input": ingest_input(STORY)}},
        headers=headers,
    )
    body = response.json()
    assert _code(body) == "UNAUTHENTICATED"
    assert "quotegraph keys create" in body["errors"][0]["message"]
    assert row_counts(engine) == before


def test_reads_are_public_by_default(anonymous: GraphQL) -> None:
    assert anonymous.ok("{ quotes { totalCount } }")["quotes"]["totalCount"] == 0


def test_private_reads_need_a_key(settings: Settings, engine: sa.Engine, api_key: str) -> None:
    private = settings.model_copy(update={"public_reads": False})
    with TestClient(create_app(private, engine=engine)) as client:
        assert _code(GraphQL(client)("{ quotes { totalCount } }")) == "UNAUTHENTICATED"
        assert GraphQL(client, api_key).ok("{ quotes { totalCount } }")


def test_keys_cli_create_list_revoke(database_url: str, client: TestClient) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": database_url}
    created = runner.invoke(cli, ["keys", "create", "newsroom"], env=env)
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert key.startswith("qg_")
    writer = GraphQL(client, key)
    assert writer.ok(INGEST, input=ingest_input(STORY))["ingestArticle"]["created"] is True

    listing = runner.invoke(cli, ["keys", "list"], env=env).stdout
    assert "newsroom" in listing and "active" in listing
    assert key not in listing  # only prefixes are shown; the key itself is not stored
    prefix = key.split("_")[1]
    assert runner.invoke(cli, ["keys", "revoke", prefix], env=env).exit_code == 0
    assert "revoked" in runner.invoke(cli, ["keys", "list"], env=env).stdout
    assert _code(writer(INGEST, input=ingest_input(STORY + "\nMore."))) == "UNAUTHENTICATED"
    assert runner.invoke(cli, ["keys", "revoke", "nosuchkey"], env=env).exit_code == 1


def test_depth_limit(gql: GraphQL) -> None:
    deep = "{ quotes(first: 1) { edges { node { article { quotes { speaker { quotes(first: 1) { edges { node { article { quotes { article { title } } } } } } } } } } } } }"  # noqa: E501
    body = gql(deep)
    assert _code(body) == "DEPTH_LIMIT_EXCEEDED"
    assert "limit is 10" in body["errors"][0]["message"]


def test_alias_limit(gql: GraphQL) -> None:
    query = "{ " + " ".join(f"a{i}: quotes(first: 1) {{ totalCount }}" for i in range(31)) + " }"
    assert _code(gql(query)) == "ALIAS_LIMIT_EXCEEDED"


def test_cost_limit_multiplies_page_sizes(gql: GraphQL) -> None:
    query = """query($n: Int) { speakers(first: $n) { edges { node {
        quotes(first: 100) { edges { node { article { quotes { claims { text } } } } } } } } } }"""
    assert _code(gql(query, n=100)) == "COST_LIMIT_EXCEEDED"
    assert gql.ok(query, n=1)  # the same shape with a small page is fine


def test_token_limit(gql: GraphQL) -> None:
    query = "{ quotes { totalCount " + "__typename " * 2100 + "} }"
    assert _code(gql(query)) == "TOKEN_LIMIT_EXCEEDED"


def test_request_body_limit(client: TestClient, api_key: str, engine: sa.Engine) -> None:
    before = row_counts(engine)
    response = client.post(
        "/graphql",
        json={"query": INGEST, "variables": {"input": {"text": "word " * 250_000}}},
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert row_counts(engine) == before


def test_unexpected_errors_are_masked_with_a_request_id(
    settings: Settings, engine: sa.Engine, api_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_extractor(text: str) -> object:
        raise RuntimeError("secret internal detail /etc/passwd")

    with TestClient(create_app(settings, engine=engine, extractor=broken_extractor)) as client:
        before = row_counts(engine)
        body = GraphQL(client, api_key)(INGEST, input=ingest_input(STORY))
    assert _code(body) == "INTERNAL_SERVER_ERROR"
    error = body["errors"][0]
    assert "secret" not in str(body)
    request_id = error["extensions"]["requestId"]
    assert request_id in error["message"]
    assert any(request_id in record.getMessage() for record in caplog.records)
    assert row_counts(engine) == before


def test_introspection_can_be_switched_off(settings: Settings, engine: sa.Engine) -> None:
    query = "{ __schema { queryType { name } } }"
    with TestClient(create_app(settings, engine=engine)) as client:
        assert GraphQL(client).ok(query)["__schema"]["queryType"]["name"] == "Query"
    closed = settings.model_copy(update={"introspection": False})
    with TestClient(create_app(closed, engine=engine)) as client:
        assert "errors" in GraphQL(client)(query)


def test_time_budget(settings: Settings, engine: sa.Engine, api_key: str) -> None:
    import time

    def slow_extractor(text: str) -> object:
        time.sleep(2)
        raise AssertionError("never reached in time")

    tight = settings.model_copy(update={"request_timeout_s": 0.5})
    with TestClient(create_app(tight, engine=engine, extractor=slow_extractor)) as client:
        before = row_counts(engine)
        body = GraphQL(client, api_key)(INGEST, input=ingest_input(STORY))
    assert _code(body) == "TIMEOUT"
    assert row_counts(engine) == before


def test_the_playground_introspection_query_passes_the_limits(anonymous: GraphQL) -> None:
    from graphql import get_introspection_query

    schema = anonymous.ok(get_introspection_query(descriptions=True))["__schema"]
    assert schema["queryType"]["name"] == "Query"
