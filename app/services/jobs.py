"""Ingest jobs: a batch of articles tracked item by item, done by queue workers or in-process."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.db.engine import begin_write
from app.db.models import IngestJob, IngestJobItem, utcnow
from app.services.errors import InvalidInput, NotFound, ServiceError
from app.services.ingest import (
    ArticleInput,
    Extractor,
    IngestResult,
    find_existing,
    prepare_article,
    store_article,
)

MAX_JOB_ARTICLES = 10_000


@dataclass(frozen=True, slots=True)
class JobFailure:
    position: int
    reason: str


@dataclass(frozen=True, slots=True)
class JobProgress:
    id: str
    created_at: datetime
    total: int
    done: int
    failed: int
    pending: int
    failures: Sequence[JobFailure]
    article_ids: Sequence[int]


def article_payload(raw: ArticleInput) -> dict[str, Any]:
    """An article as a JSON-safe task argument."""
    payload = asdict(raw)
    payload["published_at"] = raw.published_at.isoformat() if raw.published_at else None
    return payload


def article_from_payload(payload: dict[str, Any]) -> ArticleInput:
    published = payload.get("published_at")
    return ArticleInput(
        text=payload["text"],
        url=payload.get("url"),
        title=payload.get("title"),
        source=payload.get("source"),
        published_at=datetime.fromisoformat(published) if published else None,
    )


def create_job(
    session: Session,
    articles: Sequence[ArticleInput],
    *,
    max_chars: int,
    submitted_by: int | None = None,
) -> tuple[str, list[int]]:
    """Record a job; items that fail validation are marked failed at once. Returns the job id
    and the positions still to be processed."""
    if not articles:
        raise InvalidInput("A job needs at least one article.", field="articles")
    if len(articles) > MAX_JOB_ARTICLES:
        raise InvalidInput(
            f"A job may hold at most {MAX_JOB_ARTICLES:,} articles; split the batch.",
            field="articles",
        )
    job_id = str(uuid.uuid4())
    begin_write(session)
    session.add(IngestJob(id=job_id, total=len(articles), submitted_by=submitted_by))
    session.flush()
    pending: list[int] = []
    for position, raw in enumerate(articles):
        try:
            prepare_article(raw, max_chars=max_chars)
        except ServiceError as error:
            item = IngestJobItem(
                job_id=job_id,
                position=position,
                status="failed",
                error=error.message,
                finished_at=utcnow(),
            )
        else:
            item = IngestJobItem(job_id=job_id, position=position)
            pending.append(position)
        session.add(item)
    session.commit()
    return job_id, pending


def run_item(
    session: Session,
    job_id: str,
    position: int,
    raw: ArticleInput,
    extractor: Extractor,
    *,
    max_chars: int,
) -> str:
    """Process one item; safe to run again (a redelivered task finds the article stored).
    Returns the item's final status."""
    item = session.get(IngestJobItem, (job_id, position))
    if item is None:
        raise NotFound(f"No item {position} in job {job_id}.")
    if item.status != "pending":
        session.rollback()
        return item.status
    session.rollback()
    try:
        prepared = prepare_article(raw, max_chars=max_chars)
        existing = find_existing(session, prepared)
        session.rollback()
        result = (
            IngestResult(existing, created=False)
            if existing is not None
            else store_article(session, prepared, extractor(prepared.text))
        )
    except ServiceError as error:
        _finish(session, job_id, position, "failed", error=error.message)
        return "failed"
    _finish(session, job_id, position, "done", article_id=result.article_id)
    return "done"


def _finish(
    session: Session,
    job_id: str,
    position: int,
    status: str,
    *,
    article_id: int | None = None,
    error: str | None = None,
) -> None:
    begin_write(session)
    session.execute(
        sa.update(IngestJobItem)
        .where(col(IngestJobItem.job_id) == job_id, col(IngestJobItem.position) == position)
        .values(status=status, article_id=article_id, error=error, finished_at=utcnow())
    )
    session.commit()


def job_progress(session: Session, job_id: str) -> JobProgress:
    job = session.get(IngestJob, job_id)
    if job is None:
        raise NotFound(f"No job {job_id!r}.")
    counts = dict(
        session.execute(
            sa.select(col(IngestJobItem.status), sa.func.count())
            .where(col(IngestJobItem.job_id) == job_id)
            .group_by(col(IngestJobItem.status))
        ).all()
    )
    failures = session.exec(
        select(IngestJobItem)
        .where(IngestJobItem.job_id == job_id, IngestJobItem.status == "failed")
        .order_by(col(IngestJobItem.position))
    ).all()
    article_ids = session.exec(
        select(IngestJobItem.article_id)
        .where(IngestJobItem.job_id == job_id, col(IngestJobItem.article_id).is_not(None))
        .order_by(col(IngestJobItem.position))
    ).all()
    return JobProgress(
        id=job.id,
        created_at=job.created_at,
        total=job.total,
        done=int(counts.get("done", 0)),
        failed=int(counts.get("failed", 0)),
        pending=int(counts.get("pending", 0)),
        failures=[JobFailure(f.position, f.error or "") for f in failures],
        article_ids=[int(i) for i in article_ids if i is not None],
    )
