"""Fact-checks: attach a ClaimReview to a stored claim."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.db.engine import begin_write
from app.db.models import Claim, ClaimReview, as_utc
from app.services.errors import InvalidInput, NotFound
from app.services.ingest import check_url


def add_claim_review(
    session: Session,
    claim_id: int,
    *,
    reviewer: str,
    rating: str,
    url: str | None = None,
    review_date: datetime | None = None,
) -> ClaimReview:
    reviewer, rating = reviewer.strip(), rating.strip()
    if not reviewer or not rating:
        raise InvalidInput("A review needs a reviewer and a rating.", field="rating")
    begin_write(session)
    if session.get(Claim, claim_id) is None:
        session.rollback()
        raise NotFound(f"No claim with id {claim_id}.")
    review = ClaimReview(
        claim_id=claim_id,
        reviewer=reviewer,
        rating=rating,
        url=check_url(url),
        review_date=as_utc(review_date) if review_date else None,
    )
    session.add(review)
    session.commit()
    return review
