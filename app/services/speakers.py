"""Speaker resolution across articles: join an existing speaker only on real evidence."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.db.models import Speaker, SpeakerAlias, SpeakerRedirect, as_utc, table_of, utcnow
from app.extraction.types import SpeakerRef
from app.services.names import name_key


def insert_ignoring_conflicts(
    session: Session,
    table: type[Any],
    values: dict[str, Any] | list[dict[str, Any]],
    conflict: list[str],
) -> None:
    """INSERT ... ON CONFLICT DO NOTHING (one row, or several batched together), so concurrent
    writers racing on a key both succeed."""
    statement = _insert_ignoring(session.get_bind().dialect.name, table_of(table), tuple(conflict))
    # The values go as parameters (several rows: one executemany, batched into multi-row
    # INSERTs by SQLAlchemy), so the statement is compiled once, not once per call.
    session.execute(statement, values)


@functools.cache
def _insert_ignoring(dialect: str, table: sa.Table, conflict: tuple[str, ...]) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=list(conflict))


def resolve_speaker(
    session: Session, ref: SpeakerRef, as_of: datetime, scope: str | None = None
) -> int:
    """Id of the speaker `ref` names, created if new; records aliases, kind and latest role."""
    return resolve_speakers(session, [ref], as_of, scope)[0]


SCOPE_MARK = "@"


def described(name_key_column: Any) -> sa.ColumnElement[bool]:
    """Whether a speaker's key is an article's own description's (see `speaker_key`)."""
    condition: sa.ColumnElement[bool] = name_key_column.like(f"% {SCOPE_MARK}%")
    return condition


def speaker_key(ref: SpeakerRef, scope: str | None) -> str:
    """The unique key of the speaker a ref stands for.

    A proper name's key is the name's ("benjamin netanyahu"), shared by every article. A
    description ("the ministry", "officials") names nobody in particular, so its key holds the
    article's `scope` too ("the ministry @3f2a..."): each article's "officials" is a speaker of
    its own, still found by `speaker: "officials"` through its alias. Name keys have no "@".
    """
    key = name_key(ref.name)
    return key if ref.named or not scope or not key else f"{key} {SCOPE_MARK}{scope}"


def refold_key(name: str, stored_key: str) -> str:
    """The key a speaker stored (or exported) under an older fold has today: its name's key,
    with the article scope a description's key carries. Migration 0007 did the same in place."""
    key = name_key(name)
    at = stored_key.rfind(f" {SCOPE_MARK}")
    return f"{key}{stored_key[at:]}" if at >= 0 and key else key


def resolve_speakers(
    session: Session, refs: Sequence[SpeakerRef], as_of: datetime, scope: str | None = None
) -> list[int]:
    """Ids of the speakers an article names, in a handful of statements; new ones are created,
    and every name the article used is recorded as an alias. `scope` identifies the article:
    speakers it knows only by a description are its own (see `speaker_key`).

    A ref joins an existing speaker with the same name, or one with a multi-word alias equal
    to its name. A lone surname ("Smith") is not evidence that two articles mean the same
    person, so single-word aliases never merge (single-word *names*, "Hamas", still do); nor
    does an alias two speakers share. The decisions are those of resolving the refs one by one
    in order: when one ref's name is among the names another brings, so that the order could
    matter, they are resolved one by one.
    """
    if not refs:
        return []
    keys = [speaker_key(ref, scope) for ref in refs]
    names = [{name_key(n) for n in (ref.name, *ref.aliases)} - {""} for ref in refs]
    if len(set(keys)) < len(keys) or any(
        keys[j] in names[i] for i in range(len(refs)) for j in range(len(refs)) if i != j
    ):
        return [resolve_speaker(session, ref, as_of, scope) for ref in refs]

    found = _ids_by_name(session, keys)
    by_alias = [k for k in keys if k not in found and " " in k and SCOPE_MARK not in k]
    if by_alias:
        alias, speaker = table_of(SpeakerAlias), table_of(Speaker)
        owners: dict[str, set[int]] = {}
        for key, speaker_id in session.execute(
            sa.select(alias.c.alias_key, alias.c.speaker_id)
            .join(speaker, speaker.c.id == alias.c.speaker_id)
            .where(
                alias.c.alias_key.in_(by_alias),
                # An article's own description ("the ministry @...") is nobody else's.
                sa.not_(described(speaker.c.name_key)),
            )
            .distinct()
        ):
            owners.setdefault(key, set()).add(speaker_id)
        found.update({k: ids.pop() for k, ids in owners.items() if len(ids) == 1})

    # A name an editor merged into another speaker leads to that speaker (app.services.curation).
    found.update(merged_names(session, [k for k in keys if k not in found]))
    created = {key for key in keys if key not in found}
    if created:
        now = utcnow()
        insert_ignoring_conflicts(
            session,
            Speaker,
            [
                {
                    "name": ref.name,
                    "name_key": key,
                    "kind": ref.kind,
                    "role": ref.role,
                    "role_as_of": as_of if ref.role else None,
                    "created_at": now,
                    "updated_at": now,
                }
                for ref, key in zip(refs, keys, strict=True)
                if key in created
            ],
            ["name_key"],
        )
        found.update(_ids_by_name(session, sorted(created)))
    ids = [found[key] for key in keys]
    _update_speakers(
        session,
        [(ref, i) for ref, key, i in zip(refs, keys, ids, strict=True) if key not in created],
        as_of,
    )

    rows: dict[tuple[int, str], dict[str, Any]] = {}
    for speaker_id, ref in zip(ids, refs, strict=True):
        for name in (ref.name, *ref.aliases):
            key = name_key(name)
            if key and (speaker_id, key) not in rows:
                rows[speaker_id, key] = {
                    "speaker_id": speaker_id,
                    "alias": name.strip(),
                    "alias_key": key,
                }
    if rows:
        insert_ignoring_conflicts(
            session, SpeakerAlias, list(rows.values()), ["speaker_id", "alias_key"]
        )
    return ids


