"""GET /export/{dataset}.{format}: the CLI's export over HTTP, streamed, so a notebook can
`pd.read_parquet("http://host/export/quotes.parquet?speaker=Vasquez")`.

Same datasets, columns and filters as `quotegraph export` (app.services.datasets); the same
read rule as GraphQL: public unless QUOTEGRAPH_PUBLIC_READS=false, then a valid API key
(`Authorization: Bearer <key>`) is needed. Refusals are JSON with `extensions.code`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import orjson
import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.responses import Response

from app.db.engine import make_session
from app.services import datasets, export_files
from app.services.errors import InvalidInput
from app.services.keys import authenticate
from app.settings import Settings

KINDS = {
    "quotes": ("direct", "indirect", "mixed"),
    "speakers": ("person", "organisation", "unknown"),
}


def _error(status: int, code: str, message: str) -> Response:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def _date(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"`{name}` must be an ISO 8601 date, not {value!r}.", field=name
        ) from None


def export_router(settings: Settings, engine: sa.Engine) -> APIRouter:
    router = APIRouter()

    def allowed(request: Request) -> bool:
        if settings.public_reads:
            return True
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        with make_session(engine) as session:
            return authenticate(session, token.strip()) is not None

    @router.get("/export/{name}", summary="Download a dataset as Parquet, CSV or JSON Lines")
    def export(
        request: Request,
        name: str,
        speaker: list[str] | None = Query(None, description="Name or alias; repeat for several."),  # noqa: B008
        source: str | None = None,
        kind: str | None = None,
        since: str | None = None,
        until: str | None = None,
        search: str | None = None,
        minConfidence: float | None = None,
        minOccurrences: int | None = None,
        minScore: float | None = None,
        publisher: str | None = None,
        rating: str | None = None,
    ) -> Response:
        """`name` is `<what>.<format>`: quotes, quotations, speakers, claims or reviews;
        parquet, csv or jsonl."""
        if not allowed(request):
            return _error(
                401,
                "UNAUTHENTICATED",
                "Reads need an API key here: send `Authorization: Bearer <key>`.",
            )
        what, _, format = name.partition(".")
        try:
            if what not in datasets.WHATS or format not in export_files.FORMATS:
                raise InvalidInput(
                    f"No export {name!r}: ask for <what>.<format>, what one of "
                    f"{', '.join(datasets.WHATS)} and format one of "
                    f"{', '.join(export_files.FORMATS)} (e.g. quotes.parquet).",
                    field="name",
                )
            if kind is not None and kind.lower() not in KINDS.get(what, ()):
                raise InvalidInput(
                    f"`kind` {kind!r} does not apply to {what}"
                    + (f"; use one of {', '.join(KINDS[what])}." if what in KINDS else "."),
                    field="kind",
                )
            names = tuple(speaker or ())
            where = datasets.ExportFilter(
                speaker=names[0] if len(names) == 1 else None,
                speakers=names if len(names) > 1 else None,
                source=source,
                kind=kind.lower() if kind else None,
                since=_date(since, "since"),
                until=_date(until, "until"),
                search=search,
                min_confidence=minConfidence,
                min_occurrences=minOccurrences,
                min_score=minScore,
                publisher=publisher,
                rating=rating,
            )
            if where.since and where.until and where.since >= where.until:
                raise InvalidInput("`since` must be earlier than `until`.", field="since")
        except InvalidInput as error:
            return _error(400, "BAD_USER_INPUT", error.message)

        def body() -> Iterator[bytes]:
            # Its own session, open while the response streams (Starlette iterates a plain
            # generator in a worker thread).
            with make_session(engine) as session:
                yield from export_files.chunks(
                    datasets.batches(session, what, where), datasets.COLUMNS[what], format
                )

        return StreamingResponse(
            body(),
            media_type=export_files.MEDIA_TYPES[format],
            headers={"Content-Disposition": f'attachment; filename="{what}.{format}"'},
        )

    return router
