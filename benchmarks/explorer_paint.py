"""First paint of the quote explorer's pages in Debian's chromium against a (large) database.

Starts `quotegraph serve` on the database, loads each explorer page and reads the Performance
API: `first-contentful-paint` (the page shell: header, search box) and the `explorer:rendered`
mark the explorer sets once the page's data is on screen. "cold": a fresh browser context each
time (a first visit, nothing in the browser's cache); "warm": reloads in one context (a returning
visitor: the versioned modules come from the cache). The first cold load of each page meets the
server's response cache empty; later loads may be answered from it. "API 1st" is the time that
first load waited for the server's answers to its GraphQL requests (Resource Timing, request
sent to first byte of the response, summed: the speaker page's two requests follow each other),
to tell the server's part from the browser's. Also times the typeahead:
the last keystroke to the suggestions (its 150 ms debounce included).

    .venv/bin/python benchmarks/generate.py --database-url sqlite:////tmp/qg_1m.db --replace
    .venv/bin/python benchmarks/explorer_paint.py --database-url sqlite:////tmp/qg_1m.db
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import sqlalchemy as sa

TIMINGS = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const rendered = performance.getEntriesByName("explorer:rendered")[0];
  const navigation = performance.getEntriesByType("navigation")[0];
  const api = performance.getEntriesByType("resource").filter((r) => r.name.includes("/graphql"));
  return {
    fcp: paint ? paint.startTime : null,
    rendered: rendered ? rendered.startTime : null,
    html: navigation ? navigation.responseEnd : null,
    api: api.reduce((total, r) => total + (r.responseStart - r.requestStart), 0),
  };
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def pick_routes(database_url: str) -> dict[str, str]:
    """The pages to load: the front page, the busiest speaker's and a typical one's, the latest
    quote of the busiest speaker, and its article (global ids as the API makes them)."""
    from app.graphql.ids import encode_global_id

    def to_global_id(type_name: str, pk: int) -> str:
        return quote(encode_global_id(type_name, pk), safe="")  # as the explorer's links are

    from app.db.engine import normalise_url

    engine = sa.create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        counts = connection.execute(
            sa.text(
                "SELECT speaker_id, count(*) AS n FROM quote WHERE speaker_id IS NOT NULL "
                "GROUP BY speaker_id ORDER BY n DESC"
            )
        ).all()
        busiest, typical = counts[0], counts[len(counts) // 2]
        latest_quote, article_id = connection.execute(
            sa.text(
                "SELECT id, article_id FROM quote WHERE speaker_id = :s "
                "ORDER BY sort_date DESC, id DESC LIMIT 1"
            ),
            {"s": busiest[0]},
        ).one()
    engine.dispose()
    print(f"speakers: busiest {busiest[1]:,} quotes, median {typical[1]:,} quotes")
    busiest_page = f"/#/speaker/{to_global_id('Speaker', busiest[0])}"
    typical_page = f"/#/speaker/{to_global_id('Speaker', typical[0])}"
    return {
        "home": "/",
        f"speaker (busiest, {busiest[1]:,} quotes)": busiest_page,
        f"speaker (median, {typical[1]:,} quotes)": typical_page,
        "quote": f"/#/quote/{to_global_id('Quote', latest_quote)}",
        "article": f"/#/article/{to_global_id('Article', article_id)}",
    }


def serve(database_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.25)
    process.kill()
    raise SystemExit("the server did not start")


def load(context: Any, url: str) -> dict[str, float]:
    """One load of an explorer page in `context`; timings from the Performance API."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(
        "() => document.documentElement.dataset.rendered"
        " && !document.querySelector('main').hasAttribute('aria-busy')",
        timeout=60_000,
    )
    errors = page.locator("[role=alert]").count()
    timings: dict[str, float] = page.evaluate(TIMINGS)
    page.close()
    if errors:
        raise SystemExit(f"{url} rendered an error page")
    return timings


def cold(browser: Any, url: str) -> dict[str, float]:
    """A first visit: a new context, so nothing is in the browser's cache."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        return load(context, url)
    finally:
        context.close()


def typeahead(browser: Any, base: str, text: str) -> float:
    """Milliseconds from the last keystroke's input event to the suggestions in the page (the
    typeahead's 150 ms debounce included), timed inside the page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/")
    page.wait_for_function("() => document.documentElement.dataset.rendered")
    page.evaluate(
        """() => {
          const input = document.getElementById("speaker-input");
          input.addEventListener("input", () => { window.lastInput = performance.now(); });
          new MutationObserver(() => { window.shown = performance.now(); }).observe(
            document.getElementById("speaker-options"), { childList: true });
        }"""
    )
    page.locator("#speaker-input").press_sequentially(text, delay=30)
    page.wait_for_function("() => window.shown > window.lastInput", timeout=60_000)
    shown: float = page.evaluate("() => window.shown - window.lastInput")
    context.close()
    return shown


def fmt(values: Sequence[float | None]) -> str:
    present = [v for v in values if v is not None]
    return f"{statistics.median(present):.0f}" if present else "-"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5, help="Loads per page (5).")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    routes = pick_routes(args.database_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(args.database_url, port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium)
            cold(browser, f"{base}/")  # the server's first request warms its imports
            print(
                f"{'page':<34} {'FCP':>5} {'data':>5} {'API':>5} {'data':>5} {'data':>5} "
                f"{'FCP':>5} {'data':>5}\n{'':<34} {'cold':>5} {'1st':>5} {'1st':>5} {'cold':>5} "
                f"{'max':>5} {'warm':>5} {'warm':>5}   (ms, medians of {args.runs} loads)"
            )
            for label, route in routes.items():
                url = f"{base}{route}"
                runs = [cold(browser, url) for _ in range(args.runs)]
                rest = runs[1:] or runs
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                load(context, url)  # a returning visitor: the modules are in the cache
                warm = [load(context, url) for _ in range(args.runs)]
                context.close()
                print(
                    f"{label:<34} {fmt([r['fcp'] for r in runs]):>5} "
                    f"{runs[0]['rendered'] or 0:5.0f} {runs[0]['api']:5.0f} "
                    f"{fmt([r['rendered'] for r in rest]):>5} "
                    f"{max(r['rendered'] or 0 for r in runs):5.0f} "
                    f"{fmt([r['fcp'] for r in warm]):>5} {fmt([r['rendered'] for r in warm]):>5}"
                )
            for text in ("ma", "kowal", "zh"):
                shown = [typeahead(browser, base, text) for _ in range(3)]
                print(f"typeahead {text!r:<24} keystroke to suggestions, median {fmt(shown)} ms")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"database: {args.database_url} ({Path(sys.argv[0]).name}, {time.strftime('%F %T')})")


if __name__ == "__main__":
    main()
