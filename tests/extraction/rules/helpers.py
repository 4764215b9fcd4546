"""What the rule tests compare: each quote's rule, speaker rule, speaker and text."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from app.extraction import Extraction

# A dull first paragraph, so the headline rule (paragraph 0 only) stays out of the way.
LEAD = "The council met on Monday.\n\n"


def stamps(result: Extraction) -> list[tuple[str | None, str | None, str | None, str]]:
    """(rule, speaker_rule, speaker name, text) of each quote."""
    return [
        (
            q.rule,
            q.speaker_rule,
            result.speakers[q.speaker].name if q.speaker is not None else None,
            q.text,
        )
        for q in result.quotes
    ]


def hand_parse(rows: str, ents: list[str] | None = None) -> Doc:
    """A Doc whose parse is set by hand, one token a line: "word head dep pos tag lemma"
    (head the token's index; a hyphen tagged HYPH joins its neighbours), so a rule is tested
    on the parse it repairs whatever the parser now makes of the sentence. `ents` gives IOB
    entity tags ("B-PERSON", "O")."""
    table = [line.split() for line in rows.strip().splitlines()]
    words = [row[0] for row in table]
    return Doc(
        spacy.blank("en").vocab,
        words=words,
        spaces=[
            i + 1 < len(words)
            and words[i + 1] not in {",", ".", "'s"}
            and "HYPH" not in (table[i][4], table[i + 1][4])
            for i in range(len(words))
        ],
        heads=[int(row[1]) for row in table],
        deps=[row[2] for row in table],
        pos=[row[3] for row in table],
        tags=[row[4] for row in table],
        lemmas=[row[5] for row in table],
        ents=ents,
    )
