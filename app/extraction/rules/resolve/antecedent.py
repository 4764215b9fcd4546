"""Which person a he/she stands for: ordered sieves over the people named or quoted before it.

The resolve rules `pronoun_rival` and `pronoun_antecedent` ask `antecedent(...)`; its sieves
read the people the speaker book saw before the pronoun (named, or quoted), newest first, in
ANTECEDENT_ORDER. The first that names a person decides; one that does not apply passes, and
one that rules the pronoun out answers "nobody" (NOBODY). A switched-off sieve is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, NamedTuple, cast

from app.extraction.rules import fired, implementations, rule, switched_off
from app.extraction.rules.content.sieve import PASS, Undecided
from app.extraction.speakers import FEMALE_PRONOUNS, MALE_PRONOUNS, Gender, SpeakerBook

ANTECEDENT_ORDER = (
    "antecedent_sole_person",
    "antecedent_current_speaker",
    "antecedent_ranked",
)
"""The order in which the antecedent sieves read the people before a he/she."""

NOBODY: Final = -1
"""A sieve's answer when the pronoun refers to nobody it can name."""

# antecedent_ranked's scores: nearer is better; being quoted or a subject, and a gender that
# matches the pronoun, add; a one-word name (often an NER slip) takes away.
_CANDIDATES = 6
_RANK_PENALTY = 1.0
_QUOTED_BONUS = 1.0
_SUBJECT_BONUS = 1.0
_GENDER_BONUS = 1.0
_LONE_WORD_PENALTY = 1.0


class Seen(NamedTuple):
    """One time a person was named or quoted before the pronoun."""

    position: int
    entity: int
    subject: bool
    """Named as a grammatical subject (quoting also counts)."""
    quoted: bool
    background: bool
    """Named or quoted in a subordinate clause ("Although Lee has said ...")."""


@dataclass(frozen=True, slots=True)
class Pronoun:
    """What the sieves read: the pronoun, and the people seen before it, newest first."""

    book: SpeakerBook
    wanted: Gender | None
    """The gender the pronoun asks for (None for a pronoun without one)."""
    seen: tuple[Seen, ...]
    prefer: int | None

    def fits(self, entity: int) -> bool:
        """Whether a known gender of the person does not contradict the pronoun."""
        gender = self.book.entities[entity].gender
        return not (self.wanted and gender and gender != self.wanted)


Verdict = int | None | Undecided
AntecedentSieve = Callable[[Pronoun], Verdict]


@rule(
    "antecedent_sole_person",
    stage="resolve",
    example="Mark Dunn opened the plant on Monday. He said it would hire 300 people.",
)
def antecedent_sole_person(pronoun: Pronoun) -> Verdict:
    """The one person the sentence just before named (and the pronoun fits), chosen by the
    article builder before any ranking."""
    return pronoun.prefer if pronoun.prefer is not None else PASS


@rule(
    "antecedent_current_speaker",
    stage="resolve",
    example='"We are ready," said Tom Hale. The crowd cheered. He added that more would come.',
)
def antecedent_current_speaker(pronoun: Pronoun) -> Verdict:
    """The person quoted last, if nobody else has become a subject since (news prose keeps
    the current speaker as its topic); a quotation in passing does not count, and a known
    gender that contradicts the pronoun leaves the choice to the ranking."""
    for seen in pronoun.seen:
        if not pronoun.book.entities[seen.entity].individual:
            continue
        if seen.quoted and seen.background:
            continue  # quoted in passing ("Although Lee has said ..."): not the speaker now
        if seen.quoted:
            return seen.entity if pronoun.fits(seen.entity) else PASS
        if seen.subject and pronoun.fits(seen.entity) and not seen.background:
            return seen.entity
    return PASS


@rule(
    "antecedent_ranked",
    stage="resolve",
    example="Ann Lee met Tom Hale after the vote. She said the result was fair.",
)
def antecedent_ranked(pronoun: Pronoun) -> Verdict:
    """The best of the last six people the pronoun fits: nearer is better, having been quoted
    or a subject counts, a matching known gender counts, a one-word name counts against."""
    ranks: dict[int, int] = {}
    bonuses: dict[int, float] = {}
    for seen in pronoun.seen:
        record = pronoun.book.entities[seen.entity]
        if not record.individual or not pronoun.fits(seen.entity):
            continue
        if seen.entity not in ranks:
            if len(ranks) >= _CANDIDATES:
                break
            ranks[seen.entity] = len(ranks)
            bonuses[seen.entity] = 0.0
        bonus = _QUOTED_BONUS * seen.quoted + _SUBJECT_BONUS * seen.subject
        bonuses[seen.entity] = max(bonuses[seen.entity], bonus)
    if not ranks:
        return NOBODY

    def score(entity: int) -> float:
        record = pronoun.book.entities[entity]
        value = bonuses[entity] - _RANK_PENALTY * ranks[entity]
        if pronoun.wanted and record.gender == pronoun.wanted:
            value += _GENDER_BONUS
        if len(record.tokens) == 1 and len(record.aliases) <= 1:
            value -= _LONE_WORD_PENALTY  # a one-word "name" is often an NER slip
        return value

    return max(ranks, key=score)


_SIEVES = tuple(
    (rule_id, cast(AntecedentSieve, f)) for rule_id, f in implementations(ANTECEDENT_ORDER)
)


def antecedent(
    book: SpeakerBook,
    position: int,
    pronoun: str,
    window: int = 2000,
    exclude: frozenset[int] = frozenset(),
    prefer: int | None = None,
) -> int | None:
    """The person a he/she at `position` most likely refers to, or None.

    Candidates are the people named or quoted within `window` characters before it, except
    those in `exclude` (named in the very words the pronoun's speaker reports: in "Lee hid
    under a desk, he said", he is not Lee); `prefer` is the one person the sentence before
    named, if any (see the article builder). Switched-off sieves are skipped.
    """
    return decide_antecedent(book, position, pronoun, window, exclude, prefer, switched_off())[1]


def decide_antecedent(
    book: SpeakerBook,
    position: int,
    pronoun: str,
    window: int = 2000,
    exclude: frozenset[int] = frozenset(),
    prefer: int | None = None,
    disabled: frozenset[str] = frozenset(),
) -> tuple[str | None, int | None]:
    """`antecedent`, with the sieve that decided (None if none did)."""
    wanted: Gender | None = (
        "m" if pronoun in MALE_PRONOUNS else "f" if pronoun in FEMALE_PRONOUNS else None
    )
    seen = [Seen(m.position, m.entity, m.subject, False, m.background) for m in book.mentions]
    seen += [Seen(p, e, True, True, p in book.spoken_aside) for p, e in book.spoken]
    seen = [
        s
        for s in seen
        if s.position < position and position - s.position <= window and s.entity not in exclude
    ]
    # Newest first; at one position, being quoted outranks being named (a cue's subject is both).
    seen.sort(key=lambda s: (s.position, s.quoted), reverse=True)
    question = Pronoun(
        book, wanted, tuple(seen), prefer if prefer is not None and prefer not in exclude else None
    )
    for rule_id, sieve in _SIEVES:
        if rule_id in disabled:
            continue
        verdict = sieve(question)
        if verdict is not PASS:
            fired(rule_id)
            return rule_id, None if verdict == NOBODY else verdict
    return None, None
