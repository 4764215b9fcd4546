"""The first-name gender list: built from Faker, committed, and read as a prior for he/she."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.extraction import Extraction
from app.extraction.speakers import TITLE_WORDS, first_name_gender
from app.extraction.training.first_names import OUTPUT, build


def test_the_committed_list_is_what_the_builder_makes(tmp_path: Path) -> None:
    rebuilt = tmp_path / "first_names.tsv"
    male, female, both = build(rebuilt)
    assert rebuilt.read_bytes() == OUTPUT.read_bytes()
    assert male > 5000 and female > 5000 and both > 100


def test_names_given_to_both_genders_and_titles_are_left_out() -> None:
    listed = {
        line.split("\t")[0]
        for line in OUTPUT.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert not listed & {"andrea", "jean", "kim", "alex", "morgan"}
    assert not listed & TITLE_WORDS


def test_a_listed_first_name_gives_a_gender() -> None:
    assert first_name_gender("Ingrid Solberg") == "f"
    assert first_name_gender("Mamadou Diallo") == "m"
    assert first_name_gender("Lukáš Novák") == "m"  # folded to ASCII as the list is
    assert first_name_gender("Alex Rossi") is None
    assert first_name_gender("Solberg") is None  # a lone word may be a surname


def test_the_list_decides_a_she_between_two_people(run: Callable[[str], Extraction]) -> None:
    """'Ingrid' is in no hand list: without the list, her "she" went to the man named
    after her, whose "his" the sentence gave her."""
    result = run(
        "Oslo officials met on Monday.\n\n"
        "Ingrid Solberg, an analyst at the bank, noted that Mamadou Diallo's plan stems from "
        "his view of the market.\n\n"
        '"The plan will not survive the winter," she said.'
    )
    said = [q for q in result.quotes if q.text.startswith("The plan")]
    assert len(said) == 1 and said[0].speaker is not None
    assert result.speakers[said[0].speaker].name == "Ingrid Solberg"
