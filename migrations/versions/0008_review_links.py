"""fact-checks as their own records: ClaimReview's schema.org fields, review links with score,
method and status, and full-text search over claims and reviews for matching

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 05:05:00

A review used to belong to one claim (claim_review.claim_id). A published fact-check checks a
statement that many articles repeat, so reviews now stand alone and review_link joins them to
claims. Each old review becomes a confirmed link (an editor attached it by hand).
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)

SQLITE_FTS = {
    # table: (FTS table, indexed column)
    "claim": ("claim_fts", "text"),
    "claim_review": ("claim_review_fts", "claim_reviewed"),
}


def _sqlite_fts(table: str, fts: str, column: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"""CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column});
        END""",
        f"""CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});
        END""",
        f"""CREATE TRIGGER {fts}_update AFTER UPDATE OF {column} ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});
            INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column});
        END""",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "review_link",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("decided_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint(
            "status IN ('confirmed', 'automatic', 'suggested', 'rejected')",
            name=op.f("ck_review_link_status"),
        ),
        sa.CheckConstraint("score >= 0 AND score <= 1", name=op.f("ck_review_link_score")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_review_link_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["claim_review.id"],
            name=op.f("fk_review_link_review_id_claim_review"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", "review_id", name=op.f("pk_review_link")),
    )
    op.create_index("ix_review_link_claim", "review_link", ["claim_id", "status"])
    op.create_index("ix_review_link_review", "review_link", ["review_id", "status"])

    with op.batch_alter_table("claim_review") as batch:
        for column in (
            sa.Column("natural_key", sa.String(length=64), nullable=True),
            sa.Column("claim_reviewed", sa.Text(), nullable=True),
            sa.Column("reviewer_url", sa.Text(), nullable=True),
            sa.Column("rating_value", sa.Float(), nullable=True),
            sa.Column("best_rating", sa.Float(), nullable=True),
            sa.Column("worst_rating", sa.Float(), nullable=True),
            sa.Column("claimant_name", sa.Text(), nullable=True),
            sa.Column("claim_date", UTC_DATETIME, nullable=True),
            sa.Column("appearances", sa.JSON(), nullable=True),
            sa.Column("language", sa.String(length=16), nullable=True),
            sa.Column("imported_at", UTC_DATETIME, nullable=True),
            sa.Column("sort_date", UTC_DATETIME, nullable=True),
        ):
            batch.add_column(column)

    # Old reviews: each becomes a confirmed link, and takes its claim's text as the claim
    # reviewed. Done row by row in Python: SQLite has no sha256.
    connection = op.get_bind()
    now = datetime.now(UTC)
    rows = connection.execute(
        sa.text(
            "SELECT r.id, r.claim_id, r.url, c.text FROM claim_review r "
            "JOIN claim c ON c.id = r.claim_id"
        )
    ).all()
    for review_id, claim_id, url, claim_text in rows:
        # As app.services.review_documents.url_key_basis: the URL and the claim reviewed.
        basis = (
            f"url:{url}\x1f{' '.join(claim_text.split()).casefold()}"
            if url
            else f"legacy:{review_id}"
        )
        key = hashlib.sha256(basis.encode("utf-8")).hexdigest()
        connection.execute(
            sa.text(
                "UPDATE claim_review SET natural_key = :key, claim_reviewed = :text, "
                "appearances = :appearances, imported_at = :now, "
                "sort_date = COALESCE(review_date, :now) WHERE id = :id"
            ),
            {"key": key, "text": claim_text, "appearances": "[]", "now": now, "id": review_id},
        )
        connection.execute(
            sa.text(
                "INSERT INTO review_link (claim_id, review_id, score, method, status, "
                "created_at, decided_at) VALUES (:claim, :review, 1.0, 'editor', 'confirmed', "
                ":now, :now)"
            ),
            {"claim": claim_id, "review": review_id, "now": now},
        )

    with op.batch_alter_table("claim_review") as batch:
        batch.drop_index("ix_claim_review_claim_id")
        batch.drop_constraint("fk_claim_review_claim_id_claim", type_="foreignkey")
        batch.drop_column("claim_id")
        for name, type_ in (
            ("natural_key", sa.String(length=64)),
            ("claim_reviewed", sa.Text()),
            ("appearances", sa.JSON()),
            ("imported_at", UTC_DATETIME),
            ("sort_date", UTC_DATETIME),
        ):
            batch.alter_column(name, existing_type=type_, nullable=False)
        batch.create_unique_constraint("uq_claim_review_natural_key", ["natural_key"])
        batch.create_index("ix_claim_review_recent", ["sort_date", "id"])

    if postgres:
        for table in ("claim", "claim_review"):
            column = SQLITE_FTS[table][1]
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {column})) STORED"
            )
            op.execute(
                f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)"
            )
        return
    for table, (fts, column) in SQLITE_FTS.items():
        for statement in _sqlite_fts(table, fts, column):
            op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for table in ("claim", "claim_review"):
            op.execute(f"DROP INDEX ix_{table}_search_vector")
            op.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
    else:
        for fts, _column in SQLITE_FTS.values():
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER {fts}_{suffix}")
            op.execute(f"DROP TABLE {fts}")
    with op.batch_alter_table("claim_review") as batch:
        batch.add_column(sa.Column("claim_id", sa.Integer(), nullable=True))
    # One review per claim again: the first confirmed or automatic link of each review.
    op.execute(
        "UPDATE claim_review SET claim_id = (SELECT l.claim_id FROM review_link l "
        "WHERE l.review_id = claim_review.id AND l.status IN ('confirmed', 'automatic') "
        "ORDER BY l.status, l.score DESC LIMIT 1)"
    )
    op.execute("DELETE FROM claim_review WHERE claim_id IS NULL")
    with op.batch_alter_table("claim_review") as batch:
        batch.drop_index("ix_claim_review_recent")
        batch.drop_constraint("uq_claim_review_natural_key", type_="unique")
        for name in (
            "natural_key", "claim_reviewed", "reviewer_url", "rating_value", "best_rating",
            "worst_rating", "claimant_name", "claim_date", "appearances", "language",
            "imported_at", "sort_date",
        ):
            batch.drop_column(name)
        batch.alter_column("claim_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            "fk_claim_review_claim_id_claim", "claim", ["claim_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_claim_review_claim_id", ["claim_id"])
    op.drop_index("ix_review_link_review", table_name="review_link")
    op.drop_index("ix_review_link_claim", table_name="review_link")
    op.drop_table("review_link")
