"""Cases that went wrong on new text: long titles before a name, quoted inscriptions with no
cue, and a pronoun after two people of the same gender (issue 14, section 4)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.extraction import Extraction


def _speaker(result: Extraction, index: int) -> str | None:
    speaker = result.quotes[index].speaker
    return result.speakers[speaker].name if speaker is not None else None


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Securities Commission Chair", "Priya Nair"),
        ("Central Bank Governor", "Jane Doe"),
        ("Deputy Health Minister", "Joan Roe"),
    ],
)
def test_long_title_before_a_name_gives_a_person_with_that_role(
    run: Callable[[str], Extraction], title: str, name: str
) -> None:
    result = run(
        "Markets were calm on Tuesday.\n\n"
        f"{title} {name} told lawmakers that the economy would slow next year.\n\n"
        '"We are watching prices very closely," she said.'
    )
    person = next(s for s in result.speakers if s.name == name)
    assert person.kind == "person"
    assert person.role == title
    assert [_speaker(result, i) for i in range(len(result.quotes))] == [name, name]
    assert all(q.role == title for q in result.quotes)


@pytest.mark.parametrize("thing", ["slogan", "banner", "placard", "sign", "headline"])
def test_quoted_inscription_named_after_it_is_not_the_previous_speakers(
    run: Callable[[str], Extraction], thing: str
) -> None:
    result = run(
        "Dock workers marched through the old town on Saturday.\n\n"
        '"The strike will go on until the wages are paid," union leader Maria Lopez said.\n\n'
        f'"No pay for us, no port for you." The {thing}, seen near the harbour, was '
        "visible from the ferry."
    )
    assert _speaker(result, 0) == "Maria Lopez"
    inscription = [q for q in result.quotes if q.text.startswith("No pay")]
    assert all(q.speaker is None and q.speaker_start is None for q in inscription)


def test_pronoun_after_two_people_of_the_same_gender_is_less_confident(
    run: Callable[[str], Extraction],
) -> None:
    ambiguous = run(
        "Mark Fields met Tom Baker at the summit on Friday.\n\n"
        "Fields said the talks had gone well, and Baker agreed with him. "
        '"We are closer than ever to a deal," he said.'
    )
    clear = run(
        "Mark Fields met Tom Baker at the summit on Friday.\n\n"
        "Fields said the talks had gone well. "
        '"We are closer than ever to a deal," he said.'
    )
    direct = [q for q in ambiguous.quotes if q.kind == "direct"]
    assert len(direct) == 1
    assert direct[0].confidence <= 0.5
    assert [q.confidence for q in clear.quotes if q.kind == "direct"] == [0.8]
