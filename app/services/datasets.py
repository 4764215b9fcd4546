"""Data to take away: quotes, quotations, speakers, claims and reviews as flat rows, in batches.

Each dataset is a fixed list of typed columns (the Parquet schema is made from it, so pandas and
polars read the files as they are) and a generator of row batches read by keyset pages, so
memory stays flat whatever the size of the database. Every row carries what a citation needs:
the article's URL, content hash and extractor version, and the article's provenance record
(models and the sha256 of their weights). Filters are the API's (`ExportFilter`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import (
    SHOWN_STATUSES,
    Article,
    ArticleProvenance,
    Claim,
    Provenance,
    Quotation,
    QuotationOccurrence,
    Quote,
    ReviewLink,
    Speaker,
    as_utc,
    table_of,
)
from app.services import queries
from app.services.content_ids import article_content_id, quotation_content_id, quote_content_id
from app.services.errors import InvalidInput
from app.services.pagination import PageRequest

BATCH = 5000
WHATS = ("quotes", "quotations", "speakers", "claims", "reviews")

# Column types: int, float, str, datetime (UTC), json (a JSON text).
Columns = tuple[tuple[str, str], ...]

CITATION: Columns = (
    ("article_id", "int"),
    ("article_url", "str"),
    ("article_title", "str"),
    ("article_source", "str"),
    ("article_published_at", "datetime"),
    ("article_content_hash", "str"),
    ("article_content_id", "str"),
    ("extractor_version", "str"),
    ("ingested_at", "datetime"),
    ("spacy_version", "str"),
    ("pipeline", "str"),
    ("claims_model_sha256", "str"),
    ("attribution_model_sha256", "str"),
    ("provenance", "json"),
)

QUOTE_COLUMNS: Columns = (
    ("quote_id", "int"),
    ("content_id", "str"),
    ("text", "str"),
    ("kind", "str"),
    ("cue", "str"),
    ("start", "int"),
    ("end", "int"),
    ("confidence", "float"),
    ("role", "str"),
    ("date", "datetime"),
    ("speaker_id", "int"),
    ("speaker", "str"),
    ("speaker_kind", "str"),
    ("speaker_mention", "str"),
    ("attribution_class", "str"),
    ("fragments", "json"),
    ("quotation_id", "int"),
    ("quotation_content_id", "str"),
    *CITATION,
)
QUOTATION_COLUMNS: Columns = (
    ("quotation_id", "int"),
    ("content_id", "str"),
    ("text", "str"),
    ("speaker_id", "int"),
    ("speaker", "str"),
    ("occurrences", "int"),
    ("first_seen", "datetime"),
    ("last_seen", "datetime"),
    # The citation fields are those of the earliest occurrence's article.
    *CITATION,
)
SPEAKER_COLUMNS: Columns = (
    ("speaker_id", "int"),
    ("name", "str"),
    ("kind", "str"),
    ("role", "str"),
    ("aliases", "json"),
    ("quote_count", "int"),
    # The citation fields are those of the article of the speaker's first stored quote.
    *CITATION,
)
CLAIM_COLUMNS: Columns = (
    ("claim_id", "int"),
    ("text", "str"),
    ("start", "int"),
    ("end", "int"),
    ("score", "float"),
    ("date", "datetime"),
    ("claimant_id", "int"),
    ("claimant", "str"),
    ("quote_id", "int"),
    *CITATION,
)
REVIEW_COLUMNS: Columns = (
    ("review_id", "int"),
    ("claim_reviewed", "str"),
    ("reviewer", "str"),
    ("url", "str"),
    ("rating", "str"),
    ("rating_value", "float"),
    ("best_rating", "float"),
    ("worst_rating", "float"),
    ("review_date", "datetime"),
    ("link_status", "str"),
    ("link_score", "float"),
    ("claim_id", "int"),
    ("claim_text", "str"),
    # One row per claim the review is linked to (confirmed or automatic); a review linked to
    # none has one row without claim or article.
    *CITATION,
)
COLUMNS: dict[str, Columns] = {
    "quotes": QUOTE_COLUMNS,
    "quotations": QUOTATION_COLUMNS,
    "speakers": SPEAKER_COLUMNS,
    "claims": CLAIM_COLUMNS,
    "reviews": REVIEW_COLUMNS,
}


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """The API's filters; each dataset uses those that apply to it."""

    speaker: str | None = None
    speakers: tuple[str, ...] | None = None
    speaker_id: int | None = None
    source: str | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None
    min_confidence: float | None = None
    min_occurrences: int | None = None
    min_score: float | None = None
    publisher: str | None = None
    rating: str | None = None
    classes: tuple[str, ...] = queries.DEFAULT_CLASSES
    """quotes: the attribution classes kept (speech by default, as in the API)."""


