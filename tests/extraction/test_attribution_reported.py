"""Reported attributions: requests, statement nouns, interrupted clauses, transcripts, headlines.

Every fixture is an invented paragraph.
"""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction
from tests.extraction.helpers import spans


def test_continuation_keeps_the_speaker_mention(run: Callable[[str], Extraction]) -> None:
    result = run(
        '"The bridge will reopen by the spring," Olga Brandt said. '
        '"Crews are working through the night to finish the deck."'
    )
    assert [s[2] for s in spans(result)] == ["Olga Brandt", "Olga Brandt"]
    # Same speaker on the same cue: one quote in two fragments.
    assert len(result.quotes) == 1 and len(result.quotes[0].fragments) == 2


def test_horizontal_bar_names_the_speaker(run: Callable[[str], Extraction]) -> None:
    result = run(
        "\u201cThe rent went up twice this year and nobody at the office will answer the "
        "phone.\u201d \u2015 Tomas Varga"
    )
    assert spans(result)[0][2] == "Tomas Varga"


def test_request_with_addressee_and_infinitive(run: Callable[[str], Extraction]) -> None:
    result = run("The fire chief urged residents to stay indoors until the smoke clears.")
    assert spans(result) == [
        ("indirect", "residents to stay indoors until the smoke clears", "The fire chief")
    ]


def test_called_on_is_a_request_not_a_name(run: Callable[[str], Extraction]) -> None:
    result = run("Senator Ida Moss called on the governor to release the audit before June.")
    assert spans(result) == [
        ("indirect", "the governor to release the audit before June", "Ida Moss")
    ]


def test_request_verb_without_infinitive_is_no_cue(run: Callable[[str], Extraction]) -> None:
    # No quote; the learned model may see a request ("called the players into ..."), which is
    # no speech.
    result = run("The coach called the players into the locker room after practice.")
    assert spans(result, "speech") == []


def test_cue_interrupting_a_noun_subject(run: Callable[[str], Extraction]) -> None:
    result = run("The real problem now, she told me on Monday, is that the pumps are too old.")
    texts = [s[1] for s in spans(result)]
    assert "is that the pumps are too old" in texts


def test_cue_after_an_opening_subordinate_clause(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Although the first merger went smoothly, he said, a second one would "
        "cost far more and could take years."
    )
    texts = [s[1] for s in spans(result)]
    # The opening clause belongs to the report: one span across the cue (PolNeAR's reading).
    assert texts == [
        "Although the first merger went smoothly, he said, a second one would "
        "cost far more and could take years"
    ]


def test_statement_noun_with_that_clause(run: Callable[[str], Extraction]) -> None:
    result = run("Jon Pell made the argument that the harbour fees should double next year.")
    assert spans(result) == [("indirect", "the harbour fees should double next year", "Jon Pell")]


def test_possessed_pledge_with_infinitive(run: Callable[[str], Extraction]) -> None:
    result = run("The mayor's pledge to plant ten thousand trees was widely mocked.")
    assert spans(result) == [("indirect", "to plant ten thousand trees", "The mayor")]


def test_transcript_turn_inside_quotation_marks(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Part of the interview follows.\n\n"
        '"HOST: Will the council vote on the budget before the holiday?\n\n'
        '"DALTON: Well, I expect a vote in the first week, and I think it will pass."'
    )
    assert spans(result) == [
        ("direct", "Will the council vote on the budget before the holiday?", "HOST"),
        (
            "direct",
            "Well, I expect a vote in the first week, and I think it will pass.",
            "DALTON",
        ),
    ]


def test_headline_with_speaker_label(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Nora Flint: Rail Strike Will 'Cripple' the Harbour by Friday.\n\n"
        "Nora Flint, the port director, spoke to reporters on Tuesday morning."
    )
    assert spans(result) == [
        ("indirect", "Rail Strike Will 'Cripple' the Harbour by Friday.", "Nora Flint")
    ]


