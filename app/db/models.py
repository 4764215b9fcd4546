"""SQLModel tables: articles, speakers and their aliases, quotes, claims and claim reviews."""

from datetime import UTC, date, datetime
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


# Ids that outlive their rows (a hidden quote waiting to be put back, a merged speaker's redirect,
# a researcher's citation) must never be handed to a new row: SQLite reuses the largest id of a
# deleted row unless the table is AUTOINCREMENT (migration 0013). PostgreSQL's sequences never do.
NEVER_REUSED_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


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
    __table_args__ = (sa.Index("ix_article_recent", "sort_date", "id"), NEVER_REUSED_IDS)


class Speaker(SQLModel, table=True):
    """One real person or organisation; its quote count is kept in SpeakerQuoteCount."""

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
    # Wikidata item ("Q1174"): the key for joining quotegraph with Quotebank and other data.
    wikidata_id: str | None = Field(
        default=None, sa_column=sa.Column(sa.String(32), unique=True, nullable=True)
    )
    # Fields an editor set (name -> value): extraction and imports never change them again.
    curated: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=sa.Column(sa.JSON, nullable=False, server_default=sa.text("'{}'")),
    )

    __table_args__ = (NEVER_REUSED_IDS,)


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
        NEVER_REUSED_IDS,
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
        NEVER_REUSED_IDS,
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

    __table_args__ = (sa.Index("ix_claim_review_recent", "sort_date", "id"), NEVER_REUSED_IDS)


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


class SpeakerQuoteCount(SQLModel, table=True):
    """How many quotes each speaker has: kept by the services on every write
    (app.services.counters), so quoteCount and rankings never count a speaker's history."""

    __tablename__ = "speaker_quote_count"

    speaker_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True
        )
    )
    quotes: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, default=0))

    __table_args__ = (sa.Index("ix_speaker_quote_count_ranked", "quotes", "speaker_id"),)


class SpeakerCoQuote(SQLModel, table=True):
    """In how many articles two speakers are both quoted, once per direction (speaker, other);
    kept by the services with the quote counts."""

    __tablename__ = "speaker_co_quote"

    speaker_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True
        )
    )
    other_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True
        )
    )
    articles: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))

    # "Who is quoted beside X most often" is one range scan, already in order.
    __table_args__ = (
        sa.Index("ix_speaker_co_quote_ranked", "speaker_id", "articles", "other_id"),
        sa.Index("ix_speaker_co_quote_other", "other_id"),
    )


class SpeakerDay(SQLModel, table=True):
    """A speaker's quotes and claims on one day (UTC), kept with the counters: timelines of a
    speaker and rankings over a period add up days instead of counting quotes."""

    __tablename__ = "speaker_day"

    speaker_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True
        )
    )
    day: date = Field(sa_column=sa.Column(sa.Date, primary_key=True))
    quotes: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    claims: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))

    # Rankings over a period read this index alone.
    __table_args__ = (sa.Index("ix_speaker_day_period", "day", "speaker_id", "quotes"),)


class SpeakerSourceDay(SQLModel, table=True):
    """A speaker's quotes and claims in one outlet's articles on one day (UTC), kept with the
    counters: rankings, kind shares and timelines of one outlet add up these rows instead of
    counting the outlet's quotes. `source_key` as in `source_day`."""

    __tablename__ = "speaker_source_day"

    speaker_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True
        )
    )
    source_key: str = Field(sa_column=sa.Column(KEY_TYPE, primary_key=True))
    day: date = Field(sa_column=sa.Column(sa.Date, primary_key=True))
    quotes: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    claims: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))

    # One outlet over a period: a range of this index alone.
    __table_args__ = (
        sa.Index("ix_speaker_source_day_period", "source_key", "day", "speaker_id", "quotes"),
    )


class SpeakerSourceCount(SQLModel, table=True):
    """A speaker's speech quotes in one outlet's articles, all time, kept with the counters:
    an outlet's ranking is the first rows of one index range, its kind shares one range
    joined to the speakers, instead of adding up every day of the outlet. `source_key` as in
    `source_day`; no row for a speaker the outlet never quoted."""

    __tablename__ = "speaker_source_count"

    speaker_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), primary_key=True
        )
    )
    source_key: str = Field(sa_column=sa.Column(KEY_TYPE, primary_key=True))
    quotes: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))

    # One outlet's speakers, most quoted first (read backwards): a top-N without a sort.
    __table_args__ = (
        sa.Index("ix_speaker_source_count_ranked", "source_key", "quotes", "speaker_id"),
    )