Row = dict[str, Any]
Batches = Iterator[list[Row]]


def batches(session: Session, what: str, where: ExportFilter, size: int = BATCH) -> Batches:
    """The rows of dataset `what`, `size` at a time."""
    if what not in COLUMNS:
        raise InvalidInput(
            f"Cannot export {what!r}; choose one of {', '.join(WHATS)}.", field="what"
        )
    if where.since and where.until and where.since >= where.until:
        raise InvalidInput("`since` must be earlier than `until`.", field="since")
    makers: dict[str, Callable[[Session, ExportFilter, int], Batches]] = {
        "quotes": _quotes,
        "quotations": _quotations,
        "speakers": _speakers,
        "claims": _claims,
        "reviews": _reviews,
    }
    return makers[what](session, where, size)


def _pages(
    session: Session, listing: queries.Listing, size: int, key: Callable[[Any], tuple[Any, ...]]
) -> Iterator[list[Any]]:
    """Keyset pages of a listing: each batch read after the last row of the one before."""
    request = PageRequest(first=size)
    while True:
        page = listing.page(session, request)
        rows = list(page.rows)
        if rows:
            yield rows
        if not page.has_next_page or not rows:
            return
        request = PageRequest(first=size, after=key(rows[-1]))
        # Each batch's rows are dropped before the next is read: the session keeps none.
        session.expunge_all()


def _recent(row: Any) -> tuple[Any, ...]:
    return (as_utc(row.sort_date), row.id)


# --- citation fields --------------------------------------------------------------------------

_ARTICLE = table_of(Article)
_ARTICLE_COLUMNS = (
    _ARTICLE.c.id,
    _ARTICLE.c.url,
    _ARTICLE.c.title,
    _ARTICLE.c.source,
    _ARTICLE.c.published_at,
    _ARTICLE.c.content_hash,
    _ARTICLE.c.extractor_version,
    _ARTICLE.c.ingested_at,
)


def _citations(session: Session, article_ids: Sequence[int | None]) -> dict[int, Row]:
    """The citation fields of each article (its text is not read)."""
    ids = sorted({i for i in article_ids if i is not None})
    if not ids:
        return {}
    link, provenance = table_of(ArticleProvenance), table_of(Provenance)
    rows = session.execute(
        sa.select(*_ARTICLE_COLUMNS, provenance.c.record)
        .outerjoin(link, link.c.article_id == _ARTICLE.c.id)
        .outerjoin(provenance, provenance.c.id == link.c.provenance_id)
        .where(_ARTICLE.c.id.in_(ids))
    ).all()
    found: dict[int, Row] = {}
    for row in rows:
        record: dict[str, Any] = row.record or {}
        models = record.get("models") or {}
        pipeline = record.get("pipeline") or {}
        found[row.id] = {
            "article_id": row.id,
            "article_url": row.url,
            "article_title": row.title,
            "article_source": row.source,
            "article_published_at": _utc(row.published_at),
            "article_content_hash": row.content_hash,
            "article_content_id": article_content_id(row.content_hash),
            "extractor_version": row.extractor_version,
            "ingested_at": _utc(row.ingested_at),
            "spacy_version": record.get("spacy"),
            "pipeline": f"{pipeline['name']} {pipeline['version']}" if pipeline else None,
            "claims_model_sha256": (models.get("claims") or {}).get("sha256"),
            "attribution_model_sha256": (models.get("attribution") or {}).get("sha256"),
            "provenance": record or None,
        }
    return found


_NO_CITATION: Row = {name: None for name, _ in CITATION}


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def _speaker_names(session: Session, ids: Sequence[int | None]) -> dict[int, Any]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    speaker = table_of(Speaker)
    rows = session.execute(
        sa.select(speaker.c.id, speaker.c.name, speaker.c.kind, speaker.c.name_key).where(
            speaker.c.id.in_(wanted)
        )
    ).all()
    return {row.id: row for row in rows}


# --- datasets ---------------------------------------------------------------------------------


