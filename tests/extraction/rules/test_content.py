"""Content sieves: which sieve decides a cue's reported span, on the real parse and, for the
sieves that repair a bad parse, on a parse built by hand (so a parser change cannot hide a
rule change)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from app.extraction import Extraction, extract
from app.extraction.attribution import _split_around_cue
from app.extraction.rules import RULES
from app.extraction.rules.content import CONTENT_ORDER, decide_content
from app.extraction.rules.mention import MENTION_ORDER
from tests.extraction.rules.helpers import LEAD, hand_parse, stamps


def _decided(
    doc: Doc, verb: str, disabled: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """(the deciding sieve, the content's text) for the verb `verb` of a Doc."""
    token = next(t for t in doc if t.text == verb)
    rule_id, span = decide_content(token, 0, disabled)
    return rule_id, doc.text[span[0] : span[1]] if span is not None else None


def test_every_content_sieve_is_a_declared_rule_of_the_stage() -> None:
    assert len(set(CONTENT_ORDER)) == len(CONTENT_ORDER)
    assert all(RULES[r].stage == "content" and RULES[r].function for r in CONTENT_ORDER)


@pytest.mark.parametrize(
    ("sentence", "verb", "decided"),
    [
        ("The mayor did not say the bridge would close.", "say", ("negated_or_passive", None)),
        (
            "A spokesperson declined to comment on reports that the plant would close.",
            "comment",
            ("declined_to_say", None),
        ),
        ("The Greens will argue that the tax is unfair.", "argue", ("forecast", None)),
        (
            "She had been diagnosed and told she had months to live.",
            "told",
            ("told_passive", None),
        ),
        (
            "The minister proposed dropping the tax.",
            "proposed",
            ("proposal_gerund", "dropping the tax"),
        ),
        (
            "The union urged members to stay at home on Friday.",
            "urged",
            ("infinitive_content", "members to stay at home on Friday"),
        ),
        (
            "The senator questioned whether the plan would work.",
            "questioned",
            ("question_content", "the plan would work"),
        ),
        ("A reporter asked what he would do next.", "asked", ("embedded_question", None)),
        (
            "The mayor said the bridge would reopen in May.",
            "said",
            ("complement_clause", "the bridge would reopen in May"),
        ),
        (
            "The plan, he said, is dead.",
            "said",
            ("interrupted_clause", "The plan, he said, is dead"),
        ),
    ],
)
def test_sieve_on_the_real_parse(
    nlp: Language, sentence: str, verb: str, decided: tuple[str, str | None]
) -> None:
    assert _decided(nlp(sentence), verb) == decided


def test_a_switched_off_sieve_is_skipped(run: Callable[[str], Extraction]) -> None:
    text = LEAD + "The mayor did not say the bridge would close before the winter."
    assert run(text).quotes == ()
    # Without the refusal the complement sieve reports the clause.
    off = extract(text, disabled={"negated_or_passive"})
    assert [(s[0], s[3]) for s in stamps(off)] == [
        ("reporting_verb", "the bridge would close before the winter")
    ]
    said = LEAD + "The mayor said the bridge would reopen in May after the repairs."
    assert [s[3] for s in stamps(run(said))] == ["the bridge would reopen in May after the repairs"]
    assert [q.rule for q in extract(said, disabled={"complement_clause"}).quotes] in (
        [],
        ["learned"],
    )


# Parse repairs, each on the bad parse it exists for, built by hand.


def test_addressee_clause_on_a_relative_clause_parse() -> None:
    # "he attached ..." parsed as a relative clause of "detectives".
    doc = hand_parse(
        """
        The 1 det DET DT the
        police 2 nsubj NOUN NN police
        told 2 ROOT VERB VBD tell
        detectives 2 dobj NOUN NNS detective
        he 5 nsubj PRON PRP he
        attached 3 relcl VERB VBD attach
        plates 5 dobj NOUN NNS plate
        to 5 prep ADP IN to
        his 9 poss PRON PRP$ his
        car 7 pobj NOUN NN car
        . 2 punct PUNCT . .
        """
    )
    assert _decided(doc, "told") == ("addressee_clause", "he attached plates to his car")
    assert _decided(doc, "told", frozenset({"addressee_clause"})) == (None, None)
    # A verb that addresses nobody: "added two tournaments he had not played" reports no
    # clause (a quote had been made of the relative clause, its speaker the next subject).
    doc = hand_parse(
        """
        Poulter 1 nsubj PROPN NNP Poulter
        added 1 ROOT VERB VBD add
        two 3 nummod NUM CD two
        tournaments 1 dobj NOUN NNS tournament
        he 7 nsubj PRON PRP he
        had 7 aux AUX VBD have
        not 7 neg PART RB not
        played 3 relcl VERB VBN play
        . 1 punct PUNCT . .
        """
    )
    assert _decided(doc, "added")[0] != "addressee_clause"


def test_that_clause_on_noun_on_an_acl_parse() -> None:
    # "that the plant would close" hung on "statement" as a clause of the noun.
    doc = hand_parse(
        """
        The 1 det DET DT the
        agency 2 nsubj NOUN NN agency
        said 2 ROOT VERB VBD say
        in 2 prep ADP IN in
        a 5 det DET DT a
        statement 3 pobj NOUN NN statement
        that 10 mark SCONJ IN that
        the 8 det DET DT the
        plant 10 nsubj NOUN NN plant
        would 10 aux AUX MD would
        close 5 acl VERB VB close
        . 2 punct PUNCT . .
        """
    )
    assert _decided(doc, "said") == ("that_clause_on_noun", "the plant would close")
    assert _decided(doc, "said", frozenset({"that_clause_on_noun"})) == (None, None)


def test_that_clause_on_noun_skips_a_clause_inside_an_aside() -> None:
    # "The council voted to freeze fares, despite warnings that the plan would cost $4
    # million": the that-clause belongs to the warnings, an aside beside the cue, not to
    # what the council did; "in a statement that ..." stays the cue's.
    rows = """
        The 1 det DET DT the
        council 2 nsubj NOUN NN council
        said 2 ROOT VERB VBD say
        , 2 punct PUNCT , ,
        despite 2 prep ADP IN despite
        warnings 4 pobj NOUN NNS warning
        that 10 mark SCONJ IN that
        the 8 det DET DT the
        plan 10 nsubj NOUN NN plan
        would 10 aux AUX MD would
        fail 5 acl VERB VB fail
        . 2 punct PUNCT . .
        """
    assert _decided(hand_parse(rows), "said")[0] != "that_clause_on_noun"
    inside = rows.replace("despite 2 prep ADP IN despite", "in 2 prep ADP IN in")
    assert _decided(hand_parse(inside), "said") == ("that_clause_on_noun", "the plan would fail")


def test_that_clause_on_noun_when_that_is_read_as_a_passive_verbs_object() -> None:
    # "told reporters at the scene that the shooting appeared to be targeted": the parser
    # made the clause a relative one of "scene" and "that" the object of "targeted", a
    # passive verb that takes none; the clause is what was told.
    rows = """
        Johnson 1 nsubj PROPN NNP Johnson
        told 1 ROOT VERB VBD tell
        reporters 1 dobj NOUN NNS reporter
        at 1 prep ADP IN at
        the 5 det DET DT the
        scene 3 pobj NOUN NN scene
        that 12 dobj PRON WDT that
        the 8 det DET DT the
        shooting 9 nsubj NOUN NN shooting
        appeared 5 relcl VERB VBD appear
        to 12 aux PART TO to
        be 12 auxpass AUX VB be
        targeted 9 xcomp VERB VBN target
        . 1 punct PUNCT . .
        """
    assert _decided(hand_parse(rows), "told") == (
        "that_clause_on_noun",
        "the shooting appeared to be targeted",
    )
    # "that" the object of an active verb opens a true relative clause: nothing decided.
    active = rows.replace("be 12 auxpass AUX VB be", "be 12 aux AUX VB be")
    assert _decided(hand_parse(active), "told")[0] != "that_clause_on_noun"


def test_stranded_clause_on_a_parse_that_hangs_it_on_the_later_cue() -> None:
    # "funding was short" made the complement of "noted", "admitted" an adverbial of "was".
    doc = hand_parse(
        """
        While 2 mark SCONJ IN while
        he 2 nsubj PRON PRP he
        admitted 4 advcl VERB VBD admit
        funding 4 nsubj NOUN NN funding
        was 8 ccomp AUX VBD be
        short 4 acomp ADJ JJ short
        , 8 punct PUNCT , ,
        Ham 8 nsubj PROPN NNP Ham
        noted 8 ROOT VERB VBD note
        the 10 det DET DT the
        delay 8 dobj NOUN NN delay
        . 8 punct PUNCT . .
        """
    )
    assert _decided(doc, "admitted") == ("stranded_clause", "funding was short")
    # The later cue does not take the stranded clause for its own.
    assert _decided(doc, "noted") == (None, None)


def test_subject_as_content_on_a_two_subject_parse() -> None:
    # "The people who stay ..." parsed as a second subject of "said" beside "he".
    doc = hand_parse(
        """
        The 1 det DET DT the
        people 10 nsubj NOUN NNS people
        who 3 nsubj PRON WP who
        stay 1 relcl VERB VBP stay
        tend 3 acomp VERB VBP tend
        to 6 aux PART TO to
        be 4 xcomp AUX VB be
        there 6 advmod ADV RB there
        , 10 punct PUNCT , ,
        he 10 nsubj PRON PRP he
        said 10 ROOT VERB VBD say
        . 10 punct PUNCT . .
        """
    )
    assert _decided(doc, "said") == ("subject_as_content", "The people who stay tend to be there")
    assert _decided(doc, "said", frozenset({"subject_as_content"})) == (None, None)


def test_interrupted_clause_is_no_purpose_infinitive() -> None:
    # "Regulars have been stopping by all week to say goodbye.": "to say" is the purpose of
    # the visits, not a cue set into the clause.
    doc = hand_parse(
        """
        Regulars 3 nsubj NOUN NNS regular
        have 3 aux AUX VBP have
        been 3 aux AUX VBN be
        stopping 3 ROOT VERB VBG stop
        by 3 prt ADP RP by
        all 6 det DET DT all
        week 3 npadvmod NOUN NN week
        to 8 aux PART TO to
        say 3 advcl VERB VB say
        goodbye 8 dobj NOUN NN goodbye
        . 3 punct PUNCT . .
        """
    )
    assert _decided(doc, "say")[0] != "interrupted_clause"


def test_clause_as_object_on_a_noun_phrase_parse() -> None:
    # "said the depot supplied fuel to the troops" parsed as "said [the depot-supplied fuel]".
    doc = hand_parse(
        """
        The 1 det DET DT the
        source 2 nsubj NOUN NN source
        said 2 ROOT VERB VBD say
        the 6 det DET DT the
        depot 6 amod NOUN NN depot
        supplied 6 amod VERB VBN supply
        fuel 2 dobj NOUN NN fuel
        to 6 prep ADP IN to
        the 9 det DET DT the
        troops 7 pobj NOUN NNS troop
        . 2 punct PUNCT . .
        """
    )
    assert _decided(doc, "said") == ("clause_as_object", "the depot supplied fuel to the troops")
    assert _decided(doc, "said", frozenset({"clause_as_object"})) == (None, None)
    # An object with a participle before its noun and none before that is an object.
    doc = hand_parse(
        """
        She 1 nsubj PRON PRP she
        said 1 ROOT VERB VBD say
        the 4 det DET DT the
        rehearsed 4 amod VERB VBN rehearse
        lines 1 dobj NOUN NNS line
        . 1 punct PUNCT . .
        """
    )
    assert _decided(doc, "said")[0] != "clause_as_object"


def test_clause_as_object_when_the_object_is_a_share() -> None:
    # "said 68 per cent of members who voted rejected the deal": "rejected" parsed as a
    # relative clause of "cent", "voted" as its auxiliary.
    doc = hand_parse(
        """
        Simpson 1 nsubj PROPN NNP Simpson
        said 1 ROOT VERB VBD say
        68 4 nummod NUM CD 68
        per 4 compound ADP IN per
        cent 1 dobj NOUN NN cent
        of 4 prep ADP IN of
        members 5 pobj NOUN NNS member
        who 9 nsubj PRON WP who
        voted 9 aux AUX VBD vote
        rejected 4 relcl VERB VBN reject
        the 11 det DET DT the
        deal 9 dobj NOUN NN deal
        . 1 punct PUNCT . .
        """
    )
    assert _decided(doc, "said") == (
        "clause_as_object",
        "68 per cent of members who voted rejected the deal",
    )


def test_clause_as_object_when_its_verb_is_read_as_a_participle() -> None:
    # "said the effect held even after ...": "held" parsed as a participle on "effect".
    doc = hand_parse(
        """
        Verma 1 nsubj PROPN NNP Verma
        said 1 ROOT VERB VBD say
        the 3 det DET DT the
        effect 1 dobj NOUN NN effect
        held 3 acl VERB VBN hold
        for 4 prep ADP IN for
        women 5 pobj NOUN NNS woman
        . 1 punct PUNCT . .
        """
    )
    assert _decided(doc, "said") == ("clause_as_object", "the effect held for women")


def test_clause_as_object_when_its_subject_is_read_as_a_second_subject() -> None:
    # "Leblanc said surveys that ask people how long they sleep are unreliable": "surveys"
    # parsed as a second subject of "said", "are" hung on "ask".
    doc = hand_parse(
        """
        Leblanc 1 nsubj PROPN NNP Leblanc
        said 1 ROOT VERB VBD say
        surveys 1 nsubj NOUN NNS survey
        that 4 nsubj PRON WDT that
        ask 2 relcl VERB VBP ask
        people 4 dobj NOUN NNS people
        are 4 ccomp AUX VBP be
        unreliable 6 acomp ADJ JJ unreliable
        . 1 punct PUNCT . .
        """
    )
    assert _decided(doc, "said") == (
        "clause_as_object",
        "surveys that ask people are unreliable",
    )


def test_clause_before_conjoined_cue_on_a_conjunct_parse() -> None:
    # "The province will buy six machines, the minister announced Monday." with the cue
    # parsed as a conjunct of "buy" and the comma hung on the cue.
    rows = """
        The 1 det DET DT the
        province 3 nsubj NOUN NN province
        will 3 aux AUX MD will
        buy 3 ROOT VERB VB buy
        six 6 nummod NUM CD six
        new 6 amod ADJ JJ new
        machines 3 dobj NOUN NNS machine
        , 10 punct PUNCT , ,
        the 9 det DET DT the
        minister 10 nsubj NOUN NN minister
        announced 3 conj VERB VBD announce
        Monday 10 npadvmod PROPN NNP Monday
        . 10 punct PUNCT . .
        """
    doc = hand_parse(rows)
    assert _decided(doc, "announced") == (
        "clause_before_conjoined_cue",
        "The province will buy six new machines",
    )
    assert _decided(doc, "announced", frozenset({"clause_before_conjoined_cue"})) == (None, None)
    # With "and" before it the cue is a clause of its own: "..., and the minister announced".
    doc = hand_parse(
        """
        The 1 det DET DT the
        province 3 nsubj NOUN NN province
        will 3 aux AUX MD will
        buy 3 ROOT VERB VB buy
        six 6 nummod NUM CD six
        new 6 amod ADJ JJ new
        machines 3 dobj NOUN NNS machine
        , 3 punct PUNCT , ,
        and 3 cc CCONJ CC and
        the 10 det DET DT the
        minister 11 nsubj NOUN NN minister
        announced 3 conj VERB VBD announce
        Monday 11 npadvmod PROPN NNP Monday
        . 11 punct PUNCT . .
        """
    )
    assert _decided(doc, "announced")[0] != "clause_before_conjoined_cue"


def test_a_comment_set_off_after_a_trailing_cue_is_no_content() -> None:
    # "The city will cut fares, the mayor announced Monday, a move riders say will help."
    # with "say" hung on the cue as a second complement after the comma.
    rows = """
        The 1 det DET DT the
        city 3 nsubj NOUN NN city
        will 3 aux AUX MD will
        cut 8 ccomp VERB VB cut
        fares 3 dobj NOUN NNS fare
        , 8 punct PUNCT , ,
        the 7 det DET DT the
        mayor 8 nsubj NOUN NN mayor
        announced 8 ROOT VERB VBD announce
        Monday 8 npadvmod PROPN NNP Monday
        , 8 punct PUNCT , ,
        a 13 det DET DT a
        move 13 compound NOUN NN move
        riders 14 nsubj NOUN NNS rider
        say 8 ccomp VERB VBP say
        will 16 aux AUX MD will
        help 14 ccomp VERB VB help
        . 8 punct PUNCT . .
        """
    doc = hand_parse(rows)
    assert _decided(doc, "announced") == ("complement_clause", "The city will cut fares")
    # Without the comma before it, a clause after the cue is its content as usual.
    doc = hand_parse(
        """
        The 1 det DET DT the
        mayor 2 nsubj NOUN NN mayor
        announced 2 ROOT VERB VBD announce
        fares 5 nsubj NOUN NNS fare
        will 5 aux AUX MD will
        fall 2 ccomp VERB VB fall
        . 2 punct PUNCT . .
        """
    )
    assert _decided(doc, "announced") == ("complement_clause", "fares will fall")


def test_a_relative_that_fronted_over_the_cue_is_no_part_of_the_content(
    nlp: Language,
) -> None:
    doc = nlp(
        "House Republicans released a tax overhaul that they said would cut rates for most "
        "families and simplify the code."
    )
    assert _decided(doc, "said") == (
        "complement_clause",
        "would cut rates for most families and simplify the code",
    )


def test_a_relative_pronoun_given_to_the_cue_as_a_second_subject(
    run: Callable[[str], Extraction],
) -> None:
    # "fees, which they said cost ...": the parser made "which" a subject of "said" and the
    # reported verb an xcomp; "they" say it.
    text = (
        LEAD + "Senators pressed the bank executives on Thursday over overdraft fees, which "
        "they said cost low-income customers billions of dollars a year."
    )
    result = run(text)
    said = [q for q in result.quotes if q.cue == "said"]
    assert [q.text for q in said] == ["cost low-income customers billions of dollars a year"]
    assert said[0].speaker is not None
    assert result.speakers[said[0].speaker].name.lower() == "senators"


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "The government said it had committed $1.2 billion to the reef and rejected "
            "suggestions that it was not doing enough.",
            "it had committed $1.2 billion to the reef",
        ),
        (
            "The premier said the increase was the lowest in years and accused the previous "
            "government of leaving the utility in debt.",
            "the increase was the lowest in years",
        ),
        # A named subject may do what the conjunct says ("Lee lied and accused him"); quoted
        # words in the conjunct do not make it part of the report.
        (
            "The premier said Lee lied and accused him of fraud.",
            "Lee lied and accused him of fraud",
        ),
        (
            'The premier said the increase was small and accused them of leaving "a mess."',
            "the increase was small",
        ),
    ],
)
def test_a_conjunct_in_the_narrative_past_is_no_part_of_the_report(
    nlp: Language, sentence: str, content: str
) -> None:
    assert _decided(nlp(sentence), "said") == ("complement_clause", content)


