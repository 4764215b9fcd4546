"""The GraphiQL playground in a real browser: it opens on the example query for the most quoted
speaker, runs it, and shows the result."""

from __future__ import annotations

from app.db.engine import make_engine, make_session
from app.services.showcase import most_quoted_speaker
from app.settings import Settings
from tests.browser.conftest import STORIES, Server, Tab


def test_the_playground_runs_its_example(tab: Tab, server: Server) -> None:
    engine = make_engine(Settings(DATABASE_URL=server.database_url))
    with make_session(engine) as session:
        speaker = most_quoted_speaker(session)
    engine.dispose()
    assert speaker == "Elena Vasquez"

    page = tab.page
    page.goto(f"{server.base}/graphql")
    editor = page.locator(".graphiql-query-editor")
    editor.wait_for()
    assert "query QuotesBySpeaker" in editor.inner_text()
    assert "Welcome to GraphiQL" not in page.content()
    variables = page.locator(".graphiql-editor-tool .graphiql-editor").first
    variables.wait_for()
    assert f'"speaker": "{speaker}"' in variables.inner_text()
    tab.shot("1-opened")

    page.locator(".graphiql-execute-button").click()
    result = page.locator(".result-window")
    page.wait_for_function(
        "() => (document.querySelector('.result-window')?.innerText || '').includes('totalCount')"
    )
    shown = result.inner_text()
    # Her quotes: 2 in each story (and 2 more once the live test has ingested one).
    count = server.query("query C($s: String) { quotes(speaker: $s) { totalCount } }", s=speaker)
    assert count["quotes"]["totalCount"] >= 2 * STORIES
    assert f'"totalCount": {count["quotes"]["totalCount"]}' in shown
    assert f'"name": "{speaker}"' in shown
    assert '"errors"' not in shown
    tab.shot("2-result")
    assert not tab.errors, tab.errors
