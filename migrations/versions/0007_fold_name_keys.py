"""Re-key stored speaker names and aliases with the anyascii fold ("Łukasz" = "Lukasz")

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 05:40:00

`name_key` folded with NFKD, which leaves letters with a stroke or a ligature (Ł, ø, Đ, Æ)
unfolded; it now transliterates with anyascii. Every stored key is recomputed from the stored
name: `speaker.name_key` (keeping the " @scope" suffix of an article's own description) and
`speaker_alias.alias_key`. The fold is copied here, not imported, so this revision does the
same thing whatever `name_key` becomes later.

Collisions the re-keying creates are merged, as ingestion would have merged them had the fold
been this one from the start: speakers whose keys become equal ("Łukasz Nowak" and "Lukasz
Nowak") become the one with the lowest id, which takes the others' quotes, claims and aliases,
a known kind over "unknown", the role dated latest, and the earliest created_at; aliases of one
speaker whose keys become equal keep the lowest id. Keys are moved through temporary values
("#<id>", which no key can hold) so the unique constraint never sees two equal keys on the way.
Downgrade re-keys with the NFKD fold the same way (merged speakers stay merged).
"""

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from anyascii import anyascii

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
SCOPE = " @"  # app.services.speakers.SCOPE_MARK after the name's key

speaker = sa.table(
    "speaker",
    sa.column("id", sa.Integer),
    sa.column("name", sa.Text),
    sa.column("name_key", sa.Text),
    sa.column("kind", sa.String),
    sa.column("role", sa.Text),
    sa.column("role_as_of", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
alias = sa.table(
    "speaker_alias",
    sa.column("id", sa.Integer),
    sa.column("speaker_id", sa.Integer),
    sa.column("alias", sa.Text),
    sa.column("alias_key", sa.Text),
)
quote = sa.table("quote", sa.column("speaker_id", sa.Integer))
claim = sa.table("claim", sa.column("claimant_id", sa.Integer))


def anyascii_key(name: str) -> str:
    return " ".join(_NON_WORD.sub(" ", anyascii(name).casefold()).split())


def nfkd_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", without_marks.casefold()).split())


def _speaker_key(fold: Callable[[str], str], name: str, stored: str) -> str:
    """The key the fold gives a stored speaker; a description keeps its article's scope."""
    key = fold(name)
    at = stored.rfind(SCOPE)
    return f"{key}{stored[at:]}" if at >= 0 and key else key


def _as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def rekey(fold: Callable[[str], str]) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(speaker).order_by(speaker.c.id)).mappings().all()
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(_speaker_key(fold, row["name"], row["name_key"]), []).append(dict(row))

    now = datetime.now(UTC)
    for members in groups.values():
        if len(members) > 1:
            _merge(bind, members[0], members[1:], now)

    changed = {
        members[0]["id"]: key for key, members in groups.items() if members[0]["name_key"] != key
    }
    if changed:
        _move_keys(bind, speaker, "name_key", changed)

    aliases = bind.execute(sa.select(alias).order_by(alias.c.id)).mappings().all()
    seen: set[tuple[int, str]] = set()
    duplicates: list[int] = []
    alias_changes: dict[int, str] = {}
    for row in aliases:
        key = fold(row["alias"])
        if (row["speaker_id"], key) in seen:
            duplicates.append(row["id"])
            continue
        seen.add((row["speaker_id"], key))
        if key != row["alias_key"]:
            alias_changes[row["id"]] = key
    for start in range(0, len(duplicates), 500):
        bind.execute(sa.delete(alias).where(alias.c.id.in_(duplicates[start : start + 500])))
    if alias_changes:
        _move_keys(bind, alias, "alias_key", alias_changes)

    if changed or duplicates or alias_changes or any(len(m) > 1 for m in groups.values()):
        # Response caches in running workers compare against this stamp (app/services/stamp.py).
        bind.execute(sa.text("UPDATE write_stamp SET value = value + 1"))


def _merge(bind: sa.Connection, survivor: dict, others: list[dict], now: datetime) -> None:
    ids = [o["id"] for o in others]
    bind.execute(sa.update(quote).where(quote.c.speaker_id.in_(ids)).values(speaker_id=survivor["id"]))
    bind.execute(sa.update(claim).where(claim.c.claimant_id.in_(ids)).values(claimant_id=survivor["id"]))
    # The others' aliases move to the survivor unless it already has that alias key; the
    # alias pass after the merge then re-keys and de-duplicates them.
    held = set(
        bind.execute(
            sa.select(alias.c.alias_key).where(alias.c.speaker_id == survivor["id"])
        ).scalars()
    )
    for row in bind.execute(
        sa.select(alias.c.id, alias.c.alias_key).where(alias.c.speaker_id.in_(ids)).order_by(alias.c.id)
    ).all():
        if row.alias_key in held:
            bind.execute(sa.delete(alias).where(alias.c.id == row.id))
        else:
            held.add(row.alias_key)
            bind.execute(sa.update(alias).where(alias.c.id == row.id).values(speaker_id=survivor["id"]))

    everyone = [survivor, *others]
    kind = next((m["kind"] for m in everyone if m["kind"] != "unknown"), survivor["kind"])
    dated = [m for m in everyone if m["role"] and m["role_as_of"] is not None]
    latest = max(dated, key=lambda m: _as_utc(m["role_as_of"])) if dated else None
    role = latest or next((m for m in everyone if m["role"]), survivor)
    created = min(_as_utc(m["created_at"]) for m in everyone)
    bind.execute(sa.delete(speaker).where(speaker.c.id.in_(ids)))
    bind.execute(
        sa.update(speaker)
        .where(speaker.c.id == survivor["id"])
        .values(
            kind=kind,
            role=role["role"],
            role_as_of=role["role_as_of"],
            created_at=created,
            updated_at=now,
        )
    )


def _move_keys(bind: sa.Connection, table: sa.TableClause, name: str, keys: dict[int, str]) -> None:
    """Set each row's key through a temporary one, so no intermediate state breaks a unique
    constraint (a row's new key may be another row's old key)."""
    statement = sa.update(table).where(table.c.id == sa.bindparam("row_id")).values({name: sa.bindparam("key")})
    rows = sorted(keys.items())
    for start in range(0, len(rows), 1000):
        batch = rows[start : start + 1000]
        bind.execute(statement, [{"row_id": i, "key": f"#{i}"} for i, _ in batch])
    for start in range(0, len(rows), 1000):
        batch = rows[start : start + 1000]
        bind.execute(statement, [{"row_id": i, "key": key} for i, key in batch])


def upgrade() -> None:
    rekey(anyascii_key)


def downgrade() -> None:
    rekey(nfkd_key)
