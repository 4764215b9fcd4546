"""Layout rules: quotes set off by the page's layout rather than by a cue."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction, extract
from tests.extraction.rules.helpers import LEAD, stamps


def test_transcript_line(run: Callable[[str], Extraction]) -> None:
    text = "Jane Doe arrived in Ottawa on Monday.\n\nJANE DOE: Well, look, we never said that."
    result = run(text)
    assert [s[:3] for s in stamps(result)] == [("transcript_line", "person_name", "Jane Doe")]
    assert extract(text, disabled={"transcript_line"}).quotes == ()


def test_transcript_answer_with_a_scare_quoted_word(run: Callable[[str], Extraction]) -> None:
    """An answer that puts one word in marks ('It talks about "affordable" rents') is still
    the interviewee's line (it had been dropped, the marks left to a learned report)."""
    text = (
        LEAD + "We asked Carolyn Whitman, a housing policy expert, what the plan means.\n\n"
        "Q: Who will these homes be for?\n\n"
        'Whitman: That is the big question. The plan talks about "affordable" rents, but it '
        "defines affordable as 80 per cent of market rent."
    )
    found = [s for s in stamps(run(text)) if s[0] == "transcript_line"]
    assert [s[2] for s in found] == ["Carolyn Whitman"]
    assert found[0][3].startswith("That is the big question.")
    assert found[0][3].endswith("80 per cent of market rent.")


def test_interview_answers_are_the_interviewees(run: Callable[[str], Extraction]) -> None:
    """ "Q:" / "A:" lines: each answer is the person the introduction named, its mention
    that name; a report read inside an answer is the answer's own words."""
    text = (
        "Q&A: Why your grocery bill is still going up\n\n"
        "Food prices rose 3.4 per cent over the year. We asked Sylvain Charlebois, director "
        "of the Agri-Food Analytics Lab at Dalhousie University, what is going on.\n\n"
        "Q: Are grocers making too much money?\n\n"
        "A: Margins have gone up a little, but not enough to explain what we see at the till. "
        "I think people want a villain.\n\n"
        "Q: What can shoppers do?\n\n"
        "A: Buy what is in season and do not be afraid of store brands."
    )
    result = run(text)
    answers = [q for q in result.quotes if q.rule == "interview_answer"]
    assert [q.text[:20] for q in answers] == ["Margins have gone up", "Buy what is in seaso"]
    for quote in answers:
        assert quote.speaker is not None and quote.kind == "direct"
        speaker = result.speakers[quote.speaker]
        assert speaker.name == "Sylvain Charlebois"
        assert speaker.role == "director of the Agri-Food Analytics Lab at Dalhousie University"
        assert text[quote.speaker_start : quote.speaker_end] == "Sylvain Charlebois"
    inside = [q for q in result.quotes if answers[0].start < q.start < answers[0].end]
    assert inside == []
    assert not any(
        q.rule == "interview_answer" for q in extract(text, disabled={"interview_answer"}).quotes
    )
    # The one the introduction is about, not whoever it names last.
    about = run(
        "Immigration debate hits home for actress Diane Guerrero\n\n"
        "Actress Diane Guerrero has become a familiar face through her role as Maritza Ramos "
        "on a prison drama. Guerrero spoke to us about her new book.\n\n"
        "Q: What did you find when you came home?\n\n"
        "A: My parents were gone, and a neighbour told me they had been taken away."
    )
    answered = [q for q in about.quotes if q.rule == "interview_answer"]
    assert [about.speakers[q.speaker].name for q in answered if q.speaker is not None] == [
        "Diane Guerrero"
    ]
    # With no one named before the first question, the answers have no speaker to give.
    anonymous = run("Prices rose again.\n\nQ: Why?\n\nA: Beef prices are at record highs now.")
    assert not any(q.rule == "interview_answer" for q in anonymous.quotes)
