"""Find the story proper: dateline and byline as metadata, site chrome cut off, paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A wire dateline opens the first story paragraph: an upper-case place, optional region and
# date, an optional agency in parentheses, then a colon or dash ("OTTAWA —",
# "TEL AVIV (Agencies):", "HEMPSTEAD, N.Y., Sept. 26 (UPI) —", "INGLEWOOD, Calif. --").
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'\u2019\-]*(?:[ \-][A-Z][A-Z.'\u2019\-]*){0,4})"
    r"(?:,[ \u00a0]+[A-Z][A-Za-z.]*(?:[ \u00a0][A-Z][A-Za-z.]*){0,3}){0,2}"
    r"(?:,[ \u00a0]+[A-Z][a-z]{2,8}\.?[ \u00a0]\d{1,2})?"
    r"[ \u00a0]*(?:\([^()\n]{1,40}\))?"
    r"[ \u00a0]*(?::|\u2014|\u2013|--|-)[ \u00a0]*"
)
_BYLINE = re.compile(
    r"(?i:by)[ \u00a0]+(?P<name>[A-Z][\w.'\u2019\-]*(?:[ \u00a0,]+[\w.'\u2019\-&]+){0,7})"
)
# "Greg Beacham, The Associated Press": a credit line at the very top of the page.
_CREDIT_LINE = re.compile(
    r"(?P<name>[A-Z][\w.'\u2019\-]+(?: [A-Z][\w.'\u2019\-]+){1,3}"
    r"(?: and [A-Z][\w.'\u2019\-]+(?: [A-Z][\w.'\u2019\-]+){1,3})?),"
    r" (?:The |the )?[A-Z][\w ]{2,40}"
)

# Chrome that marks the end of the story: everything from here on is page furniture.
_END_CHROME = re.compile(
    r"(?i:leave a reply|leave a comment|your email address will not be published"
    r"|required fields are marked|translate\s*\u00bb|share this:|share this (?:article|story)"
    r"|share on facebook"
    r"|share on twitter|click to share|like this:|related posts|post navigation"
    r"|you may also like|sign up for our|subscribe to our"
    r"|comments are closed|recommended for you|follow us on)"
)
# Of those, the ones readers' comments follow: nothing after them is story, prose or not.
_COMMENTS_FOLLOW = re.compile(
    r"(?i:leave a reply|leave a comment|your email address will not be published"
    r"|required fields are marked|comments are closed|post navigation)"
)
# Chrome paragraphs that may sit inside the story (links, promos, credits): skipped, not cut.
_INLINE_CHROME = re.compile(
    r"(?i:read more\s*:|related\s*:|watch\s*:|article continued below|advertisement$"
    r"|with files from|\u2022\s*email:|email:\s*\S+@|click here|story continues below"
    r"|this article was|copyright\b|\u00a9|open this photo in gallery|also on huffpost"
    r"|more from cbc)"
)
_TITLE_WORDS = {"the", "a", "an", "i", "we", "he", "she", "it", "they", "in", "on", "at"}
# A time stamp line at the top of a page ("Posted September 3, 2024 10:15 am", "Updated: Jan.
# 5, 2025", "Published 2 hours ago"): page furniture between headline and story.
_TIMESTAMP = re.compile(
    r"(?i:(?:first\s+)?(?:posted|updated|published|last\s+updated)\b:?)[^\n]{0,60}"
    r"(?:\d|(?i:ago))[^\n]{0,20}"
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of story text: text[start:end], stripped of surrounding white space."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the story sits inside the page text."""

    body_start: int
    body_end: int
    dateline: str | None = None
    byline: str | None = None
    paragraphs: tuple[Paragraph, ...] = field(default_factory=tuple)


def _raw_paragraphs(text: str, start: int, end: int) -> list[Paragraph]:
    """Runs of non-newline text between start and end, trimmed of white space."""
    paragraphs = []
    for match in re.finditer(r"[^\n\r\u2028\u2029]+", text[start:end]):
        s, e = start + match.start(), start + match.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            paragraphs.append(Paragraph(s, e))
    return paragraphs


