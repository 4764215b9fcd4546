"""counts kept on every write: quotes per speaker, articles per pair of speakers, and daily
totals per speaker and per outlet

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 08:10:00

`Speaker.quoteCount`, `Speaker.coQuoted`, `timeline` and `topSpeakers` read these instead of
counting quotes on each request; the services keep them (app/services/counters.py). They are
filled here from the rows already stored. Days are UTC dates of `sort_date`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same statements as app.services.counters.rebuild_all, frozen here as of this revision.
def _backfill(postgres: bool) -> tuple[str, ...]:
    def day(column: str) -> str:
        return f"CAST(timezone('UTC', {column}) AS date)" if postgres else f"date({column})"

    return (
        """
        INSERT INTO speaker_quote_count (speaker_id, quotes)
        SELECT speaker_id, count(*) FROM quote WHERE speaker_id IS NOT NULL GROUP BY speaker_id
        """,
        f"""
        INSERT INTO speaker_day (speaker_id, day, quotes, claims)
        SELECT speaker_id, day, sum(quotes), sum(claims) FROM (
            SELECT speaker_id, {day("sort_date")} AS day, 1 AS quotes, 0 AS claims
            FROM quote WHERE speaker_id IS NOT NULL
            UNION ALL
            SELECT claimant_id, {day("sort_date")}, 0, 1 FROM claim WHERE claimant_id IS NOT NULL
        ) said GROUP BY speaker_id, day
        """,
        """
        INSERT INTO speaker_co_quote (speaker_id, other_id, articles)
        SELECT a.speaker_id, b.speaker_id, count(*)
        FROM (SELECT DISTINCT article_id, speaker_id FROM quote WHERE speaker_id IS NOT NULL) a
        JOIN (SELECT DISTINCT article_id, speaker_id FROM quote WHERE speaker_id IS NOT NULL) b
          ON a.article_id = b.article_id AND a.speaker_id <> b.speaker_id
        GROUP BY a.speaker_id, b.speaker_id
        """,
        f"""
        INSERT INTO source_day (source_key, day, source, articles, quotes, claims)
        SELECT coalesce(lower(a.source), ''), {day("a.sort_date")},
               min(a.source), count(*), sum(coalesce(q.n, 0)), sum(coalesce(c.n, 0))
        FROM article a
        LEFT JOIN (SELECT article_id, count(*) AS n FROM quote GROUP BY article_id) q
          ON q.article_id = a.id
        LEFT JOIN (SELECT article_id, count(*) AS n FROM claim GROUP BY article_id) c
          ON c.article_id = a.id
        GROUP BY 1, 2
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
    op.create_table(
        "speaker_day",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speaker.id"],
            name=op.f("fk_speaker_day_speaker_id_speaker"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("speaker_id", "day", name=op.f("pk_speaker_day")),
    )  # fmt: skip
    op.create_index("ix_speaker_day_period", "speaker_day", ["day", "speaker_id", "quotes"])
    key_type = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
    op.create_table(
        "source_day",
        sa.Column("source_key", key_type, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source_key", "day", name=op.f("pk_source_day")),
    )
    op.create_index("ix_source_day_day", "source_day", ["day"])
    for statement in _backfill(op.get_bind().dialect.name == "postgresql"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("source_day")
    op.drop_table("speaker_day")
    op.drop_table("speaker_co_quote")
    op.drop_table("speaker_quote_count")
