"""Mention sieves: which sieve reads a cue's subject, on the real parse and, for the sieves
that repair what NER or the parser missed, on a parse built by hand (so a model change
cannot hide a rule change)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from app.extraction import Extraction, extract
from app.extraction.rules import RULES
from app.extraction.rules.mention import MENTION_ORDER, decide_mention
from app.extraction.speakers import mend_entities
from tests.extraction.rules.helpers import LEAD, hand_parse, stamps


def _read(
    doc: Doc, subject: str, disabled: frozenset[str] = frozenset()
) -> tuple[str | None, str | None, str | None]:
    """(the deciding sieve, the mention's text, its role) for the subject word of a Doc."""
    token = next(t for t in doc if t.text == subject)
    rule_id, mention = decide_mention(token, 0, disabled)
    if mention is None:
        return rule_id, None, None
    return rule_id, mention.text, mention.role


def test_every_mention_sieve_is_a_declared_rule_of_the_stage() -> None:
    assert len(set(MENTION_ORDER)) == len(MENTION_ORDER)
    assert all(RULES[r].stage == "mention" and RULES[r].function for r in MENTION_ORDER)


@pytest.mark.parametrize(
    ("sentence", "subject", "read"),
    [
        ("Jane Doe said the plant would close.", "Doe", ("entity_name", "Jane Doe", None)),
        ("She said the vote would be close.", "She", ("pronoun_mention", "She", None)),
        (
            "Those close to the mayor say she will not run again.",
            "Those",
            ("quantified_group", "Those close to the mayor", None),
        ),
        (
            "The rookie defenceman said the team would recover.",
            "defenceman",
            ("nominal_mention", "The rookie defenceman", None),
        ),
    ],
)
def test_sieve_on_the_real_parse(
    nlp: Language, sentence: str, subject: str, read: tuple[str, str, str | None]
) -> None:
    assert _read(nlp(sentence), subject) == read


def test_switched_off_mention_sieves_reach_extract(run: Callable[[str], Extraction]) -> None:
    text = LEAD + "Those close to the mayor say she will not run for office again."
    assert [(s[0], s[3]) for s in stamps(run(text))] == [
        ("reporting_verb", "she will not run for office again")
    ]
    assert run(text).quotes[0].speaker_start is not None
    assert run(text).quotes[0].speaker is not None
    # With the group sieve off, "Those" is a pronoun that is no speaker: the rules make no
    # quote of the cue, and what the model may read there has no speaker.
    off = extract(text, disabled={"quantified_group"})
    assert not any(q.rule == "reporting_verb" for q in off.quotes)
    assert all(q.speaker is None and q.speaker_rule is None for q in off.quotes)


# What NER or the parser missed, each on the analysis it exists for, built by hand.


def test_untagged_name_after_a_title() -> None:
    # NER tagged nothing in "Securities Commission Chair Priya Nair".
    doc = hand_parse(
        """
        Securities 1 compound PROPN NNP Securities
        Commission 2 compound PROPN NNP Commission
        Chair 4 compound PROPN NNP Chair
        Priya 4 compound PROPN NNP Priya
        Nair 5 nsubj PROPN NNP Nair
        said 5 ROOT VERB VBD say
        the 7 det DET DT the
        rules 9 nsubj NOUN NNS rule
        would 9 aux AUX MD would
        change 5 ccomp VERB VB change
        . 5 punct PUNCT . .
        """
    )
    assert _read(doc, "Nair") == ("untagged_name", "Priya Nair", "Securities Commission Chair")
    assert _read(doc, "Nair", frozenset({"untagged_name"}))[0] == "nominal_mention"


def test_a_person_set_beside_a_place_is_the_speaker_not_the_place(
    run: Callable[[str], Extraction],
) -> None:
    """ "Boston forward Brad Marchand, who scored twice, told ...": the parser makes the city
    the subject with the name beside it, and NER takes the name for a body's; after a person
    noun, a name with a listed given name is a person, and that person speaks, with the
    words before the name as the role. A description holding a name ("Rendell, a Clinton
    surrogate,") keeps its subject."""
    rows = """
        Boston 7 nsubj PROPN NNP Boston
        forward 0 advmod ADV RB forward
        Brad 3 compound PROPN NNP Brad
        Marchand 0 appos PROPN NNP Marchand
        , 3 punct PUNCT , ,
        who 6 nsubj PRON WP who
        scored 3 relcl VERB VBD score
        told 7 ROOT VERB VBD tell
        reporters 7 dobj NOUN NNS reporter
        . 7 punct PUNCT . .
        """
    ents = ["B-GPE", "O", "B-ORG", "I-ORG", "O", "O", "O", "O", "O", "O"]
    doc = hand_parse(rows, ents)
    mend_entities(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Boston", "GPE"),
        ("Brad Marchand", "PERSON"),
    ]
    assert _read(doc, "Boston") == ("appositive_name", "Brad Marchand", "Boston forward")
    result = run(
        LEAD + "Boston forward Brad Marchand, who scored twice, told reporters the loss stung "
        "badly. Rendell, a Clinton surrogate, said he would campaign in Ohio."
    )
    assert [s[2] for s in stamps(result)] == ["Brad Marchand", "Rendell"]
    named_before = run(
        LEAD + "Ed Rendell spoke first. Rendell, a Clinton surrogate, said he would campaign."
    )
    assert [s[2] for s in stamps(named_before)] == ["Ed Rendell"]


def test_untagged_name_after_a_bodys_title_with_a_hyphenated_given_name() -> None:
    # "Treasury Board President France-Élaine Duranceau": NER tagged the body, took the
    # given name's first half for a country and left the rest; the hyphen is no break.
    doc = hand_parse(
        """
        Treasury 1 compound PROPN NNP Treasury
        Board 6 compound PROPN NNP Board
        President 6 compound PROPN NNP President
        France 6 compound PROPN NNP France
        - 6 punct PUNCT HYPH -
        Élaine 6 compound PROPN NNP Élaine
        Duranceau 7 nsubj PROPN NNP Duranceau
        said 7 ROOT VERB VBD say
        """,
        ["B-ORG", "I-ORG", "O", "B-GPE", "O", "O", "O", "O"],
    )
    assert _read(doc, "Duranceau") == (
        "untagged_name",
        "France-Élaine Duranceau",
        "Treasury Board President",
    )


def test_untagged_name_holding_a_possessive_is_the_whole_body() -> None:
    # "The Legislative Analyst's Office has estimated ...": NER tagged nothing and the parser
    # hung "Legislative Analyst's" on "Office" as its possessor.
    doc = hand_parse(
        """
        The 2 det DET DT the
        Legislative 2 compound PROPN NNP Legislative
        Analyst 4 poss PROPN NNP Analyst
        's 2 case PART POS 's
        Office 6 nsubj PROPN NNP Office
        has 6 aux AUX VBZ have
        estimated 6 ROOT VERB VBN estimate
        """
    )
    token = next(t for t in doc if t.text == "Office")
    rule_id, mention = decide_mention(token, 0, frozenset())
    assert rule_id == "untagged_name"
    assert mention is not None and mention.text == "Legislative Analyst's Office"
    assert mention.label == "ORG"
    # A possessor NER tagged as a place is no part of the body's name.
    placed = hand_parse(
        """
        Ontario 2 poss PROPN NNP Ontario
        's 0 case PART POS 's
        Office 3 nsubj PROPN NNP Office
        said 3 ROOT VERB VBD say
        """,
        ["B-GPE", "O", "O", "O"],
    )
    assert _read(placed, "Office")[1] == "Office"


def test_titled_name_after_a_parenthesised_place_in_the_body_name(nlp: Language) -> None:
    # The parser hung "executive director" on "of" and the name beside it as an appositive.
    doc = nlp(
        '"Any increase is too much," Consumers\' Association of Canada (Manitoba) executive '
        "director Gloria Desorcy said."
    )
    read = _read(doc, "Association")
    assert read == (
        "titled_name_of",
        "Gloria Desorcy",
        "Consumers' Association of Canada (Manitoba) executive director",
    )


def test_a_name_ner_took_for_a_body_beside_a_persons_title_is_a_person() -> None:
    # "Its president, Pari Johnston, said": NER tagged the name ORG.
    rows = """
        Its 1 poss PRON PRP$ its
        president 6 nsubj NOUN NN president
        , 1 punct PUNCT , ,
        Pari 4 compound PROPN NNP Pari
        Johnston 1 appos PROPN NNP Johnston
        , 1 punct PUNCT , ,
        said 6 ROOT VERB VBD say
        """
    doc = hand_parse(rows, ["O", "O", "O", "B-ORG", "I-ORG", "O", "O"])
    token = next(t for t in doc if t.text == "president")
    rule_id, mention = decide_mention(token, 0, frozenset())
    assert rule_id == "organisation_appositive"
    assert mention is not None and (mention.text, mention.label) == ("Pari Johnston", "PERSON")
    assert mention.role == "Its president"
    # Beside a noun a body may be ("Its owner, Northern Pulp, said") it stays a body.
    doc = hand_parse(
        rows.replace("president 6 nsubj NOUN NN president", "owner 6 nsubj NOUN NN owner")
        .replace("Pari 4 compound PROPN NNP Pari", "Northern 4 compound PROPN NNP Northern")
        .replace("Johnston 1 appos PROPN NNP Johnston", "Pulp 1 appos PROPN NNP Pulp"),
        ["O", "O", "O", "B-ORG", "I-ORG", "O", "O"],
    )
    token = next(t for t in doc if t.text == "owner")
    assert decide_mention(token, 0, frozenset())[1].label == "ORG"  # type: ignore[union-attr]


def test_a_presidents_name_ner_took_for_a_body_names_a_person_of_that_body(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "Colleges and Institutes Canada said its members had lost billions.\n\n"
        'Its president, Pari Johnston, said the cut would "hollow out" programs.\n\n'
        '"Instead it is hitting everyone," Johnston said.'
    )
    result = run(text)
    people = [s for s in result.speakers if s.kind == "person"]
    assert [(s.name, s.role) for s in people] == [
        ("Pari Johnston", "president of Colleges and Institutes Canada")
    ]
    assert all(
        result.speakers[q.speaker].name == "Pari Johnston"
        for q in result.quotes
        if q.speaker is not None and q.start > text.index("Its president")
    )


def test_a_possessed_body_is_an_organisation_speaker(run: Callable[[str], Extraction]) -> None:
    text = (
        LEAD + "The Legislative Analyst's Office has estimated that the state faces deficits "
        "of $20 billion a year. Its report warned that health costs would consume new revenue."
    )
    result = run(text)
    said = [q for q in result.quotes if q.text.startswith("the state faces")]
    assert said and said[0].speaker is not None
    speaker = result.speakers[said[0].speaker]
    assert (speaker.name, speaker.kind) == ("Legislative Analyst's Office", "organisation")


def test_compound_person_before_an_institution_word_is_a_body_named_for_them() -> None:
    # "William Osler Health System said": NER tagged the first two words a person.
    rows = """
        William 3 compound PROPN NNP William
        Osler 3 compound PROPN NNP Osler
        Health 3 compound PROPN NNP Health
        System 4 nsubj PROPN NNP System
        said 4 ROOT VERB VBD say
        """
    ents = ["B-PERSON", "I-PERSON", "O", "O", "O"]
    assert _read(hand_parse(rows, ents), "System") == (
        "compound_person",
        "William Osler Health System",
        None,
    )
    # A person noun after the name leaves the person the speaker.
    chief = rows.replace("System 4 nsubj PROPN NNP System", "Chief 4 nsubj PROPN NNP Chief")
    assert _read(hand_parse(chief, ents), "Chief")[:2] == ("compound_person", "William Osler")


def test_organisation_appositive_names_the_body_a_description_stands_for() -> None:
    # "The mill's owner, Northern Pulp and Paper, blamed ...": the body NER named after the
    # comma is the speaker, not a person "owner" might refer back to.
    rows = """
        The 1 det DET DT the
        mill 3 poss NOUN NN mill
        's 1 case PART POS 's
        owner 10 nsubj NOUN NN owner
        , 3 punct PUNCT , ,
        Northern 6 compound PROPN NNP Northern
        Pulp 3 appos PROPN NNP Pulp
        and 6 cc CCONJ CC and
        Paper 6 conj PROPN NNP Paper
        , 3 punct PUNCT , ,
        blamed 10 ROOT VERB VBD blame
        """
    ents = ["O", "O", "O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O"]
    assert _read(hand_parse(rows, ents), "owner") == (
        "organisation_appositive",
        "Northern Pulp and Paper",
        "mill's owner",
    )
    off = _read(hand_parse(rows, ents), "owner", frozenset({"organisation_appositive"}))
    assert off[0] == "nominal_mention"


def test_a_headlines_capitalised_noun_is_no_name() -> None:
    # A deck: "Province says cap is lower than inflation" (no article, so "Province" is a
    # proper noun to the tagger); it is the description "province", not a person.
    rows = """
        Province 1 nsubj PROPN NNP Province
        says 1 ROOT VERB VBZ say
        cap 3 nsubj NOUN NN cap
        is 1 ccomp AUX VBZ be
        lower 3 acomp ADJ JJR low
        """
    assert _read(hand_parse(rows), "Province") == ("nominal_mention", "Province", None)
    named = rows.replace("Province 1 nsubj PROPN NNP Province", "Ottawa 1 nsubj PROPN NNP Ottawa")
    assert _read(hand_parse(named), "Ottawa")[0] == "untagged_name"


def test_a_name_coordinated_before_a_name_is_no_role() -> None:
    # "Erin and Jordan Hart escaped ...": the parser hangs "Erin and Jordan" on "Hart"; the
    # first given name and "and" are no title of Jordan Hart's.
    rows = """
        Erin 3 nmod PROPN NNP Erin
        and 0 cc CCONJ CC and
        Jordan 0 conj PROPN NNP Jordan
        Hart 4 nsubj PROPN NNP Hart
        escaped 4 ROOT VERB VBD escape
        """
    ents = ["B-PERSON", "O", "B-PERSON", "I-PERSON", "O"]
    assert _read(hand_parse(rows, ents), "Hart") == ("entity_name", "Jordan Hart", None)


def test_verb_tagged_name() -> None:
    # "Trump this week also said ...": the tagger read the surname as the verb "trump".
    doc = hand_parse(
        """
        Trump 4 nsubj VERB VB trump
        this 2 det DET DT this
        week 0 npadvmod NOUN NN week
        also 4 advmod ADV RB also
        said 4 ROOT VERB VBD say
        he 6 nsubj PRON PRP he
        would 7 aux AUX MD would
        run 4 ccomp VERB VB run
        . 4 punct PUNCT . .
        """
    )
    assert _read(doc, "Trump") == ("verb_tagged_name", "Trump", None)
    # Without it a verb is no speaker.
    assert _read(doc, "Trump", frozenset({"verb_tagged_name"}))[1] is None


def test_a_gerund_subject_is_no_name() -> None:
    doc = hand_parse(
        """
        Voting 1 nsubj VERB VBG vote
        is 1 ROOT AUX VBZ be
        a 3 det DET DT a
        right 1 attr NOUN NN right
        . 1 punct PUNCT . .
        """
    )
    assert _read(doc, "Voting")[0] != "verb_tagged_name"


def test_appositive_proper_noun_ner_missed() -> None:
    # "Her dad, Darrin, said ...": NER missed "Darrin".
    doc = hand_parse(
        """
        Her 1 poss PRON PRP$ her
        dad 5 nsubj NOUN NN dad
        , 1 punct PUNCT , ,
        Darrin 1 appos PROPN NNP Darrin
        , 1 punct PUNCT , ,
        said 5 ROOT VERB VBD say
        it 7 nsubj PRON PRP it
        was 5 ccomp AUX VBD be
        a 9 det DET DT a
        gift 7 attr NOUN NN gift
        . 5 punct PUNCT . .
        """
    )
    assert _read(doc, "dad") == ("appositive_proper_noun", "Darrin", "dad")
    # Without it the description is the speaker.
    assert _read(doc, "dad", frozenset({"appositive_proper_noun"})) == (
        "nominal_mention",
        "Her dad",
        None,
    )


def test_appositive_full_name_read_as_a_date_beside_any_noun() -> None:
    """ "His agent, Ritchie Winter, said ...": NER read the name as a place and a date, and
    "agent" is no listed person noun; a full name with a listed given name, set after a
    comma beside a singular noun, is the speaker and the noun the role."""
    rows = """
        His 1 poss PRON PRP$ his
        agent 6 nsubj NOUN NN agent
        , 1 punct PUNCT , ,
        Ritchie 4 compound PROPN NNP Ritchie
        Winter 1 appos PROPN NNP Winter
        , 1 punct PUNCT , ,
        said 6 ROOT VERB VBD say
        he 8 nsubj PRON PRP he
        was 6 ccomp AUX VBD be
        ready 8 acomp ADJ JJ ready
        . 6 punct PUNCT . .
        """
    ents = ["O", "O", "O", "B-GPE", "B-DATE", "O", "O", "O", "O", "O", "O"]
    doc = hand_parse(rows, ents)
    assert _read(doc, "agent") == ("appositive_proper_noun", "Ritchie Winter", "agent")
    assert _read(doc, "agent", frozenset({"appositive_proper_noun"}))[1] == "His agent"
    # A single word, or a name with no listed given name, beside an unlisted noun: no name.
    doc = hand_parse(rows.replace("Ritchie", "Zqxv"), ents)
    assert _read(doc, "agent")[1] == "His agent"


def test_a_split_hyphenated_title_keeps_the_first_pieces_modifiers() -> None:
    """ "The union's regional vice - president, Angela Preston, warned": the parser hung the
    possessor and the adjective on "vice"; the role is the whole title, and the lower-case
    possessor is left to the speaker book (which drops it or names the body)."""
    doc = hand_parse(
        """
        The 1 det DET DT the
        union 4 poss NOUN NN union
        's 1 case PART POS 's
        regional 4 amod ADJ JJ regional
        vice 11 nsubj NOUN NN vice
        - 4 punct PUNCT HYPH -
        president 11 nsubj NOUN NN president
        , 6 punct PUNCT , ,
        Angela 9 compound PROPN NNP Angela
        Preston 6 appos PROPN NNP Preston
        , 6 punct PUNCT , ,
        warned 11 ROOT VERB VBD warn
        . 11 punct PUNCT . .
        """,
        ["O", "O", "O", "O", "O", "O", "O", "O", "B-PERSON", "I-PERSON", "O", "O", "O"],
    )
    assert _read(doc, "president") == (
        "appositive_name",
        "Angela Preston",
        "union's regional vice-president",
    )


def test_dateline_made_the_subject() -> None:
    # The parser made the dateline the subject and the speaker its appositive.
    doc = hand_parse(
        """
        WASHINGTON 5 nsubj PROPN NNP WASHINGTON
        -- 0 punct PUNCT : --
        President 4 compound PROPN NNP President
        Jane 4 compound PROPN NNP Jane
        Doe 0 appos PROPN NNP Doe
        said 5 ROOT VERB VBD say
        the 7 det DET DT the
        deal 8 nsubj NOUN NN deal
        was 5 ccomp AUX VBD be
        done 8 acomp ADJ JJ done
        . 5 punct PUNCT . .
        """,
        ents=["B-GPE", "O", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O"],
    )
    rule_id, text, _role = _read(doc, "WASHINGTON")
    assert (rule_id, text) == ("dateline_appositive", "Jane Doe")
    # Without it, the place's appositive is still read as the person beside it; without
    # that too, the place passes on to the untagged-name reading.
    assert _read(doc, "WASHINGTON", frozenset({"dateline_appositive"}))[:2] == (
        "appositive_name",
        "Jane Doe",
    )
    both = frozenset({"dateline_appositive", "appositive_name"})
    assert _read(doc, "WASHINGTON", both)[:2] == ("untagged_name", "WASHINGTON")


def test_titled_name_of_takes_the_person_at_the_end_of_an_of_phrase() -> None:
    """ "Court of King's Bench Justice Anne Morrow said": the parser makes "Court" the subject
    and the judge its "of" object; the speaker is the judge, the words before her name her
    role. An "of" phrase that names no titled person leaves the subject alone."""
    rows = """
Court 8 nsubj NOUN NN court
of 0 prep ADP IN of
King 7 poss PROPN NNP King
's 2 case PART POS 's
Bench 5 compound PROPN NNP Bench
Justice 7 compound PROPN NNP Justice
Anne 7 compound PROPN NNP Anne
Morrow 1 pobj PROPN NNP Morrow
said 8 ROOT VERB VBD say
"""
    ents = ["O", "O", "O", "O", "O", "O", "B-PERSON", "I-PERSON", "O"]
    assert _read(hand_parse(rows, ents), "Court") == (
        "titled_name_of",
        "Anne Morrow",
        "Court of King's Bench Justice",
    )
    off = _read(hand_parse(rows, ents), "Court", frozenset({"titled_name_of"}))
    assert off[0] != "titled_name_of" and off[1] != "Anne Morrow"
    untitled = rows.replace(
        "Justice 7 compound PROPN NNP Justice", "Clerk 7 compound NOUN NN clerk"
    )
    assert _read(hand_parse(untitled, ents), "Court")[0] != "titled_name_of"


def test_titled_name_of_reads_before_the_entity_of_a_body_ner_cut_short() -> None:
    """ "Assembly of First Nations National Chief Jane Roe said": NER tags the body's words up
    to the title as an organisation, yet the speaker is the chief. A plural head is a group
    of people, not a title's body ("Friends of Premier Jane Roe say")."""
    rows = """
Assembly 8 nsubj NOUN NN assembly
of 0 prep ADP IN of
First 3 compound PROPN NNP First
Nations 6 compound PROPN NNP Nations
National 5 compound PROPN NNP National
Chief 6 compound PROPN NNP Chief
Jane 7 compound PROPN NNP Jane
Roe 1 pobj PROPN NNP Roe
said 8 ROOT VERB VBD say
"""
    ents = ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-PERSON", "I-PERSON", "O"]
    assert _read(hand_parse(rows, ents), "Assembly") == (
        "titled_name_of",
        "Jane Roe",
        "Assembly of First Nations National Chief",
    )
    off = _read(hand_parse(rows, ents), "Assembly", frozenset({"titled_name_of"}))
    assert off[:2] == ("entity_name", "Assembly of First Nations National")
    friends = """
Friends 5 nsubj NOUN NNS friend
of 0 prep ADP IN of
Premier 4 compound PROPN NNP Premier
Jane 4 compound PROPN NNP Jane
Roe 1 pobj PROPN NNP Roe
say 5 ROOT VERB VBP say
"""
    ents = ["O", "O", "O", "B-PERSON", "I-PERSON", "O"]
    assert _read(hand_parse(friends, ents), "Friends")[0] != "titled_name_of"


def test_appositive_name_keeps_a_position_the_parser_read_as_an_adverb() -> None:
    """ "Vegas forward Jack Eichel, who ..., said": the parser made "Vegas" the subject,
    "forward" an adverb on it and the name an appositive; the role is all the words before
    the name, not "Vegas". With a comma before the name the description alone is the role."""
    rows = """
Vegas 6 nsubj PROPN NNP Vegas
forward 0 advmod ADV RB forward
Jack 3 compound PROPN NNP Jack
Eichel 0 appos PROPN NNP Eichel
, 3 punct PUNCT , ,
scored 3 relcl VERB VBD score
said 6 ROOT VERB VBD say
"""
    ents = ["O", "O", "B-PERSON", "I-PERSON", "O", "O", "O"]
    assert _read(hand_parse(rows, ents), "Vegas") == (
        "appositive_name",
        "Jack Eichel",
        "Vegas forward",
    )
    comma = """
doctor 5 nsubj NOUN NN doctor
, 0 punct PUNCT , ,
Hugh 3 compound PROPN NNP Hugh
Hill 0 appos PROPN NNP Hill
, 3 punct PUNCT , ,
said 5 ROOT VERB VBD say
"""
    ents = ["O", "O", "B-PERSON", "I-PERSON", "O", "O"]
    assert _read(hand_parse(comma, ents), "doctor") == ("appositive_name", "Hugh Hill", "doctor")


def test_nominal_mention_drops_a_relative_antecedent_the_parser_ran_in() -> None:
    """ "a decision trustees said would save ...": "a" cannot go with "trustees"; the
    speaker is the trustees."""
    rows = """
a 2 det DET DT a
decision 2 compound NOUN NN decision
trustees 3 nsubj NOUN NNS trustee
said 3 ROOT VERB VBD say
"""
    assert _read(hand_parse(rows), "trustees") == ("nominal_mention", "trustees", None)
    rows = """
the 2 det DET DT the
school 2 compound NOUN NN school
trustees 3 nsubj NOUN NNS trustee
said 3 ROOT VERB VBD say
"""
    assert _read(hand_parse(rows), "trustees") == ("nominal_mention", "the school trustees", None)


def test_coordinated_body_name_on_a_hand_built_parse() -> None:
    # NER left the department untagged; the parser hung "Harbours and Waters" on "Canada".
    rows = """
Harbours 3 nmod PROPN NNP Harbours
and 0 cc CCONJ CC and
Waters 0 conj PROPN NNP Waters
Canada 4 nsubj PROPN NNP Canada
said 4 ROOT VERB VBD say
. 4 punct PUNCT . .
"""
    doc = hand_parse(rows)
    assert _read(doc, "Canada") == ("coordinated_body_name", "Harbours and Waters Canada", None)
    off = _read(doc, "Canada", frozenset({"coordinated_body_name"}))
    assert off[0] != "coordinated_body_name" and off[1] != "Harbours and Waters Canada"
    # Places listed together stay places; a person's name is never a department's.
    places = """
Ontario 4 nsubj PROPN NNP Ontario
and 0 cc CCONJ CC and
British 3 compound PROPN NNP British
Columbia 0 conj PROPN NNP Columbia
said 4 ROOT VERB VBD say
. 4 punct PUNCT . .
"""
    doc = hand_parse(places, ["B-GPE", "O", "B-GPE", "I-GPE", "O", "O"])
    assert _read(doc, "Ontario")[0] != "coordinated_body_name"
    couple = """
Kim 4 nsubj PROPN NNP Kim
and 0 cc CCONJ CC and
Clark 3 compound PROPN NNP Clark
Moran 0 conj PROPN NNP Moran
said 4 ROOT VERB VBD say
. 4 punct PUNCT . .
"""
    doc = hand_parse(couple, ["B-PERSON", "O", "B-PERSON", "I-PERSON", "O", "O"])
    assert _read(doc, "Kim")[0] != "coordinated_body_name"


def test_coordinated_body_name_gives_the_whole_department(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        LEAD + "According to Environment and Climate Change Canada, less than 10 per cent "
        "of plastic used in the country gets recycled.\n\n"
        "Immigration, Refugees and Citizenship Canada said the rules would change in May."
    )
    speakers = [result.speakers[q.speaker] for q in result.quotes if q.speaker is not None]
    assert [(s.name, s.kind, s.role) for s in speakers] == [
        ("Environment and Climate Change Canada", "organisation", None),
        ("Immigration, Refugees and Citizenship Canada", "organisation", None),
    ]


def test_a_surname_tagged_as_a_pronoun_is_a_name() -> None:
    # "Prather said ...": the tagger called the surname a pronoun.
    rows = """
Prather 1 nsubj PRON PRP Prather
said 1 ROOT VERB VBD say
it 3 nsubj PRON PRP it
rained 1 ccomp VERB VBD rain
. 1 punct PUNCT . .
"""
    doc = hand_parse(rows)
    assert _read(doc, "Prather") == ("pronoun_mention", "Prather", None)
    mention = decide_mention(doc[0], 0)[1]
    assert mention is not None and mention.kind == "name"
    pronoun = decide_mention(doc[2], 0)[1]  # "it" stays a pronoun mention
    assert pronoun is not None and pronoun.kind == "pronoun"


def test_a_plural_noun_ner_called_an_organisation_is_a_group() -> None:
    """ "Radiologists warned ..." (NER: an organisation): a plural common noun is a group
    described, not a body's name; a one-word organisation's name stays one."""
    rows = """
        Radiologists 1 nsubj NOUN NNS radiologist
        warned 1 ROOT VERB VBD warn
        that 5 mark SCONJ IN that
        machines 5 nsubj NOUN NNS machine
        will 5 aux AUX MD will
        fail 1 ccomp VERB VB fail
        . 1 punct PUNCT . .
        """
    doc = hand_parse(rows, ["B-ORG", "O", "O", "O", "O", "O", "O"])
    assert _read(doc, "Radiologists") == ("nominal_mention", "Radiologists", None)
    doc = hand_parse(
        rows.replace(
            "Radiologists 1 nsubj NOUN NNS radiologist", "Unifor 1 nsubj PROPN NNP Unifor"
        ),
        ["B-ORG", "O", "O", "O", "O", "O", "O"],
    )
    assert _read(doc, "Unifor")[:2] == ("entity_name", "Unifor")


def test_a_counted_member_of_a_group_speaks(run: Callable[[str], Extraction]) -> None:
    """'"...," one of them said' and 'One of the workers said ...' had no speaker (a number
    is no noun): the counted member is an unnamed speaker of their own."""
    result = run(
        LEAD + "Staff lost access within an hour, according to two workers who asked not to "
        'be named.\n\n"It was 11 minutes long. Nobody took questions," one of them said.\n\n'
        "One of the workers said the severance was fair."
    )
    found = [(s[0], s[1], s[2]) for s in stamps(result)]
    assert found[1:] == [
        ("quoted_clause", "new_description", "one of them"),
        ("reporting_verb", "new_description", "one of the workers"),
    ]
    assert all(not s.named for s in result.speakers)


def test_a_body_name_set_off_after_a_description_however_it_is_parsed() -> None:
    """ "The union representing teachers, the Fédération des syndicats de l'enseignement,
    said": NER tags only "Fédération", the parser reads "syndicats" as a verb; the words set
    off by the commas are the body's name, the description its role."""
    rows = """
        The 1 det DET DT the
        union 12 nsubj NOUN NN union
        representing 1 acl VERB VBG represent
        teachers 2 dobj NOUN NNS teacher
        , 8 punct PUNCT , ,
        the 7 det DET DT the
        Fédération 7 compound PROPN NNP Fédération
        des 8 nsubj X FW des
        syndicats 1 appos VERB VBZ syndicats
        de 10 compound X FW de
        l'enseignement 8 dobj PROPN NNP l'enseignement
        , 8 punct PUNCT , ,
        said 12 ROOT VERB VBD say
        . 12 punct PUNCT . .
        """
    ents = ["O", "O", "O", "O", "O", "O", "B-ORG", "O", "O", "O", "O", "O", "O", "O"]
    doc = hand_parse(rows, ents)
    assert _read(doc, "union") == (
        "organisation_appositive",
        "Fédération des syndicats de l'enseignement",
        "union representing teachers",
    )


def test_an_appositive_of_punctuation_alone_is_no_name() -> None:
    # A parse seen in the training split: a punctuation mark hung on a body noun as its
    # appositive (the set-off name reading once raised StopIteration on it).
    doc = hand_parse(
        """
        The 1 det DET DT the
        union 4 nsubj NOUN NN union
        , 1 punct PUNCT , ,
        - 1 appos PUNCT : -
        said 4 ROOT VERB VBD say
        . 4 punct PUNCT . .
        """
    )
    assert _read(doc, "union") == ("nominal_mention", "The union", None)


def test_a_headlines_place_before_a_plural_noun_is_a_group_not_a_titled_person() -> None:
    # "Ontario nurses say staffing is worse ...": the parser made the place the subject and
    # the plural noun its appositive; the speaker is the group, not a person "Ontario" whose
    # role is "nurses".
    rows = """
        Ontario 2 nsubj PROPN NNP Ontario
        nurses 0 appos NOUN NNS nurse
        say 2 ROOT VERB VBP say
        staffing 4 nsubj NOUN NN staffing
        is 2 ccomp AUX VBZ be
        worse 4 acomp ADJ JJR bad
        """
    assert _read(hand_parse(rows), "Ontario") == (
        "place_modified_group",
        "Ontario nurses",
        None,
    )
    # A comma makes the plural a description set beside the subject: not this sieve's.
    comma = rows.replace(
        "nurses 0 appos NOUN NNS nurse", ", 0 punct PUNCT , ,\n nurses 0 appos NOUN NNS nurse"
    )
    comma = comma.replace("say 2 ROOT", "say 3 ROOT").replace("Ontario 2 nsubj", "Ontario 3 nsubj")
    comma = comma.replace("staffing 4 nsubj", "staffing 5 nsubj").replace(
        "is 2 ccomp", "is 3 ccomp"
    )
    comma = comma.replace("worse 4 acomp", "worse 5 acomp")
    assert _read(hand_parse(comma), "Ontario")[0] != "place_modified_group"


def test_a_place_modified_group_in_a_headline_is_the_speaker(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Ontario nurses say hospital staffing crisis is worse than government admits\n\n"
        "TORONTO — The union says hospitals are short of staff."
    )
    first = result.quotes[0]
    assert first.speaker is not None
    speaker = result.speakers[first.speaker]
    assert speaker.name == "Ontario nurses" and speaker.role is None


def test_a_name_inside_an_indefinite_description_of_a_person_is_not_the_speaker() -> None:
    # "A Sobeys spokesperson said ...": NER tagged the grocer PERSON; with the article
    # before it, the name only says whose spokesperson speaks.
    rows = """
        A 2 det DET DT a
        Sobeys 2 compound PROPN NNP Sobeys
        spokesperson 3 nsubj NOUN NN spokesperson
        said 3 ROOT VERB VBD say
        """
    ents = ["O", "B-PERSON", "O", "O"]
    assert _read(hand_parse(rows, ents), "spokesperson") == (
        "nominal_mention",
        "A Sobeys spokesperson",
        None,
    )
    # A document's author is still the one named ("a Dana Lee tweet said").
    tweet = rows.replace("spokesperson 3 nsubj NOUN NN spokesperson", "tweet 3 nsubj NOUN NN tweet")
    assert _read(hand_parse(tweet, ents), "tweet")[0] != "nominal_mention"


def test_a_spokesperson_for_a_name_the_parser_made_a_second_subject() -> None:
    # "A spokesperson for Health Minister Ana Ruiz said ...": the parser left "for" without
    # its object and made the name another subject of "said"; the mention is the whole.
    rows = """
        A 1 det DET DT a
        spokesperson 7 nsubj NOUN NN spokesperson
        for 1 prep ADP IN for
        Health 4 compound PROPN NNP Health
        Minister 6 compound PROPN NNP Minister
        Ana 6 compound PROPN NNP Ana
        Ruiz 7 nsubj PROPN NNP Ruiz
        said 7 ROOT VERB VBD say
        """
    ents = ["O", "O", "O", "O", "O", "B-PERSON", "I-PERSON", "O"]
    assert _read(hand_parse(rows, ents), "spokesperson") == (
        "nominal_mention",
        "A spokesperson for Health Minister Ana Ruiz",
        None,
    )


def test_organisation_appositive_after_a_modifier_of_the_name() -> None:
    # "The developer, Edmonton-based Landmark Homes, said": a modifier of the name stands
    # between the comma and the body NER named.
    rows = """
        The 1 det DET DT the
        developer 9 nsubj NOUN NN developer
        , 1 punct PUNCT , ,
        Edmonton 5 npadvmod PROPN NNP Edmonton
        - 5 punct PUNCT HYPH -
        based 7 amod VERB VBN base
        Landmark 7 compound PROPN NNP Landmark
        Homes 1 appos PROPN NNP Homes
        , 1 punct PUNCT , ,
        said 9 ROOT VERB VBD say
        """
    ents = ["O", "O", "O", "B-GPE", "O", "O", "B-ORG", "I-ORG", "O", "O"]
    assert _read(hand_parse(rows, ents), "developer")[:2] == (
        "organisation_appositive",
        "Landmark Homes",
    )
    # A noun of its own between them ("The developer, a unit of Landmark Homes,"): not this.
    unit = rows.replace("based 7 amod VERB VBN base", "unit 7 nmod NOUN NN unit")
    assert _read(hand_parse(unit, ents), "developer")[0] != "organisation_appositive"


def test_a_name_before_a_plural_noun_or_police_is_whose_group_speaks() -> None:
    # "Peel police said ...", "Clinton aides said ...": NER tagged the word a person; the
    # group of theirs speaks, not the person.
    rows = """
        Peel 1 compound PROPN NNP Peel
        police 2 nsubj NOUN NNS police
        said 2 ROOT VERB VBD say
        """
    ents = ["B-PERSON", "O", "O"]
    assert _read(hand_parse(rows, ents), "police") == ("nominal_mention", "Peel police", None)
    aides = rows.replace("police 2 nsubj NOUN NNS police", "aides 2 nsubj NOUN NNS aide")
    assert _read(hand_parse(aides, ents), "aides")[1] == "Peel aides"
    # One noun in the singular keeps the name: "police Chief" is the person's title.
    chief = rows.replace("police 2 nsubj NOUN NNS police", "adviser 2 nsubj NOUN NN adviser")
    assert _read(hand_parse(chief, ents), "adviser")[0] == "compound_person"


def test_a_group_including_one_named_person_is_that_persons_mention() -> None:
    # "Others, including law professor Errol Mendes, said ...": the one person named speaks;
    # a group with no one named is read without the comma after it.
    rows = """
        Others 7 nsubj NOUN NNS other
        , 0 punct PUNCT , ,
        including 0 prep VERB VBG include
        law 4 compound NOUN NN law
        professor 6 compound NOUN NN professor
        Errol 6 compound PROPN NNP Errol
        Mendes 2 pobj PROPN NNP Mendes
        said 7 ROOT VERB VBD say
        """
    ents = ["O", "O", "O", "O", "O", "B-PERSON", "I-PERSON", "O"]
    rule_id, text, _ = _read(hand_parse(rows, ents), "Others")
    assert (rule_id, text) == ("quantified_group", "Errol Mendes")
    judges = """
        Others 6 nsubj NOUN NNS other
        , 0 punct PUNCT , ,
        including 0 prep VERB VBG include
        two 5 nummod NUM CD two
        former 5 amod ADJ JJ former
        judges 2 pobj NOUN NNS judge
        , 0 punct PUNCT , ,
        said 7 ROOT VERB VBD say
        """
    judges = judges.replace("Others 6 nsubj", "Others 7 nsubj")
    assert _read(hand_parse(judges), "Others")[:2] == (
        "quantified_group",
        "Others, including two former judges",
    )


def test_a_title_ner_tagged_a_person_passes_to_the_name_beside_it() -> None:
    # "Her MLA, Eric Redhead, said ...": NER tagged the title alone a person.
    rows = """
        Her 1 poss PRON PRP$ her
        MLA 6 nsubj PROPN NNP MLA
        , 1 punct PUNCT , ,
        Eric 4 compound PROPN NNP Eric
        Redhead 1 appos PROPN NNP Redhead
        , 1 punct PUNCT , ,
        said 6 ROOT VERB VBD say
        """
    ents = ["O", "B-PERSON", "O", "B-PERSON", "I-PERSON", "O", "O"]
    assert _read(hand_parse(rows, ents), "MLA")[:2] == ("appositive_name", "Eric Redhead")
