"""The Claim type: a check-worthy assertion, with the fact-checks linked to it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, ClassVar, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db.models import Claim as ClaimRow
from app.db.models import as_utc
from app.graphql import relations
from app.graphql.node import LoadedNode
from app.graphql.review import ClaimReview

__all__ = ["Claim", "ClaimFeature", "ClaimReview"]

if TYPE_CHECKING:
    from app.graphql.article import Article
    from app.graphql.quote import Quote
    from app.graphql.speaker import Speaker


@strawberry.type(description="One signal that made a claim check-worthy, with its weight.")
class ClaimFeature:
    name: str = strawberry.field(description='The signal, e.g. "number" or "comparison".')
    value: float = strawberry.field(description="Its contribution to the score.")


@strawberry.type(
    description=(
        "A check-worthy factual assertion: a figure, date, comparison, cause or prediction. "
        "`article.text[start:end]` is exactly `text`."
    )
)
class Claim(LoadedNode):
    loader_name: ClassVar[str] = "claim"

    id: relay.NodeID[int]
    text: str = strawberry.field(description="The assertion as written.")
    start: int = strawberry.field(description="Offset of the claim in the article text.")
    end: int = strawberry.field(description="End offset of the claim (exclusive).")
    score: float = strawberry.field(description="Check-worthiness from 0 (not) to 1 (very).")
    features: list[ClaimFeature] = strawberry.field(description="The signals behind the score.")
    date: datetime = strawberry.field(
        description="The article's publication time, or its ingestion time when unknown (UTC)."
    )
    claimant_id: strawberry.Private[int | None]
    quote_id: strawberry.Private[int | None]
    article_id: strawberry.Private[int]

    @strawberry.field(
        description="Who made the claim; null means the publication itself (narrative text)."
    )
    @relations.CLAIM_CLAIMANT.serves
    def claimant(
        self, info: Info
    ) -> Annotated[Speaker, strawberry.lazy("app.graphql.speaker")] | None:
        return cast("Speaker | None", relations.CLAIM_CLAIMANT.resolve(info, self))

    @strawberry.field(description="The quote the claim sits in, if it was said by someone.")
    @relations.CLAIM_QUOTE.serves
    def quote(self, info: Info) -> Annotated[Quote, strawberry.lazy("app.graphql.quote")] | None:
        return cast("Quote | None", relations.CLAIM_QUOTE.resolve(info, self))

    @strawberry.field(description="The article the claim appears in.")
    @relations.CLAIM_ARTICLE.serves
    def article(self, info: Info) -> Annotated[Article, strawberry.lazy("app.graphql.article")]:
        return cast("Article", relations.CLAIM_ARTICLE.resolve(info, self))

    @strawberry.field(
        description="Fact-checks of this claim: links an editor confirmed and links the "
        "matcher made with a score at or above the automatic threshold; each review's `link` "
        "gives the score, method and status. Editors' confirmations first, then by score."
    )
    @relations.CLAIM_REVIEWS.serves
    def reviews(self, info: Info) -> list[ClaimReview]:
        return cast("list[ClaimReview]", relations.CLAIM_REVIEWS.resolve(info, self))

    @strawberry.field(
        description="Fact-checks that may be of this claim: the matcher's links below the "
        "automatic threshold, or held back by a hard rule (another figure, a negation), best "
        "first. An editor confirms one with linkReview or rejects it with unlinkReview."
    )
    @relations.CLAIM_SUGGESTED_REVIEWS.serves
    def suggested_reviews(self, info: Info) -> list[ClaimReview]:
        return cast("list[ClaimReview]", relations.CLAIM_SUGGESTED_REVIEWS.resolve(info, self))

    @classmethod
    def from_row(cls, row: ClaimRow) -> Claim:
        assert row.id is not None
        return cls(
            id=row.id,
            text=row.text,
            start=row.start,
            end=row.end,
            score=row.score,
            features=[
                ClaimFeature(name=str(k), value=float(v)) for k, v in (row.features or {}).items()
            ],
            date=as_utc(row.sort_date),
            claimant_id=row.claimant_id,
            quote_id=row.quote_id,
            article_id=row.article_id,
        )
