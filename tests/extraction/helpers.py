"""What the extraction tests compare: each quote's kind, text and speaker mention."""

from __future__ import annotations

from app.extraction import Extraction
from app.extraction.types import AttributionClass


def spans(
    result: Extraction, attribution_class: AttributionClass | None = None
) -> list[tuple[str, str, str | None]]:
    """(kind, text, speaker mention) of each quote (of one attribution class, if given)."""
    text = result.text
    return [
        (
            q.kind,
            q.text,
            text[q.speaker_start : q.speaker_end] if q.speaker_start is not None else None,
        )
        for q in result.quotes
        if attribution_class is None or q.attribution_class == attribution_class
    ]
