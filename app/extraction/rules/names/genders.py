"""Names rules: the gender of a person, voted by the he/she that follows the name.

The votes decide which people a he/she may refer to (app/extraction/rules/resolve/antecedent)
and are counted over the whole article, so one misread pronoun is outvoted.
"""

from __future__ import annotations

from app.extraction.rules import rule
from app.extraction.rules.names.scan import NameScan
from app.extraction.speakers import Gender, pronoun_gender


def _pronoun_gender(scan: NameScan) -> Gender | None:
    """The gender of a he/she/his/her... outside quotation marks (quoted words have another
    narrator); None for any other token."""
    token = scan.token
    gender = pronoun_gender(token.text)
    if gender is None or scan.quoted_at(scan.position(token.idx)):
        return None
    return gender


@rule(
    "subject_pronoun_vote",
    stage="names",
    example="Jane Doe arrived late. She apologised to the committee.",
)
def subject_pronoun_vote(scan: NameScan) -> bool:
    """A subject or possessive he/she later in the sentence of a person named as subject, or
    in the next one, refers to that person: a vote of two."""
    token = scan.token
    if scan.topic is None or token.dep_ not in {"nsubj", "nsubjpass", "poss"}:
        return False
    gender = _pronoun_gender(scan)
    if gender is None:
        return False
    scan.book.vote_gender(scan.topic, gender, 2)
    scan.topic = None
    scan.last = None
    return True


@rule(
    "next_pronoun_vote",
    stage="names",
    example="The prize went to Sam Roe, and his family cheered.",
)
def next_pronoun_vote(scan: NameScan) -> bool:
    """Otherwise the first he/she after a name refers to that person: a vote of one. Any
    he/she ends the name's turn."""
    gender = _pronoun_gender(scan)
    if gender is None:
        return False
    if scan.last is not None:
        scan.book.vote_gender(scan.last, gender, 1)
    scan.last = None
    return True
