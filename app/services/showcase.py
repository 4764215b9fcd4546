"""What to show a newcomer first: the speaker the playground's example query asks about."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.db.models import Quote, Speaker, table_of
from app.services.queries import DEFAULT_CLASSES
from app.services.speakers import described


def most_quoted_speaker(session: Session) -> str | None:
    """The name of the speaker known by a proper name with the most quotes (the lowest id among
    equals), or None when no such speaker has a quote. Quotes as `quotes` lists them by
    default (speech): the example query then finds what was counted."""
    quote, speaker = table_of(Quote), table_of(Speaker)
    counts = (
        sa.select(quote.c.speaker_id, sa.func.count().label("quotes"))
        .where(quote.c.speaker_id.is_not(None), quote.c.attribution_class.in_(DEFAULT_CLASSES))
        .group_by(quote.c.speaker_id)
        .subquery()
    )
    statement = (
        sa.select(speaker.c.name)
        .join(counts, counts.c.speaker_id == speaker.c.id)
        .where(sa.not_(described(speaker.c.name_key)))
        .order_by(counts.c.quotes.desc(), speaker.c.id)
        .limit(1)
    )
    name: str | None = session.execute(statement).scalar_one_or_none()
    return name
