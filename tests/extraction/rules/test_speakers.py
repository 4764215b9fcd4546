"""Speakers rules: revisions once every quote is attributed."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language

from app.extraction import Extraction, extract
from app.extraction.speakers import mend_entities
from tests.extraction.rules.helpers import LEAD, hand_parse, stamps


def test_spokesperson_named(run: Callable[[str], Extraction]) -> None:
    text = (
        LEAD + "A spokeswoman for the mayor said the bridge would close in June. "
        '"We have no choice at all," said Jo Wu.'
    )
    assert [s[:3] for s in stamps(run(text))] == [
        ("reporting_verb", "spokesperson_named", "Jo Wu"),
        ("quoted_clause", "person_name", "Jo Wu"),
    ]
    off = extract(text, disabled={"spokesperson_named"})
    assert [s[:3] for s in stamps(off)] == [
        ("reporting_verb", "new_description", "a spokeswoman for the mayor"),
        ("quoted_clause", "person_name", "Jo Wu"),
    ]


def test_a_person_noun_before_a_name_is_a_role(run: Callable[[str], Extraction]) -> None:
    """'Tenant Amina Yusuf' (NER folds the noun into the name at a sentence's start) and
    'tenant advocate Mark Culligan' (lower case, outside it): the noun is the role."""
    result = run(
        LEAD + "Tenant Amina Yusuf, 34, told reporters she complained for a year.\n\n"
        "But tenant advocate Mark Culligan said fines alone won't fix the problem."
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Amina Yusuf", "Tenant"),
        ("Mark Culligan", "tenant advocate"),
    ]


def test_an_occupation_before_a_name_is_a_role(run: Callable[[str], Extraction]) -> None:
    """'Pollster Ann Selzer', 'strategist Jo Bell': occupations news names people by."""
    result = run(
        LEAD + "Pollster Ann Selzer said the race was as close as it gets.\n\n"
        "Republican strategist Joe Bell said turnout would decide it.\n\n"
        "Provincial auditor Tara Clemett said one in four rural homes lacked service."
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Ann Selzer", "Pollster"),
        ("Joe Bell", "Republican strategist"),
        ("Tara Clemett", "Provincial auditor"),
    ]


def test_a_participle_after_an_infinitive_speaks_for_the_sentence_subject(
    run: Callable[[str], Extraction],
) -> None:
    """'X wants the city to study a tax, arguing that ...': X argues, not the city."""
    result = run(
        LEAD + "Councillor Pete Fry wants the city to study a tax on empty storefronts, "
        "arguing vacant shops are hurting neighbourhoods."
    )
    arguing = [q for q in result.quotes if q.cue == "arguing"]
    assert len(arguing) == 1 and arguing[0].speaker is not None
    assert result.speakers[arguing[0].speaker].name == "Pete Fry"


def test_a_participles_object_is_no_inverted_speaker(nlp: Language) -> None:
    """', accusing Scheer of ...': the one accused is no speaker set after the cue."""
    from app.extraction.attribution import subject_of

    doc = nlp(
        "Environment Minister Catherine McKenna shot back hours later, accusing Scheer of "
        "having no plan to fight climate change."
    )
    accusing = next(t for t in doc if t.text == "accusing")
    subject = subject_of(accusing)
    assert subject is not None and subject.text == "McKenna"


def test_a_relative_clause_gives_a_post_as_role(run: Callable[[str], Extraction]) -> None:
    """'Todd Lewis, who is president of the X Coalition, said': the post is his role; a past
    post ('who was a councillor') and what a person does ('who farms near ...') are none."""
    result = run(
        LEAD + "Todd Lewis, who is president of the Aylmer Citizens' Health Coalition, said "
        "the group would fight the decision.\n\n"
        "Dana Whitford, who was a councillor for a decade, said the vote was rushed.\n\n"
        "Darren Fehr, who farms 3,000 acres near Kindersley, said the crop never came up."
    )
    roles = {s.name: s.role for s in result.speakers}
    assert roles == {
        "Todd Lewis": "president of the Aylmer Citizens' Health Coalition",
        "Dana Whitford": None,
        "Darren Fehr": None,
    }


def test_a_possessors_role_is_held_in_the_body_named_before(
    run: Callable[[str], Extraction],
) -> None:
    """'Its chief executive, Marcia Delgado,' after 'The board of Elgin Regional Health ...':
    her role is in that body; 'the network's executive director' is the director of the
    network named before; a possessor no body named before stands for stays as written ('The
    union's regional vice-president', when only an association was named), and so does a
    place ('the state's campaign chairman', though a body called "... State" was named)."""
    result = run(
        "The board of Elgin Regional Health announced the plan on Tuesday. Its chief "
        "executive, Marcia Delgado, said the merger was the only way to keep both sites "
        "staffed.\n\n"
        "The court heard that Sodhi took $412,000 from the Peel Food Share Network over "
        "four years.\n\n"
        "According to the Ontario Nurses' Association, the hospitals have 58 vacant "
        "positions. The union's regional vice-president, Angela Preston, warned that a "
        "merger would not fix the shortage.\n\n"
        "The network's executive director, Joanne Kwan, said donations fell by a third.\n\n"
        "The Free State Project endorsed him in May. The state's campaign chairman, Phil "
        "Loomis, said the endorsement was welcome.\n\n"
        "The LPGA Tour moved the event to June. The tour's chief officer of competitions, "
        "Andrew Pazik, said the course was not ready."
    )
    roles = {s.name: s.role for s in result.speakers if s.kind == "person"}
    assert roles["Marcia Delgado"] == "chief executive of Elgin Regional Health"
    assert roles["Joanne Kwan"] == "executive director of the Peel Food Share Network"
    assert roles["Angela Preston"] == "union's regional vice-president"
    assert roles["Phil Loomis"] == "state's campaign chairman"
    # A title with an "of" of its own takes the body before it.
    assert roles["Andrew Pazik"] == "LPGA Tour chief officer of competitions"


def test_a_trailing_cues_speaker_hung_on_an_earlier_word() -> None:
    """'Drones struck a depot, setting it on fire, a source in the service said on
    Saturday.': the parser made the speaker's phrase an appositive of "fire" and "said" an
    adverbial clause of "struck"; the phrase before the cue is its speaker, not the drones."""
    from app.extraction.attribution import subject_of
    from tests.extraction.rules.helpers import hand_parse

    doc = hand_parse(
        """
        Drones 1 nsubj NOUN NNS drone
        struck 1 ROOT VERB VBD strike
        a 3 det DET DT a
        depot 1 dobj NOUN NN depot
        , 1 punct PUNCT , ,
        setting 1 advcl VERB VBG set
        it 5 dobj PRON PRP it
        on 5 prep ADP IN on
        fire 7 pobj NOUN NN fire
        , 8 punct PUNCT , ,
        a 11 det DET DT a
        source 8 appos NOUN NN source
        in 11 prep ADP IN in
        the 15 det DET DT the
        security 15 compound NOUN NN security
        service 12 pobj NOUN NN service
        said 1 advcl VERB VBD say
        on 16 prep ADP IN on
        Saturday 17 pobj PROPN NNP Saturday
        . 1 punct PUNCT . .
        """
    )
    said = next(t for t in doc if t.text == "said")
    subject = subject_of(said)
    assert subject is not None and subject.text == "source"


def test_a_sisters_given_name_after_a_name_ner_split(run: Callable[[str], Extraction]) -> None:
    """'Amanda Cole drove ...' (NER: an organisation and a product) is a person, and
    '"...," Amanda said' (tagged an organisation) is her, as a feature calls two sisters by
    their given names; 'Rebecca, 34,' is the other sister."""
    result = run(
        "HALIFAX — For three years, Amanda Cole drove her sister to dialysis three times a "
        "week. Then she decided to give her a kidney.\n\n"
        '"It was not a hard decision. She is my little sister," Amanda said, sitting beside '
        "Rebecca Cole in the family's kitchen in Dartmouth.\n\n"
        "Rebecca, 34, was diagnosed with kidney disease at 19. She said the worst part of "
        "dialysis was the hours."
    )
    assert [(s.name, s.kind) for s in result.speakers] == [
        ("Amanda Cole", "person"),
        ("Rebecca Cole", "person"),
    ]
    said = [(s[2], s[3][:12]) for s in stamps(result) if s[0] != "learned"]
    assert said == [("Amanda Cole", "It was not a"), ("Rebecca Cole", "the worst pa")]


def test_a_count_is_no_role(run: Callable[[str], Extraction]) -> None:
    """'Trustee Harry Doyle, one of two who voted against the plan,': the title is his role;
    "one of two", left when the relative clause is cut, is none."""
    result = run(
        LEAD + "Trustee Harry Doyle, one of two who voted against the plan, said the district "
        "had not studied the bus times."
    )
    assert [(s.name, s.role) for s in result.speakers] == [("Harry Doyle", "Trustee")]


def test_the_post_a_name_is_set_beside_when_it_is_not_the_speaker_there(
    run: Callable[[str], Extraction],
) -> None:
    """'Hockey Canada's chief executive officer, Katherine Hendry, will step down, the
    organization announced': she speaks later, as "Hendry"; her post is her role. A
    relation ("his wife, Maria Roe,") is no post."""
    result = run(
        "CALGARY — Hockey Canada's chief executive officer, Katherine Hendry, will step down at "
        "the end of the year, the organization announced Tuesday.\n\n"
        'Hendry said it had been "a privilege" to serve.\n\n'
        "The coach thanked his wife, Maria Roe, for her patience. Roe said she was proud."
    )
    roles = {s.name: s.role for s in result.speakers if s.kind == "person"}
    assert roles["Katherine Hendry"] == "Hockey Canada's chief executive officer"
    assert roles["Maria Roe"] is None


def test_a_body_named_after_the_noun_for_its_kind(run: Callable[[str], Extraction]) -> None:
    """'The drivers' union Aslef said ...' (NER tags nothing) is an organisation, not a
    person; 'Its general secretary, Mick Whelan,' holds his post there, not in the party
    named two paragraphs before."""
    result = run(
        "LONDON — The opposition Labour Party pledged on Monday to cap rail fares for five "
        "years.\n\n"
        "The drivers' union Aslef said its members would strike on Friday and Saturday.\n\n"
        'Its general secretary, Mick Whelan, told the BBC the government had "not lifted a '
        'finger" to settle the dispute.'
    )
    kinds = {s.name: (s.kind, s.role) for s in result.speakers}
    assert kinds["Aslef"][0] == "organisation"
    assert kinds["Mick Whelan"] == ("person", "general secretary of Aslef")
    # A body named at a sentence's start keeps its article in lower case in the role.
    result = run(
        LEAD + "The Saskatchewan Union of Nurses said it had not been consulted. Its president, "
        'Bracken Hamilton-Lopez, said nurses were "stretched to the breaking point."'
    )
    roles = {s.name: s.role for s in result.speakers}
    assert roles["Bracken Hamilton-Lopez"] == "president of the Saskatchewan Union of Nurses"


def test_an_elided_particle_and_a_trade_word(run: Callable[[str], Extraction]) -> None:
    """ "Local MP Chris d'Entremont said" was an organisation (a name word in lower case was
    no name); "Yarmouth-based Surette Seafoods said" (tagged PERSON) was a person."""
    result = run(
        LEAD + "Local MP Chris d'Entremont said he had spoken to the minister.\n\n"
        "The boat's owner, Yarmouth-based Surette Seafoods, said it was devastated."
    )
    kinds = {s.name: s.kind for s in result.speakers}
    assert kinds == {"Chris d'Entremont": "person", "Surette Seafoods": "organisation"}


def test_a_who_clause_hung_on_a_later_noun_is_no_part_of_the_role(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        LEAD + "Dr. Paul Leblond, a sleep specialist at the Ottawa Hospital who was not involved "
        "in the research, said the survey was too small."
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Paul Leblond", "sleep specialist at the Ottawa Hospital")
    ]


def test_its_refers_to_a_body_ner_did_not_tag(run: Callable[[str], Extraction]) -> None:
    """'The Ontario Chamber of Commerce welcomed the move. Its president, Rocco Rossi, said
    ...': NER tags no entity; a subject of capitalised words after "the" is a body, and
    "its" refers to it."""
    result = run(
        LEAD + "The Ontario Chamber of Commerce welcomed the move. Its president, Rocco Rossi, "
        'said it would "put money back in the pockets of workers."'
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Rocco Rossi", "president of Ontario Chamber of Commerce")
    ]


def test_a_brand_written_as_one_word_is_a_company(run: Callable[[str], Extraction]) -> None:
    """'WestJet has apologized ... the airline said': one word with a capital inside after
    small letters is a company's brand, not a person, and "the airline" refers to it; given
    names written so ("DeShawn", "LaToya") and prefixed surnames ("McKenzie") stay people."""
    result = run(
        "CALGARY — WestJet has apologized to 180 passengers who spent the night at the airport."
        "\n\nIn a statement on Sunday, the airline said it would reimburse hotel costs.\n\n"
        "DeShawn McKenzie, a passenger, said he slept on the floor."
    )
    kinds = {s.name: s.kind for s in result.speakers}
    assert kinds["WestJet"] == "organisation"
    assert kinds["DeShawn McKenzie"] == "person"
    said = [s for s in stamps(result) if s[0] == "reporting_verb"]
    assert [s[2] for s in said] == ["WestJet", "DeShawn McKenzie"]


def test_a_post_held_in_a_relative_clause_is_a_role(run: Callable[[str], Extraction]) -> None:
    """ "who chairs the X Board": the post of a named body; "who runs a bakery" is no post,
    and "who chaired" one no longer held."""
    result = run(
        LEAD + "Andrea Jelinek, who chairs the European Data Protection Board, said the fine "
        "was fair. Maria Lopez, who runs a bakery on Main Street, said business was slow. "
        "Tom Reed, who chaired the Downtown Business Association until 2020, said rents rose."
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Andrea Jelinek", "chair of the European Data Protection Board"),
        ("Maria Lopez", None),
        ("Tom Reed", None),
    ]


def test_a_listed_given_name_ner_left_off_a_surname_is_part_of_the_name(
    run: Callable[[str], Extraction],
) -> None:
    # NER tags "Diaz" alone in "Ana Diaz, who chaired ...".
    result = run(
        LEAD + "Tom Reed said the same. Ana Diaz, who chaired the Downtown Business Association "
        "until 2020, said rents were too high."
    )
    assert [s.name for s in result.speakers] == ["Tom Reed", "Ana Diaz"]


def test_a_surname_ner_left_off_a_listed_given_name_is_part_of_the_name(
    run: Callable[[str], Extraction],
) -> None:
    """NER tags "Myron" alone in "Police Chief Myron Demkiw"; the untagged proper noun the
    given name is compounded onto is the surname (a hand-built parse, as NER reads it)."""
    doc = hand_parse(
        """
        Police 1 compound PROPN NNP Police
        Chief 3 compound PROPN NNP Chief
        Myron 3 compound PROPN NNP Myron
        Demkiw 4 nsubj PROPN NNP Demkiw
        disagreed 4 ROOT VERB VBD disagree
        . 4 punct PUNCT . .
        """,
        ents=["O", "O", "B-PERSON", "O", "O", "O"],
    )
    mend_entities(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Myron Demkiw", "PERSON")]
    result = run(
        LEAD + "Police Chief Myron Demkiw disagreed. Cutting the budget, he warned, would mean "
        "slower response times."
    )
    assert [(s.name, s.role) for s in result.speakers] == [("Myron Demkiw", "Police Chief")]


def test_a_speaker_asked_between_commas_before_the_cue(run: Callable[[str], Extraction]) -> None:
    """ "X, asked about Y, said ...": the parser reads "X asked about Y" as a clause of its
    own; X is still the one who said."""
    result = run(
        LEAD + "Boston coach Joe Mazzulla, asked about his team's third-quarter collapse, said "
        'his players "got comfortable" with the lead.'
    )
    said = [q for q in result.quotes if q.cue == "said"]
    assert [(q.rule, q.speaker_rule) for q in said] == [("reporting_verb", "person_name")]
    assert said[0].speaker is not None
    assert result.speakers[said[0].speaker].name == "Joe Mazzulla"


def test_a_name_described_as_a_body_is_an_organisation(run: Callable[[str], Extraction]) -> None:
    """NER tags "Santé Québec" a person; "the agency that now runs ..." says it is a body."""
    result = run(
        LEAD + "Santé Québec, the agency that now runs the province's hospitals, said in a "
        "statement that it was working with regional managers."
    )
    assert [(s.name, s.kind) for s in result.speakers] == [("Santé Québec", "organisation")]


def test_a_body_named_after_its_description_and_an_article(
    run: Callable[[str], Extraction],
) -> None:
    """ "The nurses' union, the FIQ, said": the FIQ speaks, not the body named before."""
    result = run(
        LEAD + "Dr. Ana Diaz praised Québec's plan.\n\n"
        "The nurses' union, the FIQ, said the bonuses would not fix the problem."
    )
    bonuses = [q for q in result.quotes if q.text.startswith("the bonuses")]
    assert len(bonuses) == 1 and bonuses[0].speaker is not None
    assert result.speakers[bonuses[0].speaker].name == "FIQ"


def test_a_name_hung_on_a_foreign_word_read_as_a_verb_is_the_speaker(
    run: Callable[[str], Extraction],
) -> None:
    """ "... of the Fédération des médecins spécialistes du Québec, said": the parser reads
    "spécialistes" as a verb, the cue's subject, with the name as its own subject."""
    result = run(
        LEAD + "Dr. Vincent Oliva, president of the Fédération des médecins spécialistes du "
        "Québec, said at least eight rural hospitals were at risk."
    )
    said = [q for q in result.quotes if q.cue == "said"]
    assert [(q.rule, q.text) for q in said] == [
        ("reporting_verb", "at least eight rural hospitals were at risk")
    ]
    assert said[0].speaker is not None
    assert result.speakers[said[0].speaker].name == "Vincent Oliva"


def test_a_portfolio_before_a_ministers_name_is_no_body_to_refer_back_to(
    run: Callable[[str], Extraction],
) -> None:
    """NER tags "Heritage" in "Heritage Minister Pascale St-Onge" a body; "The company" is
    still the company named before, not "Heritage"."""
    result = run(
        LEAD + "Google has agreed to pay $100 million a year to news outlets, Heritage Minister "
        "Pascale St-Onge announced Wednesday.\n\n"
        "The company had threatened to remove links to news from its search results."
    )
    threatened = [q for q in result.quotes if q.cue == "threatened"]
    assert threatened and threatened[0].speaker is not None
    assert result.speakers[threatened[0].speaker].name == "Google"
    assert "Heritage" not in [s.name for s in result.speakers]


def test_a_relative_clause_on_the_body_is_no_part_of_a_role(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        LEAD + "Paul Deegan, president of News Media Canada, which represents hundreds of "
        "newspapers, said smaller outlets would need to wait."
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Paul Deegan", "president of News Media Canada")
    ]


def test_a_cue_hung_on_a_noun_after_a_participle_root_is_the_subjects(
    run: Callable[[str], Extraction],
) -> None:
    """ "Jeb Bush, struggling to regain momentum, called Trump ...": the parser makes the
    participle the root and "called" a reduced relative on "momentum"."""
    result = run(
        LEAD + 'Jeb Bush, struggling to regain momentum, called Trump "a chaos candidate" who '
        'would be "a chaos president."'
    )
    assert {result.speakers[q.speaker].name for q in result.quotes if q.speaker is not None} == {
        "Jeb Bush"
    }


def test_an_office_named_with_a_capitalised_phrase_keeps_its_capitals(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        LEAD + "House Speaker John Boehner's office said the speaker's position had not changed."
    )
    assert [s.name for s in result.speakers] == ["House Speaker John Boehner's office"]


def test_a_participle_inside_a_report_before_a_trailing_cue_is_the_reports_subjects(
    run: Callable[[str], Extraction],
) -> None:
    """ "The union has rejected the offer, saying ..., its president said": the union says,
    not its president (who reports it)."""
    result = run(
        LEAD + "The Alberta Teachers' Association has rejected the province's latest offer, "
        "saying it does nothing to address class sizes, the union's president said Friday."
    )
    saying = [q for q in result.quotes if q.cue == "saying"]
    assert len(saying) == 1 and saying[0].speaker is not None
    assert result.speakers[saying[0].speaker].name == "Alberta Teachers' Association"


def test_a_one_word_title_takes_the_body_named_after_the_name(
    run: Callable[[str], Extraction],
) -> None:
    """ "Chief Tanya Cote of the Cote First Nation": the title is held in the body named after
    the name; a legislator's place is where they were elected from; a title of several words
    or a courtesy keeps what it had."""
    cases = {
        '"We want answers," says Chief Tanya Cote of the Cote First Nation.': (
            "Tanya Cote",
            "Chief of the Cote First Nation",
        ),
        "Gov. Phil Bryant of Mississippi said the party would unite.": (
            "Phil Bryant",
            "Governor of Mississippi",
        ),
        "Sen. Claire McCaskill of Missouri said it was time to unite.": (
            "Claire McCaskill",
            "Senator from Missouri",
        ),
        "Dr. Ana Ruiz of the University of Toronto said the study was sound.": ("Ana Ruiz", None),
    }
    for text, expected in cases.items():
        result = run(LEAD + text)
        assert [(s.name, s.role) for s in result.speakers] == [expected], text


def test_a_public_bodys_name_is_no_persons(run: Callable[[str], Extraction]) -> None:
    """ "The Special Investigations Unit (SIU) says": "Unit" names a body, whatever NER says."""
    result = run(
        LEAD + "The Special Investigations Unit (SIU) says the man suffered a broken bone "
        "during the arrest."
    )
    assert [(s.name, s.kind) for s in result.speakers] == [
        ("Special Investigations Unit", "organisation")
    ]


def test_a_headlines_comma_joins_names_and_gives_no_role(
    run: Callable[[str], Extraction],
) -> None:
    """ "Clinton, Trump spar over economy" (a headline: short, no closing stop): the parser
    reads the rest as Clinton's appositive; it is no role of hers."""
    result = run(
        "Clinton, Trump spar over economy in final debate\n\nHillary Clinton said her plan "
        "would make the wealthy pay their share. Donald Trump said taxes would fall."
    )
    assert {s.name: s.role for s in result.speakers} == {
        "Hillary Clinton": None,
        "Donald Trump": None,
    }


def test_a_person_entity_holding_an_acronym_is_a_body(run: Callable[[str], Extraction]) -> None:
    """NER tags "Surrey RCMP" a person in "Surrey RCMP spokesperson Cpl. Vanessa Munn"; a
    capitalised name with an acronym in it is a body's, so "according to RCMP" later is
    the force, not a person "Surrey RCMP"."""
    doc = hand_parse(
        """
        Surrey 1 compound PROPN NNP Surrey
        RCMP 2 compound PROPN NNP RCMP
        spokesperson 5 compound NOUN NN spokesperson
        Vanessa 4 compound PROPN NNP Vanessa
        Munn 5 nsubj PROPN NNP Munn
        spoke 5 ROOT VERB VBD speak
        """,
        ents=["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O"],
    )
    mend_entities(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Surrey RCMP", "ORG"),
        ("Vanessa Munn", "PERSON"),
    ]
    kept = hand_parse(
        "John 1 compound PROPN NNP John\nSmith 1 ROOT PROPN NNP Smith\nIII 1 appos PROPN NNP III",
        ents=["B-PERSON", "I-PERSON", "I-PERSON"],
    )
    mend_entities(kept)
    assert [e.label_ for e in kept.ents] == ["PERSON"]
    result = run(
        LEAD + "The man was hit by a truck, according to RCMP.\n\n"
        "Surrey RCMP spokesperson Cpl. Vanessa Munn said the driver stayed at the scene."
    )
    assert all(s.name != "Surrey RCMP" for s in result.speakers)
    first = result.quotes[0]
    assert first.speaker is not None
    assert result.speakers[first.speaker].kind == "organisation"


def test_a_given_name_ner_left_between_a_title_and_the_name_is_part_of_it() -> None:
    """ "Montreal Mayor Soraya Martinez Ferrada": NER tagged "Martinez Ferrada"; the untagged
    proper noun between the title and the name is the given name, listed or not."""
    rows = """
        Montreal 1 compound PROPN NNP Montreal
        Mayor 4 compound PROPN NNP Mayor
        Soraya 4 compound PROPN NNP Soraya
        Martinez 4 compound PROPN NNP Martinez
        Ferrada 5 nsubj PROPN NNP Ferrada
        spoke 5 ROOT VERB VBD speak
        """
    ents = ["B-GPE", "O", "O", "B-PERSON", "I-PERSON", "O"]
    doc = hand_parse(rows, ents)
    mend_entities(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Montreal", "GPE"),
        ("Soraya Martinez Ferrada", "PERSON"),
    ]
    # No title before the word: a place or a body's name, left out.
    untitled = hand_parse(
        rows.replace("Mayor 4 compound PROPN NNP Mayor", "Port 4 compound PROPN NNP Port"), ents
    )
    mend_entities(untitled)
    assert ("Martinez Ferrada", "PERSON") in [(e.text, e.label_) for e in untitled.ents]


def test_an_opening_phrases_words_read_as_subjects_are_not_the_speaker(
    run: Callable[[str], Extraction],
) -> None:
    """ "Under cross-examination, defence lawyer Dan Brown suggested ...": the parser made
    the opening phrase's words subjects of the cue too; the one after the comma speaks."""
    from app.extraction.attribution import subject_of

    doc = hand_parse(
        """
        Under 7 prep ADP IN under
        cross 7 nsubj NOUN NN cross
        , 7 punct PUNCT , ,
        defence 4 compound NOUN NN defence
        lawyer 6 compound NOUN NN lawyer
        Dan 6 compound PROPN NNP Dan
        Brown 7 nsubj PROPN NNP Brown
        suggested 7 ROOT VERB VBD suggest
        """
    )
    subject = subject_of(doc[7])
    assert subject is not None and subject.text == "Brown"
    result = run(
        LEAD + "Under cross-examination, defence lawyer Dan Brown suggested the witness had "
        "discussed the case with other executives."
    )
    assert [(s.name, s.role) for s in result.speakers] == [("Dan Brown", "defence lawyer")]


def test_a_company_named_for_its_industry_and_a_surname_with_a_capital_inside(
    run: Callable[[str], Extraction],
) -> None:
    """ "Irving Oil says" (NER: a person) is a company, which "the company" stands for;
    "Irving Oil spokesperson Candice MacLean" (NER: one organisation) is MacLean, with the
    words before her name as role."""
    result = run(
        LEAD + "The fire is under control, Irving Oil says. No one was hurt, the company said.\n\n"
        "Irving Oil spokesperson Candice MacLean said the cause was being investigated."
    )
    assert [(s.name, s.kind, s.role) for s in result.speakers] == [
        ("Irving Oil", "organisation", None),
        ("Candice MacLean", "person", "Irving Oil spokesperson"),
    ]
