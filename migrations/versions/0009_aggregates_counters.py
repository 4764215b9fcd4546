"""counters kept on every write: quotes per speaker and articles per pair of speakers

Revision ID: 0009_aggregates
Revises: 0008
Create Date: 2026-12-04 08:10:00

`Speaker.quoteCount`, `topSpeakers` over all time and `Speaker.coQuoted` read these instead of
counting quotes on each request; the services keep them (app/services/counters.py). They are
filled here from the quotes already stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_aggregates"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same statements as app.services.counters.REBUILD, frozen here as of this revision.
BACKFILL = (
    """
    INSERT INTO speaker_quote_count (speaker_id, quotes)
    SELECT speaker_id, count(*) FROM quote WHERE speaker_id IS NOT NULL GROUP BY speaker_id
    """,
    """
    INSERT INTO speaker_co_quote (speaker_id, other_id, articles)
    SELECT a.speaker_id, b.speaker_id, count(*)
    FROM (SELECT DISTINCT article_id, speaker_id FROM quote WHERE speaker_id IS NOT NULL) a
    JOIN (SELECT DISTINCT article_id, speaker_id FROM quote WHERE speaker_id IS NOT NULL) b
      ON a.article_id = b.article_id AND a.speaker_id <> b.speaker_id
    GROUP BY a.speaker_id, b.speaker_id
    """,
)


def upgrade() -> None:
    op.create_table(
        "speaker_quote_count",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speaker.id"],
            name=op.f("fk_speaker_quote_count_speaker_id_speaker"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("speaker_id", name=op.f("pk_speaker_quote_count")),
    )  # fmt: skip
    op.create_index(
        "ix_speaker_quote_count_ranked", "speaker_quote_count", ["quotes", "speaker_id"]
    )
    op.create_table(
        "speaker_co_quote",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speaker.id"],
            name=op.f("fk_speaker_co_quote_speaker_id_speaker"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["speaker.id"],
            name=op.f("fk_speaker_co_quote_other_id_speaker"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("speaker_id", "other_id", name=op.f("pk_speaker_co_quote")),
    )  # fmt: skip
    op.create_index(
        "ix_speaker_co_quote_ranked", "speaker_co_quote", ["speaker_id", "articles", "other_id"]
    )
    op.create_index("ix_speaker_co_quote_other", "speaker_co_quote", ["other_id"])
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("speaker_co_quote")
    op.drop_table("speaker_quote_count")
