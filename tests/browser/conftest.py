"""Browser fixtures: a real quotegraph server (uvicorn, SQLite with the sample article and a run
of stories quoting one minister) and Debian's chromium driven by Playwright, which never
downloads a browser of its own."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.explorer import explorer_operations
from app.graphql.persisted import sha256_hex
from tests.conftest import REQUIRE_SERVICES
from tests.helpers import numbered_story

CHROMIUM = os.environ.get("QUOTEGRAPH_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
# Screenshots of every page the tests open (gitignored).
OUTPUT = ROOT / "test-output" / "browser"
STORIES = 25  # two quotes each by Elena Vasquez: more than one page of 20 on her page
FIRST_DAY = datetime(2024, 1, 1, 9, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """The running service: its address, its database, and a GraphQL client for checks."""

    base: str
    database_url: str
    env: dict[str, str] = field(repr=False)

    def graphql(self, name: str, **variables: Any) -> dict[str, Any]:
        """Run one of the explorer's own operations, as the page would."""
        body = httpx.post(
            f"{self.base}/graphql",
            json={
                "query": explorer_operations()[name],
                "operationName": name,
                "variables": variables,
            },
            timeout=30,
        ).json()
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def query(self, query: str, **variables: Any) -> dict[str, Any]:
        body = httpx.post(
            f"{self.base}/graphql", json={"query": query, "variables": variables}, timeout=30
        ).json()
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def key(self) -> str:
        """A new API key (writes need one)."""
        made = subprocess.run(
            [sys.executable, "-m", "app.cli", "keys", "create", "browser-tests"],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return made.stdout.split()[0]

    def review_claim(self, claim_id: str, reviewer: str, rating: str) -> None:
        """Attach a fact-check to a claim by hand (an editor's API key, made for it)."""
        key = self.key()
        body = httpx.post(
            f"{self.base}/graphql",
            json={
                "query": "mutation R($input: ReviewClaimInput!) "
                "{ reviewClaim(input: $input) { id } }",
                "variables": {
                    "input": {
                        "claimId": claim_id,
                        "reviewer": reviewer,
                        "rating": rating,
                        "url": "https://checks.example/pier",
                    }
                },
            },
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
        ).json()
        assert not body.get("errors"), body["errors"]

    def ingest_over_http(self, story: dict[str, Any]) -> dict[str, Any]:
        """Ingest one article through the running server (the `ingestArticle` mutation), so
        its subscribers hear of it even on SQLite, where announcements stay in the process."""
        body = httpx.post(
            f"{self.base}/graphql",
            json={
                "query": "mutation I($input: IngestArticleInput!) "
                "{ ingestArticle(input: $input) { article { id quotes { id } } } }",
                "variables": {
                    "input": {
                        "text": story["text"],
                        "title": story["title"],
                        "source": story["source"],
                        "publishedAt": story["published_at"],
                    }
                },
            },
            headers={"Authorization": f"Bearer {self.key()}"},
            timeout=120,
        ).json()
        assert not body.get("errors"), body["errors"]
        article: dict[str, Any] = body["data"]["ingestArticle"]["article"]
        return article

    def ingest(self, path: Path) -> None:
        """Ingest a file with the command line, as an editor would, while the server runs."""
        subprocess.run(
            [sys.executable, "-m", "app.cli", "ingest", str(path)],
            env=self.env,
            check=True,
            capture_output=True,
        )


def story(number: int) -> dict[str, str]:
    published = FIRST_DAY + timedelta(days=3 * number)
    return {
        "text": numbered_story(number),
        "title": f"Pier works, day {number}",
        "source": "Harbour Gazette",
        "published_at": published.isoformat(),
    }


# An invented article whose quote is interrupted by its attribution ('"A," said X. "B."'): one
# quote in two fragments.
INTERRUPTED = {
    "text": (
        "KESTREL BAY -- The ferry between Kestrel Bay and Orrin Island will run twice a day from "
        "March, the island council announced on Tuesday.\n\n"
        '"The morning boat is the one people have asked for since the storm," said Tobias '
        "Lindqvist, the council's transport officer. \"The evening crossing follows once the new "
        'pier lights are in."\n\n'
        "Tickets will cost the same as last year."
    ),
    "title": "Ferry to Orrin Island twice a day from March",
    "source": "Kestrel Bay Courier",
    "published_at": "2024-02-20T08:00:00+00:00",
}


def stories_file(folder: Path, numbers: range) -> Path:
    path = folder / f"stories-{numbers.start}-{numbers.stop}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number in numbers:
            out.write(json.dumps(story(number)) + "\n")
    return path


def interrupted_file(folder: Path) -> Path:
    path = folder / "interrupted.jsonl"
    path.write_text(json.dumps(INTERRUPTED) + "\n", encoding="utf-8")
    return path


def serve(database_url: str, folder: Path, name: str, **settings: str) -> Iterator[Server]:
    """Run the service on the database until the generator is closed."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "QUOTEGRAPH_EXTRACT_PROCESSES": "1",
        **settings,
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    running = Server(base, database_url, env)
    log = (folder / f"{name}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"the server did not start: {(folder / f'{name}.log').read_text()}"
                )
            time.sleep(0.25)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{folder / 'quotegraph.db'}"
    env = {**os.environ, "DATABASE_URL": database_url, "QUOTEGRAPH_EXTRACT_PROCESSES": "1"}
    loader = Server("", database_url, env)
    subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"], env=env, check=True, capture_output=True
    )
    loader.ingest(ROOT / "examples")
    loader.ingest(stories_file(folder, range(STORIES)))
    loader.ingest(interrupted_file(folder))
    yield from serve(database_url, folder, "server")


@pytest.fixture(scope="session")
def persisted_server(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A second server on the same database that runs only its registered operations."""
    folder = tmp_path_factory.mktemp("persisted")
    yield from serve(server.database_url, folder, "server", QUOTEGRAPH_PERSISTED_ONLY="true")


# Package scope, not session: Playwright's sync API keeps its event loop running in this thread
# while it is open, and tests that run after these ones call asyncio.run().
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if REQUIRE_SERVICES:
            pytest.fail(f"the browser tests need chromium at {CHROMIUM} (.ci/run installs it)")
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@dataclass
class Tab:
    """A page in a fresh browser context, recording the GraphQL operations it sends and any
    script error; `shot` saves a screenshot named after the test."""

    page: Any
    server: Server
    name: str
    sent: list[dict[str, Any]] = field(default_factory=list)
    gets: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, route: str = "/") -> None:
        self.page.goto(f"{self.server.base}{route}")
        self.rendered()

    def rendered(self, path_prefix: str = "") -> None:
        """Wait until the explorer has rendered the route in the address bar, and that route
        starts with `path_prefix`."""
        self.page.wait_for_function(
            """prefix => {
                const route = location.hash.slice(1) || "/";
                const done = document.documentElement.dataset.rendered;
                return done === route && route.startsWith(prefix)
                    && !document.querySelector("main").hasAttribute("aria-busy");
            }""",
            arg=path_prefix,
        )

    def shot(self, label: str) -> Path:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def marked(self, part: str) -> str:
        """The text of the article marked as `part`, pieces joined in document order."""
        text: str = self.page.eval_on_selector_all(
            "#article-text mark",
            "(marks, part) => marks.filter(m => m.dataset.part.split(' ').includes(part))"
            ".map(m => m.textContent).join('')",
            part,
        )
        return text

    def check_operations(self) -> None:
        """Everything the page sent is one of the registered operations, text for text (or by
        its hash, over GET)."""
        operations = explorer_operations()
        assert self.sent, "the page sent no GraphQL request"
        for body in self.sent:
            name = body["operationName"]
            assert name in operations, name
            if "query" in body:
                assert operations[name] == body["query"], name
            else:
                assert body["sha256"] == sha256_hex(operations[name]), name
        assert not self.errors, self.errors


def new_tab(browser: Any, server: Server, name: str, viewport: dict[str, int]) -> tuple[Tab, Any]:
    """A Tab in a fresh browser context (close the context when done)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    opened = Tab(page, server, name)

    def record(sent: Any) -> None:
        if not sent.url.startswith(f"{server.base}/graphql"):
            return
        if sent.method == "POST":
            opened.sent.append(sent.post_data_json)
        elif sent.method == "GET" and "extensions=" in sent.url:
            params = {k: v[0] for k, v in parse_qs(urlsplit(sent.url).query).items()}
            extensions = json.loads(params["extensions"])
            opened.gets.append(sent.url)
            opened.sent.append(
                {
                    "operationName": params["operationName"],
                    "sha256": extensions["persistedQuery"]["sha256Hash"],
                }
            )

    page.on("request", record)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    return opened, context


@pytest.fixture
def tab(browser: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Tab]:
    viewport = getattr(request, "param", {"width": 1280, "height": 900})
    opened, context = new_tab(
        browser, server, request.node.name.replace("[", "-").rstrip("]"), viewport
    )
    yield opened
    context.close()
