"""Fact-checks: import ClaimReviews, link them to the claims they check (automatically above a
threshold, as suggestions below it), record editors' decisions, and export them again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.engine import begin_write
from app.db.models import (
    HUMAN_STATUSES,
    SHOWN_STATUSES,
    Article,
    Claim,
    ClaimReview,
    ReviewLink,
    Speaker,
    as_utc,
    table_of,
    utcnow,
)
from app.services.errors import InvalidInput, NotFound
from app.services.ingest import check_url
from app.services.review_documents import Failure, ParsedReview, to_jsonld
from app.services.review_matching import (
    candidate_claims,
    insert_links,
    link_row,
    names_agree,
    score_pair,
    status_for,
)

EDITOR = "editor"
# A claim in an article the fact-checker names as an appearance of the claim is more likely
# the one checked: its score gets this much more (hard rules still apply).
APPEARANCE_BONUS = 0.10

_REVIEW = table_of(ClaimReview)
_LINK = table_of(ReviewLink)
_CLAIM = table_of(Claim)

# The columns a ParsedReview fills, compared to tell an unchanged re-import from an update.
_FIELDS = (
    "claim_reviewed", "reviewer", "reviewer_url", "url", "rating", "rating_value",
    "best_rating", "worst_rating", "review_date", "claimant_name", "claim_date", "language",
)  # fmt: skip


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    automatic: int = 0
    suggested: int = 0
    review_ids: list[int] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


# --- storing reviews -------------------------------------------------------------------------


def _values(parsed: ParsedReview) -> dict[str, Any]:
    return {name: getattr(parsed, name) for name in _FIELDS}


def _same(row: Any, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        stored = getattr(row, name)
        if isinstance(stored, datetime) and isinstance(value, datetime):
            if as_utc(stored) != as_utc(value):
                return False
        elif stored != value:
            return False
    return True


def _insert_review(session: Session, parsed: ParsedReview, key: str) -> int:
    """A new review row under `key`; its id."""
    now = utcnow()
    review_id = session.execute(
        sa.insert(_REVIEW).returning(_REVIEW.c.id),
        {
            **_values(parsed),
            "natural_key": key,
            "appearances": list(parsed.appearances),
            "imported_at": now,
            "sort_date": parsed.review_date or now,
        },
    ).scalar_one()
    return int(review_id)


def _store(session: Session, parsed: ParsedReview) -> tuple[int, str]:
    """Insert or update one review (inside the caller's write transaction): its id and what
    happened, "created", "updated" or "unchanged"."""
    key = parsed.natural_key
    row = session.execute(sa.select(_REVIEW).where(_REVIEW.c.natural_key == key)).first()
    values = _values(parsed)
    if row is None:
        return _insert_review(session, parsed, key), "created"
    # Appearances add up: a claim seen in one more place is news, not a change of mind.
    appearances = list(dict.fromkeys([*(row.appearances or []), *parsed.appearances]))
    if _same(row, values) and appearances == list(row.appearances or []):
        return int(row.id), "unchanged"
    session.execute(
        sa.update(_REVIEW)
        .where(_REVIEW.c.id == row.id)
        .values(
            **values,
            appearances=appearances,
            sort_date=parsed.review_date or row.imported_at,
        )
    )
    return int(row.id), "updated"


def import_reviews(session: Session, reviews: Iterable[tuple[str, ParsedReview]]) -> ImportReport:
    """Store each review in its own transaction and link it to the claims it checks. The same
    review again changes nothing; an editor's decision on a link is never undone."""
    report = ImportReport()
    for where, parsed in reviews:
        try:
            begin_write(session)
            review_id, state = _store(session, parsed)
            if state != "unchanged":
                automatic, suggested = _match_review(session, review_id)
                report.automatic += automatic
                report.suggested += suggested
            session.commit()
        except InvalidInput as error:
            session.rollback()
            report.failures.append(Failure(where, error.message))
            continue
        except BaseException:
            session.rollback()
            raise
        setattr(report, state, getattr(report, state) + 1)
        report.review_ids.append(review_id)
    return report


# --- matching --------------------------------------------------------------------------------


def _claims_with_claimants(session: Session, ids: Sequence[int]) -> list[Any]:
    if not ids:
        return []
    speaker = table_of(Speaker)
    return list(
        session.execute(
            sa.select(_CLAIM.c.id, _CLAIM.c.text, speaker.c.name.label("claimant"))
            .outerjoin(speaker, speaker.c.id == _CLAIM.c.claimant_id)
            .where(_CLAIM.c.id.in_(sorted(set(ids))))
        ).all()
    )


def _claims_in_articles(session: Session, urls: Sequence[str]) -> set[int]:
    if not urls:
        return set()
    article = table_of(Article)
    return set(
        session.execute(
            sa.select(_CLAIM.c.id)
            .join(article, article.c.id == _CLAIM.c.article_id)
            .where(article.c.url.in_(list(urls)))
        ).scalars()
    )


def _match_review(session: Session, review_id: int) -> tuple[int, int]:
    """Score the review against its candidate claims and redo the matcher's links; links an
    editor decided stay as they are. Returns (automatic, suggested) links made."""
    review = session.execute(sa.select(_REVIEW).where(_REVIEW.c.id == review_id)).one()
    in_appearances = _claims_in_articles(session, review.appearances or [])
    ids = [*candidate_claims(session, review.claim_reviewed), *in_appearances]
    existing = {
        row.claim_id: row.status
        for row in session.execute(
            sa.select(_LINK.c.claim_id, _LINK.c.status).where(_LINK.c.review_id == review_id)
        )
    }
    # The matcher's earlier opinions are redone from scratch; editors' decisions are kept.
    session.execute(
        sa.delete(_LINK).where(
            _LINK.c.review_id == review_id, _LINK.c.status.not_in(HUMAN_STATUSES)
        )
    )
    made = {"automatic": 0, "suggested": 0}
    rows: list[dict[str, Any]] = []
    for claim in _claims_with_claimants(session, ids):
        if existing.get(claim.id) in HUMAN_STATUSES:
            continue
        match = score_pair(
            review.claim_reviewed,
            claim.text,
            same_claimant=names_agree(review.claimant_name, claim.claimant),
        )
        score, method = match.score, match.method
        if claim.id in in_appearances:
            score, method = min(1.0, score + APPEARANCE_BONUS), method + "+appearance"
            if match.blocked is not None:
                score = min(score, match.score)
        status = status_for(score)
        if status is not None:
            rows.append(link_row(claim.id, review_id, score, method, status))
            made[status] += 1
    insert_links(session, rows)
    return made["automatic"], made["suggested"]


# --- editors' decisions ----------------------------------------------------------------------


def _decide(session: Session, claim_id: int, review_id: int, status: str) -> Any:
    begin_write(session)
    if session.get(Claim, claim_id) is None:
        session.rollback()
        raise NotFound(f"No claim with id {claim_id}.", field="claimId")
    review = session.get(ClaimReview, review_id)
    if review is None:
        session.rollback()
        raise NotFound(f"No review with id {review_id}.", field="reviewId")
    now = utcnow()
    found = session.execute(
        sa.select(_LINK).where(_LINK.c.claim_id == claim_id, _LINK.c.review_id == review_id)
    ).first()
    if found is None:
        claim_text = session.execute(
            sa.select(_CLAIM.c.text).where(_CLAIM.c.id == claim_id)
        ).scalar_one()
        # The matcher's opinion is kept beside the editor's decision, for the record.
        score = score_pair(review.claim_reviewed, claim_text).score
        session.execute(
            sa.insert(_LINK),
            {
                "claim_id": claim_id,
                "review_id": review_id,
                "score": score,
                "method": EDITOR,
                "status": status,
                "created_at": now,
                "decided_at": now,
            },
        )
    else:
        session.execute(
            sa.update(_LINK)
            .where(_LINK.c.claim_id == claim_id, _LINK.c.review_id == review_id)
            .values(status=status, decided_at=now)
        )
    session.commit()
    return session.execute(
        sa.select(_LINK).where(_LINK.c.claim_id == claim_id, _LINK.c.review_id == review_id)
    ).one()


def link_review(session: Session, claim_id: int, review_id: int) -> Any:
    """An editor confirms that the review checks the claim; later imports keep it."""
    return _decide(session, claim_id, review_id, "confirmed")


def unlink_review(session: Session, claim_id: int, review_id: int) -> Any:
    """An editor rejects the link; it is kept as rejected so no import makes it again."""
    return _decide(session, claim_id, review_id, "rejected")


def add_claim_review(
    session: Session,
    claim_id: int,
    *,
    reviewer: str,
    rating: str,
    url: str | None = None,
    review_date: datetime | None = None,
) -> Any:
    """A review attached to one claim by hand (reviewClaim): stored as a review of the claim's
    text with a confirmed link, and matched to the same claim elsewhere."""
    reviewer, rating = reviewer.strip(), rating.strip()
    if not reviewer or not rating:
        raise InvalidInput("A review needs a reviewer and a rating.", field="rating")
    url = check_url(url)
    begin_write(session)
    claim = session.get(Claim, claim_id)
    if claim is None:
        session.rollback()
        raise NotFound(f"No claim with id {claim_id}.")
    parsed = ParsedReview(
        claim_reviewed=claim.text,
        reviewer=reviewer,
        rating=rating,
        url=url,
        review_date=as_utc(review_date) if review_date else None,
    )
    review_id, state = _store(session, parsed)
    if state != "unchanged":
        _match_review(session, review_id)
    session.execute(
        sa.delete(_LINK).where(_LINK.c.claim_id == claim_id, _LINK.c.review_id == review_id)
    )
    now = utcnow()
    session.execute(
        sa.insert(_LINK),
        {
            "claim_id": claim_id,
            "review_id": review_id,
            "score": 1.0,
            "method": EDITOR,
            "status": "confirmed",
            "created_at": now,
            "decided_at": now,
        },
    )
    session.commit()
    return session.execute(sa.select(_REVIEW).where(_REVIEW.c.id == review_id)).one()


# --- export ----------------------------------------------------------------------------------


def _linked_claims(session: Session, review_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    article, speaker = table_of(Article), table_of(Speaker)
    rows = session.execute(
        sa.select(
            _LINK.c.review_id,
            _CLAIM.c.text,
            speaker.c.name.label("claimant"),
            article.c.url,
            article.c.title,
            _CLAIM.c.sort_date,
        )
        .join(_CLAIM, _CLAIM.c.id == _LINK.c.claim_id)
        .join(article, article.c.id == _CLAIM.c.article_id)
        .outerjoin(speaker, speaker.c.id == _CLAIM.c.claimant_id)
        .where(_LINK.c.review_id.in_(list(review_ids)), _LINK.c.status.in_(SHOWN_STATUSES))
        .order_by(_LINK.c.review_id, _CLAIM.c.sort_date, _CLAIM.c.id)
    ).all()
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row.review_id, []).append(
            {
                "text": row.text,
                "claimant": row.claimant,
                "url": row.url,
                "title": row.title,
                "date": as_utc(row.sort_date),
            }
        )
    return found


def export_reviews(
    session: Session, *, speaker_ids: Sequence[int] | None = None, everything: bool = False
) -> Iterator[dict[str, Any]]:
    """Stored reviews as schema.org ClaimReview objects, oldest first, each with the claims it
    is linked to as appearances. Only linked reviews unless `everything`; only reviews of
    these speakers' claims when `speaker_ids` is given."""
    statement = sa.select(_REVIEW).order_by(_REVIEW.c.sort_date, _REVIEW.c.id)
    if speaker_ids is not None or not everything:
        linked = sa.select(_LINK.c.review_id).where(_LINK.c.status.in_(SHOWN_STATUSES))
        if speaker_ids is not None:
            linked = linked.join(_CLAIM, _CLAIM.c.id == _LINK.c.claim_id).where(
                _CLAIM.c.claimant_id.in_(list(speaker_ids))
            )
        statement = statement.where(_REVIEW.c.id.in_(linked))
    last: tuple[datetime, int] | None = None
    while True:
        page_statement = statement
        if last is not None:
            page_statement = statement.where(
                sa.tuple_(_REVIEW.c.sort_date, _REVIEW.c.id) > sa.tuple_(*last)
            )
        rows = session.execute(page_statement.limit(500)).all()
        if not rows:
            return
        claims = _linked_claims(session, [row.id for row in rows])
        for row in rows:
            yield to_jsonld(row, claims.get(row.id, []))
        last = (rows[-1].sort_date, rows[-1].id)


# --- archives (app.services.archive) ---------------------------------------------------------

_ARCHIVED = (*_FIELDS, "natural_key", "appearances")


def archived_reviews(session: Session, claim_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The links of these claims with their reviews, as archive records (`claim` is the
    claim's id; the archive replaces it with the claim's position)."""
    if not claim_ids:
        return []
    rows = session.execute(
        sa.select(_REVIEW, _LINK.c.claim_id, _LINK.c.score, _LINK.c.method, _LINK.c.status)
        .join(_LINK, _LINK.c.review_id == _REVIEW.c.id)
        .where(_LINK.c.claim_id.in_(list(claim_ids)))
        .order_by(_LINK.c.claim_id, _REVIEW.c.id)
    ).all()
    records = []
    for row in rows:
        record: dict[str, Any] = {name: getattr(row, name) for name in _ARCHIVED}
        for name in ("review_date", "claim_date"):
            record[name] = as_utc(record[name]).isoformat() if record[name] else None
        record.update(claim=row.claim_id, score=row.score, method=row.method, status=row.status)
        records.append(record)
    return records


def restore_archived_review(session: Session, record: dict[str, Any], claim_id: int) -> None:
    """An archive's review record, inside the archive's transaction: the review (found by its
    natural key, else stored as archived) and its link to the claim, as archived. Records of
    version-1 archives before reviews stood alone carry only reviewer, rating, url and date:
    they become confirmed links, as the editor who attached them meant."""
    claim_text = session.execute(
        sa.select(_CLAIM.c.text).where(_CLAIM.c.id == claim_id)
    ).scalar_one()

    def date(name: str) -> datetime | None:
        value = record.get(name)
        return as_utc(datetime.fromisoformat(value)) if value else None

    parsed = ParsedReview(
        claim_reviewed=record.get("claim_reviewed") or claim_text,
        reviewer=record["reviewer"],
        rating=record["rating"],
        reviewer_url=record.get("reviewer_url"),
        url=record.get("url"),
        rating_value=record.get("rating_value"),
        best_rating=record.get("best_rating"),
        worst_rating=record.get("worst_rating"),
        review_date=date("review_date"),
        claimant_name=record.get("claimant_name"),
        claim_date=date("claim_date"),
        appearances=tuple(record.get("appearances") or ()),
        language=record.get("language"),
    )
    key = record.get("natural_key") or parsed.natural_key
    found = session.execute(
        sa.select(_REVIEW.c.id).where(_REVIEW.c.natural_key == key)
    ).scalar_one_or_none()
    if found is None:
        found = _insert_review(session, parsed, key)
    linked = session.execute(
        sa.select(_LINK.c.status).where(_LINK.c.claim_id == claim_id, _LINK.c.review_id == found)
    ).first()
    if linked is None:
        status = record.get("status", "confirmed")
        session.execute(
            sa.insert(_LINK),
            {
                "claim_id": claim_id,
                "review_id": found,
                "score": record.get("score", 1.0),
                "method": record.get("method", EDITOR),
                "status": status,
                "created_at": utcnow(),
                "decided_at": utcnow() if status in HUMAN_STATUSES else None,
            },
        )
