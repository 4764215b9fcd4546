"""Stage "report": which reported clauses a cue makes into quotes, besides its own speaker's."""

from __future__ import annotations

from app.extraction.attribution import Cue
from app.extraction.linking import LinkedQuote
from app.extraction.rules import rule


@rule(
    "participle_inherit",
    stage="report",
    confidence=0.5,
    example='"We are ready," Lee said, adding that talks would go on.',
)
def participle_inherit(cue: Cue, found: list[LinkedQuote]) -> LinkedQuote | None:
    """A participle cue (", saying ...") whose subject the parse lost speaks for whoever
    was quoted last before it in the paragraph: the quote it goes on from."""
    if not cue.text.lower().endswith("ing"):
        return None
    before = [o for o in found if o.paragraph == cue.paragraph and o.start < cue.start]
    return max(before, key=lambda o: o.start) if before else None
