"""Names rules: the people (and organisations) a paragraph names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Span, Token

from app.extraction.rules import fired, rule
from app.extraction.rules.mention.named import coordinated_body
from app.extraction.rules.names.scan import NameScan
from app.extraction.speakers import (
    _KIN_GENDER,
    _SLIP_LABELS,
    INSTITUTION_WORDS,
    ORG_NOUNS,
    PERSON_NOUNS,
    POST_HEADS,
    TITLE_WORDS,
    PersonMention,
    _appositive_role,
    _compound_name,
    _described_name,
    _looks_like_name,
    _organisation_described,
    _person_appositive,
    _subject_role,
    _title_before,
    body_appositive,
    body_noun_before,
    brand_name,
    clean_name,
    description_role,
    first_name_gender,
    noun_phrase,
)


@rule(
    "group_tagged_person",
    stage="names",
    example="The aid group Harbor said it would send food.",
)
def group_tagged_person(scan: NameScan) -> bool:
    """A PERSON entity that a group's description stands before ("the aid group Harbor") is
    no person: set aside."""
    entity = scan.entity
    return entity is not None and entity.label_ == "PERSON" and _organisation_described(entity)


@rule(
    "person_entity",
    stage="names",
    example="Jane Doe, the mayor, opened the bridge.",
)
def person_entity(scan: NameScan) -> bool:
    """A PERSON entity is a person, with the title before it or its appositive as a role
    ("Mayor Jane Doe", "Jane Doe, the mayor,"); one named inside quotation marks is known
    but followed by no pronoun."""
    entity = scan.entity
    if entity is None or entity.label_ != "PERSON":
        return False
    if (len(entity) == 1 and brand_name(entity.text)) or body_appositive(entity.root):
        # "WestJet" tagged PERSON: a company; noted for "the airline" and "its" later; so is
        # "Santé Québec, the agency that runs the hospitals,".
        start = scan.position(entity.start_char)
        if not scan.quoted_at(start):
            scan.book.organisations.append((start, entity.text))
        return True
    subject, background = _subject_role(entity.root)
    inside = scan.quoted_at(scan.position(entity.start_char))
    described = None if inside else _described_as(entity.root)
    index = scan.register(
        entity,
        _title_before(entity) or _appositive_role(entity.root) or described,
        subject=subject,
        background=background,
        inside=inside,
        modifier=_modifies_noun(entity),
    )
    # "whose son Evan": a kin noun beside the name gives the gender, as for a name NER missed.
    kin = _KIN_GENDER.get(entity.root.head.lower_) if entity.root.dep_ == "appos" else None
    if index is not None and kin is not None:
        scan.book.vote_gender(index, kin, 3)
    return True


def _described_as(root: Token) -> str | None:
    """The post a name is set beside ("Hockey Canada's chief executive officer, Katherine
    Henderson, will step down"), when the name is the description's appositive."""
    head = root.head
    if root.dep_ != "appos" or head.pos_ != "NOUN" or head.i > root.i:
        return None
    if head.lower_ not in PERSON_NOUNS and head.lower_ not in TITLE_WORDS | POST_HEADS:
        return None
    if head.lower_ in _KIN_GENDER:
        return None  # "his wife, Hillary Clinton": a relation, not a post
    role = description_role(noun_phrase(head).text)
    return role if 0 < len(role.split()) <= 10 else None


def _modifies_noun(entity: Span) -> bool:
    """Whether a name only qualifies a common noun after it ("Hodgkin lymphoma", "the Trump
    administration"): no person a he/she after it is likely to be."""
    root = entity.root
    return root.dep_ == "compound" and root.head.i >= entity.end and root.head.pos_ == "NOUN"


_NAMED_AFTER = frozenset(
    {
        "act",
        "airport",
        "arena",
        "avenue",
        "award",
        "bill",
        "boulevard",
        "bridge",
        "building",
        "fund",
        "highway",
        "library",
        "museum",
        "park",
        "prize",
        "road",
        "square",
        "stadium",
        "station",
        "street",
        "tower",
        "trail",
    }
)
"""Nouns that end a name given after a person (a bridge, a law, a prize), not a person's."""


@rule(
    "titled_untagged_name",
    stage="names",
    example="Mayor Ana Ruiz leads her challenger by six points in the latest poll.",
)
def titled_untagged_name(scan: NameScan) -> bool:
    """Two or three capitalised words right after a title word that NER left untagged
    ("Mayor Ana Ruiz leads ...", "councillor Tom Hale"): a person, with the title as role,
    so that "Ruiz said" later is hers, wherever in the clause she was named."""
    token = scan.token
    doc = token.doc
    if token.ent_type_ or token.pos_ != "PROPN" or token.i == 0:
        return False
    if doc[token.i - 1].lower_.rstrip(".") not in TITLE_WORDS:
        return False
    end = token.i + 1
    while (
        end < len(doc)
        and end - token.i < 3
        and doc[end].pos_ == "PROPN"
        and not doc[end].ent_type_
        and doc[end].is_alpha
        and doc[end].is_title
    ):
        end += 1
    name = Span(doc, token.i, end, label="PERSON")
    if len(name) < 2 or not all(t.is_alpha and t.is_title for t in name):
        return False
    return _register_titled(scan, name)


def _names_a_body(words: Iterable[str]) -> bool:
    """Whether a name's words hold a title, an organisation noun or a noun things are named
    after ("Mayor Ana Ruiz Bridge", "Acme Foods Group"): no person's name."""
    return any(w.lower() in TITLE_WORDS or w.lower() in ORG_NOUNS | _NAMED_AFTER for w in words)


def _register_titled(scan: NameScan, name: Span) -> bool:
    """Register a titled name as a person with the title as role (or, with no title, the
    description set beside it: "Sylvain Charlebois, director of the Agri-Food Analytics
    Lab,"), unless it is the start of something named after a person ("Mayor Ana Ruiz
    Bridge", "Senator Jo Lee Act") or modifies a noun after it ("Premier Jo Lee
    Foundation")."""
    if _names_a_body(t.text for t in name):
        return False
    last = name[-1]
    if last.dep_ == "compound" and last.head.i >= name.end:
        return False
    subject, background = _subject_role(last)
    scan.register(
        name,
        _title_before(name) or _appositive_role(last),
        subject=subject,
        background=background,
        inside=scan.quoted_at(scan.position(name.start_char)),
    )
    return True


_TITLE_MODIFIERS = frozenset({"former", "interim", "acting", "deputy", "vice"})
"""Title words that also qualify places and bodies ("the former Soviet Union")."""


@rule(
    "titled_mistagged_name",
    stage="names",
    example="Premier Sophie Leclair visited the port.",
)
def titled_mistagged_name(scan: NameScan) -> bool:
    """Two or three capitalised words right after a title word that NER took for an
    organisation or a place ("Premier Sophie Leclair" with "Sophie Leclair" as ORG): a
    person, with the title as role, so that "Leclair said" later is hers and a person's."""
    entity = scan.entity
    if entity is None or entity.label_ not in {"ORG", "GPE"} or entity.start == 0:
        return False
    doc = entity.doc
    before = doc[entity.start - 1]
    title = before.lower_.rstrip(".")
    # A person noun in lower case is a title too ("rescue manager B.J. Chute").
    person_noun = before.is_lower and title in PERSON_NOUNS and title not in ORG_NOUNS
    if (title not in TITLE_WORDS and not person_noun) or title in _TITLE_MODIFIERS:
        return False  # "the former Soviet Union" is no former officer's name
    if entity[-1].tag_ == "POS":  # "Premier Sophie Leclair's office"
        entity = doc[entity.start : entity.end - 1]
    if not 2 <= len(entity) <= 3 or not all(
        (t.is_alpha and t.is_title) or _INITIALS.fullmatch(t.text) for t in entity
    ):
        return False
    if all(_INITIALS.fullmatch(t.text) for t in entity):
        return False
    return _register_titled(scan, Span(doc, entity.start, entity.end, label="PERSON"))


_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")
"""Initials standing for given names ("B.J.", "J.")."""
_RELATIVE_PERSON = frozenset({"who", "whom", "whose"})
_HE_SHE = frozenset({"he", "she"})


@rule(
    "evidenced_mistagged_person",
    stage="names",
    example="Marie-Eve Tremblay, who owns a bookstore, says she is hopeful.",
)
def evidenced_mistagged_person(scan: NameScan) -> bool:
    """Two or three capitalised words NER took for an organisation or a place that the
    sentence shows to be a person: a "who" clause on it, an age or a person noun set beside
    it, or a he/she as the subject of what it says ("Marie-Eve Tremblay, who owns a bookstore,
    says she ..."). A person, so that "she said" later is hers and not the last person NER
    knew. Not after "the" ("the White House said she ...": people's names take none)."""
    entity = scan.entity
    if entity is None or entity.label_ not in _SLIP_LABELS:
        return False
    doc = entity.doc
    if entity[-1].tag_ == "POS":
        entity = doc[entity.start : entity.end - 1]
    entity = _with_split_surname(entity)
    words = entity.text.split()
    # One word only with a "who" clause on it ("Smith, who was elected in 2014, said").
    fewest = 1 if _who_clause(entity.root) else 2
    if not fewest <= len(words) <= 3 or not all(
        w[:1].isupper() and w.replace("-", "").isalpha() and not w.isupper() for w in words
    ):
        return False
    if len(words) == 1 and words[0].lower() in INSTITUTION_WORDS | ORG_NOUNS:
        return False
    if entity.start > 0 and doc[entity.start - 1].lower_ in {"the", "a", "an"}:
        return False
    root = entity.root
    if root.tag_ == "NNPS":
        return False
    if not (_person_evidence(root) or first_name_gender(entity.text) is not None):
        return False
    return _register_titled(scan, Span(doc, entity.start, entity.end, label="PERSON"))


def _with_split_surname(entity: Span) -> Span:
    """ "Amanda Cole drove ...": NER split the name into an organisation and a product; a
    one-word entity compounded onto the capitalised proper noun right after it is read with
    that word (the surname)."""
    doc = entity.doc
    if len(entity) != 1 or entity.end >= len(doc):
        return entity
    word, after = entity[0], doc[entity.end]
    if not (
        word.dep_ == "compound"
        and word.head.i == after.i
        and after.pos_ == "PROPN"
        and after.text[:1].isupper()
        and after.is_alpha
        and after.ent_type_ in _SLIP_LABELS | {""}
    ):
        return entity
    return doc[entity.start : entity.end + 1]


def _who_clause(root: Token) -> bool:
    """Whether a relative clause opened by "who", "whom" or "whose" hangs on the name."""
    return any(
        child.dep_ == "relcl" and any(t.lower_ in _RELATIVE_PERSON for t in child.lefts)
        for child in root.rights
    )


def _person_evidence(root: Token) -> bool:
    """Whether a name's sentence shows it is a person's (see evidenced_mistagged_person)."""
    if _who_clause(root) or _person_appositive(root):
        return True
    if root.dep_ != "nsubj":
        return False
    return any(
        clause.dep_ == "ccomp"
        and any(t.dep_ == "nsubj" and t.lower_ in _HE_SHE for t in clause.children)
        for clause in root.head.children
    )


@rule(
    "appositive_untagged_name",
    stage="names",
    example="Yuni, a resident of Lampung, was watching television.",
)
def appositive_untagged_name(scan: NameScan) -> bool:
    """A proper-noun subject that NER missed, described by a person appositive, is a person
    with that role."""
    token = scan.token
    if not (
        not token.ent_type_
        and token.pos_ == "PROPN"
        and token.dep_ in {"nsubj", "nsubjpass"}
        and _person_appositive(token)
    ):
        return False
    name = _compound_name(token)
    if _looks_like_name(name.text) and not scan.quoted_at(scan.position(name.start_char)):
        scan.register(name, _appositive_role(token), subject=True)
    return True


@rule(
    "described_name",
    stage="names",
    example="His wife, Elena, agreed with the plan.",
)
def described_name(scan: NameScan) -> bool:
    """A name set beside a person noun is a person's, whatever NER made of it (often a place
    or an organisation for a lone first name); a kin noun also gives the gender."""
    described = _described_name(scan.token)
    if described is None:
        return False
    if scan.quoted_at(scan.position(described.start_char)):
        return True
    head = described.root.head
    role = description_role(noun_phrase(head).text)
    index = scan.register(described, role, subject=head.dep_ in {"nsubj", "nsubjpass"})
    kin = _KIN_GENDER.get(head.lower_)
    if index is not None and kin is not None:
        scan.book.vote_gender(index, kin, 3)
    return True


@rule(
    "known_person_slip",
    stage="names",
    example="Tom Vickers led the team. Vickers said the season was over.",
)
def known_person_slip(scan: NameScan) -> bool:
    """NER calls some surnames places or organisations ("Vickers" as ORG): the name of a
    person already introduced stays that person's mention, never a new speaker."""
    entity = scan.entity
    if entity is None or entity.label_ not in _SLIP_LABELS or not _looks_like_name(entity.text):
        return False
    known = scan.book.known_person(entity.text)
    if known is None:
        return False
    start = scan.position(entity.start_char)
    if not scan.quoted_at(start):
        subject, background = _subject_role(entity.root)
        scan.book.mentions.append(PersonMention(start, known, subject, background))
        scan.named(known, subject=subject)
    return True


@rule(
    "surname_of_mistagged_person",
    stage="names",
    example="Pascal Siakam scored 32 points. Siakam said the team never gave up.",
)
def surname_of_mistagged_person(scan: NameScan) -> bool:
    """NER takes some people for organisations in every mention ("Pascal Siakam" and later
    "Siakam", both ORG). When the last word of a two- or three-word name noted as an
    organisation comes back alone as a clause's subject, with no article ("Siakam said"),
    the name is a person's: bodies come back as "the Raptors" or by their first word
    ("Goldman"), not by their last. Not a place ("Hockey Canada" ... "Canada said")."""
    token = scan.token
    entity = scan.entity
    if entity is not None and (len(entity) != 1 or entity.label_ not in {"ORG", "PERSON"}):
        return False
    if entity is None and token.ent_type_:
        return False
    if token.dep_ not in {"nsubj", "nsubjpass"} or not (token.is_alpha and token.is_title):
        return False
    if any(c.dep_ in {"det", "compound", "poss"} for c in token.children):
        return False
    if token.lower_ in ORG_NOUNS or scan.book.known_person(token.text) is not None:
        return False
    full = _organisation_by_last_word(scan, token.text)
    if full is None:
        return False
    position = scan.position(token.idx)
    if scan.quoted_at(position):
        return False
    index = scan.book.add_name(full, position, subject=True)
    if index is None:
        return False
    scan.named(index, subject=True)
    return True


def _organisation_by_last_word(scan: NameScan, word: str) -> str | None:
    """The organisation noted earlier whose name is two or three capitalised words ending in
    `word` and naming no kind of body ("Pascal Siakam", not "Hockey Canada" or "Acme
    Foods Group")."""
    for _, name in reversed(scan.book.organisations):
        words = name.split()
        if not 2 <= len(words) <= 3 or words[-1] != word:
            continue
        if not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
            continue
        if _names_a_body(words):
            continue
        return name
    return None


@rule(
    "known_surname_untagged",
    stage="names",
    example="Ann Cole and Moss met on Monday. She said the deal was done.",
)
def known_surname_untagged(scan: NameScan) -> bool:
    """A lone capitalised word NER left untagged that is a known person's surname ("Moss"
    after "Rita Moss"): a sighting of that person, so that a he/she after it, which could be
    either of two people, is a guess (pronoun_rival) and not a confident answer."""
    token = scan.token
    if token.ent_type_ or token.pos_ != "PROPN" or not (token.is_alpha and token.is_title):
        return False
    if token.dep_ == "compound" or any(c.dep_ == "compound" for c in token.children):
        return False  # part of a longer name ("Moss Street", "the Moss report")
    known = scan.book.known_person(token.text)
    if known is None:
        return False
    start = scan.position(token.idx)
    if not scan.quoted_at(start):
        # A rival only: antecedents, the last named and the topic stay the tagged names'.
        scan.book.sightings.append((start, known))
    return True


@rule(
    "organisation_noted",
    stage="names",
    example="The Transit Workers Union met on Friday. The union said talks had failed.",
)
def organisation_noted(scan: NameScan) -> bool:
    """An ORG entity named outside quotation marks is noted, for descriptions ("the union"),
    acronyms and "it" later; one named only in someone's quoted words is no antecedent.
    Never decides: a pronoun vote may still read the token."""
    entity = scan.entity
    if entity is not None and entity.label_ == "ORG" and _portfolio(entity):
        return False  # "Heritage Minister Pascale St-Onge": a minister's portfolio, no body
    if entity is not None and entity.label_ == "ORG":
        start = scan.position(entity.start_char)
        whole = coordinated_body(entity.root)  # "Colleges and Institutes Canada"
        if whole is not None and whole.start <= entity.start and entity.end <= whole.end:
            entity = whole
            start = scan.position(entity.start_char)
        if not scan.quoted_at(start):
            scan.book.organisations.append((start, clean_name(entity.text)[0]))
            fired("organisation_noted")  # it passes, but what it noted changes what follows
        return False
    token = scan.token
    named = _named_after_body_noun(token) or _determined_proper_subject(token)
    if named is None and not token.ent_type_ and token.pos_ == "PROPN" and brand_name(token.text):
        named = token.doc[token.i : token.i + 1]  # "WestJet has apologized": a company
    if named is not None:
        start = scan.position(named.start_char)
        if not scan.quoted_at(start):
            scan.book.organisations.append((start, named.text))
            fired("organisation_noted")
    return False


def _portfolio(entity: Span) -> bool:
    """A one-word ORG right before an office title and a name ("Heritage Minister Pascale
    St-Onge", "Finance Minister Jo Lee"): the portfolio in a title, not a body named."""
    doc = entity.doc
    if len(entity) != 1 or entity.end + 1 >= len(doc):
        return False
    title = doc[entity.end]
    return title.lower_.rstrip(".") in TITLE_WORDS and any(
        t.ent_type_ == "PERSON" for t in doc[entity.end + 1 : entity.end + 4]
    )


def _determined_proper_subject(token: Token) -> Span | None:
    """ "The Ontario Chamber of Commerce welcomed the move": a subject NER left untagged
    that is all capitalised words (with "of", "and", "for") after "the" names a body; a
    person's name takes no article."""
    if token.ent_type_ or token.pos_ != "PROPN" or token.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return None
    span = token.doc[token.left_edge.i + 1 : token.right_edge.i + 1]
    words = [t for t in span if t.lower_ not in {"of", "and", "for", "&"}]
    if len(words) < 2 or not all(t.is_title and t.is_alpha and not t.ent_type_ for t in words):
        return None
    return span


def _named_after_body_noun(token: Token) -> Span | None:
    """ "the drivers' union Aslef": proper nouns NER left untagged right after a lower-case
    noun for a kind of body that the parser hung on them."""
    doc = token.doc
    if token.ent_type_ or token.pos_ != "PROPN" or not token.is_title:
        return None
    end = token.i + 1
    while end < len(doc) and end - token.i < 4 and doc[end].pos_ == "PROPN" and doc[end].is_title:
        end += 1
    name = doc[token.i : end]
    return name if body_noun_before(name) is not None else None
