"""curation with an audit trail: key roles, speaker wikidata ids and curated fields, merged
speakers' redirects, hidden (not-a-quote) quotes, editors' quote decisions, the audit log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 07:45:00

Keys made before roles existed could call every mutation, so they become admins; new keys
are given a role when created (`quotegraph keys create NAME --role editor`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
# The audit log is append-only in the database too: an entry may be completed (its `after`
# set) in the transaction that wrote it, and is never changed or deleted after that.
SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN OLD."after" IS NOT NULL OR NEW."before" IS NOT OLD."before" OR NEW.at IS NOT OLD.at
        OR NEW.action IS NOT OLD.action OR NEW.actor_key_id IS NOT OLD.actor_key_id
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]
POSTGRES_APPEND_ONLY = [
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR OLD."after" IS NOT NULL
            OR NEW."before"::text IS DISTINCT FROM OLD."before"::text OR NEW.at <> OLD.at
            OR NEW.action <> OLD.action
            OR NEW.actor_key_id IS DISTINCT FROM OLD.actor_key_id THEN
            RAISE EXCEPTION 'audit_log is append-only';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
]
KEY_TYPE = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("api_key") as batch:
        batch.add_column(
            sa.Column("role", sa.String(length=16), nullable=False, server_default="admin")
        )
        batch.create_check_constraint("role", "role IN ('reader', 'editor', 'admin')")
    with op.batch_alter_table("speaker") as batch:
        batch.add_column(sa.Column("wikidata_id", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column("curated", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch.create_unique_constraint(op.f("uq_speaker_wikidata_id"), ["wikidata_id"])
    op.create_table(
        "speaker_redirect",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("name_key", KEY_TYPE, nullable=False),
        sa.Column("merged_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speaker.id"],
            name=op.f("fk_speaker_redirect_speaker_id_speaker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_redirect")),
    )
    op.create_index(
        op.f("ix_speaker_redirect_name_key"), "speaker_redirect", ["name_key"], unique=False
    )
    op.create_table(
        "hidden_quote",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("claim_ids", sa.JSON(), nullable=False),
        sa.Column("hidden_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_hidden_quote_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hidden_quote")),
    )
    op.create_index("ix_hidden_quote_article", "hidden_quote", ["article_id"], unique=False)
    op.create_index("ix_hidden_quote_speaker", "hidden_quote", ["speaker_id"], unique=False)
    op.create_table(
        "quote_curation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_hash", sa.String(length=64), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=False),
        sa.Column("quote_end", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=True),
        sa.Column("speaker_decided", sa.Boolean(), nullable=False),
        sa.Column("speaker_key", KEY_TYPE, nullable=True),
        sa.Column("speaker_name", sa.Text(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("not_a_quote", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_curation")),
        sa.UniqueConstraint(
            "article_hash",
            "quote_start",
            "quote_end",
            name=op.f("uq_quote_curation_article_hash_quote_start_quote_end"),
        ),
    )
    op.create_index("ix_quote_curation_quote", "quote_curation", ["quote_id"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor_key_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at", "id"], unique=False)
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_APPEND_ONLY if postgres else SQLITE_APPEND_ONLY:
        op.execute(statement)
    op.create_index("ix_audit_log_actor", "audit_log", ["actor_key_id", "id"], unique=False)
    op.create_table(
        "audit_subject",
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("audit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit_log.id"],
            name=op.f("fk_audit_subject_audit_id_audit_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "subject_type", "subject_id", "audit_id", name=op.f("pk_audit_subject")
        ),
    )


def downgrade() -> None:
    op.drop_table("audit_subject")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")
    op.drop_index("ix_audit_log_actor", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_quote_curation_quote", table_name="quote_curation")
    op.drop_table("quote_curation")
    op.drop_index("ix_hidden_quote_speaker", table_name="hidden_quote")
    op.drop_index("ix_hidden_quote_article", table_name="hidden_quote")
    op.drop_table("hidden_quote")
    op.drop_index(op.f("ix_speaker_redirect_name_key"), table_name="speaker_redirect")
    op.drop_table("speaker_redirect")
    with op.batch_alter_table("speaker") as batch:
        batch.drop_constraint(op.f("uq_speaker_wikidata_id"), type_="unique")
        batch.drop_column("curated")
        batch.drop_column("wikidata_id")
    with op.batch_alter_table("api_key") as batch:
        batch.drop_constraint(op.f("ck_api_key_role"), type_="check")
        batch.drop_column("role")
