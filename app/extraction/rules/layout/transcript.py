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


_QUESTION_LINE = re.compile(r"Q[:.]\s+(?=\S)")
_ANSWER_LINE = re.compile(r"A[:.]\s+(?=\S)")


@rule(
    "interview_answer",
    stage="layout",
    confidence=0.7,
    example="We asked Jo Lee, a housing economist, why rents rise.\n\nQ: Why?\n\nA: Supply.",
)
def interview_answers(builder: ArticleBuilder, consumed: set[int]) -> list[LinkedQuote]:
    """A question-and-answer interview: each "A:" line after a "Q:" line is the answer of
    the person the introduction is about (its mention is that name, where the reader can
    check it). Nothing when no person is named before the first question."""
    text = builder.text
    questions = [
        n for n, p in enumerate(builder.paragraphs) if _QUESTION_LINE.match(text, p.start, p.end)
    ]
    if not questions:
        return []
    first = questions[0]
    book = builder.book
    named = [m for m in book.mentions if m.position < builder.paragraphs[first].start]
    if not named:
        return []
    # The one the introduction is about: named most often before the first question (the
    # first named among equals), not whoever it names last ("... as Maritza Ramos on Orange
    # Is the New Black" in an interview with the actress Diane Guerrero).
    counts: dict[int, int] = {}
    first_named: dict[int, int] = {}
    for m in named:
        counts[m.entity] = counts.get(m.entity, 0) + 1
        first_named.setdefault(m.entity, m.position)
    chosen = max(counts, key=lambda e: (counts[e], -first_named[e]))
    last = [m for m in named if m.entity == chosen][-1]
    entity = book.entities[last.entity]
    surface = next(
        (
            a
            for a in sorted(entity.aliases, key=len, reverse=True)
            if text.startswith(a, last.position)
        ),
        None,
    )
    if surface is None:
        return []
    mention = Mention(last.position, last.position + len(surface), surface, "name", "PERSON")
    found: list[LinkedQuote] = []
    for n, para in enumerate(builder.paragraphs):
        if n <= first:
            continue
        match = _ANSWER_LINE.match(text, para.start, para.end)
        if match is None:
            continue
        start, end = trimmed(text, match.end(), para.end)
        if word_count(text[start:end]) < 3:
            continue
        attribution = Attribution(None, mention, None, confidence("interview_answer"))
        found.append(LinkedQuote(start, end, "direct", attribution, n, rule="interview_answer"))
        consumed.update(i for i, q in enumerate(builder.marked) if q.paragraph == n)
    return found
