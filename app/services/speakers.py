"""Speaker resolution across articles: join an existing speaker only on real evidence."""

from __future__ import annotations

import functools
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
