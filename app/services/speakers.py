"""Speaker resolution across articles: join an existing speaker only on real evidence."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from app.db.models import Speaker, SpeakerAlias, as_utc, table_of, utcnow
from app.extraction.types import SpeakerRef
from app.services.names import name_key


def insert_ignoring_conflicts(
    session: Session,
    table: type[Any],
    values: dict[str, Any] | list[dict[str, Any]],
    conflict: list[str],
) -> None:
    """INSERT ... ON CONFLICT DO NOTHING (one row, or several in one statement), so concurrent
    writers racing on a key both succeed."""
    statement = _insert_ignoring(session.get_bind().dialect.name, table_of(table), tuple(conflict))
    # The values go as parameters (several rows: one executemany, batched into multi-row
    # INSERTs by SQLAlchemy), so the statement is compiled once, not once per call.
    session.execute(statement, values)


@functools.cache
def _insert_ignoring(dialect: str, table: sa.Table, conflict: tuple[str, ...]) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=list(conflict))


def find_speaker_id(session: Session, ref: SpeakerRef) -> int | None:
    """An existing speaker with this exact name, or a multi-word alias that matches it.

    A lone surname ("Smith") is not evidence that two articles mean the same person, so
    single-word aliases never merge; single-word *names* (organisations: "Hamas") still do.
    """
    key = name_key(ref.name)
    found = session.exec(select(Speaker.id).where(Speaker.name_key == key)).first()
    if found is not None:
        return found
    if " " not in key:
        return None
    candidates = session.exec(
        select(SpeakerAlias.speaker_id).where(SpeakerAlias.alias_key == key).distinct().limit(2)
    ).all()
    # Two different speakers share this alias: it is ambiguous, so it is no evidence at all.
    return candidates[0] if len(candidates) == 1 else None


def resolve_speakers(session: Session, refs: Sequence[SpeakerRef], as_of: datetime) -> list[int]:
    """`resolve_speaker` for all of an article's speakers in a handful of statements.

    The same decisions as resolving them one by one, in order: when one speaker's name is
    among the names another one brings (so that the order could matter), they are resolved one
    by one instead.
    """
    keys = [name_key(ref.name) for ref in refs]
    names = [{name_key(n) for n in (ref.name, *ref.aliases)} - {""} for ref in refs]
    if len(set(keys)) < len(keys) or any(
        keys[j] in names[i] for i in range(len(refs)) for j in range(len(refs)) if i != j
    ):
        return [resolve_speaker(session, ref, as_of) for ref in refs]

    speaker = table_of(Speaker)
    alias = table_of(SpeakerAlias)
    found: dict[str, int] = {
        key: speaker_id
        for speaker_id, key in session.execute(
            sa.select(speaker.c.id, speaker.c.name_key).where(speaker.c.name_key.in_(keys))
        )
    }
    by_alias = [k for k in keys if k not in found and " " in k]
    if by_alias:
        owners: dict[str, set[int]] = {}
        for key, speaker_id in session.execute(
            sa.select(alias.c.alias_key, alias.c.speaker_id)
            .where(alias.c.alias_key.in_(by_alias))
            .distinct()
        ):
            owners.setdefault(key, set()).add(speaker_id)
        # An alias two speakers share is ambiguous: no evidence at all.
        found.update({k: ids.pop() for k, ids in owners.items() if len(ids) == 1})

    new = [(ref, key) for ref, key in zip(refs, keys, strict=True) if key not in found]
    if new:
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
                for ref, key in new
            ],
            ["name_key"],
        )
        created = [key for _, key in new]
        found.update(
            (key, speaker_id)
            for speaker_id, key in session.execute(
                sa.select(speaker.c.id, speaker.c.name_key).where(speaker.c.name_key.in_(created))
            )
        )
        existing = [
            (ref, found[key]) for ref, key in zip(refs, keys, strict=True) if key not in created
        ]
    else:
        existing = [(ref, found[key]) for ref, key in zip(refs, keys, strict=True)]
    _update_speakers(session, existing, as_of)

    ids = [found[key] for key in keys]
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


def _update_speakers(
    session: Session, matches: Sequence[tuple[SpeakerRef, int]], as_of: datetime
) -> None:
    """Kind and latest role of existing speakers from what this article says of them."""
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
        values = current[speaker_id]
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


def resolve_speaker(session: Session, ref: SpeakerRef, as_of: datetime) -> int:
    """Id of the speaker `ref` names, created if new; records aliases, kind and latest role."""
    speaker_id = find_speaker_id(session, ref)
    if speaker_id is None:
        now = utcnow()
        insert_ignoring_conflicts(
            session,
            Speaker,
            {
                "name": ref.name,
                "name_key": name_key(ref.name),
                "kind": ref.kind,
                "role": ref.role,
                "role_as_of": as_of if ref.role else None,
                "created_at": now,
                "updated_at": now,
            },
            ["name_key"],
        )
        speaker_id = session.exec(
            select(Speaker.id).where(Speaker.name_key == name_key(ref.name))
        ).one()
    else:
        _update_speaker(session, speaker_id, ref, as_of)
    assert speaker_id is not None
    _record_aliases(session, speaker_id, (ref.name, *ref.aliases))
    return speaker_id


def _update_speaker(session: Session, speaker_id: int, ref: SpeakerRef, as_of: datetime) -> None:
    speaker = session.get_one(Speaker, speaker_id)
    changed = False
    if speaker.kind == "unknown" and ref.kind != "unknown":
        speaker.kind, changed = ref.kind, True
    role_date = speaker.role_as_of
    if ref.role and (role_date is None or as_utc(role_date) <= as_of):
        speaker.role, speaker.role_as_of, changed = ref.role, as_of, True
    if changed:
        speaker.updated_at = utcnow()
        session.add(speaker)
        session.flush()


def _record_aliases(session: Session, speaker_id: int, names: tuple[str, ...]) -> None:
    rows: dict[str, dict[str, Any]] = {}
    for alias in names:
        key = name_key(alias)
        if key and key not in rows:
            rows[key] = {"speaker_id": speaker_id, "alias": alias.strip(), "alias_key": key}
    if rows:
        insert_ignoring_conflicts(
            session, SpeakerAlias, list(rows.values()), ["speaker_id", "alias_key"]
        )
