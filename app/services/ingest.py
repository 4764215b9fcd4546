"""Ingest one article in one transaction: article, speakers, quotes and claims, or nothing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.db.engine import begin_write
from app.db.models import Article, Claim, Quote, QuoteFragment, as_utc, table_of, utcnow
from app.extraction.language import looks_english, stop_word_share
from app.extraction.provenance import provenance_record
from app.extraction.types import Extraction, QuoteSpan, SpeakerRef
from app.services import counters
from app.services.curation import reapply as reapply_curation
from app.services.errors import Conflict, InvalidInput
from app.services.events import Added, announce_added
from app.services.html_text import looks_like_html, read_page
from app.services.names import name_key
from app.services.provenance import record_provenance
from app.services.quotations import (
    SPEECH,
    NewOccurrence,
    assign,
    quotations_of_article,
    refresh,
)
from app.services.review_matching import NewClaim, match_new_claims
from app.services.speakers import resolve_speakers

Extractor = Callable[[str], Extraction]

# C0 control characters other than tab and newline carry no meaning in an article; NUL cannot
# even be stored in a PostgreSQL text column.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
EARLIEST_DATE = datetime(1800, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """An article as a caller hands it in; nothing here is trusted yet."""

    text: str
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """A checked, normalised article ready to store; `content_hash` identifies its text."""

    text: str
    content_hash: str
    url: str | None
    title: str | None
    source: str | None
    published_at: datetime | None
    byline: str | None = None
    """The author an HTML page declares; stored when extraction finds no byline in the text."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    article_id: int
    created: bool
    """False when the same text (or URL) was already stored: re-ingesting is a no-op."""


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare_article(raw: ArticleInput, *, max_chars: int) -> PreparedArticle:
    """Check and normalise input; raises InvalidInput with a sentence a person understands."""
    if "\x00" in raw.text:
        raise InvalidInput(
            "The text contains NUL bytes, which suggests a binary file; send plain text.",
            field="text",
        )
    if _SURROGATE.search(raw.text):
        raise InvalidInput(
            "The text contains invalid Unicode (an unpaired surrogate); send UTF-8 text.",
            field="text",
        )
    text, title, published_at, byline = raw.text, raw.title, raw.published_at, None
    if looks_like_html(text):
        # Offsets must point into what is stored, so the page is stored as its text. What the
        # caller gave wins over what the page declares.
        page = read_page(text)
        text, title, byline = page.text, title or page.title, page.byline
        if published_at is None and _plausible(page.published_at):
            published_at = page.published_at
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise InvalidInput("The article text is empty.", field="text")
    if len(text) > max_chars:
        raise InvalidInput(
            f"The article text is {len(text):,} characters long; the limit is {max_chars:,}.",
            field="text",
        )
    if not looks_english(text):
        share, _ = stop_word_share(text)
        raise InvalidInput(
            "The article does not read as English (only "
            f"{share:.0%} of its words are common English words, against 28% or more in "
            "English news); quotegraph extracts quotes from English text only.",
            field="text",
        )
    return PreparedArticle(
        text=text,
        content_hash=content_hash(text),
        url=check_url(raw.url),
        title=_clean_optional(title),
        source=_clean_optional(raw.source),
        published_at=_check_date(published_at),
        byline=_clean_optional(byline),
    )


def _clean_optional(value: str | None) -> str | None:
    if value is None:
        return None
    if _SURROGATE.search(value):
        raise InvalidInput("A field contains invalid Unicode (an unpaired surrogate).")
    value = " ".join(_CONTROL.sub("", value).split())
    return value or None


def check_url(url: str | None) -> str | None:
    url = _clean_optional(url)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        raise InvalidInput(
            f"{url!r} is not a usable article URL; give an absolute http(s) address.", field="url"
        )
    return url


def _plausible(value: datetime | None) -> bool:
    """A date a page declares is used only when plausible: a wrong one on a page is not a
    reason to refuse the article, as a wrong one from the caller is."""
    return value is not None and EARLIEST_DATE <= as_utc(value) <= utcnow() + timedelta(days=2)


