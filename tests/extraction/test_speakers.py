"""Speakers: one canonical name per person, titles, roles, NER slips, aliases."""

from __future__ import annotations

from collections.abc import Callable

from app.extraction import Extraction


def test_surname_maps_to_full_name(run: Callable[[str], Extraction]) -> None:
    text = (
        "Israeli Prime Minister Benjamin Netanyahu spoke on Monday.\n\n"
        "Netanyahu said the army would prepare for an operation in the south."
    )
    result = run(text)
    assert [s.name for s in result.speakers] == ["Benjamin Netanyahu"]
    speaker = result.speakers[0]
    assert speaker.role == "Israeli Prime Minister"
    assert speaker.aliases[0] == "Benjamin Netanyahu"
    assert "Netanyahu" in speaker.aliases


def test_honorific_is_dropped_from_name(run: Callable[[str], Extraction]) -> None:
    text = (
        "Donald Trump arrived in Ohio on Friday.\n\n"
        'Mr. Trump said: "We are going to win this state by a lot of votes."'
    )
    result = run(text)
    assert [s.name for s in result.speakers] == ["Donald Trump"]


def test_role_from_appositive_after_name(run: Callable[[str], Extraction]) -> None:
    text = (
        "Comfort Ero, president of the International Crisis Group, warned on Wednesday "
        "that the fighting could spread."
    )
    result = run(text)
    assert result.speakers[0].name == "Comfort Ero"
    assert result.speakers[0].role == "president of the International Crisis Group"


def test_two_people_stay_apart(run: Callable[[str], Extraction]) -> None:
    text = (
        'Alice Wong said the deal was fair. "It is a good deal," Wong said.\n\n'
        'Bob Grant said it was not. "It is a bad deal," Grant said.'
    )
    result = run(text)
    names = [result.speakers[q.speaker].name for q in result.quotes if q.speaker is not None]
    assert names == ["Alice Wong", "Alice Wong", "Bob Grant", "Bob Grant"]
    assert len(result.speakers) == 2


def test_acronym_takes_the_name_it_was_introduced_with(run: Callable[[str], Extraction]) -> None:
    text = (
        "Immigration, Refugees and Citizenship Canada (IRCC) reviewed the file.\n\n"
        "IRCC said the decision would take two more months."
    )
    result = run(text)
    speaker = result.speakers[result.quotes[0].speaker or 0]
    assert speaker.name == "Immigration, Refugees and Citizenship Canada"
    assert speaker.kind == "organisation"
    assert "IRCC" in speaker.aliases


def test_ner_slip_on_a_surname_does_not_make_a_new_speaker(
    run: Callable[[str], Extraction],
) -> None:
    # The small model tags a bare surname before a verb as an organisation or place at times;
    # a known person's surname must still resolve to that person.
    text = (
        "Peter DeBoer coached the team to a win on Saturday.\n\n"
        '"You can see his impact on our team with the players around him," DeBoer said.'
    )
    result = run(text)
    assert [s.name for s in result.speakers] == ["Peter DeBoer"]


def test_common_first_name_gives_the_gender_for_pronouns(
    run: Callable[[str], Extraction],
) -> None:
    # A man's pronoun right after her name must not make "she" point at the man.
    text = (
        "Caroline Brandt questioned the ruling against Thomas Weller. He had appealed twice.\n\n"
        "Mark Osgood, a spokesman for the board, said the ruling stood.\n\n"
        "She said the board had ignored the evidence."
    )
    result = run(text)
    last = result.quotes[-1]
    assert last.speaker is not None
    assert result.speakers[last.speaker].name == "Caroline Brandt"


def test_the_statement_speaks_for_the_organisation_just_quoted(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "The Harbour Workers Association said in a statement that the strike would end soon.\n\n"
        "The statement also said that members would return to the docks on Monday."
    )
    result = run(text)
    names = [result.speakers[q.speaker].name for q in result.quotes if q.speaker is not None]
    assert len(names) == 2
    assert names[0] == names[1]
    assert "Harbour Workers Association" in names[1]


def test_a_new_document_keeps_its_own_description(run: Callable[[str], Extraction]) -> None:
    text = (
        "The Harbour Workers Association said in a statement that the strike would end soon.\n\n"
        "A report by outside auditors said that the port had lost money for a decade."
    )
    result = run(text)
    last = result.quotes[-1]
    assert last.speaker is not None
    assert "Harbour" not in result.speakers[last.speaker].name


