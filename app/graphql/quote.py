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
from app.graphql import relations
from app.graphql.enums import AttributionClass, QuoteKind
from app.graphql.node import LoadedNode

if TYPE_CHECKING:
    from app.graphql.article import Article
    from app.graphql.claim import Claim
    from app.graphql.curation import AuditEntry
    from app.graphql.provenance import Provenance
    from app.graphql.quotation import Quotation
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
        description=(
            'The words the attribution rests on ("Netanyahu", "He"); also set, with no '
            'speaker, when they name nobody a speaker can be ("many", "some of his admirers").'
        )
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
    @relations.QUOTE_SPEAKER.serves
    def speaker(
        self, info: Info
    ) -> Annotated[Speaker, strawberry.lazy("app.graphql.speaker")] | None:
        return cast("Speaker | None", relations.QUOTE_SPEAKER.resolve(info, self))

    @strawberry.field(description="The article the quote appears in.")
    @relations.QUOTE_ARTICLE.serves
    def article(self, info: Info) -> Annotated[Article, strawberry.lazy("app.graphql.article")]:
        return cast("Article", relations.QUOTE_ARTICLE.resolve(info, self))

    @strawberry.field(
        description="The pieces of the quote's own words, in order: one for a quote in one "
        "piece, several for a quote its cue interrupts."
    )
    @relations.QUOTE_FRAGMENTS.serves
    def fragments(self, info: Info) -> list[QuoteFragment]:
        return cast("list[QuoteFragment]", relations.QUOTE_FRAGMENTS.resolve(info, self))

    @strawberry.field(description="Check-worthy claims made within this quote.")
    @relations.QUOTE_CLAIMS.serves
    def claims(self, info: Info) -> list[Annotated[Claim, strawberry.lazy("app.graphql.claim")]]:
        return cast("list[Claim]", relations.QUOTE_CLAIMS.resolve(info, self))

    @strawberry.field(
        description="Editors' changes to this quote, oldest first (re-attributions, span "
        "edits, merges of its speaker, not-a-quote marks)."
    )
    @relations.QUOTE_HISTORY.serves
    def history(
        self, info: Info
    ) -> list[Annotated[AuditEntry, strawberry.lazy("app.graphql.curation")]]:
        return cast("list[AuditEntry]", relations.QUOTE_HISTORY.resolve(info, self))

    @strawberry.field(
        description="The quotation this quote is an occurrence of: the same words of the same "
        "speaker in other articles. Null when the quote has no speaker, or is not speech "
        "(a belief or evidence is in no quotation)."
    )
    @relations.QUOTE_QUOTATION.serves
    def quotation(
        self, info: Info
    ) -> Annotated[Quotation, strawberry.lazy("app.graphql.quotation")] | None:
        return cast("Quotation | None", relations.QUOTE_QUOTATION.resolve(info, self))

    @strawberry.field(
        description="An identifier made from the article's content hash and the quote's "
        "offsets: it resolves with node(id:) in any quotegraph database holding the same "
        "article (after an export and import, or a rebuild), unlike `id`."
    )
    @relations.QUOTE_CONTENT_ID.serves
    def content_id(self, info: Info) -> str:
        return cast("str", relations.QUOTE_CONTENT_ID.resolve(info, self))

    @strawberry.field(
        description="How the quote was extracted: its article's reproducibility record."
    )
    @relations.QUOTE_PROVENANCE.serves
    def provenance(
        self, info: Info
    ) -> Annotated[Provenance, strawberry.lazy("app.graphql.provenance")]:
        return cast("Provenance", relations.QUOTE_PROVENANCE.resolve(info, self))

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
