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

    The quotes follow an annotation scheme's view of the same extraction. GenderGapTracker's
    (`ggt`) counts speech only and annotates each stretch between quotation marks apart: one
    item per fragment of a quote ('"A," said X. "B."' gives two, each with its own text and
    offsets). PolNeAR's (`polnear`) counts beliefs, intentions and evidence as attributions
    too and annotates one content span per attribution: one item per quote, its offsets
    covering all its fragments, with `fragments` listing them. Every item carries `quote`, the
    index of its quote in the extraction (what a claim's `quote` refers to).
    """
    speakers = extraction.speakers
    text = extraction.text
    quotes: list[dict[str, Any]] = []
    labelled = _labelled_objects(extraction) if scheme == "polnear" else {}
    for index, q in enumerate(extraction.quotes):
        if scheme == "ggt" and q.attribution_class != "speech":
            continue
        if scheme == "polnear" and index in labelled:
            span = labelled[index]
            if span is None:
                continue  # a later label of the same naming: in the first one's item
            pieces = [(text[span[0] : span[1]], span[0], span[1])]
        else:
            pieces = (
                [(text[s:e], s, e) for s, e in q.fragments]
                if scheme == "ggt"
                else [(q.text, q.start, q.end)]
            )
        for piece, start, end in pieces:
            item: dict[str, Any] = {
                "text": piece,
                "start": start,
                "end": end,
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
                "quote": index,
                "rule": q.rule,
                "speaker_rule": q.speaker_rule,
            }
            if scheme == "polnear":
                item["fragments"] = [
                    {"text": text[s:e], "start": s, "end": e} for s, e in q.fragments
                ]
            quotes.append(item)
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
        "quotes": quotes,
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


_LABEL_RULE = "named_label"
_MAX_OBJECT_WORDS = 15
_MAX_JOINING_WORDS = 4


def _labelled_objects(extraction: Extraction) -> dict[int, tuple[int, int] | None]:
    """PolNeAR's content of a naming ('called half of his supporters "deplorables"', 'called
    Trump a "bully" and a "narcissist"'): what was named and every label given it, from the
    cue's end to the last label; the quotes of the labels after the first map to None. The
    stored quotes keep the labels alone, as GenderGapTracker annotates them."""
    text = extraction.text
    groups: dict[int, list[int]] = {}
    for index, q in enumerate(extraction.quotes):
        if q.rule == _LABEL_RULE and q.cue_end is not None and q.cue_end <= q.start:
            groups.setdefault(q.cue_end, []).append(index)
    out: dict[int, tuple[int, int] | None] = {}
    for cue_end, members in groups.items():
        # Labels joined by a few words ('a "bully" and a "narcissist"'); one further on, after
        # more of the sentence ('... "outrageous" and called for pay to be "clawed back"'),
        # is another naming and stays apart.
        kept = members[:1]
        for index in members[1:]:
            gap = text[extraction.quotes[kept[-1]].end : extraction.quotes[index].start]
            if len(gap.split()) > _MAX_JOINING_WORDS:
                break
            kept.append(index)
        members = kept
        first, last = extraction.quotes[members[0]], extraction.quotes[members[-1]]
        between = text[cue_end : first.start]
        if any(mark in between for mark in ".!?\n") or len(between.split()) > _MAX_OBJECT_WORDS:
            continue
        start = cue_end + len(between) - len(between.lstrip())
        end = last.end
        if end < len(text) and text[end] in "\"\u201d'\u2019":
            end += 1  # the closing mark, as PolNeAR's spans hold it
        out[members[0]] = (start, end)
        for other in members[1:]:
            out[other] = None
    return out
