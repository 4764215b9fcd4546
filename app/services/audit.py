"""The audit trail: one append-only row per change an editor makes, written in the change's
own transaction (who: the API key; when; what; the state before and after, as JSON)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import ApiKey, AuditEntry, AuditSubject, as_utc, table_of, utcnow
from app.services.pagination import Ordering
from app.services.queries import Listing


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change: an API key (id and name), or a named local tool (the CLI)."""

    key_id: int | None
    name: str

    @classmethod
    def of_key(cls, key: ApiKey) -> Actor:
        return cls(key.id, f"{key.name} ({key.prefix})")


CLI = Actor(None, "cli")

Subject = tuple[str, int]
"""(type name, id), e.g. ("Quote", 42): what an entry concerns, as GraphQL names types."""


def record(
    session: Session,
    actor: Actor,
    action: str,
    subject: Subject,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    also: Iterable[Subject] = (),
    also_quotes_of: sa.Select[Any] | None = None,
) -> int:
    """Append an entry in the caller's transaction (never committed here); `also` lists the
    other objects it concerns, `also_quotes_of` a statement selecting more quote ids (a
    merge's moved quotes, inserted set-wise however many they are). Returns the entry's id."""
    table = table_of(AuditEntry)
    entry_id = int(
        session.execute(
            sa.insert(table).returning(table.c.id),
            {
                "at": utcnow(),
                "actor_key_id": actor.key_id,
                "actor": actor.name,
                "action": action,
                "subject_type": subject[0],
                "subject_id": subject[1],
                # SQL NULL, not JSON null: an entry without `after` is still being completed.
                "before": sa.null() if before is None else before,
                "after": sa.null() if after is None else after,
            },
        ).scalar_one()
    )
    subjects = list(dict.fromkeys([subject, *also]))
    subjects_table = table_of(AuditSubject)
    session.execute(
        sa.insert(subjects_table),
        [{"subject_type": t, "subject_id": i, "audit_id": entry_id} for t, i in subjects],
    )
    if also_quotes_of is not None:
        ids = also_quotes_of.subquery()
        column = next(iter(ids.c))
        already = [i for t, i in subjects if t == "Quote"]
        session.execute(
            sa.insert(subjects_table).from_select(
                ["subject_type", "subject_id", "audit_id"],
                sa.select(sa.literal("Quote"), column, sa.literal(entry_id)).where(
                    column.not_in(already) if already else sa.true()
                ),
            )
        )
    return entry_id


def history(session: Session, subject_type: str, subject_ids: Sequence[int]) -> list[list[Any]]:
    """Each object's entries, oldest first (a DataLoader batch function)."""
    entry, subject = table_of(AuditEntry), table_of(AuditSubject)
    rows = session.execute(
        sa.select(entry, subject.c.subject_id.label("of_subject"))
        .join(subject, subject.c.audit_id == entry.c.id)
        .where(subject.c.subject_type == subject_type, subject.c.subject_id.in_(subject_ids))
        .order_by(subject.c.subject_id, entry.c.id)
    ).all()
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.of_subject, []).append(row)
    return [grouped.get(i, []) for i in subject_ids]


OLDEST_FIRST = Ordering((table_of(AuditEntry).c.id,), descending=False)


def audit_listing(*, since: datetime | None = None, actor_key_id: int | None = None) -> Listing:
    """Entries in the order they were written (a feed to follow with `after`)."""
    entry = table_of(AuditEntry)
    statement = sa.select(entry)
    if since is not None:
        statement = statement.where(entry.c.at >= as_utc(since))
    if actor_key_id is not None:
        statement = statement.where(entry.c.actor_key_id == actor_key_id)
    return Listing(statement, OLDEST_FIRST)
