"""full-text search over quote text: a GIN index on PostgreSQL, an FTS5 table on SQLite

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 11:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER quote_fts_insert AFTER INSERT ON quote BEGIN
        INSERT INTO quote_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER quote_fts_delete AFTER DELETE ON quote BEGIN
        INSERT INTO quote_fts(quote_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER quote_fts_update AFTER UPDATE OF text ON quote BEGIN
        INSERT INTO quote_fts(quote_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO quote_fts(rowid, text) VALUES (new.id, new.text);
    END""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_quote_text_search ON quote "
            "USING gin (to_tsvector('english'::regconfig, text))"
        )
        return
    # External-content FTS5: the text lives once, in quote; triggers keep the index in step.
    op.execute(
        "CREATE VIRTUAL TABLE quote_fts USING fts5(text, content='quote', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO quote_fts(quote_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_quote_text_search")
        return
    for name in ("quote_fts_insert", "quote_fts_delete", "quote_fts_update"):
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE quote_fts")
