"""SQLModel tables: articles, speakers and their aliases, quotes, claims and claim reviews."""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Deterministic constraint and index names, so Alembic revisions are the same on every machine.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Normalised keys compare byte-wise on PostgreSQL so one B-tree index serves equality, prefix
# search and ordering (the server's default collation would not allow LIKE 'x%' to use it).
KEY_TYPE = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Everything is stored in UTC, but SQLite hands datetimes back without a zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def table_of(model: type[Any]) -> sa.Table:
    """The table behind a model. Selecting the table, not the model, gives read-only records
    (Rows with the same attribute names) at a fraction of the cost of ORM instances: what the
    read paths use, since they only convert rows to GraphQL objects."""
    table: sa.Table = model.__table__
    return table


class Article(SQLModel, table=True):
    """A news article as ingested, with the metadata found in it or given with it."""

    __tablename__ = "article"

    id: int | None = Field(default=None, primary_key=True)
    url: str | None = Field(default=None, sa_column=sa.Column(sa.Text, unique=True))
    title: str | None = Field(default=None, sa_type=sa.Text)
    source: str | None = Field(default=None, sa_type=sa.Text)
    published_at: datetime | None = Field(default=None, sa_type=UTC_DATETIME)
    dateline: str | None = Field(default=None, sa_type=sa.Text)
    byline: str | None = Field(default=None, sa_type=sa.Text)
    text: str = Field(sa_type=sa.Text)
    body_start: int = 0
    body_end: int = 0
    content_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    language: str = Field(default="en", sa_type=sa.String(16))
    ingested_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)
    extractor_version: str = Field(sa_type=sa.String(64))

    # published_at, or ingested_at when the publication date is unknown: the order of listings.
    sort_date: datetime = Field(sa_type=UTC_DATETIME)

    # Ascending indexes serve "newest first" too: both databases scan a B-tree backwards.
    __table_args__ = (sa.Index("ix_article_recent", "sort_date", "id"),)


class Speaker(SQLModel, table=True):
    """One real person or organisation; quote counts are derived, never stored."""

    __tablename__ = "speaker"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.Text)
    name_key: str = Field(sa_column=sa.Column(KEY_TYPE, nullable=False, unique=True))
    kind: str = Field(default="unknown", sa_type=sa.String(16))
    role: str | None = Field(default=None, sa_type=sa.Text)
    # Date of the article the role came from, so an older article never overwrites a newer role.
    role_as_of: datetime | None = Field(default=None, sa_type=UTC_DATETIME)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)


class SpeakerAlias(SQLModel, table=True):
    """A surface form seen naming a speaker ("Netanyahu", "Bibi")."""

    __tablename__ = "speaker_alias"

    id: int | None = Field(default=None, primary_key=True)
    speaker_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), nullable=False
        )
    )
    alias: str = Field(sa_type=sa.Text)
    alias_key: str = Field(sa_column=sa.Column(KEY_TYPE, nullable=False, index=True))

    __table_args__ = (sa.UniqueConstraint("speaker_id", "alias_key"),)


class Quote(SQLModel, table=True):
    """Something a speaker said, as it stands in one article, with offsets into its text."""

    __tablename__ = "quote"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("article.id", ondelete="CASCADE"), nullable=False
        )
    )
    speaker_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("speaker.id", ondelete="SET NULL")),
    )
    position: int  # order within the article, from 0
    text: str = Field(sa_type=sa.Text)
    kind: str = Field(sa_type=sa.String(16))
    cue: str | None = Field(default=None, sa_type=sa.Text)
    cue_start: int | None = None
    cue_end: int | None = None
    start: int
    end: int
    speaker_mention: str | None = Field(default=None, sa_type=sa.Text)
    speaker_start: int | None = None
    speaker_end: int | None = None
    role: str | None = Field(default=None, sa_type=sa.Text)
    confidence: float = 0.0
    # Copied from the article so "a speaker's quotes, newest first" is one index range scan.
    sort_date: datetime = Field(sa_type=UTC_DATETIME)
    # What the attribution reports (app.extraction.classes): speech, belief or evidence.
    attribution_class: str = Field(
        default="speech",
        sa_column=sa.Column(sa.String(16), nullable=False, server_default="speech"),
    )

    __table_args__ = (
        sa.Index("ix_quote_speaker_recent", "speaker_id", "sort_date", "id"),
        sa.Index("ix_quote_recent", "sort_date", "id"),
        sa.Index("ix_quote_article", "article_id", "position"),
        # Listings of one class (beliefs, evidence), newest first.
        sa.Index("ix_quote_class_recent", "attribution_class", "sort_date", "id"),
        sa.CheckConstraint("kind IN ('direct', 'indirect', 'mixed')", name="kind"),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
        sa.CheckConstraint(
            "attribution_class IN ('speech', 'belief', 'evidence')", name="attribution_class"
        ),
    )


class QuoteFragment(SQLModel, table=True):
    """One piece of a quote's own words, with offsets into its article's text: a quote its
    cue interrupts ('"A," said X. "B."') has several, any other quote one (its whole span).
    The quote's text is the fragments' texts joined by " \u2026 "."""

    __tablename__ = "quote_fragment"

    quote_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("quote.id", ondelete="CASCADE"), primary_key=True
        )
    )
    position: int = Field(sa_column=sa.Column(sa.Integer, primary_key=True, autoincrement=False))
    text: str = Field(sa_type=sa.Text)
    start: int
    end: int


