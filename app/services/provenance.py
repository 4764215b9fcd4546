"""Provenance records: each article's extractor, models and their weights' sha256, stored once
per distinct record and linked to the article in the transaction that stores it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import Article, ArticleProvenance, Provenance, table_of
from app.services.speakers import insert_ignoring_conflicts

_PROVENANCE = table_of(Provenance)
_LINK = table_of(ArticleProvenance)


def digest(record: dict[str, Any]) -> str:
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_provenance(session: Session, article_id: int, record: dict[str, Any]) -> int:
    """Link the article to `record` (stored if new); its id."""
    key = digest(record)
    found = session.execute(sa.select(_PROVENANCE.c.id).where(_PROVENANCE.c.digest == key)).scalar()
    if found is None:
        insert_ignoring_conflicts(
            session, Provenance, {"digest": key, "record": record}, ["digest"]
        )
        found = session.execute(
            sa.select(_PROVENANCE.c.id).where(_PROVENANCE.c.digest == key)
        ).scalar_one()
    insert_ignoring_conflicts(
        session,
        ArticleProvenance,
        {"article_id": article_id, "provenance_id": found},
        ["article_id"],
    )
    return int(found)


def provenance_by_article_ids(session: Session, ids: Sequence[int]) -> list[dict[str, Any] | None]:
    """Each article's record, None for articles stored before records were kept."""
    rows = session.execute(
        sa.select(_LINK.c.article_id, _PROVENANCE.c.record)
        .join(_PROVENANCE, _PROVENANCE.c.id == _LINK.c.provenance_id)
        .where(_LINK.c.article_id.in_(sorted(set(ids))))
    ).all()
    found = {article_id: record for article_id, record in rows}
    return [found.get(i) for i in ids]


def article_provenance(session: Session, ids: Sequence[int]) -> list[Any]:
    """Each article's ingest time, extractor version and record (None: no such article)."""
    article = table_of(Article)
    rows = session.execute(
        sa.select(
            article.c.id, article.c.ingested_at, article.c.extractor_version, _PROVENANCE.c.record
        )
        .outerjoin(_LINK, _LINK.c.article_id == article.c.id)
        .outerjoin(_PROVENANCE, _PROVENANCE.c.id == _LINK.c.provenance_id)
        .where(article.c.id.in_(sorted(set(ids))))
    ).all()
    found = {row.id: row for row in rows}
    return [found.get(i) for i in ids]