def test_surname_particles_keep_a_name_a_name(run: Callable[[str], Extraction]) -> None:
    text = (
        "Pieter van der Molen, a hydrologist at the institute, studied the flood.\n\n"
        '"The river rose faster than any model predicted," he said.'
    )
    result = run(text)
    quote = result.quotes[-1]
    assert quote.speaker is not None
    assert result.speakers[quote.speaker].name == "Pieter van der Molen"


def test_shared_surname_goes_to_the_person_named_before_it(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "Erik Strand scored twice on Saturday.\n\n"
        '"It was nice to be back on the ice," said Strand.\n\n'
        "His teammate Olle Strand added a goal late in the third period."
    )
    result = run(text)
    quote = result.quotes[0]
    assert quote.speaker is not None
    assert result.speakers[quote.speaker].name == "Erik Strand"


def test_acronym_spelled_out_earlier_without_brackets(run: Callable[[str], Extraction]) -> None:
    # NER cuts the long name short ("... Chemical Makers"); the capitalised words before the
    # acronym still spell it out, initials and all.
    text = (
        "Exports dropped 3 per cent, according to a survey released on Monday by the "
        "Association of Chemical Makers and Traders. Meanwhile, imports rose.\n\n"
        "Prices will keep rising this year, according to the ACMT."
    )
    result = run(text)
    last = result.quotes[-1]
    assert last.speaker is not None
    assert result.speakers[last.speaker].name == "Association of Chemical Makers and Traders"


def test_proper_noun_beside_a_person_description_is_the_speaker(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        '"We never expected so many people to come to the opening," '
        "says the owner's brother, Marcus."
    )
    result = run(text)
    assert [result.speakers[q.speaker].name for q in result.quotes if q.speaker is not None] == [
        "Marcus"
    ]


def test_a_group_is_named_without_its_leading_article(
    run: Callable[[str], Extraction],
) -> None:
    named = run("The Lindmouth Water Board said on Monday that rates would rise.")
    assert [s.name for s in named.speakers] == ["Lindmouth Water Board"]
    assert "The Lindmouth Water Board" in named.speakers[0].aliases
    described = run("The ministry said on Monday that the border would reopen.")
    assert [(s.name, s.named) for s in described.speakers] == [("the ministry", False)]
    people = run("Officials said on Monday that 40 people were hurt.")
    assert [(s.name, s.named) for s in people.speakers] == [("officials", False)]
    plural = run("Economists at a Lindmouth bank said on Monday that rates would stay high.")
    assert [s.name for s in plural.speakers] == ["economists at a Lindmouth bank"]
    assert named.speakers[0].named


def test_an_agency_named_after_its_country_is_not_the_country(
    run: Callable[[str], Extraction],
) -> None:
    result = run("Environment Canada said the storm would bring 80 mm of rain by Friday.")
    assert [s.name for s in result.speakers] == ["Environment Canada"]
    titled = run("Transport Minister Ana Ruiz said the rules would change in May.")
    assert [(s.name, s.role) for s in titled.speakers] == [("Ana Ruiz", "Transport Minister")]


def test_a_name_with_particles_is_not_cut_after_them(run: Callable[[str], Extraction]) -> None:
    result = run(
        "Ursula von der Leyen, the European Commission president, welcomed the talks. She "
        'said Europe needed "more ammunition, faster".'
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Ursula von der Leyen", "European Commission president")
    ]


def _roles(result: Extraction) -> list[tuple[str | None, str | None, str]]:
    return [
        (
            result.speakers[q.speaker].name if q.speaker is not None else None,
            result.speakers[q.speaker].role if q.speaker is not None else None,
            q.text,
        )
        for q in result.quotes
    ]


def test_an_abbreviated_title_is_spelled_out_as_the_role(run: Callable[[str], Extraction]) -> None:
    text = (
        "The council met on Monday.\n\nSen. Ravi Patel said the bill would pass. The senator "
        "added that the vote would come in May."
    )
    # The spelled-out role is what lets "the senator" find him.
    assert _roles(run(text)) == [
        ("Ravi Patel", "Senator", "the bill would pass"),
        ("Ravi Patel", "Senator", "the vote would come in May"),
    ]
    text = "The council met on Monday.\n\nLt. Gov. Dan Cole said the budget was balanced."
    assert _roles(run(text)) == [("Dan Cole", "Lieutenant Governor", "the budget was balanced")]


