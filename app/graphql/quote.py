"""The Quote type: what someone said, where, with offsets you can check."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, ClassVar, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db.models import Quote as QuoteRow
from app.db.models import as_utc
from app.graphql.enums import QuoteKind
from app.graphql.node import LoadedNode, load_related

if TYPE_CHECKING:
    from app.graphql.article import Article
    from app.graphql.claim import Claim
    from app.graphql.provenance import Provenance
    from app.graphql.quotation import Quotation
    from app.graphql.speaker import Speaker


@strawberry.type(
    description=(
        "A quote as it stands in one article. `article.text[start:end]` is exactly `text`, "
        "so the provenance of every quote can be verified."
    )
)
class Quote(LoadedNode):
    loader_name: ClassVar[str] = "quote"

    id: relay.NodeID[int]
    text: str = strawberry.field(description="What was said (without the quotation marks).")
    kind: QuoteKind = strawberry.field(description="Direct, indirect (reported) or mixed.")
    cue: str | None = strawberry.field(
        description='The reporting verb or phrase that introduces it ("said", "warned").'
    )
    cue_start: int | None = strawberry.field(description="Offset of the cue in the article text.")
    cue_end: int | None = strawberry.field(description="End offset of the cue (exclusive).")
    start: int = strawberry.field(description="Offset of the quote in the article text.")
    end: int = strawberry.field(description="End offset of the quote (exclusive).")
    speaker_mention: str | None = strawberry.field(
        description='The words the attribution rests on ("Netanyahu", "He").'
    )
    speaker_start: int | None = strawberry.field(
        description="Offset of the speaker mention in the article text."
    )
    speaker_end: int | None = strawberry.field(
        description="End offset of the speaker mention (exclusive)."
    )
    role: str | None = strawberry.field(
        description='The role the article gave the speaker here ("US Secretary of State").'
    )
    confidence: float = strawberry.field(
        description=(
            "Confidence in the attribution to the speaker, from 0 to 1. On annotated news "
            "(`quotegraph eval`), the speaker was right for about 98% of quotes at 0.85 or "
            "more, 96% from 0.7, 84-92% from 0.5; below 0.5 the quote is usually unattributed. "
            "Filter with `minConfidence`."
        )
    )
    position: int = strawberry.field(description="Order of the quote in its article, from 0.")
    date: datetime = strawberry.field(
        description="The article's publication time, or its ingestion time when unknown (UTC)."
    )
    speaker_id: strawberry.Private[int | None]
    article_id: strawberry.Private[int]

    @strawberry.field(description="Who said it; null when the quote could not be attributed.")
    def speaker(
        self, info: Info
    ) -> Annotated[Speaker, strawberry.lazy("app.graphql.speaker")] | None:
        from app.graphql.speaker import Speaker

        return cast(
            "Speaker | None", load_related(info, "speaker", self.speaker_id, Speaker.from_row)
        )

    @strawberry.field(description="The article the quote appears in.")
    def article(self, info: Info) -> Annotated[Article, strawberry.lazy("app.graphql.article")]:
        from app.graphql.article import Article

        return cast("Article", load_related(info, "article", self.article_id, Article.from_row))

    @strawberry.field(description="Check-worthy claims made within this quote.")
    async def claims(
        self, info: Info
    ) -> list[Annotated[Claim, strawberry.lazy("app.graphql.claim")]]:
        from app.graphql.claim import Claim

        rows = await info.context.loaders.claims_by_quote.load(self.id)
        return [Claim.from_row(row) for row in rows]

    @strawberry.field(
        description="The quotation this quote is an occurrence of: the same words of the same "
        "speaker in other articles. Null when the quote has no speaker."
    )
    async def quotation(
        self, info: Info
    ) -> Annotated[Quotation, strawberry.lazy("app.graphql.quotation")] | None:
        from app.graphql.quotation import Quotation

        row = await info.context.loaders.quotation_by_quote.load(self.id)
        return None if row is None else Quotation.from_row(row)

    @strawberry.field(
        description="An identifier made from the article's content hash and the quote's "
        "offsets: it resolves with node(id:) in any quotegraph database holding the same "
        "article (after an export and import, or a rebuild), unlike `id`."
    )
    async def content_id(self, info: Info) -> str:
        content_id: str = await info.context.loaders.quote_content_id.load(self.id)
        return content_id

    @strawberry.field(
        description="How the quote was extracted: its article's reproducibility record."
    )
    async def provenance(
        self, info: Info
    ) -> Annotated[Provenance, strawberry.lazy("app.graphql.provenance")]:
        from app.graphql.provenance import Provenance

        row = await info.context.loaders.article_provenance.load(self.article_id)
        return Provenance.from_parts(row.ingested_at, row.extractor_version, row.record)

    @classmethod
    def from_row(cls, row: QuoteRow) -> Quote:
        assert row.id is not None
        return cls(
            id=row.id,
            text=row.text,
            kind=QuoteKind(row.kind),
            cue=row.cue,
            cue_start=row.cue_start,
            cue_end=row.cue_end,
            start=row.start,
            end=row.end,
            speaker_mention=row.speaker_mention,
            speaker_start=row.speaker_start,
            speaker_end=row.speaker_end,
            role=row.role,
            confidence=row.confidence,
            position=row.position,
            date=as_utc(row.sort_date),
            speaker_id=row.speaker_id,
            article_id=row.article_id,
        )
