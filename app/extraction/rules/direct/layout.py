"""Direct rules read from the layout around the marks: transcript turns, name labels,
inscriptions."""

from __future__ import annotations

import re

from app.extraction.linking import Attribution, LinkedQuote
from app.extraction.quotes import trimmed, word_count
from app.extraction.rules import confidence, rule
from app.extraction.rules.direct.candidate import Candidate, Decision
from app.extraction.rules.layout.transcript import SPEAKER_LINE
from app.extraction.speakers import Mention

# The objects that carry words: a quotation they carry is nobody's speech.
_CARRIERS = (
    r"(?:slogan|banner|sign|placard|headline|poster|graffiti|inscription|motto|caption"
    r"|billboard|plaque|sticker|mural|t-shirt|chant)s?"
)
# An object that carries words, named right after them: '"No pay, no port." The slogan, ...',
# or after the verb that says what it carried: '"No pay, no port," read one placard'.
_INSCRIPTION_AFTER = re.compile(
    r"[\s,.!?]*(?:(?:read|reads|said|says|proclaimed|proclaims|declared|declares|urged"
    r"|urges|warned|warns|demanded|demands)\s+)?"
    r"(?:the|a|an|that|this|one|its|their|his|her)\s+(?:[\w\-]+\s+){0,2}?" + _CARRIERS + r"\b",
    re.IGNORECASE,
)

# The object named before the marks, then the verb that says what it carried: 'A sign taped
# to the door read: "Closed."'.
_INSCRIPTION_BEFORE = re.compile(
    r"\b"
    + _CARRIERS
    + r"\b[^.!?\n\"\u201c\u201d]{0,80}?\b(?:read|reads|reading|proclaimed|proclaims"
    r"|proclaiming|saying)"
    # ... and the next of several: 'Signs read "Safe staffing saves lives" and "We ..."'.
    r"\s*[:,]?\s*(?:[\"\u201c][^\"\u201c\u201d\n]{1,200}[\"\u201d]\s*(?:,|and|or|,\s*and)\s*)*$",
    re.IGNORECASE,
)


@rule(
    "transcript_turn",
    stage="direct",
    confidence=0.7,
    example='"SMITH: Well, look, we never said that."',
)
def transcript_turn(c: Candidate) -> Decision:
    """A transcript turn inside quotation marks: the capitalised name speaks the rest."""
    label = SPEAKER_LINE.match(c.text, c.start, c.end)
    if label is None or not label.group(1).isupper() or word_count(label.group(1)) > 3:
        return None
    name = label.group(1)
    mention = Mention(c.start, c.start + len(name), name, "name", "PERSON")
    start, end = trimmed(c.text, label.end(), c.end)
    attribution = Attribution(None, mention, None, confidence("transcript_turn"))
    q = c.q
    return LinkedQuote(start, end, "direct", attribution, q.paragraph, q, rule="transcript_turn")


@rule(
    "inscription",
    stage="direct",
    confidence=0.1,
    example='"No pay, no port." The slogan, painted on a wall, faced the ships.',
)
def inscription(c: Candidate) -> Decision:
    """Words an object carries, named right after them (slogan, banner, sign), or after
    the verb that says what it carried ('"No pay," read one placard'): the previous speaker
    did not say them, and nobody is named as saying them."""
    found = _INSCRIPTION_AFTER.match(c.text, c.q.outer_end)
    if found is None:
        opening = c.text.rfind("\n", 0, c.q.open_at) + 1
        if _INSCRIPTION_BEFORE.search(c.text, opening, c.q.open_at) is None:
            return None
        return c.made(Attribution(None, None, None, confidence("inscription")), "inscription")
    if "\n" in c.text[c.q.outer_end : found.end()] and not _alone(c):
        return None  # the object is named in the next paragraph, after someone's quote
    return c.made(Attribution(None, None, None, confidence("inscription")), "inscription")


def _alone(c: Candidate) -> bool:
    """Whether the quotation is all its paragraph holds: only then may the object that
    carried its words be named in the paragraph after it."""
    opening = c.text.rfind("\n", 0, c.q.open_at) + 1
    closing = c.text.find("\n", c.q.outer_end)
    closing = len(c.text) if closing < 0 else closing
    return not c.text[opening : c.q.open_at].strip() and not c.text[c.q.outer_end : closing].strip()


@rule(
    "layout_speaker",
    stage="direct",
    confidence=0.75,
    example='Jane Doe: "We will rebuild."',
)
def layout_speaker(c: Candidate) -> Decision:
    """A name and a colon before the marks, or a dash and a name after them."""
    if c.words < 2:
        return None
    found = c.builder._layout_speaker(c.q)
    return c.made(found, "layout_speaker") if found is not None else None
