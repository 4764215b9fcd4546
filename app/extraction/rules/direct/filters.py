"""Direct filter rules: quotation marks around words nobody said (names, titles, headings)."""

from __future__ import annotations

from app.extraction.quotes import is_programme_title, is_title_case
from app.extraction.rules import rule
from app.extraction.rules.direct.candidate import DROP, Candidate, Decision


@rule("nickname", stage="direct", filter=True, example='Riefian "Ifan" Fajarsyah arrived late.')
def nickname(c: Candidate) -> Decision:
    """A one- or two-word quotation inside a name is a nickname, not a quote."""
    return DROP if c.builder._is_nickname(c.q, c.words) else None


@rule(
    "programme_title",
    stage="direct",
    filter=True,
    example='She appeared on "Meet the Press" on Sunday.',
)
def programme_title(c: Candidate) -> Decision:
    """A quoted title after a programme word is a title, not a quote."""
    q = c.q
    return DROP if is_programme_title(c.text, q.open_at, q.start, q.end) else None


@rule("short_single", stage="direct", filter=True, example="The so-called 'deal' fell apart.")
def short_single(c: Candidate) -> Decision:
    """Fewer than three words in single marks with no cue are not a quote."""
    return DROP if c.q.single and c.words < 3 else None


@rule("subheading", stage="direct", filter=True, example="'Just listen to us'")
def subheading(c: Candidate) -> Decision:
    """A paragraph that is nothing but a phrase in single marks is a section heading: news
    sites set quoted phrases as headings; with no cue they neither go on from the last
    speaker nor stand as quotes of their own."""
    return DROP if c.q.single and c.builder._subheading(c.q) else None


@rule(
    "title_case_work",
    stage="direct",
    filter=True,
    example='"The Kid Who Would Be King" is a delight.',
)
def title_case_work(c: Candidate) -> Decision:
    """With no cue, a title-case quotation names a work (not in a headline)."""
    q = c.q
    titled = is_title_case(c.text[q.start : q.end]) and not c.builder._headline(q.paragraph)
    return DROP if titled else None
