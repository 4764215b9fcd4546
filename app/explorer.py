"""The quote explorer at /: static pages (app/static/explorer) that read the public GraphQL API."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

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


def mount_explorer(app: FastAPI) -> None:
    """Serve the explorer: its page at / (routes are hash URLs, so deep links need nothing
    more) and its files under /explorer/."""
    index = EXPLORER / "index.html"

    @app.get("/", include_in_schema=False)
    def explorer_page() -> FileResponse:
        # Revalidated on every visit, so a new version is seen at once; the files it loads
        # carry ETags.
        return FileResponse(index, media_type="text/html", headers={"Cache-Control": "no-cache"})

    app.mount("/explorer", StaticFiles(directory=EXPLORER), name="explorer")
