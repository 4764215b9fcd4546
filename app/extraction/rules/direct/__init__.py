"""Stage "direct": quotation marks no reported clause took, decided by ordered rules.

The first rule that decides wins: a quote (with the rule's stamp), or DROP for the filters
that find a name, title or heading in marks. A switched-off rule is skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from app.extraction.attribution import Cue
from app.extraction.linking import LinkedQuote
from app.extraction.quotes import MarkedQuote
from app.extraction.rules import fired, implementations
from app.extraction.rules.direct import cue, filters, layout, narrative, unattributed
from app.extraction.rules.direct.candidate import DROP, Candidate, DirectRule

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder

DIRECT_ORDER = (
    "nickname",
    "programme_title",
    "transcript_turn",
    "quoted_clause",
    "named_label",
    "cue_after",
    "cue_before",
    "inscription",
    "short_single",
    "subheading",
    "title_case_work",
    "layout_speaker",
    "new_subject",
    "continuation",
    "paragraph_topic",
    "previous_paragraph_topic",
    "colon_subject",
    "continuation_later",
    "unattributed_speech",
)
_MODULES = (cue, filters, layout, narrative, unattributed)  # declare the rules above
_RULES = tuple((rule_id, cast(DirectRule, f)) for rule_id, f in implementations(DIRECT_ORDER))


def direct_quote(
    builder: ArticleBuilder,
    q: MarkedQuote,
    assigned: Cue | None,
    previous: LinkedQuote | None,
    disabled: frozenset[str],
) -> LinkedQuote | None:
    """The quote a quotation makes, if any; `assigned` is the cue of the reported clause it
    stands in, `previous` the last quote before it."""
    candidate = Candidate(builder, q, assigned, previous)
    if candidate.words == 0 or candidate.end <= candidate.start:
        return None
    for rule_id, decide in _RULES:
        if rule_id in disabled:
            continue
        decided = decide(candidate)
        if isinstance(decided, LinkedQuote):
            fired(rule_id)
            return decided
        if decided == DROP:
            fired(rule_id)
            return None
    return None
