"""The question everyone asks first: all quotes by a given speaker, newest first, paginated."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.main import PooledExtractor, create_app
from app.settings import Settings
from tests.conftest import GraphQL, row_counts
from tests.helpers import (
    FOLLOWUP,
    INGEST,
    QUOTES_BY_SPEAKER,
    STORY,
    extract_with_pid,
    ingest_input,
)


def _ingest_both(gql: GraphQL) -> tuple[dict[str, Any], dict[str, Any]]:
    first = gql.ok(
        INGEST,
        input=ingest_input(
            STORY,
            title="Minister orders pier inquiry",
            source="Wire",
            url="https://news.example/pier-inquiry",
            publishedAt="2025-03-03T09:00:00Z",
        ),
    )["ingestArticle"]
    second = gql.ok(
        INGEST,
        input=ingest_input(
            FOLLOWUP, title="Pier inquiry hears evidence", publishedAt="2025-03-06T12:00:00+01:00"
        ),
    )["ingestArticle"]
    return first, second


def _expected_texts(extractor: Callable[[str], Any], text: str, name: str) -> list[str]:
    extraction = extractor(text)
    return [
        q.text
        for q in extraction.quotes
        # What `quotes` lists by default: speech, not the stances the learned model may add.
        if q.speaker is not None
        and extraction.speakers[q.speaker].name == name
        and q.attribution_class == "speech"
    ]


def test_ingest_returns_article_and_extraction_with_verifiable_offsets(gql: GraphQL) -> None:
    payload, _ = _ingest_both(gql)
    assert payload["created"] is True
    article = payload["article"]
    assert article["dateline"] == "PORTSMOUTH"
    assert article["publishedAt"].startswith("2025-03-03T09:00:00")
    text = article["text"]
    assert payload["quotes"], "the story has quotes"
    for quote in payload["quotes"]:
        fragments = quote["fragments"]
        assert fragments, "every quote has at least one fragment"
        for fragment in fragments:
            assert text[fragment["start"] : fragment["end"]] == fragment["text"]
        assert " \u2026 ".join(f["text"] for f in fragments) == quote["text"]
        assert (quote["start"], quote["end"]) == (fragments[0]["start"], fragments[-1]["end"])
        if len(fragments) == 1:
            assert text[quote["start"] : quote["end"]] == quote["text"]
        assert quote["attributionClass"] == "SPEECH"
        if quote["speakerStart"] is not None:
            assert 0 <= quote["speakerStart"] < quote["speakerEnd"] <= len(text)
        assert 0.0 <= quote["confidence"] <= 1.0
    for claim in payload["claims"]:
        assert text[claim["start"] : claim["end"]] == claim["text"]
    owe = next(q for q in payload["quotes"] if q["text"].startswith("We owe the families"))
    assert owe["kind"] == "DIRECT"
    assert owe["speaker"]["name"] == "Elena Vasquez"
    roles = {s["name"]: s["role"] for s in payload["speakers"]}
    assert roles["Elena Vasquez"] == "Harbour Minister"


def test_all_quotes_by_a_speaker_newest_first(
    gql: GraphQL, extractor: Callable[[str], Any]
) -> None:
    _, second = _ingest_both(gql)
    expected = _expected_texts(extractor, FOLLOWUP, "Elena Vasquez") + _expected_texts(
        extractor, STORY, "Elena Vasquez"
    )
    assert len(expected) >= 3
    for name in ("Vasquez", "elena vasquez", "ELENA VÁSQUEZ"):
        data = gql.ok(QUOTES_BY_SPEAKER, speaker=name, first=50)["quotes"]
        nodes = [edge["node"] for edge in data["edges"]]
        assert {n["speaker"]["name"] for n in nodes} == {"Elena Vasquez"}, name
        # Newest article first; within an article, the page keeps a stable order.
        assert [n["article"]["id"] for n in nodes] == sorted(
            (n["article"]["id"] for n in nodes), key=lambda i: i != second["article"]["id"]
        )
        assert sorted(n["text"] for n in nodes) == sorted(expected)
        assert data["totalCount"] == len(expected)
    dates = [
        e["node"]["date"]
        for e in gql.ok(QUOTES_BY_SPEAKER, speaker="Vasquez", first=50)["quotes"]["edges"]
    ]
    assert dates == sorted(dates, reverse=True)


def test_unknown_speaker_has_no_quotes(gql: GraphQL) -> None:
    _ingest_both(gql)
    data = gql.ok(QUOTES_BY_SPEAKER, speaker="Nobody Atall", first=10)["quotes"]
    assert data["edges"] == [] and data["totalCount"] == 0
    assert data["pageInfo"]["hasNextPage"] is False


def test_pagination_walks_every_quote_once_both_ways(gql: GraphQL) -> None:
    _ingest_both(gql)
    everything = gql.ok(QUOTES_BY_SPEAKER, first=100)["quotes"]
    all_ids = [e["node"]["id"] for e in everything["edges"]]
    assert len(all_ids) == everything["totalCount"] >= 5

    seen: list[str] = []
    after = None
    while True:
        page = gql.ok(QUOTES_BY_SPEAKER, first=2, after=after)["quotes"]
        seen += [e["node"]["id"] for e in page["edges"]]
        assert len(page["edges"]) <= 2
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == all_ids

    backwards: list[str] = []
    before = None
    while True:
        page = gql.ok(QUOTES_BY_SPEAKER, last=2, before=before)["quotes"]
        backwards = [e["node"]["id"] for e in page["edges"]] + backwards
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert backwards == all_ids


def test_reingesting_the_same_text_is_a_no_op(gql: GraphQL, engine: sa.Engine) -> None:
    first, _ = _ingest_both(gql)
    before = row_counts(engine)
    again = gql.ok(INGEST, input=ingest_input(STORY, title="A different title"))["ingestArticle"]
    assert again["created"] is False
    assert again["article"]["id"] == first["article"]["id"]
    assert again["article"]["title"] == "Minister orders pier inquiry"
    assert row_counts(engine) == before


def test_speaker_lookup_nested_relations_and_node(gql: GraphQL) -> None:
    _ingest_both(gql)
    data = gql.ok(
        """
        query {
          speaker(name: "vasquez") {
            id name kind role aliases quoteCount
            quotes(first: 2) {
              totalCount edges { node { text article { title speakers { name } } } }
            }
          }
        }
        """
    )["speaker"]
    assert data["name"] == "Elena Vasquez"
    assert data["kind"] == "PERSON"
    # The surname a quote was attributed to ("..., Vasquez told reporters") is an alias too.
    assert {"Elena Vasquez", "Vasquez"} <= set(data["aliases"])
    assert data["quoteCount"] == data["quotes"]["totalCount"] >= 3
    assert len(data["quotes"]["edges"]) == 2
    for edge in data["quotes"]["edges"]:
        assert "Elena Vasquez" in [s["name"] for s in edge["node"]["article"]["speakers"]]
    node = gql.ok(
        "query($id: ID!) { node(id: $id) { id ... on Speaker { name } } }", id=data["id"]
    )["node"]
    assert node == {"id": data["id"], "name": "Elena Vasquez"}


def test_speakers_search_articles_and_claims(gql: GraphQL) -> None:
    first, _ = _ingest_both(gql)
    speakers = gql.ok('{ speakers(search: "vas", first: 5) { edges { node { name } } } }')
    assert [e["node"]["name"] for e in speakers["speakers"]["edges"]] == ["Elena Vasquez"]
    articles = gql.ok("{ articles(first: 5) { totalCount edges { node { title } } } }")["articles"]
    assert [e["node"]["title"] for e in articles["edges"]] == [
        "Pier inquiry hears evidence",
        "Minister orders pier inquiry",
    ]
    by_url = gql.ok(
        "query($url: String!) { article(url: $url) { id quotes { text } claims { text } } }",
        url="https://news.example/pier-inquiry",
    )["article"]
    assert by_url["id"] == first["article"]["id"]
    assert len(by_url["quotes"]) == len(first["quotes"])
    claims = gql.ok(
        """query($a: ID!) {
          claims(articleId: $a, first: 50) { edges { node { text score article { id } } } }
        }""",
        a=first["article"]["id"],
    )["claims"]
    assert len(claims["edges"]) == len(first["claims"])
    assert all(e["node"]["article"]["id"] == first["article"]["id"] for e in claims["edges"])


MIXED = (
    'Harbour Minister Elena Vasquez said the old pier was "a danger to every family in town" '
    "and would be rebuilt by May."
)


BY_KIND = """query($k: QuoteKind) {
  quotes(kind: $k, first: 100) { totalCount edges { node { id kind } } }
}"""


def test_quote_filters(gql: GraphQL) -> None:
    first, second = _ingest_both(gql)
    gql.ok(INGEST, input=ingest_input(MIXED, publishedAt="2025-03-01T08:00:00Z"))
    everything = gql.ok("{ quotes(first: 100) { totalCount edges { node { id kind } } } }")
    by_kind: dict[str, set[str]] = {}
    for edge in everything["quotes"]["edges"]:
        by_kind.setdefault(edge["node"]["kind"], set()).add(edge["node"]["id"])
    assert everything["quotes"]["totalCount"] == len(everything["quotes"]["edges"])
    for kind in ("DIRECT", "INDIRECT", "MIXED"):
        page = gql.ok(BY_KIND, k=kind)["quotes"]
        ids = {e["node"]["id"] for e in page["edges"]}
        # Every quote of the kind, and none of the others (each kind is present, so an empty
        # answer, or an unfiltered one, fails).
        assert ids and ids == by_kind.get(kind), kind
        assert {e["node"]["kind"] for e in page["edges"]} == {kind}
        assert page["totalCount"] == len(ids)
    recent = gql.ok(
        '{ quotes(since: "2025-03-05T00:00:00Z", first: 50) { edges { node { article { id } } } } }'
    )["quotes"]["edges"]
    assert recent and {e["node"]["article"]["id"] for e in recent} == {second["article"]["id"]}
    search = gql.ok('{ quotes(search: "CORRODED", first: 5) { edges { node { text } } } }')
    assert [e["node"]["text"] for e in search["quotes"]["edges"]] == [
        q["text"] for q in second["quotes"] if "corroded" in q["text"]
    ]
    by_article = gql.ok(
        "query($a: ID!) { quotes(articleId: $a, first: 50) { totalCount } }",
        a=first["article"]["id"],
    )
    assert by_article["quotes"]["totalCount"] == len(first["quotes"])


def test_delete_article_removes_its_quotes(gql: GraphQL, engine: sa.Engine) -> None:
    first, second = _ingest_both(gql)
    deleted = gql.ok(
        "mutation($id: ID!) { deleteArticle(id: $id) { deletedId } }", id=first["article"]["id"]
    )
    assert deleted["deleteArticle"]["deletedId"] == first["article"]["id"]
    counts = row_counts(engine)
    assert counts["article"] == 1
    assert counts["quote"] == len(second["quotes"])
    again = gql(
        "mutation($id: ID!) { deleteArticle(id: $id) { deletedId } }", id=first["article"]["id"]
    )
    assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_cors_allows_configured_origin_only(gql: GraphQL) -> None:
    allowed = gql.client.options(
        "/graphql",
        headers={"Origin": "https://frontend.example", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers.get("access-control-allow-origin") == "https://frontend.example"
    denied = gql.client.options(
        "/graphql",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in denied.headers


def test_playground_is_served_without_a_cdn(gql: GraphQL) -> None:
    page = gql.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert "unpkg.com" not in page.text
    # Every script and stylesheet is served here, byte for byte what the page's SRI expects.
    assets = re.findall(
        r'(?:src|href)="(/graphql-assets/[^"]+)"\s+integrity="(sha384-[^"]+)"', page.text
    )
    assert len(assets) == 7
    for path, integrity in assets:
        body = gql.client.get(path).content
        digest = "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()
        assert digest == integrity, path
    assert gql.client.get("/health").json() == {"status": "ok"}


def test_article_search_ignores_site_chrome(gql: GraphQL) -> None:
    story = STORY + "\n\nLeave a Reply\n\nYour email address will not be published.\n"
    gql.ok(INGEST, input=ingest_input(story, title="Pier"))
    found = gql.ok('{ articles(search: "inquiry") { totalCount } }')["articles"]
    assert found["totalCount"] == 1
    chrome = gql.ok('{ articles(search: "email address") { totalCount } }')["articles"]
    assert chrome["totalCount"] == 0


def test_default_app_extracts_in_a_separate_process(
    settings: Settings, engine: sa.Engine, api_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app's own pool runs the extraction; the submitted function also reports its pid.
    seen: list[tuple[int, set[int]]] = []

    def call(self: PooledExtractor, text: str) -> Any:
        pid, extraction = self.pool.submit(extract_with_pid, text).result()
        seen.append((pid, set(self.pool._processes)))
        return extraction

    monkeypatch.setattr(PooledExtractor, "__call__", call)
    with TestClient(create_app(settings, engine=engine)) as client:
        payload = GraphQL(client, api_key).ok(INGEST, input=ingest_input(STORY))
    quotes = payload["ingestArticle"]["quotes"]
    assert any(q["speaker"] and q["speaker"]["name"] == "Elena Vasquez" for q in quotes)
    assert len(seen) == 1
    pid, workers = seen[0]
    assert pid != os.getpid() and pid in workers


def test_an_institution_is_one_speaker_with_or_without_its_article(gql: GraphQL) -> None:
    first = gql.ok(
        INGEST,
        input=ingest_input(
            "The Harbour Authority of Lindmouth said on Monday that 40 berths would close."
        ),
    )["ingestArticle"]
    second = gql.ok(
        INGEST,
        input=ingest_input(
            "Fishers protested on Tuesday. But the Harbour Authority of Lindmouth said the "
            "closures would last only three weeks."
        ),
    )["ingestArticle"]
    names = {s["name"] for s in first["speakers"]} | {s["name"] for s in second["speakers"]}
    assert names == {"Harbour Authority of Lindmouth"}
    assert first["speakers"][0]["id"] == second["speakers"][0]["id"]
    page = gql.ok(QUOTES_BY_SPEAKER, speaker="the harbour authority of lindmouth", first=10)
    assert page["quotes"]["totalCount"] == 2


def test_each_articles_officials_are_its_own_speaker(gql: GraphQL) -> None:
    ids = []
    for text in (
        "Officials said on Monday that 40 berths in Lindmouth would close.",
        "Officials said on Friday that the Arlow bridge would reopen in May.",
    ):
        payload = gql.ok(INGEST, input=ingest_input(text))["ingestArticle"]
        assert [s["name"] for s in payload["speakers"]] == ["officials"]
        ids.append(payload["speakers"][0]["id"])
    assert ids[0] != ids[1]
    page = gql.ok(QUOTES_BY_SPEAKER, speaker="officials", first=10)
    assert page["quotes"]["totalCount"] == 2
    named = gql.ok(
        INGEST,
        input=ingest_input(
            "Mayor Ines Pardo said on Monday that 40 berths in Lindmouth would close."
        ),
    )["ingestArticle"]
    assert [s["name"] for s in named["speakers"]] == ["Ines Pardo"]
    listing = "query($named: Boolean) { speakers(named: $named) { edges { node { id name } } } }"
    by_name = {
        flag: sorted(e["node"]["id"] for e in gql.ok(listing, named=flag)["speakers"]["edges"])
        for flag in (True, False)
    }
    assert by_name[False] == sorted(ids)
    assert by_name[True] == [named["speakers"][0]["id"]]
