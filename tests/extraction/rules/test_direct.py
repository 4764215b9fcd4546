"""Direct rules: how quotation marks no reported clause took find a speaker, in order."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.extraction import Extraction, extract
from tests.extraction.rules.helpers import LEAD, stamps


def test_quoted_clause_then_continuation(run: Callable[[str], Extraction]) -> None:
    result = run(
        'Maria Lopez spoke to the crowd. "We will win the vote," she said. '
        '"Nothing will stop us now."'
    )
    # The continuation goes on the same speaker's words across the cue: the two pieces are
    # stored as one quote with two fragments (app/extraction/fragments.py).
    assert stamps(result) == [
        (
            "quoted_clause",
            "pronoun_antecedent",
            "Maria Lopez",
            "We will win the vote \u2026 Nothing will stop us now.",
        ),
    ]
    assert len(result.quotes[0].fragments) == 2
    # Without the continuation rules the next sieve, the paragraph's topic, takes it.
    off = extract(result.text, disabled={"continuation", "continuation_later"})
    assert [(s[0], s[2]) for s in stamps(off)] == [
        ("quoted_clause", "Maria Lopez"),
        ("paragraph_topic", "Maria Lopez"),
    ]


def test_what_the_speaker_was_asked_parts_no_quotation(run: Callable[[str], Extraction]) -> None:
    """'"A," the baker said when asked about it. "B."': the question put to the speaker is a
    cue of the speaker's that reports nothing; B still goes on from A. Another subject's cue
    between the two still parts them."""
    text = LEAD + '"It was very nice," the baker said when asked about it. "She was charming."'
    assert [(s[0], s[2], s[3]) for s in stamps(run(text))] == [
        ("quoted_clause", "the baker", "It was very nice \u2026 She was charming.")
    ]
    parted = LEAD + '"It was very nice," the baker said. The mayor disagreed. "She was rude."'
    assert [s[3] for s in stamps(run(parted))][:1] == ["It was very nice"]


def test_continuation_takes_a_short_whole_sentence(run: Callable[[str], Extraction]) -> None:
    """'"A," Hawker said. "Nobody listened."': two words, but a whole sentence going on from
    her quote, is hers; two words that are no sentence ('"fake news"') are no continuation."""
    text = (
        LEAD + "Dr. Leisha Hawker spoke first. "
        '"We have been sounding the alarm since 2019," Hawker said. "Nobody listened."'
    )
    result = run(text)
    assert [(s[2], s[3]) for s in stamps(result)] == [
        ("Leisha Hawker", "We have been sounding the alarm since 2019 \u2026 Nobody listened.")
    ]
    text = LEAD + 'Tom Hale spoke first. "We lost the vote," Hale said. "fake news"'
    assert [s[3] for s in stamps(run(text))] == ["We lost the vote"]


def test_a_place_in_the_cues_own_sentence_is_no_new_subject(
    run: Callable[[str], Extraction],
) -> None:
    """'"A," said Rob Stone, a 59-year-old from Hilton Head, South Carolina, who voted early.
    "B."': the cue's whole sentence tells of its speaker; B goes on his quote."""
    text = (
        LEAD + '"I was going to vote for her, but I never trusted her," said Rob Stone, a '
        "59-year-old from Hilton Head, South Carolina, who already cast an absentee ballot. "
        '"Every time she opens her mouth, I think she is lying."'
    )
    assert [(s[2], s[3]) for s in stamps(run(text))] == [
        (
            "Rob Stone",
            "I was going to vote for her, but I never trusted her \u2026 Every time she opens "
            "her mouth, I think she is lying.",
        )
    ]


def test_going_on_and_a_noun_modifier_that_is_no_cue(run: Callable[[str], Extraction]) -> None:
    """'"A," Lee went on, as if ...' is a cue like "continued"; "screaming supporters" in a
    cue's sentence is no second cue parting the pieces of a quote."""
    went_on = run(
        LEAD + "Ana Lee spoke last.\n\n"
        '"You know, it happens, right?" Lee went on, as if she did not hear. '
        '"But you have to get over it."'
    )
    assert [s[0] for s in stamps(went_on)] == ["cue_after"]
    assert went_on.quotes[0].cue == "went" and len(went_on.quotes[0].fragments) == 2
    screaming = run(
        LEAD + "Ana Lee won the primary on Saturday.\n\n"
        '"Let us put this thing away," she tells hundreds of screaming supporters at a '
        'party in Spartanburg. "And let us win again."'
    )
    assert [len(q.fragments) for q in screaming.quotes] == [2]


