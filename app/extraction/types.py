"""Typed results of extraction: what one article's text yields, with offsets into that text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

QuoteKind = Literal["direct", "indirect", "mixed"]
AttributionClass = Literal["speech", "belief", "evidence"]
"""What an attribution reports: speech (said, told, wrote), a belief or intention (believes,
wants, plans), or evidence (a poll shows, a report found)."""
SpeakerKind = Literal["person", "organisation", "unknown"]


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    """One speaker as seen within one article (cross-article resolution happens in services)."""

    name: str
    """Canonical name within the article, e.g. "Benjamin Netanyahu" for every "Netanyahu"/"he"."""
    kind: SpeakerKind
    role: str | None = None
    """Most specific role or title the article gives, e.g. "Israeli Prime Minister"."""
    aliases: tuple[str, ...] = ()
    """Every surface form naming this speaker in the article (no pronouns), canonical name first."""
    named: bool = True
    """Known by a proper name. A description ("the ministry", "officials") is not: it is no
    evidence that another article's speaker of the same description is the same one."""


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quote with character offsets into Extraction.text.

    A quote in one piece has one fragment and text == Extraction.text[start:end]. A quote its
    cue interrupts ('"A," said X. "B."') has several `fragments`, each with its own offsets;
    `start`/`end` then cover them all (the cue too) and `text` is the fragments' texts joined
    by `app.extraction.fragments.FRAGMENT_JOINER` (" \u2026 "): see `joined_text`.
    """

    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker: int | None
    """Index into Extraction.speakers, or None when the quote cannot be attributed."""
    speaker_start: int | None = None
    speaker_end: int | None = None
    """The mention the attribution rests on ("Netanyahu", "He"), as offsets into the text;
    set with `speaker` None when those words name nobody ("many worry that ...")."""
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    role: str | None = None
    """The role the article gave the speaker at this point ("US Secretary of State")."""
    confidence: float = 0.0
    """Confidence in the attribution, 0..1."""
    attribution_class: AttributionClass = "speech"
    rule: str | None = None
    """Id of the rule that made the span (app/extraction/rules; "learned" for the model's cues)."""
    speaker_rule: str | None = None
    """Id of the rule that chose the speaker; None when there is no speaker."""
    fragments: tuple[tuple[int, int], ...] = ()
    """(start, end) of each piece of the quote's own words, in order; ((start, end),) when
    left empty."""

    def __post_init__(self) -> None:
        if not self.fragments:
            object.__setattr__(self, "fragments", ((self.start, self.end),))


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    """A check-worthy factual assertion, offsets into Extraction.text."""

    text: str
    start: int
    end: int
    score: float
    """Check-worthiness 0..1."""
    claimant: int | None = None
    """Index into Extraction.speakers; None means the publication itself."""
    quote: int | None = None
    """Index into Extraction.quotes when the claim sits inside a quote."""
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article. All offsets refer to `text`, unchanged."""

    text: str
    speakers: tuple[SpeakerRef, ...] = ()
    quotes: tuple[QuoteSpan, ...] = ()
    claims: tuple[ClaimSpan, ...] = ()
    dateline: str | None = None
    """Place from a leading dateline ("TEL AVIV"), when there is one."""
    byline: str | None = None
    """Author line ("By Media" -> "Media"), when there is one."""
    body_start: int = 0
    body_end: int = -1
    """The story proper is text[body_start:body_end]; outside it are dateline and site chrome."""
    language: str = "en"
    extractor_version: str = ""
