"""When two quotes of one speaker are the same quotation: normalised text, blocking keys, score.

Pure functions (no database), shared by ingest, the rebuild and `benchmarks/quotation_pairs.py`,
which measured the threshold on invented pairs (benchmarks/RESULTS.md, "quotations").
"""

from __future__ import annotations

import functools
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


_FIGURE = re.compile(r"\S*\d\S*")


# Remembered per text: grouping compares one text with many (a regroup of 10,000 quotes made
# a million calls of each, a third of its time).
@functools.lru_cache(maxsize=1 << 16)
def _numbers(text: str) -> tuple[str, ...]:
    """The words of a normalised text that hold a digit, sorted."""
    return tuple(sorted(_FIGURE.findall(text)))


@functools.lru_cache(maxsize=1 << 16)
def _text_negations(text: str) -> int:
    return _negations(text.split())


def _negations(words: Sequence[str]) -> int:
    return sum(w in NEGATIONS for w in words)


def shared_needed(hashes: Sequence[int]) -> int:
    """Blocking keys a candidate must share with a text of these keys to be compared: two of
    a full sketch (every same-quotation pair of benchmarks/data/quotation_pairs.jsonl shares
    two or more of its eight), one of a short text's."""
    return 2 if len(hashes) >= 4 else 1


def similarity(first: str, second: str, cutoff: float = 0.0) -> float:
    """0..1: how surely two normalised texts of one speaker are the same quotation.

    An edited version scores its character similarity (rapidfuzz ratio), but only when both
    carry the same figures and the same number of negations ("will" / "will not" are two
    statements, as are "4 percent" / "5 percent"). A trimmed version scores how well it
    aligns inside the longer one (partial ratio) when it keeps MIN_COVER of it, MIN_WORDS
    words, and no figure or negation the longer lacks. Scores under `cutoff` may be given
    as 0 (rapidfuzz stops early).
    """
    if first == second:
        return 1.0
    short, long = sorted((first, second), key=len)
    if not short:
        return 0.0
    # The cheap similarity first; the figures and negations only of pairs that pass it.
    best = 0.0
    ratio = fuzz.ratio(short, long, score_cutoff=cutoff * 100) / 100
    if ratio > best and _same_facts(short, long):
        best = ratio
    short_words = short.split()
    if len(short) >= MIN_COVER * len(long) and len(short_words) >= MIN_WORDS:
        alignment = fuzz.partial_ratio_alignment(short, long, score_cutoff=max(cutoff, best) * 100)
        if (
            alignment is not None
            and alignment.score / 100 > best
            and _facts_inside(short, short_words, long, alignment.dest_start, alignment.dest_end)
        ):
            best = alignment.score / 100
    return best


def _same_facts(short: str, long: str) -> bool:
    return _numbers(short) == _numbers(long) and _text_negations(short) == _text_negations(long)


def _facts_inside(short: str, short_words: list[str], long: str, start: int, end: int) -> bool:
    """A trimmed version holds no figure the longer lacks, and the part of the longer it
    aligns with carries the same negations as it."""
    if not set(_numbers(short)) <= set(_numbers(long)):
        return False
    return _negations(long_words_in(long, start, end)) == _negations(short_words)


def long_words_in(text: str, start: int, end: int) -> list[str]:
    """The words of `text` that overlap [start, end)."""
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return text[start:end].split()


def same_quotation(first: str, second: str, threshold: float = THRESHOLD) -> bool:
    return similarity(first, second) >= threshold