@pytest.mark.parametrize(
    ("sentence", "fragments"),
    [
        # A reason hung on the parenthetical cue after it is the report's second half.
        (
            "The plan failed, she said on Monday, because the council never funded it.",
            ["The plan failed", "because the council never funded it"],
        ),
        # A verbless phrase that spells the report out goes on with it ...
        (
            "The suspect had two interviews, officials said, the first by a consular officer "
            "and the second by an immigration officer.",
            [
                "The suspect had two interviews",
                "the first by a consular officer and the second by an immigration officer",
            ],
        ),
        # ... but a phrase about the speaker does not.
        (
            "The plan was a mistake, he said, eyes welling up with tears.",
            ["The plan was a mistake"],
        ),
    ],
)
def test_what_follows_a_parenthetical_cue(
    run: Callable[[str], Extraction], sentence: str, fragments: list[str]
) -> None:
    text = LEAD + sentence
    quotes = run(text).quotes
    assert len(quotes) == 1
    assert [text[s:e] for s, e in quotes[0].fragments] == fragments


def test_a_content_split_inside_a_hyphenated_word_runs_on_over_it(
    run: Callable[[str], Extraction],
) -> None:
    # The tokenizer splits "co-operating"; the parser hangs "- operating with police" on the
    # cue as clauses of their own.
    result = run(
        LEAD + "The bank said in a statement posted on X that it had reimbursed all affected "
        "clients and was co-operating with police."
    )
    assert [q.text for q in result.quotes] == [
        "it had reimbursed all affected clients and was co-operating with police"
    ]


