"""Stage "assembly": the linked quotes of an article as the QuoteSpans and speakers of its
Extraction (speakers numbered in order of use, roles, mention spans, classes, rule stamps)."""

from __future__ import annotations

from app.extraction.classes import attribution_class, source_head
from app.extraction.learned.model import learned_class
from app.extraction.linking import Attribution, LinkedQuote
from app.extraction.quotes import balanced
from app.extraction.speakers import SpeakerBook
from app.extraction.types import AttributionClass, QuoteSpan, SpeakerRef


def quote_spans(
    text: str, quotes: list[LinkedQuote], book: SpeakerBook
) -> tuple[list[SpeakerRef], list[QuoteSpan]]:
    """The speakers the quotes use and the quotes as QuoteSpans, in the quotes' order."""
    used = [q.attribution.entity for q in quotes if q.attribution.entity is not None]
    refs, mapping = book.refs(used)
    spans: list[QuoteSpan] = []
    for q in quotes:
        att = q.attribution
        speaker = mapping.get(att.entity) if att.entity is not None else None
        role = None
        if att.mention is not None and att.mention.role:
            role = att.mention.role
        elif speaker is not None:
            role = refs[speaker].role
        mention_span = (att.mention.start, att.mention.end) if att.mention else None
        if att.cue is not None and att.cue.relative is not None and mention_span is not None:
            mention_span = att.cue.relative  # "Kamin, who emphasized that ...": rests on "who"
        if mention_span is None and speaker is None and att.cue is not None:
            mention_span = att.cue.source  # "many worry that ...": rests on "many", no speaker
        start, end = balanced(text, q.start, q.end)
        spans.append(
            QuoteSpan(
                text=text[start:end],
                start=start,
                end=end,
                kind=q.kind,
                speaker=speaker,
                speaker_start=mention_span[0] if mention_span else None,
                speaker_end=mention_span[1] if mention_span else None,
                cue=att.cue.text if att.cue else None,
                cue_start=att.cue.start if att.cue else None,
                cue_end=att.cue.end if att.cue else None,
                role=role,
                confidence=round(att.confidence, 3),
                attribution_class=_class_of(att, text),
                rule=q.rule,
                speaker_rule=att.rule if speaker is not None else None,
            )
        )
    return refs, spans


def _class_of(attribution: Attribution, text: str) -> AttributionClass:
    cue, mention = attribution.cue, attribution.mention
    if cue is None:
        return "speech"
    head = source_head(mention.text) if mention is not None else None
    if mention is not None and cue.clause_start < mention.start:
        # "A survey by Leger found ...": the source is the survey its maker is named in.
        before = text[cue.clause_start : mention.start].split()
        if len(before) >= 2 and before[-1].lower() in {"by", "from"}:
            head = source_head(" ".join(before[:-1])) or head
    if cue.score is not None:
        return learned_class(cue.lemma, head, cue.over_rule_cue)
    if cue.rule == "finding":
        # "The report, written by Fitch and Associates, found ...": a record's finding,
        # even when the speaker is its author.
        return "evidence"
    return attribution_class(cue.lemma, head)
