"""What the extraction tests compare: each quote's kind, text and speaker mention."""

from __future__ import annotations

from app.extraction import Extraction
from app.extraction.types import AttributionClass


def spans(
    result: Extraction, attribution_class: AttributionClass | None = None
) -> list[tuple[str, str, str | None]]:
    """(kind, text, speaker mention) of each fragment of each quote (of one attribution class,
    if given): what the rules found between quotation marks, before a quote its cue interrupts
    is joined into one (tests/extraction/test_fragments.py tests the joining)."""
    text = result.text
    return [
        (
            q.kind,
            text[start:end],
            text[q.speaker_start : q.speaker_end] if q.speaker_start is not None else None,
        )
        for q in result.quotes
        if attribution_class is None or q.attribution_class == attribution_class
        for start, end in q.fragments
    ]
