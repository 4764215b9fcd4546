"""Stage "layout": quotes set off by the page's layout (pull quotes, block quotations,
transcript lines, embedded posts) rather than by a cue, found in this order."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from app.extraction.linking import LinkedQuote
from app.extraction.rules import fired, implementations
from app.extraction.rules.layout import block, post, transcript

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder

LAYOUT_ORDER = (
    "pull_quote",
    "block_quote",
    "transcript_line",
    "interview_answer",
    "embedded_post",
)
_MODULES = (block, post, transcript)  # declare the rules above

Finder = Callable[["ArticleBuilder", set[int]], list[LinkedQuote]]
_FINDERS = tuple((rule_id, cast(Finder, f)) for rule_id, f in implementations(LAYOUT_ORDER))


def layout_quotes(
    builder: ArticleBuilder, consumed: set[int], disabled: frozenset[str]
) -> list[LinkedQuote]:
    """The quotes each layout rule finds, in order; marks inside them join `consumed`."""
    out: list[LinkedQuote] = []
    for rule_id, finder in _FINDERS:
        if rule_id not in disabled:
            before = len(consumed)
            found = finder(builder, consumed)
            if found or len(consumed) > before:
                fired(rule_id)
            out.extend(found)
    return out
