"""quotations across articles (quotation, its occurrences and blocking sketch) and a
provenance record per article

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 08:00:00

New tables only: nothing existing changes. Quotations of the quotes already stored are built
at upgrade (the same grouping ingest uses); articles stored before have no provenance record.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provenance")),
        sa.UniqueConstraint("digest", name=op.f("uq_provenance_digest")),
    )
    op.create_table(
        "article_provenance",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("provenance_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_article_provenance_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provenance_id"],
            ["provenance.id"],
            name=op.f("fk_article_provenance_provenance_id_provenance"),
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_provenance")),
    )
    op.create_table(
        "quotation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_key", sa.Text(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("first_seen", UTC_DATETIME, nullable=False),
        sa.Column("last_seen", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speaker.id"],
            name=op.f("fk_quotation_speaker_id_speaker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotation")),
        sa.UniqueConstraint(
            "speaker_id", "key_hash", name=op.f("uq_quotation_speaker_id_key_hash")
        ),
    )
    op.create_index("ix_quotation_speaker_recent", "quotation", ["speaker_id", "last_seen", "id"])
    op.create_index("ix_quotation_recent", "quotation", ["last_seen", "id"])
    op.create_table(
        "quotation_occurrence",
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("quotation_id", sa.Integer(), nullable=False),
        sa.Column("sort_date", UTC_DATETIME, nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_length", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quote.id"],
            name=op.f("fk_quotation_occurrence_quote_id_quote"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quotation_id"],
            ["quotation.id"],
            name=op.f("fk_quotation_occurrence_quotation_id_quotation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("quote_id", name=op.f("pk_quotation_occurrence")),
    )
    op.create_index(
        "ix_quotation_occurrence_recent",
        "quotation_occurrence",
        ["quotation_id", "sort_date", "quote_id"],
    )
    op.create_index("ix_quotation_occurrence_key", "quotation_occurrence", ["key_hash"])
    op.create_table(
        "quotation_sketch",
        sa.Column("speaker_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("quotation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["quotation_id"],
            ["quotation.id"],
            name=op.f("fk_quotation_sketch_quotation_id_quotation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "speaker_id", "hash", "quotation_id", name=op.f("pk_quotation_sketch")
        ),
    )
    op.create_index("ix_quotation_sketch_quotation", "quotation_sketch", ["quotation_id"])

    # Group the quotes already stored, as ingest will group new ones.
    from sqlmodel import Session

    from app.services.quotations import rebuild_quotations

    session = Session(bind=op.get_bind())
    # Quotes have no attribution class yet (0012 gives them one, speech): every quote.
    rebuild_quotations(session, speech_only=False)
    session.flush()


def downgrade() -> None:
    op.drop_table("quotation_sketch")
    op.drop_table("quotation_occurrence")
    op.drop_table("quotation")
    op.drop_table("article_provenance")
    op.drop_table("provenance")
