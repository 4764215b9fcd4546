"""Re-extract stored articles with the current extractor: their quotes and claims are replaced
in one transaction per article, keeping the article (its id, URL and dates), editors' decisions
(re-applied by app.services.curation) and editors' fact-check link decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.engine import begin_write
from app.db.models import (
    HUMAN_STATUSES,
    Article,
    Claim,
    HiddenQuote,
    Quote,
    ReviewLink,
    as_utc,
    table_of,
)
from app.services.curation import refresh_counts
from app.services.errors import NotFound
from app.services.ingest import Extractor, write_extraction
from app.services.quotations import quotations_of_article, refresh


@dataclass(frozen=True, slots=True)
class Reextracted:
    article_id: int
    old_version: str
    new_version: str
    quotes: int


def article_ids(session: Session, *, except_version: str | None = None) -> list[int]:
    """Stored articles, optionally only those another extractor version made."""
    article = table_of(Article)
    statement = sa.select(article.c.id).order_by(article.c.id)
    if except_version is not None:
        statement = statement.where(article.c.extractor_version != except_version)
    return [int(i) for i in session.execute(statement).scalars()]


def reextract_article(session: Session, article_id: int, extractor: Extractor) -> Reextracted:
    """Extract the article's text again and replace what was extracted before."""
    article = table_of(Article)
    text = session.execute(
        sa.select(article.c.text).where(article.c.id == article_id)
    ).scalar_one_or_none()
    session.rollback()  # no transaction held open during the slow extraction
    if text is None:
        raise NotFound(f"No article with id {article_id}.")
    extraction = extractor(text)
    quote, claim, link = table_of(Quote), table_of(Claim), table_of(ReviewLink)
    try:
        begin_write(session)
        row = session.execute(
            sa.select(article).where(article.c.id == article_id).with_for_update()
        ).first()
        if row is None or row.text != extraction.text:
            raise NotFound(f"Article {article_id} was deleted or changed meanwhile.")
        # Editors' link decisions are kept by the claim's span, which a new extractor keeps
        # for the same sentence.
        decided = session.execute(
            sa.select(
                claim.c.start,
                claim.c.end,
                link.c.review_id,
                link.c.status,
                link.c.score,
                link.c.method,
                link.c.created_at,
                link.c.decided_at,
            )
            .join(link, link.c.claim_id == claim.c.id)
            .where(claim.c.article_id == article_id, link.c.status.in_(HUMAN_STATUSES))
        ).all()
        old_speakers = set(
            session.execute(
                sa.select(quote.c.speaker_id).where(quote.c.article_id == article_id)
            ).scalars()
        )
        # The quotations the old quotes were occurrences of are recounted once they are gone
        # (the new quotes join their speakers' quotations as any stored quote does).
        was_in = quotations_of_article(session, article_id)
        session.execute(sa.delete(claim).where(claim.c.article_id == article_id))
        session.execute(sa.delete(quote).where(quote.c.article_id == article_id))
        hidden = table_of(HiddenQuote)
        session.execute(sa.delete(hidden).where(hidden.c.article_id == article_id))
        body_end = extraction.body_end if extraction.body_end >= 0 else len(row.text)
        session.execute(
            sa.update(article)
            .where(article.c.id == article_id)
            .values(
                dateline=extraction.dateline,
                byline=extraction.byline or row.byline,
                body_start=extraction.body_start,
                body_end=body_end,
                language=extraction.language,
                extractor_version=extraction.extractor_version,
            )
        )
        write_extraction(
            session, article_id, row.text, row.content_hash, as_utc(row.sort_date), extraction
        )
        _restore_link_decisions(session, article_id, decided)
        refresh(session, was_in)
        new_speakers = set(
            session.execute(
                sa.select(quote.c.speaker_id).where(quote.c.article_id == article_id)
            ).scalars()
        )
        refresh_counts(session, old_speakers | new_speakers, [article_id])
        count = int(
            session.execute(
                sa.select(sa.func.count()).where(quote.c.article_id == article_id)
            ).scalar_one()
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return Reextracted(article_id, row.extractor_version, extraction.extractor_version, count)


def _restore_link_decisions(session: Session, article_id: int, decided: Sequence[Any]) -> None:
    if not decided:
        return
    claim, link = table_of(Claim), table_of(ReviewLink)
    spans = {
        (c.start, c.end): c.id
        for c in session.execute(
            sa.select(claim.c.id, claim.c.start, claim.c.end).where(
                claim.c.article_id == article_id
            )
        )
    }
    for decision in decided:
        claim_id = spans.get((decision.start, decision.end))
        if claim_id is None:
            continue
        session.execute(
            sa.delete(link).where(
                link.c.claim_id == claim_id, link.c.review_id == decision.review_id
            )
        )
        session.execute(
            sa.insert(link),
            {
                "claim_id": claim_id,
                "review_id": decision.review_id,
                "score": decision.score,
                "method": decision.method,
                "status": decision.status,
                "created_at": decision.created_at,
                "decided_at": decision.decided_at,
            },
        )