class TermDay(SQLModel, table=True):
    """How many speech quotes and how many claims of one day (UTC) hold one search term, kept
    with the counters: a timeline of a one-word search adds up a term's days instead of
    fetching the date of every matching quote and claim. `term` is the word as the search
    indexes it (a PostgreSQL lexeme of `quote.search_vector` and `claim.search_vector`; a term
    of SQLite's FTS5 `quote_fts` and `claim_fts`, which tokenize alike: stemmed, folded; see
    app/services/counters.py). No row is kept with both counts at zero."""

    __tablename__ = "term_day"

    term: str = Field(sa_column=sa.Column(KEY_TYPE, primary_key=True))
    day: date = Field(sa_column=sa.Column(sa.Date, primary_key=True))
    quotes: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    claims: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))

    # A term's days are one range of the key (SQLite stores the rows in key order); a day's
    # terms (its recount) come from the day index.
    __table_args__ = (sa.Index("ix_term_day_day", "day"), {"sqlite_with_rowid": False})


class SourceDay(SQLModel, table=True):
    """One outlet's articles, quotes (attributed or not) and claims on one day (UTC), kept
    with the counters. `source_key` is the outlet's name in lower case, "" for none."""

    __tablename__ = "source_day"

    source_key: str = Field(sa_column=sa.Column(KEY_TYPE, primary_key=True))
    day: date = Field(sa_column=sa.Column(sa.Date, primary_key=True))
    source: str | None = Field(default=None, sa_type=sa.Text)  # the name as first stored
    articles: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    quotes: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    claims: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))

    __table_args__ = (sa.Index("ix_source_day_day", "day"),)


class ApiKey(SQLModel, table=True):
    """A key that may call mutations; only its SHA-256 is stored, never the key itself."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.Text)
    prefix: str = Field(sa_column=sa.Column(sa.String(16), nullable=False, unique=True))
    secret_hash: str = Field(sa_type=sa.String(64))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)
    revoked_at: datetime | None = Field(default=None, sa_type=UTC_DATETIME)
    # reader < editor < admin (app.services.keys.ROLES); keys made before roles existed could
    # do everything, so the migration makes them admins.
    role: str = Field(
        default="admin",
        sa_column=sa.Column(sa.String(16), nullable=False, server_default="admin"),
    )

    __table_args__ = (sa.CheckConstraint("role IN ('reader', 'editor', 'admin')", name="role"),)


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


# --- curation (app.services.curation) and its audit trail (app.services.audit) ---------------


class SpeakerRedirect(SQLModel, table=True):
    """A speaker merged into another: its old id (and name key) lead to the survivor."""

    __tablename__ = "speaker_redirect"

    id: int = Field(sa_column=sa.Column(sa.Integer, primary_key=True, autoincrement=False))
    speaker_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), nullable=False
        )
    )
    name_key: str = Field(sa_column=sa.Column(KEY_TYPE, nullable=False, index=True))
    merged_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)


class HiddenQuote(SQLModel, table=True):
    """A quote an editor marked as not a quote: out of the quote table (so no read path shows
    it), kept here whole under its id so that it can be put back."""

    __tablename__ = "hidden_quote"

    id: int = Field(sa_column=sa.Column(sa.Integer, primary_key=True, autoincrement=False))
    article_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("article.id", ondelete="CASCADE"), nullable=False
        )
    )
    # The quote's speaker, out of `record` so that merges can re-point it in one statement.
    speaker_id: int | None = None
    record: dict[str, Any] = Field(sa_type=sa.JSON)
    claim_ids: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    hidden_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)

    __table_args__ = (
        sa.Index("ix_hidden_quote_article", "article_id"),
        sa.Index("ix_hidden_quote_speaker", "speaker_id"),
    )


class QuoteCuration(SQLModel, table=True):
    """An editor's decisions on one quote, keyed by what outlives its row: the article's
    content hash and the span the extractor gave. Re-applied whenever the article's quotes
    are written again (re-ingest, re-extraction, archive import)."""

    __tablename__ = "quote_curation"

    id: int | None = Field(default=None, primary_key=True)
    article_hash: str = Field(sa_type=sa.String(64))
    quote_start: int
    quote_end: int
    quote_id: int | None = None
    """The quote this decision applies to in this database (ids survive hiding)."""
    speaker_decided: bool = False
    speaker_key: str | None = Field(default=None, sa_type=KEY_TYPE)
    speaker_name: str | None = Field(default=None, sa_type=sa.Text)
    span_start: int | None = None
    span_end: int | None = None
    not_a_quote: bool = False
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)

    __table_args__ = (
        sa.UniqueConstraint("article_hash", "quote_start", "quote_end"),
        sa.Index("ix_quote_curation_quote", "quote_id"),
    )


class AuditEntry(SQLModel, table=True):
    """One change an editor made: who (API key), when, what, and the state before and after.
    Append-only: nothing updates or deletes these rows."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)
    actor_key_id: int | None = None
    actor: str | None = Field(default=None, sa_type=sa.Text)
    action: str = Field(sa_type=sa.String(32))
    subject_type: str = Field(sa_type=sa.String(16))
    subject_id: int
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)

    __table_args__ = (
        sa.Index("ix_audit_log_at", "at", "id"),
        sa.Index("ix_audit_log_actor", "actor_key_id", "id"),
    )


