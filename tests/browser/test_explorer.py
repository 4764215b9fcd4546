"""The quote explorer in a real browser: typeahead, speaker, quote and article pages, keyboard
use, deep links, a phone's width; screenshots of each page in test-output/browser/."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.browser.conftest import STORIES, Server, Tab, new_tab, story

PHONE = {"width": 390, "height": 844}


def speaker_id(server: Server, search: str) -> str:
    [found] = server.graphql("SpeakerSearch", search=search)["speakers"]["nodes"]
    identifier: str = found["id"]
    return identifier


def focused(tab: Tab) -> dict[str, Any]:
    info: dict[str, Any] = tab.page.evaluate(
        "() => ({tag: document.activeElement.tagName, id: document.activeElement.id,"
        " text: document.activeElement.textContent.trim(),"
        " className: document.activeElement.className})"
    )
    return info


def test_typeahead_speaker_quote_and_article(tab: Tab, server: Server) -> None:
    page = tab.page
    tab.open("/")
    assert page.title() == "quotegraph explorer"
    assert page.locator("h1").inner_text() == "Who said what in the news"
    assert page.locator(".quote-item").count() == 10
    tab.shot("1-home")

    page.locator("#speaker-input").press_sequentially("Bli", delay=40)
    option = page.get_by_role("option", name="Antony Blinken")
    option.wait_for()
    assert page.locator("#speaker-input").get_attribute("aria-expanded") == "true"
    tab.shot("2-typeahead")
    option.click()
    tab.rendered("/speaker/")
    assert page.locator("h1").inner_text() == "Antony Blinken"
    speaker = server.graphql("SpeakerPage", id=speaker_id(server, "blinken"))["speaker"]
    shown = page.locator("#speaker-quotes .quote-link").all_inner_texts()
    assert len(shown) == speaker["quoteCount"] == 3
    for text, quote in zip(shown, speaker["quotes"]["nodes"], strict=True):
        # Direct quotes in quotation marks, reported speech as written.
        assert text == (f"“{quote['text']}”" if quote["kind"] == "DIRECT" else quote["text"])
    assert "Blinken" in page.locator("dl.facts").inner_text()  # the alias
    # Who is quoted in the same articles, as the API ranks them.
    assert speaker["coQuoted"]
    together = page.get_by_role("region", name="Quoted with").locator("li").all_inner_texts()
    assert [item.split(" in ")[0] for item in together] == [
        other["speaker"]["name"] for other in speaker["coQuoted"]
    ]
    tab.shot("3-speaker")

    # Every quote of the speaker: the marked text is exactly the stored slice.
    for index in range(len(shown)):
        page.locator("#speaker-quotes .quote-link").nth(index).click()
        tab.rendered("/quote/")
        quote_id = page.evaluate("() => decodeURIComponent(location.hash.split('/')[2])")
        quote = server.graphql("QuotePage", id=quote_id)["node"]
        text = quote["article"]["text"]
        assert tab.marked("quote") == text[quote["start"] : quote["end"]] == quote["text"]
        assert tab.marked("speaker") == text[quote["speakerStart"] : quote["speakerEnd"]]
        assert tab.marked("cue") == text[quote["cueStart"] : quote["cueEnd"]] == quote["cue"]
        # The whole article is there, unchanged, around the marks (less the screen-reader
        # notes where the quote starts and ends).
        article = page.eval_on_selector(
            "#article-text",
            "box => [...box.childNodes].filter(n => !n.classList?.contains('sr-only'))"
            ".map(n => n.textContent).join('')",
        )
        assert article == text
        assert page.locator("dl.facts").inner_text().count(quote["cue"]) >= 1
        assert f"{round(quote['confidence'] * 100)}%" in page.locator("dl.facts").inner_text()
        if index == 0:
            mark_box = page.locator("#article-text mark.mark-quote").first.bounding_box()
            text_box = page.locator("#article-text").bounding_box()
            assert mark_box and text_box and mark_box["y"] < text_box["y"] + text_box["height"]
            tab.shot("4-quote")
        page.go_back()
        tab.rendered("/speaker/")

    page.locator("#speaker-quotes .meta a[href^='#/article/']").first.click()
    tab.rendered("/article/")
    article = server.graphql("ArticlePage", id=page.evaluate("() => location.hash.split('/')[2]"))
    article = article["article"]
    assert page.locator("h1").inner_text() == article["title"]
    assert page.locator("ul.speakers li").count() == len(article["speakers"])
    assert page.locator("ol.quotes li").count() == len(article["quotes"])
    assert page.locator("ol.claims > li").count() == len(article["claims"])
    tab.shot("5-article")
    tab.check_operations()


def test_keyboard_only(tab: Tab, server: Server) -> None:
    page, keyboard = tab.page, tab.page.keyboard
    tab.open("/")
    keyboard.press("/")  # jumps to the search
    assert focused(tab)["id"] == "speaker-input"
    keyboard.type("vasq", delay=40)
    page.get_by_role("option").first.wait_for()
    combo = page.locator("#speaker-input")
    assert combo.get_attribute("aria-expanded") == "true"
    assert combo.get_attribute("aria-activedescendant") is None
    keyboard.press("ArrowDown")
    assert combo.get_attribute("aria-activedescendant") == "speaker-option-0"
    assert page.locator("#speaker-option-0").get_attribute("aria-selected") == "true"
    keyboard.press("Escape")
    assert combo.get_attribute("aria-expanded") == "false"
    assert page.locator("#speaker-options").is_hidden()
    keyboard.press("ArrowDown")  # opens again
    assert combo.get_attribute("aria-expanded") == "true"
    tab.shot("1-typeahead")
    keyboard.press("Enter")
    tab.rendered("/speaker/")
    # Focus moved to the new page's heading, so a screen reader announces it.
    heading = focused(tab)
    assert (heading["tag"], heading["text"]) == ("H1", "Elena Vasquez")

    # Tab through to the first quote and open it with Enter.
    for _ in range(40):
        keyboard.press("Tab")
        if "quote-link" in focused(tab)["className"]:
            break
    else:
        pytest.fail("Tab never reached a quote")
    keyboard.press("Enter")
    tab.rendered("/quote/")
    assert focused(tab)["tag"] == "H1"
    tab.shot("2-quote")
    page.go_back()
    tab.rendered("/speaker/")

    # Load more by keyboard: focus lands on the first of the new quotes.
    for _ in range(80):
        keyboard.press("Tab")
        if focused(tab)["text"] == "Load more quotes":
            break
    else:
        pytest.fail("Tab never reached the load-more button")
    keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#speaker-quotes li').length > 20")
    items = page.locator("#speaker-quotes .quote-link")
    assert items.count() == 40
    assert focused(tab)["text"] == items.nth(20).inner_text()
    tab.check_operations()


def test_load_more_filters_and_chart(tab: Tab, server: Server) -> None:
    page = tab.page
    vasquez = speaker_id(server, "vasquez")
    tab.open(f"/#/speaker/{vasquez}")
    items = page.locator("#speaker-quotes .quote-item")
    assert items.count() == 20
    # The chart counts the latest quotes by week: 25 stories, three days apart.
    bars = page.eval_on_selector_all(
        ".chart rect", "rects => rects.map(r => r.querySelector('title').textContent)"
    )
    assert sum(int(title.rsplit(": ", 1)[1]) for title in bars) == 2 * STORIES
    assert len([title for title in bars if not title.endswith(": 0")]) >= 10
    tab.shot("1-speaker")

    more = page.get_by_role("button", name="Load more quotes")
    while more.is_visible():
        more.click()
        page.wait_for_function("() => !document.querySelector('button.more').disabled")
    assert items.count() == 2 * STORIES
    shown = page.locator("#speaker-quotes .quote-item time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert shown == sorted(shown, reverse=True)  # newest first, across pages
    assert f"Showing {2 * STORIES} of {2 * STORIES}" in page.get_by_role("status").last.inner_text()

    # Filters: kind and dates, as the API counts them.
    page.get_by_label("Kind", exact=True).select_option("DIRECT")
    page.get_by_label("From", exact=True).fill("2024-01-10")
    page.get_by_label("To", exact=True).fill("2024-02-10")
    page.get_by_role("button", name="Apply").click()
    tab.rendered("/speaker/")
    assert "kind=DIRECT" in page.url and "since=2024-01-10" in page.url
    expected = server.graphql(
        "SpeakerPage",
        id=vasquez,
        kind="DIRECT",
        since="2024-01-10T00:00:00Z",
        until="2024-02-11T00:00:00Z",
        filtered=True,
    )["speaker"]["recent"]["totalCount"]
    assert 0 < expected < 2 * STORIES
    kinds = page.locator("#speaker-quotes .kind").all_inner_texts()
    assert len(kinds) == min(expected, 20) and set(kinds) == {"direct"}
    days = page.locator("#speaker-quotes time").all_inner_texts()
    assert all("2024-01-10" <= day <= "2024-02-10" for day in days)
    assert (
        page.get_by_label("Kind", exact=True).input_value() == "DIRECT"
    )  # the form shows the filters
    tab.shot("2-filtered")
    page.get_by_role("link", name="Clear filters").click()
    tab.rendered("/speaker/")
    assert items.count() == 20
    tab.check_operations()


def test_deep_links_and_missing_pages(tab: Tab, server: Server) -> None:
    page = tab.page
    latest = server.graphql("Latest")["quotes"]["nodes"][0]
    tab.open(f"/#/quote/{latest['id']}")  # straight from a shared link
    assert tab.marked("quote") == latest["text"]
    page.reload()
    tab.rendered("/quote/")
    assert tab.marked("quote") == latest["text"]

    tab.open("/#/nowhere")
    assert page.locator("h1").inner_text() == "Not found"
    for route in ("/#/quote/bm90IGEgcmVhbCBpZA", f"/#/quote/{latest['speaker']['id']}"):
        tab.open(route)  # not an id; an id, but of a speaker
        assert page.locator("h1").inner_text() == "Not found"
        assert (
            page.get_by_role("alert").inner_text() == "Nothing in quotegraph answers to this link."
        )
    tab.shot("missing")
    page.get_by_role("link", name="Back to the explorer").click()
    tab.rendered("/")
    assert page.locator("h1").inner_text() == "Who said what in the news"


def test_claims_with_their_verdicts(tab: Tab, server: Server) -> None:
    page = tab.page
    latest = server.graphql("Latest")["quotes"]["nodes"]
    pages = [server.graphql("QuotePage", id=quote["id"])["node"] for quote in latest]
    quote = next(page for page in pages if page["claims"])  # "We will finish section 24 ..."
    claim = quote["claims"][0]
    if not claim["reviews"]:
        server.review_claim(claim["id"], "Harbour Check", "Half true")
    tab.open(f"/#/quote/{quote['id']}")
    claims = page.get_by_role("region", name="Claims in this quote")
    assert claim["text"] in claims.inner_text()
    assert "Half true by Harbour Check" in claims.inner_text()
    assert tab.marked("claim") == quote["article"]["text"][claim["start"] : claim["end"]]
    tab.shot("quote")
    page.get_by_role("link", name=quote["article"]["title"]).click()
    tab.rendered("/article/")
    assert "Half true by Harbour Check" in page.get_by_role("region", name="Claims").inner_text()
    tab.shot("article")
    tab.check_operations()


@pytest.mark.parametrize("tab", [PHONE], indirect=True, ids=["phone"])
def test_readable_on_a_phone(tab: Tab, server: Server) -> None:
    page = tab.page
    quote = server.graphql("Latest")["quotes"]["nodes"][0]
    routes = {
        "home": "/",
        "speaker": f"/#/speaker/{speaker_id(server, 'blinken')}",
        "quote": f"/#/quote/{quote['id']}",
        "article": f"/#/article/{quote['article']['id']}",
    }
    for label, route in routes.items():
        tab.open(route)
        # Nothing wider than the screen: no sideways scrolling.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], label
        # Every date shown stays on one line (a narrow line would break it at a hyphen), and
        # each "confidence 80%".
        kept = page.eval_on_selector_all(
            "main time, main .confidence",
            "parts => parts.map(p => [p.textContent, p.getClientRects().length])",
        )
        assert kept, label
        assert [text for text, lines in kept if lines != 1] == [], label
        tab.shot(label)
    tab.check_operations()


def quote_runs(tab: Tab) -> list[tuple[int, int]]:
    """The stretches of the article text marked as the quote, as (start, end) offsets."""
    runs: list[list[int]] = tab.page.eval_on_selector(
        "#article-text",
        """box => {
            const runs = [];
            let offset = 0;
            for (const node of box.childNodes) {
                if (node.classList?.contains("sr-only")) continue;
                const length = node.textContent.length;
                const quote = node.dataset?.part?.split(" ").includes("quote");
                if (quote && runs.length && runs.at(-1)[1] === offset) runs.at(-1)[1] += length;
                else if (quote) runs.push([offset, offset + length]);
                offset += length;
            }
            return runs;
        }""",
    )
    return [(start, end) for start, end in runs]


def test_an_interrupted_quote_is_marked_fragment_by_fragment(tab: Tab, server: Server) -> None:
    [found] = server.graphql("SpeakerSearch", search="lindqvist")["speakers"]["nodes"]
    [listed] = server.graphql("SpeakerPage", id=found["id"])["speaker"]["quotes"]["nodes"]
    quote = server.graphql("QuotePage", id=listed["id"])["node"]
    text = quote["article"]["text"]
    fragments = quote["fragments"]
    assert len(fragments) == 2  # '"A," said X. "B."'
    tab.open(f"/#/quote/{listed['id']}")
    # Each highlighted stretch is one fragment, and the stored slice of the article.
    assert quote_runs(tab) == [(f["start"], f["end"]) for f in fragments]
    for fragment in fragments:
        assert fragment["text"] == text[fragment["start"] : fragment["end"]]
    assert tab.marked("quote") == "".join(f["text"] for f in fragments)
    # The attribution between them is not marked as the quote, and the speaker mention is.
    between = text[fragments[0]["end"] : fragments[1]["start"]]
    assert "said" in between and tab.marked("speaker") in between
    tab.shot("quote")
    tab.check_operations()


def test_a_quote_ingested_meanwhile_appears_live(tab: Tab, server: Server) -> None:
    page = tab.page
    vasquez = speaker_id(server, "vasquez")
    tab.open(f"/#/speaker/{vasquez}")
    before = page.locator("#speaker-quotes .quote-item").count()
    # The page has sent its subscription (the ingest below takes far longer than the server
    # takes to register it).
    page.wait_for_function("() => document.documentElement.dataset.live === 'subscribed'")
    stored = server.ingest_over_http(story(STORIES))  # two more quotes by Elena Vasquez
    page.locator("#speaker-quotes .quote-item.new").nth(1).wait_for(timeout=15_000)
    assert page.locator("#speaker-quotes .quote-item").count() == before + 2
    new_ids = page.locator("#speaker-quotes .quote-item.new .quote-link").evaluate_all(
        "links => links.map(a => decodeURIComponent(a.getAttribute('href').split('/')[2]))"
    )
    assert set(new_ids) <= {quote["id"] for quote in stored["quotes"]}
    assert "New quote:" in page.get_by_role("status").last.inner_text()
    tab.shot("live")
    tab.check_operations()


def test_persisted_only_the_explorer_works_and_nothing_else_runs(
    browser: Any, persisted_server: Server
) -> None:
    opened, context = new_tab(
        browser, persisted_server, "test_persisted_only", {"width": 1280, "height": 900}
    )
    try:
        page = opened.page
        opened.open("/")
        page.locator("#speaker-input").press_sequentially("Bli", delay=40)
        page.get_by_role("option", name="Antony Blinken").click()
        opened.rendered("/speaker/")
        assert page.locator("#speaker-quotes .quote-item").count() == 3
        page.locator("#speaker-quotes .quote-link").first.click()
        opened.rendered("/quote/")
        assert opened.marked("quote")
        opened.shot("quote")
        # Everything went by hash over GET: no text was ever sent, none refused.
        assert opened.sent and all("query" not in body for body in opened.sent)
        opened.check_operations()

        # An ad-hoc query from the same page is refused, with its code.
        refused = page.evaluate(
            """async () => {
                const response = await fetch("/graphql", {
                    method: "POST",
                    headers: {"Content-Type": "application/json"},
                    body: JSON.stringify({query: "{ quotes { totalCount } }"}),
                });
                return {status: response.status, body: await response.json()};
            }"""
        )
        assert refused["status"] == 400
        assert refused["body"]["errors"][0]["extensions"]["code"] == "QUERY_NOT_IN_SAFELIST"

        # The browser keeps the answers and revalidates them with their tag (the server
        # answers 304, checked below): the same page again sends If-None-Match.
        revalidated: list[tuple[str | None, str | None]] = []

        def seen(response: Any) -> None:
            if "/graphql?" in response.url:
                tag = response.request.all_headers().get("if-none-match")
                revalidated.append((tag, response.all_headers().get("etag")))

        page.on("response", seen)
        page.reload()
        opened.rendered("/quote/")
        assert opened.marked("quote")
        assert revalidated and all(tag and tag == etag for tag, etag in revalidated)

        # The explorer's GETs are cacheable: a repeat with the tag is 304 Not Modified.
        url = opened.gets[-1]
        first = httpx.get(url, timeout=30)
        assert first.status_code == 200 and "errors" not in first.json()
        assert first.headers["etag"] and "public" in first.headers["cache-control"]
        again = httpx.get(url, headers={"If-None-Match": first.headers["etag"]}, timeout=30)
        assert again.status_code == 304 and again.content == b""
    finally:
        context.close()