def test_quoted_clause_falls_back_to_cue_after(run: Callable[[str], Extraction]) -> None:
    text = LEAD + '"We will rebuild the bridge," the mayor said.'
    assert [s[0] for s in stamps(run(text))] == ["quoted_clause"]
    assert [s[0] for s in stamps(extract(text, disabled={"quoted_clause"}))] == ["cue_after"]


def test_named_label(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + "He called the decision 'a disgrace' on Monday.")
    assert [(s[0], s[3]) for s in stamps(result)] == [("named_label", "a disgrace")]


def test_layout_speaker(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + 'Jane Doe: "We will rebuild the bridge before winter."')
    assert [s[:3] for s in stamps(result)] == [("layout_speaker", "person_name", "Jane Doe")]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("- Jane Marlow.", "Jane Marlow"),
        ("\u2014 Governor Tom Reyes, in a speech in May", "Tom Reyes"),
    ],
)
def test_layout_speaker_on_the_next_line(
    run: Callable[[str], Extraction], line: str, name: str
) -> None:
    """A fact check's layout: the quotation fills a paragraph, its speaker the next one."""
    text = (
        LEAD
        + '"Almost all new income is going to the top 1 percent."\n\n'
        + line
        + "\n\nIt is not."
    )
    result = run(text)
    assert [s[:3] for s in stamps(result)] == [("layout_speaker", "person_name", name)]
    # Words after the quotation in its own paragraph: no such layout.
    text = LEAD + '"Almost all new income is going to the top." It is not.\n\n' + line
    assert all(s[0] != "layout_speaker" for s in stamps(run(text)))


def test_inscription_has_no_speaker(run: Callable[[str], Extraction]) -> None:
    result = run(LEAD + '"No pay, no port." The slogan, painted on a wall, faced the ships.')
    assert stamps(result) == [("inscription", None, None, "No pay, no port.")]
    assert extract(result.text, disabled={"inscription"}).quotes == ()


def test_inscription_after_the_verb_that_says_what_it_carried(
    run: Callable[[str], Extraction],
) -> None:
    """'"Buses are not a luxury," read one placard': not the previous speaker's words."""
    text = (
        LEAD + "Councillor Rita Moss said the cuts would hurt shift workers most.\n\n"
        '"Buses are not a luxury," read one placard.'
    )
    found = stamps(run(text))
    assert found[-1] == ("inscription", None, None, "Buses are not a luxury")
    off = [s for s in stamps(extract(text, disabled={"inscription"})) if s[3].startswith("Bus")]
    assert off and off[0][2] == "Rita Moss"  # without the rule, the last speaker takes it


def test_inscription_named_before_the_marks(run: Callable[[str], Extraction]) -> None:
    """'A sign taped to the door read: "Closed."': the sign's words, kept with no speaker
    (the quotation had been dropped: "read" with a colon is no cue)."""
    text = (
        LEAD + "Residents lined up at the pumps on Thursday.\n\n"
        'A placard taped to the door of the hardware store read: "Closed. Stay safe. See you."'
    )
    assert stamps(run(text))[-1] == ("inscription", None, None, "Closed. Stay safe. See you.")
    # Several carried words after one verb: each is an inscription.
    signs = LEAD + 'Signs in the crowd read "Safe staffing saves lives" and "We are not robots."'
    assert [s[0] for s in stamps(run(signs))] == ["inscription", "inscription"]
    shirts = LEAD + 'Many wore green T-shirts reading "Safe streets now."'
    assert [s[0] for s in stamps(run(shirts))] == ["inscription"]
    assert all(
        s[3] != "Closed. Stay safe. See you."
        for s in stamps(extract(text, disabled={"inscription"}))
    )


def test_inscription_in_the_next_paragraph_leaves_a_quote_with_its_speaker(
    run: Callable[[str], Extraction],
) -> None:
    """A sign named at the start of the next paragraph does not take the last piece of a
    quote its cue interrupts: '"A," she said. "B."' stays one quote of hers."""
    text = (
        LEAD + "Jenna Hollis was leaving town with her two children and a dog.\n\n"
        '"Last time we were gone for three weeks," she said. "You learn to pack the photo '
        'albums first."\n\n'
        "A sign on the door of the hardware store thanked the firefighters."
    )
    found = [s for s in stamps(run(text)) if s[0] != "learned"]
    assert [s[:3] for s in found] == [("quoted_clause", "pronoun_antecedent", "Jenna Hollis")]
    assert found[0][3].endswith("You learn to pack the photo albums first.")