_GERUND_SUBJECT = """
    Concealing 5 advcl VERB VBG conceal
    the 2 det DET DT the
    emails 0 dobj NOUN NNS email
    , 7 punct PUNCT , ,
    he 5 nsubj PRON PRP he
    told 5 ROOT VERB VBD tell
    senators 5 dobj NOUN NNS senator
    , 5 punct PUNCT , ,
    would 10 aux AUX MD would
    have 10 aux AUX VB have
    been 5 ccomp AUX VBN be
    catastrophic 10 acomp ADJ JJ catastrophic
    . 5 punct PUNCT . .
    """


def test_a_gerund_before_an_interrupting_cue_is_the_subject_of_what_follows() -> None:
    # "Concealing the emails, he told senators, would have been catastrophic." with the
    # gerund hung on the cue as an adverbial: it is the reported clause's subject.
    doc = hand_parse(_GERUND_SUBJECT)
    rule_id, span = decide_content(doc[5], 0, frozenset())
    assert rule_id == "complement_clause" and span is not None
    assert doc.text[span[0] : span[1]] == (
        "Concealing the emails, he told senators, would have been catastrophic"
    )
    parts = _split_around_cue(doc[5], span, 0)
    assert [doc.text[s:e] for s, e in parts] == [
        "Concealing the emails",
        "would have been catastrophic",
    ]
    # "Looking back, she said, the plan was a mistake": an opening participle beside a
    # clause with a subject of its own is an adverbial, and stays out of the report.
    doc = hand_parse(
        """
        Looking 4 advcl VERB VBG look
        back 0 advmod ADV RB back
        , 4 punct PUNCT , ,
        she 4 nsubj PRON PRP she
        said 4 ROOT VERB VBD say
        , 4 punct PUNCT , ,
        the 7 det DET DT the
        plan 8 nsubj NOUN NN plan
        was 4 ccomp AUX VBD be
        a 10 det DET DT a
        mistake 8 attr NOUN NN mistake
        . 4 punct PUNCT . .
        """
    )
    rule_id, span = decide_content(doc[4], 0, frozenset())
    assert span is not None and doc.text[span[0] : span[1]] == "the plan was a mistake"