def _ids_by_name(session: Session, keys: Sequence[str]) -> dict[str, int]:
    speaker = table_of(Speaker)
    # FOR KEY SHARE (PostgreSQL; SQLite has one writer at a time): an editor's merge
    # (app.services.curation) cannot delete a speaker this article is joining until it is
    # stored, and then moves its quotes too. Ingests do not block each other by it.
    statement = (
        sa.select(speaker.c.name_key, speaker.c.id)
        .where(speaker.c.name_key.in_(keys))
        .with_for_update(key_share=True)
    )
    return {key: speaker_id for key, speaker_id in session.execute(statement)}


def _update_speakers(
    session: Session, matches: Sequence[tuple[SpeakerRef, int]], as_of: datetime
) -> None:
    """Kind and latest role of existing speakers from what this article says of them: a
    known kind replaces "unknown"; a role replaces one dated no later than this article."""
    if not matches:
        return
    speaker = table_of(Speaker)
    current = {
        row.id: [row.kind, row.role, row.role_as_of]
        for row in session.execute(
            sa.select(speaker.c.id, speaker.c.kind, speaker.c.role, speaker.c.role_as_of).where(
                speaker.c.id.in_({speaker_id for _, speaker_id in matches})
            )
        )
    }
    changed: set[int] = set()
    for ref, speaker_id in matches:
        values = current.get(speaker_id)
        if values is None:
            # Merged away by an editor meanwhile: storing fails on the foreign key, and the
            # ingest is tried again (app.services.ingest.store_article).
            continue
        if values[0] == "unknown" and ref.kind != "unknown":
            values[0] = ref.kind
            changed.add(speaker_id)
        if ref.role and (values[2] is None or as_utc(values[2]) <= as_of):
            values[1], values[2] = ref.role, as_of
            changed.add(speaker_id)
    if changed:
        now = utcnow()
        session.execute(
            sa.update(speaker).where(speaker.c.id == sa.bindparam("speaker_id")),
            [
                {
                    "speaker_id": speaker_id,
                    "kind": current[speaker_id][0],
                    "role": current[speaker_id][1],
                    "role_as_of": current[speaker_id][2],
                    "updated_at": now,
                }
                for speaker_id in sorted(changed)
            ],
        )


def merged_names(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Name keys of speakers an editor merged away -> the speakers they were merged into."""
    if not keys:
        return {}
    redirect = table_of(SpeakerRedirect)
    rows = session.execute(
        sa.select(redirect.c.name_key, redirect.c.speaker_id)
        .where(redirect.c.name_key.in_(sorted(set(keys))))
        .order_by(redirect.c.merged_at, redirect.c.id)
    ).all()
    return {key: int(speaker_id) for key, speaker_id in rows}
