"""One Extraction as the JSON-lines record that `quotegraph extract` prints and score.py reads."""

from __future__ import annotations

from typing import Any, Literal

from app.extraction.types import Extraction

Scheme = Literal["ggt", "polnear"]
SCHEMES: tuple[Scheme, ...] = ("ggt", "polnear")


def prediction_record(
    doc_id: str, extraction: Extraction, scheme: Scheme = "ggt"
) -> dict[str, Any]:
    """The prediction line for one article: speakers, quotes, claims, dateline and byline.

    The view follows an annotation scheme: GenderGapTracker's (`ggt`) counts speech only;
    PolNeAR's (`polnear`) counts beliefs, intentions and evidence as attributions too.
    """
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
                "attribution_class": q.attribution_class,
                "rule": q.rule,
                "speaker_rule": q.speaker_rule,
            }
            for q in extraction.quotes
            if scheme == "polnear" or q.attribution_class == "speech"
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
