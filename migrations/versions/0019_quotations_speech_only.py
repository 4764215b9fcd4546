"""quotations hold speech only: the occurrences of beliefs and evidence go, and their
speakers' quotations are grouped again

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 09:00:00

A quotation is the same words said by the same speaker in several articles, but every class of
quote was grouped, so a learned stance ("hopes to win the state", class belief) or a finding
attributed to someone (evidence) became a quotation of its speaker. The services now place
speech quotes only (app.services.quotations). Here each speaker one of whose other quotes is
an occurrence is grouped again from their speech quotes, as `quotegraph quotations rebuild`
groups them (`regroup_speaker`): the beliefs and evidence leave, the quotations they shared
with speech are recounted (and take their longest speech occurrence's text), those they held
alone go, and a quotation whose key stays keeps its row id. No table changes.

The downgrade groups the same speakers' quotes of every class again, as revision 0018's
services kept them (each attributed quote an occurrence): a no-op would leave beliefs and
evidence without the quotation 0018 gives every attributed quote.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Speakers with a quote other than speech in one of their quotations (the quotation's speaker:
# the one whose groups change).
_GROUPED_OTHERS = """
    SELECT DISTINCT qn.speaker_id FROM quotation_occurrence o
    JOIN quote q ON q.id = o.quote_id
    JOIN quotation qn ON qn.id = o.quotation_id
    WHERE q.attribution_class <> 'speech'
    ORDER BY qn.speaker_id
    """
# Speakers with an attributed quote other than speech: 0018 had it in a quotation.
_SAID_OTHERS = """
    SELECT DISTINCT speaker_id FROM quote
    WHERE attribution_class <> 'speech' AND speaker_id IS NOT NULL
    ORDER BY speaker_id
    """


def _regroup(speakers: str, *, speech_only: bool) -> None:
    from sqlmodel import Session

    from app.services.quotations import regroup_speaker

    session = Session(bind=op.get_bind())
    for speaker_id in [int(i) for i in session.execute(sa.text(speakers)).scalars()]:
        regroup_speaker(session, speaker_id, speech_only=speech_only)
    session.flush()


def upgrade() -> None:
    _regroup(_GROUPED_OTHERS, speech_only=True)


def downgrade() -> None:
    _regroup(_SAID_OTHERS, speech_only=False)
