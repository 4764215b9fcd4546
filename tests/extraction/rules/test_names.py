"""Names sieves: which sieve decided on which token of a paragraph, and what it registered in
the speaker book, on the real parse and, for the sieves that repair what NER missed, on a
parse built by hand (so a model change cannot hide a rule change)."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from app.extraction import Extraction, extract
from app.extraction.rules import RULES
from app.extraction.rules.names import NAMES_ORDER, decide_names
from app.extraction.speakers import SpeakerBook
from tests.extraction.rules.helpers import LEAD, hand_parse, stamps


def _decide(
    doc: Doc,
    book: SpeakerBook | None = None,
    quoted: list[tuple[int, int]] | None = None,
    disabled: frozenset[str] = frozenset(),
) -> tuple[SpeakerBook, list[tuple[str, str]]]:
    book = book if book is not None else SpeakerBook()
    decided = decide_names(book, doc, 0, quoted or [], disabled)
    return book, [(rule_id, token.text) for rule_id, token in decided]


def test_every_names_sieve_is_a_declared_rule_of_the_stage() -> None:
    assert len(set(NAMES_ORDER)) == len(NAMES_ORDER)
    assert all(RULES[r].stage == "names" and RULES[r].function for r in NAMES_ORDER)


def test_person_entity_with_role_and_the_subject_pronoun_vote(nlp: Language) -> None:
    doc = nlp("Jane Doe, the mayor, opened the bridge. She said it would carry more cars.")
    book, decided = _decide(doc)
    assert decided == [("person_entity", "Jane"), ("subject_pronoun_vote", "She")]
    [jane] = book.entities
    assert (jane.name, jane.roles, jane.gender) == ("Jane Doe", ["mayor"], "f")
    assert book.mentions[0].subject

    # Without the vote the same "She" still votes, once, through the next sieve.
    without, decided = _decide(doc, disabled=frozenset({"subject_pronoun_vote"}))
    assert decided == [("person_entity", "Jane"), ("next_pronoun_vote", "She")]
    assert without.entities[0].female == jane.female - 1


def test_next_pronoun_vote_after_a_name_that_is_no_subject(nlp: Language) -> None:
    book, decided = _decide(nlp("The prize went to Sam Roe, and his family cheered."))
    assert decided == [("person_entity", "Sam"), ("next_pronoun_vote", "his")]
    assert book.entities[0].male >= 1

    off, _ = _decide(
        nlp("The prize went to Sam Roe, and his family cheered."),
        disabled=frozenset({"next_pronoun_vote"}),
    )
    assert off.entities[0].male == book.entities[0].male - 1


def test_a_pronoun_inside_quotation_marks_does_not_vote(nlp: Language) -> None:
    text = 'Sam Roe was there. "She told us nothing," the guard said.'
    doc = nlp(text)
    quoted = [(text.index('"'), text.rindex('"') + 1)]
    book, decided = _decide(doc, quoted=quoted)
    assert [d for d in decided if d[1] == "She"] == []
    assert book.entities[0].female == 0


def test_known_person_slip_keeps_a_surname_tagged_org_as_the_persons_mention(
    nlp: Language,
) -> None:
    doc = nlp("Tom Vickers led the team. Vickers said the season was over.")
    assert [(e.text, e.label_) for e in doc.ents][1] == ("Vickers", "ORG")  # what NER makes
    book, decided = _decide(doc)
    assert decided == [("person_entity", "Tom"), ("known_person_slip", "Vickers")]
    assert [m.entity for m in book.mentions] == [0, 0]
    assert book.organisations == []
    # Off, the surname is noted as an organisation, a later "the team" or "it" could take.
    off, _ = _decide(doc, disabled=frozenset({"known_person_slip"}))
    assert [m.entity for m in off.mentions] == [0]
    assert [name for _, name in off.organisations] == ["Vickers"]


def test_organisation_noted_outside_quotes_only(nlp: Language) -> None:
    text = 'The Transit Workers Union met on Friday. "The City Transit Board lied," Lee said.'
    doc = nlp(text)
    book, _ = _decide(doc, quoted=[(text.index('"'), text.rindex('"') + 1)])
    assert [name for _, name in book.organisations] == ["The Transit Workers Union"]
    off, _ = _decide(doc, disabled=frozenset({"organisation_noted"}))
    assert off.organisations == []


# "The aid group Harbor said": the name tagged PERSON, as NER may.
_AID_GROUP = """
The 3 det DET DT the
aid 3 compound NOUN NN aid
group 3 nsubj NOUN NN group
Harbor 4 appos PROPN NNP Harbor
said 4 ROOT VERB VBD say
"""


def test_group_tagged_person_sets_aside_a_person_tag_after_a_groups_description() -> None:
    doc = hand_parse(_AID_GROUP, ["O", "O", "O", "B-PERSON", "O"])
    book, decided = _decide(doc)
    assert decided == [("group_tagged_person", "Harbor")]
    assert book.entities == []
    off, decided = _decide(doc, disabled=frozenset({"group_tagged_person"}))
    assert decided == [("person_entity", "Harbor")]
    assert [e.name for e in off.entities] == ["Harbor"]


_RESIDENT = """
Yuni 6 nsubj PROPN NNP Yuni
, 0 punct PUNCT , ,
a 3 det DET DT a
resident 0 appos NOUN NN resident
, 0 punct PUNCT , ,
was 6 aux AUX VBD be
watching 6 ROOT VERB VBG watch
"""


def test_appositive_untagged_name_is_a_person_with_the_appositive_as_role() -> None:
    book, decided = _decide(hand_parse(_RESIDENT))
    assert decided == [("appositive_untagged_name", "Yuni")]
    assert [(e.name, e.roles) for e in book.entities] == [("Yuni", ["resident"])]
    off, _ = _decide(hand_parse(_RESIDENT), disabled=frozenset({"appositive_untagged_name"}))
    assert off.entities == []


_WIFE = """
His 1 poss PRON PRP$ his
wife 5 nsubj NOUN NN wife
, 1 punct PUNCT , ,
Elena 1 appos PROPN NNP Elena
, 1 punct PUNCT , ,
agreed 5 ROOT VERB VBD agree
"""


def test_described_name_beside_a_kin_noun_is_a_person_of_that_gender() -> None:
    # NER tags the lone first name an organisation, as the small model does.
    doc = hand_parse(_WIFE, ["O", "O", "O", "B-ORG", "O", "O"])
    book, decided = _decide(doc)
    assert decided == [("next_pronoun_vote", "His"), ("described_name", "Elena")]
    [elena] = book.entities
    assert (elena.name, elena.roles, elena.gender) == ("Elena", ["wife"], "f")
    assert book.organisations == []
    off, _ = _decide(doc, disabled=frozenset({"described_name"}))
    assert off.entities == []
    assert [name for _, name in off.organisations] == ["Elena"]


def test_switched_off_names_sieves_reach_extract(run: Callable[[str], Extraction]) -> None:
    text = LEAD + "Jane Doe arrived late. She said the talks had failed."
    result = run(text)
    assert [s[1:3] for s in stamps(result)] == [("pronoun_antecedent", "Jane Doe")]
    assert result.quotes[0].confidence == 0.8
    # Without the votes her first name still gives her gender; without her name, nobody.
    off = extract(text, disabled={"subject_pronoun_vote", "next_pronoun_vote"})
    assert [s[1:3] for s in stamps(off)] == [("pronoun_antecedent", "Jane Doe")]
    gone = extract(text, disabled={"person_entity"})
    assert [s[2] for s in stamps(gone)] != ["Jane Doe"]


_MAYOR = """
Mayor 2 compound PROPN NNP Mayor
Ana 2 compound PROPN NNP Ana
Ruiz 3 nsubj PROPN NNP Ruiz
leads 3 ROOT VERB VBZ lead
the 5 det DET DT the
race 3 dobj NOUN NN race
. 3 punct PUNCT . .
"""


def test_titled_untagged_name_is_a_person_with_the_title_as_role() -> None:
    # NER tags nothing here, as the small model does with "Mayor Ana Ruiz leads ...".
    book, decided = _decide(hand_parse(_MAYOR))
    assert decided == [("titled_untagged_name", "Ana")]
    assert [(e.name, e.roles) for e in book.entities] == [("Ana Ruiz", ["Mayor"])]
    assert book.mentions[0].subject
    off, _ = _decide(hand_parse(_MAYOR), disabled=frozenset({"titled_untagged_name"}))
    assert off.entities == []


def test_titled_untagged_name_gives_the_surname_its_full_name(
    run: Callable[[str], Extraction],
) -> None:
    """Named with a title in a sentence that reports nothing, then quoted by surname: the
    speaker is the full name, with the title as role."""
    result = run(
        LEAD + "Mayor Ana Ruiz leads her challenger by six points.\n\n"
        '"We cannot wait another winter," Ruiz said.'
    )
    speech = [q for q in result.quotes if q.attribution_class == "speech"]
    assert [result.speakers[q.speaker].name for q in speech if q.speaker is not None] == [
        "Ana Ruiz"
    ]
    assert result.speakers[speech[0].speaker].role == "Mayor"  # type: ignore[index]


def test_titled_untagged_name_leaves_a_name_inside_another_noun_alone() -> None:
    rows = """
