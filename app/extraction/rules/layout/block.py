"""Layout rules: block quotations and pull quotes, set off by paragraphs instead of marks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.extraction.linking import Attribution, LinkedQuote
from app.extraction.quotes import trimmed, word_count
from app.extraction.rules import confidence, rule
from app.extraction.speakers import Mention

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder


@rule(
    "pull_quote",
    stage="layout",
    confidence=0.7,
    example="The bridge has served us well for ninety years. Jane Doe",
)
def pull_quotes(builder: ArticleBuilder, consumed: set[int]) -> list[LinkedQuote]:
    """Pull quotes: a paragraph of words followed by the speaker's name and nothing else."""
    text = builder.text
    found: list[LinkedQuote] = []
    for number, (para, doc) in enumerate(zip(builder.paragraphs, builder.docs, strict=False)):
        if any(q.paragraph == number for q in builder.marked) or not doc.ents:
            continue
        last = doc.ents[-1]
        if para.start + last.end_char != para.end:
            continue
        if last.label_ != "PERSON" and builder.book.lookup(last.text) is None:
            continue  # NER may mislabel the name of someone the story has named
        body_end = para.start + last.start_char
        words = text[para.start : body_end].rstrip()
        # The name follows a finished sentence, possibly after a title ("... life. Jane Doe").
        match = re.search(
            r"[.!?]['\u2019\u201d\"]?\s+(?:[A-Z][\w.'\u2019\-]*\s+){0,6}$",
            text[para.start : body_end],
        )
        if match is None or word_count(words) < 6:
            continue
        # A cue of the paragraph's own makes it narrative; not a bare participle without
        # speaker or clause ("repeated failures").
        if any(
            c.paragraph == number and (c.speaker is not None or c.content is not None)
            for c in builder.cues
            if c.naming is None
        ):
            continue
        end = para.start + match.start() + 1
        mention = Mention(para.start + last.start_char, para.end, last.text, "name", "PERSON")
        attribution = Attribution(None, mention, None, confidence("pull_quote"))
        found.append(
            LinkedQuote(para.start, end, "indirect", attribution, number, rule="pull_quote")
        )
    return found


@rule(
    "block_quote",
    stage="layout",
    example="The mayor added:\n\nWe will rebuild the bridge before winter comes.",
)
def block_quotes(builder: ArticleBuilder, consumed: set[int]) -> list[LinkedQuote]:
    """A paragraph without quotation marks introduced by "X added:" closing the one before.

    Block quotations are set off by layout, not marks: the speaker's cue ends its
    paragraph with a colon and the next paragraph is what was said.
    """
    text, paragraphs = builder.text, builder.paragraphs
    found: list[LinkedQuote] = []
    for number in range(len(paragraphs) - 1):
        para, nxt = paragraphs[number], paragraphs[number + 1]
        if not text[para.start : para.end].rstrip().endswith(":"):
            continue
        cue = next(
            (
                c
                for c in builder.cues
                if c.paragraph == number
                and c.speaker is not None
                and c.content is None
                and c.naming is None
                and not c.needs_clause
                and text[c.end : para.end].strip() == ":"
            ),
            None,
        )
        if cue is None or any(q.paragraph == number + 1 for q in builder.marked):
            continue
        if any(c.paragraph == number + 1 and c.speaker is not None for c in builder.cues):
            continue  # a paragraph with attributions of its own is narrative
        start, end = trimmed(text, nxt.start, nxt.end)
        if word_count(text[start:end]) >= 5:
            source = Attribution(None, cue.speaker, cue, 0.0)
            found.append(LinkedQuote(start, end, "direct", source, number + 1, rule="block_quote"))
    return found