def test_a_report_its_cue_interrupts_is_one_mixed_quote(run: Callable[[str], Extraction]) -> None:
    text = (
        LEAD + 'Concealing the new emails from Congress, he told senators, would have been "'
        'catastrophic."'
    )
    told = [q for q in run(text).quotes if q.cue == "told"]
    assert [(q.kind, q.text, len(q.fragments)) for q in told] == [
        (
            "mixed",
            'Concealing the new emails from Congress \u2026 would have been "catastrophic."',
            2,
        )
    ]


def test_the_sieves_are_declared_as_soon_as_extraction_is_imported() -> None:
    # A fresh process: the sieves are reached lazily from attribution and speakers, so the
    # pipeline must declare them, or `disabled={"complement_clause"}` would be refused.
    script = (
        "import app.extraction\n"
        "from app.extraction.rules import RULES, checked_disabled\n"
        "checked_disabled({'complement_clause', 'entity_name'})\n"
        "print(sum(r.stage in {'content', 'mention'} for r in RULES.values()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == str(len(CONTENT_ORDER) + len(MENTION_ORDER))


def test_a_phrasal_verb_the_tagger_took_for_an_adjective_is_still_a_clause() -> None:
    """ "Most infections clear up, she said": "clear" tagged ADJ, but its particle and its
    subject make it a clause, for a cue after it and for one that interrupts it."""
    after = hand_parse(
        """
        Most 1 amod ADJ JJ most
        infections 2 nsubj NOUN NNS infection
        clear 6 ccomp ADJ JJ clear
        up 2 prt ADP RP up
        , 6 punct PUNCT , ,
        she 6 nsubj PRON PRP she
        said 6 ROOT VERB VBD say
        . 6 punct PUNCT . .
        """
    )
    assert _decided(after, "said") == ("complement_clause", "Most infections clear up")
    interrupted = hand_parse(
        """
        Most 1 amod ADJ JJ most
        infections 2 nsubj NOUN NNS infection
        clear 2 ROOT ADJ JJ clear
        up 2 prt ADP RP up
        , 6 punct PUNCT , ,
        she 6 nsubj PRON PRP she
        said 2 parataxis VERB VBD say
        , 6 punct PUNCT , ,
        and 2 cc CCONJ CC and
        doctors 11 nsubj NOUN NNS doctor
        can 11 aux AUX MD can
        help 2 conj VERB VB help
        . 11 punct PUNCT . .
        """
    )
    rule_id, text = _decided(interrupted, "said")
    assert rule_id == "interrupted_clause"
    assert text is not None and text.startswith("Most infections clear up")
    # Without a particle an adjective is no verb: "Most infections clear, she said" is left.
    bare = hand_parse(
        """
        Most 1 amod ADJ JJ most
        infections 2 nsubj NOUN NNS infection
        clear 5 ccomp ADJ JJ clear
        , 5 punct PUNCT , ,
        she 5 nsubj PRON PRP she
        said 5 ROOT VERB VBD say
        . 5 punct PUNCT . .
        """
    )
    assert _decided(bare, "said")[1] is None


def test_the_day_words_were_said_is_no_part_of_what_was_said(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        LEAD + "Natural Resources Minister Amarjeet Sohi said Monday the government remains "
        "committed to consultation.\n\nHe told reporters in Ottawa Tuesday afternoon it came "
        "from the driver.\n\nShe said Monday was the worst day of her life."
    )
    assert [q.text for q in result.quotes] == [
        "the government remains committed to consultation",
        "it came from the driver",
        "Monday was the worst day of her life",
    ]


def test_a_content_runs_on_over_a_colon_to_its_sentence_end(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        LEAD + "The report notes that three things are happening at once: home values are "
        "rising, interest rates are low and lenders are looser.\n\nIt was quiet."
    )
    assert [q.text for q in result.quotes] == [
        "three things are happening at once: home values are rising, interest rates are low "
        "and lenders are looser"
    ]


def test_a_second_that_clause_after_but_is_part_of_the_content() -> None:
    # "He told reporters after the meeting that he backs transit but that council has to be
    # honest": the parser hung the first clause on "meeting" and the second on the cue as a
    # conjunct of its own; the speaker said both.
    rows = """
        He 1 nsubj PRON PRP he
        told 1 ROOT VERB VBD tell
        reporters 1 dobj NOUN NNS reporter
        after 1 prep ADP IN after
        the 5 det DET DT the
        meeting 3 pobj NOUN NN meeting
        that 8 mark PRON WDT that
        he 8 nsubj PRON PRP he
        backs 5 relcl VERB VBZ back
        transit 8 dobj NOUN NN transit
        but 1 cc CCONJ CC but
        that 12 det DET DT that
        council 13 nsubj NOUN NN council
        has 1 conj VERB VBZ have
        to 15 aux PART TO to
        be 13 xcomp AUX VB be
        honest 15 acomp ADJ JJ honest
        . 1 punct PUNCT . .
        """
    assert _decided(hand_parse(rows), "told") == (
        "that_clause_on_noun",
        "he backs transit but that council has to be honest",
    )
    # "..., and that's something ...": a demonstrative pronoun opens the writer's comment.
    comment = rows.replace("that 12 det DET DT that", "that 13 nsubj PRON DT that")
    assert _decided(hand_parse(comment), "told")[1] == "he backs transit"


def test_that_clause_read_as_a_relative_clause_of_the_addressee() -> None:
    # "Smith told a news conference that Albertans deserve to decide the question": the
    # parser made the clause a relative one of "conference", "that" the object of "decide",
    # which has its own object; the clause is what was told.
    rows = """
        Smith 1 nsubj PROPN NNP Smith
        told 1 ROOT VERB VBD tell
        a 4 det DET DT a
        news 4 compound NOUN NN news
        conference 1 dobj NOUN NN conference
        that 9 dobj PRON WDT that
        Albertans 7 nsubj PROPN NNPS Albertans
        deserve 4 relcl VERB VBP deserve
        to 9 aux PART TO to
        decide 7 xcomp VERB VB decide
        the 11 det DET DT the
        question 9 dobj NOUN NN question
        . 1 punct PUNCT . .
        """
    assert _decided(hand_parse(rows), "told") == (
        "that_clause_on_noun",
        "Albertans deserve to decide the question",
    )
    # "that" the only object of its verb: a true relative clause ("the deal that voters
    # deserve to see"), nothing told.
    relative = rows.replace("question 9 dobj NOUN NN question", "soon 9 advmod ADV RB soon")
    assert _decided(hand_parse(relative), "told")[0] != "that_clause_on_noun"


def test_a_participle_giving_grounds_ends_the_content(run: Callable[[str], Extraction]) -> None:
    result = run(
        LEAD + "The province has said a new plan could lower contributions, citing a report "
        "that estimated large savings."
    )
    said = next(q for q in result.quotes if q.cue == "said")
    assert said.text == "a new plan could lower contributions"


def test_a_claim_label_set_after_the_content_is_no_part_of_it() -> None:
    # "argues that the record shows she would raise taxes, a claim Lee calls false": the
    # label and its clause are a judgement of the report, not what was argued.
    rows = """
        Aides 1 nsubj NOUN NNS aide
        argue 1 ROOT VERB VBP argue
        that 4 mark SCONJ IN that
        records 4 nsubj NOUN NNS record
        show 1 ccomp VERB VBP show
        she 7 nsubj PRON PRP she
        would 7 aux AUX MD would
        raise 4 ccomp VERB VB raise
        taxes 7 dobj NOUN NNS tax
        , 4 punct PUNCT , ,
        a 11 det DET DT a
        claim 3 appos NOUN NN claim
        Lee 13 nsubj PROPN NNP Lee
        calls 11 acl VERB VBZ call
        false 13 oprd ADJ JJ false
        . 1 punct PUNCT . .
        """
    assert _decided(hand_parse(rows), "argue")[1] == "records show she would raise taxes"
    # Any other noun set off there stays ("..., a rise Lee calls modest" is what they argue).
    other = rows.replace("claim 3 appos NOUN NN claim", "rise 3 appos NOUN NN rise")
    assert _decided(hand_parse(other), "argue")[1] == (
        "records show she would raise taxes, a rise Lee calls false"
    )


def test_an_interrupted_clause_starts_at_its_own_subject_after_a_coordinator() -> None:
    # "He had a rally - and the permit, his campaign said, had been hard to get": the parser
    # hung the first clause on the reported verb; the report starts at "the permit".
    rows = """
        He 1 nsubj PRON PRP he
        had 13 ccomp VERB VBD have
        a 3 det DET DT a
        rally 1 dobj NOUN NN rally
        - 3 punct PUNCT : -
        and 1 cc CCONJ CC and
        the 7 det DET DT the
        permit 1 conj NOUN NN permit
        , 10 punct PUNCT , ,
        his 10 poss PRON PRP$ his
        campaign 11 nsubj NOUN NN campaign
        said 13 parataxis VERB VBD say
        had 13 aux AUX VBD have
        been 13 ROOT AUX VBN be
        hard 13 acomp ADJ JJ hard
        to 16 aux PART TO to
        get 14 xcomp VERB VB get
        . 13 punct PUNCT . .
        """
    rule_id, text = _decided(hand_parse(rows), "said")
    assert rule_id == "interrupted_clause"
    assert text is not None and text.startswith("the permit")
    # A verb between the coordinator and the cue: a clause of its own, kept whole.
    verbed = rows.replace("permit 1 conj NOUN NN permit", "left 1 conj VERB VBD leave")
    assert _decided(hand_parse(verbed), "said")[1].startswith("He had")  # type: ignore[union-attr]


def test_a_clause_whose_verb_the_parser_hung_elsewhere_after_a_modal() -> None:
    # "... groups who argued the utility could absorb the cost": the parser made "utility"
    # the cue's object and hung "absorb" on the sentence's main verb.
    rows = """
        It 1 nsubj PRON PRP it
        rose 1 ROOT VERB VBD rise
        despite 1 prep ADP IN despite
        groups 2 pobj NOUN NNS group
        who 5 nsubj PRON WP who
        argued 3 relcl VERB VBD argue
        the 7 det DET DT the
        utility 5 dobj NOUN NN utility
        could 9 aux AUX MD could
        absorb 1 advcl VERB VB absorb
        the 11 det DET DT the
        cost 9 dobj NOUN NN cost
        . 1 punct PUNCT . .
        """
    assert _decided(hand_parse(rows), "argued") == (
        "clause_as_object",
        "the utility could absorb the cost",
    )
    # A participle's object ("taxpayers reporting gains would pay") is no report.
    participle = rows.replace("argued 3 relcl VERB VBD argue", "argued 3 acl VERB VBG argue")
    assert _decided(hand_parse(participle), "argued")[0] != "clause_as_object"
