"""Cue rules: each finds its cue, and the quote it yields names it (rule ids in RULES)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from app.extraction import Extraction, extract
from app.extraction.rules import RULES
from app.extraction.rules.cues import find_cues
from app.extraction.rules.cues.according_to import according_to
from tests.extraction.rules.helpers import LEAD, hand_parse, stamps


def test_according_to(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "According to the ministry, the bridge will reopen in May after repairs.")
    assert [s[:2] for s in stamps(result)] == [("according_to", "new_description")]
    assert result.quotes[0].text == "the bridge will reopen in May after repairs"
    switched_off = extract(
        LEAD + "According to the ministry, the bridge will reopen in May after repairs.",
        disabled={"according_to"},
    )
    assert switched_off.quotes == ()


def test_according_to_leaves_a_participle_describing_the_source_out() -> None:
    """ "According to the group's report, released Tuesday, the number rose": the parser
    hangs "released Tuesday" on "rose"; it tells of the report, so the content starts at
    the report's own subject (a hand-built parse, as the parser reads it)."""
    doc = hand_parse(
        """
        According 10 prep VERB VBG accord
        to 0 prep ADP IN to
        the 3 det DET DT the
        report 1 pobj NOUN NN report
        , 10 punct PUNCT , ,
        released 10 advcl VERB VBN release
        Tuesday 5 npadvmod PROPN NNP Tuesday
        , 10 punct PUNCT , ,
        the 9 det DET DT the
        number 10 nsubj NOUN NN number
        rose 10 ROOT VERB VBD rise
        sharply 10 advmod ADV RB sharply
        . 10 punct PUNCT . .
        """
    )
    [cue] = find_cues(doc, 0, 0)
    assert cue.content is not None
    assert doc.text[cue.content[0] : cue.content[1]] == "the number rose sharply"


def test_according_to_a_source_with_a_relative_clause_splits_no_report() -> None:
    """ "Public support is broad, according to a poll, which found voters backed the pause":
    the parser hangs "backed the pause" on the main clause; it goes on with the poll's
    relative clause, so it is no second half of what the poll is the source of (a hand-built
    parse, as the parser reads it)."""
    doc = hand_parse(
        """
        Public 1 amod ADJ JJ public
        support 2 nsubj NOUN NN support
        is 2 ROOT AUX VBZ be
        broad 2 acomp ADJ JJ broad
        , 2 punct PUNCT , ,
        according 13 prep VERB VBG accord
        to 5 prep ADP IN to
        a 8 det DET DT a
        poll 6 pobj NOUN NN poll
        , 8 punct PUNCT , ,
        which 11 nsubj PRON WDT which
        found 8 relcl VERB VBD find
        voters 11 dobj NOUN NNS voter
        backed 2 conj VERB VBD back
        the 15 det DET DT the
        pause 13 dobj NOUN NN pause
        . 13 punct PUNCT . .
        """
    )
    [cue] = [c for c in find_cues(doc, 0, 0) if c.text == "according to"]
    assert cue.content is not None and cue.content_after is None
    assert doc.text[cue.content[0] : cue.content[1]] == "Public support is broad"


def test_according_to_a_finding_by_someone(run: Callable[[str], Extraction]) -> None:
    """ "according to calculations by X": X made the finding and is the source."""
    result = run(
        LEAD + "A living wage is about $12 an hour, according to calculations by Jane Marlow "
        "of the state university."
    )
    assert [s[:3] for s in stamps(result)] == [("according_to", "person_name", "Jane Marlow")]


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Some 59 percent of voters view her unfavorably, according to a poll last week - "
            "virtually the same as her rival's 60 percent.",
            "Some 59 percent of voters view her unfavorably",
        ),
        (
            "Union members favored the Democrat by 20 points, according to polling by the "
            "union, even as white men over all favored the Republican.",
            "Union members favored the Democrat by 20 points",
        ),
    ],
)
def test_according_to_leaves_the_writers_aside_after_it(
    run: Callable[[str], Extraction], sentence: str, content: str
) -> None:
    result = run(LEAD + sentence)
    assert [(q.rule, q.text) for q in result.quotes] == [("according_to", content)]


