"""Normalised keys for names and aliases: case, accent, punctuation and spacing insensitive."""

from __future__ import annotations

import re

from anyascii import anyascii

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def name_key(name: str) -> str:
    """'  Benjamín  NETANYAHU ' -> 'benjamin netanyahu'; "O'Brien" -> 'o brien'.

    Letters are transliterated to ASCII (anyascii), not only stripped of combining marks as
    NFKD does, so letters with a stroke or a ligature fold too: 'Łukasz' -> 'lukasz',
    'Søren' -> 'soren', 'Đoković' -> 'dokovic', 'Æsa' -> 'aesa'. Migration 0007 re-keyed the
    names stored with the NFKD fold; a change here needs such a migration as well.
    """
    return " ".join(_NON_WORD.sub(" ", anyascii(name).casefold()).split())


def like_escape(value: str) -> str:
    """Escape LIKE wildcards so user text is matched literally (used with escape='\\\\')."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
