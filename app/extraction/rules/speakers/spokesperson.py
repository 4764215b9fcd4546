"""Speakers rule: a spokesperson quoted before is the person named in the next quote."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from app.extraction.lexicon import SPOKESPEOPLE
from app.extraction.linking import LinkedQuote
from app.extraction.rules import fired, rule

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder


@rule(
    "spokesperson_named",
    stage="speakers",
    example='A spokeswoman for the mayor said ... "No," said Jo Wu.',
)
def spokesperson_named(builder: ArticleBuilder, quotes: list[LinkedQuote]) -> None:
    """'A spokeswoman for the mayor said ... "...," said Jo Wu.': the person named for the
    first time in the next quote, with no role of their own, is the spokeswoman."""
    book = builder.book
    for first, second in pairwise(quotes):
        a, b = first.attribution, second.attribution
        if a.entity is None or b.entity is None or a.mention is None or b.mention is None:
            continue
        words = a.mention.text.lower().split()
        if len(words) < 2 or words[0] not in {"a", "an"} or words[1] not in SPOKESPEOPLE:
            continue
        if b.mention.kind != "name" or second.paragraph - first.paragraph not in {0, 1}:
            continue
        person = book.entities[b.entity]
        if person.kind != "person" or any(person.roles):
            continue
        if any(m.entity == b.entity and m.position < b.mention.start for m in book.mentions):
            continue  # named before: someone else
        group = a.entity
        for quote in quotes:
            if quote.attribution.entity == group:
                fired("spokesperson_named")
                quote.attribution.entity = b.entity
                quote.attribution.rule = "spokesperson_named"