Mayor 3 compound PROPN NNP Mayor
Ana 2 compound PROPN NNP Ana
Ruiz 3 compound PROPN NNP Ruiz
Bridge 4 nsubj PROPN NNP Bridge
opened 4 ROOT VERB VBD open
. 4 punct PUNCT . .
"""
    book, decided = _decide(hand_parse(rows))
    assert ("titled_untagged_name", "Ana") not in decided
    assert book.entities == []


_PREMIER = """
Premier 2 compound PROPN NNP Premier
Sophie 2 compound PROPN NNP Sophie
Leclair 4 poss PROPN NNP Leclair
's 2 case PART POS 's
office 5 nsubj NOUN NN office
closed 5 ROOT VERB VBD close
. 5 punct PUNCT . .
"""


def test_titled_mistagged_name_is_a_person_with_the_title_as_role() -> None:
    # The small model tags "Sophie Leclair's" as an organisation after "Premier".
    ents = ["O", "B-ORG", "I-ORG", "I-ORG", "O", "O", "O"]
    book, decided = _decide(hand_parse(_PREMIER, ents))
    assert decided == [("titled_mistagged_name", "Sophie")]
    assert [(e.name, e.roles) for e in book.entities] == [("Sophie Leclair", ["Premier"])]
    # Off, the given name alone still makes her a person (evidenced_mistagged_person); with
    # both off, nobody.
    off, decided = _decide(
        hand_parse(_PREMIER, ents),
        disabled=frozenset({"titled_mistagged_name", "evidenced_mistagged_person"}),
    )
    assert off.entities == []
    assert ("titled_mistagged_name", "Sophie") not in decided


def test_a_person_noun_before_initials_and_a_surname_ner_called_a_body() -> None:
    # "rescue manager B.J. Chute said": NER tags "B.J. Chute" an organisation; a lower-case
    # person noun before it is a title, and initials are a given name.
    rows = """
