"""A quotation no reported clause took, as the direct rules see it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, Literal

from app.extraction.attribution import Cue
from app.extraction.linking import Attribution, LinkedQuote
from app.extraction.quotes import MarkedQuote, trimmed, word_count

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder

DROP: Final = "drop"
"""What a filter rule decides: the quotation is no quote, and no later rule may take it."""

_WHAT_CALLED = re.compile(
    r"\bwhat (?:[\w.'\u2019\-]+ ){1,5}(?:called|calls|call|dubbed|termed) "
    r"(?:(?:a|an|the|his|her|its|their) )?$"
)


class Candidate:
    """One quotation, the cue a reported clause assigned it (if any) and the quote before."""

    def __init__(
        self,
        builder: ArticleBuilder,
        q: MarkedQuote,
        assigned: Cue | None,
        previous: LinkedQuote | None,
    ) -> None:
        self.builder = builder
        self.text = builder.text
        self.q = q
        self.assigned = assigned
        self.previous = previous
        self.words = word_count(self.text[q.start : q.end])
        self.start, self.end = trimmed(self.text, q.start, q.end)
        self.same_paragraph = previous is not None and previous.paragraph == q.paragraph

    def made(
        self, attribution: Attribution, rule_id: str, inherit: LinkedQuote | None = None
    ) -> LinkedQuote:
        """The direct quote a rule made of the quotation."""
        q = self.q
        return LinkedQuote(
            self.start,
            self.end,
            "direct",
            attribution,
            q.paragraph,
            q,
            inherit=inherit,
            rule=rule_id,
        )

    def from_cue(self, cue: Cue, rule_id: str) -> LinkedQuote:
        """The quote a cue attributes: for "what she called a 'rant'" the quoted label is the
        speaker's, but the report is the whole phrase that gives the label."""
        q = self.q
        if cue.naming is not None:
            label_phrase = _WHAT_CALLED.search(self.text, max(0, q.open_at - 80), q.open_at)
            if label_phrase is not None and cue.start >= label_phrase.start():
                self.start, self.end = label_phrase.start(), q.outer_end
        return self.made(Attribution(None, cue.speaker, cue, 0.0), rule_id)


Decision = LinkedQuote | Literal["drop"] | None
"""A direct rule's answer: a quote, DROP, or None to leave the quotation to the next rule."""
DirectRule = Callable[[Candidate], Decision]
