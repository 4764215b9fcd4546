"""Where a reported clause starts and ends. Every fixture is an invented paragraph."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from app.extraction import Extraction
from app.extraction.attribution import find_cues
from tests.extraction.helpers import spans


def test_conjoined_second_report_is_a_quote_of_its_own(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The harbour master said the old pier would close for repairs in March and warned "
        "that ferry fares would rise over the summer."
    )
    assert spans(result) == [
        ("indirect", "the old pier would close for repairs in March", "The harbour master"),
        ("indirect", "ferry fares would rise over the summer", "The harbour master"),
    ]


def test_added_after_a_quoted_clause_keeps_the_speaker(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        'Dana Reyes said "nobody checks the water," and added: "We test it every morning '
        'before the pool opens."'
    )
    speakers = {q.speaker for q in result.quotes}
    assert len(result.quotes) == 2
    assert len(speakers) == 1 and None not in speakers


def test_that_clause_after_at_the_time_is_the_report(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The county paper reported at the time that the clerk had misplaced two boxes of ballots."
    )
    assert spans(result) == [
        ("indirect", "the clerk had misplaced two boxes of ballots", "The county paper")
    ]


def test_result_clause_of_so_many_is_no_report(nlp: Language) -> None:
    doc = nlp("The new levy would add so many forms that small shops would stop filing.")
    add = next(c for c in find_cues(doc, 0, 0) if c.lemma == "add")
    assert add.content is None


def test_two_clauses_before_a_closing_cue_are_one_report(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The mayor had told the council that she did not want a new stadium at all, but the "
        "council overruled her, an aide said."
    )
    assert ("indirect", "an aide") in {(k, s) for k, _, s in spans(result)}
    assert spans(result)[0][1] == (
        "The mayor had told the council that she did not want a new stadium at all, but the "
        "council overruled her"
    )


def test_conjoined_report_of_another_speaker_ends_the_clause(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The minister said the mill would stay open through the winter, and union leaders "
        "warned that two hundred jobs were still at risk."
    )
    assert spans(result) == [
        ("indirect", "the mill would stay open through the winter", "The minister"),
        ("indirect", "two hundred jobs were still at risk", "union leaders"),
    ]


def test_concessive_report_is_a_quote_of_its_own(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Ms. Okafor said the clinic had cut waiting times by half this year, though she noted "
        "that staff shortages would slow progress."
    )
    assert [text for _, text, _ in spans(result)] == [
        "the clinic had cut waiting times by half this year",
        "staff shortages would slow progress",
    ]


def test_clause_with_when_they_say_stays_one_report(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The premier said the opposition was misleading voters when they say the deal raises taxes."
    )
    assert [text for _, text, _ in spans(result)] == [
        "the opposition was misleading voters when they say the deal raises taxes"
    ]


def test_quoted_word_in_a_told_that_clause_is_a_mixed_quote(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        'The coach told reporters in Halifax that his players were "exhausted" by the long '
        "road trip."
    )
    assert spans(result) == [
        (
            "mixed",
            'his players were "exhausted" by the long road trip',
            "The coach",
        )
    ]


def test_quoted_clause_opening_a_report_makes_it_mixed(run: Callable[[str], Extraction]) -> None:
    result = run(
        'The water board said that "rates will keep climbing" for at least two more years.'
    )
    assert spans(result) == [
        ("mixed", '"rates will keep climbing" for at least two more years', "The water board")
    ]


def test_quoted_noun_phrase_opening_a_report_stays_direct(
    run: Callable[[str], Extraction],
) -> None:
    result = run('The general said that "total victory" over the rebels was a month away.')
    assert [(k, t) for k, t, _ in spans(result)] == [("direct", "total victory")]


def test_participle_after_an_inverted_cue_reports_no_clause(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        '"We are ready for a long strike," said Ana Ruiz, the head of the nurses\' union, '
        "vowing to keep the picket lines up through the holidays."
    )
    assert spans(result)[0] == ("direct", "We are ready for a long strike", "Ana Ruiz")
    assert all("said Ana Ruiz" not in text for _, text, _ in spans(result))


def test_conjoined_there_clause_continues_the_report(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The fire chief said that it was too early to tell what caused the blaze, and there "
        "was no sign yet that anyone had set it."
    )
    assert [text for _, text, _ in spans(result)] == [
        "it was too early to tell what caused the blaze, and there was no sign yet that "
        "anyone had set it"
    ]


def test_reason_hung_on_the_cue_stays_with_the_report(nlp: Language) -> None:
    # The parser may hang a trailing "because" clause on the cue rather than the report.
    words = ["Cole", "said", "the", "plan", "failed", ",", "because", "nobody", "checked", "."]
    heads = [1, 1, 3, 4, 1, 1, 8, 8, 1, 1]
    deps = ["nsubj", "ROOT", "det", "nsubj", "ccomp", "punct", "mark", "nsubj", "advcl", "punct"]
    tags = ["NNP", "VBD", "DT", "NN", "VBD", ",", "IN", "NN", "VBD", "."]
    pos = ["PROPN", "VERB", "DET", "NOUN", "VERB", "PUNCT", "SCONJ", "PRON", "VERB", "PUNCT"]
    lemmas = [w.lower() for w in words]
    lemmas[1], lemmas[4], lemmas[8] = "say", "fail", "check"
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, lemmas=lemmas)
    cues = find_cues(doc, 0, 0)
    assert len(cues) == 1 and cues[0].content is not None
    start, end = cues[0].content
    assert doc.text[start:end] == "the plan failed , because nobody checked"


def test_report_ends_at_a_semicolon_before_a_new_clause(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Organisers said the delay was not deliberate; the permits only arrived on Friday "
        "and the stage crews started work at once."
    )
    assert spans(result) == [("indirect", "the delay was not deliberate", "Organisers")]


def test_participle_after_a_quoted_fragment_ends_the_report(
    run: Callable[[str], Extraction],
) -> None:
    # The quoted word closes the report; "while accepting ..." tells what she was doing.
    result = run(
        "Mara Lind said she was \u201cfloored\u201d while accepting the first prize "
        "at the festival."
    )
    assert spans(result) == [("mixed", "she was \u201cfloored\u201d", "Mara Lind")]


def test_clause_after_a_participle_cue_continues_its_report(
    run: Callable[[str], Extraction],
) -> None:
    # "and there's much to weigh" follows "noting that ...", not the first "said".
    result = run(
        'Pensions are on the agenda. Tom Reyes said he\'s a "long way from a decision," '
        "noting that he's been on council for nearly 30 years, and there's much to weigh "
        "before another term."
    )
    assert spans(result) == [
        ("mixed", 'he\'s a "long way from a decision,"', "Tom Reyes"),
        (
            "indirect",
            "he's been on council for nearly 30 years, and there's much to weigh before "
            "another term",
            "Tom Reyes",
        ),
    ]


def test_speakers_acting_again_in_a_conjunct_end_the_report(
    run: Callable[[str], Extraction],
) -> None:
    # "they accuse" has the tense of "say", not of "will raise": narrative about the critics.
    result = run(
        "Trade is slowing. Tariff critics say the duties will raise prices and they accuse "
        "the ministry of ignoring the evidence."
    )
    # The accusation is no part of the report (the learned model may give it as a stance).
    assert spans(result, "speech") == [
        ("indirect", "the duties will raise prices", "Tariff critics")
    ]


def test_participle_after_its_clause_reports_nothing(run: Callable[[str], Extraction]) -> None:
    # "writing" tells what the mayor did; the clause before it is no report.
    result = run(
        "The council met on Monday. The mayor stayed in his office all afternoon, writing."
    )
    assert spans(result) == []


def test_condition_hung_on_the_cue_stays_with_the_report(nlp: Language) -> None:
    # The parser may hang a trailing "unless" clause on the cue rather than the report.
    words = ["Drivers", "say", "they", "will", "quit", "unless", "pay", "rises", "."]
    heads = [1, 1, 4, 4, 1, 7, 7, 1, 1]
    deps = ["nsubj", "ROOT", "nsubj", "aux", "ccomp", "mark", "nsubj", "advcl", "punct"]
    tags = ["NNS", "VBP", "PRP", "MD", "VB", "IN", "NN", "VBZ", "."]
    pos = ["NOUN", "VERB", "PRON", "AUX", "VERB", "SCONJ", "NOUN", "VERB", "PUNCT"]
    lemmas = [w.lower() for w in words]
    lemmas[0], lemmas[1], lemmas[7] = "driver", "say", "rise"
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, lemmas=lemmas)
    cues = find_cues(doc, 0, 0)
    assert len(cues) == 1 and cues[0].content is not None
    start, end = cues[0].content
    assert doc.text[start:end] == "they will quit unless pay rises"


def test_clause_in_the_reported_tense_after_a_quotation_is_part_of_it(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        'The nurses said there remains a "serious shortage of trained staff," when it comes '
        "to night shifts at rural clinics."
    )
    assert [(kind, text) for kind, text, _ in spans(result)] == [
        (
            "mixed",
            'there remains a "serious shortage of trained staff," when it comes to night '
            "shifts at rural clinics",
        )
    ]


def test_quoted_fragments_joined_by_the_reporter_are_one_mixed_quote(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The inspector said it was \u201cperfectly safe for every kind of traffic\u201d and "
        "\u201cwould easily stand for several more decades.\u201d"
    )
    assert [(kind, text) for kind, text, _ in spans(result)] == [
        (
            "mixed",
            "it was \u201cperfectly safe for every kind of traffic\u201d and \u201cwould easily "
            "stand for several more decades.\u201d",
        )
    ]


def test_quotation_split_by_its_cue_is_not_joined(run: Callable[[str], Extraction]) -> None:
    result = run('"If the plant closes," she said, "the whole town will suffer for a generation."')
    assert [kind for kind, _, _ in spans(result)] == ["direct", "direct"]


def test_speaker_reporting_again_in_the_cue_tense_ends_the_report(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The senator, speaking to a farm group in Ohio, said he would order a full review of "
        "the grain subsidies and warned against cheap imports from abroad."
    )
    assert spans(result)[0] == (
        "indirect",
        "he would order a full review of the grain subsidies",
        "The senator",
    )


def test_time_and_place_after_a_quoted_label_are_not_the_judgement(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Former mayor Dan Price criticized the transit plan as a \u201ccostly mistake\u201d "
        "during a town hall meeting in Elmwood on Tuesday."
    )
    assert [(kind, text) for kind, text, _ in spans(result)] == [
        ("mixed", "the transit plan as a \u201ccostly mistake\u201d")
    ]


def test_opening_clause_in_the_reported_tense_is_part_of_the_report(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "When she is hiring for a new team, Lopez said she makes sure women are on the shortlist."
    )
    assert [text for _, text, _ in spans(result)] == [
        "When she is hiring for a new team, Lopez said she makes sure women are on the shortlist"
    ]


def test_opening_clause_in_the_cue_tense_is_narrative(run: Callable[[str], Extraction]) -> None:
    result = run(
        "When she and her brother bought a boat together, Lopez said they had to agree on who "
        "would pay for repairs."
    )
    assert [text for _, text, _ in spans(result)] == [
        "they had to agree on who would pay for repairs"
    ]


def test_writer_gloss_on_a_name_closing_the_report_is_left_out(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Fishing crews say the quota should be shared with Norland, the small island nation "
        "that lost its own fleet last year."
    )
    assert [text for _, text, _ in spans(result)] == ["the quota should be shared with Norland"]


def test_speaker_going_on_in_the_cue_tense_ends_the_report(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Okoro has said about a dozen firms have shown an interest in the contract, but he "
        "refuses to name any of them."
    )
    # "refuses to name ..." is an intention (belief class) the learned model may add.
    assert [text for _, text, _ in spans(result, "speech")] == [
        "about a dozen firms have shown an interest in the contract"
    ]


def test_report_ends_at_a_dash_before_someone_reporting_anew(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Ruiz said the council had wasted months on the new tolls -- tolling the mayor said "
        "is designed to push drivers off the road."
    )
    assert spans(result)[0][1] == "the council had wasted months on the new tolls"


def test_request_ends_at_a_dash_before_someone_reporting_anew(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Ruiz urged the council to scrap the new tolls on the harbour bridge -- tolling the "
        "mayor said is designed to push drivers off the road."
    )
    assert spans(result)[0][1] == "the council to scrap the new tolls on the harbour bridge"


def test_closing_relative_that_reports_anew_is_a_report_of_its_own(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Ms. Tran said the footage does not show what the driver held in his hands, which "
        "she said were empty when he stepped out."
    )
    assert [text for _, text, _ in spans(result)] == [
        "the footage does not show what the driver held in his hands",
        "were empty when he stepped out",
    ]


def test_clause_after_a_fronted_whom_is_the_report(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The letter raised doubts about the boy, whom the couple claims they adopted from an "
        "orphanage in Ghana."
    )
    assert "they adopted from an orphanage in Ghana" in [text for _, text, _ in spans(result)]


def test_quoted_first_conjunct_of_a_subject_makes_a_mixed_quote(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        'Kane said "budget reforms" and the collection of unpaid taxes would help finance the plan.'
    )
    assert [(kind, text) for kind, text, _ in spans(result)] == [
        (
            "mixed",
            '"budget reforms" and the collection of unpaid taxes would help finance the plan',
        )
    ]


def test_object_before_a_bare_verb_after_a_demand_is_its_subject(nlp: Language) -> None:
    # The parser may take the subject of a mandative clause for the demand's object.
    words = ["Voters", "demand", "Kim", "make", "a", "pledge", "."]
    heads = [1, 1, 1, 1, 5, 3, 1]
    deps = ["nsubj", "ROOT", "dobj", "ccomp", "det", "dobj", "punct"]
    tags = ["NNS", "VBP", "NNP", "VBP", "DT", "NN", "."]
    pos = ["NOUN", "VERB", "PROPN", "VERB", "DET", "NOUN", "PUNCT"]
    lemmas = ["voter", "demand", "Kim", "make", "a", "pledge", "."]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, lemmas=lemmas)
    cues = find_cues(doc, 0, 0)
    assert len(cues) == 1 and cues[0].content is not None
    start, end = cues[0].content
    assert doc.text[start:end] == "Kim make a pledge"


def test_stray_appositive_stops_at_the_root(nlp: Language) -> None:
    """A comma-set phrase after the source whose head chain climbs to the sentence's root
    (", many say ,") once looped forever: the root is its own head. Hand-built parse."""
    import threading

    from app.extraction.attribution import _stray_appositive

    words = ["According", "to", "the", "Fund", ",", "many", "say", ",", "fees", "rose", "."]
    heads = [6, 0, 3, 1, 6, 6, 6, 6, 9, 6, 6]
    deps = ["prep", "pobj", "det", "pobj", "punct", "advmod", "ROOT", "punct", "nsubj"]
    deps += ["ccomp", "punct"]
    deps[1] = "prep"
    tags = ["VBG", "IN", "DT", "NNP", ",", "JJ", "VBP", ",", "NNS", "VBD", "."]
    pos = ["VERB", "ADP", "DET", "PROPN", "PUNCT", "ADJ", "VERB", "PUNCT", "NOUN", "VERB"]
    pos += ["PUNCT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos)
    found: list[set[int]] = []
    worker = threading.Thread(target=lambda: found.append(_stray_appositive(doc[3])), daemon=True)
    worker.start()
    worker.join(timeout=10)  # generous: it answers in microseconds, it looped forever
    assert found == [set()]


def test_the_speaker_declining_to_say_more_is_no_part_of_the_report(
    run: Callable[[str], Extraction],
) -> None:
    """'said A, but would not describe B' and 'said A but declined to comment further': the
    refusal is the speaker's, not more of what was said; 'refused to drop the gun' is what
    the report tells of its subject and stays."""
    result = run(
        "Police were called on Sunday.\n\nDet. Ana Ruiz said the accused and the victim knew "
        "each other, but would not describe their relationship. A spokesperson said the "
        "company was aware of the complaints but declined to comment further. Ruiz said "
        "the man posed a deadly threat and refused to drop the gun."
    )
    assert [q.text for q in result.quotes] == [
        "the accused and the victim knew each other",
        "the company was aware of the complaints",
        "the man posed a deadly threat and refused to drop the gun",
    ]


def test_a_request_the_speaker_goes_on_to_make_ends_the_report(
    run: Callable[[str], Extraction],
) -> None:
    """'said its members were "exhausted" and called on the province to hire more staff':
    the call is the union's own, not more of what it said of its members."""
    result = run(
        "Flu cases are rising.\n\nIn a post on X, the Prairie Nurses' Union said its members "
        'were "exhausted" and called on the province to hire more staff.'
    )
    assert result.quotes[0].text == 'its members were "exhausted"'