def test_a_councillors_title_is_a_role_abbreviated_or_inside_the_name(
    run: Callable[[str], Extraction],
) -> None:
    """ "Coun." is spelled out like "Sen."; a title NER tagged as part of the name ("Councillor
    Mia Berg" as one PERSON) is still her role, not part of her name."""
    text = (
        'The council met on Monday.\n\n"We heard people loud and clear," said Coun. Marisol '
        "Guerrero, who chairs the committee. Guerrero said staff would return in March."
    )
    assert _roles(run(text)) == [
        ("Marisol Guerrero", "Councillor", "We heard people loud and clear"),
        ("Marisol Guerrero", "Councillor", "staff would return in March"),
    ]
    text = "The council met on Monday.\n\nCouncillor Mia Berg said the vote would wait."
    assert _roles(run(text)) == [("Mia Berg", "Councillor", "the vote would wait")]


def test_a_hyphenated_rank_is_one_role_and_breaks_no_sentence(
    run: Callable[[str], Extraction],
) -> None:
    """Canadian Press writes "Brig.-Gen." and "Lt.-Gov.": before, the tokenizer cut the full
    stop off and the sentence broke between the rank and the name."""
    text = (
        "Troops arrived on Monday.\n\nBrig.-Gen. Conrad Mialkowski said soldiers would stay "
        "as long as needed.\n\nLt.-Gov. Ana Ruiz said the province was grateful."
    )
    assert _roles(run(text)) == [
        ("Conrad Mialkowski", "Brigadier-General", "soldiers would stay as long as needed"),
        ("Ana Ruiz", "Lieutenant-Governor", "the province was grateful"),
    ]


def test_a_rank_opening_a_sentence_stays_with_the_name(
    run: Callable[[str], Extraction],
) -> None:
    """'Coun. Greg Norton said ...': the parser ended a sentence at "Coun." and the name lost
    its title; no sentence now starts right after a title abbreviation."""
    text = (
        "The water main broke on Monday.\n\nCoun. Greg Norton said the city has known for "
        "years that the system needed work."
    )
    assert _roles(run(text)) == [
        ("Greg Norton", "Councillor", "the city has known for years that the system needed work")
    ]


def test_an_age_beside_a_name_is_no_role(run: Callable[[str], Extraction]) -> None:
    text = (
        "The council met on Monday.\n\nPaul Okafor, 71, said the hub would cut the street in "
        "two. Ines Varga, 64, a retired nurse, said it would not."
    )
    assert _roles(run(text)) == [
        ("Paul Okafor", None, "the hub would cut the street in two"),
        ("Ines Varga", "retired nurse", "it would not"),
    ]


def test_a_person_noun_folded_into_a_name_is_the_role(run: Callable[[str], Extraction]) -> None:
    """NER takes a sentence-opening "Goaltender" into the name; with a first name and a
    surname after it, it is the role. A one-word name after it stays whole ("Baker Mayfield")."""
    text = (
        "The team won on Saturday.\n\nGoaltender Stuart Skinner made 31 saves. "
        '"That is hockey," Skinner said.'
    )
    assert _roles(run(text)) == [("Stuart Skinner", "Goaltender", "That is hockey")]
    text = 'The team won on Saturday.\n\nBaker Mayfield threw twice. "We won," Mayfield said.'
    assert [r[:2] for r in _roles(run(text))] == [("Baker Mayfield", None)]


def test_a_courtesy_title_alone_is_no_role(run: Callable[[str], Extraction]) -> None:
    text = (
        "The council met on Monday.\n\nDr. Lena Ford said cases were rising. Mr. Tom Hale said "
        "they were not."
    )
    assert _roles(run(text)) == [
        ("Lena Ford", None, "cases were rising"),
        ("Tom Hale", None, "they were not"),
    ]


def test_a_party_and_state_tag_is_no_role(run: Callable[[str], Extraction]) -> None:
    for tag in ("(D-Calif.)", ", R-Texas,", "(I-Vt.)"):
        text = f"The council met on Monday.\n\nRep. Ana Ruiz {tag} said the vote was close."
        text = text.replace(" ,", ",")
        assert _roles(run(text)) == [("Ana Ruiz", "Representative", "the vote was close")], tag


