"""One Extraction as the JSON-lines record that `quotegraph extract` prints and score.py reads."""

from __future__ import annotations

from typing import Any, Literal

from app.extraction.fragments import joined_text
from app.extraction.types import Extraction, QuoteSpan

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
    index of its quote in the extraction (what a claim's `quote` refers to). A direct quote
    that lies whole inside a learned report the view shows is part of that attribution
    ('characterizes herself as a "change warrior"'), not an item of its own. A quotation that
    goes on from the quote before it with no cue of its own (rules `continuation`,
    `continuation_later`) is part of that quote's attribution in PolNeAR's view, as PolNeAR
    anchors every attribution on a cue: one item covering both.
    """
    speakers = extraction.speakers
    text = extraction.text
    quotes: list[dict[str, Any]] = []
    nested = _nested_in_learned(extraction, scheme)
    labelled = _labelled_objects(extraction) if scheme == "polnear" else {}
    continued = _continued_attributions(extraction, labelled, nested) if scheme == "polnear" else {}
    for index, q in enumerate(extraction.quotes):
        if scheme == "ggt" and q.attribution_class != "speech":
            continue
        if index in nested:
            continue  # words of the learned report that holds them
        fragments = q.fragments
        if scheme == "polnear" and index in continued:
            members = continued[index]
            if not members:
                continue  # a continuation: in the item of the quote it goes on from
            fragments = tuple(f for m in members for f in extraction.quotes[m].fragments)
            start, end = fragments[0][0], fragments[-1][1]
            pieces = [(joined_text(text, fragments), start, end)]
        elif scheme == "polnear" and index in labelled:
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
                    {"text": text[s:e], "start": s, "end": e} for s, e in fragments
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
_LEARNED_RULE = "learned"
_CONTINUING_RULES = frozenset({"continuation", "continuation_later"})


def _nested_in_learned(extraction: Extraction, scheme: Scheme) -> set[int]:
    """The indices of the direct quotes lying whole inside a learned report that the scheme's
    view shows."""
    learned = [
        (q.start, q.end)
        for q in extraction.quotes
        if q.rule == _LEARNED_RULE and (scheme == "polnear" or q.attribution_class == "speech")
    ]
    return {
        index
        for index, q in enumerate(extraction.quotes)
        if q.kind == "direct" and any(s <= q.start and q.end <= e for s, e in learned)
    }


def _continued_attributions(
    extraction: Extraction,
    labelled: dict[int, tuple[int, int] | None],
    nested: set[int],
) -> dict[int, list[int]]:
    """PolNeAR's one attribution over a quotation and those that go on from it with no cue of
    their own ('"A," said X, who ... . "B."' where the stored quotes stay two; '"A," he
    said.' then a paragraph opening '"B."'): the first quote's index maps to every member's,
    in order, and each later member's to an empty list. Only a direct quotation goes on, from
    the quote right before it (no other quote between), with the same speaker; a naming's
    label keeps its own item."""
    order = sorted(range(len(extraction.quotes)), key=lambda i: extraction.quotes[i].start)
    out: dict[int, list[int]] = {}
    head: int | None = None
    previous: QuoteSpan | None = None
    for index in order:
        q = extraction.quotes[index]
        if index in nested:
            continue
        goes_on = (
            previous is not None
            and head is not None
            and q.rule in _CONTINUING_RULES
            and q.kind == "direct"
            and previous.kind in {"direct", "mixed"}
            and q.speaker == previous.speaker
            and q.attribution_class == previous.attribution_class
            and index not in labelled
        )
        if goes_on and head is not None:
            out.setdefault(head, [head]).append(index)
            out[index] = []
        else:
            head = None if index in labelled else index
        previous = q
    return out


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