def _check_date(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = as_utc(value)
    if not _plausible(value):
        raise InvalidInput(
            f"publishedAt {value.isoformat()} is not a plausible publication date "
            "(it must lie between 1800 and today).",
            field="publishedAt",
        )
    return value


def find_existing(session: Session, prepared: PreparedArticle) -> int | None:
    """The stored article with the same text, if any."""
    return session.exec(
        select(Article.id).where(Article.content_hash == prepared.content_hash)
    ).first()


def store_article(
    session: Session, prepared: PreparedArticle, extraction: Extraction, *, retry: bool = True
) -> IngestResult:
    """Write the article and everything extracted from it in one transaction, then commit."""
    if extraction.text != prepared.text:
        raise ValueError("the extraction was made from a different text")
    try:
        begin_write(session)
        existing = find_existing(session, prepared)
        if existing is not None:
            session.rollback()
            return IngestResult(existing, created=False)
        if prepared.url is not None:
            other = session.exec(select(Article.id).where(Article.url == prepared.url)).first()
            if other is not None:
                raise Conflict(
                    f"Another text is already stored under the URL {prepared.url} "
                    f"(article {other}); delete it first to replace it.",
                    field="url",
                )
        article_id = _write(session, prepared, extraction)
        session.commit()
    except IntegrityError:
        # A concurrent writer stored the same text first: that is the idempotent outcome.
        session.rollback()
        existing = find_existing(session, prepared)
        if existing is None and retry and not _url_taken(session, prepared):
            # Nor the URL: a speaker this article names was merged away by an editor meanwhile
            # (app.services.curation); resolved again, its name leads to the survivor.
            return store_article(session, prepared, extraction, retry=False)
        if existing is None:
            # Not the same text: a different text took this URL at the same moment.
            raise Conflict(
                f"Another text was stored under the URL {prepared.url} at the same time.",
                field="url",
            ) from None
        return IngestResult(existing, created=False)
    except BaseException:
        session.rollback()
        raise
    return IngestResult(article_id, created=True)


def _url_taken(session: Session, prepared: PreparedArticle) -> bool:
    if prepared.url is None:
        return False
    taken = session.exec(select(Article.id).where(Article.url == prepared.url)).first()
    session.rollback()
    return taken is not None


def _write(session: Session, prepared: PreparedArticle, extraction: Extraction) -> int:
    # Core INSERTs of plain rows: nothing here is read back as an ORM object, and the unit of
    # work's bookkeeping cost more than the statements. Quotes and claims go in one batched
    # statement each; RETURNING in parameter order gives the quote ids the claims point at.
    ingested_at = utcnow()
    sort_date = prepared.published_at or ingested_at
    body_end = extraction.body_end if extraction.body_end >= 0 else len(prepared.text)
    article_id = _insert(
        session,
        Article,
        [
            {
                "url": prepared.url,
                "title": prepared.title,
                "source": prepared.source,
                "published_at": prepared.published_at,
                "dateline": extraction.dateline,
                "byline": extraction.byline or prepared.byline,
                "text": prepared.text,
                "body_start": extraction.body_start,
                "body_end": body_end,
                "content_hash": prepared.content_hash,
                "language": extraction.language,
                "ingested_at": ingested_at,
                "extractor_version": extraction.extractor_version,
                "sort_date": sort_date,
            }
        ],
    )[0]
    write_extraction(
        session, article_id, prepared.text, prepared.content_hash, sort_date, extraction
    )
    return article_id


def write_extraction(
    session: Session,
    article_id: int,
    text: str,
    text_hash: str,
    sort_date: datetime,
    extraction: Extraction,
) -> None:
    """Store what was extracted from a stored article (speakers, quotes, claims, links to
    fact-checks), then put editors' decisions back; in the caller's transaction."""
    speakers = _with_quoted_name_parts(extraction, text)
    speaker_ids = resolve_speakers(session, speakers, sort_date, text_hash[:16])
    quote_ids = _insert(
        session,
        Quote,
        [
            {
                "article_id": article_id,
                "speaker_id": None if q.speaker is None else speaker_ids[q.speaker],
                "position": position,
                "text": q.text,
                "kind": q.kind,
                "cue": q.cue,
                "cue_start": q.cue_start,
                "cue_end": q.cue_end,
                "start": q.start,
                "end": q.end,
                "speaker_mention": (
                    text[q.speaker_start : q.speaker_end]
                    if q.speaker_start is not None and q.speaker_end is not None
                    else None
                ),
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "role": q.role,
                "confidence": min(1.0, max(0.0, q.confidence)),
                "sort_date": sort_date,
                "attribution_class": q.attribution_class,
            }
            for position, q in enumerate(extraction.quotes)
        ],
    )
    write_fragments(session, quote_ids, extraction.quotes, text)
    claim_ids = _insert(
        session,
        Claim,
        [
            {
                "article_id": article_id,
                "claimant_id": None if c.claimant is None else speaker_ids[c.claimant],
                "quote_id": None if c.quote is None else quote_ids[c.quote],
                "position": position,
                "text": c.text,
                "start": c.start,
                "end": c.end,
                "score": min(1.0, max(0.0, c.score)),
                "features": dict(c.features),
                "sort_date": sort_date,
            }
            for position, c in enumerate(extraction.claims)
        ],
    )
    counters.add_article(session, article_id)
    # Each attributed speech quote joins its speaker's quotation (or starts one): a belief
    # or evidence is no quotation. The article's reproducibility record goes with it. Same
    # transaction.
    assign(
        session,
        [
            NewOccurrence(quote_id, speaker_ids[q.speaker], q.text, sort_date)
            for quote_id, q in zip(quote_ids, extraction.quotes, strict=True)
            if q.speaker is not None and q.attribution_class == SPEECH
        ],
    )
    record_provenance(session, article_id, provenance_record(extraction.extractor_version))
    # New claims are linked to the fact-checks already stored, in the same transaction.
    match_new_claims(
        session,
        [
            NewClaim(claim_id, c.text, None if c.claimant is None else speakers[c.claimant].name)
            for claim_id, c in zip(claim_ids, extraction.claims, strict=True)
        ],
    )
    # Editors' decisions on this text (it may have been stored and curated before) win.
    reapply_curation(session, article_id)
    # Live subscribers hear of it when (and only if) this transaction commits.
    announce_added(session, Added(article_id, tuple(quote_ids), tuple(claim_ids)))


def write_fragments(
    session: Session, quote_ids: list[int], quotes: Sequence[QuoteSpan], text: str
) -> None:
    """The fragments of stored quotes, in one batched statement: each quote's pieces with
    their offsets, so that text[start:end] is each fragment's text."""
    rows = [
        {
            "quote_id": quote_id,
            "position": position,
            "text": text[start:end],
            "start": start,
            "end": end,
        }
        for quote_id, quote in zip(quote_ids, quotes, strict=True)
        for position, (start, end) in enumerate(quote.fragments)
    ]
    if rows:
        session.execute(sa.insert(table_of(QuoteFragment)), rows)


def _insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` into the model's table in one batched statement; their ids, in order."""
    if not rows:
        return []
    table = table_of(model)
    statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [int(i) for i in session.execute(statement, rows).scalars()]


def _with_quoted_name_parts(extraction: Extraction, text: str) -> list[SpeakerRef]:
    """Speakers with every part of their name that a quote was attributed to ("Blinken" for
    Antony Blinken) among their aliases, so `speaker: "Blinken"` finds them across articles.
    Only parts of the canonical name count: pronouns and descriptions never become aliases."""
    extra: dict[int, list[str]] = {}
    for quote in extraction.quotes:
        if quote.speaker is None or quote.speaker_start is None or quote.speaker_end is None:
            continue
        mention = text[quote.speaker_start : quote.speaker_end].strip()
        words = set(name_key(mention).split())
        name_words = set(name_key(extraction.speakers[quote.speaker].name).split())
        if words and words < name_words:
            extra.setdefault(quote.speaker, []).append(mention)
    return [
        replace(ref, aliases=(*ref.aliases, *extra.get(index, ())))
        for index, ref in enumerate(extraction.speakers)
    ]


def ingest_article(
    session: Session, raw: ArticleInput, extractor: Extractor, *, max_chars: int
) -> IngestResult:
    """Check, extract and store one article; the same text twice is stored once."""
    prepared = prepare_article(raw, max_chars=max_chars)
    existing = find_existing(session, prepared)
    session.rollback()  # end the read transaction before the slow extraction
    if existing is not None:
        return IngestResult(existing, created=False)
    return store_article(session, prepared, extractor(prepared.text))


def delete_article(session: Session, article_id: int) -> bool:
    """Delete an article with its quotes and claims; speakers stay. False when absent."""
    begin_write(session)
    article = session.get(Article, article_id)
    if article is None:
        session.rollback()
        return False
    counters.remove_article(session, article_id)
    # The quotations its quotes were occurrences of are recounted (and dropped when empty).
    quotations = quotations_of_article(session, article_id)
    session.delete(article)
    session.flush()
    refresh(session, quotations)
    session.commit()
    return True
