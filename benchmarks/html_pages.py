"""HTML pages to story text, before and after trafilatura: time per page and quotes from clutter.

"Before" is the selectolax reader alone (the code that was `html_to_text` until trafilatura came
first; it is kept verbatim as the fallback), "after" is `read_page`. Pages are the invented ones
in tests/fixtures/pages with their clutter phrases listed in expected.json.

    .venv/bin/python benchmarks/html_pages.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from app.extraction import extract
from app.services import html_text

PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"


def before(html: str) -> str:
    tree = LexborHTMLParser(html)
    byline = html_text._byline(tree)
    paragraphs = html_text._fallback_paragraphs(tree)
    if byline and paragraphs and not html_text._BYLINE_PREFIX.match(paragraphs[0]):
        paragraphs.insert(0, f"By {byline}")
    return "\n\n".join(paragraphs)


def after(html: str) -> str:
    return html_text.read_page(html).text


def per_page_ms(reader: Callable[[str], str], html: str, repeat: int) -> float:
    reader(html)  # warm-up (imports, lxml and trafilatura's first-use setup)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        reader(html)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    expected = json.loads((PAGES / "expected.json").read_text("utf-8"))
    print(
        "| page | reader | ms/page (median) | clutter phrases kept | quotes from clutter "
        "| claims from clutter | published_at |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, facts in sorted(expected.items()):
        html = (PAGES / name).read_text("utf-8")
        clutter = [c.lower() for c in facts["clutter"]]
        for label, reader in (("before (selectolax)", before), ("after (read_page)", after)):
            text = reader(html)
            extraction = extract(text)
            kept = sum(c in text.lower() for c in clutter)
            quotes = sum(any(c in q.text.lower() for c in clutter) for q in extraction.quotes)
            claims = sum(any(c in k.text.lower() for c in clutter) for k in extraction.claims)
            date = html_text.read_page(html).published_at if reader is after else None
            ms = per_page_ms(reader, html, args.repeat)
            print(f"| {name} | {label} | {ms:.1f} | {kept} | {quotes} | {claims} | {date} |")


if __name__ == "__main__":
    main()
