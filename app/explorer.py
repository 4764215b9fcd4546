"""The quote explorer at /: static pages (app/static/explorer) that read the public GraphQL API."""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

EXPLORER = Path(__file__).parent / "static" / "explorer"
OPERATIONS = EXPLORER / "operations.graphql"
_DEFINITION = re.compile(r"^(query|mutation|subscription)\s+(\w+)")


def split_operations(source: str) -> dict[str, str]:
    """{name: text} of every operation in a .graphql file, each from its `query` line to the
    line before the next one, minus the blank and comment lines leading into the next: the
    exact text the explorer sends (api.js splits the same way), so its sha256 is the persisted
    operation's hash."""
    operations: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in source.split("\n"):
        match = _DEFINITION.match(line)
        if match:
            current = operations[match.group(2)] = []
        if current is not None:
            current.append(line)
    texts = {}
    for name, lines in operations.items():
        while lines and (not lines[-1].strip() or lines[-1].startswith("#")):
            lines.pop()
        texts[name] = "\n".join(lines).strip()
    return texts


@cache
def explorer_operations() -> dict[str, str]:
    """The operations the explorer sends, by name (for registering persisted operations)."""
    return split_operations(OPERATIONS.read_text(encoding="utf-8"))


# In the page as served: the stylesheet and the operations inline, so the first paint waits for
# no other request and the first query for no other download than the modules.
_STYLESHEET = '<link rel="stylesheet" href="/explorer/explorer.css" />'
_OPERATIONS_PRELOAD = (
    '<link rel="preload" href="/explorer/operations.graphql" as="fetch" crossorigin="anonymous" />'
)
_VERSION = re.compile(r"v-[0-9a-f]{12}")
IMMUTABLE = "public, max-age=31536000, immutable"


@cache
def explorer_version() -> str:
    """A digest of every explorer file: the page loads them under /explorer/<version>/, so
    browsers keep them for good and a new release is new addresses."""
    digest = hashlib.sha256()
    for path in sorted(EXPLORER.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"v-{digest.hexdigest()[:12]}"


def explorer_page() -> str:
    """index.html with explorer.css and operations.graphql inlined (the files stay the
    sources; without the inlined operations the page fetches the file) and the modules at
    their versioned addresses (their relative imports follow)."""
    html = (EXPLORER / "index.html").read_text(encoding="utf-8")
    css = (EXPLORER / "explorer.css").read_text(encoding="utf-8")
    operations = OPERATIONS.read_text(encoding="utf-8")
    if _STYLESHEET not in html or _OPERATIONS_PRELOAD not in html or "</" in css + operations:
        raise RuntimeError("the explorer's index.html or its inlined files changed shape")
    inline = f'<script type="text/plain" id="explorer-operations">\n{operations}</script>'
    html = html.replace(_STYLESHEET, f"<style>\n{css}</style>")
    html = html.replace(_OPERATIONS_PRELOAD, inline)
    return html.replace('="/explorer/', f'="/explorer/{explorer_version()}/')


class ExplorerFiles(StaticFiles):
    """The explorer's files. Under the current version's prefix they never change, and say so;
    without it (or under another version's) they are revalidated on every use."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        first, _, rest = path.partition(os.sep)
        versioned = bool(_VERSION.fullmatch(first) and rest)
        response = await super().get_response(rest if versioned else path, scope)
        if response.status_code in (200, 304):
            current = versioned and first == explorer_version()
            response.headers["Cache-Control"] = IMMUTABLE if current else "no-cache"
        return response


def mount_explorer(app: FastAPI) -> None:
    """Serve the explorer: its page at / (routes are hash URLs, so deep links need nothing
    more) and its files under /explorer/."""
    page = explorer_page().encode()
    etag = f'"{hashlib.sha256(page).hexdigest()[:32]}"'
    headers = {"Cache-Control": "no-cache", "ETag": etag}

    @app.get("/", include_in_schema=False)
    def explorer(request: Request) -> Response:
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(page, media_type="text/html; charset=utf-8", headers=headers)

    app.mount("/explorer", ExplorerFiles(directory=EXPLORER), name="explorer")
