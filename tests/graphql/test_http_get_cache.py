"""Queries over HTTP GET: ETag from the write stamp, Cache-Control, 304 Not Modified."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.graphql.httpcache import matches
from app.main import create_app
from app.settings import Settings
from tests.conftest import GraphQL, row_counts
from tests.helpers import FOLLOWUP, INGEST, STORY, ingest_input

COUNT = "query Count($s: String) { quotes(speaker: $s) { totalCount } }"
VASQUEZ = '{"s": "Vasquez"}'


def get(client: TestClient, query: str, variables: str | None = None, **headers: str) -> Any:
    params = {"query": query, **({"variables": variables} if variables else {})}
    return client.get("/graphql", params=params, headers=headers)


def test_etag_holds_until_a_write_then_changes(gql: GraphQL) -> None:
    gql.ok(INGEST, input=ingest_input(STORY))
    client = gql.client
    first = get(client, COUNT, VASQUEZ)
    assert first.status_code == 200
    assert first.json() == gql(COUNT, s="Vasquez")  # the same answer as a POST
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=0"
    assert "authorization" in first.headers["vary"].lower()
    # Unchanged data: 304 with no body, the same tag, any number of times.
    for _ in range(2):
        again = get(client, COUNT, VASQUEZ, **{"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
    # Other variables are another resource.
    other = get(client, COUNT, '{"s": "Reddick"}', **{"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag
    # A write (an ingest through the API) changes the tag: the old one gets the new data.
    before = first.json()["data"]["quotes"]["totalCount"]
    gql.ok(INGEST, input=ingest_input(FOLLOWUP))
    after = get(client, COUNT, VASQUEZ, **{"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert after.json()["data"]["quotes"]["totalCount"] > before
    assert (
        get(client, COUNT, VASQUEZ, **{"If-None-Match": after.headers["etag"]}).status_code == 304
    )


def test_the_tag_names_the_document_not_its_spelling(gql: GraphQL) -> None:
    spaced = "query Count($s: String) {\n  quotes(speaker: $s) , { totalCount }  # comment\n}"
    one = get(gql.client, COUNT, VASQUEZ).headers["etag"]
    assert get(gql.client, spaced, VASQUEZ).headers["etag"] == one


def test_authenticated_answers_are_private_and_tagged_apart(gql: GraphQL, api_key: str) -> None:
    public = get(gql.client, COUNT, VASQUEZ)
    private = get(gql.client, COUNT, VASQUEZ, Authorization=f"Bearer {api_key}")
    assert private.status_code == 200 and private.json() == public.json()
    assert private.headers["cache-control"] == "private, max-age=0"
    assert private.headers["etag"] != public.headers["etag"]
    # The public tag does not stand for the caller's copy, nor the other way round.
    crossed = get(gql.client, COUNT, VASQUEZ, **{"If-None-Match": private.headers["etag"]})
    assert crossed.status_code == 200


def test_mutations_over_get_stay_refused(gql: GraphQL, engine: sa.Engine) -> None:
    mutation = 'mutation { ingestArticle(input: {text: "x"}) { created } }'
    counts = row_counts(engine)
    refused = gql.client.get(
        "/graphql", params={"query": mutation}, headers=gql.headers | {"If-None-Match": "*"}
    )
    assert refused.status_code in (400, 405)
    assert refused.json()["errors"][0]["extensions"]["code"] in (
        "BAD_REQUEST",
        "METHOD_NOT_ALLOWED",
    )
    assert "etag" not in refused.headers
    assert row_counts(engine) == counts


def test_errors_and_budgets_are_never_tagged(gql: GraphQL) -> None:
    missing = get(
        gql.client, '{ article(url: "https://nowhere.example/x") { id } quotes { totalCount } }'
    )
    bad = get(gql.client, "{ quotes(first: -1) { totalCount } }")
    assert bad.json()["errors"][0]["extensions"]["code"]
    assert "etag" not in bad.headers and bad.headers["cache-control"] == "no-store"
    assert missing.status_code == 200
    # Each caller's own budget: the answer changes with every request.
    budget = get(gql.client, "{ rateLimit { remaining } }")
    assert budget.status_code == 200 and "etag" not in budget.headers
    # A text that does not parse is refused by the router in its own words, untagged.
    broken = get(gql.client, "{ quotes ")
    assert broken.json()["errors"] and "etag" not in broken.headers


def test_max_age_is_configurable(
    database_url: str, engine: sa.Engine, extractor: Callable[[str], Any]
) -> None:
    settings = Settings(DATABASE_URL=database_url, QUOTEGRAPH_HTTP_MAX_AGE=30)
    with TestClient(create_app(settings, engine=engine, extractor=extractor)) as client:
        answer = get(client, COUNT, VASQUEZ)
        assert answer.headers["cache-control"] == "public, max-age=30"


def test_private_reads_check_the_key_before_a_304(
    database_url: str, engine: sa.Engine, api_key: str, extractor: Callable[[str], Any]
) -> None:
    settings = Settings(DATABASE_URL=database_url, QUOTEGRAPH_PUBLIC_READS=False)
    with TestClient(create_app(settings, engine=engine, extractor=extractor)) as client:
        ok = get(client, COUNT, VASQUEZ, Authorization=f"Bearer {api_key}")
        assert ok.status_code == 200 and "etag" in ok.headers
        etag = ok.headers["etag"]
        assert (
            get(
                client, COUNT, VASQUEZ, Authorization=f"Bearer {api_key}", **{"If-None-Match": etag}
            ).status_code
            == 304
        )
        anonymous = get(client, COUNT, VASQUEZ, **{"If-None-Match": etag})
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        wrong = get(client, COUNT, VASQUEZ, Authorization="Bearer nope", **{"If-None-Match": "*"})
        assert wrong.status_code == 200 and "etag" not in wrong.headers
        assert wrong.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_if_none_match_lists_and_weak_tags() -> None:
    assert matches('"a", W/"b"', '"b"')
    assert matches("*", '"x"')
    assert not matches('"a"', '"b"')