def test_a_party_and_state_tag_is_nobody_who_speaks_next(run: Callable[[str], Extraction]) -> None:
    """'"A," said Sen. X, D-N.M., who ... "B."': the tag and the relative clause are X's,
    so B goes on X's quote; "D-N.M." is never a speaker."""
    text = (
        'The council met on Monday.\n\n"The people want this fixed," said Sen. Maria Delgado, '
        'D-N.M., who helped write the measure. "Every day we wait, it gets worse."'
    )
    result = run(text)
    assert [s.name for s in result.speakers] == ["Maria Delgado"]
    assert [len(q.fragments) for q in result.quotes] == [2]


def test_a_possessive_inside_the_organisation_keeps_it_in_the_description(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "The council met on Monday.\n\nA spokesperson for the Ontario Nurses' Association said "
        "the union wanted more staff."
    )
    assert _roles(run(text)) == [
        (
            "a spokesperson for the Ontario Nurses' Association",
            None,
            "the union wanted more staff",
        )
    ]


def test_every_rank_the_tokenizer_keeps_whole_is_spelled_out_as_a_role() -> None:
    """The tokenizer's rank abbreviations ("Coun.", "Cst.") and the roles' spellings are two
    lists; a rank in the first and not the second would become part of a speaker's name."""
    from app.extraction.lexicon import ABBREVIATED_TITLES, COURTESY_TITLES
    from app.extraction.nlp import _RANK_ABBREVIATIONS
    from app.extraction.speakers import HONORIFICS

    for rank in _RANK_ABBREVIATIONS:
        word = rank.rstrip(".").lower()
        assert word in ABBREVIATED_TITLES or word in COURTESY_TITLES, rank
        assert word in HONORIFICS, rank


def test_another_is_no_part_of_a_role(run: Callable[[str], Extraction]) -> None:
    text = (
        "Parents packed the gym on Tuesday.\n\n"
        '"What happens when it is 35?" said Priya Raman, a mother of two.\n\n'
        "Another parent, Michael Chen, said he has written to his MPP three times."
    )
    assert [(s.name, s.role) for s in run(text).speakers] == [
        ("Priya Raman", "mother of two"),
        ("Michael Chen", "parent"),
    ]


def test_a_name_set_beside_an_organisation_description_is_an_organisation(
    run: Callable[[str], Extraction],
) -> None:
    """'The union representing the workers, Unifor, said': NER tags the union's name as a
    person; a description headed by an organisation noun says otherwise. 'The retailer' is
    the company named before it."""
    result = run(
        "Hudson's Bay Co. says it will close its Home Outfitters stores.\n\n"
        "The retailer said the closures would be completed by the end of the year.\n\n"
        "The union representing some of the workers, Unifor, said it would fight for fair "
        "severance.\n\nThe firm's chief, Jane Doe, said sales were down."
    )
    kinds = [
        (result.speakers[q.speaker].name, result.speakers[q.speaker].kind)
        for q in result.quotes
        if q.speaker is not None
    ]
    assert kinds == [
        ("Hudson's Bay Co.", "organisation"),
        ("Hudson's Bay Co.", "organisation"),
        ("Unifor", "organisation"),
        ("Jane Doe", "person"),
    ]


def test_a_spokesperson_for_a_long_named_body_keeps_the_body(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The water advisory went on.\n\nIn an email, a spokesperson for the New Brunswick "
        "Department of Health wrote that there have been no reports of illness."
    )
    assert [s.name for s in result.speakers] == [
        "a spokesperson for the New Brunswick Department of Health"
    ]


def test_a_relative_clause_on_the_description_is_no_part_of_the_role(
    run: Callable[[str], Extraction],
) -> None:
    text = (
        "A new study was published on Monday.\n\nDr. Sarah Nowell, a sleep researcher at "
        "McGill University who was not involved in the study, said the sample was small."
    )
    assert [(s.name, s.role) for s in run(text).speakers] == [
        ("Sarah Nowell", "sleep researcher at McGill University")
    ]