rescue 1 compound NOUN NN rescue
manager 3 compound NOUN NN manager
B.J. 3 compound PROPN NNP B.J.
Chute 4 nsubj PROPN NNP Chute
said 4 ROOT VERB VBD say
so 4 advmod ADV RB so
. 4 punct PUNCT . .
"""
    ents = ["O", "O", "B-ORG", "I-ORG", "O", "O", "O"]
    book, decided = _decide(hand_parse(rows, ents))
    assert ("titled_mistagged_name", "B.J.") in decided
    assert [(e.name, e.kind) for e in book.entities] == [("B.J. Chute", "person")]
    # A body after a noun that is an organisation's ("the insurer Acme Mutual"): no person.
    rows = rows.replace("manager 3 compound NOUN NN manager", "insurer 3 compound NOUN NN insurer")
    rows = rows.replace("B.J. 3 compound PROPN NNP B.J.", "Acme 3 compound PROPN NNP Acme")
    rows = rows.replace("Chute 4 nsubj PROPN NNP Chute", "Mutual 4 nsubj PROPN NNP Mutual")
    book, decided = _decide(hand_parse(rows, ents))
    assert not any(rule_id == "titled_mistagged_name" for rule_id, _ in decided)


def test_titled_mistagged_name_leaves_places_and_named_things_alone() -> None:
    former = """
