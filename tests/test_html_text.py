"""HTML pages to story text: what is kept, what is dropped, and what becomes metadata."""

from __future__ import annotations

from app.extraction import extract
from app.services.html_text import html_to_text

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