def test_a_name_tagged_whole_with_a_bodys_title_loses_the_title() -> None:
    from app.extraction.speakers import clean_name, office_title_length

    assert office_title_length(["Treasury", "Board", "President", "Ana", "Ruiz"]) == 3
    assert clean_name("Acme Corp President Brad Smith") == ("Brad Smith", None)
    assert office_title_length(["Martin", "Luther", "King", "Jr."]) == 0
    assert office_title_length(["Ana", "Ruiz"]) == 0
    assert office_title_length(["the", "union", "president", "Ana", "Ruiz"]) == 0


def test_a_hyphenated_title_the_parser_split_is_the_whole_role(
    run: Callable[[str], Extraction],
) -> None:
    """'vice-president of ...' comes out of the parser as three appositives of the name."""
    text = (
        "Economists were divided. Ruth Kowal, vice-president of economics at a large bank, "
        "said the numbers were weak."
    )
    roles = {s.name: s.role for s in run(text).speakers}
    assert roles["Ruth Kowal"] is not None and roles["Ruth Kowal"].startswith("vice-president")


def test_a_capitalised_opener_or_a_hyphenated_words_tail_is_no_role(
    run: Callable[[str], Extraction],
) -> None:
    """'Injecting Hillary Clinton's health into the race ...' gives no role "Injecting";
    'Hillary Clinton and her co-conspirators' no role "conspirators"."""
    text = (
        "The rally ended late.\n\nInjecting Hillary Clinton's health into the race, he asked "
        "for a pardon for Hillary Clinton and her co-conspirators.\n\nClinton said she "
        "was fine."
    )
    roles = {s.name: s.role for s in run(text).speakers}
    assert roles["Hillary Clinton"] is None


def test_a_hyphenated_description_the_parser_split_still_names_the_speaker(
    run: Callable[[str], Extraction],
) -> None:
    """'Her co-worker, Dave Patel, said': the parser makes "co", "-" and "worker" three
    subjects; the name beside the last is the speaker, the whole word the role."""
    result = run(
        "The plant closed last week.\n\nHer co-worker, Dave Patel, said the workers were owed "
        "two weeks of pay."
    )
    assert [(s.name, s.role) for s in result.speakers] == [("Dave Patel", "co-worker")]


def test_a_bodys_name_the_parser_set_apart_stays_in_the_title(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The plant closed last week.\n\nUnifor national president Lana Payne called the "
        'closure "corporate cowardice."'
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Lana Payne", "Unifor national president")
    ]


def test_a_spokesperson_for_a_titled_person_keeps_the_person(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "The measure ends in March.\n\nA spokesperson for Finance Minister Marie-Ève Caron "
        "said the government will look at ways to support small businesses."
    )
    assert [s.name for s in result.speakers] == [
        "a spokesperson for Finance Minister Marie-Ève Caron"
    ]


def test_a_courtesy_title_between_office_and_name_is_no_part_of_the_role(
    run: Callable[[str], Extraction],
) -> None:
    result = run(
        "Flu cases are rising.\n\nProvincial health officer Dr. Lena Ford said cases are "
        "rising earlier than usual."
    )
    assert [(s.name, s.role) for s in result.speakers] == [
        ("Lena Ford", "Provincial health officer")
    ]


def test_a_name_ending_in_services_is_a_body(run: Callable[[str], Extraction]) -> None:
    """NER may tag "Emergency Health Services" a person; a service is an institution."""
    result = run(
        "A woman died waiting for an ambulance.\n\nEmergency Health Services said in a "
        'statement that it was "deeply saddened" by the death.'
    )
    assert [(s.name, s.kind) for s in result.speakers] == [
        ("Emergency Health Services", "organisation")
    ]


def test_a_named_possessor_stays_in_the_title(run: Callable[[str], Extraction]) -> None:
    """ "Students' Union president Marc Tembo": the union's name is part of the title; "his"
    in "His lawyer Ann Roe" is not."""
    result = run(
        'Tuition will be frozen.\n\n"This is a win for every student who showed up," said '
        'Students\' Union president Marc Tembo. "But one year is not enough."\n\nThe dean '
        "said nothing. His lawyer Ann Roe said the union would go on."
    )
    roles = {s.name: s.role for s in result.speakers}
    assert roles["Marc Tembo"] == "Students' Union president"
    assert roles["Ann Roe"] == "lawyer"
