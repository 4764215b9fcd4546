"""daily totals per speaker and outlet (speaker_source_day)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 16:30:00

`topSpeakers(source:)`, `quoteShareByKind(source:)` and `timeline(speaker:, source:)` add up
these rows instead of counting an outlet's quotes on each request; the services keep them
(app/services/counters.py). Filled here from the rows already stored: speech quotes by
speaker, claims by claimant, per outlet key (`lower(source)`, "" for none) and UTC day.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The statement of app.services.counters.rebuild_all for this table, frozen as of this revision.
def _backfill(postgres: bool) -> str:
    def day(column: str) -> str:
        return f"CAST(timezone('UTC', {column}) AS date)" if postgres else f"date({column})"

    return f"""
        INSERT INTO speaker_source_day (speaker_id, source_key, day, quotes, claims)
        SELECT said.speaker_id, coalesce(lower(a.source), ''), said.day,
               sum(said.quotes), sum(said.claims)
        FROM (
            SELECT speaker_id, article_id, {day("sort_date")} AS day, 1 AS quotes, 0 AS claims
            FROM quote WHERE speaker_id IS NOT NULL AND attribution_class = 'speech'
            UNION ALL
            SELECT claimant_id, article_id, {day("sort_date")}, 0, 1
            FROM claim WHERE claimant_id IS NOT NULL
        ) said JOIN article a ON a.id = said.article_id
        GROUP BY said.speaker_id, coalesce(lower(a.source), ''), said.day
        """


def upgrade() -> None:
    key_type = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
    op.create_table(
        "speaker_source_day",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("source_key", key_type, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speaker.id"],
            name=op.f("fk_speaker_source_day_speaker_id_speaker"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "speaker_id", "source_key", "day", name=op.f("pk_speaker_source_day")
        ),
    )  # fmt: skip
    op.create_index(
        "ix_speaker_source_day_period",
        "speaker_source_day",
        ["source_key", "day", "speaker_id", "quotes"],
    )
    op.execute(_backfill(op.get_bind().dialect.name == "postgresql"))


def downgrade() -> None:
    op.drop_table("speaker_source_day")
