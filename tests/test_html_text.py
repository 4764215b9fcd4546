"""HTML pages to story text: what is kept, what is dropped, and what becomes metadata."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from app.extraction import extract
from app.services import html_text
from app.services.html_text import html_to_text, read_page
from tests.conftest import GraphQL
from tests.helpers import FIXTURES

PAGE = """<!doctype html><html><head><title>Storm batters coast | The Courier</title>
<meta property="og:title" content="Storm batters coast"></head>
<body><header><nav><a href="/">Home</a></nav></header><main><article>
<h1>Storm batters coast</h1><div class="byline">By Ruth Kell</div>
<figure><img src="x.jpg"><figcaption>Waves hit the pier. (Photo: Ana Costa)</figcaption></figure>
<p>HALIFAX &mdash; The weather agency said the storm would bring <b>80 mm</b> of rain.</p>
<p>&quot;We have never seen water this high,&quot; said Mayor<br>Ines Pardo.</p>
<blockquote class="twitter-tweet"><p>Stay home tonight.</p>&mdash; Lindmouth Police</blockquote>
</article></main><footer>&copy; The Courier</footer></body></html>"""


def test_headline_byline_and_line_breaks() -> None:
    text, title = html_to_text(PAGE)
    assert title == "Storm batters coast"
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "By Ruth Kell"
    assert paragraphs[1].startswith("HALIFAX \u2014 The weather agency")
    assert "80 mm of rain" in paragraphs[1]
    assert paragraphs[2] == '"We have never seen water this high," said Mayor Ines Pardo.'
    assert paragraphs[3] == "Stay home tonight. \u2014 Lindmouth Police"
    assert "Photo" not in text and "Home" not in text and "Courier" not in text


def test_the_converted_page_reads_like_a_wire_story() -> None:
    text, _ = html_to_text(PAGE)
    result = extract(text)
    assert (result.dateline, result.byline) == ("HALIFAX", "Ruth Kell")
    said = next(q for q in result.quotes if q.text.startswith("We have never"))
    assert said.speaker is not None and result.speakers[said.speaker].name == "Ines Pardo"


# --- pages with clutter: trafilatura first, the selectolax reader as a fallback ---------------

PAGES = FIXTURES / "pages"
EXPECTED: dict[str, dict[str, Any]] = json.loads((PAGES / "expected.json").read_text("utf-8"))

INGEST_PAGE = """
mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) {
    article { title publishedAt byline text }
    quotes { text speaker { name } }
    speakers { name }
    claims { text }
  }
}
"""

STORY_PARAGRAPHS = (
    "ARLOW \u2014 The Arlow council voted on Tuesday to close the old harbour bridge for repairs.",
    '"The bridge has carried twice its design load for a decade," said engineer Noor Haddad.',
    "Repairs will take eleven weeks and cost 1.4 million pounds, the council said.",
    "Ferry services will run every half hour while the bridge is shut, the operator said.",
)

# One kind of clutter each, as pages put it inside the <article>; each sentence reads like a
# quote or a claim, so that it would show up in the extraction if it were kept.
CLUTTER = {
    "share bar": '<div class="share-bar"><a href="#">Share on Facebook</a> '
    '<a href="#">Email a friend, who said they would love it</a></div>',
    "newsletter box": '<div class="newsletter-signup"><h3>Morning briefing</h3><p>Editors say '
    "the briefing is the quickest way to catch up. Sign up free.</p>"
    '<form><input type="email"></form></div>',
    "related stories": '<section class="related-stories"><h2>Related stories</h2><ul>'
    '<li><a href="/a">Doctors warn that flu cases will double this winter</a></li>'
    '<li><a href="/b">Farmers say the drought cut the barley harvest by half</a></li></ul>'
    "</section>",
    "comments": '<section id="comments" class="comments"><h2>2 comments</h2>'
    '<div class="comment"><p>Gerald W. said: "The council wasted millions on the bypass."</p>'
    '</div><div class="comment"><p>Anna K. wrote that the ferry is always late.</p></div>'
    "</section>",
    "cookie banner": '<div class="cookie-consent" id="cookie-banner"><p>We use cookies. Our '
    "partners said they use your data to show offers.</p><button>Accept</button></div>",
    "photo caption": '<figure><img src="bridge.jpg" alt=""><figcaption>Residents said the '
    "bridge shook in high winds. (Photo: Tomas Reyes)</figcaption></figure>",
    "ad": '<div class="advertisement ad-slot"><p>Advertisement</p><p>"The best mortgage rates '
    'in the county," says broker Harlan Fisk.</p></div>',
    "read-more teaser": "<p>Read more: Ministers say rail strikes will end by July</p>",
}
CLUTTER_WORDS = {
    "share bar": "Email a friend",
    "newsletter box": "briefing",
    "related stories": "flu cases",
    "comments": "wasted millions",
    "cookie banner": "cookies",
    "photo caption": "shook in high winds",
    "ad": "mortgage",
    "read-more teaser": "rail strikes",
}


def _page_with(clutter: str) -> str:
    first, second, *rest = (f"<p>{p}</p>" for p in STORY_PARAGRAPHS)
    return (
        "<!doctype html><html><head><title>Arlow bridge to close | Arlow Post</title></head>"
        "<body><main><article><h1>Arlow bridge to close</h1>"
        f"{first}{clutter}{second}{''.join(rest)}</article></main></body></html>"
    )


@pytest.mark.parametrize("kind", sorted(CLUTTER))
def test_each_kind_of_clutter_is_left_out(kind: str) -> None:
    page = read_page(_page_with(CLUTTER[kind]))
    assert CLUTTER_WORDS[kind].lower() not in page.text.lower()
    assert page.text.split("\n\n") == list(STORY_PARAGRAPHS)
    assert page.title == "Arlow bridge to close"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_cluttered_page_gives_its_story_date_and_author(name: str) -> None:
    expected = EXPECTED[name]
    page = read_page((PAGES / name).read_text("utf-8"))
    assert page.extractor == "trafilatura"
    assert (page.title, page.byline) == (expected["title"], expected["byline"])
    assert page.published_at is not None
    assert page.published_at.isoformat() == expected["published_at"]
    assert page.text.split("\n\n")[0] == f"By {expected['byline']}"
    for sentence in expected["story"]:
        assert sentence in page.text
    assert [c for c in expected["clutter"] if c.lower() in page.text.lower()] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_ingesting_a_cluttered_page_quotes_only_its_story(gql: GraphQL, name: str) -> None:
    expected = EXPECTED[name]
    html = (PAGES / name).read_text("utf-8")
    payload = gql.ok(INGEST_PAGE, input={"text": html})["ingestArticle"]
    article = payload["article"]
    assert article["title"] == expected["title"]
    assert article["byline"] == expected["byline"]
    assert article["publishedAt"] is not None
    assert datetime.fromisoformat(article["publishedAt"]) == datetime.fromisoformat(
        expected["published_at"]
    )
    clutter = [c.lower() for c in expected["clutter"]]
    extracted = [q["text"] for q in payload["quotes"]] + [c["text"] for c in payload["claims"]]
    assert [t for t in extracted if any(c in t.lower() for c in clutter)] == []
    speakers = {s["name"].lower() for s in payload["speakers"]}
    assert not speakers & {"doctors", "farmers", "police", "editors", "experts", "regulators"}
    assert payload["quotes"], "the story's own quotes are found"
    for quote in payload["quotes"]:
        assert (
            any(
                quote["text"] in sentence or sentence in quote["text"]
                for sentence in expected["story"]
            )
            or quote["text"] in article["text"]
        )


def test_a_date_the_caller_gives_wins_over_the_pages(gql: GraphQL) -> None:
    html = (PAGES / "clinic_story.html").read_text("utf-8")
    given = "2025-04-15T10:00:00+00:00"
    article = gql.ok(INGEST_PAGE, input={"text": html, "publishedAt": given})["ingestArticle"][
        "article"
    ]
    assert datetime.fromisoformat(article["publishedAt"]) == datetime.fromisoformat(given)


def test_dates_pages_declare() -> None:
    def dated(head: str) -> datetime | None:
        return read_page(f"<html><head>{head}</head><body>{PAGE_BODY}</body></html>").published_at

    assert dated(
        '<meta property="article:published_time" content="2025-01-02T03:04:05-05:00">'
    ) == datetime(2025, 1, 2, 8, 4, 5, tzinfo=UTC)
    graph = {
        "@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": "2024-12-31"}]
    }
    assert dated(f'<script type="application/ld+json">{json.dumps(graph)}</script>') == datetime(
        2024, 12, 31, tzinfo=UTC
    )
    assert dated('<script type="application/ld+json">{not json</script>') is None
    assert dated('<meta property="article:published_time" content="yesterday">') is None


PAGE_BODY = "".join(f"<p>{p}</p>" for p in STORY_PARAGRAPHS)


def test_a_page_trafilatura_cannot_read_falls_back_to_the_article() -> None:
    # A story laid out in a table: trafilatura (tables off) finds nothing in it.
    cells = "".join(f"<tr><td><p>{p}</p></td></tr>" for p in STORY_PARAGRAPHS)
    page = read_page(f"<html><body><table>{cells}</table></body></html>")
    assert page.extractor == "fallback"
    assert page.text.split("\n\n") == list(STORY_PARAGRAPHS)


def test_too_little_from_trafilatura_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    real = html_text._trafilatura

    def one_paragraph(html: str) -> Any:
        document = real(html)
        # Keep a tenth of the dateline's paragraph only: far less than the whole <article>.
        for block in list(document.body):
            if (block.text or "").startswith("ARLOW"):
                block.text = block.text[: len(block.text) // 10]
            else:
                document.body.remove(block)
        assert len(document.body) == 1
        return document

    monkeypatch.setattr(html_text, "_trafilatura", one_paragraph)
    page = read_page(_page_with(""))
    assert page.extractor == "fallback"
    assert page.text.split("\n\n") == list(STORY_PARAGRAPHS)
