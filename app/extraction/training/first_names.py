"""Build the first-name gender list (`app/extraction/data/first_names.tsv`) from Faker.

Faker (MIT licence) ships first names "male" and "female" for dozens of locales, as its
authors collected them from national name statistics. A name listed for both genders in any
locale ("Andrea", "Jean", "Kim") is left out: the list is a prior for he/she, and a name
that goes either way must not tip it. Names are folded to ASCII lower case, as
`speakers.first_name_gender` reads them.

    pip install faker==37.1.0   # a build tool only: never needed at run time
    python -m app.extraction.training.first_names

The output is committed; rebuilding with the same Faker version gives the same bytes.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from app.extraction.speakers import TITLE_WORDS, fold_given_name

FAKER_VERSION = "37.1.0"
OUTPUT = Path(__file__).resolve().parent.parent / "data" / "first_names.tsv"
_NAME = re.compile(r"[a-z][a-z'-]+")


def _fold(name: str) -> str | None:
    folded = fold_given_name(name)
    return folded if _NAME.fullmatch(folded) else None


def _names(table: object) -> list[str]:
    return [str(n) for n in (table.keys() if isinstance(table, dict) else table)]  # type: ignore[attr-defined]


def build(output: Path = OUTPUT) -> tuple[int, int, int]:
    """Write the list; returns (male, female, left out as both)."""
    import faker
    import faker.providers.person as person

    if faker.VERSION != FAKER_VERSION:
        raise SystemExit(f"faker=={FAKER_VERSION} is required, found {faker.VERSION}")
    male: set[str] = set()
    female: set[str] = set()
    locales = []
    for module in sorted(m.name for m in pkgutil.iter_modules(person.__path__)):
        provider = importlib.import_module(f"faker.providers.person.{module}").Provider
        males = getattr(provider, "first_names_male", None)
        females = getattr(provider, "first_names_female", None)
        if not males or not females:
            continue
        locales.append(module)
        male.update(n for n in map(_fold, _names(males)) if n)
        female.update(n for n in map(_fold, _names(females)) if n)
    both = male & female
    # Words that open a name as a title or a description, not as a given name ("Prince
    # Harry", "General Motors", "Young voters"): never a gender.
    not_given = {"king", "prince", "princess", "queen", "judge", "saint", "major", "general"}
    not_given |= {"young", "long", "china", "chief", "royal", "justice", "chance"}
    not_given |= TITLE_WORDS
    male -= not_given
    female -= not_given
    lines = [
        f"# First names and the gender they are given to, from Faker {FAKER_VERSION} (MIT",
        f"# licence), person providers of {len(locales)} locales; {len(both)} names listed for",
        "# both genders in any locale are left out. Rebuild: python -m",
        "# app.extraction.training.first_names",
        *(
            f"{name}\t{gender}"
            for name, gender in sorted(
                [(n, "m") for n in male - both] + [(n, "f") for n in female - both]
            )
        ),
    ]
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(male - both), len(female - both), len(both)


def main() -> None:
    male, female, both = build()
    print(f"{OUTPUT}: {male} male, {female} female names ({both} left out as both)")


if __name__ == "__main__":
    main()
