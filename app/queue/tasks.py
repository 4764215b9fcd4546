"""Celery app and the ingest task: idempotent by content hash, acknowledged after commit."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from celery import Celery

from app.db.engine import make_engine, make_session
from app.services.ingest import ArticleInput
from app.services.jobs import article_from_payload, article_payload, run_item
from app.settings import Settings

TASK_NAME = "quotegraph.ingest_item"


def make_celery(settings: Settings) -> Celery:
    if not settings.broker_url:
        raise RuntimeError("No broker configured: set QUOTEGRAPH_BROKER_URL.")
    celery = Celery("quotegraph", broker=settings.broker_url)
    celery.conf.update(
        task_default_queue=settings.queue_name,
        task_serializer="json",
        accept_content=["json"],
        # A task is acknowledged only once it returned, i.e. after its transaction committed;
        # a worker killed mid-article leaves the message to be delivered again.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    celery.task(
        name=TASK_NAME,
        bind=True,
        autoretry_for=(sa.exc.OperationalError,),
        retry_backoff=True,
        max_retries=8,
    )(ingest_item)
    return celery


@lru_cache(maxsize=4)
def _worker_engine(database_url: str) -> sa.Engine:
    # One engine per worker process, made on first use (never at import).
    return make_engine(Settings(DATABASE_URL=database_url))


def ingest_item(task: Any, job_id: str, position: int, payload: dict[str, Any]) -> str:
    from app.extraction import extract

    settings = Settings()
    with make_session(_worker_engine(settings.database_url)) as session:
        return run_item(
            session,
            job_id,
            position,
            article_from_payload(payload),
            extract,
            max_chars=settings.max_article_chars,
        )


def enqueue(
    celery: Celery, job_id: str, articles: Sequence[ArticleInput], positions: Sequence[int]
) -> None:
    with celery.producer_or_acquire() as producer:
        for position in positions:
            celery.send_task(
                TASK_NAME,
                args=[job_id, position, article_payload(articles[position])],
                producer=producer,
            )
