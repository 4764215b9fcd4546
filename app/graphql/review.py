"""The ClaimReview type (schema.org ClaimReview) and ReviewLink: a fact-check and the claims it
is linked to, with the matcher's score and method and the link's status."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from app.db.models import as_utc
from app.graphql import relations
from app.graphql.node import LoadedNode

if TYPE_CHECKING:
    from app.graphql.claim import Claim


@strawberry.enum(description="How a review came to be linked to a claim.")
class ReviewLinkStatus(Enum):
    CONFIRMED = strawberry.enum_value(
        "confirmed", description="An editor confirmed it (linkReview, or reviewClaim)."
    )
    AUTOMATIC = strawberry.enum_value(
        "automatic", description="The matcher's score reached the automatic-link threshold."
    )
    SUGGESTED = strawberry.enum_value(
        "suggested",
        description="The matcher's score is below the automatic threshold but above the floor "
        "(or a hard rule held it back): offered to an editor in Claim.suggestedReviews.",
    )
    REJECTED = strawberry.enum_value(
        "rejected", description="An editor rejected it (unlinkReview); no import remakes it."
    )


def _date(value: datetime | None) -> datetime | None:
    return as_utc(value) if value else None


@strawberry.type(description="A link between a claim and a fact-check of it.")
class ReviewLink:
    score: float = strawberry.field(
        description="The matcher's text similarity, 0 to 1 (kept for confirmed links too)."
    )
    method: str = strawberry.field(
        description='How the link was made: "text-v1" (the matcher), with the hard rule that '
        'held it back after a colon (e.g. "text-v1:figures-differ") and "+appearance" when the '
        'claim\'s article is named by the review; "editor" when an editor made it.'
    )
    status: ReviewLinkStatus = strawberry.field(description="Whose decision the link is.")
    decided_at: datetime | None = strawberry.field(
        description="When an editor confirmed or rejected it; null for the matcher's links."
    )
    claim_id: strawberry.Private[int]
    review_id: strawberry.Private[int]

    @strawberry.field(description="The claim.")
    @relations.LINK_CLAIM.serves
    def claim(self, info: Info) -> Annotated[Claim, strawberry.lazy("app.graphql.claim")]:
        return cast("Claim", relations.LINK_CLAIM.resolve(info, self))

    @strawberry.field(description="The fact-check.")
    @relations.LINK_REVIEW.serves
    def review(self, info: Info) -> ClaimReview:
        return cast("ClaimReview", relations.LINK_REVIEW.resolve(info, self))

    @classmethod
    def from_row(cls, row: Any) -> ReviewLink:
        return cls(
            score=float(row.score),
            method=row.method,
            status=ReviewLinkStatus(row.status),
            decided_at=_date(row.decided_at),
            claim_id=row.claim_id,
            review_id=row.review_id,
        )


@strawberry.type(description="The fact-checker that published a review (schema.org author).")
class FactChecker:
    name: str = strawberry.field(description='Its name, e.g. "Full Fact".')
    url: str | None = strawberry.field(description="Its website.")


@strawberry.type(description="A verdict (schema.org Rating).")
class ReviewRating:
    alternate_name: str = strawberry.field(
        description='The verdict in words, e.g. "False", "Mostly true" (the rating\'s '
        "alternateName; when a review gives only a number, that number as text)."
    )
    rating_value: float | None = strawberry.field(
        description="The verdict on the fact-checker's numeric scale, if it has one."
    )
    best_rating: float | None = strawberry.field(description="The scale's best (most true) value.")
    worst_rating: float | None = strawberry.field(description="The scale's worst value.")


@strawberry.type(description="The claim as the fact-checker saw it (schema.org itemReviewed).")
class ReviewedClaim:
    author: str | None = strawberry.field(
        description="Who made the claim, as the fact-checker names them."
    )
    date_published: datetime | None = strawberry.field(
        description="When the claim was made (UTC), if the fact-checker says."
    )
    appearance: list[str] = strawberry.field(
        description="URLs where the claim appeared, as the fact-checker lists them."
    )


@strawberry.type(
    description=(
        "A published fact-check, after schema.org ClaimReview. Reviews are imported (quotegraph "
        "reviews import, reviewClaims) or attached by hand (reviewClaim), and linked to every "
        "stored claim that states what they checked."
    )
)
class ClaimReview(LoadedNode):
    loader_name: ClassVar[str] = "claim_review"

    id: relay.NodeID[int]
    claim_reviewed: str = strawberry.field(
        description="The claim as the fact-checker wrote it (claimReviewed)."
    )
    reviewer: str = strawberry.field(
        description="Who reviewed it: the fact-checker's name (author.name)."
    )
    author: FactChecker = strawberry.field(description="The fact-checker (author).")
    url: str | None = strawberry.field(description="Where the review is published.")
    rating: str = strawberry.field(
        description='The verdict in words, e.g. "False", "Mostly true" '
        "(reviewRating.alternateName)."
    )
    review_rating: ReviewRating = strawberry.field(description="The verdict (reviewRating).")
    review_date: datetime | None = strawberry.field(
        description="When it was published (UTC); the same as datePublished."
    )
    date_published: datetime | None = strawberry.field(
        description="When the review was published (UTC)."
    )
    item_reviewed: ReviewedClaim = strawberry.field(
        description="The claim as the fact-checker saw it: who made it, when, where."
    )
    in_language: str | None = strawberry.field(description="The review's language, if given.")
    link: ReviewLink | None = strawberry.field(
        description="In Claim.reviews and Claim.suggestedReviews: the link to that claim, with "
        "its score, method and status. Null where the review was reached otherwise."
    )
    claim_id: strawberry.Private[int | None]

    @strawberry.field(
        description="The claim this review was reached through (Claim.reviews), else the one "
        "it is best linked to (editors' confirmations first); null when no claim is linked."
    )
    @relations.REVIEW_CLAIM.serves
    def claim(self, info: Info) -> Annotated[Claim, strawberry.lazy("app.graphql.claim")] | None:
        if self.claim_id is not None:
            return cast("Claim | None", relations.REVIEW_CLAIM.resolve(info, self))
        return cast("Claim | None", self._best_linked_claim(info))

    async def _best_linked_claim(self, info: Info) -> Any:
        from app.graphql.claim import Claim

        links = await info.context.loaders.of(relations.REVIEW_LINKS).load(self.id)
        shown = [link for link in links if link.status in ("confirmed", "automatic")]
        if not shown:
            return None
        return Claim.from_row(await info.context.loaders.claim.load(shown[0].claim_id))

    @strawberry.field(
        description="Every claim linked to this review, with score and status: editors' "
        "confirmations first, then by score. Rejected links are listed too, so an editor sees "
        "what was decided."
    )
    @relations.REVIEW_LINKS.serves
    def links(self, info: Info) -> list[ReviewLink]:
        return cast("list[ReviewLink]", relations.REVIEW_LINKS.resolve(info, self))

    @classmethod
    def from_row(cls, row: Any) -> ClaimReview:
        assert row.id is not None
        status = getattr(row, "link_status", None)
        claim_id = getattr(row, "claim_id", None)
        link = (
            None
            if status is None or claim_id is None
            else ReviewLink(
                score=float(row.link_score),
                method=row.link_method,
                status=ReviewLinkStatus(status),
                decided_at=_date(row.link_decided_at),
                claim_id=claim_id,
                review_id=row.id,
            )
        )
        return cls(
            id=row.id,
            claim_reviewed=row.claim_reviewed,
            reviewer=row.reviewer,
            author=FactChecker(name=row.reviewer, url=row.reviewer_url),
            url=row.url,
            rating=row.rating,
            review_rating=ReviewRating(
                alternate_name=row.rating,
                rating_value=row.rating_value,
                best_rating=row.best_rating,
                worst_rating=row.worst_rating,
            ),
            review_date=_date(row.review_date),
            date_published=_date(row.review_date),
            item_reviewed=ReviewedClaim(
                author=row.claimant_name,
                date_published=_date(row.claim_date),
                appearance=list(row.appearances or []),
            ),
            in_language=row.language,
            link=link,
            claim_id=claim_id,
        )
