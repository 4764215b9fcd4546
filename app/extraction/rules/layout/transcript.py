"""Layout rule: transcript and headline lines "NAME: words" with no quotation marks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.extraction.linking import Attribution, LinkedQuote
from app.extraction.quotes import trimmed, word_count
from app.extraction.rules import confidence, rule
from app.extraction.speakers import Mention
from app.extraction.types import QuoteKind

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder

SPEAKER_LINE = re.compile(r"([A-Z][\w.'\u2019\-]*(?: [A-Z][\w.'\u2019\-]*){0,3}):\s+(?=\S)")
"""A speaker's label opening a line: "PENCE: ", "Jane Doe: "."""


@rule(
    "transcript_line",
    stage="layout",
    confidence=0.7,
    example="SMITH: Well, look, we never said that.",
)
def transcript_lines(builder: ArticleBuilder, consumed: set[int]) -> list[LinkedQuote]:
    """Transcript and headline layouts without marks: "PENCE: Well, look, ..." naming a
    known speaker.

    A headline ("Smith: Taxes Will 'Never' Rise") is the named person's claim, quoted words
    and all: the marks inside it are consumed; so is a transcript answer's scare-quoted word.
    """
    text = builder.text
    found: list[LinkedQuote] = []
    for number, para in enumerate(builder.paragraphs):
        match = SPEAKER_LINE.match(text, para.start, para.end)
        if match is None:
            continue
        inner = [i for i, q in enumerate(builder.marked) if q.paragraph == number]
        headline = number == 0 and word_count(text[para.start : para.end]) <= 30
        # 'SMITH: "We never said that."' is left to the quotation rules; words the answer
        # itself puts in marks ('WHITZMAN: It talks about "affordable" rents') are its own.
        if inner and not headline and text[match.end()] in "\"'\u201c\u2018":
            continue
        name = match.group(1)
        if builder.book.lookup(name.title() if name.isupper() else name) is None:
            continue
        start, end = trimmed(text, match.end(), para.end)
        if word_count(text[start:end]) < 4:
            continue
        mention = Mention(para.start, para.start + len(name), name, "name", "PERSON")
        kind: QuoteKind = "indirect" if headline else "direct"
        attribution = Attribution(None, mention, None, confidence("transcript_line"))
        found.append(LinkedQuote(start, end, kind, attribution, number, rule="transcript_line"))
        consumed.update(inner)
    return found