def test_a_relative_pronoun_subject_is_the_mention_and_its_antecedent_the_speaker(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "The plan was drawn up by Mr. Okafor, who argued that the new bridge would cut "
        "travel times in half."
    )
    result = run(text)
    assert len(result.quotes) == 1
    quote = result.quotes[0]
    assert quote.speaker is not None
    assert result.speakers[quote.speaker].name == "Okafor"
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert text[quote.speaker_start : quote.speaker_end] == "who"


def test_finding_of_a_survey_with_that_clause(run: Callable[[str], Extraction]) -> None:
    result = run(
        "A survey by the county health office found that most families skip breakfast "
        "on school days."
    )
    assert [s[:2] for s in spans(result)] == [
        ("indirect", "most families skip breakfast on school days")
    ]


def test_finding_verb_of_a_person_or_event_is_no_cue(run: Callable[[str], Extraction]) -> None:
    # No speech; what a storm shows is PolNeAR's evidence, which the learned model may add.
    storm = run("The storm showed that the old levees could not hold the river.")
    assert spans(storm, "speech") == []
    assert all(q.attribution_class == "evidence" for q in storm.quotes)
    assert spans(run("Data from the port show freight volumes fell in March.")) == []


def test_called_for_reports_the_demand(run: Callable[[str], Extraction]) -> None:
    result = run("The teachers' union called for smaller classes in every public school.")
    assert spans(result) == [
        ("indirect", "smaller classes in every public school", "The teachers' union")
    ]


def test_call_for_someone_else_is_asked_to_make_is_no_cue(
    run: Callable[[str], Extraction],
) -> None:
    result = run("Parents wrote a letter asking the board to call for a review of bus routes.")
    # No call of the board's: nothing begins at "a review"; the parents' letter may still be
    # read as their request (a learned belief that holds the whole ask).
    assert not any(s[1].startswith("a review") for s in spans(result))
    assert not any("review of bus routes" in s[1] for s in spans(result, "speech"))


def test_called_object_complement_is_a_judgement(run: Callable[[str], Extraction]) -> None:
    result = run("The mayor called the new audit a waste of public money.")
    assert spans(result) == [("indirect", "the new audit a waste of public money", "The mayor")]


def test_calling_oneself_a_name_is_no_cue(run: Callable[[str], Extraction]) -> None:
    """ "calling itself the Night Riders" names the group; it reports nothing. (What the group
    did is another matter: extractor 0.26's model reads "painted slogans on the bridge" as a
    stance at 0.46, see test_no_object_bounding_for_a_seldom_cue.)"""
    result = run("A small group calling itself the Night Riders painted slogans on the bridge.")
    assert [q for q in result.quotes if q.cue == "calling" or "Night Riders" in q.text] == []
    assert all(q.attribution_class != "speech" for q in result.quotes)


def test_criticized_object_and_reason_are_reported(run: Callable[[str], Extraction]) -> None:
    result = run("The ombudsman criticized the housing agency for ignoring repeated complaints.")
    assert spans(result) == [
        (
            "indirect",
            "the housing agency for ignoring repeated complaints",
            "The ombudsman",
        )
    ]


def test_cited_reason_is_reported(run: Callable[[str], Extraction]) -> None:
    result = run("The airline cited rising fuel costs as the main reason for the cuts.")
    assert spans(result) == [
        ("indirect", "rising fuel costs as the main reason for the cuts", "The airline")
    ]


def test_questioned_whether_reports_the_doubt(run: Callable[[str], Extraction]) -> None:
    result = run("The auditor questioned whether the city could afford the new stadium.")
    assert spans(result) == [("indirect", "the city could afford the new stadium", "The auditor")]


def test_described_as_is_a_judgement(run: Callable[[str], Extraction]) -> None:
    result = run("The inspector described the old ferry terminal as a fire hazard.")
    assert spans(result) == [
        ("indirect", "the old ferry terminal as a fire hazard", "The inspector")
    ]