class AuditSubject(SQLModel, table=True):
    """Every object an audit entry concerns (a merge: both speakers and each moved quote), so
    an object's history is one index range."""

    __tablename__ = "audit_subject"

    subject_type: str = Field(sa_column=sa.Column(sa.String(16), primary_key=True))
    subject_id: int = Field(sa_column=sa.Column(sa.Integer, primary_key=True, autoincrement=False))
    audit_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("audit_log.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        )
    )


# --- quotations, provenance (branch quotations) -------------------------------------------------


class Provenance(SQLModel, table=True):
    """How an article's quotes and claims were made (extractor, spaCy and its pipeline, the
    learned models and the sha256 of their weights): one row per distinct record, shared by
    every article made that way."""

    __tablename__ = "provenance"

    id: int | None = Field(default=None, primary_key=True)
    # sha256 of the record's canonical JSON: the same record is stored once.
    digest: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    record: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTC_DATETIME)


class ArticleProvenance(SQLModel, table=True):
    """The provenance record of an article (absent for articles stored before it was kept)."""

    __tablename__ = "article_provenance"

    article_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
        )
    )
    provenance_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("provenance.id"), nullable=False)
    )


class Quotation(SQLModel, table=True):
    """The same words by the same speaker across articles (Quotebank's quotation): one row per
    group of near-identical quotes, with how often and when they were reported."""

    __tablename__ = "quotation"

    id: int | None = Field(default=None, primary_key=True)
    speaker_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("speaker.id", ondelete="CASCADE"), nullable=False
        )
    )
    # Its longest occurrence (the smallest key hash among equals), so the same quotes give the
    # same text and key in any database, whatever order they were stored in.
    text: str = Field(sa_type=sa.Text)
    text_key: str = Field(sa_type=sa.Text)  # its normalised text
    key_hash: str = Field(sa_type=sa.String(64))  # sha256 of text_key
    occurrences: int = 0
    first_seen: datetime = Field(sa_type=UTC_DATETIME)
    last_seen: datetime = Field(sa_type=UTC_DATETIME)

    __table_args__ = (
        sa.UniqueConstraint("speaker_id", "key_hash"),
        sa.Index("ix_quotation_speaker_recent", "speaker_id", "last_seen", "id"),
        sa.Index("ix_quotation_recent", "last_seen", "id"),
    )


class QuotationOccurrence(SQLModel, table=True):
    """A quote as one occurrence of a quotation (the quote's date copied for ordering)."""

    __tablename__ = "quotation_occurrence"

    quote_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("quote.id", ondelete="CASCADE"), primary_key=True
        )
    )
    quotation_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("quotation.id", ondelete="CASCADE"), nullable=False
        )
    )
    sort_date: datetime = Field(sa_type=UTC_DATETIME)
    # sha256 and length of the quote's normalised text: the same words are found by their hash,
    # and the longest version (then the smallest hash) is the quotation's text and key.
    key_hash: str = Field(sa_type=sa.String(64))
    key_length: int

    __table_args__ = (
        sa.Index("ix_quotation_occurrence_recent", "quotation_id", "sort_date", "quote_id"),
        sa.Index("ix_quotation_occurrence_key", "key_hash"),
    )


class QuotationSketch(SQLModel, table=True):
    """Blocking keys of a quotation: the smallest hashes of its word trigrams. A new quote is
    compared only with the speaker's quotations that share one of its keys."""

    __tablename__ = "quotation_sketch"

    speaker_id: int = Field(sa_column=sa.Column(sa.Integer, primary_key=True, autoincrement=False))
    hash: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    quotation_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("quotation.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        )
    )

    __table_args__ = (sa.Index("ix_quotation_sketch_quotation", "quotation_id"),)
