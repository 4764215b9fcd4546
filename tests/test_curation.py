"""Curation over HTTP on SQLite and PostgreSQL: roles, the six corrections, their audit trail,
and that no later ingest, re-extraction or archive import undoes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.db.engine import make_session
from app.db.migrations import upgrade
from app.services.keys import create_key
from app.services.reextract import reextract_article
from tests.conftest import GraphQL
from tests.helpers import FOLLOWUP, INGEST, STORY, ingest_input

SPEAKER = """query($id: ID, $name: String, $wikidataId: String) {
  speaker(id: $id, name: $name, wikidataId: $wikidataId) {
    id name role kind wikidataId aliases quoteCount
    quotes(first: 20) { totalCount nodes { id text start end } }
  }
}"""
QUOTE_NODE = """query($id: ID!) { node(id: $id) { ... on Quote {
  id text start end speaker { id name } claims { id claimant { name } }
  history { action actor actorKeyId before after subjectId }
} } }"""
MERGE = """mutation($into: ID!, $from: [ID!]!) {
  mergeSpeakers(into: $into, from: $from) { speaker { id name aliases quoteCount } mergedIds
  movedQuotes }
}"""
REATTRIBUTE = """mutation($quote: ID!, $speaker: ID) {
  reattributeQuote(quote: $quote, speaker: $speaker) { id speaker { id name } }
}"""
EDIT_QUOTE = """mutation($quote: ID!, $start: Int!, $end: Int!) {
  editQuote(quote: $quote, start: $start, end: $end) { id text start end article { text } }
}"""
HIDE = """mutation($quote: ID!, $not: Boolean!) {
  markNotAQuote(quote: $quote, notAQuote: $not) { quoteId notAQuote changed quote { id text } }
}"""
EDIT_SPEAKER = """mutation($speaker: ID!, $name: String, $role: String, $wikidataId: String) {
  editSpeaker(speaker: $speaker, name: $name, role: $role, wikidataId: $wikidataId) {
    id name role wikidataId aliases
  }
}"""
AUDIT = """query($since: DateTime, $actor: Int, $first: Int, $after: String) {
  auditLog(since: $since, actor: $actor, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id at action actor actorKeyId subjectType subjectId before after }
  }
}"""


def _code(body: dict[str, Any]) -> str:
    assert body.get("errors"), body
    assert "Traceback" not in str(body)
    return str(body["errors"][0]["extensions"]["code"])


def _key(engine: sa.Engine, role: str, name: str | None = None) -> tuple[int, str]:
    with make_session(engine) as session:
        key, plain = create_key(session, name or role, role=role)
    assert key.id is not None
    return key.id, plain


@pytest.fixture
def editor_key(engine: sa.Engine) -> tuple[int, str]:
    return _key(engine, "editor", "desk")


@pytest.fixture
def editor(client: TestClient, editor_key: tuple[int, str]) -> GraphQL:
    return GraphQL(client, editor_key[1])


def _ingest(gql: GraphQL, text: str, **extra: object) -> dict[str, Any]:
    payload: dict[str, Any] = gql.ok(INGEST, input=ingest_input(text, **extra))["ingestArticle"]
    return payload


def _speaker(gql: GraphQL, name: str) -> dict[str, Any]:
    speaker: dict[str, Any] = gql.ok(SPEAKER, name=name)["speaker"]
    return speaker


def _quote_of(story: dict[str, Any], speaker: str) -> dict[str, Any]:
    return next(q for q in story["quotes"] if q["speaker"] and q["speaker"]["name"] == speaker)


def _count(engine: sa.Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(sql)).scalar_one())


# --- roles -------------------------------------------------------------------------------------


def test_roles(client: TestClient, engine: sa.Engine) -> None:
    reader = GraphQL(client, _key(engine, "reader")[1])
    editor = GraphQL(client, _key(engine, "editor")[1])
    admin = GraphQL(client, _key(engine, "admin")[1])
    body = reader(INGEST, input=ingest_input(STORY))
    assert _code(body) == "FORBIDDEN"
    assert "editor role" in body["errors"][0]["message"]
    assert _count(engine, "SELECT count(*) FROM article") == 0
    story = _ingest(editor, STORY)
    vasquez = _quote_of(story, "Elena Vasquez")
    assert _code(reader(HIDE, quote=vasquez["id"], **{"not": True})) == "FORBIDDEN"
    delete = "mutation($id: ID!) { deleteArticle(id: $id) { deletedId } }"
    body = editor(delete, id=story["article"]["id"])
    assert _code(body) == "FORBIDDEN" and "admin role" in body["errors"][0]["message"]
    # A fragment on the mutation root is looked through too.
    spread = "mutation($id: ID!) { ...Gone } fragment Gone on Mutation { deleteArticle(id: $id) { deletedId } }"  # noqa: E501
    assert _code(editor(spread, id=story["article"]["id"])) == "FORBIDDEN"
    assert admin.ok(delete, id=story["article"]["id"])["deleteArticle"]["deletedId"]
    assert _code(GraphQL(client)(HIDE, quote=vasquez["id"], **{"not": True})) == "UNAUTHENTICATED"


def test_keys_cli_roles(database_url: str, client: TestClient) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": database_url}
    made = runner.invoke(cli, ["keys", "create", "night desk", "--role", "reader"], env=env)
    assert made.exit_code == 0, made.output
    reader = GraphQL(client, made.stdout.strip())
    assert _code(reader(INGEST, input=ingest_input(STORY))) == "FORBIDDEN"
    default = runner.invoke(cli, ["keys", "create", "desk"], env=env)
    assert GraphQL(client, default.stdout.strip()).ok(INGEST, input=ingest_input(STORY))
    listing = runner.invoke(cli, ["keys", "list"], env=env).stdout
    assert "night desk\treader" in listing and "desk\teditor" in listing
    wrong = runner.invoke(cli, ["keys", "create", "boss", "--role", "owner"], env=env)
    assert wrong.exit_code != 0 and "not a role" in wrong.output


def test_keys_made_before_roles_become_admins(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0008")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO api_key (name, prefix, secret_hash, created_at) "
                "VALUES ('old', 'abcd1234', 'x', '2026-01-01 00:00:00')"
            )
        )
    upgrade(url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT role FROM api_key")).scalar_one() == "admin"
    engine.dispose()


def test_private_reads_accept_a_reader(
    settings: Any, engine: sa.Engine, extractor: Callable[[str], Any]
) -> None:
    from app.main import create_app

    private = settings.model_copy(update={"public_reads": False})
    with TestClient(create_app(private, engine=engine, extractor=extractor)) as client:
        reader = GraphQL(client, _key(engine, "reader")[1])
        assert reader.ok("{ quotes { totalCount } }")["quotes"]["totalCount"] == 0
        assert reader.ok("{ auditLog { totalCount } }")["auditLog"]["totalCount"] == 0
        assert _code(GraphQL(client)("{ auditLog { totalCount } }")) == "UNAUTHENTICATED"


# --- the corrections ---------------------------------------------------------------------------


def test_merge_speakers(
    editor: GraphQL, editor_key: tuple[int, str], engine: sa.Engine, anonymous: GraphQL
) -> None:
    _ingest(editor, STORY)
    _ingest(editor, FOLLOWUP)
    vasquez, reddick = _speaker(editor, "Elena Vasquez"), _speaker(editor, "Tom Reddick")
    quotes_before = _count(engine, "SELECT count(*) FROM quote")
    claims = """query($id: ID!) { speaker(id: $id) { claims(reviewed: true) { nodes { id
        reviews { rating } } } } }"""
    (claim,) = editor.ok(
        "query($id: ID!) { speaker(id: $id) { claims(first: 1) { nodes { id } } } }",
        id=reddick["id"],
    )["speaker"]["claims"]["nodes"]
    editor.ok(
        """mutation($id: ID!) { reviewClaim(input: {claimId: $id, reviewer: "Check.example",
        rating: "Accurate"}) { id } }""",
        id=claim["id"],
    )
    merged = editor.ok(MERGE, into=vasquez["id"], **{"from": [reddick["id"]]})["mergeSpeakers"]
    # The claim moved with its fact-check.
    reviewed = editor.ok(claims, id=vasquez["id"])["speaker"]["claims"]["nodes"]
    assert reviewed == [{"id": claim["id"], "reviews": [{"rating": "Accurate"}]}]
    assert merged["speaker"]["id"] == vasquez["id"]
    assert merged["mergedIds"] == [reddick["id"]]
    assert merged["movedQuotes"] == reddick["quoteCount"] > 0
    assert merged["speaker"]["quoteCount"] == vasquez["quoteCount"] + reddick["quoteCount"]
    assert "Tom Reddick" in merged["speaker"]["aliases"]
    assert _count(engine, "SELECT count(*) FROM quote") == quotes_before  # nothing lost
    # The merged id and name still lead somewhere: to the survivor.
    for query, variables in (
        (SPEAKER, {"id": reddick["id"]}),
        (SPEAKER, {"name": "Tom Reddick"}),
    ):
        assert anonymous.ok(query, **variables)["speaker"]["id"] == vasquez["id"]
    node = anonymous.ok("query($id: ID!) { node(id: $id) { id } }", id=reddick["id"])
    assert node["node"]["id"] == vasquez["id"]
    moved = anonymous.ok(QUOTE_NODE, id=reddick["quotes"]["nodes"][0]["id"])["node"]
    assert moved["speaker"]["id"] == vasquez["id"]
    assert [h["action"] for h in moved["history"]] == ["mergeSpeakers"]
    entry = moved["history"][0]
    assert entry["actorKeyId"] == editor_key[0] and entry["actor"].startswith("desk (")
    assert entry["before"]["from"][0]["name"] == "Tom Reddick"
    assert entry["after"]["movedQuotes"] == reddick["quoteCount"]
    history = anonymous.ok(
        "query($id: ID!) { speaker(id: $id) { history { action subjectId } } }", id=vasquez["id"]
    )["speaker"]["history"]
    assert history == [{"action": "mergeSpeakers", "subjectId": vasquez["id"]}]
    # The same merge again, or the other way round: the first decision stands.
    body = editor(MERGE, into=vasquez["id"], **{"from": [reddick["id"]]})
    assert _code(body) == "CONFLICT" and "merged into" in body["errors"][0]["message"]
    assert _code(editor(MERGE, into=reddick["id"], **{"from": [vasquez["id"]]})) == "CONFLICT"
    assert _code(editor(MERGE, into=vasquez["id"], **{"from": [vasquez["id"]]})) == (
        "BAD_USER_INPUT"
    )
    # A new article naming the merged speaker joins the survivor, not a new speaker.
    _ingest(editor, STORY.replace("Monday", "Tuesday"))
    assert _speaker(editor, "Tom Reddick")["id"] == vasquez["id"]
    assert _count(engine, "SELECT count(*) FROM speaker WHERE name = 'Tom Reddick'") == 0


def test_split_speaker(editor: GraphQL, engine: sa.Engine) -> None:
    _ingest(editor, STORY)
    _ingest(editor, FOLLOWUP)
    vasquez = _speaker(editor, "Elena Vasquez")
    chosen = vasquez["quotes"]["nodes"][0]["id"]
    split = """mutation($speaker: ID!, $quotes: [ID!]!, $into: ID, $newName: String) {
      splitSpeaker(speaker: $speaker, quotes: $quotes, into: $into, newName: $newName) {
        source { id quoteCount } target { id name quoteCount }
      }
    }"""
    result = editor.ok(split, speaker=vasquez["id"], quotes=[chosen], newName="Elena Vasquez Sr")
    moved = result["splitSpeaker"]
    assert moved["target"]["name"] == "Elena Vasquez Sr" and moved["target"]["quoteCount"] == 1
    assert moved["source"]["quoteCount"] == vasquez["quoteCount"] - 1
    # The quote is no longer the source's: splitting it again from there is a conflict.
    assert (
        _code(editor(split, speaker=vasquez["id"], quotes=[chosen], into=moved["target"]["id"]))
        == "CONFLICT"
    )
    other = vasquez["quotes"]["nodes"][1]["id"]
    taken = editor(split, speaker=vasquez["id"], quotes=[other], newName="Tom Reddick")
    assert _code(taken) == "CONFLICT" and "exists already" in taken["errors"][0]["message"]
    back = editor.ok(split, speaker=moved["target"]["id"], quotes=[chosen], into=vasquez["id"])
    assert back["splitSpeaker"]["target"]["quoteCount"] == vasquez["quoteCount"]
    history = editor.ok(QUOTE_NODE, id=chosen)["node"]["history"]
    assert [h["action"] for h in history] == ["splitSpeaker", "splitSpeaker"]


def test_reattribute_quote_and_reingest(
    editor: GraphQL, engine: sa.Engine, client: TestClient
) -> None:
    admin = GraphQL(client, _key(engine, "admin")[1])
    story = _ingest(editor, STORY)
    quote = _quote_of(story, "Elena Vasquez")
    reddick = _speaker(editor, "Tom Reddick")
    done = editor.ok(REATTRIBUTE, quote=quote["id"], speaker=reddick["id"])["reattributeQuote"]
    assert done["speaker"]["name"] == "Tom Reddick"
    node = editor.ok(QUOTE_NODE, id=quote["id"])["node"]
    assert all(c["claimant"]["name"] == "Tom Reddick" for c in node["claims"])
    (entry,) = node["history"]
    assert entry["action"] == "reattributeQuote"
    assert entry["before"]["speakerId"] != entry["after"]["speakerId"]
    # Re-ingesting the same text changes nothing; deleting and ingesting it again re-applies.
    assert _ingest(editor, STORY)["created"] is False
    assert editor.ok(QUOTE_NODE, id=quote["id"])["node"]["speaker"]["name"] == "Tom Reddick"
    admin.ok(
        "mutation($id: ID!) { deleteArticle(id: $id) { deletedId } }", id=story["article"]["id"]
    )
    again = _ingest(editor, STORY)
    assert again["created"] is True
    same = next(q for q in again["quotes"] if q["start"] == quote["start"])
    assert same["speaker"]["name"] == "Tom Reddick"
    # Unattributed is a decision too.
    gone = editor.ok(REATTRIBUTE, quote=same["id"], speaker=None)["reattributeQuote"]
    assert gone["speaker"] is None


def test_edit_quote(editor: GraphQL, extractor: Callable[[str], Any], engine: sa.Engine) -> None:
    story = _ingest(editor, STORY)
    quote = _quote_of(story, "Elena Vasquez")
    length = len(story["article"]["text"])
    for start, end, field in (
        (-1, 10, "start"),
        (quote["start"], length + 1, "end"),
        (50, 50, "end"),
        (60, 40, "end"),
    ):
        body = editor(EDIT_QUOTE, quote=quote["id"], start=start, end=end)
        assert _code(body) == "BAD_USER_INPUT", (start, end)
        assert body["errors"][0]["extensions"]["field"] == field
        assert body["errors"][0]["message"].endswith(".")
    start, end = quote["start"] + 3, quote["end"]
    edited = editor.ok(EDIT_QUOTE, quote=quote["id"], start=start, end=end)["editQuote"]
    assert edited["text"] == edited["article"]["text"][start:end]
    assert (edited["start"], edited["end"]) == (start, end)
    search = editor.ok(
        "query($q: String!) { quotes(search: $q) { nodes { id text } } }", q="families"
    )["quotes"]["nodes"]
    assert [n["text"] for n in search if n["id"] == quote["id"]] == [edited["text"]]
    # Re-extracting with a new extractor version keeps the editor's span.
    with make_session(engine) as session:
        from app.graphql.ids import decode_global_id

        article_id = decode_global_id(story["article"]["id"])[1]
        result = reextract_article(
            session, article_id, lambda text: replace(extractor(text), extractor_version="9.9")
        )
    assert result.new_version == "9.9"
    quotes = editor.ok(
        "query($id: ID!) { article(id: $id) { extractorVersion quotes { text start end } } }",
        id=story["article"]["id"],
    )["article"]
    assert quotes["extractorVersion"] == "9.9"
    assert {"text": edited["text"], "start": start, "end": end} in quotes["quotes"]


def test_mark_not_a_quote(editor: GraphQL, engine: sa.Engine, anonymous: GraphQL) -> None:
    story = _ingest(editor, STORY)
    quote = next(q for q in story["quotes"] if "warnings" in q["text"])
    reddick = _speaker(editor, "Tom Reddick")
    claims = editor.ok(QUOTE_NODE, id=quote["id"])["node"]["claims"]
    total = anonymous.ok("{ quotes { totalCount } }")["quotes"]["totalCount"]
    hidden = editor.ok(HIDE, quote=quote["id"], **{"not": True})["markNotAQuote"]
    assert hidden == {"quoteId": quote["id"], "notAQuote": True, "changed": True, "quote": None}
    assert editor.ok(HIDE, quote=quote["id"], **{"not": True})["markNotAQuote"]["changed"] is False
    # Gone from every read: lists, counts, the article, search, node.
    assert anonymous.ok("{ quotes { totalCount } }")["quotes"]["totalCount"] == total - 1
    assert _speaker(anonymous, "Tom Reddick")["quoteCount"] == reddick["quoteCount"] - 1
    article = anonymous.ok(
        "query($id: ID!) { article(id: $id) { quotes { id } } }", id=story["article"]["id"]
    )["article"]
    assert quote["id"] not in [q["id"] for q in article["quotes"]]
    words = "warnings ministry ignored"
    found = anonymous.ok("query($q: String!) { searchQuotes(query: $q) { totalCount } }", q=words)
    assert found["searchQuotes"]["totalCount"] == 0
    assert anonymous.ok("query($id: ID!) { node(id: $id) { id } }", id=quote["id"])["node"] is None
    # Kept, and reversible with the same id and claims.
    assert _count(engine, "SELECT count(*) FROM hidden_quote") == 1
    assert _code(editor(REATTRIBUTE, quote=quote["id"], speaker=None)) == "CONFLICT"
    back = editor.ok(HIDE, quote=quote["id"], **{"not": False})["markNotAQuote"]
    assert back["quote"]["id"] == quote["id"] and back["changed"] is True
    node = anonymous.ok(QUOTE_NODE, id=quote["id"])["node"]
    assert node["claims"] == claims
    assert [h["action"] for h in node["history"]] == ["markNotAQuote", "restoreQuote"]
    found = anonymous.ok("query($q: String!) { searchQuotes(query: $q) { totalCount } }", q=words)
    assert found["searchQuotes"]["totalCount"] == 1


def test_not_a_quote_survives_reextraction_and_archive_import(
    editor: GraphQL,
    engine: sa.Engine,
    extractor: Callable[[str], Any],
    database_url: str,
    tmp_path: Path,
    client: TestClient,
) -> None:
    story = _ingest(editor, STORY)
    quote = _quote_of(story, "Tom Reddick")
    runner = CliRunner()
    env = {"DATABASE_URL": database_url}
    before = tmp_path / "before.jsonl"  # an archive made before the editor's decision
    exported = runner.invoke(
        cli, ["export", "--format", "archive", "--output", str(before)], env=env
    )
    assert exported.exit_code == 0, exported.output
    editor.ok(HIDE, quote=quote["id"], **{"not": True})
    vasquez = _speaker(editor, "Elena Vasquez")
    editor.ok(EDIT_SPEAKER, speaker=vasquez["id"], role="Former minister", wikidataId="Q1174")
    shown = _count(engine, "SELECT count(*) FROM quote")

    from app.graphql.ids import decode_global_id

    article_id = decode_global_id(story["article"]["id"])[1]
    with make_session(engine) as session:
        reextract_article(session, article_id, extractor)
    assert _count(engine, "SELECT count(*) FROM quote") == shown
    assert _count(engine, "SELECT count(*) FROM hidden_quote") == 1
    assert _speaker(editor, "Elena Vasquez")["role"] == "Former minister"

    # Importing the older archive changes nothing here (the article is stored) ...
    imported = runner.invoke(cli, ["import", str(before)], env=env)
    assert imported.exit_code == 0, imported.output
    assert _count(engine, "SELECT count(*) FROM quote") == shown
    # ... nor after the article was deleted: the decisions are put back on the import.
    admin = GraphQL(client, _key(engine, "admin")[1])
    admin.ok(
        "mutation($id: ID!) { deleteArticle(id: $id) { deletedId } }", id=story["article"]["id"]
    )
    imported = runner.invoke(cli, ["import", str(before)], env=env)
    assert imported.exit_code == 0, imported.output
    assert _count(engine, "SELECT count(*) FROM quote") == shown
    assert _count(engine, "SELECT count(*) FROM hidden_quote") == 1
    speaker = _speaker(editor, "Elena Vasquez")
    assert (speaker["role"], speaker["wikidataId"]) == ("Former minister", "Q1174")

    # An archive made now carries the decisions into another database.
    after = tmp_path / "after.jsonl"
    runner.invoke(cli, ["export", "--format", "archive", "--output", str(after)], env=env)
    other = f"sqlite:///{tmp_path}/other.db"
    upgrade(other)
    assert runner.invoke(cli, ["import", str(after)], env={"DATABASE_URL": other}).exit_code == 0
    copy = sa.create_engine(other)
    assert _count(copy, "SELECT count(*) FROM quote") == shown
    assert _count(copy, "SELECT count(*) FROM quote_curation WHERE not_a_quote") == 1
    with copy.connect() as connection:
        row = connection.execute(
            sa.text("SELECT role, wikidata_id FROM speaker WHERE name = 'Elena Vasquez'")
        ).one()
    assert tuple(row) == ("Former minister", "Q1174")
    copy.dispose()


def test_edit_speaker(editor: GraphQL, anonymous: GraphQL) -> None:
    _ingest(editor, STORY)
    vasquez = _speaker(editor, "Elena Vasquez")
    reddick = _speaker(editor, "Tom Reddick")
    for wrong in ("1174", "Q0", "Q12a", "P31", ""):
        body = editor(EDIT_SPEAKER, speaker=vasquez["id"], wikidataId=wrong)
        assert _code(body) == "BAD_USER_INPUT", wrong
        assert body["errors"][0]["extensions"]["field"] == "wikidataId"
    kind = "mutation($id: ID!) { editSpeaker(speaker: $id, kind: ORGANISATION) { kind role } }"
    assert editor.ok(kind, id=reddick["id"])["editSpeaker"]["kind"] == "ORGANISATION"
    assert _code(
        editor("mutation($id: ID!) { editSpeaker(speaker: $id) { id } }", id=reddick["id"])
    ) == ("BAD_USER_INPUT")
    edited = editor.ok(
        EDIT_SPEAKER, speaker=vasquez["id"], wikidataId="q1174", role="Minister of Ports"
    )["editSpeaker"]
    assert (edited["wikidataId"], edited["role"]) == ("Q1174", "Minister of Ports")
    found = anonymous.ok(SPEAKER, wikidataId="Q1174")["speaker"]
    assert found["id"] == vasquez["id"] and found["wikidataId"] == "Q1174"
    assert _code(anonymous(SPEAKER, wikidataId="Q999")) == "NOT_FOUND"
    assert _code(anonymous(SPEAKER, wikidataId="Q1174", name="x")) == "BAD_USER_INPUT"
    body = editor(EDIT_SPEAKER, speaker=reddick["id"], wikidataId="Q1174")
    assert _code(body) == "CONFLICT" and "merge" in body["errors"][0]["message"]
    assert _code(editor(EDIT_SPEAKER, speaker=reddick["id"], name="Elena Vasquez")) == "CONFLICT"
    # A later article giving another role does not overwrite the editor's.
    _ingest(editor, FOLLOWUP)
    assert _speaker(anonymous, "Elena Vasquez")["role"] == "Minister of Ports"
    renamed = editor.ok(EDIT_SPEAKER, speaker=vasquez["id"], name="Elena  Vasquez-Ruiz")
    assert renamed["editSpeaker"]["name"] == "Elena Vasquez-Ruiz"
    assert _speaker(anonymous, "Elena Vasquez")["id"] == vasquez["id"]
    cleared = editor.ok(EDIT_SPEAKER, speaker=vasquez["id"], wikidataId=None)["editSpeaker"]
    assert cleared["wikidataId"] is None and cleared["role"] == "Minister of Ports"
    history = anonymous.ok(
        "query($id: ID!) { speaker(id: $id) { history { action before after } } }",
        id=vasquez["id"],
    )["speaker"]["history"]
    assert [h["after"]["wikidataId"] for h in history] == ["Q1174", "Q1174", None]
    assert history[1]["before"]["name"] == "Elena Vasquez"


def test_audit_log_pages_and_filters(
    client: TestClient, engine: sa.Engine, editor: GraphQL, editor_key: tuple[int, str]
) -> None:
    other_id, other_key = _key(engine, "editor", "second desk")
    other = GraphQL(client, other_key)
    story = _ingest(editor, STORY)
    quotes = [q["id"] for q in story["quotes"]]
    for quote in quotes[:3]:
        editor.ok(REATTRIBUTE, quote=quote, speaker=None)
    other.ok(HIDE, quote=quotes[3], **{"not": True})
    page = editor.ok(AUDIT, first=2)["auditLog"]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"] is True
    rest = editor.ok(AUDIT, first=10, after=page["pageInfo"]["endCursor"])["auditLog"]
    entries = page["nodes"] + rest["nodes"]
    assert [e["action"] for e in entries] == ["reattributeQuote"] * 3 + ["markNotAQuote"]
    assert [int(e["id"]) for e in entries] == sorted(int(e["id"]) for e in entries)
    assert entries[-1]["actorKeyId"] == other_id and entries[-1]["subjectType"] == "Quote"
    mine = editor.ok(AUDIT, actor=editor_key[0])["auditLog"]
    assert mine["totalCount"] == 3
    since = editor.ok(AUDIT, since=entries[3]["at"])["auditLog"]["nodes"]
    assert entries[3]["id"] in [e["id"] for e in since]
    assert _code(editor(AUDIT, first=2, after="bogus")) == "BAD_USER_INPUT"
    # Append-only, and written with the change: one entry per change, none for refusals.
    editor(EDIT_QUOTE, quote=quotes[0], start=-5, end=3)
    assert _count(engine, "SELECT count(*) FROM audit_log") == 4


def test_curated_reads_are_fresh_through_cache_and_lean_path(
    client: TestClient, editor: GraphQL, anonymous: GraphQL
) -> None:
    story = _ingest(editor, STORY)
    quote = _quote_of(story, "Elena Vasquez")
    reddick = _speaker(editor, "Tom Reddick")
    listing = (
        "query($s: String) { quotes(speaker: $s) { totalCount nodes { id speaker { name } } } }"
    )
    reads = client.app.state.lean_reads  # type: ignore[attr-defined]
    first = anonymous.ok(listing, s="Tom Reddick")["quotes"]
    served = reads.served
    assert anonymous.ok(listing, s="Tom Reddick")["quotes"] == first  # from the cache
    editor.ok(REATTRIBUTE, quote=quote["id"], speaker=reddick["id"])
    after = anonymous.ok(listing, s="Tom Reddick")["quotes"]
    assert after["totalCount"] == first["totalCount"] + 1
    assert quote["id"] in [n["id"] for n in after["nodes"]]
    assert reads.served == served + 1  # answered fresh, on the lean path
    editor.ok(EDIT_SPEAKER, speaker=reddick["id"], wikidataId="Q42")
    served = reads.served
    fresh = anonymous.ok("{ speakers(first: 50) { nodes { name wikidataId } } }")
    assert {"name": "Tom Reddick", "wikidataId": "Q42"} in fresh["speakers"]["nodes"]
    assert reads.served == served + 1  # wikidataId is a plain field: the lean path serves it


def test_reextract_cli_keeps_decisions(
    editor: GraphQL, database_url: str, extractor: Callable[[str], Any]
) -> None:
    story = _ingest(editor, STORY)
    quote = _quote_of(story, "Elena Vasquez")
    reddick = _speaker(editor, "Tom Reddick")
    editor.ok(REATTRIBUTE, quote=quote["id"], speaker=reddick["id"])
    runner = CliRunner()
    env = {"DATABASE_URL": database_url}
    outdated = runner.invoke(cli, ["reextract", "--outdated"], env=env)
    assert outdated.exit_code == 0 and outdated.stdout == ""  # all made by this version
    done = runner.invoke(cli, ["reextract"], env=env)
    assert done.exit_code == 0, done.output
    assert "quotegraph-extract" in done.stdout and "quotes" in done.stdout
    article = editor.ok(
        "query($id: ID!) { article(id: $id) { quotes { start speaker { name } } } }",
        id=story["article"]["id"],
    )["article"]
    same = next(q for q in article["quotes"] if q["start"] == quote["start"])
    assert same["speaker"]["name"] == "Tom Reddick"
    assert runner.invoke(cli, ["reextract", "999"], env=env).exit_code == 1


def test_a_hidden_quote_follows_its_speaker_through_a_merge(editor: GraphQL) -> None:
    story = _ingest(editor, STORY)
    quote = next(q for q in story["quotes"] if "warnings" in q["text"])
    vasquez, reddick = _speaker(editor, "Elena Vasquez"), _speaker(editor, "Tom Reddick")
    editor.ok(HIDE, quote=quote["id"], **{"not": True})
    editor.ok(MERGE, into=vasquez["id"], **{"from": [reddick["id"]]})
    editor.ok(HIDE, quote=quote["id"], **{"not": False})
    node = editor.ok(QUOTE_NODE, id=quote["id"])["node"]
    assert node["speaker"]["id"] == vasquez["id"]
    assert [h["action"] for h in node["history"]] == ["markNotAQuote", "restoreQuote"]


def test_the_database_keeps_the_audit_log_append_only(editor: GraphQL, engine: sa.Engine) -> None:
    story = _ingest(editor, STORY)
    editor.ok(REATTRIBUTE, quote=story["quotes"][0]["id"], speaker=None)
    for statement in (
        "UPDATE audit_log SET action = 'nothing'",
        'UPDATE audit_log SET "after" = NULL',
        "DELETE FROM audit_log",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(sa.text(statement))
    assert _count(engine, "SELECT count(*) FROM audit_log WHERE action = 'reattributeQuote'") == 1
