"""How many spellings of a name fold to one key, with the NFKD fold (before migration 0007)
and with anyascii (`name_key` now).

    .venv/bin/python benchmarks/name_folds.py
"""

from __future__ import annotations

import re
import unicodedata

from app.services.names import name_key

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)

# (as written in one article, as written in another): the same person each time.
PAIRS = [
    ("Łukasz Nowak", "Lukasz Nowak"),
    ("Søren Lund", "Soren Lund"),
    ("Novak Đoković", "Novak Dokovic"),
    ("Æsa Ørsted", "Aesa Orsted"),
    ("Kateřina Šťastná", "Katerina Stastna"),
    ("Benjamín Netanyahu", "Benjamin Netanyahu"),
    ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),
    ("Halldór Þórðarson", "Halldor Thordarson"),
    ("Straße", "Strasse"),
]


def nfkd_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", without_marks.casefold()).split())


def main() -> None:
    print("| written | also written | NFKD fold (before) | anyascii fold (after) |")
    print("|---|---|---|---|")
    totals = [0, 0]
    for one, other in PAIRS:
        same = [fold(one) == fold(other) for fold in (nfkd_key, name_key)]
        totals = [t + s for t, s in zip(totals, same, strict=True)]
        marks = [
            "same key" if s else f"`{fold(one)}` ≠ `{fold(other)}`"
            for s, fold in zip(same, (nfkd_key, name_key), strict=True)
        ]
        print(f"| {one} | {other} | {marks[0]} | {marks[1]} |")
    print(f"| **matched** | | **{totals[0]} of {len(PAIRS)}** | **{totals[1]} of {len(PAIRS)}** |")


if __name__ == "__main__":
    main()