def _quotes(session: Session, where: ExportFilter, size: int) -> Batches:
    listing = queries.quotes_listing(
        session,
        queries.QuoteFilter(
            speaker=where.speaker,
            speaker_id=where.speaker_id,
            kind=where.kind,
            since=where.since,
            until=where.until,
            search=where.search,
            min_confidence=where.min_confidence,
            source=where.source,
            speakers=where.speakers,
            classes=where.classes,
        ),
    )
    occurrence, quotation = table_of(QuotationOccurrence), table_of(Quotation)
    for quotes in _pages(session, listing, size, _recent):
        citations = _citations(session, [q.article_id for q in quotes])
        speakers = _speaker_names(session, [q.speaker_id for q in quotes])
        fragments = queries.fragments_by_quote_ids(session, [q.id for q in quotes])
        groups = {
            row.quote_id: row
            for row in session.execute(
                sa.select(occurrence.c.quote_id, quotation.c.id, quotation.c.key_hash)
                .join(quotation, quotation.c.id == occurrence.c.quotation_id)
                .where(occurrence.c.quote_id.in_([q.id for q in quotes]))
            ).all()
        }
        rows = []
        for q, pieces in zip(quotes, fragments, strict=True):
            person = speakers.get(q.speaker_id)
            group = groups.get(q.id)
            citation = citations[q.article_id]
            rows.append(
                {
                    "quote_id": q.id,
                    "content_id": quote_content_id(
                        citation["article_content_hash"], q.start, q.end
                    ),
                    "text": q.text,
                    "kind": q.kind,
                    "cue": q.cue,
                    "start": q.start,
                    "end": q.end,
                    "confidence": q.confidence,
                    "role": q.role,
                    "date": as_utc(q.sort_date),
                    "speaker_id": q.speaker_id,
                    "speaker": person.name if person else None,
                    "speaker_kind": person.kind if person else None,
                    "speaker_mention": q.speaker_mention,
                    "attribution_class": q.attribution_class,
                    "fragments": [
                        {"text": piece.text, "start": piece.start, "end": piece.end}
                        for piece in pieces
                    ]
                    or [{"text": q.text, "start": q.start, "end": q.end}],
                    "quotation_id": group.id if group else None,
                    "quotation_content_id": (
                        quotation_content_id(person.name_key, group.key_hash)
                        if group and person
                        else None
                    ),
                    **citation,
                }
            )
        yield rows


def _quotations(session: Session, where: ExportFilter, size: int) -> Batches:
    listing = queries.quotations_listing(
        session,
        queries.QuotationFilter(
            speaker=where.speaker,
            speakers=where.speakers,
            speaker_id=where.speaker_id,
            since=where.since,
            until=where.until,
            min_occurrences=where.min_occurrences,
        ),
    )
    occurrence, quote = table_of(QuotationOccurrence), table_of(Quote)
    for groups in _pages(session, listing, size, lambda r: (as_utc(r.last_seen), r.id)):
        speakers = _speaker_names(session, [g.speaker_id for g in groups])
        # The article of each quotation's earliest occurrence (by date, then quote id).
        first = (
            sa.select(
                occurrence.c.quotation_id,
                quote.c.article_id,
                sa.func.row_number()
                .over(
                    partition_by=occurrence.c.quotation_id,
                    order_by=(occurrence.c.sort_date, occurrence.c.quote_id),
                )
                .label("n"),
            )
            .join(quote, quote.c.id == occurrence.c.quote_id)
            .where(occurrence.c.quotation_id.in_([g.id for g in groups]))
            .subquery()
        )
        articles = dict(
            session.execute(
                sa.select(first.c.quotation_id, first.c.article_id).where(first.c.n == 1)
            ).all()
        )
        citations = _citations(session, list(articles.values()))
        rows = []
        for g in groups:
            person = speakers[g.speaker_id]
            rows.append(
                {
                    "quotation_id": g.id,
                    "content_id": quotation_content_id(person.name_key, g.key_hash),
                    "text": g.text,
                    "speaker_id": g.speaker_id,
                    "speaker": person.name,
                    "occurrences": g.occurrences,
                    "first_seen": as_utc(g.first_seen),
                    "last_seen": as_utc(g.last_seen),
                    **citations.get(articles.get(g.id, -1), _NO_CITATION),
                }
            )
        yield rows


