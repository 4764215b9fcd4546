"""Quotation-mark spans: straight, curly, guillemets, doubled apostrophes, across paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extraction.cleanup import Paragraph

# Marks that can only open or only close a double-level quotation (curly, low-9, guillemets).
DOUBLE_OPEN = "\u201c\u201e\u00ab\u201f"
DOUBLE_CLOSE = "\u201d\u00bb"
SINGLE_OPEN = "\u2018\u2039"
SINGLE_CLOSE = "\u2019\u203a"
ALL_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + "\"'"
# Characters after which a straight mark opens rather than closes a quotation.
_OPENING_CONTEXT = set(" \t\u00a0([{\u2014\u2013-/:;") | set(DOUBLE_OPEN) | set(SINGLE_OPEN)
_CLOSING_FOLLOW = (
    set(" \t\u00a0,.;:!?)]}\u2014\u2013-\u2026") | set(DOUBLE_CLOSE) | set(SINGLE_CLOSE)
)
_WORD = re.compile(r"\w+(?:['\u2019\-]\w+)*")


# What introduces a programme or publication title: a capitalised possessive ("CBS's",
# "ABC'"), or "episode of", "broadcast of", "edition of".
_TITLE_INTRO = re.compile(
    r"(?:\b[A-Z][\w.&\-]*(?:['\u2019]s?)|\b(?:episode|broadcast|edition|segment|issue) of)"
    r"\s+$"
)


def is_title_case(quoted: str) -> bool:
    """Quoted words in title case, with no sentence inside: the name of a work or event.

    '"The Kid Who Would Be King"', '"Women in Power"': every word longer than three letters
    is capitalised, and at least two are; a short word in lower case is one titles leave so
    (an article, a conjunction, a short preposition), so '"That is Jeb Bush and Marco
    Rubio."' is a sentence ("Is" would be capitalised in a title).
    """
    inner = quoted.strip().rstrip(" .,")
    words = _WORD.findall(inner)
    long_words = [w for w in words if len(w) > 3]
    return (
        len(long_words) >= 2
        and len(words) <= 12
        and words[0][:1].isupper()
        and all(w[:1].isupper() for w in long_words)
        and all(
            w[:1].isupper() or w[:1].isdigit() or w.lower() in _TITLE_MINOR_WORDS for w in words
        )
        and re.search(r"[.!?]\s", inner) is None
    )


_TITLE_MINOR_WORDS = frozenset(
    {"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in",
     "of", "off", "on", "per", "to", "up", "via", "vs", "v", "de", "la", "le", "von", "van"}
)  # fmt: skip


def is_programme_title(text: str, open_at: int, start: int, end: int) -> bool:
    """A short title-case quotation introduced as a programme's name.

    'Pence said on CNN's "State of the Union."', 'on Tuesday's episode of "The Morning
    Show"': the marks set off a title, not anyone's words.
    """
    inner = text[start:end].rstrip(" .,")
    words = _WORD.findall(inner)
    long_words = [w for w in words if len(w) > 3]
    if not words or len(words) > 6 or not all(w[:1].isupper() for w in long_words):
        return False
    if not words[0][:1].isupper() or re.search(r"[.!?]\s", inner):
        return False
    return _TITLE_INTRO.search(text, max(0, open_at - 40), open_at) is not None


@dataclass(frozen=True, slots=True)
class MarkedQuote:
    """Text between quotation marks inside one paragraph.

    start/end exclude the marks; open_at/close_at are the marks themselves (close_at is None
    when the paragraph ends first, as in a quotation that carries on into the next paragraph).
    """

    start: int
    end: int
    open_at: int
    close_at: int | None
    paragraph: int
    single: bool = False
    continued: bool = False
    """This segment carries on a quotation opened in an earlier paragraph."""
    continues: bool = False
    """The quotation carries on in the next paragraph (the mark is reopened there)."""

    @property
    def outer_end(self) -> int:
        return self.close_at + 1 if self.close_at is not None else self.end


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _classify_double(text: str, pos: int, inside: bool, para: Paragraph) -> str:
    """'open' or 'close' for a double mark at pos, from the mark itself and its neighbours."""
    char = text[pos]
    prev = text[pos - 1] if pos > para.start else " "
    nxt = text[pos + 1] if pos + 1 < para.end else " "
    if char in DOUBLE_OPEN:
        # Some sites type an opening mark where a closing one belongs ("... to do.“ Then").
        if inside and not prev.isspace() and (nxt in _CLOSING_FOLLOW or nxt.isspace()):
            return "close"
        return "open"
    if char in DOUBLE_CLOSE:
        if not inside and (prev in _OPENING_CONTEXT or pos == para.start) and nxt.isalnum():
            return "open"
        return "close"
    # Straight double quote: decide from the surrounding characters.
    if pos == para.start or prev in _OPENING_CONTEXT:
        if inside and nxt in _CLOSING_FOLLOW and pos != para.start:
            return "close"
        return "open"
    return "close"


DOUBLED_MARKS = {"''", "``", "\u2019\u2019", "\u2018\u2018", "\u2018\u2019"}


def _classify_pair(text: str, pos: int, inside: bool, para: Paragraph) -> str:
    prev = text[pos - 1] if pos > para.start else " "
    if text[pos] == "`" or text[pos] == "\u2018":
        return "open"
    if not inside and (pos == para.start or prev in _OPENING_CONTEXT):
        return "open"
    return "close" if inside else "none"


def _double_quotes(text: str, paragraphs: tuple[Paragraph, ...]) -> list[MarkedQuote]:
    found: list[MarkedQuote] = []
    open_at: int | None = None
    continued = False
    marks = DOUBLE_OPEN + DOUBLE_CLOSE + '"'
    for index, para in enumerate(paragraphs):
        carried = open_at is not None
        open_at = None
        nested = 0
        width = 1
        for pos in range(para.start, para.end):
            if width > 1:
                width -= 1
                continue
            if text[pos : pos + 2] in DOUBLED_MARKS:
                # Two apostrophes (or backticks, or curly single marks) typed as one double
                # mark, as some wires do: "``Yes,'' he said", or U+2018 U+2019 ... U+2019 U+2019.
                kind, width = _classify_pair(text, pos, open_at is not None, para), 2
            elif text[pos] not in marks:
                continue
            else:
                kind = _classify_double(text, pos, open_at is not None, para)
            if width == 2 and open_at is None and kind == "open":
                continued = carried and pos == para.start
                open_at = pos + 1  # the quote's text starts after both marks
                continue
            if width == 2 and open_at is not None and kind == "close":
                found.append(
                    MarkedQuote(open_at + 1, pos, open_at, pos + 1, index, False, continued)
                )
                open_at, continued, carried = None, False, False
                continue
            if width == 2:
                continue
            if open_at is None:
                if kind == "open":
                    # A paragraph reopening the mark continues the previous paragraph's quote.
                    continued = carried and pos == para.start
                    open_at, nested = pos, 0
            elif kind == "close" and nested > 0:
                nested -= 1  # closes a quotation nested in this one ("... in "The Road" ...")
            elif kind == "close":
                found.append(MarkedQuote(open_at + 1, pos, open_at, pos, index, False, continued))
                open_at, continued, carried = None, False, False
            elif text[pos] in DOUBLE_OPEN:
                # A curly opening mark inside an open quotation nests a quoted title or
                # phrase: its closing mark does not end the outer quotation.
                nested += 1
            # A straight opening mark inside an open quotation is a typo or an unmarked
            # nesting: the quotation stays open.
        if open_at is not None:
            nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            reopens = nxt is not None and text[nxt.start] in DOUBLE_OPEN + '"'
            found.append(
                MarkedQuote(open_at + 1, para.end, open_at, None, index, False, continued, reopens)
            )
            open_at = open_at if reopens else None
            continued = False
    return [q for q in found if q.end > q.start]


def _single_quotes(
    text: str, paragraphs: tuple[Paragraph, ...], doubles: list[MarkedQuote]
) -> list[MarkedQuote]:
    """Single-mark quotations outside double ones (nested ones belong to their outer quote)."""
    covered = [(q.open_at, q.outer_end) for q in doubles]
    found: list[MarkedQuote] = []
    for index, para in enumerate(paragraphs):
        pos = para.start
        while pos < para.end:
            char = text[pos]
            prev = text[pos - 1] if pos > para.start else " "
            nxt = text[pos + 1] if pos + 1 < para.end else " "
            is_open = (char in SINGLE_OPEN or char == "'") and (
                pos == para.start or prev in _OPENING_CONTEXT
            )
            if not is_open or not (nxt.isalnum() or nxt in "\u2026."):
                pos += 1
                continue
            close = _find_single_close(text, pos + 1, para.end)
            if close is None:
                pos += 1
                continue
            if not any(s <= pos < e for s, e in covered):
                found.append(MarkedQuote(pos + 1, close, pos, close, index, True))
            pos = close + 1
    return found


def _find_single_close(text: str, start: int, end: int) -> int | None:
    for pos in range(start, end):
        char = text[pos]
        if char not in SINGLE_CLOSE and char != "'":
            continue
        prev = text[pos - 1]
        nxt = text[pos + 1] if pos + 1 < end else " "
        if prev.isspace():
            continue
        # An apostrophe inside a word ("don't", "Hamas\u2019s") never closes a quotation.
        if nxt.isalnum():
            continue
        if nxt in _CLOSING_FOLLOW or pos + 1 == end:
            return pos
    return None


def find_marked_quotes(text: str, paragraphs: tuple[Paragraph, ...]) -> list[MarkedQuote]:
    """Every quotation-mark span in the story, in text order, one per paragraph segment."""
    doubles = _double_quotes(text, paragraphs)
    singles = _single_quotes(text, paragraphs, doubles)
    return sorted(doubles + singles, key=lambda q: q.start)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """start/end moved inwards past white space, quotation marks and edge punctuation."""
    strip = " \t\n\u00a0" + ALL_MARKS + ",;:\u2014\u2013-"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


_CLOSING_PUNCTUATION = ".,;:!?\u2026"


def quoted_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The words of a quotation (`trimmed`), without the full stop, question or exclamation
    mark that ends them: 'asks whether it has "trouble sleeping."' reports up to
    "sleeping", and that content holds the whole quotation."""
    start, end = trimmed(text, start, end)
    while end > start and text[end - 1] in _CLOSING_PUNCTUATION:
        end -= 1
    return trimmed(text, start, end)


def balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """start/end widened so that double quotation marks inside the span come in pairs.

    A mixed quote ends where its quoted words end: 'an opportunity "to pursue negotiations"'
    then keeps the closing mark of the words it opened, and 'growth was "solid," she said'
    the opening mark of the words it closes. Single marks are left alone: they double as
    apostrophes.
    """
    inside = text[start:end]
    opens = sum(inside.count(m) for m in DOUBLE_OPEN)
    closes = sum(inside.count(m) for m in DOUBLE_CLOSE)
    straight = inside.count('"') % 2 == 1
    after = end
    while after < len(text) and after - end < 2 and text[after] in _CLOSING_PUNCTUATION:
        after += 1
    if after < len(text) and (
        (opens > closes and text[after] in DOUBLE_CLOSE) or (straight and text[after] == '"')
    ):
        end = after + 1
        straight = False
    if start > 0 and (
        (closes > opens and text[start - 1] in DOUBLE_OPEN) or (straight and text[start - 1] == '"')
    ):
        start -= 1
    return start, end
