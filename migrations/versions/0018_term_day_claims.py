"""claims searched by word like quotes; speech quotes and claims per search term and day
(term_day, replacing quote_term_day); the claim text's trigram index goes

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 01:00:00

`claims(search:)` kept claims whose text contained the search text as one piece (`ILIKE`),
while `quotes(search:)` finds words (stemmed, every word, anywhere). `timeline(search:)` counts
both, so one search meant two things, and "war" found claims about software and awards. Claims
are now searched by word like quotes, through the word indexes they already had (migration
0008: `claim.search_vector` on PostgreSQL, FTS5 `claim_fts` on SQLite, both tokenizing as the
quote search does). That lets the kept per-term daily counts answer the claims of a one-word
search timeline too: `term_day(term, day, quotes, claims)` holds, per search term and UTC day,
how many speech quotes and how many claims hold it (filled here from the rows, kept by the
services: app/services/counters.py). The trigram index of migration 0016 served only the
substring match, and goes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The statements of app.services.counters.rebuild_all for this table, frozen as of this revision.
_POSTGRES_BACKFILL = """
    INSERT INTO term_day (term, day, quotes, claims)
    SELECT term, day, sum(quotes), sum(claims) FROM (
        SELECT t.lexeme AS term, CAST(timezone('UTC', r.sort_date) AS date) AS day,
               1 AS quotes, 0 AS claims
        FROM quote r CROSS JOIN LATERAL unnest(r.search_vector) t
        WHERE r.attribution_class = 'speech'
        UNION ALL
        SELECT t.lexeme, CAST(timezone('UTC', r.sort_date) AS date), 0, 1
        FROM claim r CROSS JOIN LATERAL unnest(r.search_vector) t
    ) held
    GROUP BY term, day
    """
_SQLITE_BACKFILL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.quote_fts_instance "
    "USING fts5vocab(main, quote_fts, instance)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.claim_fts_instance "
    "USING fts5vocab(main, claim_fts, instance)",
    """
    INSERT INTO term_day (term, day, quotes, claims)
    SELECT term, day, sum(quotes), sum(claims) FROM (
        SELECT held.term AS term, date(r.sort_date) AS day, 1 AS quotes, 0 AS claims
        FROM (SELECT DISTINCT term, doc FROM temp.quote_fts_instance) held
        JOIN quote r ON r.id = held.doc
        WHERE r.attribution_class = 'speech'
        UNION ALL
        SELECT held.term, date(r.sort_date), 0, 1
        FROM (SELECT DISTINCT term, doc FROM temp.claim_fts_instance) held
        JOIN claim r ON r.id = held.doc
    ) counted
    GROUP BY term, day
    """,
    "DROP TABLE temp.quote_fts_instance",
    "DROP TABLE temp.claim_fts_instance",
)

# Migration 0016's SQLite trigram table, for the downgrade.
_TRIGRAM_TRIGGERS = [
    """CREATE TRIGGER claim_trigram_insert AFTER INSERT ON claim BEGIN
        INSERT INTO claim_trigram(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER claim_trigram_delete AFTER DELETE ON claim BEGIN
        INSERT INTO claim_trigram(claim_trigram, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER claim_trigram_update AFTER UPDATE OF text ON claim BEGIN
        INSERT INTO claim_trigram(claim_trigram, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO claim_trigram(rowid, text) VALUES (new.id, new.text);
    END""",
]


def _create(name: str, counts: Sequence[str]) -> None:
    key_type = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
    op.create_table(
        name,
        sa.Column("term", key_type, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(count, sa.Integer(), nullable=False) for count in counts),
        sa.PrimaryKeyConstraint("term", "day", name=op.f(f"pk_{name}")),
        sqlite_with_rowid=False,
    )
    op.create_index(f"ix_{name}_day", name, ["day"])


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.drop_table("quote_term_day")
    _create("term_day", ("quotes", "claims"))
    if postgres:
        op.execute(_POSTGRES_BACKFILL)
        op.execute("DROP INDEX IF EXISTS ix_claim_text_trigram")
    else:
        for statement in _SQLITE_BACKFILL:
            op.execute(statement)
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS claim_trigram_{name}")
        op.execute("DROP TABLE IF EXISTS claim_trigram")
    op.execute("ANALYZE term_day")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _create("quote_term_day", ("quotes",))
    op.execute(
        "INSERT INTO quote_term_day (term, day, quotes) "
        "SELECT term, day, quotes FROM term_day WHERE quotes > 0"
    )
    op.drop_table("term_day")
    if postgres:
        available = op.get_bind().exec_driver_sql(
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"
        ).first()
        if available is not None:
            op.execute("CREATE INDEX ix_claim_text_trigram ON claim USING gin (text gin_trgm_ops)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE claim_trigram USING fts5(text, content='claim', "
        "content_rowid='id', tokenize='trigram')"
    )
    for trigger in _TRIGRAM_TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO claim_trigram(claim_trigram) VALUES ('rebuild')")
