"""Where curation meets the derived data, over HTTP on SQLite and PostgreSQL: editors' changes
keep each quote's fragments and quotation right, and `speakers(orderBy: QUOTE_COUNT_DESC)`
ranks by the kept counter. (The drift over random sequences of changes is
tests/services/test_counters.py::test_curation_keeps_counts_quotations_and_fragments.)"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.db.engine import make_session
from app.services.keys import create_key
from tests.conftest import GraphQL
from tests.helpers import INGEST, PIER_STORY, STORY, ingest_input

QUOTE = """query($id: ID!) { node(id: $id) { ... on Quote {
  id text start end speaker { name } fragments { text start end }
  quotation { id contentId occurrences text speaker { name } }
} } }"""
EDIT_QUOTE = """mutation($quote: ID!, $start: Int!, $end: Int!) {
  editQuote(quote: $quote, start: $start, end: $end) { id text }
}"""
HIDE = """mutation($quote: ID!, $not: Boolean!) {
  markNotAQuote(quote: $quote, notAQuote: $not) { changed }
}"""
REATTRIBUTE = """mutation($quote: ID!, $speaker: ID) {
  reattributeQuote(quote: $quote, speaker: $speaker) { id }
}"""
QUOTATIONS = """query($speaker: String) {
  quotations(speaker: $speaker, first: 20) { totalCount nodes { id text occurrences } }
}"""


def _editor(client: TestClient, engine: sa.Engine) -> GraphQL:
    with make_session(engine) as session:
        _, plain = create_key(session, "desk", role="editor")
    return GraphQL(client, plain)


def _ingest(gql: GraphQL, text: str) -> dict[str, Any]:
    found: dict[str, Any] = gql.ok(INGEST, input=ingest_input(text))["ingestArticle"]
    return found


def _quote(gql: GraphQL, quote_id: str) -> dict[str, Any]:
    node: dict[str, Any] = gql.ok(QUOTE, id=quote_id)["node"]
    return node


def test_edit_hide_and_restore_keep_fragments_and_quotation(
    client: TestClient, engine: sa.Engine
) -> None:
    editor = _editor(client, engine)
    story = _ingest(editor, PIER_STORY)
    text = story["article"]["text"]
    rebuild = next(q for q in story["quotes"] if q["text"].startswith("We will rebuild"))
    before = _quote(editor, rebuild["id"])
    assert len(before["fragments"]) == 2  # the cue interrupts it
    assert before["quotation"]["occurrences"] == 1

    # Hidden, then restored: the same fragments (they went with the row) and a quotation again.
    editor.ok(HIDE, quote=rebuild["id"], **{"not": True})
    quotations = editor.ok(QUOTATIONS, speaker="Vasquez")["quotations"]
    assert before["quotation"]["text"] not in [n["text"] for n in quotations["nodes"]]
    editor.ok(HIDE, quote=rebuild["id"], **{"not": False})
    restored = _quote(editor, rebuild["id"])
    assert restored["fragments"] == before["fragments"]
    assert restored["quotation"]["contentId"] == before["quotation"]["contentId"]
    assert restored["quotation"]["occurrences"] == 1

    # A new span is one fragment, the article's text between the offsets; the quotation (and
    # its content id, made from the words) follows the new words.
    start, end = before["fragments"][1]["start"], before["fragments"][1]["end"]
    editor.ok(EDIT_QUOTE, quote=rebuild["id"], start=start, end=end)
    edited = _quote(editor, rebuild["id"])
    assert edited["text"] == text[start:end] == "It will take two years."
    assert edited["fragments"] == [{"text": text[start:end], "start": start, "end": end}]
    assert edited["quotation"]["text"] == "It will take two years."
    assert edited["quotation"]["contentId"] != before["quotation"]["contentId"]
    texts = [n["text"] for n in editor.ok(QUOTATIONS, speaker="Vasquez")["quotations"]["nodes"]]
    assert before["quotation"]["text"] not in texts
    # Hidden and restored after the edit: the editor's span, not the extractor's fragments.
    editor.ok(HIDE, quote=rebuild["id"], **{"not": True})
    editor.ok(HIDE, quote=rebuild["id"], **{"not": False})
    assert _quote(editor, rebuild["id"])["fragments"] == edited["fragments"]


def test_a_reattributed_quote_moves_to_its_new_speakers_quotation(
    client: TestClient, engine: sa.Engine
) -> None:
    editor = _editor(client, engine)
    story = _ingest(editor, STORY)
    quote = next(q for q in story["quotes"] if q["speaker"] and q["speaker"]["name"] != "")
    old = _quote(editor, quote["id"])["quotation"]
    other = next(s for s in story["speakers"] if s["name"] != quote["speaker"]["name"])
    editor.ok(REATTRIBUTE, quote=quote["id"], speaker=other["id"])
    moved = _quote(editor, quote["id"])["quotation"]
    assert moved["speaker"]["name"] == other["name"]
    assert moved["contentId"] != old["contentId"]  # speaker + words
    # The old quotation, left empty, is gone.
    assert editor.ok("query($id: ID!) { node(id: $id) { id } }", id=old["id"])["node"] is None
    # To nobody: no quotation.
    editor.ok(REATTRIBUTE, quote=quote["id"], speaker=None)
    assert _quote(editor, quote["id"])["quotation"] is None


SPEAKERS = """query($first: Int, $after: String) {
  speakers(orderBy: QUOTE_COUNT_DESC, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor } nodes { id name quoteCount }
  }
}"""


def _ranked(gql: GraphQL, first: int) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = gql.ok(SPEAKERS, first=first, after=after)["speakers"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def test_speakers_by_quote_count_read_the_kept_counter(
    client: TestClient, engine: sa.Engine
) -> None:
    editor = _editor(client, engine)
    story = _ingest(editor, STORY)
    whole = _ranked(editor, 50)
    assert [n["quoteCount"] for n in whole] == [3, 2]  # Vasquez, then Reddick
    # Pages of one, after each cursor, give the same ranking.
    assert _ranked(editor, 1) == whole
    # Reattributions move a speaker up at once (the counter is kept in their transaction).
    top, last = whole
    given = [q for q in story["quotes"] if q["speaker"] and q["speaker"]["id"] == top["id"]]
    for quote in given[:2]:
        editor.ok(REATTRIBUTE, quote=quote["id"], speaker=last["id"])
    again = _ranked(editor, 1)
    assert [(n["id"], n["quoteCount"]) for n in again] == [(last["id"], 4), (top["id"], 1)]
    # The order is the counter's: a (deliberately wrong) counter row reorders the list.
    bottom = again[-1]
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE speaker_quote_count SET quotes = 1000 WHERE speaker_id = :id"),
            {"id": int(_row_id(bottom["id"]))},
        )
    assert _ranked(editor, 2)[0]["id"] == bottom["id"]


def _row_id(global_id: str) -> int:
    from app.graphql.ids import decode_global_id

    return decode_global_id(global_id)[1]
