"""Layout rule: social-media posts embedded in the page, credited to their author."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.extraction.linking import Attribution, LinkedQuote
from app.extraction.quotes import trimmed, word_count
from app.extraction.rules import confidence, rule
from app.extraction.speakers import Mention

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder

# The credit line of an embedded post: " — Jane Doe (@jdoe) December 18, 2018".
_POST_CREDIT = re.compile(
    r"\s(?:\u2014|\u2013|--)\s*(?P<name>[A-Z][^()\n\u2014\u2013@]{0,60}?)\s*\(@\w{1,15}\)"
    r"\s*[A-Z][a-z]+\.? \d{1,2}, \d{4}\s*$"
)
_TRAILING_LINKS = re.compile(r"(?:\s*(?:https?://|pic\.twitter\.com/)\S+)+\s*$")


@rule(
    "embedded_post",
    stage="layout",
    confidence=0.7,
    example="We did it! https://t.co/x \u2014 Jane Doe (@jdoe) May 4, 2019",
)
def embedded_posts(builder: ArticleBuilder, consumed: set[int]) -> list[LinkedQuote]:
    """Social media posts embedded in the page: "Text https://t.co/x — Jane Doe (@jdoe) May
    4, 2019". The text is the named account holder's own words."""
    text = builder.text
    found: list[LinkedQuote] = []
    for number, para in enumerate(builder.paragraphs):
        credit = _POST_CREDIT.search(text, para.start, para.end)
        if credit is None or credit.end() < para.end - 1:
            continue
        body = _TRAILING_LINKS.sub("", text[para.start : credit.start()])
        start, end = trimmed(text, para.start, para.start + len(body))
        if word_count(text[start:end]) < 4:
            continue
        name_at = credit.start("name")
        name = credit.group("name")
        mention = Mention(name_at, name_at + len(name), name, "name", "PERSON")
        attribution = Attribution(None, mention, None, confidence("embedded_post"))
        found.append(LinkedQuote(start, end, "direct", attribution, number, rule="embedded_post"))
        consumed.update(i for i, q in enumerate(builder.marked) if q.paragraph == number)
    return found
