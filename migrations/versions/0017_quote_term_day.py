"""speech quotes per search term and day (quote_term_day)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 22:30:00

`timeline(search:)` for one word counted the matching quotes from the rows: the text index
lists the ~46,000 quotes holding a common word at 1M quotes, and fetching the date of each
took ~200 ms (27,000 heap pages on PostgreSQL). These rows hold, per term the quote search
indexes (a lexeme of `quote.search_vector` on PostgreSQL, a term of FTS5's `quote_fts` on
SQLite) and UTC day, how many speech quotes hold it. The services keep them (app/services/counters.py). Filled here from the
rows already stored: PostgreSQL unnests each stored vector, SQLite reads every quote's terms
from the FTS5 index itself (its `instance` vocabulary).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The statements of app.services.counters.rebuild_all for this table, frozen as of this revision.
_POSTGRES_BACKFILL = """
    INSERT INTO quote_term_day (term, day, quotes)
    SELECT t.lexeme, CAST(timezone('UTC', q.sort_date) AS date), count(*)
    FROM quote q CROSS JOIN LATERAL unnest(q.search_vector) t
    WHERE q.attribution_class = 'speech'
    GROUP BY 1, 2
    """
_SQLITE_BACKFILL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.quote_fts_instance "
    "USING fts5vocab(main, quote_fts, instance)",
    """
    INSERT INTO quote_term_day (term, day, quotes)
    SELECT held.term, date(q.sort_date), count(*)
    FROM (SELECT DISTINCT term, doc FROM temp.quote_fts_instance) held
    JOIN quote q ON q.id = held.doc
    WHERE q.attribution_class = 'speech'
    GROUP BY held.term, date(q.sort_date)
    """,
    "DROP TABLE temp.quote_fts_instance",
)


def upgrade() -> None:
    key_type = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
    op.create_table(
        "quote_term_day",
        sa.Column("term", key_type, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", "day", name=op.f("pk_quote_term_day")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_quote_term_day_day", "quote_term_day", ["day"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRES_BACKFILL)
        op.execute("ANALYZE quote_term_day")
        return
    for statement in _SQLITE_BACKFILL:
        op.execute(statement)
    op.execute("ANALYZE quote_term_day")


def downgrade() -> None:
    op.drop_table("quote_term_day")
