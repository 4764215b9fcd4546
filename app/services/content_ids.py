"""Content-based identifiers: made from what an object is, not from its row id, so that a
citation still resolves in another database after an export and import, or after a rebuild.

    article    Article@<sha256 of its text>
    quote      Quote@<article's sha256>:<start>:<end>   (offsets into the article text)
    quotation  Quotation@<sha256 of its normalised text>:<speaker's name key>

Encoded in base64 like the row-based global IDs, and resolved by `node(id:)` beside them.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import (
    Article,
    Quotation,
    QuotationOccurrence,
    Quote,
    Speaker,
    SpeakerAlias,
    table_of,
)

_HASH = "[0-9a-f]{64}"
_ARTICLE = re.compile(f"Article@({_HASH})")
_QUOTE = re.compile(f"Quote@({_HASH}):([0-9]+):([0-9]+)")
_QUOTATION = re.compile(f"Quotation@({_HASH}):(.+)", re.DOTALL)


def _encode(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def article_content_id(content_hash: str) -> str:
    return _encode(f"Article@{content_hash}")


def quote_content_id(article_hash: str, start: int, end: int) -> str:
    return _encode(f"Quote@{article_hash}:{start}:{end}")


def quotation_content_id(speaker_key: str, key_hash: str) -> str:
    return _encode(f"Quotation@{key_hash}:{speaker_key}")


@dataclass(frozen=True, slots=True)
class ContentId:
    type_name: str
    parts: tuple[str, ...]


def parse_content_id(value: str) -> ContentId | None:
    """The type and parts of a content id; None when `value` is not one (a row ID, say)."""
    try:
        text = base64.b64decode(value.encode(), validate=True).decode()
    except (binascii.Error, UnicodeError, ValueError):
        return None
    for type_name, pattern in (("Article", _ARTICLE), ("Quote", _QUOTE), ("Quotation", _QUOTATION)):
        match = pattern.fullmatch(text)
        if match:
            return ContentId(type_name, match.groups())
    return None


def resolve_content_id(session: Session, content: ContentId) -> Any | None:
    """The row a content id stands for in this database, or None."""
    article, quote = table_of(Article), table_of(Quote)
    if content.type_name == "Article":
        return session.execute(
            sa.select(article).where(article.c.content_hash == content.parts[0])
        ).first()
    if content.type_name == "Quote":
        digest, start, end = content.parts
        return session.execute(
            sa.select(quote)
            .join(article, article.c.id == quote.c.article_id)
            .where(
                article.c.content_hash == digest,
                quote.c.start == int(start),
                quote.c.end == int(end),
            )
            .order_by(quote.c.position)
            .limit(1)
        ).first()
    key_hash, speaker_key = content.parts
    speaker, alias, quotation = table_of(Speaker), table_of(SpeakerAlias), table_of(Quotation)
    # The speaker by its key, or by an alias with that key (a speaker merged into another
    # keeps its name as an alias).
    speakers = sa.union(
        sa.select(speaker.c.id).where(speaker.c.name_key == speaker_key),
        sa.select(alias.c.speaker_id).where(alias.c.alias_key == speaker_key),
    )
    # Any occurrence with these words: the id still resolves after a longer version of the
    # quotation came in and became its text.
    occurrence = table_of(QuotationOccurrence)
    holding = sa.select(occurrence.c.quotation_id).where(occurrence.c.key_hash == key_hash)
    return session.execute(
        sa.select(quotation)
        .where(quotation.c.id.in_(holding), quotation.c.speaker_id.in_(speakers))
        .order_by(quotation.c.id)
        .limit(1)
    ).first()


def quote_content_ids(session: Session, ids: Sequence[int]) -> list[str | None]:
    """Each quote's content id (None where the quote is gone)."""
    article, quote = table_of(Article), table_of(Quote)
    rows = session.execute(
        sa.select(quote.c.id, article.c.content_hash, quote.c.start, quote.c.end)
        .join(article, article.c.id == quote.c.article_id)
        .where(quote.c.id.in_(sorted(set(ids))))
    ).all()
    found = {row.id: quote_content_id(row.content_hash, row.start, row.end) for row in rows}
    return [found.get(i) for i in ids]


def quotation_content_ids(session: Session, ids: Sequence[int]) -> list[str | None]:
    speaker, quotation = table_of(Speaker), table_of(Quotation)
    rows = session.execute(
        sa.select(quotation.c.id, speaker.c.name_key, quotation.c.key_hash)
        .join(speaker, speaker.c.id == quotation.c.speaker_id)
        .where(quotation.c.id.in_(sorted(set(ids))))
    ).all()
    found = {row.id: quotation_content_id(row.name_key, row.key_hash) for row in rows}
    return [found.get(i) for i in ids]
