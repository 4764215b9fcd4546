"""Full-text search over quotes: stemmed words, ranked, paginated, and safe with any input."""

from __future__ import annotations

import pytest

from app.services import search
from tests.conftest import GraphQL
from tests.helpers import INGEST, ingest_input

SEARCH = """query($q: String!, $first: Int, $after: String, $speaker: String) {
  searchQuotes(query: $q, first: $first, after: $after, speaker: $speaker) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { text speaker { name } } }
  }
}"""

ARTICLE = """\
"The budget for the harbour is final," said Mayor Ana Costa. "The harbour harbour harbour \
budget will not change," Costa added.

"Nobody asked the fishermen about the harbour," said Bruno Diaz, a union leader.

"We are warning everyone about the storms," Diaz told reporters.
"""


def _texts(data: dict[str, object]) -> list[str]:
    edges = data["searchQuotes"]["edges"]  # type: ignore[index]
    return [e["node"]["text"] for e in edges]  # type: ignore[index]


def test_ranked_stemmed_search(gql: GraphQL) -> None:
    gql.ok(INGEST, input=ingest_input(ARTICLE, publishedAt="2025-01-01T00:00:00Z"))
    ranked = _texts(gql.ok(SEARCH, q="harbour"))
    assert len(ranked) == 3
    assert ranked[0].startswith("The harbour harbour harbour")  # the densest match first
    assert _texts(gql.ok(SEARCH, q="warned")) == ["We are warning everyone about the storms"]
    assert _texts(gql.ok(SEARCH, q="harbour budget")) == [t for t in ranked if "budget" in t]
    only_diaz = _texts(gql.ok(SEARCH, q="harbour", speaker="Diaz"))
    assert only_diaz == ["Nobody asked the fishermen about the harbour"]
    filtered = gql.ok('{ quotes(search: "HARBOUR", first: 10) { totalCount } }')
    assert filtered["quotes"]["totalCount"] == 3


def test_search_pages_by_relevance_cursor(gql: GraphQL) -> None:
    gql.ok(INGEST, input=ingest_input(ARTICLE))
    everything = _texts(gql.ok(SEARCH, q="harbour", first=10))
    walked: list[str] = []
    after = None
    while True:
        page = gql.ok(SEARCH, q="harbour", first=1, after=after)["searchQuotes"]
        walked += [e["node"]["text"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == everything
    assert page["totalCount"] == 3


def test_search_syntax_is_data(gql: GraphQL) -> None:
    gql.ok(INGEST, input=ingest_input(ARTICLE))
    for attack in ['"', "harbour*", "NEAR(a b)", "text: harbour", "') OR 1=1 --", "-", "&|!"]:
        body = gql(SEARCH, q=attack)
        assert "errors" not in body, (attack, body)
    assert gql(SEARCH, q="   ")["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_common_words_take_the_index_walk(gql: GraphQL, monkeypatch: pytest.MonkeyPatch) -> None:
    gql.ok(INGEST, input=ingest_input(ARTICLE))
    expected = gql.ok('{ quotes(search: "harbour", first: 10) { edges { node { id } } } }')
    # With the threshold at one hit, "harbour" (three hits) counts as a common word.
    monkeypatch.setattr(search, "FEW_HITS", 1)
    # first: 11, not 10: a different request, so the response cache cannot answer it.
    walked = gql.ok('{ quotes(search: "harbour", first: 11) { edges { node { id } } } }')
    assert walked == expected and len(expected["quotes"]["edges"]) == 3
