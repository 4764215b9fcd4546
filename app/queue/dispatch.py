"""Hand a job's articles to the task queue, or, with no broker configured, to a local thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import cached_property

import sqlalchemy as sa
from celery import Celery

from app.db.engine import make_session
from app.services.ingest import ArticleInput, Extractor
from app.services.jobs import run_item
from app.settings import Settings

log = logging.getLogger("quotegraph.queue")


class JobDispatcher:
    def __init__(self, settings: Settings, engine: sa.Engine, extractor: Extractor) -> None:
        self.settings = settings
        self.engine = engine
        self.extractor = extractor

    @cached_property
    def celery(self) -> Celery:
        from app.queue.tasks import make_celery

        return make_celery(self.settings)

    def dispatch(
        self, job_id: str, articles: Sequence[ArticleInput], positions: Sequence[int]
    ) -> None:
        if self.settings.broker_url:
            from app.queue.tasks import enqueue

            enqueue(self.celery, job_id, articles, positions)
            return
        # The embedded default: the same per-item work, in this process, one item at a time.
        thread = threading.Thread(
            target=self._run_locally, args=(job_id, articles, positions), daemon=True
        )
        thread.start()

    def _run_locally(
        self, job_id: str, articles: Sequence[ArticleInput], positions: Sequence[int]
    ) -> None:
        for position in positions:
            try:
                with make_session(self.engine) as session:
                    run_item(
                        session,
                        job_id,
                        position,
                        articles[position],
                        self.extractor,
                        max_chars=self.settings.max_article_chars,
                    )
            except Exception:
                # Leave the item pending (as a lost worker would) and carry on with the rest.
                log.exception("job %s item %s failed unexpectedly", job_id, position)
