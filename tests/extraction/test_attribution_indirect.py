"""Indirect attributions: clause boundaries and report structures. Invented fixtures."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction
from tests.extraction.helpers import spans


def test_trailing_subordinate_clause_stays_with_the_report(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The bakery was a fixture of the old town, Ms. Ferrant said, until the landlord "
        "doubled the rent in 2011."
    )
    assert spans(result) == [
        (
            "indirect",
            "The bakery was a fixture of the old town, Ms. Ferrant said, until the landlord "
            "doubled the rent in 2011",
            "Ferrant",
        )
    ]


def test_fronted_condition_stays_with_the_report(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Even if the ferry service ends next year, the councillor said, the harbour will "
        "keep its two cranes."
    )
    assert [s[1] for s in spans(result)] == [
        "Even if the ferry service ends next year, the councillor said, the harbour will "
        "keep its two cranes"
    ]


def test_title_case_headline_verb(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Harbour Commissioner Vows To Dredge Both Channels Before Winter.\n\n"
        "The harbour will be dredged this fall, officials said on Monday."
    )
    assert spans(result)[0] == (
        "indirect",
        "To Dredge Both Channels Before Winter",
        "Harbour Commissioner",
    )


def test_title_case_headline_with_trailing_speaker(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Ferry Fares Will Double By Spring, Transit Board Says.\n\n"
        "Riders were told about the change at a meeting."
    )
    assert spans(result)[0] == ("indirect", "Ferry Fares Will Double By Spring", "Transit Board")


def test_headline_label_without_a_name_is_no_speaker(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Chaos At City Hall: Council Members Walk Out Of Budget Meeting.\n\n"
        "The meeting ended early on Tuesday."
    )
    assert spans(result) == []


def test_programme_title_after_network_is_no_quote(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The budget will pass by Friday, Senator Lena Okafor said on WXT's \u201cSunday "
        "Morning Report.\u201d"
    )
    assert [s[1] for s in spans(result)] == ["The budget will pass by Friday"]


def test_title_after_episode_of_is_no_quote(run: Callable[[str], Extraction]) -> None:
    result = run(
        'On Monday\'s episode of "The Late Hour," the mayor said the festival would return.'
    )
    assert [s[1] for s in spans(result)] == ["the festival would return"]


def test_sentence_case_headline_verb(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Port authority urges new limits on cruise ships.\n\n"
        "The number of cruise ships doubled last year."
    )
    assert spans(result)[0] == ("indirect", "new limits on cruise ships", "Port authority")


def test_title_case_headline_with_plural_subject(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Angry Farmers Slam Provincial Water Rules As A Costly Mistake.\n\n"
        "The rules take effect in June."
    )
    assert spans(result)[0][1:] == (
        "Provincial Water Rules As A Costly Mistake",
        "Angry Farmers",
    )


def test_block_quotation_after_cue_and_colon(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The mayor spoke to reporters outside the depot. Councillor Amira Haddad added:\n\n"
        "The depot has been a problem for ten years. Nobody in this city wants to pay for it."
    )
    assert spans(result) == [
        (
            "direct",
            "The depot has been a problem for ten years. Nobody in this city wants to pay for it.",
            "Councillor Amira Haddad",
        )
    ]


def test_bare_continued_attributes_the_quotation(run: Callable[[str], Extraction]) -> None:
    result = run(
        "\u201cThe river is rising,\u201d said Ingrid Solberg.\n\n"
        "Solberg continued: \u201cWe will move the boats to the upper dock tonight.\u201d"
    )
    assert spans(result)[1] == (
        "direct",
        "We will move the boats to the upper dock tonight.",
        "Solberg",
    )


def test_continued_with_an_object_is_no_cue(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Marta Lind continued the survey for two more years. \u201cThe river is rising "
        "faster than anyone expected in the spring,\u201d the report says."
    )
    assert [s[2] for s in spans(result)] == ["the report"]


def test_reported_clause_runs_on_past_a_unit_abbreviation(
    run: Callable[[str], Extraction],
) -> None:
    # The splitter ends a sentence at "kg." although the clause goes on in lower case.
    result = run("Marta Olsen said she has gained 4 kg. since she started the new diet in May.")
    assert [(kind, text) for kind, text, _ in spans(result)] == [
        ("indirect", "she has gained 4 kg. since she started the new diet in May")
    ]


def test_according_to_clause_runs_on_past_a_rank_abbreviation(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "According to the prosecutors, a report written by traffic analyst Sgt. Lena Park "
        "found the road was icy."
    )
    assert spans(result)[0][:2] == (
        "indirect",
        "a report written by traffic analyst Sgt. Lena Park found the road was icy",
    )


def test_subject_parsed_as_the_object_of_said_stays_in_the_report(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "But he said smaller bakeries that are always trying new recipes — especially those "
        "that sell online — are likely to suffer most."
    )
    assert [(kind, text) for kind, text, _ in spans(result)] == [
        (
            "indirect",
            "smaller bakeries that are always trying new recipes — especially those that sell "
            "online — are likely to suffer most",
        )
    ]