def test_proposal_with_a_gerund(run: Callable[[str], Extraction]) -> None:
    result = run("The committee chair proposed raising the parking fee downtown.")
    assert spans(result) == [
        ("indirect", "raising the parking fee downtown", "The committee chair")
    ]


def test_sentence_opening_on_a_poll_reports_its_result(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The race has tightened since June. In the latest county poll, the mayor "
        "leads her challenger by six points."
    )
    assert spans(result) == [
        ("indirect", "the mayor leads her challenger by six points", "the latest county poll")
    ]


def test_told_how_reports_the_account(run: Callable[[str], Extraction]) -> None:
    result = run("The farmer told reporters how the flood had wiped out his entire harvest.")
    assert spans(result) == [
        ("indirect", "how the flood had wiped out his entire harvest", "The farmer")
    ]


def test_opposed_reports_the_position(run: Callable[[str], Extraction]) -> None:
    result = run("Several rural councils have opposed the planned merger of the school boards.")
    assert spans(result) == [
        ("indirect", "the planned merger of the school boards", "Several rural councils")
    ]


def test_judgement_verb_as_an_infinitive_is_no_cue(run: Callable[[str], Extraction]) -> None:
    result = run("The new councillor tends to support the plans of the downtown business group.")
    assert spans(result) == []


def test_relative_word_fronted_over_the_cue(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The company bought a stake in the old sawmill, which Ms. Harlow says she is "
        "doing everything she can to keep open."
    )
    assert spans(result) == [("indirect", "she is doing everything she can to keep open", "Harlow")]


def test_what_she_called_spans_the_label_phrase(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The councillor resigned two weeks after what she called a \u201cwitch hunt\u201d "
        "by the local party."
    )
    assert [(s[1], s[2]) for s in spans(result)] == [
        ("what she called a \u201cwitch hunt\u201d", "she")
    ]


def test_cue_tagged_as_a_plural_noun_still_reports(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The council approved the land sale on Monday. Price charges that the deal was "
        "corrupt from the start."
    )
    assert spans(result, "speech") == [("indirect", "the deal was corrupt from the start", "Price")]


def test_clause_parsed_as_a_second_subject_is_the_content(
    run: Callable[[str], Extraction],
) -> None:
    # The parser hangs "people" on "said" beside "he"; the clause before the comma is the
    # report and "he" is the speaker.
    result = run(
        "Dr. Mark Hale studies couples. The people who stay tend to be the ones who are "
        "worth it, he said."
    )
    assert spans(result) == [
        ("indirect", "The people who stay tend to be the ones who are worth it", "he")
    ]


def test_told_sharing_a_passive_is_what_the_subject_heard(
    run: Callable[[str], Extraction],
) -> None:
    # "had been diagnosed ... and told": Cole was told; with an addressee he is the teller.
    result = run(
        "Ray Cole met her in 2004. Cole, then 29, had been diagnosed with colon cancer and "
        "told he had three months to live."
    )
    assert spans(result) == []
    result = run("Ray Cole was arrested in 2004 and told police he had acted alone.")
    assert spans(result) == [("indirect", "he had acted alone", "Ray Cole")]


def test_a_forecast_of_speech_is_not_a_report(run: Callable[[str], Extraction]) -> None:
    # "will argue": nobody has said it yet.
    result = run(
        "The budget lands next week. The Greens will argue that the new levy hurts rural "
        "families the most."
    )
    assert spans(result, "speech") == []


def test_a_description_of_the_according_to_source_is_not_the_report(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "According to the Harbour Fund, a maritime think tank, shipping fees have tripled "
        "since 2010."
    )
    assert [
        (q.text, result.speakers[q.speaker].name) for q in result.quotes if q.speaker is not None
    ] == [("shipping fees have tripled since 2010", "Harbour Fund")]
