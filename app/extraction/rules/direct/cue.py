"""Direct rules that link a quotation to a cue: the reported clause's, or one beside it."""

from __future__ import annotations

from app.extraction.rules import rule
from app.extraction.rules.direct.candidate import Candidate, Decision


@rule(
    "quoted_clause",
    stage="direct",
    example='The minister said "the talks are over."',
)
def quoted_clause(c: Candidate) -> Decision:
    """A quotation that is (or stands inside) the clause a cue reports: that cue's."""
    return c.from_cue(c.assigned, "quoted_clause") if c.assigned is not None else None


@rule("cue_after", stage="direct", example='"We will rebuild," the mayor said.')
def cue_after(c: Candidate) -> Decision:
    """A cue right after the closing mark, in the same paragraph."""
    cue = c.builder._cue_after(c.q)
    return c.from_cue(cue, "cue_after") if cue is not None else None


@rule("cue_before", stage="direct", example='The mayor said: "We will rebuild."')
def cue_before(c: Candidate) -> Decision:
    """A cue before the opening mark with a comma or colon between, or 'He said:' closing
    the paragraph before."""
    cue = c.builder._cue_before(c.q)
    return c.from_cue(cue, "cue_before") if cue is not None else None


@rule("named_label", stage="direct", example="She called the plan 'a disgrace'.")
def named_label(c: Candidate) -> Decision:
    """A quotation inside a naming verb's complements ("called it 'a disgrace'"), and the
    phrase 'what X called ...' around it."""
    cue = c.builder._naming_cue(c.q)
    return c.from_cue(cue, "named_label") if cue is not None else None