def test_a_contrasting_clause_with_another_sources_stance_ends_the_report(
    run: Callable[[str], Extraction],
) -> None:
    """'About half of voters say they prefer an outsider, while about 4 in 10 want one with
    political experience': the second group's stance is no part of what the first says; a
    pronoun subject may be the same source going on ('while they want ...')."""
    result = run(
        "The poll was taken last week.\n\nAbout half of voters say they prefer a candidate who "
        "is an outsider, while about 4 in 10 want one with political experience."
    )
    assert result.quotes[0].text == "they prefer a candidate who is an outsider"


def test_a_list_after_a_name_is_no_closing_gloss(run: Callable[[str], Extraction]) -> None:
    """'differ on Israel, the Iranian nuclear deal and the possibility of ...': things listed
    after a name are what was said; 'Rep. Don Beyer, a former governor and ambassador' stays
    the writer's gloss."""
    result = run(
        "The debate was on Monday.\n\nAna Ruiz said she and Tom Hale differ on Israel, the "
        "Iranian nuclear deal and the possibility of compromising over a choice for the "
        "Supreme Court.\n\nRuiz said she would have to consider Rep. Don Beyer, a former "
        "governor and ambassador."
    )
    assert [q.text for q in result.quotes] == [
        "she and Tom Hale differ on Israel, the Iranian nuclear deal and the possibility of "
        "compromising over a choice for the Supreme Court",
        "she would have to consider Rep. Don Beyer",
    ]
