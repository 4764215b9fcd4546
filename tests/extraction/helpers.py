"""What the extraction tests compare: each quote's kind, text and speaker mention."""

from __future__ import annotations

from app.extraction import Extraction


def spans(result: Extraction) -> list[tuple[str, str, str | None]]:
    """(kind, text, speaker mention) of each quote."""
    text = result.text
    return [
        (
            q.kind,
            q.text,
            text[q.speaker_start : q.speaker_end] if q.speaker_start is not None else None,
        )
        for q in result.quotes
    ]
