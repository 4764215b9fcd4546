"""Attribution: cue verbs, subjects, inversion, layouts, pronouns, continuation, no speaker."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from app.extraction import Extraction
from app.extraction.attribution import find_cues


def speakers_of(result: Extraction, speech_only: bool = False) -> list[str | None]:
    """The speaker of each quote (of speech only if asked: the learned model adds the stances
    PolNeAR counts, "disagreed with her")."""
    return [
        result.speakers[q.speaker].name if q.speaker is not None else None
        for q in result.quotes
        if not speech_only or q.attribution_class == "speech"
    ]


def test_said_after_quote_with_pronoun(run: Callable[[str], Extraction]) -> None:
    result = run('Maria Lopez spoke to the crowd. "We will win the vote," she said.')
    assert speakers_of(result) == ["Maria Lopez"]
    quote = result.quotes[0]
    assert result.text[quote.speaker_start : quote.speaker_end] == "she"
    assert (quote.cue, result.text[quote.cue_start : quote.cue_end]) == ("said", "said")


def test_inverted_said_name(run: Callable[[str], Extraction]) -> None:
    result = run('"The plan is dead," said Hugh Hill, a doctor at the clinic.')
    assert speakers_of(result) == ["Hugh Hill"]
    assert result.quotes[0].kind == "direct"


def test_appositive_role(run: Callable[[str], Extraction]) -> None:
    result = run("Hugh Hill, a doctor at the clinic, said the ward would close in June.")
    assert speakers_of(result) == ["Hugh Hill"]
    assert result.speakers[0].role == "doctor at the clinic"


def test_cue_before_quote_with_colon(run: Callable[[str], Extraction]) -> None:
    result = run('Police Chief Mary Smith said: "We have arrested two men after the fire."')
    assert speakers_of(result) == ["Mary Smith"]
    assert result.quotes[0].role == "Police Chief"


def test_said_in_a_statement(run: Callable[[str], Extraction]) -> None:
    result = run("The ministry said in a statement that the border would stay closed until March.")
    assert [q.text for q in result.quotes] == ["the border would stay closed until March"]
    assert result.quotes[0].kind == "indirect"
    assert result.speakers[0].kind == "organisation"


def test_according_to(run: Callable[[str], Extraction]) -> None:
    result = run("According to the ministry, the border will stay closed until March.")
    assert [q.text for q in result.quotes] == ["the border will stay closed until March"]
    assert result.speakers[0].name == "the ministry"


def test_indirect_content_without_that(run: Callable[[str], Extraction]) -> None:
    result = run("Sarah Quinn warned that the river could flood the lower town by Friday.")
    assert [(q.kind, q.text) for q in result.quotes] == [
        ("indirect", "the river could flood the lower town by Friday")
    ]


def test_dash_name_layout(run: Callable[[str], Extraction]) -> None:
    result = run('"We will not stop until every family has a home." \u2014 Jane Doe')
    assert speakers_of(result) == ["Jane Doe"]


def test_name_colon_layout(run: Callable[[str], Extraction]) -> None:
    result = run('Jane Doe: "We will not stop until every family has a home."')
    assert speakers_of(result) == ["Jane Doe"]


def test_pronoun_gender_picks_the_right_person(run: Callable[[str], Extraction]) -> None:
    text = (
        "Alice Wong said the talks had failed. She was angry.\n\n"
        "Bob Grant disagreed with her. He was calm.\n\n"
        '"We tried everything we could to make it work," she said.'
    )
    assert speakers_of(run(text), speech_only=True) == ["Alice Wong", "Alice Wong"]


def test_continuation_paragraph_keeps_speaker(run: Callable[[str], Extraction]) -> None:
    text = (
        "John Baker, the mayor, spoke on Monday.\n\n"
        '"It is the right thing to do for the city," he said.\n\n'
        '"We cannot wait any longer for the province to act on this."'
    )
    result = run(text)
    assert speakers_of(result) == ["John Baker", "John Baker"]
    # The continuation rests on the mention that attributed the quote it carries on.
    assert result.quotes[1].speaker_start == result.quotes[0].speaker_start
    assert result.quotes[1].confidence < result.quotes[0].confidence


def test_unattributable_quote_has_no_speaker(run: Callable[[str], Extraction]) -> None:
    result = run('"Is anyone going to fix this road before winter comes again?" she asked.')
    assert len(result.quotes) == 1
    assert result.quotes[0].speaker is None
    assert result.quotes[0].confidence <= 0.3


def test_organisation_speaker_and_it(run: Callable[[str], Extraction]) -> None:
    text = (
        "The company said profits fell by 12 per cent last year.\n\n"
        "It said the decline was caused by higher fuel prices."
    )
    result = run(text)
    assert speakers_of(result) == ["the company", "the company"]
    assert result.speakers[0].kind == "organisation"


def test_clause_interrupted_by_its_cue_is_one_quote_in_two_fragments(
    run: Callable[[str], Extraction],
) -> None:
    text = "The river rose quickly on Friday, Ann Lee said, but the town was ready for it."
    result = run(text)
    assert [[text[s:e] for s, e in q.fragments] for q in result.quotes] == [
        ["The river rose quickly on Friday", "but the town was ready for it"]
    ]
    assert speakers_of(result) == ["Ann Lee"]


def test_quote_after_a_sentence_about_a_person(run: Callable[[str], Extraction]) -> None:
    text = (
        'Dana Cole did not need much persuading. "I have seen what the cold does to people '
        'who sleep outside."'
    )
    assert speakers_of(run(text)) == ["Dana Cole"]


def test_quote_opening_the_next_paragraph_goes_on_from_a_topic_quote(
    run: Callable[[str], Extraction],
) -> None:
    # The first quote has no cue (the sentence before is about Cole); the paragraph after
    # opens with a quotation and no cue of its own: the same person goes on speaking.
    text = (
        'Dana Cole did not need much persuading. "I have seen what the cold does to people '
        'who sleep outside." She also welcomed the chance to work with the volunteers.\n\n'
        '"They are remarkable people. They give their nights to strangers every winter."'
    )
    result = run(text)
    # "welcomed the chance ..." is a stance (belief class) that the learned model may add.
    speech = [q for q in result.quotes if q.attribution_class == "speech"]
    assert [result.speakers[q.speaker].name if q.speaker is not None else None for q in speech] == [
        "Dana Cole",
        "Dana Cole",
    ]


def test_quote_after_a_new_subject_leaves_the_previous_speaker(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        'Ruth Kaplan invited a guest choreographer. "We wanted a fresh voice," says Kaplan. '
        'Tomas Berg did not need much persuading. "I have admired this company for many years."'
    )
    assert speakers_of(run(text)) == ["Ruth Kaplan", "Tomas Berg"]


def test_pull_quote_followed_by_name(run: Callable[[str], Extraction]) -> None:
    text = (
        "The shelter opened in 1990.\n\n"
        "I will never forget the people who stood by me when things were at their worst. "
        "Dana Cole"
    )
    result = run(text)
    assert [q.text for q in result.quotes] == [
        "I will never forget the people who stood by me when things were at their worst."
    ]
    assert speakers_of(result) == ["Dana Cole"]


def test_nickname_in_quotes_is_not_a_quote(run: Callable[[str], Extraction]) -> None:
    result = run('Lead singer Riefian "Ifan" Fajarsyah told fans the show would go on.')
    assert [q.text for q in result.quotes] == ["the show would go on"]


def test_transcript_line_without_marks(run: Callable[[str], Extraction]) -> None:
    text = "Mike Pence spoke on Sunday.\n\nPENCE: Well, look, the truth is we are going to win."
    result = run(text)
    assert [q.text for q in result.quotes] == ["Well, look, the truth is we are going to win."]
    assert speakers_of(result) == ["Mike Pence"]


def test_according_to_in_mid_clause_is_one_report_around_it(
    run: Callable[[str], Extraction],
) -> None:
    text = "Shelter residents, according to the city report, are afraid of losing their beds."
    result = run(text)
    assert [[text[s:e] for s, e in q.fragments] for q in result.quotes] == [
        ["Shelter residents", "are afraid of losing their beds"]
    ]


def test_pronoun_keeps_the_speaker_over_a_person_named_after_him(
    run: Callable[[str], Extraction],
) -> None:
    # The cue's subject is both named and quoted at one position; being quoted must count.
    text = (
        "Carl Jensen chairs the harbour board.\n\n"
        "Tom Baker said the deal was dead after a long meeting with Carl Jensen.\n\n"
        '"We tried everything we could think of," he said.'
    )
    result = run(text)
    names = [result.speakers[q.speaker].name for q in result.quotes if q.speaker is not None]
    assert names == ["Tom Baker", "Tom Baker"]


def test_second_subjectless_complement_continues_the_reported_clause(nlp: Language) -> None:
    # The small model at times parses "says he drank too much, used drugs" with "used" as a
    # second complement of the cue; it is more of the same reported clause.
    words = ["Marsh", "says", "he", "drank", "too", "much", ",", "used", "drugs", "."]
    heads = [1, 1, 3, 1, 5, 3, 3, 1, 7, 1]
    deps = ["nsubj", "ROOT", "nsubj", "ccomp", "advmod", "advmod", "punct", "ccomp", "dobj"]
    tags = ["NNP", "VBZ", "PRP", "VBD", "RB", "RB", ",", "VBN", "NNS", "."]
    pos = ["PROPN", "VERB", "PRON", "VERB", "ADV", "ADV", "PUNCT", "VERB", "NOUN", "PUNCT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=[*deps, "punct"], tags=tags, pos=pos)
    cues = find_cues(doc, 0, 0)
    assert len(cues) == 1 and cues[0].content is not None
    start, end = cues[0].content
    assert doc.text[start:end] == "he drank too much , used drugs"


def test_conjunct_in_the_reported_tense_continues_the_clause(nlp: Language) -> None:
    # "used" hangs on the cue "says" but shares the past tense of "drank": it was said too.
    words = ["Marsh", "says", "he", "drank", "too", "much", "and", "used", "drugs", "."]
    heads = [1, 1, 3, 1, 5, 3, 1, 1, 7, 1]
    deps = ["nsubj", "ROOT", "nsubj", "ccomp", "advmod", "advmod", "cc", "conj", "dobj", "punct"]
    tags = ["NNP", "VBZ", "PRP", "VBD", "RB", "RB", "CC", "VBD", "NNS", "."]
    pos = ["PROPN", "VERB", "PRON", "VERB", "ADV", "ADV", "CCONJ", "VERB", "NOUN", "PUNCT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos)
    cues = find_cues(doc, 0, 0)
    assert len(cues) == 1 and cues[0].content is not None
    start, end = cues[0].content
    assert doc.text[start:end] == "he drank too much and used drugs"


def test_reported_clause_opening_with_a_when_clause_is_a_statement(
    run: Callable[[str], Extraction],
) -> None:
    result = run("Mark Hale said when rivals attack him in public, he answers with facts.")
    assert [(q.kind, q.text) for q in result.quotes] == [
        ("indirect", "when rivals attack him in public, he answers with facts")
    ]


def test_condition_opening_a_reported_clause_is_kept(run: Callable[[str], Extraction]) -> None:
    result = run("Mark Hale said if the council votes no, the plant will close.")
    assert [q.text for q in result.quotes] == ["if the council votes no, the plant will close"]


def test_participle_cue_ends_the_reported_clause(run: Callable[[str], Extraction]) -> None:
    text = (
        "Mr. Hale said the vote showed that his party needs new faces, noting that it did "
        "gain ground in the suburbs."
    )
    result = run(text)
    assert [q.text for q in result.quotes] == [
        "the vote showed that his party needs new faces",
        "it did gain ground in the suburbs",
    ]


def test_repeated_cue_after_a_report_adds_no_second_quote(
    run: Callable[[str], Extraction],
) -> None:
    text = "He said he heard from many farmers who were worried about the drought, he said."
    result = run(text)
    assert [q.text for q in result.quotes] == [
        "he heard from many farmers who were worried about the drought"
    ]


def test_they_refers_to_the_plural_subject_before_it(run: Callable[[str], Extraction]) -> None:
    text = "The farmers blocked the highway on Monday. They said the new tax would ruin them."
    assert speakers_of(run(text)) == ["the farmers"]


def test_they_is_not_a_subject_inside_its_own_report(run: Callable[[str], Extraction]) -> None:
    text = "The bills, they said, would be paid by the province."
    assert "The bills" not in speakers_of(run(text))


def test_participle_cue_in_a_reported_clause_keeps_the_outer_speaker(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "Mr. Hale said the vote showed that his party needs new faces, noting that it did "
        "gain ground in the suburbs."
    )
    assert speakers_of(run(text)) == ["Hale", "Hale"]


def test_quoted_words_parsed_as_subject_yield_to_the_name_before_them(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "Retired teacher Mary Colt, who lost 20 lbs. \u201cand a lot of stress\u201d over the "
        "summer, says the program changed her life."
    )
    assert speakers_of(run(text)) == ["Mary Colt", "Mary Colt"]


def test_reporters_gloss_after_a_dash_is_not_reported(run: Callable[[str], Extraction]) -> None:
    text = (
        "Mayor Ann Lowe said the city had overpaid for the old bridge \u2014 a problem made "
        "worse by two years of delays."
    )
    assert [q.text for q in run(text).quotes] == ["the city had overpaid for the old bridge"]


def test_aside_between_paired_dashes_stays_in_the_report(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "Chief Ray Dunn said the fire \u2014 a blaze that began in a kitchen \u2014 destroyed "
        "four homes on the street."
    )
    assert [q.text for q in run(text).quotes] == [
        "the fire \u2014 a blaze that began in a kitchen \u2014 destroyed four homes on the street"
    ]


def test_conjunct_about_someone_else_ends_the_report(run: Callable[[str], Extraction]) -> None:
    text = (
        "He had told his mother that his biggest regret was losing the farm, but she had "
        "proved him wrong."
    )
    assert [q.text for q in run(text).quotes] == ["his biggest regret was losing the farm"]


def test_conjunct_by_the_same_speaker_stays_in_the_report(
    run: Callable[[str], Extraction],
) -> None:
    text = "She says she hopes to win the seat, but she knows the race will be close."
    assert [q.text for q in run(text).quotes] == [
        "she hopes to win the seat, but she knows the race will be close"
    ]


def test_second_complement_right_after_the_first_continues_the_content(
    run: Callable[[str], Extraction],
) -> None:
    # The parser splits "she feels voting no was an error" into two complements of "said".
    text = "Ms. Ortiz said afterwards she feels voting no was an error."
    result = run(text)
    assert [result.text[q.start : q.end] for q in result.quotes] == [
        "she feels voting no was an error"
    ]


def test_clause_after_the_addressee_is_what_was_told(run: Callable[[str], Extraction]) -> None:
    # "told officers she parked ...": parsed as a relative clause on "officers".
    text = "She told officers she parked the van near the river so nobody would notice it."
    result = run(text)
    assert [
        result.text[q.start : q.end].startswith("she parked the van") for q in result.quotes
    ] == [True]


def test_a_single_quoted_subheading_is_no_quote(run: Callable[[str], Extraction]) -> None:
    # A paragraph that is only a phrase in single marks, with no full stop, is a section
    # heading: it does not go on from the speaker of the paragraph before.
    text = (
        '"We will keep the shelter open all winter," said Ana Ortiz, who runs the program.\n\n'
        "'Just give us a chance'\n\n"
        "The program opened in 2015 and now serves 80 people a night."
    )
    result = run(text)
    assert [q.text for q in result.quotes] == ["We will keep the shelter open all winter"]
    heading = text.replace("'Just give us a chance'", "'Circle of friends' grows in the shelter")
    assert [q.text for q in run(heading).quotes] == ["We will keep the shelter open all winter"]


def test_quote_in_a_sentence_about_her_is_hers(run: Callable[[str], Extraction]) -> None:
    # No cue: the quoted words sit in a sentence whose subject is "she", who is Maria Chen.
    text = (
        "Maria Chen said she was grateful for the support.\n\n"
        'She thanked a long list of neighbours and volunteers for "standing with our family '
        'through the worst weeks of our lives. We will never forget it."'
    )
    assert speakers_of(run(text)) == ["Maria Chen", "Maria Chen"]


def test_a_closing_mark_parsed_as_subject_is_no_speaker(
    run: Callable[[str], Extraction],
) -> None:
    # Two curly single marks closing the quote are parsed as the subject of "says"; the
    # speaker is the description after the verb.
    text = (
        "\u201cWe dedicate ourselves to local artists,\u2019\u2019 says the 39-year-old founder "
        "of the press, which recently celebrated its first birthday."
    )
    assert speakers_of(run(text)) == ["the 39-year-old founder of the press"]


def test_embedded_post_is_the_account_holders_quote(run: Callable[[str], Extraction]) -> None:
    # An embedded social media post: its text, then a link and the credit line.
    text = (
        "The MP responded online.\n\n"
        "You had your chance to debate me. Bring it, but you won't. https://t.co/abc123XYZ "
        "\u2014 Jane Doe (@JaneDoeMP) December 18, 2018\n\n"
        "The minister did not reply."
    )
    result = run(text)
    assert [q.text for q in result.quotes] == [
        "You had your chance to debate me. Bring it, but you won't."
    ]
    assert speakers_of(result) == ["Jane Doe"]


def test_pull_quote_credited_to_a_known_person_ner_mislabels(
    run: Callable[[str], Extraction],
) -> None:
    # NER calls the credited name ORG both times; the story has named her as a person.
    text = (
        "Morgan McNeely, 27, said she started chemotherapy in May.\n\n"
        "I'm not happy I have cancer, but I'm still thankful for what it's brought me. "
        "Morgan McNeely\n\n"
        "The clinic treats 300 patients a year."
    )
    assert speakers_of(run(text)) == ["Morgan McNeely", "Morgan McNeely"]


def test_pull_quote_with_a_participle_that_reports_nothing(
    run: Callable[[str], Extraction],
) -> None:
    # "repeated" is a reporting verb without speaker or clause: the paragraph is no narrative.
    text = (
        "The inquiry found deep problems on the force.\n\n"
        "The council's repeated failures to address the concerns of residents constitute an "
        "emergency. Linda Lamoureux\n\n"
        "The council has not responded."
    )
    assert speakers_of(run(text)) == ["Linda Lamoureux"]


def test_title_case_quotation_without_cue_names_a_work(run: Callable[[str], Extraction]) -> None:
    # Without the rule the title would go to Moore, the subject of the sentence before it.
    text = (
        "The festival opened with a comedy on Friday.\n\n"
        'Alex Moore reviewed the new releases. "The Boy Who Would Be Mayor" really is a sweet '
        "and well-told story for families."
    )
    assert not run(text).quotes
