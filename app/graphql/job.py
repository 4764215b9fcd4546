"""The Job type: progress of a batch of articles submitted for ingestion."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.db.models import as_utc
from app.graphql.article import Article
from app.services.jobs import JobProgress


@strawberry.type(description="An article of a job that could not be ingested, and why.")
class JobFailure:
    position: int = strawberry.field(description="Index of the article in the submitted list.")
    reason: str = strawberry.field(description="What was wrong with it.")


@strawberry.type(description="Progress of articles submitted with submitArticles.")
class Job:
    id: strawberry.ID = strawberry.field(description="Job id; pass it to job(id:).")
    created_at: datetime = strawberry.field(description="When the job was submitted (UTC).")
    total: int = strawberry.field(description="Articles submitted.")
    done: int = strawberry.field(description="Articles stored (or found already stored).")
    failed: int = strawberry.field(description="Articles refused; see failures.")
    pending: int = strawberry.field(description="Articles not processed yet.")
    failures: list[JobFailure] = strawberry.field(description="Why articles were refused.")
    article_ids: strawberry.Private[list[int]]

    @strawberry.field(description="True when no article is pending any more.")
    def finished(self) -> bool:
        return self.pending == 0

    @strawberry.field(description="The stored articles, in submission order.")
    async def articles(self, info: Info) -> list[Article]:
        rows = await info.context.loaders.article.load_many(self.article_ids)
        return [Article.from_row(row) for row in rows if row is not None]

    @classmethod
    def from_progress(cls, progress: JobProgress) -> Job:
        return cls(
            id=strawberry.ID(progress.id),
            created_at=as_utc(progress.created_at),
            total=progress.total,
            done=progress.done,
            failed=progress.failed,
            pending=progress.pending,
            failures=[JobFailure(position=f.position, reason=f.reason) for f in progress.failures],
            article_ids=list(progress.article_ids),
        )
