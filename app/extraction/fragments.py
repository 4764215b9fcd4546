"""One quote from the pieces its cue interrupts: '"A," said X. "B."' is one quote in two fragments.

The rules find each stretch between quotation marks on its own and attribute the second piece
through the first ('"B."' keeps X, on the same cue). This step, run once on a finished
Extraction, joins such pieces into one QuoteSpan whose `fragments` are the pieces' offsets,
whose `start`/`end` cover them all (cue included) and whose `text` is `joined_text(...)`.

Three patterns are joined, for direct quotes (and a direct quote after a partial one: 'X said
the plan "would fail," X said. "B."') with the same speaker, the same mention and the same
class:

* interrupted: the cue and its speaker stand between two quoted pieces in one paragraph, and
  nothing else does ('"A," said X. "B."', '"A," X said, "B."', '"A," said X, the mayor. "B."');
  the second piece has no cue of its own, or the same one;
* around its cue: an indirect report whose cue clause stands between its two halves, set
  off by commas ('It was impossible, she said, so the council gave up'): the rules find the
  halves apart on the same cue;
* continued: a quotation left open at the end of a paragraph goes on in the next, which opens
  with a quotation mark again (the newspaper convention for a quote over several paragraphs),
  and the rules gave the next piece the same speaker mention and no cue of its own.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.extraction.quotes import (
    DOUBLE_CLOSE,
    DOUBLE_OPEN,
    DOUBLED_MARKS,
    SINGLE_CLOSE,
    SINGLE_OPEN,
)
from app.extraction.types import ClaimSpan, Extraction, QuoteSpan

FRAGMENT_JOINER = " \u2026 "
"""Between the fragments of `QuoteSpan.text`: an ellipsis marks where the article's words (the
cue) were left out, so the joined text never reads as if the speaker ran two sentences on."""

# The typewriter apostrophe too, as British wires quote ("'A,' he said. 'B.'"): only at a
# gap's two ends, where an apostrophe inside a word cannot stand.
_OPEN = DOUBLE_OPEN + SINGLE_OPEN + "\"'"
_CLOSE = DOUBLE_CLOSE + SINGLE_CLOSE + "\"'"
# Marks that would mean another quotation starts inside the gap (single closing marks double
# as apostrophes: "Doe's", so they may appear).
_OTHER_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + '"'
_EDGE_PUNCTUATION = ",.!?;:\u2026\u2014\u2013-"
# Between two pieces of one quotation: punctuation and the closing mark of the first (with the
# mark of a quotation inside it that closes there too: a single mark, then a double one), the words
# of the cue clause (no quotation marks, no line break), the opening mark of the second.
_INTERRUPTION = re.compile(
    rf"^[{re.escape(_EDGE_PUNCTUATION)}]*[{re.escape(_CLOSE)}]+"
    rf"(?P<middle>[^\n{re.escape(_OTHER_MARKS)}]*)[{re.escape(_OPEN)}]$"
)
# After a partial quote, whose span ends with its own closing mark ('the council "will not
# wait,"'): the cue clause, then the opening mark of the direct piece.
_AFTER_PARTIAL = re.compile(
    rf"^[{re.escape(_EDGE_PUNCTUATION)}]*(?P<middle>[^\n{re.escape(_OTHER_MARKS)}]*)"
    rf"[{re.escape(_OPEN)}]$"
)
# A quotation opened and closed again inside the gap between two pieces.
_INNER_QUOTATION = re.compile(
    rf"[{re.escape(DOUBLE_OPEN)}\"][^\n{re.escape(DOUBLE_OPEN + DOUBLE_CLOSE)}\"]*"
    rf"[{re.escape(DOUBLE_CLOSE)}\"]"
)
# A paragraph that ends with its quotation still open, and the next that opens a mark again.
_CONTINUATION = re.compile(
    rf"^[{re.escape(_EDGE_PUNCTUATION)}]*[ \t\u00a0]*\n\s*[{re.escape(_OPEN)}]$"
)
_MAX_CUE_WORDS = 30
# A full stop after these does not end a sentence ("said Dr. Jane Doe."): titles before a
# name and the abbreviations that end one ("Jr.", "Inc."); a single letter is an initial.
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "capt", "sgt",
     "maj", "adm", "det", "insp", "rev", "fr", "hon", "st", "jr", "sr", "inc", "corp", "co",
     "ltd", "no", "vs"}
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?P<word>[\w.]*)[.!?]+\s+(?=\S)")


def joined_text(text: str, fragments: tuple[tuple[int, int], ...]) -> str:
    """The words of a quote made of `fragments` (offsets into `text`), in order."""
    return FRAGMENT_JOINER.join(text[start:end] for start, end in fragments)


def join_interrupted_quotes(extraction: Extraction) -> Extraction:
    """The extraction with every quote its cue interrupts joined into one, claims re-pointed."""
    quotes = extraction.quotes
    if len(quotes) < 2:
        return extraction
    text = extraction.text
    groups: list[list[int]] = []
    for index, quote in enumerate(quotes):
        # The quote goes on the last one begun, or the one before it when the last lies in
        # the cue clause between its pieces ('"A," said X, who said ... "B."').
        for group in groups[-1:-3:-1]:
            if _goes_on(text, [quotes[i] for i in group], quote, quotes):
                group.append(index)
                break
        else:
            groups.append([index])
    if len(groups) == len(quotes):
        return extraction
    new_index: dict[int, int] = {}
    joined: list[QuoteSpan] = []
    for number, group in enumerate(groups):
        new_index.update((i, number) for i in group)
        joined.append(_joined(text, [quotes[i] for i in group]))
    claims = tuple(_repointed(claim, new_index) for claim in extraction.claims)
    return replace(extraction, quotes=tuple(joined), claims=claims)


def _repointed(claim: ClaimSpan, new_index: dict[int, int]) -> ClaimSpan:
    return claim if claim.quote is None else replace(claim, quote=new_index[claim.quote])


def _joined(text: str, group: list[QuoteSpan]) -> QuoteSpan:
    if len(group) == 1:
        return group[0]
    first = group[0]
    fragments = tuple(f for quote in group for f in quote.fragments)
    kinds = {q.kind for q in group}
    return replace(
        first,
        # A report with quoted words in either half ('Concealing them, he said, would have
        # been "catastrophic"') is mixed as a whole.
        kind="mixed" if kinds == {"indirect", "mixed"} else first.kind,
        text=joined_text(text, fragments),
        start=fragments[0][0],
        end=fragments[-1][1],
        fragments=fragments,
        role=next((q.role for q in group if q.role), None),
        confidence=max(q.confidence for q in group),
    )


def _goes_on(
    text: str, group: list[QuoteSpan], quote: QuoteSpan, quotes: tuple[QuoteSpan, ...]
) -> bool:
    """Whether `quote` is the next fragment of the quote `group` has begun."""
    first, last = group[0], group[-1]
    if _around_its_cue(text, group, quote, quotes):
        return True
    if not (
        quote.kind == "direct"
        and (first.kind == "direct" or (first.kind == "mixed" and len(group) == 1))
        and first.speaker is not None
        and quote.speaker == first.speaker
        and quote.attribution_class == first.attribution_class
        and last.end <= quote.start
        and (quote.speaker_start, quote.speaker_end) == (first.speaker_start, first.speaker_end)
    ):
        return False
    # Something else found between the two pieces parts them, unless it lies wholly in the
    # cue's own clause: '"A," said Jo Lee, who said the vote was rigged. "B."' is one quote of
    # Lee's around a report of hers.
    if any(
        last.end < other.end
        and other.start < quote.start
        and not (last.end <= other.start and other.end <= quote.start)
        for other in quotes
    ):
        return False
    gap = _one_mark_each(text[last.end : quote.start])
    if quote.cue is None and first.speaker_start is not None and _CONTINUATION.match(gap):
        return True
    if len(group) > 1 or first.cue_start is None or first.cue_end is None:
        return False  # only the first gap holds the cue
    if quote.cue is not None and (quote.cue_start, quote.cue_end) != (
        first.cue_start,
        first.cue_end,
    ):
        return False
    # Words quoted whole inside the cue clause ('said X, after hinting that "changes" could
    # come') are read as one word, so they neither part the pieces nor count as a new quotation.
    gap = _inner_quotations_as_words(gap)
    interruption = (_AFTER_PARTIAL if first.kind == "mixed" else _INTERRUPTION).match(gap)
    return (
        interruption is not None
        and last.end <= first.cue_start
        and first.cue_end <= quote.start
        and _one_clause(interruption.group("middle"))
    )


# Between the two halves of a report its cue interrupts: the cue clause alone, set off by
# commas or dashes ("It was impossible, she said, so the council gave up").
_PARENTHETICAL = re.compile(
    r"^\s*[,\u2014\u2013]\s*(?P<middle>[^,;:!?\n\"\u201c\u201d]+?)\s*[,\u2014\u2013]\s*$"
)


_REPORTED = frozenset({"indirect", "mixed"})
"""Kinds of the halves of a report its cue interrupts; one half may hold quoted words."""


def _around_its_cue(
    text: str, group: list[QuoteSpan], quote: QuoteSpan, quotes: tuple[QuoteSpan, ...]
) -> bool:
    """Whether `quote` is the second half of a reported clause its own cue interrupts: the
    rules read 'It was impossible, she said, so the council gave up' as two pieces on one
    cue; they are one report (mixed when either half quotes words)."""
    first = group[0]
    if not (
        len(group) == 1
        and first.kind in _REPORTED
        and quote.kind in _REPORTED
        and first.cue_start is not None
        and first.cue_end is not None
        and (quote.cue_start, quote.cue_end) == (first.cue_start, first.cue_end)
        and (quote.speaker, quote.speaker_start, quote.speaker_end)
        == (first.speaker, first.speaker_start, first.speaker_end)
        and quote.attribution_class == first.attribution_class
        and first.end <= first.cue_start
        and first.cue_end <= quote.start
    ):
        return False
    if any(first.end < other.end and other.start < quote.start for other in quotes):
        return False
    # A full stop only after a title or an initial ("Mr. Obama said"), not between sentences.
    gap = _PARENTHETICAL.match(text[first.end : quote.start])
    return gap is not None and _one_clause(gap.group("middle"))


def _one_mark_each(gap: str) -> str:
    """The gap with each doubled mark typed for one double mark ("``Yes,'' he said. ''No.''",
    as some wires and archives write) read as that one mark."""
    for doubled in DOUBLED_MARKS:
        gap = gap.replace(doubled, '"')
    return gap


def _inner_quotations_as_words(gap: str) -> str:
    """The gap with each quotation opened and closed inside its middle (after the first
    piece's closing mark, before the second's opening mark) read as the one word "Q"."""
    lead = len(gap) - len(gap.lstrip(_EDGE_PUNCTUATION))
    if len(gap) - lead < 3:
        return gap
    start, end = lead + 1, len(gap) - 1
    return gap[:start] + _INNER_QUOTATION.sub("Q", gap[start:end]) + gap[end:]


def _one_clause(middle: str) -> bool:
    """The cue's words hold no sentence but their own: 'said Dr. Jane Doe.' does, and
    'said Doe. The mayor also spoke of taxes.' does not."""
    if len(middle.split()) > _MAX_CUE_WORDS:
        return False
    for end in _SENTENCE_END.finditer(middle.strip()):
        word = end.group("word").lower()
        if word in _ABBREVIATIONS or len(word) == 1 or "." in word:
            continue  # a title, an initial ("John F. Kennedy") or "U.S."
        return False
    return True
