"""Stage "speakers": rules that revise speakers once every quote of the article is
attributed, in SPEAKERS_ORDER."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from app.extraction.linking import LinkedQuote
from app.extraction.rules import implementations
from app.extraction.rules.speakers import spokesperson

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder

SPEAKERS_ORDER = ("spokesperson_named",)
_MODULES = (spokesperson,)  # declares the rule above

Reviser = Callable[["ArticleBuilder", list[LinkedQuote]], None]
_REVISERS = tuple((rule_id, cast(Reviser, f)) for rule_id, f in implementations(SPEAKERS_ORDER))


def revise_speakers(
    builder: ArticleBuilder, quotes: list[LinkedQuote], disabled: frozenset[str]
) -> None:
    """Apply each speakers rule that is switched on, in order."""
    for rule_id, revise in _REVISERS:
        if rule_id not in disabled:
            revise(builder, quotes)