def test_in_evidence_opening_the_sentence(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "In the latest poll, the mayor leads her rival by six points.")
    assert [(q.rule, q.attribution_class, q.text) for q in result.quotes] == [
        ("in_evidence", "evidence", "the mayor leads her rival by six points")
    ]


def test_in_evidence_a_poll_after_the_clause(run: Callable[[str], Extraction]) -> None:
    """ "... in a poll" anywhere in the main clause: the poll is the source, and the clause
    is evidence, not speech (the speech-only view leaves it out)."""
    result = run(
        LEAD + "The mayor leads her rival by six points in the latest survey of likely voters."
    )
    assert [s[:3] for s in stamps(result)] == [
        ("in_evidence", "new_description", "the latest survey of likely voters")
    ]
    assert result.quotes[0].text == "The mayor leads her rival by six points"
    assert result.quotes[0].attribution_class == "evidence"


@pytest.mark.parametrize(
    "sentence",
    [
        # Not a poll: only an opening "In the report, ..." rests on other records.
        "He was named in the report as a likely witness in the case.",
        # A poll inside a noun phrase, not a modifier of the main clause.
        "Voters who took part in a survey last year were angry about the bridge.",
        # The clause has a reporting verb of its own.
        "The mayor said she leads her rival by six points in the latest poll.",
    ],
)
def test_in_evidence_leaves_other_records_alone(
    run: Callable[[str], Extraction], sentence: str
) -> None:
    assert [q.rule for q in run(LEAD + sentence).quotes if q.rule == "in_evidence"] == []


def test_reporting_verb(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "The minister said the talks would resume next week in Ottawa.")
    assert stamps(result) == [
        (
            "reporting_verb",
            "new_description",
            "the minister",
            "the talks would resume next week in Ottawa",
        )
    ]


def test_request_verb(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "The mayor urged residents to stay home during the storm.")
    assert [s[0] for s in stamps(result)] == ["request_verb"]
    # "urge" is a reporting verb as well: without the request rule that rule takes it.
    off = extract(result.text, disabled={"request_verb"})
    assert [s[0] for s in stamps(off)] == ["reporting_verb"]
    # With both off no rule finds it (the learned model may still propose the predicate).
    both_off = extract(result.text, disabled={"request_verb", "reporting_verb"})
    assert {q.rule for q in both_off.quotes} <= {"learned"}


def test_call_for(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "The union called for an inquiry into the crash at the depot.")
    assert stamps(result) == [
        ("call_for", "new_description", "the union", "an inquiry into the crash")
    ]


def test_speech_noun(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "Her claim that the vote was rigged drew scorn from officials.")
    assert [(s[0], s[3]) for s in stamps(result)] == [("speech_noun", "the vote was rigged")]


def test_headline_only_in_the_first_paragraph(run: Callable[[str], Extraction]) -> None:
    result = run("Mayor Slams Council Over Budget Delay\n\nThe council met on Monday.")
    assert [s[0] for s in stamps(result)] == ["headline"]
    assert extract(result.text, disabled={"headline"}).quotes == ()


def test_goes_on_speaking(run: Callable[[str], Extraction]) -> None:
    text = (
        LEAD + 'Maria Lopez spoke first. "We will rebuild the bridge before winter," she continued.'
    )
    result = run(text)
    assert [(s[0], s[2]) for s in stamps(result)] == [("quoted_clause", "Maria Lopez")]
    assert [q.cue for q in result.quotes] == ["continued"]
    # Without the rule "continued" is no cue: the quote falls to the paragraph's topic.
    off = extract(text, disabled={"goes_on_speaking"})
    assert [(q.rule, q.cue) for q in off.quotes] == [("paragraph_topic", None)]


