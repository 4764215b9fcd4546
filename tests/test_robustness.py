"""Hostile input, concurrent writers and failures: nothing half-written, nothing twice."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from app.db.engine import make_session
from app.extraction.types import ClaimSpan, Extraction
from app.main import create_app
from app.services.ingest import ArticleInput, ingest_article, prepare_article, store_article
from app.settings import Settings
from tests.conftest import GraphQL, assert_stored_once, row_counts
from tests.helpers import INGEST, STORY, ingest_input, numbered_story

HTML_PAGE = """<!DOCTYPE html><html><head><title>Pier inquiry opens</title>
<script>track("visit")</script><style>p { color: red }</style></head>
<body><nav>Home | World | Sport</nav><article><h1>Pier inquiry opens</h1>
<p>&ldquo;We owe the families a <em>full</em> account,&rdquo; Harbour Minister Elena Vasquez
said.</p>
<p>The pier was inspected in March.</p></article>
<footer><form>Leave a Reply <textarea></textarea></form></footer></body></html>"""


def _code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def test_html_page_is_stored_as_its_story_text(gql: GraphQL) -> None:
    payload = gql.ok(INGEST, input=ingest_input(HTML_PAGE))["ingestArticle"]
    article = payload["article"]
    assert article["title"] == "Pier inquiry opens"
    assert "<" not in article["text"] and "track(" not in article["text"]
    assert "Leave a Reply" not in article["text"] and "Home | World" not in article["text"]
    assert article["text"].startswith("\u201cWe owe the families a full account,\u201d")
    quote = payload["quotes"][0]
    assert quote["text"].startswith("We owe the families a full account")
    assert article["text"][quote["start"] : quote["end"]] == quote["text"]
    assert quote["speaker"]["name"] == "Elena Vasquez"


def test_control_characters_are_dropped_and_offsets_still_hold(gql: GraphQL) -> None:
    noisy = STORY.replace("Harbour", "Har\x07bour", 1).replace("\n", "\r\n")
    payload = gql.ok(INGEST, input=ingest_input(noisy))["ingestArticle"]
    text = payload["article"]["text"]
    assert "\x07" not in text and "\r" not in text
    for quote in payload["quotes"]:
        for fragment in quote["fragments"]:
            assert text[fragment["start"] : fragment["end"]] == fragment["text"]
        assert " \u2026 ".join(f["text"] for f in quote["fragments"]) == quote["text"]


def test_lone_surrogates_are_refused(client: Any, api_key: str, engine: sa.Engine) -> None:
    before = row_counts(engine)
    variables = '{"input": {"text": "bad \\ud800 text"}}'  # JSON allows this escape; UTF-8 not
    raw = f'{{"query": {json.dumps(INGEST)}, "variables": {variables}}}'
    response = client.post(
        "/graphql",
        content=raw.encode(),
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    assert _code(response.json()) == "BAD_USER_INPUT"
    assert row_counts(engine) == before


def test_concurrent_ingests_share_speakers_without_duplicates(
    engine: sa.Engine, extractor: Callable[[str], Extraction]
) -> None:
    extractions = {n: extractor(numbered_story(n)) for n in range(12)}

    def ingest(number: int) -> int:
        with make_session(engine) as session:
            prepared = prepare_article(ArticleInput(text=numbered_story(number)), max_chars=100_000)
            return store_article(session, prepared, extractions[number]).article_id

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(ingest, [n % 12 for n in range(24)]))  # every article twice
    assert len(set(ids)) == 12
    with engine.connect() as connection:
        speakers = connection.execute(
            sa.text("SELECT name_key, count(*) FROM speaker GROUP BY name_key")
        ).all()
        aliases = connection.execute(
            sa.text("SELECT speaker_id, alias_key, count(*) FROM speaker_alias GROUP BY 1, 2")
        ).all()
        quotes = connection.execute(sa.text("SELECT count(*) FROM quote")).scalar_one()
    assert dict((k, n) for k, n in speakers)["elena vasquez"] == 1
    assert all(n == 1 for _, _, n in aliases)
    assert quotes == sum(len(e.quotes) for e in extractions.values())


def test_the_same_article_sent_at_once_over_http_is_stored_once(
    settings: Settings, engine: sa.Engine, api_key: str, extractor: Callable[[str], Extraction]
) -> None:
    app = create_app(settings, engine=engine, extractor=extractor)

    async def send_all() -> list[dict[str, Any]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            requests = [
                client.post(
                    "/graphql",
                    json={"query": INGEST, "variables": {"input": ingest_input(text)}},
                    headers={"Authorization": f"Bearer {api_key}"},
                )
                for text in [STORY] * 6 + [numbered_story(n) for n in range(6)]
            ]
            return [r.json() for r in await asyncio.gather(*requests)]

    bodies = asyncio.run(send_all())
    assert all("errors" not in b for b in bodies), [b.get("errors") for b in bodies]
    story_ids = {b["data"]["ingestArticle"]["article"]["id"] for b in bodies[:6]}
    assert len(story_ids) == 1
    assert sum(b["data"]["ingestArticle"]["created"] for b in bodies[:6]) == 1
    assert row_counts(engine)["article"] == 7


def test_failure_in_the_middle_leaves_nothing(
    engine: sa.Engine, extractor: Callable[[str], Extraction]
) -> None:
    good = extractor(STORY)
    assert good.quotes
    # A claim pointing at a quote that does not exist fails after the article, speakers and
    # quotes have been written inside the transaction.
    broken = dataclasses.replace(
        good, claims=(*good.claims, ClaimSpan(text="x", start=0, end=1, score=0.5, quote=999))
    )
    before = row_counts(engine)
    with make_session(engine) as session, pytest.raises(IndexError):
        store_article(session, prepare_article(ArticleInput(text=STORY), max_chars=10**6), broken)
    assert row_counts(engine) == before
    with make_session(engine) as session:
        ingest_article(session, ArticleInput(text=STORY), extractor, max_chars=10**6)
    assert row_counts(engine)["quote"] == len(good.quotes)


def test_bulk_ingest_killed_then_rerun_completes_without_duplicates(
    database_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"text": numbered_story(n), "title": f"Day {n}"}) + "\n" for n in range(60)
        ),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "app.cli", "ingest", str(corpus), "--batch-size", "4"]
    env = {**os.environ, "DATABASE_URL": database_url}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and row_counts(engine)["article"] < 8:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = row_counts(engine)["article"]
    assert 0 < stored < 60, "the kill should land mid-run"

    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert f"{60 - stored} stored, {stored} already stored, 0 failed" in finished.stdout
    assert_stored_once(engine, 60)


def test_an_article_not_in_english_is_refused_with_a_reason(
    gql: GraphQL, engine: sa.Engine
) -> None:
    before = row_counts(engine)
    french = (
        "Le maire de Lindmouth a déclaré mardi que la ville ne reculerait pas. « Nous ne "
        "céderons rien », a-t-il affirmé devant les conseillers, alors que la fermeture du port "
        "suscite une forte opposition et que les pêcheurs appellent à une nouvelle journée de "
        "grève jeudi."
    )
    body = gql(INGEST, input=ingest_input(french))
    assert _code(body) == "BAD_USER_INPUT"
    assert "English" in body["errors"][0]["message"]
    assert row_counts(engine) == before
    english = gql.ok(INGEST, input=ingest_input(STORY))["ingestArticle"]
    assert english["created"] is True
