"""Full-text search over quotes: stemmed words, ranked, paginated, and safe with any input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.db.models import Quote, table_of
from app.graphql.ids import decode_global_id
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


def _stored_quotes(gql: GraphQL, engine: sa.Engine, texts: list[str]) -> None:
    """An article, then `texts` stored straight into the quote table (ids in list order) and
    the statistics refreshed: bulk data without running the extractor over each one."""
    article = gql.ok(INGEST, input=ingest_input("A short note with nothing quoted in it."))
    article_id = decode_global_id(article["ingestArticle"]["article"]["id"])[1]
    base = datetime(2024, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            sa.insert(table_of(Quote)),
            [
                {
                    "article_id": article_id,
                    "position": 100 + number,
                    "text": text,
                    "kind": "direct",
                    "start": 0,
                    "end": 1,
                    "confidence": 0.9,
                    "sort_date": base + timedelta(minutes=number),
                }
                for number, text in enumerate(texts)
            ],
        )
    with engine.connect() as connection:
        connection.execute(sa.text("ANALYZE quote"))
        connection.commit()
    search._STATS.clear()


def _ranked_ids(gql: GraphQL, words: str) -> tuple[list[str], int]:
    data = gql.ok(
        """query($q: String!) { searchQuotes(query: $q, first: 100) {
             totalCount edges { node { text } } } }""",
        q=words,
    )["searchQuotes"]
    return [edge["node"]["text"] for edge in data["edges"]], data["totalCount"]


def test_common_words_rank_the_newest_window(
    gql: GraphQL, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [
        f"{'harbour harbour' if n % 7 == 0 else 'harbour'} report {n}" if n % 3 else f"note {n}"
        for n in range(300)
    ]
    _stored_quotes(gql, engine, texts)
    monkeypatch.setattr(search, "RANK_WINDOW", 40)
    monkeypatch.setattr(search, "WALK_BUDGET", 200)
    window = [t for t in texts if "harbour" in t][-40:]  # the most recently stored matches
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        found, total = _ranked_ids(gql, "harbour")
        # A walk too short to fill the window falls back to the text index: same answer.
        monkeypatch.setattr(search, "WALK_BUDGET", 45)
        fallback, _ = _ranked_ids(gql, "harbours")
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert total == 40 and sorted(found) == sorted(window)
    doubled = [t for t in found if t.startswith("harbour harbour")]
    assert doubled and found[: len(doubled)] == doubled  # the densest matches first
    assert fallback == found
    if engine.dialect.name == "postgresql":
        assert any("AS vector" in s for s in statements), "common word: the walk"
        assert any("MATERIALIZED" in s for s in statements), "short walk: the text index"
    assert _ranked_ids(gql, "walrus") == ([], 0)
    rare, rare_total = _ranked_ids(gql, "note")  # 100 matches, more than the window
    assert rare_total == 40 and all(t.startswith("note") for t in rare)
