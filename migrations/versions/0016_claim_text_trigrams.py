"""claims found by a piece of their text through an index: pg_trgm (PostgreSQL), FTS5 trigram
(SQLite)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 19:40:00

`claims(search:)` and the claims of `timeline(search:)` keep claims whose text contains the
search text, ignoring case (`ILIKE '%text%'`): a scan of every claim (300,000 at 1M quotes,
~600 ms). On PostgreSQL a GIN `gin_trgm_ops` index answers the same `ILIKE` (the planner uses it
for texts of three characters or more; the index is skipped where pg_trgm cannot be installed,
and the scan stays). On SQLite an external-content FTS5 table with the `trigram` tokenizer,
kept by triggers like `quote_fts`, lists the candidates, and `timeline(search:)` rechecks each
with the same `LIKE` (the trigram match folds case beyond ASCII, so it may list more, never
fewer).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = [
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


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        available = bind.exec_driver_sql(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
        ).first()
        if available is not None:
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            op.execute("CREATE INDEX ix_claim_text_trigram ON claim USING gin (text gin_trgm_ops)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE claim_trigram USING fts5(text, content='claim', "
        "content_rowid='id', tokenize='trigram')"
    )
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO claim_trigram(claim_trigram) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_claim_text_trigram")
        return
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS claim_trigram_{name}")
    op.execute("DROP TABLE IF EXISTS claim_trigram")
