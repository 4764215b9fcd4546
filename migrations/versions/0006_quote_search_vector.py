"""PostgreSQL: a stored tsvector column for quote search, so the planner has word statistics

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 12:00:00

With only an expression index, PostgreSQL misjudges how often a word occurs and, for a rare
word, walks the newest-first index computing to_tsvector for every quote. A stored column gets
per-word frequencies from ANALYZE, so the planner picks the GIN index for rare words and the
walk for common ones, and the walk no longer recomputes the vector for each row it tests.
SQLite keeps its FTS5 table (migration 0004).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE quote ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED"
    )
    op.execute("CREATE INDEX ix_quote_search_vector ON quote USING gin (search_vector)")
    op.execute("DROP INDEX ix_quote_text_search")
    op.execute("ANALYZE quote")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX ix_quote_text_search ON quote "
        "USING gin (to_tsvector('english'::regconfig, text))"
    )
    op.execute("DROP INDEX ix_quote_search_vector")
    op.execute("ALTER TABLE quote DROP COLUMN search_vector")