def test_naming_verb_is_call_only(nlp: Language) -> None:
    """Of the naming verbs only "call" makes a cue for the quotation in its object: the others
    (dub, label, term, brand, express, deride, describe) cost on PolNeAR's training folds."""

    def rules_of(text: str) -> list[str | None]:
        return [cue.rule for cue in find_cues(nlp(text), 0, 1)]

    assert rules_of('Mayor Ann Lee called the tower "a white elephant".') == ["naming_verb"]
    assert rules_of('Mayor Ann Lee dubbed the tower "a white elephant".') == []


def test_predicating_describe_with_a_quoted_label_is_a_mixed_report(
    run: Callable[[str], Extraction],
) -> None:
    """ "described X as "Y"": not a naming verb, so the judgement with its quoted label is
    one mixed report, whatever the parse makes of the quotation; "called X "Y"" still gives
    the label alone."""
    for subject in ("Residents", "Paul Okafor"):
        text = LEAD + f'{subject} described the design as "a parking lot with a roof."'
        found = [(q.rule, q.kind, q.text) for q in run(text).quotes]
        assert found == [("predicating", "mixed", 'the design as "a parking lot with a roof."')], (
            subject
        )
    text = LEAD + 'The mayor called the plan "a disgrace to the city."'
    assert [(q.rule, q.text) for q in run(text).quotes] == [
        ("named_label", "a disgrace to the city.")
    ]


def test_a_reporting_verb_tagged_as_a_noun_makes_no_cue() -> None:
    """mistagged_verb (a third-person cue the tagger read as a noun) cost on the training
    folds and is gone; a rule that repaired a parse is checked on a parse built by hand."""
    doc = hand_parse(
        """
        Dunn 1 compound PROPN NNP Dunn
        claims 1 ROOT NOUN NNS claim
        the 3 det DET DT the
        budget 4 nsubj NOUN NN budget
        is 1 relcl AUX VBZ be
        wrong 4 acomp ADJ JJ wrong
        . 1 punct PUNCT . .
        """
    )
    assert "mistagged_verb" not in RULES
    assert find_cues(doc, 0, 1) == []


def test_a_finding_is_evidence_even_when_its_author_is_the_speaker(
    run: Callable[[str], Extraction],
) -> None:
    """'The report, written by consultant Fitch and Associates, found that ...': the speaker
    is the author, the attribution still a record's finding, outside the speech view."""
    result = run(
        LEAD + "The report, written by consultant Fitch and Associates, found that ambulances "
        "waited 90 minutes to offload patients."
    )
    found = [(q.rule, q.attribution_class) for q in result.quotes]
    assert found == [("finding", "evidence")]


def test_a_survey_named_by_its_maker_finds_evidence(run: Callable[[str], Extraction]) -> None:
    """'A survey by Pollara found ...': the source mention is the pollster, the attribution a
    record's finding (evidence), whichever rule or model proposed the cue."""
    result = run(
        LEAD + "The vote is next week. A survey by Pollara last month found "
        "61 per cent were against the idea."
    )
    found = [(q.cue, q.attribution_class) for q in result.quotes]
    assert found == [("found", "evidence")]


def test_adding_to_something_is_no_saying(run: Callable[[str], Extraction]) -> None:
    """'the findings add to a growing body of evidence that ...': the report is the
    researcher's, not the findings' speech; "added that" and "added to reporters that" speak."""
    result = run(
        LEAD + "Aric Prather led the study. Prather said the findings add to a growing body of "
        "evidence that sleep matters.\n\nHe added to reporters that the sample was small."
    )
    found = [(q.cue, q.text) for q in result.quotes]
    assert found == [
        ("said", "the findings add to a growing body of evidence that sleep matters"),
        ("added", "the sample was small"),
    ]


