"""Is a text English? The extractor's rules and the pinned pipeline read English only.

English prose is made of function words: in news, 28 to 56 % of the words are among
spaCy's English stop words (the 134 dev-set articles). French, German or Spanish news
scores 4-11 % (three invented news paragraphs), because only a few short words ("a", "an",
"in", "die") are shared.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

MIN_WORDS = 25
"""Shorter texts are taken as English: too few words to tell."""
MIN_STOP_WORD_SHARE = 0.15
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def stop_word_share(text: str) -> tuple[float, int]:
    """(share of English stop words among the words, number of words)."""
    words = [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]
    if not words:
        return 0.0, 0
    return sum(w in STOP_WORDS for w in words) / len(words), len(words)


def looks_english(text: str) -> bool:
    share, words = stop_word_share(text)
    return words < MIN_WORDS or share >= MIN_STOP_WORD_SHARE