the 3 det DET DT the
former 3 amod ADJ JJ former
Soviet 3 compound PROPN NNP Soviet
Union 4 nsubj PROPN NNP Union
collapsed 4 ROOT VERB VBD collapse
. 4 punct PUNCT . .
"""
    book, decided = _decide(hand_parse(former, ["O", "O", "B-GPE", "I-GPE", "O", "O"]))
    assert not any(rule_id == "titled_mistagged_name" for rule_id, _ in decided)
    assert book.entities == []
    foundation = """
Premier 3 compound PROPN NNP Premier
Jo 2 compound PROPN NNP Jo
Lee 3 compound PROPN NNP Lee
Foundation 4 nsubj PROPN NNP Foundation
agreed 4 ROOT VERB VBD agree
. 4 punct PUNCT . .
"""
    book, decided = _decide(hand_parse(foundation, ["O", "B-ORG", "I-ORG", "O", "O", "O"]))
    assert not any(rule_id == "titled_mistagged_name" for rule_id, _ in decided)
    assert book.entities == []
    untitled = """
The 2 det DET DT the
Sophie 2 compound PROPN NNP Sophie
Leclair 3 nsubj PROPN NNP Leclair
agreed 3 ROOT VERB VBD agree
. 3 punct PUNCT . .
"""
    book, decided = _decide(hand_parse(untitled, ["O", "B-ORG", "I-ORG", "O", "O"]))
    assert not any(rule_id == "titled_mistagged_name" for rule_id, _ in decided)


def test_titled_mistagged_name_makes_the_later_surname_a_person(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        LEAD + "Premier Sophie Leclair visited the port on Monday.\n\n"
        "Later, Leclair said she was worried about the families on both sides."
    )
    speakers = [result.speakers[q.speaker] for q in result.quotes if q.speaker is not None]
    assert [(s.name, s.kind, s.role) for s in speakers] == [("Sophie Leclair", "person", "Premier")]


def test_known_surname_untagged_makes_a_later_pronoun_a_guess(
    run: Callable[[str], Extraction],
) -> None:
    """Two women named in one paragraph, one of them by a bare surname NER leaves untagged:
    the "She" after them is a guess (pronoun_rival, low confidence), not a sure answer."""
    text = (
        LEAD + 'Councillor Rachel Moss spoke first. "People suffer," she said.\n\n'
        "Transport Minister Karen Holt and Moss met briefly after the rally. She said the "
        "meeting had been productive."
    )
    last = stamps(run(text))[-1]
    assert last[0:2] == ("reporting_verb", "pronoun_rival")
    assert run(text).quotes[-1].confidence < 0.5
    off = stamps(extract(text, disabled={"known_surname_untagged"}))[-1]
    assert off[1] == "pronoun_antecedent"


_BOOKSELLER = """
Marie 1 compound PROPN NNP Marie
Tremblay 9 nsubj PROPN NNP Tremblay
, 1 punct PUNCT , ,
who 4 nsubj PRON WP who
owns 1 relcl VERB VBZ own
a 6 det DET DT a
bookstore 4 dobj NOUN NN bookstore
, 1 punct PUNCT , ,
says 9 ROOT VERB VBZ say
she 11 nsubj PRON PRP she
is 9 ccomp AUX VBZ be
hopeful 11 acomp ADJ JJ hopeful
. 9 punct PUNCT . .
"""


def test_evidenced_mistagged_person_reads_a_who_clause_on_an_org_tagged_name() -> None:
    ents = ["B-ORG", "I-ORG"] + ["O"] * 11
    book, decided = _decide(hand_parse(_BOOKSELLER, ents))
    assert decided[0] == ("evidenced_mistagged_person", "Marie")
    [person] = book.entities
    assert (person.name, person.gender) == ("Marie Tremblay", "f")  # "she" voted for her
    off, decided = _decide(
        hand_parse(_BOOKSELLER, ents), disabled=frozenset({"evidenced_mistagged_person"})
    )
    assert off.entities == []


def test_evidenced_mistagged_person_reads_a_he_or_she_in_what_the_name_says() -> None:
    rows = """