def test_a_retort_with_back_and_a_clause(run: Callable[[str], Extraction]) -> None:
    """'shot back that ...' reports the clause as 'retorted' would (it had been a learned
    stance); 'shot back at the intruder' reports nothing."""
    result = run(
        LEAD + "Premier Dana Lowe shot back that the opposition had no plan for the bridge.\n\n"
        "The officer shot back at the intruder twice."
    )
    assert [s[:3] for s in stamps(result) if s[0] != "learned"] == [
        ("reporting_verb", "person_name", "Dana Lowe")
    ]
    assert result.quotes[0].text == "the opposition had no plan for the bridge"
    assert result.quotes[0].attribution_class == "speech"


def test_according_to_leaves_a_quotation_its_own_speaker(run: Callable[[str], Extraction]) -> None:
    """'"Please help us," a man shouted at the scene, according to footage aired by TRT':
    the man's words, with "according to" only saying where they were seen; a clause with no
    speaker of its own stays the source's."""
    text = (
        LEAD + '"My mother is still inside. Please help us," a man shouted at the scene, '
        "according to footage aired by the state broadcaster."
    )
    assert [s[:3] for s in stamps(run(text))] == [("cue_after", "new_description", "a man")]
    plain = LEAD + "The quake hit at 4 a.m., when most people were asleep, according to police."
    assert [s[:3] for s in stamps(run(plain))] == [("according_to", "new_description", "police")]


def test_a_headlines_speaker_label_and_quotation(run: Callable[[str], Extraction]) -> None:
    """ "Premier: 'We will not back down' on carbon tax fight": the label names who speaks
    (the one person the story calls premier), the words in marks are theirs, the rest of the
    line the writer's; a label that names no one ("Budget 2025: ...") makes nothing."""
    story = (
        "\n\nPremier Ana Ruiz says her government will keep fighting the tax. "
        '"We have done nothing wrong," Ruiz said.'
    )
    result = run("Premier: 'We will not back down' on carbon tax fight" + story)
    first = stamps(result)[0]
    assert first[1:] == ("headline_title", "Ana Ruiz", "We will not back down")
    assert result.quotes[0].kind == "direct"
    other = run("Budget 2025: 'A plan for growth' unveiled" + story)
    assert "A plan for growth" not in [s[3] for s in stamps(other)]


def test_a_sentence_case_headlines_source_label(run: Callable[[str], Extraction]) -> None:
    """ "Insiders: Trump will rebound", "Clinton camp: ...": a label naming people by what
    they are, or a named source's camp, is the speaker of the rest of the line; a label that
    names no one ("Update:", "Photos:") makes nothing."""
    story = "\n\nThe council met on Monday. It voted on the budget."
    found = stamps(run("Insiders: the mayor will win a second term" + story))
    assert found[0][1:] == ("new_description", "insiders", "the mayor will win a second term")
    camp = stamps(run("Clinton camp: the audit was a political stunt" + story))
    assert camp[0][3] == "the audit was a political stunt"
    for label in ("Update", "Photos"):
        assert stamps(run(f"{label}: roads reopen after the storm" + story)) == []


def test_as_put_it_set_off_inside_its_clause(run: Callable[[str], Extraction]) -> None:
    """'The industry, as Lena Park put it, is "under a microscope."': the report runs on both
    sides of the as-clause, one mixed quote in two pieces, the subject of "put it" its
    source; a trailing "as X put it" after quoted words still leaves them to the quote."""
    result = run(
        LEAD + "Lena Park runs the grocers' council. The grocery industry, as Park put it, is "
        '"under a microscope like never before."'
    )
    put = [q for q in result.quotes if q.cue == "put"]
    assert [(q.rule, q.kind, len(q.fragments)) for q in put] == [("as_put_it", "mixed", 2)]
    assert put[0].speaker is not None and result.speakers[put[0].speaker].name == "Lena Park"