def _speakers(session: Session, where: ExportFilter, size: int) -> Batches:
    listing = queries.speakers_listing(session, search=where.speaker, kind=where.kind)
    quote = table_of(Quote)
    for speakers in _pages(session, listing, size, lambda s: (s.name_key, s.id)):
        ids = [s.id for s in speakers]
        aliases = queries.aliases_by_speaker_ids(session, ids)
        counts = queries.quote_counts_by_speaker_ids(session, ids)
        first_quotes = (
            sa.select(quote.c.speaker_id, sa.func.min(quote.c.id).label("first"))
            .where(quote.c.speaker_id.in_(ids))
            .group_by(quote.c.speaker_id)
            .subquery()
        )
        articles = dict(
            session.execute(
                sa.select(first_quotes.c.speaker_id, quote.c.article_id).join(
                    quote, quote.c.id == first_quotes.c.first
                )
            ).all()
        )
        citations = _citations(session, list(articles.values()))
        yield [
            {
                "speaker_id": s.id,
                "name": s.name,
                "kind": s.kind,
                "role": s.role,
                "aliases": [a.alias for a in alias_rows],
                "quote_count": count,
                **citations.get(articles.get(s.id, -1), _NO_CITATION),
            }
            for s, alias_rows, count in zip(speakers, aliases, counts, strict=True)
        ]


def _claims(session: Session, where: ExportFilter, size: int) -> Batches:
    listing = queries.claims_listing(
        session,
        queries.ClaimFilter(
            claimant=where.speaker,
            claimant_id=where.speaker_id,
            min_score=where.min_score,
            search=where.search,
            source=where.source,
            since=where.since,
            until=where.until,
        ),
    )
    for claims in _pages(session, listing, size, _recent):
        citations = _citations(session, [c.article_id for c in claims])
        speakers = _speaker_names(session, [c.claimant_id for c in claims])
        rows = []
        for c in claims:
            person = speakers.get(c.claimant_id)
            rows.append(
                {
                    "claim_id": c.id,
                    "text": c.text,
                    "start": c.start,
                    "end": c.end,
                    "score": c.score,
                    "date": as_utc(c.sort_date),
                    "claimant_id": c.claimant_id,
                    "claimant": person.name if person else None,
                    "quote_id": c.quote_id,
                    **citations[c.article_id],
                }
            )
        yield rows


def _reviews(session: Session, where: ExportFilter, size: int) -> Batches:
    listing = queries.reviews_listing(
        session,
        queries.ReviewFilter(
            search=where.search,
            since=where.since,
            until=where.until,
            rating=where.rating,
            publisher=where.publisher,
        ),
    )
    link, claim = table_of(ReviewLink), table_of(Claim)
    for reviews in _pages(session, listing, size, _recent):
        links = session.execute(
            sa.select(
                link.c.review_id,
                link.c.status,
                link.c.score,
                claim.c.id,
                claim.c.text,
                claim.c.article_id,
            )
            .join(claim, claim.c.id == link.c.claim_id)
            .where(link.c.review_id.in_([r.id for r in reviews]), link.c.status.in_(SHOWN_STATUSES))
            .order_by(link.c.review_id, claim.c.id)
        ).all()
        citations = _citations(session, [row.article_id for row in links])
        by_review: dict[int, list[Any]] = {}
        for row in links:
            by_review.setdefault(row.review_id, []).append(row)
        rows = []
        for r in reviews:
            base = {
                "review_id": r.id,
                "claim_reviewed": r.claim_reviewed,
                "reviewer": r.reviewer,
                "url": r.url,
                "rating": r.rating,
                "rating_value": r.rating_value,
                "best_rating": r.best_rating,
                "worst_rating": r.worst_rating,
                "review_date": _utc(r.review_date),
            }
            for row in by_review.get(r.id) or [None]:
                rows.append(
                    {
                        **base,
                        "link_status": row.status if row else None,
                        "link_score": row.score if row else None,
                        "claim_id": row.id if row else None,
                        "claim_text": row.text if row else None,
                        **(citations[row.article_id] if row else _NO_CITATION),
                    }
                )
        yield rows


# --- formats ----------------------------------------------------------------------------------


def plain(row: Row, columns: Columns) -> Row:
    """A row for JSON Lines and CSV: dates in ISO 8601, JSON columns as JSON values."""
    out: Row = {}
    for name, kind in columns:
        value = row.get(name)
        if kind == "datetime" and value is not None:
            value = value.isoformat()
        out[name] = value
    return out


def json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
