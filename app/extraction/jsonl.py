"""One Extraction as the JSON-lines record that `quotegraph extract` prints and score.py reads."""

from __future__ import annotations

from typing import Any

from app.extraction.types import Extraction


def prediction_record(doc_id: str, extraction: Extraction) -> dict[str, Any]:
    """The prediction line for one article: speakers, quotes, claims, dateline and byline."""
    speakers = extraction.speakers
    return {
        "id": doc_id,
        "speakers": [
            {
                "name": s.name,
                "kind": s.kind,
                "named": s.named,
                "role": s.role,
                "aliases": list(s.aliases),
            }
            for s in speakers
        ],
        "quotes": [
            {
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "speaker": speakers[q.speaker].name if q.speaker is not None else None,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "cue": q.cue,
                "cue_start": q.cue_start,
                "cue_end": q.cue_end,
                "type": q.kind,
                "role": q.role,
                "confidence": q.confidence,
            }
            for q in extraction.quotes
        ],
        "claims": [
            {
                "text": c.text,
                "start": c.start,
                "end": c.end,
                "claimant": speakers[c.claimant].name if c.claimant is not None else None,
                "score": c.score,
                "quote": c.quote,
            }
            for c in extraction.claims
        ],
        "dateline": extraction.dateline,
        "byline": extraction.byline,
    }
