"""The Article type."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db.models import Article as ArticleRow
from app.db.models import as_utc
from app.graphql.enums import Classes, class_values
from app.graphql.node import LoadedNode
from app.services.queries import DEFAULT_CLASSES

if TYPE_CHECKING:
    from app.graphql.claim import Claim
    from app.graphql.quote import Quote
    from app.graphql.speaker import Speaker


@strawberry.type(description="A news article as ingested, with what was extracted from it.")
class Article(LoadedNode):
    loader_name: ClassVar[str] = "article"

    id: relay.NodeID[int]
    url: str | None = strawberry.field(description="Where the article was published, if given.")
    title: str | None = strawberry.field(description="Headline, if given.")
    source: str | None = strawberry.field(description='Publisher or outlet, e.g. "Reuters".')
    published_at: datetime | None = strawberry.field(
        description="Publication time (UTC), if known."
    )
    ingested_at: datetime = strawberry.field(description="When quotegraph stored it (UTC).")
    dateline: str | None = strawberry.field(
        description='Place named by the dateline at the start of the story ("TEL AVIV").'
    )
    byline: str | None = strawberry.field(description="Author(s) named by the byline.")
    text: str = strawberry.field(
        description="The full text as ingested. Every offset in the API points into this string."
    )
    body_start: int = strawberry.field(
        description="Offset where the story proper starts (after any dateline)."
    )
    body_end: int = strawberry.field(
        description="Offset where the story proper ends (before comment forms and site chrome)."
    )
    content_hash: str = strawberry.field(
        description="SHA-256 of `text`; the same text is only ever stored once."
    )
    language: str = strawberry.field(description="ISO 639-1 language code of the text.")
    extractor_version: str = strawberry.field(
        description="Version of the extractor that produced this article's quotes and claims."
    )

    @strawberry.field(description="The story proper: `text[bodyStart:bodyEnd]`.")
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]

    @strawberry.field(description="The article's quotes, in the order they appear.")
    async def quotes(
        self, info: Info, classes: Classes = None
    ) -> list[Annotated[Quote, strawberry.lazy("app.graphql.quote")]]:
        from app.graphql.quote import Quote

        kept = class_values(classes)
        loader = (
            info.context.loaders.quotes_by_article
            if kept == DEFAULT_CLASSES
            else info.context.loaders.quotes_by_article_of(kept)
        )
        rows = await loader.load(self.id)
        return [Quote.from_row(row) for row in rows]

    @strawberry.field(description="Check-worthy claims in the article, in order of appearance.")
    async def claims(
        self, info: Info
    ) -> list[Annotated[Claim, strawberry.lazy("app.graphql.claim")]]:
        from app.graphql.claim import Claim

        rows = await info.context.loaders.claims_by_article.load(self.id)
        return [Claim.from_row(row) for row in rows]

    @strawberry.field(description="Everyone quoted in the article, in order of first quote.")
    async def speakers(
        self, info: Info
    ) -> list[Annotated[Speaker, strawberry.lazy("app.graphql.speaker")]]:
        from app.graphql.speaker import Speaker

        rows = await info.context.loaders.speakers_by_article.load(self.id)
        return [Speaker.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: ArticleRow) -> Article:
        assert row.id is not None
        return cls(
            id=row.id,
            url=row.url,
            title=row.title,
            source=row.source,
            published_at=as_utc(row.published_at) if row.published_at else None,
            ingested_at=as_utc(row.ingested_at),
            dateline=row.dateline,
            byline=row.byline,
            text=row.text,
            body_start=row.body_start,
            body_end=row.body_end,
            content_hash=row.content_hash,
            language=row.language,
            extractor_version=row.extractor_version,
        )
