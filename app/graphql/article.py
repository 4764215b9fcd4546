"""The Article type."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db.models import Article as ArticleRow
from app.db.models import as_utc
from app.graphql import relations
from app.graphql.enums import Classes, class_values
from app.graphql.node import LoadedNode
from app.services import queries
from app.services.content_ids import article_content_id
from app.services.queries import DEFAULT_CLASSES

if TYPE_CHECKING:
    from app.graphql.claim import Claim
    from app.graphql.provenance import Provenance
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
    @relations.ARTICLE_QUOTES.serves
    def quotes(
        self, info: Info, classes: Classes = None
    ) -> list[Annotated[Quote, strawberry.lazy("app.graphql.quote")]]:
        kept = class_values(classes)
        if kept == DEFAULT_CLASSES:
            return cast("list[Quote]", relations.ARTICLE_QUOTES.resolve(info, self))
        return cast("list[Quote]", self._quotes_of(info, kept))

    async def _quotes_of(self, info: Info, kept: tuple[str, ...]) -> list[Any]:
        from app.graphql.quote import Quote

        fetch = queries.quotes_by_article_ids_of(kept)
        rows = await info.context.loaders.named(f"Article.quotes{kept}", fetch).load(self.id)
        return [Quote.from_row(row) for row in rows]

    @strawberry.field(description="Check-worthy claims in the article, in order of appearance.")
    @relations.ARTICLE_CLAIMS.serves
    def claims(self, info: Info) -> list[Annotated[Claim, strawberry.lazy("app.graphql.claim")]]:
        return cast("list[Claim]", relations.ARTICLE_CLAIMS.resolve(info, self))

    @strawberry.field(description="Everyone quoted in the article, in order of first quote.")
    @relations.ARTICLE_SPEAKERS.serves
    def speakers(
        self, info: Info
    ) -> list[Annotated[Speaker, strawberry.lazy("app.graphql.speaker")]]:
        return cast("list[Speaker]", relations.ARTICLE_SPEAKERS.resolve(info, self))

    @strawberry.field(
        description="An identifier made from the content hash: it resolves with node(id:) in "
        "any quotegraph database holding the same text (after an export and import, or a "
        "rebuild), unlike `id`."
    )
    def content_id(self) -> str:
        return article_content_id(self.content_hash)

    @strawberry.field(
        description="How its quotes and claims were extracted: the reproducibility record."
    )
    @relations.ARTICLE_PROVENANCE.serves
    def provenance(
        self, info: Info
    ) -> Annotated[Provenance, strawberry.lazy("app.graphql.provenance")]:
        return cast("Provenance", relations.ARTICLE_PROVENANCE.resolve(info, self))

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
