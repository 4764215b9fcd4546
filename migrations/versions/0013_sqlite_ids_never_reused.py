"""SQLite: row ids are never handed out twice (AUTOINCREMENT on article, speaker, quote, claim
and claim_review)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 16:00:00

Without AUTOINCREMENT, SQLite gives a new row the largest id in the table plus one, so the id of
a deleted row that was the newest comes back for the next one. Ids outlive their rows here: a
quote marked "not a quote" waits in hidden_quote under its id to be put back (restoring it after
a new quote had taken that id failed with a UNIQUE error), a merged speaker's id still leads to
the survivor through speaker_redirect, and a researcher's `node(id:)` citation must never lead
to somebody else's words. PostgreSQL's sequences never go back, so only SQLite changes.

SQLite cannot add AUTOINCREMENT in place: each table is rebuilt by SQLite's documented recipe
(new table, copy, drop, rename, then its indexes, triggers and the views over it again), and the
counter starts above every id in use, kept ones included.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each table, and the tables that keep ids of its rows that are no longer (or not now) in it.
TABLES: dict[str, tuple[str, ...]] = {
    "article": (),
    "speaker": ("speaker_redirect",),
    "quote": ("hidden_quote",),
    "claim": (),
    "claim_review": (),
}


def _autoincrement_sql(table: str, create_sql: str, new_name: str) -> str:
    """The table's own CREATE statement with `id` as an AUTOINCREMENT rowid under a new name.
    Refuses (rather than guesses) a statement of another shape."""
    head = re.compile(rf'^CREATE TABLE\s+("?){re.escape(table)}\1\s*\(')
    column = re.compile(r"(\(\s*)id INTEGER NOT NULL,")
    key = re.compile(rf",\s*CONSTRAINT pk_{re.escape(table)} PRIMARY KEY \(id\)")
    if not (head.search(create_sql) and column.search(create_sql) and key.search(create_sql)):
        raise RuntimeError(f"table {table} does not have the expected shape:\n{create_sql}")
    sql = head.sub(f"CREATE TABLE {new_name} (", create_sql, count=1)
    sql = column.sub(
        rf"\1id INTEGER NOT NULL CONSTRAINT pk_{table} PRIMARY KEY AUTOINCREMENT,", sql, count=1
    )
    return key.sub("", sql, count=1)


def _rebuild(connection: sa.Connection, table: str, keepers: tuple[str, ...]) -> None:
    schema = connection.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
    ).all()
    create_sql = next(row.sql for row in schema if row.type == "table" and row.name == table)
    if "AUTOINCREMENT" in create_sql.upper():
        return
    # What goes with the table when it is dropped (its indexes and triggers), and the views that
    # read it (SQLite checks views when a table is renamed): all made again, word for word.
    again = [row.sql for row in schema if row.type in ("index", "trigger") and row.tbl_name == table]
    views = [
        row
        for row in schema
        if row.type == "view" and re.search(rf"\b{re.escape(table)}\b", row.sql)
    ]
    for view in views:
        connection.exec_driver_sql(f'DROP VIEW "{view.name}"')
    new_name = f"_qg_new_{table}"
    connection.exec_driver_sql(_autoincrement_sql(table, create_sql, new_name))
    connection.exec_driver_sql(f'INSERT INTO {new_name} SELECT * FROM "{table}"')
    connection.exec_driver_sql(f'DROP TABLE "{table}"')
    connection.exec_driver_sql(f'ALTER TABLE {new_name} RENAME TO "{table}"')
    for sql in again:
        connection.exec_driver_sql(sql)
    for view in views:
        connection.exec_driver_sql(view.sql)
    # The counter starts above every id in use, the ones kept outside the table included.
    highest = " UNION ALL ".join(
        f'SELECT max(id) AS id FROM "{name}"' for name in (table, *keepers)
    )
    top = connection.exec_driver_sql(f"SELECT max(id) FROM ({highest})").scalar()
    connection.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
    connection.exec_driver_sql(
        "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, int(top or 0))
    )


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    if connection.exec_driver_sql("PRAGMA foreign_keys").scalar():
        # Dropping a table would delete the rows that point at it; migrations run without.
        raise RuntimeError("migration 0013 must run with SQLite's foreign keys off")
    for table, keepers in TABLES.items():
        _rebuild(connection, table, keepers)


def downgrade() -> None:
    # AUTOINCREMENT only promises more than a plain rowid; nothing to undo.
    pass