Ama 1 compound PROPN NNP Ama
Osei 2 nsubj PROPN NNP Osei
said 2 ROOT VERB VBD say
she 4 nsubj PRON PRP she
agreed 2 ccomp VERB VBD agree
. 2 punct PUNCT . .
"""
    book, decided = _decide(hand_parse(rows, ["B-ORG", "I-ORG", "O", "O", "O", "O"]))
    assert decided[0] == ("evidenced_mistagged_person", "Ama")
    assert [e.name for e in book.entities] == ["Ama Osei"]


def test_evidenced_mistagged_person_leaves_bodies_alone() -> None:
    # "The White House said she ...": a body with an article before it.
    white_house = """
The 2 det DET DT the
White 2 compound PROPN NNP White
House 3 nsubj PROPN NNP House
said 3 ROOT VERB VBD say
she 5 nsubj PRON PRP she
lied 3 ccomp VERB VBD lie
. 3 punct PUNCT . .
"""
    book, decided = _decide(hand_parse(white_house, ["O", "B-ORG", "I-ORG", "O", "O", "O", "O"]))
    assert not any(r == "evidenced_mistagged_person" for r, _ in decided)
    assert book.entities == []
    # No evidence of a person: an organisation saying "it".
    acme = """
Acme 1 compound PROPN NNP Acme
Foods 2 nsubj PROPN NNPS Foods
said 2 ROOT VERB VBD say
it 4 nsubj PRON PRP it
agreed 2 ccomp VERB VBD agree
. 2 punct PUNCT . .
"""
    book, decided = _decide(hand_parse(acme, ["B-ORG", "I-ORG", "O", "O", "O", "O"]))
    assert not any(r == "evidenced_mistagged_person" for r, _ in decided)


def test_evidenced_mistagged_person_gives_her_the_later_she(
    run: Callable[[str], Extraction],
) -> None:
    # The small model tags the hyphenated name as an organisation; before the sieve, the
    # shop owner's "she said" went to the mayor named earlier.
    result = run(
        LEAD + "Mayor Valerie Plante defended the plan on Tuesday.\n\n"
        "Marie-Ève Tremblay, who owns a bookstore near the corner, says she is hopeful.\n\n"
        '"If people can get here safely on a bike, they will stop more often," she said.'
    )
    said = [q for q in result.quotes if q.text.startswith("If people")]
    assert len(said) == 1 and said[0].speaker is not None
    speaker = result.speakers[said[0].speaker]
    assert (speaker.name, speaker.kind) == ("Marie-Ève Tremblay", "person")


def test_a_name_that_only_qualifies_a_noun_takes_no_pronoun_vote() -> None:
    # "beat Hodgkin lymphoma, and he ...": the disease's name is no antecedent of "he".
    rows = """
Cole 1 nsubj PROPN NNP Cole
beat 1 ROOT VERB VBD beat
Hodgkin 3 compound PROPN NNP Hodgkin
lymphoma 1 dobj NOUN NN lymphoma
and 1 cc CCONJ CC and
he 6 nsubj PRON PRP he
smiled 1 conj VERB VBD smile
. 1 punct PUNCT . .
"""
    ents = ["O", "O", "B-PERSON", "O", "O", "O", "O", "O"]
    book, _ = _decide(hand_parse(rows, ents))
    [hodgkin] = book.entities
    assert hodgkin.name == "Hodgkin" and hodgkin.gender is None


def test_surname_of_mistagged_person_makes_the_org_tagged_name_a_person(
    run: Callable[[str], Extraction],
) -> None:
    # The small model tags the player as an organisation in both mentions.
    text = (
        LEAD + "Pascal Siakam scored 32 points as Toronto beat Boston.\n\n"
        '"We just kept believing," Siakam said after the game.'
    )
    result = run(text)
    [quote] = [q for q in result.quotes if q.text.startswith("We just")]
    assert quote.speaker is not None
    speaker = result.speakers[quote.speaker]
    assert (speaker.name, speaker.kind) == ("Pascal Siakam", "person")
    off = extract(text, disabled=frozenset({"surname_of_mistagged_person"}))
    [quote] = [q for q in off.quotes if q.text.startswith("We just")]
    assert quote.speaker is not None and off.speakers[quote.speaker].kind != "person"


def test_surname_of_mistagged_person_leaves_a_place_alone(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        LEAD + "Hockey Canada said the fund was closed.\n\nLater, Canada said it would appeal."
    )
    kinds = {s.name: s.kind for s in result.speakers}
    assert kinds.get("Hockey Canada") == "organisation"
    assert "person" not in kinds.values()


def test_evidenced_mistagged_person_reads_a_given_name() -> None:
    # "Karen Holt said ..." with the name tagged ORG and nothing else about her in the
    # sentence: a given name from the first-name list is evidence enough.
    rows = """