class Claim(SQLModel, table=True):
    """A check-worthy factual assertion; claimant None means the publication itself."""

    __tablename__ = "claim"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("article.id", ondelete="CASCADE"), nullable=False
        )
    )
    claimant_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("speaker.id", ondelete="SET NULL")),
    )
    quote_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("quote.id", ondelete="CASCADE")),
    )
    position: int
    text: str = Field(sa_type=sa.Text)
    start: int
    end: int
    score: float
    features: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    sort_date: datetime = Field(sa_type=UTC_DATETIME)

    __table_args__ = (
        sa.Index("ix_claim_article", "article_id", "position"),
        sa.Index("ix_claim_claimant_recent", "claimant_id", "sort_date", "id"),
        sa.Index("ix_claim_recent", "sort_date", "id"),
        sa.Index("ix_claim_quote", "quote_id"),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="score"),
    )


class ClaimReview(SQLModel, table=True):
    """A published fact-check, after schema.org ClaimReview; linked to stored claims by
    ReviewLink (one review may check a claim repeated in many articles)."""

    __tablename__ = "claim_review"

    id: int | None = Field(default=None, primary_key=True)
    # sha256 of the review's URL, or of its content when it has none: importing the same
    # review again finds this row instead of adding another.
    natural_key: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    claim_reviewed: str = Field(default="", sa_type=sa.Text)
    reviewer: str = Field(sa_type=sa.Text)  # author.name: the fact-checker
    reviewer_url: str | None = Field(default=None, sa_type=sa.Text)
    url: str | None = Field(default=None, sa_type=sa.Text)
    rating: str = Field(sa_type=sa.Text)  # reviewRating.alternateName: the textual verdict
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    review_date: datetime | None = Field(default=None, sa_type=UTC_DATETIME)  # datePublished
    # itemReviewed: the claim as the fact-checker saw it (who made it, when, where).
    claimant_name: str | None = Field(default=None, sa_type=sa.Text)
    claim_date: datetime | None = Field(default=None, sa_type=UTC_DATETIME)
    appearances: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    language: str | None = Field(default=None, sa_type=sa.String(16))
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)
    # review_date, or imported_at when unknown: the order of the reviews listing.
    sort_date: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)

    __table_args__ = (sa.Index("ix_claim_review_recent", "sort_date", "id"),)


# How a review came to be linked to a claim. Editors' decisions (confirmed, rejected) are
# never changed by matching; the matcher's (automatic, suggested) are redone on each import.
LINK_STATUSES = ("confirmed", "automatic", "suggested", "rejected")
HUMAN_STATUSES = ("confirmed", "rejected")
SHOWN_STATUSES = ("confirmed", "automatic")


class ReviewLink(SQLModel, table=True):
    """A claim checked by a review: the matcher's score and method, and its status."""

    __tablename__ = "review_link"

    claim_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True
        )
    )
    review_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("claim_review.id", ondelete="CASCADE"), primary_key=True
        )
    )
    score: float
    method: str = Field(sa_type=sa.String(64))
    status: str = Field(sa_type=sa.String(16))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)
    decided_at: datetime | None = Field(default=None, sa_type=UTC_DATETIME)

    __table_args__ = (
        sa.Index("ix_review_link_review", "review_id", "status"),
        sa.Index("ix_review_link_claim", "claim_id", "status"),
        sa.CheckConstraint(
            "status IN ('confirmed', 'automatic', 'suggested', 'rejected')", name="status"
        ),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="score"),
    )


class ApiKey(SQLModel, table=True):
    """A key that may call mutations; only its SHA-256 is stored, never the key itself."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.Text)
    prefix: str = Field(sa_column=sa.Column(sa.String(16), nullable=False, unique=True))
    secret_hash: str = Field(sa_type=sa.String(64))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)
    revoked_at: datetime | None = Field(default=None, sa_type=UTC_DATETIME)


class WriteStamp(SQLModel, table=True):
    """One row counting committed writes; response caches in every worker compare against it."""

    __tablename__ = "write_stamp"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_type=sa.BigInteger)


class IngestJob(SQLModel, table=True):
    """A batch of articles submitted for ingestion through the task queue."""

    __tablename__ = "ingest_job"

    id: str = Field(sa_column=sa.Column(sa.String(36), primary_key=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)
    total: int
    submitted_by: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("api_key.id", ondelete="SET NULL")),
    )


class IngestJobItem(SQLModel, table=True):
    """One article of a job: pending until a worker has committed it (done) or refused it."""

    __tablename__ = "ingest_job_item"

    job_id: str = Field(
        sa_column=sa.Column(
            sa.String(36),
            sa.ForeignKey("ingest_job.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    position: int = Field(sa_column=sa.Column(sa.Integer, primary_key=True, autoincrement=False))
    status: str = Field(default="pending", sa_type=sa.String(16))
    article_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("article.id", ondelete="SET NULL")),
    )
    error: str | None = Field(default=None, sa_type=sa.Text)
    finished_at: datetime | None = Field(default=None, sa_type=UTC_DATETIME)

    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'done', 'failed')", name="status"),
        sa.Index("ix_ingest_job_item_status", "job_id", "status"),
    )
