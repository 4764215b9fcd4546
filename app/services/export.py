"""Export: quotes joined with speaker and article, streamed page by page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, col, select

from app.db.models import Article, Quote, Speaker, as_utc
from app.services.pagination import PageRequest
from app.services.queries import (
    DEFAULT_CLASSES,
    QuoteFilter,
    fragments_by_quote_ids,
    quotes_listing,
)

PAGE = 500


def export_rows(
    session: Session, *, speaker: str | None = None, classes: tuple[str, ...] = DEFAULT_CLASSES
) -> Iterator[dict[str, Any]]:
    """Flat dicts, newest quote first; keyset pages keep memory flat on any corpus size.

    Each row has its quote's `attribution_class` and `fragments` (text and offsets of each
    piece; one for a quote in one piece); `classes` says which classes are exported."""
    listing = quotes_listing(session, QuoteFilter(speaker=speaker, classes=classes))
    request = PageRequest(first=PAGE)
    while True:
        page = listing.page(session, request)
        quotes: list[Quote] = list(page.rows)
        if not quotes:
            return
        speakers = {
            s.id: s
            for s in session.exec(
                select(Speaker).where(col(Speaker.id).in_({q.speaker_id for q in quotes}))
            )
        }
        articles = {
            a.id: a
            for a in session.exec(
                select(Article).where(col(Article.id).in_({q.article_id for q in quotes}))
            )
        }
        ids = [q.id for q in quotes if q.id is not None]
        fragments = dict(zip(ids, fragments_by_quote_ids(session, ids), strict=True))
        for quote in quotes:
            person = speakers.get(quote.speaker_id)
            article = articles[quote.article_id]
            yield {
                "quote_id": quote.id,
                "text": quote.text,
                "kind": quote.kind,
                "cue": quote.cue,
                "start": quote.start,
                "end": quote.end,
                "confidence": quote.confidence,
                "role": quote.role,
                "speaker_id": quote.speaker_id,
                "speaker": person.name if person else None,
                "speaker_kind": person.kind if person else None,
                "speaker_mention": quote.speaker_mention,
                "article_id": article.id,
                "article_url": article.url,
                "article_title": article.title,
                "article_source": article.source,
                "date": as_utc(quote.sort_date).isoformat(),
                "attribution_class": quote.attribution_class,
                "fragments": [
                    {"text": f.text, "start": f.start, "end": f.end}
                    for f in fragments.get(quote.id or 0, [])
                ],
            }
        if not page.has_next_page:
            return
        last = quotes[-1]
        request = PageRequest(first=PAGE, after=(as_utc(last.sort_date), last.id))