Karen 1 compound PROPN NNP Karen
Holt 2 nsubj PROPN NNP Holt
said 2 ROOT VERB VBD say
the 4 det DET DT the
plan 5 nsubj NOUN NN plan
failed 2 ccomp VERB VBD fail
. 2 punct PUNCT . .
"""
    book, decided = _decide(hand_parse(rows, ["B-ORG", "I-ORG", "O", "O", "O", "O", "O"]))
    assert decided[0] == ("evidenced_mistagged_person", "Karen")
    assert [(e.name, e.gender) for e in book.entities] == [("Karen Holt", "f")]
    hockey = """
Hockey 1 compound PROPN NNP Hockey
Canada 2 nsubj PROPN NNP Canada
said 2 ROOT VERB VBD say
the 4 det DET DT the
plan 5 nsubj NOUN NN plan
failed 2 ccomp VERB VBD fail
. 2 punct PUNCT . .
"""
    book, decided = _decide(hand_parse(hockey, ["B-ORG", "I-ORG", "O", "O", "O", "O", "O"]))
    assert not any(r == "evidenced_mistagged_person" for r, _ in decided)


def test_a_generational_suffix_is_no_shared_surname() -> None:
    book = SpeakerBook()
    biden = book.add_name("Joseph R. Biden Jr.", 10)
    roberts = book.add_name("John G. Roberts Jr.", 50)
    assert biden is not None and roberts is not None and biden != roberts
    assert book.lookup("Roberts") == roberts
    assert book.lookup("Biden") == biden
    assert book.add_name("Joseph R. Biden", 90) == biden


def test_a_headlines_verb_ner_folded_into_the_name_is_no_part_of_it(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Obama Says African-American Museum Will Tell of 'Suffering and Delight'\n\n"
        "WASHINGTON -- President Obama said on Saturday that the museum would tell an "
        "American story."
    )
    names = [(s.name, s.aliases) for s in result.speakers if s.kind == "person"]
    assert names and all("Says" not in name and "Obama Says" not in al for name, al in names)
    assert any(name == "Obama" for name, _ in names)
    # A surname that is a past-tense verb stays whole.
    book = SpeakerBook()
    said = book.add_name("Edward Said", 0)
    assert said is not None and book.entities[said].name == "Edward Said"


def test_evidenced_mistagged_person_reads_a_who_clause_on_a_one_word_name() -> None:
    """ "Tremblay, who owns a bookstore, says ..." with the surname alone tagged ORG: the
    "who" clause makes it a person; a one-word name needs that clause (an age or a "she"
    alone is not enough), and an institution word is never one."""
    rows = """
Tremblay 7 nsubj PROPN NNP Tremblay
, 0 punct PUNCT , ,
who 3 nsubj PRON WP who
owns 0 relcl VERB VBZ own
a 5 det DET DT a
bookstore 3 dobj NOUN NN bookstore
, 0 punct PUNCT , ,
says 7 ROOT VERB VBZ say
she 9 nsubj PRON PRP she
is 7 ccomp AUX VBZ be
hopeful 9 acomp ADJ JJ hopeful
. 7 punct PUNCT . .
"""
    ents = ["B-ORG"] + ["O"] * 11
    book, decided = _decide(hand_parse(rows, ents))
    assert decided[0] == ("evidenced_mistagged_person", "Tremblay")
    assert [e.name for e in book.entities] == ["Tremblay"]
    bank = rows.replace("Tremblay 7 nsubj PROPN NNP Tremblay", "Bank 7 nsubj PROPN NNP Bank")
    _, decided = _decide(hand_parse(bank, ents))
    assert ("evidenced_mistagged_person", "Bank") not in decided
