"""Speakers: one canonical name per person, titles, roles, NER slips, aliases."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction


def test_surname_maps_to_full_name(run: Callable[[str], Extraction]) -> None:
    text = (
        "Israeli Prime Minister Benjamin Netanyahu spoke on Monday.\n\n"
        "Netanyahu said the army would prepare for an operation in the south."
    )
    result = run(text)
    assert [s.name for s in result.speakers] == ["Benjamin Netanyahu"]
    speaker = result.speakers[0]
    assert speaker.role == "Israeli Prime Minister"
    assert speaker.aliases[0] == "Benjamin Netanyahu"
    assert "Netanyahu" in speaker.aliases


def test_honorific_is_dropped_from_name(run: Callable[[str], Extraction]) -> None:
    text = (
        "Donald Trump arrived in Ohio on Friday.\n\n"
        'Mr. Trump said: "We are going to win this state by a lot of votes."'
    )
    result = run(text)
    assert [s.name for s in result.speakers] == ["Donald Trump"]


def test_role_from_appositive_after_name(run: Callable[[str], Extraction]) -> None:
    text = (
        "Comfort Ero, president of the International Crisis Group, warned on Wednesday "
        "that the fighting could spread."
    )
    result = run(text)
    assert result.speakers[0].name == "Comfort Ero"
    assert result.speakers[0].role == "president of the International Crisis Group"


def test_two_people_stay_apart(run: Callable[[str], Extraction]) -> None:
    text = (
        'Alice Wong said the deal was fair. "It is a good deal," Wong said.\n\n'
        'Bob Grant said it was not. "It is a bad deal," Grant said.'
    )
    result = run(text)
    names = [result.speakers[q.speaker].name for q in result.quotes if q.speaker is not None]
    assert names == ["Alice Wong", "Alice Wong", "Bob Grant", "Bob Grant"]
    assert len(result.speakers) == 2
