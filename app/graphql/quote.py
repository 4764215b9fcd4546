"""The Quote type: what someone said, where, with offsets you can check."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, ClassVar, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db.models import Quote as QuoteRow
from app.db.models import QuoteFragment as QuoteFragmentRow
from app.db.models import as_utc
from app.graphql.enums import AttributionClass, QuoteKind
from app.graphql.node import LoadedNode, load_related

if TYPE_CHECKING:
    from app.graphql.article import Article
    from app.graphql.claim import Claim
    from app.graphql.speaker import Speaker


@strawberry.type(
    description="One piece of a quote's own words: `article.text[start:end]` is exactly `text`."
)
class QuoteFragment:
    text: str = strawberry.field(description="The words of this piece (without quotation marks).")
    start: int = strawberry.field(description="Offset of the piece in the article text.")
    end: int = strawberry.field(description="End offset of the piece (exclusive).")

    @classmethod
    def from_row(cls, row: QuoteFragmentRow) -> QuoteFragment:
        return cls(text=row.text, start=row.start, end=row.end)


@strawberry.type(
    description=(
        "A quote as it stands in one article. A quote in one piece has one fragment and "
        "`article.text[start:end]` is exactly `text`. A quote its cue interrupts "
        '(\'"We will rebuild," said Doe. "It will take years."\') is one quote in '
        "several `fragments`, each with `article.text[start:end]` exactly its `text`; the "
        "quote's `start` and `end` then cover them all, cue included, and its `text` is the "
        'fragments\' texts joined by " \u2026 ". The provenance of every word can be verified.'
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
    attribution_class: AttributionClass = strawberry.field(
        description="What the attribution reports: speech (a quote in the everyday sense), "
        "a belief or intention, or evidence."
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

    @strawberry.field(
        description="The pieces of the quote's own words, in order: one for a quote in one "
        "piece, several for a quote its cue interrupts."
    )
    async def fragments(self, info: Info) -> list[QuoteFragment]:
        rows = await info.context.loaders.fragments_by_quote.load(self.id)
        return [QuoteFragment.from_row(row) for row in rows]

    @strawberry.field(description="Check-worthy claims made within this quote.")
    async def claims(
        self, info: Info
    ) -> list[Annotated[Claim, strawberry.lazy("app.graphql.claim")]]:
        from app.graphql.claim import Claim

        rows = await info.context.loaders.claims_by_quote.load(self.id)
        return [Claim.from_row(row) for row in rows]

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
            attribution_class=AttributionClass(row.attribution_class),
            position=row.position,
            date=as_utc(row.sort_date),
            speaker_id=row.speaker_id,
            article_id=row.article_id,
        )
