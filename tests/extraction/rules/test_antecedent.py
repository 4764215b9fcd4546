"""Antecedent sieves: which sieve chose the person a he/she refers to, on a speaker book
filled by hand (what the names sieves and the quotes found so far would leave), and through
extract."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction, extract
from app.extraction.rules import RULES
from app.extraction.rules.resolve.antecedent import ANTECEDENT_ORDER, decide_antecedent
from app.extraction.speakers import Gender, SpeakerBook
from tests.extraction.rules.helpers import LEAD, hand_parse, stamps


def _person(book: SpeakerBook, name: str, at: int, gender: Gender, *, subject: bool = False) -> int:
    index = book.add_name(name, at, subject=subject)
    assert index is not None
    book.vote_gender(index, gender, 10)
    return index


def test_every_antecedent_sieve_is_a_declared_resolve_rule() -> None:
    assert len(set(ANTECEDENT_ORDER)) == len(ANTECEDENT_ORDER)
    assert all(RULES[r].stage == "resolve" and RULES[r].function for r in ANTECEDENT_ORDER)


def test_sole_person_of_the_sentence_before_comes_first() -> None:
    book = SpeakerBook()
    hale = _person(book, "Tom Hale", 0, "m", subject=True)
    book.spoke(hale, 10)
    dunn = _person(book, "Mark Dunn", 100, "m")
    assert decide_antecedent(book, 200, "he", prefer=dunn) == ("antecedent_sole_person", dunn)
    # Unless the pronoun's own report names him.
    assert decide_antecedent(book, 200, "he", prefer=dunn, exclude=frozenset({dunn})) == (
        "antecedent_current_speaker",
        hale,
    )


def test_current_speaker_keeps_the_person_quoted_last() -> None:
    book = SpeakerBook()
    hale = _person(book, "Tom Hale", 0, "m", subject=True)
    book.spoke(hale, 10)
    # Three men named since, none as a subject: the ranking alone would take the nearest.
    for offset, name in enumerate(["Ian Marsh", "Lee Park", "Omar Said"]):
        _person(book, name, 100 + 50 * offset, "m")
    assert decide_antecedent(book, 300, "he") == ("antecedent_current_speaker", hale)
    chosen = decide_antecedent(book, 300, "he", disabled=frozenset({"antecedent_current_speaker"}))
    assert chosen[0] == "antecedent_ranked" and chosen[1] != hale


def test_current_speaker_gives_way_to_a_new_subject_and_ignores_quotes_in_passing() -> None:
    book = SpeakerBook()
    hale = _person(book, "Tom Hale", 0, "m", subject=True)
    book.spoke(hale, 10)
    marsh = _person(book, "Ian Marsh", 100, "m", subject=True)
    assert decide_antecedent(book, 200, "he") == ("antecedent_current_speaker", marsh)
    # "Although Marsh has said ...": quoted in a subordinate clause, not the speaker now.
    book.spoke(marsh, 150, aside=True)
    assert decide_antecedent(book, 200, "he") == ("antecedent_current_speaker", marsh)


def test_a_quoted_person_of_the_other_gender_leaves_the_choice_to_the_ranking() -> None:
    book = SpeakerBook()
    lee = _person(book, "Ann Lee", 0, "f")
    hale = _person(book, "Tom Hale", 50, "m", subject=False)
    book.spoke(hale, 60)
    assert decide_antecedent(book, 200, "she") == ("antecedent_ranked", lee)


def test_ranked_answers_nobody_when_no_individual_fits() -> None:
    book = SpeakerBook()
    _person(book, "Tom Hale", 0, "m")
    assert decide_antecedent(book, 200, "she") == ("antecedent_ranked", None)
    assert decide_antecedent(book, 200, "she", disabled=frozenset(ANTECEDENT_ORDER)) == (
        None,
        None,
    )


def test_switched_off_antecedent_sieves_reach_extract(run: Callable[[str], Extraction]) -> None:
    text = LEAD + (
        '"We are ready for the storm," said Tom Hale. The mayor thanked Dan Cole, Eli Brand '
        "and Omar Reyes. Sandbags were piled along the river all night. He added that more "
        "help would come."
    )
    # Three other men were named since (so the choice is flagged as a guess: pronoun_rival),
    # none as a subject: the speaker quoted last is kept.
    assert stamps(run(text))[-1][2] == "Tom Hale"
    off = extract(text, disabled={"antecedent_current_speaker"})
    assert stamps(off)[-1][2] not in {"Tom Hale", None}


def test_she_after_a_name_the_parser_made_the_root(run: Callable[[str], Extraction]) -> None:
    """'Linda Parker, whose son Evan died ..., watched from the front row. She said ...': the
    parser made the name the sentence's root and "watched" a participle on it; she is still
    the sentence's subject, and "son Evan" is a man, so "She" is hers and not the senator's
    quoted before."""
    result = run(
        "The committee voted 19-9. Sen. Maria Cantwell said the vote was a promise kept.\n\n"
        '"They came to this room year after year," Cantwell said.\n\n'
        "Linda Parker, whose son Evan died when a freighter sank in 2019, watched from the "
        "front row. She said she had flown in from Maine for the vote."
    )
    last = stamps(result)[-1]
    assert last[:3] == ("reporting_verb", "pronoun_antecedent", "Linda Parker")


def test_a_root_name_with_a_participle_after_a_comma_is_a_subject() -> None:
    from app.extraction.speakers import _subject_role

    doc = hand_parse(
        """
        Linda 1 compound PROPN NNP Linda
        Parker 1 ROOT PROPN NNP Parker
        , 1 punct PUNCT , ,
        watched 1 acl VERB VBN watch
        from 3 prep ADP IN from
        the 6 det DET DT the
        row 4 pobj NOUN NN row
        . 1 punct PUNCT . .
        """
    )
    assert _subject_role(doc[1]) == (True, False)
    # Without the comma the participle is a description of the name ("Linda Parker
    # watched by millions"): no subject.
    doc = hand_parse(
        """
        Linda 1 compound PROPN NNP Linda
        Parker 1 ROOT PROPN NNP Parker
        watched 1 acl VERB VBN watch
        by 2 agent ADP IN by
        millions 3 pobj NOUN NNS million
        . 1 punct PUNCT . .
        """
    )
    assert _subject_role(doc[1]) == (False, False)
