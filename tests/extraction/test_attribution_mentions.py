"""Attribution mentions: the words an attribution rests on, for quotes scored by mention."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from app.extraction import Extraction
from app.extraction.attribution import find_cues
from tests.extraction.helpers import spans


def mentions_of(result: Extraction, speech_only: bool = False) -> list[str | None]:
    """The mention each quote rests on (of speech only if asked: the learned model adds the
    stances PolNeAR counts, "thanked the volunteers")."""
    return [
        result.text[q.speaker_start : q.speaker_end] if q.speaker_start is not None else None
        for q in result.quotes
        if not speech_only or q.attribution_class == "speech"
    ]


def test_paragraph_subject_is_the_mention(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Nora Vance walked to the podium on Tuesday and thanked her staff. "
        '"We are not going anywhere, and we will fight this ruling in every court in the land."'
    )
    assert mentions_of(result) == ["Nora Vance"]
    assert result.speakers[result.quotes[0].speaker or 0].name == "Nora Vance"


def test_paragraph_subject_by_surname(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Lena Brandt has chaired the board since 2019. Brandt smiled at the cameras. "
        '"We are not going anywhere, and we will fight this ruling in every court in the land."'
    )
    quote = result.quotes[0]
    assert mentions_of(result) == ["Brandt"]
    assert quote.speaker_start == result.text.index("Brandt smiled")


def test_inverted_speaker_after_quotation_not_quoted_words(
    run: Callable[[str], Extraction],
) -> None:
    result = run('"The party is in trouble. Real trouble," said Janet Olsen, a county chairwoman.')
    assert mentions_of(result) == ["Janet Olsen"]


def test_sentence_opening_said_name(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Others disagree. Said Ellis: \u201cI don\u2019t get the sense she\u2019s the least "
        "bit interested in tax reform.\u201d"
    )
    assert mentions_of(result) == ["Ellis"]


def test_quoted_subject_and_speaker_after_closing_mark(run: Callable[[str], Extraction]) -> None:
    result = run(
        '"He would be a great senator. Not good, great. One of the brightest members of the '
        'entire Congress," Rep. Dana K. Mills (D-Ore.) said in a phone interview.'
    )
    assert mentions_of(result) == ["Dana K. Mills"]


def test_document_reads(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The parents sent a letter to the board. "
        '"We see these schools offering our children hope for a better future," the letter reads.'
    )
    assert mentions_of(result) == ["the letter"]
    assert result.quotes[0].cue == "reads"


def test_issued_statement_participle_rests_on_issuer(run: Callable[[str], Extraction]) -> None:
    result = run('The council issued a statement calling the test "a clear violation" of a pact.')
    assert mentions_of(result) == ["The council"]


def test_occasion_participle_rests_on_speaker(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Attorney General Mara Quill spoke on Monday. She said little at a news conference "
        "announcing that the department would sue the state over the new law."
    )
    quote = next(q for q in result.quotes if q.cue == "announcing")
    assert result.text[quote.speaker_start or 0 : quote.speaker_end or 0] == "She"


def test_according_to_a_text_someone_delivered(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The goal is to curb investors focused on quarterly results, according to a speech "
        "Senator Ida Marsh delivered in July."
    )
    assert mentions_of(result) == ["Ida Marsh"]


def test_group_of_speakers_headed_by_a_quantifier(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Those close to the mayor say that, in addition to Fox, she would have to consider "
        "two other candidates."
    )
    assert mentions_of(result) == ["Those close to the mayor"]


def test_partitive_relative_speaker(run: Callable[[str], Extraction]) -> None:
    result = run("The mayor thanked the volunteers, most of whom said they would return next year.")
    # "thanked the volunteers" may be the mayor's learned stance; the speech is theirs.
    speech = [q for q in result.quotes if q.attribution_class == "speech"]
    assert [q.text for q in speech] == ["they would return next year"]
    assert mentions_of(result, speech_only=True) == ["most of whom"]


def test_call_for_after_a_time(run: Callable[[str], Extraction]) -> None:
    result = run("Attorney General Ray Colton called Friday for releasing the police videos.")
    assert [q.text for q in result.quotes] == ["releasing the police videos"]
    assert mentions_of(result) == ["Ray Colton"]


def test_according_to_with_a_misparsed_source(run: Callable[[str], Extraction]) -> None:
    result = run(
        "As a reality TV boss, the developer repeatedly demeaned women with crude language, "
        "according to show insiders."
    )
    assert len(result.quotes) == 1
    assert result.quotes[0].text.endswith("with crude language")
    assert mentions_of(result) == ["insiders"]


def test_according_to_swallowing_its_clause(run: Callable[[str], Extraction]) -> None:
    result = run(
        "According to conservative radio host Ron Lake, the move reeks of \u201cfear\u201d "
        "and desperation."
    )
    assert [q.text for q in result.quotes] == ["the move reeks of \u201cfear\u201d and desperation"]
    assert mentions_of(result) == ["Ron Lake"]


def test_subordinate_cue_keeps_its_clause(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Norma Ruiz spoke for an hour. While she acknowledged funding was a major reason she "
        "felt demoralized, Ruiz also noted several successes."
    )
    speech = [q for q in result.quotes if q.attribution_class == "speech"]
    assert [q.text for q in speech] == ["funding was a major reason she felt demoralized"]
    assert mentions_of(result, speech_only=True) == ["she"]


def test_the_following_comment(run: Callable[[str], Extraction]) -> None:
    result = run(
        'On July 6, Reyes made the following comment: "For young people who have graduated '
        'high school, the unemployment rate is 33 percent."'
    )
    assert mentions_of(result) == ["Reyes"]
    assert result.quotes[0].cue == "comment"


def test_sentence_case_headline_with_a_source_label(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Poll: Mayor and rival in dead heat heading into first debate.\n\n"
        "The two candidates meet on Tuesday night."
    )
    assert [q.text for q in result.quotes] == [
        "Mayor and rival in dead heat heading into first debate"
    ]
    assert mentions_of(result) == ["Poll"]


def test_sentence_case_headline_with_a_kicker(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Warning: this story contains disturbing details.\n\nThe two candidates meet on Tuesday."
    )
    assert result.quotes == ()


def test_dateline_parsed_as_subject(nlp: Language) -> None:
    # The parser may make the dateline the subject and the speaker its appositive.
    words = ["BOSTON", "--", "Mayor", "Ortiz", ",", "said", "it", "would", "open", "."]
    heads = [5, 0, 3, 0, 5, 5, 8, 8, 5, 5]
    deps = ["nsubj", "punct", "compound", "appos", "punct", "ROOT", "nsubj", "aux", "ccomp"]
    pos = ["PROPN", "PUNCT", "PROPN", "PROPN", "PUNCT", "VERB", "PRON", "AUX", "VERB", "PUNCT"]
    lemmas = ["BOSTON", "--", "Mayor", "Ortiz", ",", "say", "it", "would", "open", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        heads=heads,
        deps=[*deps, "punct"],
        pos=pos,
        lemmas=lemmas,
        ents=["B-GPE", "O", "O", "B-PERSON", "O", "O", "O", "O", "O", "O"],
    )
    cues = find_cues(doc, 0, 0)
    assert len(cues) == 1 and cues[0].speaker is not None
    assert cues[0].speaker.text == "Ortiz"


def test_conjunct_of_a_relative_clause_rests_on_the_relative(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The mayor thanked Dr. Lena Park, who worked through the storm and said the hospital "
        "needed more staff."
    )
    assert [q.text for q in result.quotes] == ["the hospital needed more staff"]
    assert mentions_of(result) == ["who"]
    assert result.speakers[result.quotes[0].speaker or 0].name == "Lena Park"


def test_object_control_gives_the_speaker(run: Callable[[str], Extraction]) -> None:
    result = run(
        "The senator also forced Tom Reyes, who was under questioning from the committee, to "
        "admit that no senior executives had been punished."
    )
    assert [q.text for q in result.quotes] == ["no senior executives had been punished"]
    assert mentions_of(result) == ["Tom Reyes"]


def test_object_control_by_a_pronoun_for_people(run: Callable[[str], Extraction]) -> None:
    """ "The dockers met the owners. The offer prompted them to say ...": they say it, not the
    offer."""
    result = run(
        "The dockers met the owners on Monday. The new offer prompted them to say that the "
        "strike would end."
    )
    assert [q.text for q in result.quotes] == ["the strike would end"]
    assert mentions_of(result) == ["them"]
    assert result.speakers[result.quotes[0].speaker or 0].name.lower() != "the new offer"


def test_passive_cue_rests_on_its_agent(nlp: Language) -> None:
    words = ["It", "was", "claimed", "by", "Ruiz", "that", "it", "failed", "."]
    heads = [2, 2, 2, 2, 3, 7, 7, 2, 2]
    deps = ["nsubjpass", "auxpass", "ROOT", "agent", "pobj", "mark", "nsubj", "ccomp", "punct"]
    pos = ["PRON", "AUX", "VERB", "ADP", "PROPN", "SCONJ", "PRON", "VERB", "PUNCT"]
    lemmas = ["it", "be", "claim", "by", "Ruiz", "that", "it", "fail", "."]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    cues = find_cues(doc, 0, 0)
    assert len(cues) == 1 and cues[0].speaker is not None
    assert cues[0].speaker.text == "Ruiz"


def test_next_sentence_with_a_report_of_its_own_is_not_the_cue(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        'In his speech earlier Wednesday, Tom Reyes proclaimed a goal of "Peace through '
        'strength." He told an invited crowd at the club that he wants a foreign policy '
        "focused on trade."
    )
    # The rules' quotes: the quotation is the paragraph's topic's, with no cue. (The model's
    # report 'proclaimed a goal of "Peace through strength."' holds it, a nested stance.)
    rules = [q for q in result.quotes if q.rule != "learned"]
    assert [result.text[q.speaker_start : q.speaker_end] for q in rules] == ["Tom Reyes", "He"]
    assert [q.cue for q in rules] == [None, "told"]


def test_reported_clause_opened_by_a_time_phrase(run: Callable[[str], Extraction]) -> None:
    result = run("Reyes said after the convention he would not accept the union endorsement.")
    assert [q.text for q in result.quotes] == [
        "after the convention he would not accept the union endorsement"
    ]
    assert mentions_of(result) == ["Reyes"]


def test_spoke_of_reports_its_topic(run: Callable[[str], Extraction]) -> None:
    result = run("Judge Ana Ruiz spoke of the legacy of segregation in the city's schools.")
    assert [q.text for q in result.quotes] == ["the legacy of segregation in the city's schools"]
    assert mentions_of(result) == ["Judge Ana Ruiz"]
    assert result.quotes[0].cue == "spoke of"


def test_the_press_is_no_person_named_before(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Mayor Ines Pardo said the talks went well.\n\n"
        'The meeting took place at the old fort, which the local press calls "the rock".'
    )
    rock = next(q for q in result.quotes if "rock" in q.text)
    assert rock.speaker is not None
    assert result.speakers[rock.speaker].name == "the local press"


def test_quoted_words_are_not_the_speaker_the_sentence_subject_is(
    run: Callable[[str], Extraction],
) -> None:
    # The parser takes "rest" inside the quotation for the subject of "skip announcing";
    # with no name close by, the he the sentence is about is the speaker.
    text = (
        "Tom Reyes is a coach.\n\n"
        'In short, he gets to keep his odd sayings ("Speed is a gift, rest is a weapon") but '
        "skip announcing a lineup."
    )
    result = run(text)
    assert mentions_of(result) == ["he"]
    assert [result.speakers[q.speaker].name for q in result.quotes if q.speaker is not None] == [
        "Tom Reyes"
    ]


def test_name_before_an_interrupting_cue_is_the_speaker_not_the_name_before_it(
    run: Callable[[str], Extraction],
) -> None:
    # The parser makes "Riel" the subject of "said" and the professor its appositive.
    result = run(
        "To understand the real Louis Riel, Professor Harlan said, one should read his diaries."
    )
    assert mentions_of(result) == ["Harlan"]


def test_participle_on_a_series_of_posts_rests_on_their_issuer(
    run: Callable[[str], Extraction],
) -> None:
    # "sent a string of emails criticizing ...": what was sent is the string, the sender
    # is the one criticizing, not the emails.
    result = run(
        "Mayor Dana Ruiz sent a string of emails criticizing the council budget on Friday."
    )
    assert mentions_of(result) == ["Dana Ruiz"]


def test_participle_after_a_comma_speaks_for_the_main_subject_not_a_relative_clause(
    run: Callable[[str], Extraction],
) -> None:
    # The parser hangs "saying" inside "who said he was cheated after he built ...", but a
    # free adjunct after a comma is the main clause subject's.
    result = run(
        "Mayor Dana Ruiz was defensive when asked about not paying a contractor who said he was "
        'cheated after he built a bridge in the park, saying, "Maybe the work was poor, and I '
        'was not happy with it."'
    )
    assert mentions_of(result)[-1] == "Dana Ruiz"


def test_description_after_an_inverted_phrasal_cue_is_the_speaker(
    run: Callable[[str], Extraction],
) -> None:
    # The parser takes "the resident" for the object of "points out".
    result = run(
        "Maria Castellano opened the shop in 2019. “You are talking about one kind of map "
        "only,” points out the soft-spoken Halifax resident, who moved to Canada 15 years ago."
    )
    assert mentions_of(result) == ["the soft-spoken Halifax resident"]


def test_as_someone_put_it_attributes_the_main_clause(run: Callable[[str], Extraction]) -> None:
    result = run("As the mayor put it, the city is broke and the bridge will have to close.")
    assert spans(result) == [
        ("indirect", "the city is broke and the bridge will have to close", "the mayor")
    ]
    # The clause's own subject, Harbor Transit, is what is reported on, not who reports.
    result = run(
        "As Mayor Dana Ruiz put it at a council meeting in May, Harbor Transit is "
        "''running on fumes and good intentions.''"
    )
    assert mentions_of(result) == ["Dana Ruiz"]
    assert [q.cue for q in result.quotes] == ["put"]


def test_a_percentage_heads_its_subject(run: Callable[[str], Extraction]) -> None:
    """ "85% of Democrats said ...": the tagger marks "%" as punctuation, yet it heads the
    subject, as "percent" does in "40 percent of voters said ..."."""
    text = "In Virginia, 85% of Democrats said the economic system favors the wealthy."
    result = run(text)
    assert [q.text for q in result.quotes] == ["the economic system favors the wealthy"]
    assert mentions_of(result) == ["85% of Democrats"]
    assert result.quotes[0].attribution_class == "speech"
