"""The quote explorer's server side: its page and files, its operations (valid, and answered
by the API for real ids), and the playground's opening example (tests/browser drives both)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from graphql import parse, validate

from app.db.engine import make_session
from app.explorer import OPERATIONS, explorer_operations, explorer_version, split_operations
from app.graphql.persisted import PersistedQueries, load_manifest, sha256_hex
from app.graphql.schema import build_schema
from app.playground import EXAMPLE_QUERY, FALLBACK_SPEAKER, with_example
from app.services.showcase import most_quoted_speaker
from app.settings import Settings
from tests.conftest import GraphQL
from tests.helpers import INGEST, numbered_story

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE = json.loads((EXAMPLES / "articles.jsonl").read_text().splitlines()[0])


def ingest_example(gql: GraphQL) -> dict[str, Any]:
    article = {
        "text": EXAMPLE["text"],
        "title": EXAMPLE["title"],
        "source": EXAMPLE["source"],
        "publishedAt": EXAMPLE["published_at"],
    }
    payload: dict[str, Any] = gql.ok(INGEST, input=article)["ingestArticle"]
    return payload


def playground(client: TestClient) -> str:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.text


def example_variables(page: str) -> dict[str, Any]:
    match = re.search(r"const EXAMPLE_VARIABLES = (\".*?\");\n", page)
    assert match, "the playground page has no example variables"
    variables: dict[str, Any] = json.loads(json.loads(match.group(1)))
    return variables


def test_the_explorer_page_and_its_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    version = explorer_version()
    assert 'role="combobox"' in page.text and f'src="/explorer/{version}/app.js"' in page.text
    for name in ("app.js", "api.js", "views.js", "explorer.css", "operations.graphql"):
        assert client.get(f"/explorer/{name}").status_code == 200, name
    assert client.get("/explorer/app.js").headers["content-type"].startswith("text/javascript")
    # Nothing the page loads comes from elsewhere.
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)
    # Every module imported statically is preloaded by the page, so none waits for its
    # importer to arrive first.
    preloaded = set(
        re.findall(rf'rel="modulepreload" href="/explorer/{version}/([\w.]+)"', page.text)
    )
    imported = {
        name
        for module in OPERATIONS.parent.glob("*.js")
        for name in re.findall(r'^import .* from "\./([\w.]+)";', module.read_text(), re.M)
    }
    assert imported and imported <= preloaded
    # The stylesheet and the operations come inline: the first paint waits for no request.
    assert "<style>" in page.text and "explorer.css" not in page.text
    assert "query SpeakerPage(" in page.text
    again = client.get("/", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == "no-cache"
    # Modules at the page's (versioned) addresses are kept for good; elsewhere revalidated.
    assert client.get(f"/explorer/{version}/api.js").headers["cache-control"].endswith("immutable")
    assert client.get("/explorer/api.js").headers["cache-control"] == "no-cache"
    older = client.get("/explorer/v-000000000000/api.js")
    assert older.status_code == 200 and older.headers["cache-control"] == "no-cache"
    assert client.get(f"/explorer/{version}/../../app/main.py").status_code == 404
    missing = client.get("/explorer/nothing-here.js")
    assert missing.status_code == 404 and missing.json()["errors"][0]["extensions"]["code"]


def test_operations_are_split_exactly_and_validate_against_the_schema() -> None:
    operations = explorer_operations()
    assert set(operations) == {
        "SpeakerSearch",
        "Latest",
        "SpeakerPage",
        "SpeakerQuotes",
        "QuotePage",
        "ArticlePage",
        "SpeakerTimeline",
        "QuoteAdded",
    }
    schema = build_schema(Settings(DATABASE_URL="sqlite://"))._schema
    for name, text in operations.items():
        kind = "subscription" if name == "QuoteAdded" else "query"
        assert text.startswith(f"{kind} {name}") and text.endswith("}"), name
        assert "\n#" not in text, f"{name} carries the next operation's comment"
        document = parse(text)
        assert [d.name.value for d in document.definitions] == [name]  # type: ignore[attr-defined]
        assert validate(schema, document) == [], name
    # The texts together are the whole file, less comments and blank lines between them.
    source = OPERATIONS.read_text(encoding="utf-8")
    assert all(text in source for text in operations.values())
    assert split_operations("# c\nquery A {\n  a\n}\n\n# about B\nquery B { b }\n") == {
        "A": "query A {\n  a\n}",
        "B": "query B { b }",
    }


def test_every_operation_answers_for_real_ids(gql: GraphQL, anonymous: GraphQL) -> None:
    stored = ingest_example(gql)
    operations = explorer_operations()
    quote = next(q for q in stored["quotes"] if q["speaker"])
    speaker_id = quote["speaker"]["id"]

    def run(name: str, **variables: Any) -> dict[str, Any]:
        body = anonymous.client.post(
            "/graphql",
            json={"query": operations[name], "operationName": name, "variables": variables},
        ).json()
        assert not body.get("errors"), (name, body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    found = run("SpeakerSearch", search="blin")["speakers"]["nodes"]
    assert [s["name"] for s in found] == ["Antony Blinken"]
    latest = run("Latest")
    assert len(latest["quotes"]["nodes"]) == min(10, len(stored["quotes"]))
    assert latest["articles"]["nodes"][0]["id"] == stored["article"]["id"]

    page = run("SpeakerPage", id=speaker_id, first=1)["speaker"]
    assert page["quotes"]["nodes"] and "totalCount" not in page["recent"]
    counted = run("SpeakerPage", id=speaker_id, filtered=True)["speaker"]
    assert counted["recent"]["totalCount"] == page["quoteCount"] == len(counted["recent"]["nodes"])
    if page["quotes"]["pageInfo"]["hasNextPage"]:
        more = run("SpeakerQuotes", id=speaker_id, after=page["quotes"]["pageInfo"]["endCursor"])
        assert len(more["quotes"]["nodes"]) == page["quoteCount"] - 1
    direct = run("SpeakerPage", id=speaker_id, kind="DIRECT")["speaker"]
    assert all(q["kind"] == "DIRECT" for q in direct["quotes"]["nodes"])
    after = run("SpeakerPage", id=speaker_id, since="2024-02-09T00:00:00Z", filtered=True)
    after = after["speaker"]
    assert after["quotes"]["nodes"] == [] and after["recent"]["totalCount"] == 0

    weeks = run("SpeakerTimeline", id=speaker_id, since="2023-03-06T00:00:00Z")["timeline"]
    assert weeks[0]["start"].startswith("2023-03-06")  # from the week of `since`
    assert sum(week["quotes"] for week in weeks) == page["quoteCount"]
    assert all(isinstance(other["articles"], int) for other in page["coQuoted"])

    shown = run("QuotePage", id=quote["id"])["node"]
    assert shown["__typename"] == "Quote"
    text = shown["article"]["text"]
    assert text[shown["start"] : shown["end"]] == shown["text"] == quote["text"]
    for fragment in shown["fragments"]:
        assert text[fragment["start"] : fragment["end"]] == fragment["text"]
    assert text[shown["speakerStart"] : shown["speakerEnd"]] == shown["speakerMention"]

    article = run("ArticlePage", id=stored["article"]["id"])["article"]
    assert {s["id"] for s in article["speakers"]} == {s["id"] for s in stored["speakers"]}
    assert [q["id"] for q in article["quotes"]] == [q["id"] for q in stored["quotes"]]
    assert len(article["claims"]) == len(stored["claims"])


def test_persisted_only_mode_runs_every_operation_as_the_explorer_sends_it() -> None:
    """The explorer sends each operation as operations.graphql writes it (not as GraphQL's
    printer would): those texts are registered too, so persisted-only mode serves it; the
    operations listed for clients stay the printed ones."""
    queries = PersistedQueries(load_manifest(OPERATIONS), persisted_only=True)
    for name, text in explorer_operations().items():
        assert queries.allows(text), name
        assert queries.lookup(sha256_hex(text)) == text, name
    assert not queries.allows("{ quotes { totalCount } }")
    listed = json.loads(queries.manifest_json())
    assert set(listed) == set(explorer_operations())
    assert all(entry["sha256"] == sha256_hex(entry["query"]) for entry in listed.values())


def test_most_quoted_speaker_skips_descriptions_and_follows_writes(
    gql: GraphQL, engine: sa.Engine
) -> None:
    with make_session(engine) as session:
        assert most_quoted_speaker(session) is None
    ingest_example(gql)
    with make_session(engine) as session:
        first = most_quoted_speaker(session)
    # Three quotes (speech) each for Netanyahu and Blinken in the sample: the speaker stored
    # first wins the tie; Netanyahu's stance ("rejection of ...", belief) opens the article.
    assert first == "Benjamin Netanyahu"
    for number in range(3):  # two quotes each
        gql.ok(INGEST, input={"text": numbered_story(number)})
    with make_session(engine) as session:
        assert most_quoted_speaker(session) == "Elena Vasquez"


def test_the_playground_opens_on_quotes_by_a_speaker_that_exists(
    client: TestClient, gql: GraphQL, anonymous: GraphQL
) -> None:
    empty = playground(client)
    assert "Welcome to GraphiQL" not in empty
    assert "query QuotesBySpeaker" in empty
    assert example_variables(empty)["speaker"] == FALLBACK_SPEAKER

    ingest_example(gql)
    page = playground(client)
    variables = example_variables(page)
    assert variables["speaker"] == "Benjamin Netanyahu"
    # The example runs as the page shows it, and finds the speech quotes that were counted.
    data = anonymous.ok(EXAMPLE_QUERY, **variables)["quotes"]
    assert data["totalCount"] == 3
    assert {e["node"]["speaker"]["name"] for e in data["edges"]} == {"Benjamin Netanyahu"}

    for number in range(2):  # a write moves the write stamp: the example follows
        gql.ok(INGEST, input={"text": numbered_story(number)})
    assert example_variables(playground(client))["speaker"] == "Elena Vasquez"


def test_the_example_is_safe_inside_the_page_script() -> None:
    html = (
        "<script>const EXAMPLE_QUERY = `# Welcome`;\nuseState(\n parameters.variables,\n)</script>"
    )
    page = with_example(html, "</script><b>Mallory")
    assert "</script><b>" not in page
    assert page.count("</script>") == 1
    assert "parameters.variables || EXAMPLE_VARIABLES," in page