def _match_dateline(text: str, para: Paragraph) -> re.Match[str] | None:
    match = _DATELINE.match(text, para.start, para.end)
    if match is None:
        return None
    place = match.group("place")
    letters = [c for c in place if c.isalpha()]
    # An upper-case place of at least two letters, and a story must follow the dash.
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return None
    if place.lower() in _TITLE_WORDS or match.end() >= para.end:
        return None
    return match


def _is_headline(text: str, para: Paragraph) -> bool:
    """A short line that ends no sentence: a headline or a deck above the story."""
    line = text[para.start : para.end].strip()
    return 0 < len(line) <= 120 and not line.endswith((".", "?", "!", '"', "\u201d", ":"))


def _is_byline(text: str, para: Paragraph) -> str | None:
    line = text[para.start : para.end]
    if len(line) > 80 or line.endswith((".", "?", "!", '"', "\u201d")):
        return None
    match = _BYLINE.fullmatch(line)
    if match:
        name = match.group("name").strip(" ,")
        # "By Allison Jones, The Canadian Press": the outlet after the comma is no name.
        first = name.split(",")[0].strip()
        return first if len(first.split()) >= 2 else name
    match = _CREDIT_LINE.fullmatch(line)
    if match:
        return match.group("name")
    return None


def find_layout(text: str) -> Layout:
    """Locate dateline, byline and chrome; return the body range and its paragraphs."""
    if not text:
        return Layout(0, 0)
    paragraphs = _raw_paragraphs(text, 0, len(text))
    dateline: str | None = None
    byline: str | None = None
    body_start = 0
    body_end = len(text)
    skipped: set[int] = set()

    # Bylines and credit lines at the top, then a dateline on the first story paragraph.
    for i, para in enumerate(paragraphs[:6]):
        name = _is_byline(text, para)
        if name is not None:
            byline = byline or name
            skipped.add(i)
            continue
        if dateline is None and _TIMESTAMP.fullmatch(text, para.start, para.end):
            skipped.add(i)
            continue
        match = _match_dateline(text, para)
        if match is not None:
            dateline = match.group("place").strip()
            paragraphs[i] = Paragraph(match.end(), para.end)
            if all(j in skipped for j in range(i)):
                body_start = match.end()
        elif _is_headline(text, para) and dateline is None:
            continue  # a headline above the story: its dateline opens the next paragraph
        break

    # End chrome: the first paragraph that looks like page furniture, unless the story goes
    # on after it (a newsletter promo dropped between two paragraphs is skipped instead).
    cut = len(paragraphs)
    for i, para in enumerate(paragraphs):
        if i == 0 or not _END_CHROME.match(text, para.start, para.end):
            continue
        if not _COMMENTS_FOLLOW.match(text, para.start, para.end) and _story_resumes(
            text, paragraphs[i + 1 :]
        ):
            skipped.add(i)
            continue
        cut = i
        break
    # A trailing "By ..." just before the chrome is the author line, not story.
    while cut > 1:
        name = _is_byline(text, paragraphs[cut - 1])
        if name is None or not text[paragraphs[cut - 1].start :].lower().startswith("by"):
            break
        byline = byline or name
        cut -= 1
    if cut < len(paragraphs):
        body_end = paragraphs[cut].start
        # Trim the white space between the story and the chrome.
        while body_end > body_start and text[body_end - 1].isspace():
            body_end -= 1
    kept = tuple(
        p
        for i, p in enumerate(paragraphs[:cut])
        if i not in skipped and p.start >= body_start and not _is_inline_chrome(text, p)
    )
    return Layout(body_start, max(body_start, body_end), dateline, byline, kept)


def _story_resumes(text: str, after: list[Paragraph]) -> bool:
    """Whether story prose follows: a sentence of eight words or more before any comments."""
    for para in after:
        if _COMMENTS_FOLLOW.match(text, para.start, para.end):
            return False
        body = text[para.start : para.end]
        if _END_CHROME.match(body) or _INLINE_CHROME.match(body):
            continue
        if len(body.split()) >= 8 and body.rstrip()[-1:] in ".!?\"'\u201d\u2019":
            return True
    return False


def _is_inline_chrome(text: str, para: Paragraph) -> bool:
    return _INLINE_CHROME.match(text, para.start, para.end) is not None
