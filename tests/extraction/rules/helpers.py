"""What the rule tests compare: each quote's rule, speaker rule, speaker and text."""

from __future__ import annotations

from app.extraction import Extraction

# A dull first paragraph, so the headline rule (paragraph 0 only) stays out of the way.
LEAD = "The council met on Monday.\n\n"


def stamps(result: Extraction) -> list[tuple[str | None, str | None, str | None, str]]:
    """(rule, speaker_rule, speaker name, text) of each quote."""
    return [
        (
            q.rule,
            q.speaker_rule,
            result.speakers[q.speaker].name if q.speaker is not None else None,
            q.text,
        )
        for q in result.quotes
    ]
