"""Bulk ingestion from a stream of articles: extraction pipelined across processes, each
article stored in its own transaction, so a run that is stopped can simply be run again."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.db.engine import make_session
from app.extraction.types import Extraction
from app.services.errors import ServiceError
from app.services.ingest import ArticleInput, PreparedArticle, find_existing, prepare_article
from app.services.ingest import store_article as store

ExtractMany = Callable[[Iterable[str]], Iterator[Extraction]]


@dataclass
class BulkReport:
    stored: int = 0
    already_stored: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, where: str, reason: str) -> None:
        self.failed += 1
        self.failures.append(f"{where}: {reason}")


def ingest_stream(
    engine: sa.Engine,
    items: Iterable[tuple[str, ArticleInput | Exception]],
    *,
    extract_many: ExtractMany,
    max_chars: int,
    on_item: Callable[[], None] = lambda: None,
) -> BulkReport:
    """Ingest (where, article) pairs; an Exception in place of an article is reported as that
    item's failure. Memory stays flat: items are read as the extractor asks for them."""
    report = BulkReport()
    waiting: deque[tuple[str, PreparedArticle]] = deque()

    def texts() -> Iterator[str]:
        for where, raw in items:
            try:
                if isinstance(raw, Exception):
                    raise ValueError(f"unreadable: {raw}")
                prepared = prepare_article(raw, max_chars=max_chars)
            except ServiceError as error:
                report.fail(where, error.message)
                on_item()
                continue
            except ValueError as error:
                report.fail(where, str(error))
                on_item()
                continue
            with make_session(engine) as session:
                already = find_existing(session, prepared) is not None
            if already:
                report.already_stored += 1
                on_item()
                continue
            waiting.append((where, prepared))
            yield prepared.text

    # The extractor reads ahead; `waiting` keeps each text's article in the same order.
    for extraction in extract_many(texts()):
        where, prepared = waiting.popleft()
        with make_session(engine) as session:
            try:
                result = store(session, prepared, extraction)
            except ServiceError as error:
                report.fail(where, error.message)
            else:
                if result.created:
                    report.stored += 1
                else:
                    report.already_stored += 1
        on_item()
    return report