def test_according_to_leaves_the_reports_subject_the_parser_hung_on_the_source() -> None:
    # "According to records seen by CBC News, the insurer, Acme Mutual, denied the claim":
    # the parser made the subject an appositive of the source's last noun, and the report's
    # verb has no subject of its own.
    doc = hand_parse(
        """
        According 14 prep VERB VBG accord
        to 0 prep ADP IN to
        records 1 pobj NOUN NNS record
        seen 2 acl VERB VBN see
        by 3 agent ADP IN by
        CBC 6 compound PROPN NNP CBC
        News 4 pobj PROPN NNP News
        , 6 punct PUNCT , ,
        the 9 det DET DT the
        insurer 6 appos NOUN NN insurer
        , 9 punct PUNCT , ,
        Acme 12 compound PROPN NNP Acme
        Mutual 9 appos PROPN NNP Mutual
        , 14 punct PUNCT , ,
        denied 14 ROOT VERB VBD deny
        the 16 det DET DT the
        claim 14 dobj NOUN NN claim
        . 14 punct PUNCT . .
        """
    )
    cue = according_to(doc[0], 0, 0)
    assert cue is not None and cue.content is not None
    assert doc.text[cue.content[0] : cue.content[1]] == "the insurer, Acme Mutual, denied the claim"


def test_according_to_a_source_described_after_a_comma_the_parser_hung_on_it(
    run: Callable[[str], Extraction],
) -> None:
    result = run(LEAD + "According to Jane Doe, the mayor, the plan will fail.")
    assert [q.text for q in result.quotes] == ["the plan will fail"]


@pytest.mark.parametrize(
    "headline",
    [
        "Breaking: Federal Judge Just Gave The Senator Some Of The Worst News",
        "Wow: Radio Host Just Responded To The Endorsement With One Brutal Line",
        "Just Leaked: Look At The Governor's Response To The Audit",
        "Exclusive: Mayor Plans To Sell The City's Water Utility",
        "Watch: Premier Walks Out Of Press Conference After Question On Taxes",
    ],
)
def test_a_headlines_kicker_names_no_one(run: Callable[[str], Extraction], headline: str) -> None:
    """ "Breaking:", "Wow:", "Just Leaked:" open a title-case headline without naming anyone
    who speaks: no speaker "Breaking", no quote of the line."""
    result = run(headline + "\n\nThe council met on Monday. It voted on the budget.")
    assert [s for s in stamps(result) if s[0] == "headline"] == []
    assert not any(
        s.name.lower().startswith(headline.split(":")[0].lower()) for s in result.speakers
    )


def test_a_headline_after_a_kicker_is_read_from_after_the_colon(
    run: Callable[[str], Extraction],
) -> None:
    """ "Breaking: Senator Slams Council Over Budget Delay": the kicker is no part of who
    speaks; the line after it is an ordinary headline."""
    story = "\n\nSenator Ana Ruiz said on Monday that the delay would cost the city."
    found = [s for s in stamps(run("Breaking: Senator Slams Council Over Budget Delay" + story))]
    assert found[0][0] == "headline" and found[0][2] == "Ana Ruiz"
    assert found[0][3] == "Council Over Budget Delay"


@pytest.mark.parametrize(
    ("headline", "content"),
    [
        (
            "Ana Ruiz to city council: the budget will balance by 2027",
            "the budget will balance by 2027",
        ),
        ("Premier To Graduates: Don't Listen To The Cynics", "Don't Listen To The Cynics"),
    ],
)
def test_a_headline_label_saying_whom_the_words_are_for(
    run: Callable[[str], Extraction], headline: str, content: str
) -> None:
    """ "Obama to graduates: ...": the speaker is the name before "to", not the audience."""
    story = "\n\nPremier Ana Ruiz spoke on Monday. She thanked the crowd."
    (first, *_) = stamps(run(headline + story))
    assert (first[0], first[2], first[3]) == ("headline", "Ana Ruiz", content)