def test_title_case_work_filter(run: Callable[[str], Extraction]) -> None:
    text = (
        LEAD + "Jane Doe went to the cinema on Sunday. "
        'She loved "The Kid Who Would Be King" and its cast.'
    )
    # No quote of the title: the model may read "loved ... and its cast" as Jane Doe's stance
    # (a belief, reported, not quoted), never as her words.
    found = run(text).quotes
    assert all(q.kind == "indirect" and q.attribution_class != "speech" for q in found)
    assert all(not q.text.startswith('"The Kid') or q.end > q.start + 30 for q in found)
    # The filter stamps nothing; switched off, the title falls to the paragraph's topic.
    off = extract(text, disabled={"title_case_work"})
    assert [s[:3] for s in stamps(off) if s[0] != "learned"] == [
        ("paragraph_topic", "paragraph_topic", "Jane Doe")
    ]


@pytest.mark.parametrize(
    ("quoted", "title"),
    [
        ("The Kid Who Would Be King", True),
        ("Women in Power", True),
        ("Meet the Press", True),
        ("That is Jeb Bush and Marco Rubio.", False),
        ("And let us make America great again.", False),
    ],
)
def test_a_title_leaves_only_minor_words_in_lower_case(quoted: str, title: bool) -> None:
    """Titles capitalise every word but articles, conjunctions and short prepositions: a
    lower-case "is" or "let" makes a sentence of a short quotation full of names."""
    from app.extraction.quotes import is_title_case

    assert is_title_case(quoted) is title


def test_a_sentence_full_of_names_is_still_a_quote(run: Callable[[str], Extraction]) -> None:
    text = (
        '"Two people in this race have the experience to do that," said Rick Wilson, a '
        'strategist from Tampa. "That is Jeb Bush and Marco Rubio."'
    )
    result = run(text)
    assert [len(q.fragments) for q in result.quotes] == [2]
    assert result.quotes[0].text.endswith("That is Jeb Bush and Marco Rubio.")


def test_previous_paragraph_topic(run: Callable[[str], Extraction]) -> None:
    text = (
        LEAD + "Kyrie Irving led Boston with 27 points. Asked about the loss, Irving shrugged."
        "\n\n\"It's one game. We'll see them again.\""
    )
    result = run(text)
    assert [s[1:3] for s in stamps(result)] == [("previous_paragraph_topic", "Kyrie Irving")]
    assert result.quotes[0].confidence == 0.5
    off = extract(text, disabled={"previous_paragraph_topic"})
    assert [s[1:3] for s in stamps(off)] == []


def test_previous_paragraph_topic_needs_a_paragraph_quoting_nobody(
    run: Callable[[str], Extraction],
) -> None:
    # The paragraph before quotes someone else, and the quotation is not its own paragraph.
    result = run(
        LEAD + 'Irving shrugged. "We played hard," Stevens said.\n\n'
        'Then the bus left. "It\'s one game," a fan shouted.'
    )
    assert "previous_paragraph_topic" not in {s[1] for s in stamps(result)}


def test_an_acronym_ner_took_into_a_name_stays_out_of_it(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        LEAD + "The Saskatchewan Union of Nurses (SUN) says its members worked more overtime."
    )
    assert [s.name for s in result.speakers] == ["Saskatchewan Union of Nurses"]


def test_a_relative_clause_cue_describing_the_speaker_does_not_part_a_quote(
    run: Callable[[str], Extraction],
) -> None:
    """'"A," said one strategist who has advised several campaigns. "B."': "advised" reports
    nothing; B is still the strategist's."""
    result = run(
        LEAD + '"He has got two weeks," said one senior GOP strategist who has advised several '
        'campaigns. "After that, I think the party moves on."'
    )
    assert len(result.quotes) == 1
    quote = result.quotes[0]
    assert len(quote.fragments) == 2 and quote.speaker is not None
    assert result.speakers[quote.speaker].name == "one senior GOP strategist"


def test_a_quotation_a_naming_verb_holds_is_its_own_before_a_cue_after_it(
    run: Callable[[str], Extraction],
) -> None:
    """'Ford called the ruling "ridiculous" and said drivers were tired': the quotation is
    what "called" names, not what the "said" after it reports."""
    result = run(
        LEAD + 'Premier Dana Ford called the ruling "ridiculous" and said drivers were tired.'
    )
    label = next(q for q in result.quotes if q.text == "ridiculous")
    assert (label.rule, label.cue) == ("named_label", "called")


def test_a_bare_continued_between_doubled_apostrophes(run: Callable[[str], Extraction]) -> None:
    """ "''To date,'' she continued, ''there hasn't been much interest.''" (two apostrophes
    typed for each double mark, as some papers do): "continued" attributes the quotation."""
    result = run(
        LEAD + "Jane Doe wrote in an analysis that the bill would fail.\n\n"
        "''To date,'' she continued, ''there hasn't been much interest in this in Congress.''"
    )
    last = result.quotes[-1]
    assert last.cue == "continued"
    assert last.speaker is not None and result.speakers[last.speaker].name == "Jane Doe"
