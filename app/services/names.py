"""Normalised keys for names and aliases: case, accent, punctuation and spacing insensitive."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def name_key(name: str) -> str:
    """'  Benjamín  NETANYAHU ' -> 'benjamin netanyahu'; "O'Brien" -> 'o brien'."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", without_marks.casefold()).split())


def like_escape(value: str) -> str:
    """Escape LIKE wildcards so user text is matched literally (used with escape='\\\\')."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
