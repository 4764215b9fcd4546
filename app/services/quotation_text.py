"""When two quotes of one speaker are the same quotation: normalised text, blocking keys, score.

Pure functions (no database), shared by ingest, the rebuild and `benchmarks/quotation_pairs.py`,
which measured the threshold on invented pairs (benchmarks/RESULTS.md, "quotations").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from app.services.names import name_key

# At or above this score two quotes of one speaker are one quotation. Chosen on invented pairs
# (benchmarks/data/quotation_pairs.jsonl): the lowest threshold with precision 1.0 there.
THRESHOLD = 0.92
# A trimmed version counts only if it keeps this share of the longer text and enough words:
# a three-word fragment of a long statement is a partial quote, not the quotation.
MIN_COVER = 0.3
MIN_WORDS = 4
SKETCH_SIZE = 8
# name_key turns "don't" into "don t": the "t" is a negation too.
NEGATIONS = frozenset(
    ("not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "cannot", "t")
)


# A comma between thousands: "40,000" and "40000" are one figure.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def text_key(text: str) -> str:
    """The quote's text folded as names are (case, accents, punctuation, spacing), with
    thousands separators dropped from figures."""
    return name_key(_THOUSANDS.sub("", text))


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _hash64(value: str) -> int:
    # A signed 64-bit integer, as BIGINT stores it on both databases.
    return int.from_bytes(
        hashlib.blake2b(value.encode(), digest_size=8).digest(), "big", signed=True
    )


def sketch(key: str, size: int = SKETCH_SIZE) -> list[int]:
    """The `size` smallest hashes of the key's word trigrams (its words when it has fewer than
    three). A text that keeps a share c of another's trigrams shares at least one of these
    with it with probability about 1 - (1 - c)^size: 0.996 for half of the text."""
    words = key.split()
    grams = (
        {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
        if len(words) >= 3
        else set(words)
    )
    return sorted({_hash64(gram) for gram in grams})[:size]


def _numbers(words: Sequence[str]) -> list[str]:
    return sorted(w for w in words if any(c.isdigit() for c in w))


def _negations(words: Sequence[str]) -> int:
    return sum(w in NEGATIONS for w in words)


def similarity(first: str, second: str) -> float:
    """0..1: how surely two normalised texts of one speaker are the same quotation.

    An edited version scores its character similarity (rapidfuzz ratio), but only when both
    carry the same figures and the same number of negations ("will" / "will not" are two
    statements, as are "4 percent" / "5 percent"). A trimmed version scores how well it
    aligns inside the longer one (partial ratio) when it keeps MIN_COVER of it, MIN_WORDS
    words, and no figure or negation the longer lacks.
    """
    if first == second:
        return 1.0
    short, long = sorted((first, second), key=len)
    if not short:
        return 0.0
    short_words, long_words = short.split(), long.split()
    same_facts = _numbers(short_words) == _numbers(long_words) and _negations(
        short_words
    ) == _negations(long_words)
    score = fuzz.ratio(short, long) / 100 if same_facts else 0.0
    if len(short) >= MIN_COVER * len(long) and len(short_words) >= MIN_WORDS:
        numbers = set(_numbers(long_words))
        inside = all(n in numbers for n in _numbers(short_words))
        if inside and _negations(short_words) <= _negations(long_words):
            alignment = fuzz.partial_ratio_alignment(short, long)
            if alignment is not None:
                window = long_words_in(long, alignment.dest_start, alignment.dest_end)
                # The aligned window must carry the same negations as the short text.
                if _negations(window) == _negations(short_words):
                    score = max(score, alignment.score / 100)
    return score


def long_words_in(text: str, start: int, end: int) -> list[str]:
    """The words of `text` that overlap [start, end)."""
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return text[start:end].split()


def same_quotation(first: str, second: str, threshold: float = THRESHOLD) -> bool:
    return similarity(first, second) >= threshold
