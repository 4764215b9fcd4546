"""Quotation-mark spans: notations, paragraphs, nesting; and which quoted text is speech."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction
from app.extraction.cleanup import find_layout
from app.extraction.quotes import find_marked_quotes


def marked(text: str) -> list[str]:
    layout = find_layout(text)
    return [text[q.start : q.end] for q in find_marked_quotes(text, layout.paragraphs)]


def quote_texts(result: Extraction) -> list[str]:
    return [q.text for q in result.quotes]


def test_straight_curly_and_guillemet_double_quotes() -> None:
    assert marked('He said "we are ready" today.') == ["we are ready"]
    assert marked("He said \u201cwe are ready\u201d today.") == ["we are ready"]
    assert marked("He said \u00abwe are ready\u00bb today.") == ["we are ready"]


def test_two_apostrophes_work_as_a_double_mark() -> None:
    assert marked("''This isn't reform,'' said the economist.") == ["This isn't reform,"]


def test_two_curly_single_marks_work_as_a_double_mark() -> None:
    text = "\u2018\u2019Nobody wins a strike,\u201d the mayor said of the \u2018talks\u2019."
    assert marked(text)[0] == "Nobody wins a strike,"
    text = "\u201cWe sell only local art,\u2019\u2019 says the owner. \u201cThat is it.\u201d"
    assert marked(text) == ["We sell only local art,", "That is it."]


def test_apostrophes_inside_words_do_not_close_single_quotes() -> None:
    assert marked("\u2018We don\u2019t know,\u2019 she said.") == ["We don\u2019t know,"]


def test_nested_quote_stays_inside_the_outer_quote() -> None:
    text = "\u201cShe told me \u2018never again\u2019 and left,\u201d he said."
    assert marked(text) == ["She told me \u2018never again\u2019 and left,"]


def test_curly_quote_nested_in_a_quotation_does_not_end_it() -> None:
    straight = '"She thinks this is an episode of \u201cThe Apprentice.\u201d It is not," he said.'
    assert marked(straight) == [
        "She thinks this is an episode of \u201cThe Apprentice.\u201d It is not,"
    ]
    curly = "\u201cHe has read \u201cThe Road\u201d three times,\u201d Ms. Rowe said."
    assert marked(curly) == ["He has read \u201cThe Road\u201d three times,"]


def test_multi_paragraph_quote_reopens_each_paragraph() -> None:
    text = (
        "Ann Lee said: \u201cThe first part of the plan is simple.\n\n"
        "\u201cThe second part is harder, and it will take years.\u201d\n\n"
        "Then she left."
    )
    layout = find_layout(text)
    quotes = find_marked_quotes(text, layout.paragraphs)
    assert [text[q.start : q.end] for q in quotes] == [
        "The first part of the plan is simple.",
        "The second part is harder, and it will take years.",
    ]
    assert quotes[0].continues and quotes[1].continued


def test_multi_paragraph_quote_keeps_its_speaker(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Ann Lee said: \u201cThe first part of the plan is simple.\n\n"
        "\u201cThe second part is harder, and it will take years.\u201d"
    )
    # One quotation over two paragraphs: one quote in two fragments, Ann Lee's.
    assert len(result.quotes) == 1
    quote = result.quotes[0]
    assert quote.speaker is not None and result.speakers[quote.speaker].name == "Ann Lee"
    assert [result.text[s:e] for s, e in quote.fragments] == [
        "The first part of the plan is simple.",
        "The second part is harder, and it will take years.",
    ]


def test_title_in_quotes_is_not_speech(run: Callable[[str], Extraction]) -> None:
    assert run('The band played "Hey Jude" at the show, which sold out quickly.').quotes == ()


def test_scare_quotes_without_cue_are_not_speech(run: Callable[[str], Extraction]) -> None:
    result = run('The so-called "white elephant" on the hill has been empty for ten years.')
    assert result.quotes == ()


def test_label_quoted_by_a_naming_verb(run: Callable[[str], Extraction]) -> None:
    result = run('Mayor Ann Lee called the new tower "a white elephant" on Monday.')
    assert [q.text for q in result.quotes] == ["a white elephant"]
    assert result.quotes[0].speaker is not None
    assert result.speakers[result.quotes[0].speaker].name == "Ann Lee"


def test_single_quotes_used_for_speech(run: Callable[[str], Extraction]) -> None:
    result = run("\u2018We will rebuild the bridge by spring,\u2019 the mayor said.")
    assert quote_texts(result) == ["We will rebuild the bridge by spring"]


def test_partial_quote_in_reported_clause_is_mixed(run: Callable[[str], Extraction]) -> None:
    text = (
        "Jane Park told reporters that the proposal offers an opportunity "
        "\u201cto pursue negotiations\u201d."
    )
    result = run(text)
    assert len(result.quotes) == 1
    quote = result.quotes[0]
    assert quote.kind == "mixed"
    assert quote.text.startswith("the proposal offers")
    assert quote.text.rstrip("\u201d.").endswith("to pursue negotiations")


def test_quote_opening_reported_clause_is_direct(run: Callable[[str], Extraction]) -> None:
    result = run("Tom Reid said that \u201ctotal victory\u201d was only weeks away.")
    assert [(q.kind, q.text) for q in result.quotes] == [("direct", "total victory")]


def test_a_subject_before_the_quoted_rest_of_a_clause_makes_it_mixed(
    run: Callable[[str], Extraction],
) -> None:
    """'said that retaliation "is not the first tool we reach for."': however much of the
    clause is quoted, its subject is the reporter's word; the quote is the whole clause. A
    joining word before the quoted words ('he said, but "when ..."') is no such word."""
    result = run(
        'Ana Ruiz said in an interview that retaliation "is not the first tool we reach for."'
    )
    assert [(q.kind, q.text) for q in result.quotes] == [
        ("mixed", 'retaliation "is not the first tool we reach for."')
    ]
    joined = run(
        'The senator spoke on Monday. "You know, I like Ben," he said, but "when it comes to '
        'energy, Ben has a history of working for the oil industry."'
    )
    assert {q.kind for q in joined.quotes} == {"direct"}


def test_a_mixed_quote_keeps_both_marks_of_the_words_it_quotes(
    run: Callable[[str], Extraction],
) -> None:
    for text, words in [
        (
            "Mayor Ines Pardo told reporters that the deal offers the city a chance "
            "\u201cto rebuild the harbour\u201d.",
            "\u201cto rebuild the harbour\u201d",
        ),
        (
            'Mayor Ines Pardo told reporters that the deal offers the city a chance "to rebuild '
            'the harbour."',
            '"to rebuild the harbour."',
        ),
    ]:
        result = run(text)
        assert len(result.quotes) == 1, result.quotes
        quote = result.quotes[0]
        assert quote.kind == "mixed"
        assert quote.text.endswith(words), quote.text
        assert result.text[quote.start : quote.end] == quote.text
