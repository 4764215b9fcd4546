"""quote fragments and attribution classes: quote_fragment (the pieces of a quote its cue
interrupts, with offsets) and quote.attribution_class (speech, belief or evidence)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 08:00:00

Every stored quote was one piece of speech: it gets one fragment, its whole span, and the class
speech. Articles extracted from now on may have quotes in several fragments (extractor 0.6).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLASSES = "attribution_class IN ('speech', 'belief', 'evidence')"


SPEECH_VIEW = (
    "CREATE VIEW speech_quote AS SELECT id, article_id, speaker_id, sort_date FROM quote "
    "WHERE attribution_class = 'speech'"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.add_column(
            "quote",
            sa.Column(
                "attribution_class", sa.String(length=16), nullable=False, server_default="speech"
            ),
        )
        op.create_check_constraint("ck_quote_attribution_class", "quote", CLASSES)
    else:
        # A plain ALTER TABLE (SQLite takes a CHECK with the column): a batch copy of the
        # table would drop the full-text triggers of migration 0004.
        op.execute(
            "ALTER TABLE quote ADD COLUMN attribution_class VARCHAR(16) DEFAULT 'speech' "
            f"NOT NULL CONSTRAINT ck_quote_attribution_class CHECK ({CLASSES})"
        )
    op.create_index("ix_quote_class_recent", "quote", ["attribution_class", "sort_date", "id"])
    op.create_table(
        "quote_fragment",
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quote.id"], name=op.f("fk_quote_fragment_quote_id_quote"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("quote_id", "position", name=op.f("pk_quote_fragment")),
    )  # fmt: skip
    op.execute(
        'INSERT INTO quote_fragment (quote_id, position, text, start, "end") '
        'SELECT id, 0, text, start, "end" FROM quote'
    )
    # What the kept counts (app.services.counters) count: speech, as the API lists by default.
    op.execute(SPEECH_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW speech_quote")
    op.drop_table("quote_fragment")
    op.drop_index("ix_quote_class_recent", table_name="quote")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("ck_quote_attribution_class", "quote", type_="check")
    op.drop_column("quote", "attribution_class")
