"""quotes per speaker and outlet, all time (speaker_source_count)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 19:30:00

`topSpeakers(source:)` and `quoteShareByKind(source:)` with no period read these rows (one
index range per outlet) instead of adding up every day of the outlet in `speaker_source_day`
(~25,000 rows an outlet at 1M quotes, aggregated in a temporary B-tree on SQLite: 160 ms at
p99). The services keep them (app/services/counters.py). Filled here from the rows already
stored: speech quotes by speaker, per outlet key (`lower(source)`, "" for none).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The statement of app.services.counters.rebuild_all for this table, frozen as of this revision.
_BACKFILL = """
    INSERT INTO speaker_source_count (speaker_id, source_key, quotes)
    SELECT q.speaker_id, coalesce(lower(a.source), ''), count(*)
    FROM quote q JOIN article a ON a.id = q.article_id
    WHERE q.speaker_id IS NOT NULL AND q.attribution_class = 'speech'
    GROUP BY q.speaker_id, coalesce(lower(a.source), '')
    """


def upgrade() -> None:
    key_type = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
    op.create_table(
        "speaker_source_count",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("source_key", key_type, nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speaker.id"],
            name=op.f("fk_speaker_source_count_speaker_id_speaker"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("speaker_id", "source_key", name=op.f("pk_speaker_source_count")),
    )  # fmt: skip
    op.create_index(
        "ix_speaker_source_count_ranked",
        "speaker_source_count",
        ["source_key", "quotes", "speaker_id"],
    )
    op.execute(_BACKFILL)


def downgrade() -> None:
    op.drop_table("speaker_source_count")
