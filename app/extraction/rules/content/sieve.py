"""What a content sieve answers: a span, "nothing is reported" (None), or PASS."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Literal

from spacy.tokens import Token


class Undecided(Enum):
    """A sieve's answer when it does not apply: the next sieve decides."""

    PASS = "pass"


PASS = Undecided.PASS

Verdict = tuple[int, int] | None | Literal[Undecided.PASS]
"""The content span, None when the cue reports nothing, PASS when the sieve does not apply."""

Sieve = Callable[[Token, int], Verdict]
