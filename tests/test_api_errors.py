"""Bad input gets a coded GraphQL error with a readable message, and the database is unchanged."""

from __future__ import annotations

import base64

import pytest
import sqlalchemy as sa

from app.graphql.ids import encode_cursor
from tests.conftest import GraphQL, row_counts
from tests.helpers import INGEST, QUOTES_BY_SPEAKER, STORY, ingest_input


def _error(body: dict[str, object]) -> dict[str, object]:
    errors = body.get("errors")
    assert isinstance(errors, list) and errors, body
    error = errors[0]
    assert isinstance(error, dict)
    assert "Traceback" not in str(body)
    return error


def _code(body: dict[str, object]) -> str:
    extensions = _error(body)["extensions"]
    assert isinstance(extensions, dict)
    return str(extensions["code"])


@pytest.mark.parametrize(
    ("article", "needle"),
    [
        ({"text": ""}, "empty"),
        ({"text": " \n\t "}, "empty"),
        ({"text": "x" * 200_001}, "limit"),
        ({"text": "bin\x00ary"}, "NUL"),
        ({"text": STORY, "url": "not a url"}, "URL"),
        ({"text": STORY, "url": "ftp://example.org/a"}, "URL"),
        ({"text": STORY, "publishedAt": "1066-10-14T00:00:00Z"}, "plausible"),
        ({"text": STORY, "publishedAt": "2999-01-01T00:00:00Z"}, "plausible"),
    ],
)
def test_bad_articles_are_refused_and_nothing_is_written(
    gql: GraphQL, engine: sa.Engine, article: dict[str, str], needle: str
) -> None:
    before = row_counts(engine)
    body = gql(INGEST, input=article)
    assert _code(body) == "BAD_USER_INPUT"
    assert needle.lower() in str(_error(body)["message"]).lower()
    assert body["data"] is None
    assert row_counts(engine) == before


def test_unparseable_date_is_bad_user_input(gql: GraphQL, engine: sa.Engine) -> None:
    before = row_counts(engine)
    body = gql(INGEST, input=ingest_input(STORY, publishedAt="last Tuesday"))
    assert _code(body) == "BAD_USER_INPUT"
    assert row_counts(engine) == before


def test_same_url_with_other_text_is_a_conflict(gql: GraphQL, engine: sa.Engine) -> None:
    gql.ok(INGEST, input=ingest_input(STORY, url="https://news.example/a"))
    before = row_counts(engine)
    body = gql(INGEST, input=ingest_input(STORY + "\nUpdated.", url="https://news.example/a"))
    assert _code(body) == "CONFLICT"
    assert row_counts(engine) == before


@pytest.mark.parametrize(
    "bad_id",
    [
        "not-an-id",
        base64.b64encode(b"Quote:abc").decode(),
        base64.b64encode(b"Quote:-3").decode(),
        "%%%",
        "",
    ],
)
def test_malformed_ids(gql: GraphQL, bad_id: str) -> None:
    body = gql("query($id: ID!) { node(id: $id) { id } }", id=bad_id)
    assert _code(body) == "BAD_USER_INPUT"
    body = gql("query($id: ID!) { quotes(speakerId: $id) { totalCount } }", id=bad_id)
    assert _code(body) == "BAD_USER_INPUT"


def test_id_of_another_type(gql: GraphQL) -> None:
    article_id = base64.b64encode(b"Article:1").decode()
    body = gql("query($id: ID!) { quotes(speakerId: $id) { totalCount } }", id=article_id)
    assert _code(body) == "BAD_USER_INPUT"
    assert "Article" in str(_error(body)["message"])


def test_missing_things_are_not_found(gql: GraphQL) -> None:
    missing = base64.b64encode(b"Article:999").decode()
    assert _code(gql("query($id: ID!) { article(id: $id) { id } }", id=missing)) == "NOT_FOUND"
    assert _code(gql('{ speaker(name: "Nobody Here") { id } }')) == "NOT_FOUND"
    assert gql.ok("query($id: ID!) { node(id: $id) { id } }", id=missing)["node"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        encode_cursor("speakers", ("elena vasquez", 1)),
        base64.urlsafe_b64encode(b'["quotes", 5]').decode(),
        base64.urlsafe_b64encode(b'["quotes", "yesterday", 5]').decode(),
    ],
)
def test_bad_cursors(gql: GraphQL, cursor: str) -> None:
    body = gql(QUOTES_BY_SPEAKER, first=5, after=cursor)
    assert _code(body) == "BAD_USER_INPUT"
    assert "cursor" in str(_error(body)["message"]).lower()


@pytest.mark.parametrize(("first", "needle"), [(101, "at most 100"), (-1, "zero or more")])
def test_page_size_limits(gql: GraphQL, first: int, needle: str) -> None:
    body = gql(QUOTES_BY_SPEAKER, first=first)
    assert _code(body) == "BAD_USER_INPUT"
    assert needle in str(_error(body)["message"])


def test_unknown_enum_and_syntax_errors_are_coded(gql: GraphQL) -> None:
    assert _code(gql("{ quotes(kind: SHOUTED) { totalCount } }")) in (
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_USER_INPUT",
    )
    assert _code(gql("{ quotes(")) == "GRAPHQL_PARSE_FAILED"
    assert _code(gql("{ nosuchfield }")) == "GRAPHQL_VALIDATION_FAILED"


def test_injection_attempts_are_data(gql: GraphQL, engine: sa.Engine) -> None:
    gql.ok(INGEST, input=ingest_input(STORY))
    before = row_counts(engine)
    for attack in ("'; DROP TABLE quote; --", "%' OR 1=1 --", "_%", "\\"):
        data = gql.ok(QUOTES_BY_SPEAKER, speaker=attack, first=5)
        assert data["quotes"]["totalCount"] == 0
        search = gql.ok("query($s: String) { quotes(search: $s) { totalCount } }", s=attack)
        assert search["quotes"]["totalCount"] == 0
    assert row_counts(engine) == before


@pytest.mark.parametrize(
    "query",
    [
        "query($s: String!) { searchQuotes(query: $s) { totalCount } }",
        "query($s: String!) { articles(source: $s) { totalCount } }",
        "query($s: String!) { quotes(search: $s) { totalCount } }",
        "query($s: String!) { article(url: $s) { id } }",
    ],
)
def test_nul_characters_in_any_argument_are_refused(gql: GraphQL, query: str) -> None:
    body = gql(query, s="a\x00b")
    assert _code(body) == "BAD_USER_INPUT"
    assert "NUL" in str(_error(body)["message"])
    literal = gql('{ searchQuotes(query: "a\\u0000b") { totalCount } }')
    assert _code(literal) == "BAD_USER_INPUT"
