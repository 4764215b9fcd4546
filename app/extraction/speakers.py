"""Speaker mentions, one canonical name per person within an article, genders, roles, pronouns."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from spacy.tokens import Doc, Span, Token

from app.extraction.lexicon import (
    ABBREVIATED_TITLES,
    ADDRESSED_OBJECT_VERBS,
    COURTESY_TITLES,
    DOCUMENT_AUTHORING_VERBS,
    HEADLINE_CUE_WORDS,
    NAME_LABELS,
)
from app.extraction.types import SpeakerKind, SpeakerRef

MentionKind = Literal["name", "pronoun", "nominal"]
Gender = Literal["m", "f"]

HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "reverend",
    "fr",
    "sen",
    "senator",
    "rep",
    "gov",
    "lt",
    "gen",
    "col",
    "capt",
    "sgt",
    "cpl",
    "maj",
    "adm",
    "insp",
    "det",
    "const",
    "supt",
    "hon",
    "judge",
    "justice",
    "pope",
} | set(ABBREVIATED_TITLES)
# Offices that end a body's title before a name ("Treasury Board President", "Microsoft
# President"); not the title words that are also given names or surnames often (King,
# Prince, General) or that qualify another (Prime, Deputy, Former).
_OFFICE_TITLES = frozenset(
    {
        "president",
        "minister",
        "premier",
        "mayor",
        "governor",
        "chief",
        "secretary",
        "chancellor",
        "ambassador",
        "commissioner",
        "director",
        "chair",
        "chairman",
        "chairwoman",
        "councillor",
        "councilor",
        "superintendent",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "coach",
        "leader",
    }
)
# Title words that NER sometimes folds into a PERSON entity ("President Trump").
TITLE_WORDS = (
    HONORIFICS
    | _OFFICE_TITLES
    | {
        "prime",
        "king",
        "queen",
        "prince",
        "princess",
        "sheikh",
        "speaker",
        "general",
        "inspector",
        "officer",
        "sergeant",
        "constable",
        "mp",
        "mla",
        "mpp",
        "deputy",
        "vice",
        "former",
        "interim",
        "acting",
        "candidate",
        "nominee",
        "attorney",
    }
)
_MALE_HONORIFICS = {"mr", "sir", "lord", "king", "prince", "fr", "father", "brother"}
_FEMALE_HONORIFICS = {"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister"}


def _word_set(*lines: str) -> frozenset[str]:
    return frozenset(word for line in lines for word in line.split())


# Common first names that are (almost) always given to one gender: a strong prior for
# he/she, which pronoun votes alone get wrong when another person's pronoun follows a name.
# Names common for both (Morgan, Alex, Jean, Robin ...) are left out on purpose.
_MALE_FIRST_NAMES = _word_set(
    "aaron adam adrian alan albert alexander andre andrew angelo anthony antonio arthur",
    "barack ben benjamin bernie bill billy bob boris brad brandon brendan brent brett brian",
    "bruce bryan carl carlos charles charlie christopher colin craig dale dan daniel darren",
    "dave david dennis derek dmitry donald doug douglas duncan dwight edward emmanuel eric",
    "erik ernest evan frank fred frederick gary gavin george gerald glen glenn gordon graham",
    "greg gregory harold harry henry howard hugh ian isaac jack jacob james jared jason jeff",
    "jeffrey jeremy jerry jim jimmy joe joel john johnny jon jonathan jose joseph josh joshua",
    "juan justin keith ken kenneth kevin kyle larry lawrence luis luke marc marco mark martin",
    "matt matthew michael mike mitch mohammed muhammad nathan neil nicholas nick norman",
    "oliver omar pablo patrick paul pedro peter phil philip pierre ralph randy raymond",
    "richard rick rob robert roger ron ronald roy russell ryan sam samuel scott sean sergei",
    "seth shawn simon stephen steve steven stuart ted thomas tim timothy todd tom tony travis",
    "trevor victor vincent vladimir walter wayne william yves zach",
)
_FEMALE_FIRST_NAMES = _word_set(
    "abigail alice alicia alison amanda amy andrea angela angelina ann anna anne annie",
    "barbara betsy betty beverly brenda brittany carla carol caroline carolyn catherine cathy",
    "charlotte chelsea cheryl chloe christina christine cindy claire claudia colleen cynthia",
    "daniela danielle deborah debra denise diana diane donna doris dorothy elaine eleanor",
    "elena elizabeth ellen emily emma erin eva evelyn fiona frances gabrielle gina gloria",
    "grace hannah heather helen hillary holly irene isabel jacqueline jane janet janice",
    "jennifer jessica jill joan joanne joyce judith judy julia julie karen kate katherine",
    "kathleen kathryn kathy katie kimberly kirsten laura lauren leah linda lisa lori louise",
    "lucy margaret maria marie marilyn martha mary megan melanie melissa michelle monica",
    "nancy natalie nicole nina olivia pamela patricia paula pauline rachel rebecca rita rosa",
    "rose ruth sally samantha sandra sarah sharon sheila shirley sophie stephanie susan",
    "suzanne tamara tara teresa theresa tiffany tina tracy valerie vanessa victoria virginia",
    "wendy yvonne",
)
MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
GROUP_PRONOUNS = {"they", "them", "their", "it", "its"}
SPEAKER_PRONOUNS = {"he", "she", "they", "it", "i", "we"}
# Object pronouns that may stand for a speaker a verb makes speak ("urged him to say").
OBJECT_PRONOUNS = frozenset({"him", "her", "them"})
# Heads of noun phrases that name an institution rather than a person.
ORG_NOUNS = {
    "retailer",
    "insurer",
    "airline",
    "automaker",
    "manufacturer",
    "grocer",
    "broadcaster",
    "publisher",
    "lender",
    "railway",
    "government",
    "ministry",
    "department",
    "police",
    "agency",
    "office",
    "company",
    "firm",
    "group",
    "union",
    "council",
    "committee",
    "commission",
    "board",
    "party",
    "campaign",
    "court",
    "army",
    "military",
    "authority",
    "authorities",
    "organisation",
    "organization",
    "association",
    "federation",
    "coalition",
    "administration",
    "embassy",
    "university",
    "school",
    "hospital",
    "bank",
    "statement",
    "release",
    "report",
    "study",
    "survey",
    "poll",
    "team",
    "club",
    "league",
    "network",
    "service",
    "services",
    "force",
    "forces",
    "institute",
    "foundation",
    "charity",
    "society",
    "centre",
    "center",
    "corporation",
    "district",
    "city",
    "province",
    "state",
    "country",
    "nation",
    "parliament",
    "senate",
    "congress",
    "house",
    "cabinet",
    "regime",
    "spokesperson's",
    "website",
    "newspaper",
    "magazine",
    "channel",
    "paper",
    "data",
    "figures",
    "records",
    "documents",
    "lawsuit",
    "letter",
    "memo",
    "filing",
    "indictment",
    "complaint",
    "fbi",
}
# Documents speak for whoever wrote them; the article rarely says who, so they stay as written.
DOCUMENT_NOUNS = {
    "statement",
    "release",
    "report",
    "study",
    "survey",
    "poll",
    "complaint",
    "lawsuit",
    "suit",
    "claim",
    "document",
    "documents",
    "letter",
    "memo",
    "filing",
    "indictment",
    "post",
    "tweet",
    "email",
    "records",
    "data",
    "figures",
    "findings",
    "website",
    "notice",
    "order",
    "ruling",
    "decision",
}
PERSON_NOUNS = {
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "official",
    "officials",
    "minister",
    "doctor",
    "father",
    "mother",
    "son",
    "daughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "friend",
    "neighbour",
    "neighbor",
    "resident",
    "residents",
    "ambassador",
    "captain",
    "quarterback",
    "pitcher",
    "midfielder",
    "defender",
    "linebacker",
    "chairman",
    "chairwoman",
    "chancellor",
    "commissioner",
    "constable",
    "councillor",
    "councilor",
    "inspector",
    "nominee",
    "premier",
    "sergeant",
    "superintendent",
    "trustee",
    "tenant",
    "tenants",
    "homeowner",
    "landlord",
    "commuter",
    "shopper",
    "patient",
    "patients",
    "fisherman",
    "protester",
    "protesters",
    "chef",
    "paramedic",
    "firefighter",
    "miner",
    "pensioner",
    "widow",
    "witness",
    "witnesses",
    "owner",
    "lawyer",
    "attorney",
    "prosecutor",
    "prosecutors",
    "judge",
    "officer",
    "officers",
    "expert",
    "experts",
    "analyst",
    "analysts",
    "source",
    "sources",
    "man",
    "woman",
    "people",
    "student",
    "students",
    "teacher",
    "parent",
    "parents",
    "victim",
    "survivor",
    "president",
    "leader",
    "director",
    "manager",
    "chief",
    "executive",
    "ceo",
    "coach",
    "player",
    "mayor",
    "professor",
    "researcher",
    "researchers",
    "scientist",
    "scientists",
    "candidate",
    "voter",
    "voters",
    "supporter",
    "supporters",
    "critic",
    "critics",
    "aide",
    "aides",
    "member",
    "members",
    "worker",
    "workers",
    "employee",
    "employees",
    "professional",
    "advocate",
    "advocates",
    "activist",
    "activists",
    "organizer",
    "organiser",
    "chair",
    "secretary",
    "governor",
    "senator",
    "representative",
    "nurse",
    "boy",
    "girl",
    "person",
    "guard",
    "driver",
    "pilot",
    "soldier",
    "passenger",
    "farmer",
    "fan",
    "tourist",
    "relative",
    "colleague",
    "partner",
    "boyfriend",
    "girlfriend",
    "grandmother",
    "grandfather",
    "athlete",
    "goalie",
    "goaltender",
    "defenceman",
    "defenseman",
    "forward",
    "winger",
    "striker",
    "veteran",
    "rookie",
    "artist",
    "author",
    "writer",
    "actor",
    "actress",
    "singer",
    "musician",
    "entrepreneur",
    "founder",
    "economist",
    "physician",
    "surgeon",
    "psychologist",
    "historian",
    "consultant",
    "volunteer",
    "mom",
    "dad",
    "retiree",
    "accountant",
    "engineer",
    "specialist",
}
# Occupations news names people by ("Pollster Ann Selzer", "the strategist said"): persons,
# never bodies. Kept apart so the list above stays what the rules were first measured with.
PERSON_NOUNS |= {
    "pollster",
    "insider",
    "auditor",
    "strategist",
    "strategists",
    "lawmaker",
    "lawmakers",
    "legislator",
    "legislators",
    "congressman",
    "congresswoman",
    "diplomat",
    "negotiator",
    "adviser",
    "advisor",
    "staffer",
    "journalist",
    "reporter",
    "editor",
    "columnist",
    "commentator",
    "lobbyist",
    "epidemiologist",
    "pharmacist",
    "cardiologist",
    "psychiatrist",
    "pediatrician",
    "paediatrician",
    "dentist",
    "therapist",
    "coroner",
    "detective",
    "investigator",
    "sheriff",
    "architect",
    "planner",
    "contractor",
    "electrician",
    "plumber",
    "mechanic",
    "rancher",
    "investor",
    "banker",
    "trader",
    "realtor",
    "principal",
    "educator",
    "pastor",
    "priest",
    "rabbi",
    "imam",
    "bishop",
    "scholar",
    "lecturer",
    "referee",
    "goalkeeper",
    "cyclist",
    "runner",
    "swimmer",
    "golfer",
    "boxer",
}


@dataclass(frozen=True, slots=True)
class Mention:
    """A reference to a (possible) speaker, with offsets into the article text."""

    start: int
    end: int
    text: str
    kind: MentionKind
    label: str = ""
    """NER label for names ("PERSON", "ORG", ...), head lemma for nominals."""
    role: str | None = None


@dataclass(slots=True)
class Entity:
    """One person or organisation within the article, built from its mentions."""

    name: str
    kind: SpeakerKind
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    male: int = 0
    female: int = 0
    named: bool = False
    """Known by a proper name (not only by a description such as "the residents")."""
    single: bool = False
    """One unnamed person ("a security guard"): a he/she may refer back to them."""

    @property
    def individual(self) -> bool:
        return self.kind == "person" and (self.named or self.single)

    @property
    def gender(self) -> Gender | None:
        if self.male > self.female:
            return "m"
        if self.female > self.male:
            return "f"
        return None

    @property
    def tokens(self) -> list[str]:
        return self.name.split()


def _role_noun_before_name(words: list[str]) -> bool:
    """A capitalised person noun NER folded into a name at a sentence's start ("Goaltender
    Stuart Skinner", "Economist Ana Ruiz"), with a first name and a surname after it."""
    return (
        len(words) >= 3
        and words[0].istitle()
        and words[0].lower() in PERSON_NOUNS
        and all(w[:1].isupper() for w in words[1:])
    )


def _title_word(word: str) -> bool:
    """A title written before a name, hyphenated ranks included ("Lt.-Gov.")."""
    return all(part.lower().rstrip(".") in TITLE_WORDS for part in word.split("-"))


def office_title_length(words: list[str]) -> int:
    """How many leading words of a name NER tagged whole are a body's title ending in an
    office ("Treasury Board President France-Élaine Duranceau": 3); 0 when none. The words
    before the office are capitalised, and a first name and a surname follow it."""
    for k in range(len(words) - 2, 0, -1):
        if words[k].lower() in _OFFICE_TITLES and words[k].istitle():
            before, after = words[:k], words[k + 1 :]
            if all(w[:1].isupper() and w.replace("-", "").isalpha() for w in before + after):
                return k + 1
            return 0
    return 0


def _office_title_end(ent: Span) -> int | None:
    """The token index where a name NER tagged whole with a body's title begins (see
    office_title_length), or None."""
    words = ent.text.split()
    office = office_title_length(words)
    if not office:
        return None
    title_end = ent.start_char + ent.text.index(words[office - 1]) + len(words[office - 1])
    return next((t.i for t in ent if t.idx > title_end), None)


_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def _without_suffix(words: list[str]) -> list[str]:
    """A name's words (lower case) without a generational suffix at its end: "Joseph R.
    Biden Jr." and "John G. Roberts Jr." share no surname."""
    while len(words) > 1 and words[-1].rstrip(",") in _NAME_SUFFIXES:
        words = words[:-1]
    return words


def _without_headline_verb(words: list[str]) -> list[str]:
    """A name's words without a title-case headline's verb NER folded into it ("Obama Says"
    in "Obama Says African-American Museum ..."): see HEADLINE_CUE_WORDS."""
    if len(words) > 1 and words[-1].istitle() and words[-1].lower() in HEADLINE_CUE_WORDS:
        return words[:-1]
    return words


def clean_name(text: str) -> tuple[str, Gender | None]:
    """A name without possessive, leading honorifics and titles; plus gender from honorifics."""
    name = re.sub(r"['\u2019]s?$", "", text.strip()).strip(" ,.;:\u2014\u2013-")
    words = name.split()
    words = words[office_title_length(words) :]
    words = _without_headline_verb(words)
    gender: Gender | None = None
    while len(words) > 1 and (_title_word(words[0]) or _role_noun_before_name(words)):
        head = words.pop(0).lower().rstrip(".")
        if head in _MALE_HONORIFICS:
            gender = "m"
        elif head in _FEMALE_HONORIFICS:
            gender = "f"
    return " ".join(words), gender


# Words that make a capitalised name an institution's, never a person's (NER tags school
# names as people at times). Common surnames (Hall, Church, Park) are left out on purpose.
INSTITUTION_WORDS = {
    "school",
    "university",
    "college",
    "academy",
    "hospital",
    "institute",
    "foundation",
    "association",
    "society",
    "council",
    "committee",
    "commission",
    "ministry",
    "department",
    "agency",
    "corporation",
    "inc",
    "ltd",
    "llc",
    "corp",
    "museum",
    "airport",
    "hotel",
    "restaurant",
    "centre",
    "center",
    "club",
    "party",
    "union",
    "court",
    "police",
    "diocese",
    "cathedral",
    "embassy",
    "bureau",
    "system",
    "network",
    "fund",
    "clinic",
    "library",
    "service",
    "services",
    # Public bodies' words NER may still read as a person's name ("The Special Investigations
    # Unit (SIU) says"); none is a surname (plural surnames such as "Banks" stay out).
    "unit",
    "authority",
    "office",
    "board",
    "tribunal",
    "administration",
    "coalition",
    "alliance",
    "federation",
    "caucus",
    "secretariat",
    "directorate",
    "bank",
    "league",
    "chamber",
    "legislature",
    "parliament",
    # Companies' plural trade words ("Surette Seafoods", tagged PERSON); no surname's.
    "foods",
    "seafoods",
    "farms",
    "fisheries",
    "industries",
    "enterprises",
    "holdings",
    "motors",
    "solutions",
    "technologies",
    "pharmaceuticals",
    "logistics",
    "airlines",
    "group",
    # Industries a company is named for ("Irving Oil", tagged PERSON); no surname's.
    "oil",
    "gas",
    "energy",
    "petroleum",
    "resources",
    "mining",
    "insurance",
    "telecom",
    "communications",
    "wireless",
    "hydro",
    "railway",
    "pipelines",
    "brewing",
}


# Lower-case particles inside surnames ("Ben van der Berg", "Maria dos Santos").
_NAME_PARTICLES = {
    "de",
    "van",
    "von",
    "der",
    "den",
    "ter",
    "da",
    "das",
    "dos",
    "del",
    "della",
    "di",
    "du",
    "le",
    "la",
    "al",
    "bin",
    "ibn",
}


def _titled_tail(phrase: Span) -> Span | None:
    """The name after the last title word of a phrase that runs an organisation's name and a
    title into a name ("Securities Commission Chair Priya Nair" gives "Priya Nair")."""
    if len(phrase) < 3:
        return None
    title = max((t.i for t in phrase[:-1] if t.lower_ in TITLE_WORDS), default=None)
    if title is None or title == phrase.start:
        return None
    name = phrase.doc[title + 1 : phrase.end]
    # A hyphenated given name is one word ("France-Élaine"), its hyphen a token of its own.
    hyphens = [t for t in name if t.text == "-" and not t.whitespace_ and t.i > name.start]
    words = [t for t in name if t not in hyphens]
    # ("MacLean", "DeSantis": a capital inside a surname.)
    if not 2 <= len(words) - len(hyphens) <= 3 or not all(
        t.is_alpha and t.text[:1].isupper() and not t.is_upper for t in words
    ):
        return None
    if any(t.lower_ in TITLE_WORDS or t.lower_ in ORG_NOUNS for t in name):
        return None
    return name


def _titled_name(ent: Span) -> Span | None:
    """The person at the end of a non-person entity that runs a title into a name."""
    if ent.label_ not in {"ORG", "GPE", "NORP", "FAC"}:
        return None
    name = _titled_tail(ent)
    return Span(ent.doc, name.start, name.end, label="PERSON") if name is not None else None


def mend_entities(doc: Doc) -> None:
    """Repair common NER slips in place: a person's name cut after a particle, or run into
    the title before it as one organisation.

    "Ursula von der Leyen" comes out as the person "Ursula von der" and the place "Leyen".
    A PERSON entity ending in a surname particle takes the capitalised words after it.
    """
    ents = list(doc.ents)
    mended = False
    for index, ent in enumerate(ents):
        person = _titled_name(ent)
        if person is not None:
            # "Securities Commission Chair Priya Nair" tagged as one organisation: the words
            # after the last title word are a person; the title before them is the role.
            ents[index] = person
            mended = True
            continue
        given = _given_name_before(ent)
        if given is None:
            given = _name_word_after_title(ent)
        if given is not None:
            # "Ana Diaz, who chaired ...": NER tagged the surname alone; a listed given name
            # compounded onto it is the name's start.
            ents[index] = Span(doc, given, ent.end, label="PERSON")
            mended = True
            continue
        if _acronym_in_person(ent):
            # "Surrey RCMP spokesperson Cpl. Vanessa Munn": NER took the place and the force's
            # acronym for a person; a capitalised name with an acronym in it is a body's.
            ents[index] = Span(doc, ent.start, ent.end, label="ORG")
            mended = True
            continue
        if _person_named_as_body(ent):
            # "Boston forward Brad Marchand": NER called the name a body's; after a lower-case
            # person noun, a name with a listed given name is a person's.
            ents[index] = Span(doc, ent.start, ent.end, label="PERSON")
            mended = True
            continue
        surname = _surname_after(ent)
        if surname is not None:
            # "Police Chief Myron Demkiw": NER tagged the given name alone; the untagged
            # proper noun it is compounded onto is the surname.
            ents[index] = Span(doc, ent.start, surname + 1, label="PERSON")
            mended = True
            continue
        if ent.label_ != "PERSON" or len(ent) < 2 or ent[-1].lower_ not in _NAME_PARTICLES:
            continue
        end = ent.end
        while end < len(doc) and end - ent.end < 2 and doc[end].is_alpha and doc[end].is_title:
            end += 1
        if end == ent.end:
            continue
        ents[index] = Span(doc, ent.start, end, label="PERSON")
        mended = True
    if mended:
        kept: list[Span] = []
        for ent in ents:
            if kept and ent.start < kept[-1].end:
                if len(ent) > len(kept[-1]):
                    kept[-1] = ent
                continue
            kept.append(ent)
        doc.ents = kept


_CUE_FORMS = HEADLINE_CUE_WORDS | {"said", "asked", "told", "added", "noted", "wrote"}


def _given_name_before(ent: Span) -> int | None:
    """Where a one-word PERSON entity's name starts when the word before it, untagged and
    compounded onto it, is a listed given name ("Ana" in "Ana Diaz")."""
    if ent.label_ != "PERSON" or len(ent) != 1 or ent.start == 0:
        return None
    before = ent.doc[ent.start - 1]
    if before.ent_type_ or not (before.is_alpha and before.is_title) or before.dep_ != "compound":
        return None
    if before.head.i != ent.start or before.lower_ in TITLE_WORDS | _CUE_FORMS:
        return None  # '"...," Said Ellis': a capitalised cue, though "Said" is a given name
    return before.i if first_name_gender(f"{before.text} {ent.text}") is not None else None


_ROMAN_NUMERALS = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3})$")


def _acronym_in_person(ent: Span) -> bool:
    """A PERSON entity holding a capitalised word and an acronym of three or more capitals
    ("Surrey RCMP", "Toronto TTC"): a body's name, not a person's ("John Smith III" and a
    name written in capitals are persons')."""
    if ent.label_ != "PERSON" or len(ent) < 2:
        return False
    words = [t.text for t in ent if t.is_alpha]
    acronyms = [w for w in words if len(w) >= 3 and w.isupper() and not _ROMAN_NUMERALS.match(w)]
    return bool(acronyms) and any(w[:1].isupper() and not w.isupper() for w in words)


def _name_word_after_title(ent: Span) -> int | None:
    """Where a PERSON entity's name starts when NER left off the word between it and the title
    before it ("Mayor [Soraya] Martinez Ferrada"): an untagged capitalised proper noun
    compounded onto the name, right after a title word, is the given name, listed or not."""
    if ent.label_ != "PERSON" or ent.start < 2:
        return None
    doc = ent.doc
    before, title = doc[ent.start - 1], doc[ent.start - 2]
    if before.ent_type_ or before.pos_ != "PROPN" or not (before.is_alpha and before.is_title):
        return None
    if before.dep_ != "compound" or not ent.start <= before.head.i < ent.end:
        return None
    if before.lower_ in TITLE_WORDS | _CUE_FORMS or title.lower_.rstrip(".") not in TITLE_WORDS:
        return None
    return before.i


def _person_named_as_body(ent: Span) -> bool:
    """An ORG entity of two or three capitalised words, the first a listed given name, right
    after a lower-case person noun ("forward", "spokeswoman"): a person's name ("Boston
    forward Brad Marchand"); not a company named for its founder ("Tim Hortons", which no
    person noun stands before), nor a name with an institution word in it."""
    if ent.label_ != "ORG" or not 2 <= len(ent) <= 3 or ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    if not (before.is_lower and before.lower_ in PERSON_NOUNS | TITLE_WORDS):
        return False
    words = [t.lower_.rstrip(".") for t in ent]
    return (
        all(t.is_alpha and t.is_title for t in ent)
        and first_name_gender(ent.text) is not None
        and not any(w in INSTITUTION_WORDS | ORG_NOUNS for w in words)
    )


def _surname_after(ent: Span) -> int | None:
    """The surname after a one-word PERSON entity that is a listed given name: the next
    word, untagged, capitalised, a proper noun the given name is compounded onto ("Demkiw"
    in "Myron Demkiw")."""
    if ent.label_ != "PERSON" or len(ent) != 1 or ent.end >= len(ent.doc):
        return None
    after = ent.doc[ent.end]
    if after.ent_type_ or not (after.is_alpha and after.is_title) or after.pos_ != "PROPN":
        return None
    if ent[0].head.i != after.i or after.lower_ in TITLE_WORDS | _CUE_FORMS:
        return None
    return after.i if first_name_gender(f"{ent.text} {after.text}") is not None else None


# A US politician's party and state: "D-N.M.", "R-Texas", "I-Vt.".
_PARTY_STATE = r"[DRI]\s*[-\u2013]\s*[A-Z][A-Za-z. ]{0,16}?"
_PARTY_TAG_ALONE = re.compile(_PARTY_STATE)
"""The tag read as a name of its own ("D-N.M." as a subject)."""


_ELIDED_PARTICLE = re.compile(r"[a-z]{1,2}['\u2019][A-Z]")
# One word with a capital inside after two or more small letters: a brand ("WestJet",
# "PayPal"), not a name with a prefix ("McKenzie", "DeShawn", "LaToya", "MacLeod").
_BRAND = re.compile(
    r"(?!(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Fitz|O')[A-Z])[A-Z][a-z]{2,}[A-Z][a-z]+"
)


def body_noun_before(name: Span) -> Token | None:
    """ "the drivers' union Aslef": the lower-case noun for a kind of body right before a
    name NER left untagged, which the parser hung on the name; None when there is none."""
    if name.start == 0:
        return None
    before = name.doc[name.start - 1]
    if before.is_lower and before.lemma_ in ORG_NOUNS and name.start <= before.head.i < name.end:
        return before
    return None


def brand_name(word: str) -> bool:
    """Whether one word is written as a company's brand is ("WestJet", "JetBlue")."""
    return _BRAND.fullmatch(word) is not None


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return (
        _PARTY_TAG_ALONE.fullmatch(name.strip()) is None
        and 0 < len(words) <= 5
        and all(
            w[:1].isupper()
            or w.lower() in _NAME_PARTICLES
            or w[:1] in "'\u2019"
            or _ELIDED_PARTICLE.match(w) is not None  # "d'Entremont", "l'Heureux"
            for w in words
        )
        and not any(ch.isdigit() for ch in name)
    )


def entity_of(token: Token) -> Span | None:
    doc = token.doc
    if token.ent_iob_ == "O" or not token.ent_type_:
        return None
    for ent in doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


_BODY_LABELS = frozenset({"ORG", "GPE", "FAC", "NORP"})


def noun_phrase(token: Token) -> Span:
    """The token with its left modifiers (determiner, adjectives, compounds, possessor)."""
    start = token.i
    for child in token.lefts:
        if child.dep_ in {"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "case"}:
            start = min(start, child.left_edge.i)
    doc = token.doc
    while (
        start == token.i
        and start >= 2
        and doc[start - 1].text == "-"
        and not doc[start - 1].whitespace_
        and not doc[start - 2].whitespace_
        and doc[start - 2].is_alpha
    ):
        start -= 2  # "co - worker": the parser split the word into siblings
        # "The union's regional vice - president": the first piece took the modifiers.
        for child in doc[start].lefts:
            if child.dep_ in {"det", "amod", "compound", "poss", "nmod", "nummod"}:
                start = min(start, child.left_edge.i)
    end = token.i + 1
    # "spokesperson for the ministry": keep a short 'for/of' attachment in the name.
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in {"for", "of", "at", "with"}:
            sub = list(child.subtree)
            if len(sub) == 1:
                # "A spokesperson for Health Minister Sylvia Jones said": the parser made the
                # name a second subject of the verb and left "for" without its object.
                sub += _stranded_object(child, token)
                if len(sub) == 1:
                    break
            # A possessive's apostrophe ("the Ontario Nurses' Association") is no break; a
            # body's whole name may run longer ("for the New Brunswick Department of Health").
            named = all(t.ent_type_ in _BODY_LABELS for t in sub[1:] if t.lower_ != "the")
            # "a spokesperson for Finance Minister François-Philippe Champagne": a titled name.
            named = named or all(t.text[:1].isupper() or t.text == "-" for t in sub[1:])
            if (len(sub) <= 6 or (named and len(sub) <= 12)) and not any(
                t.is_punct and t.tag_ not in {"POS", "HYPH"} for t in sub
            ):
                end = max(end, sub[-1].i + 1)
        break
    return token.doc[start:end]


def _stranded_object(prep: Token, token: Token) -> list[Token]:
    """The phrase right after a preposition left without an object, when the parser made it
    another subject of the verb `token` is the subject of."""
    doc = prep.doc
    if token.dep_ != "nsubj" or prep.i + 1 >= len(doc):
        return []
    sibling = next(
        (
            c
            for c in token.head.children
            if c.dep_ == "nsubj" and c.i != token.i and c.left_edge.i == prep.i + 1
        ),
        None,
    )
    return list(sibling.subtree) if sibling is not None else []


def _title_before(ent: Span) -> str | None:
    """Title words written before a name in the same phrase ("Israeli Prime Minister"),
    including those NER folded into the name itself ("Councillor Ana Ruiz" tagged whole,
    whose name clean_name reads as "Ana Ruiz")."""
    doc = ent.doc
    head = ent.root
    left = head.left_edge.i
    if head.dep_ == "compound" and head.head.i >= ent.end:
        return None
    inner = 0
    texts = [t.text for t in ent]
    office = _office_title_end(ent)
    if office is not None:  # "Treasury Board President France-Élaine Duranceau", tagged whole
        inner = office - ent.start
    while inner < len(ent) - 1 and (
        ent[inner].lower_.rstrip(".") in TITLE_WORDS
        or _role_noun_before_name(texts[inner:])
        or (ent[inner].text == "-" and inner > 0 and not ent[inner].whitespace_)
    ):
        inner += 1
    end = ent.start + inner
    left = min(left, end)
    while (
        (left == ent.start or doc[left].lower_.rstrip(".") in TITLE_WORDS)
        and left > 0
        and doc[left - 1].text.endswith(".")
        and doc[left - 1].text[:1].isupper()
        and doc[left - 1].lower_.rstrip(".") in TITLE_WORDS
    ):
        left -= 1  # "Coun. Greg Norton" with the rank parsed outside the name's phrase
    if left >= end:
        return None
    before = doc[left - 1] if left > 0 else None
    if (
        before is not None
        and before.pos_ == "PROPN"
        and before.dep_ in {"dep", "npadvmod", "nmod"}
        and before.ent_type_ in {"", "ORG", "GPE", "NORP"}
        and before.text[:1].isupper()
        and not doc[left].is_punct
    ):
        left -= 1  # "Unifor national president Lana Payne": the body's name parsed apart
    words = doc[left:end]
    while len(words) and (
        words[0].dep_ in {"det", "case"}
        or (words[0].dep_ == "poss" and (words[0].pos_ == "PRON" or words[0].text[:1].islower()))
        or words[0].is_punct
    ):
        # "his", "the": no part of a title; a named possessor is ("Students' Union president").
        words = doc[words.start + 1 : words.end]
    if not len(words) or len(words) > 9:
        return None
    if any(t.pos_ in {"VERB", "AUX", "PRON"} or t.text in {",", ";", "(", ")"} for t in words):
        return None
    if words[-1].tag_ == "POS" or words[-1].lower_ in {"'s", "\u2019s"}:
        return None
    if words[-1].lower_ in {"and", "or", "&"}:
        return None  # "Erin and Jordan Hart": a name coordinated with this one, no title
    if (
        len(words) == 1
        and words[0].is_sent_start
        and not words[0].ent_type_
        and words[0].lower_.rstrip(".") not in TITLE_WORDS
        and words[0].lower_ not in PERSON_NOUNS
    ):
        return None  # "Injecting Clinton's troubles into ...": a capitalised opener, no title
    if not any(_title_like(t) for t in words) and words[-1].lower_ not in PERSON_NOUNS:
        return None  # "tenant advocate Mark Culligan": a person noun is a role too
    if all(t.lower_.rstrip(".") in COURTESY_TITLES for t in words):
        return None  # "Dr. Lena Ford", "Mr. Hale": a courtesy, not a role
    while words[-1].lower_.rstrip(".") in COURTESY_TITLES:
        words = words[:-1]  # "Provincial health officer Dr. Bonnie Henry": the office is the role
    title = "".join(_spelled_out(t) + t.whitespace_ for t in words).strip()
    if len(words) != 1:
        return title
    held = _body_after(ent)
    if held and title.lower() in _LEGISLATORS:
        held = " from" + held[len(" of") :]  # "Sen. Claire McCaskill of Missouri"
    return title + held


# Members elected for a place: "Senator from Missouri", not "Senator of Missouri".
_LEGISLATORS = frozenset(
    {"senator", "representative", "congressman", "congresswoman", "congressmember", "mp"}
)


def _body_after(ent: Span) -> str:
    """ " of the Cote First Nation" after "Chief Tanya Cote", " of Mississippi" after "Gov. Phil
    Bryant": the body or place a one-word title is held in, named right after the name; ""
    when none is."""
    doc = ent.doc
    if ent.end + 1 >= len(doc) or doc[ent.end].lower_ != "of":
        return ""
    of = doc[ent.end]
    objects = [c for c in of.children if c.dep_ == "pobj"]
    if of.head.i not in range(ent.start, ent.end) or not objects:
        return ""
    phrase = doc[ent.end : objects[0].right_edge.i + 1]
    if len(phrase) > 7 or any(t.is_punct and t.text not in {"'s", "\u2019s", "-"} for t in phrase):
        return ""
    if objects[0].pos_ != "PROPN" or not objects[0].text[:1].isupper():
        return ""
    return " " + phrase.text


def _title_like(token: Token) -> bool:
    """A capitalised word or a title word, abbreviated or not ("Minister", "Sen.")."""
    word = token.text[:-1] if token.text.endswith(".") else token.text
    return word.isalpha() and (word.istitle() or word.isupper() or word.lower() in TITLE_WORDS)


def _spelled_out(token: Token) -> str:
    """A title word as a role spells it: "Sen." as "Senator"."""
    if token.text.endswith(".") and token.text[:-1].isalpha():
        return ABBREVIATED_TITLES.get(token.lower_[:-1], token.text)
    return token.text


# A US politician's party and state after the name: "(D-Calif.)", ", R-Texas,", "(I-Vt.)".
_PARTY_TAG = re.compile(r"\s*[(,]\s*" + _PARTY_STATE + r"[),]")


def _appositive_role(head: Token) -> str | None:
    """The description set beside a name ("Jane Doe, the mayor,"), if short enough to be a
    role; a party-and-state tag is none."""
    if head.dep_ == "ROOT" and _headline_like(head.doc):
        return None  # "Clinton, Trump spar over economy": a headline's comma joins names
    after = head.idx + len(head.text)
    tag = _PARTY_TAG.match(head.doc.text, after)
    for child in head.rights:
        if tag is not None and child.idx < tag.end():
            continue
        if child.dep_ == "appos" and child.ent_type_ != "PERSON":
            first = child.left_edge
            if first.text == "-" or (
                first.i > 0 and first.nbor(-1).text == "-" and not first.nbor(-1).whitespace_
            ):
                continue  # the tail of a hyphenated word ("her co-conspirators"), no role
            last = child
            for sibling in head.rights:  # "vice - president": the parser split the word
                if (
                    sibling.i > last.i
                    and sibling.dep_ == "appos"
                    and sibling.left_edge.i == (last.right_edge.i + 1)
                    and (sibling.text == "-" or last.text == "-")
                ):
                    last = sibling
            span = child.doc[child.left_edge.i : last.right_edge.i + 1]
            # "a sleep researcher at McGill who was not involved in the study": what the
            # relative clause tells of the person is no part of the role.
            clause = {t.i for c in child.rights if c.dep_ == "relcl" for t in c.subtree}
            # "... at the Ottawa Hospital who was not involved": a who-clause the parser
            # hung on a later noun is the person's too.
            # "president of News Media Canada, which represents hundreds of newspapers": a
            # relative clause set off by a comma describes the body, not the post.
            clause |= {
                t.i
                for c in child.subtree
                if c.dep_ == "relcl"
                and (
                    c.left_edge.lower_ in {"who", "whom", "whose"}
                    or (c.left_edge.i > 0 and c.doc[c.left_edge.i - 1].text == ",")
                )
                for t in c.subtree
            }
            words = _role_words([t for t in span if t.i not in clause])
            # An age ("Paul Okafor, 71, said ...") is no role; a description after it may be.
            if all(t.like_num or t.ent_type_ in {"DATE", "CARDINAL"} for t in words):
                continue
            # "one of two who voted against it": with its clause gone, a count is no role.
            if (
                len(words) >= 3
                and words[0].like_num
                and words[1].lower_ == "of"
                and all(t.like_num or t.lower_ in {"the", "only"} for t in words[2:])
            ):
                continue
            if 0 < len(words) <= 14:
                return _role_text(words)
    return _relative_clause_role(head)


def _group_key(name: str) -> str:
    """The speaker book's key for a group or body: lower case, without its article or a
    company's legal suffix ("Shopify Inc." and "Shopify" are one company)."""
    words = strip_determiner(name).lower().replace(",", " ").split()
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return _GROUP + " ".join(words)


_GROUP = "group:"


_LEGAL_SUFFIXES = frozenset(
    {"inc", "inc.", "corp", "corp.", "ltd", "ltd.", "llc", "plc", "co.", "limited", "l.p."}
)


def _headline_like(doc: Doc) -> bool:
    """A paragraph that reads as a headline: short, one line, with no closing punctuation."""
    words = [t for t in doc if not t.is_space]
    return 0 < len(words) <= 20 and words[-1].text not in _CLOSERS and "\n" not in doc.text.strip()


_CLOSERS = frozenset({".", "!", "?", '"', "\u201d", "'", "\u2019", ")", ":"})


# Nouns that head an office or post told in a relative clause ("who is president of ...").
POST_HEADS = TITLE_WORDS | {
    "executive",
    "ceo",
    "founder",
    "co-founder",
    "head",
    "chairperson",
    "dean",
    "principal",
    "owner",
    "manager",
    "organizer",
    "organiser",
    "coordinator",
    "trustee",
    "partner",
    "member",
}


def _relative_clause_role(head: Token) -> str | None:
    """The post a relative clause gives a name, in the present tense: "Todd Lewis, who is
    president of the Aylmer Citizens' Health Coalition," (not "who was a councillor", and
    not what the person does: "who farms near Kindersley")."""
    for clause in head.rights:
        if clause.dep_ != "relcl" or clause.lemma_ != "be" or clause.tag_ not in {"VBZ", "VBP"}:
            continue
        if not any(c.dep_ == "nsubj" and c.lower_ in {"who", "that"} for c in clause.children):
            continue
        post = next((c for c in clause.rights if c.dep_ == "attr"), None)
        if post is None or post.pos_ != "NOUN" or post.lower_ not in POST_HEADS:
            continue
        words = _role_words(list(post.subtree))
        if 0 < len(words) <= 14:
            return _role_text(words)
    for clause in head.rights:
        post_noun = _LEADING_VERBS.get(clause.lemma_.lower())
        if clause.dep_ != "relcl" or post_noun is None or clause.tag_ not in {"VBZ", "VBD"}:
            continue
        if clause.tag_ == "VBD" and post_noun != "founder":
            continue  # "who chaired the board" was; "who founded it" still is its founder
        if not any(c.dep_ == "nsubj" and c.lower_ in {"who", "that"} for c in clause.children):
            continue
        body = next((c for c in clause.rights if c.dep_ == "dobj"), None)
        if body is None:
            continue
        words = _role_words(list(body.subtree))
        if 0 < len(words) <= 12 and any(t.text[:1].isupper() for t in words):
            # "Andrea Jelinek, who chairs the European Data Protection Board," -> "chair of
            # the European Data Protection Board": only a named body ("who runs a bakery"
            # is what she does).
            text = body.doc[body.left_edge.i : words[-1].i + 1].text
            return f"{post_noun} of {text}"
    return None


# A present-tense verb of holding a post in a relative clause, and the post it names.
_LEADING_VERBS = {
    "chair": "chair",
    "co-chair": "co-chair",
    "head": "head",
    "lead": "leader",
    "direct": "director",
    "own": "owner",
    "found": "founder",
}


def _role_words(tokens: list[Token]) -> list[Token]:
    """A description's words as a role: without commas, semicolons and brackets, a leading
    article, or trailing punctuation and conjunctions."""
    words = [t for t in tokens if not (t.is_punct and t.text in ",;()")]
    while words and (words[-1].is_punct or words[-1].dep_ == "cc"):
        words = words[:-1]
    while words and words[0].dep_ == "det":
        words = words[1:]
    return words


def _role_text(words: list[Token]) -> str:
    """The text from a role's first word to its last (what was cut inside stays)."""
    return words[0].doc[words[0].i : words[-1].i + 1].text


def mention_for(token: Token, offset: int) -> Mention | None:
    """The speaker mention headed by a subject token, with its role when the phrase gives one
    (the mention sieves decide: app/extraction/rules/mention, in MENTION_ORDER)."""
    from app.extraction.rules.mention import mention_of  # the sieves import this module

    return mention_of(token, offset)


def _with_name_compounds(ent: Span) -> Span:
    """An institution's name with the capitalised words NER left off its front.

    "Environment Canada" comes out of NER as the place "Canada" with "Environment" in
    compound: the agency is the speaker, not the country. Titles ("Minister") and words NER
    gave to another entity stay out.
    """
    if ent.label_ not in {"GPE", "ORG", "FAC", "LOC"}:
        return ent
    doc = ent.doc
    start = ent.start
    while start > 0:
        word = doc[start - 1]
        if not (
            word.dep_ == "compound"
            and ent.start <= word.head.i < ent.end
            and word.is_alpha
            and word.text[:1].isupper()
            and not word.ent_type_
            and word.lower_ not in TITLE_WORDS
        ):
            break
        start -= 1
    return ent if start == ent.start else Span(doc, start, ent.end, label=ent.label_)


# Quantifiers and demonstratives that head a group of speakers ("those close to him").
_QUANTIFIED_GROUPS = {"those", "many", "some", "others", "most", "several", "few", "both"}
# Documents whose possessive pronoun is rarely their author ("his release", "her order").
_NOT_AUTHORED = {"release", "order", "claim", "data", "figures", "records", "ruling"}
# Possessors that stand for a document's author ("her statement", "its report").
_POSSESSIVE_PRONOUNS = {"his", "her", "its", "their"}
# Labels NER gives by mistake to surnames of people the article has already named.
_SLIP_LABELS = {"ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART"}


def _compound_name(token: Token) -> Span:
    """A proper noun with the proper nouns compounded to its left ("Bo Horvat")."""
    doc = token.doc
    start = token.i
    while start > 0:
        prev = doc[start - 1]
        if prev.pos_ == "PROPN" and prev.dep_ == "compound" and prev.head.i >= start:
            start -= 1
        elif (
            # "Wilson-Raybould": a hyphen with no space around it joins the two parts.
            prev.text == "-"
            and start > 1
            and not prev.whitespace_
            and not doc[start - 2].whitespace_
            and doc[start - 2].pos_ == "PROPN"
            and doc[start - 2].text[:1].isupper()
        ):
            start -= 2
        else:
            break
    return doc[start : token.i + 1]


def _appositive_name(token: Token) -> Span | None:
    """A PERSON name set beside a description: appositive, or "named"/"identified as"."""
    for child in token.subtree:
        if child.i <= token.i or child.i - token.i > 12:
            continue
        if child.ent_type_ != "PERSON":
            continue
        link = child
        while True:
            if link.head.lemma_.lower() in {"name", "identify", "call"} and link.head.dep_ == "acl":
                # "an official in Banten province named Jhony": the parser may hang the
                # participle on a nearer noun; the name is still the official's.
                return entity_of(child)
            if not (
                link.head.i != link.i
                and link.head.i > token.i
                and link.dep_ in {"compound", "flat", "oprd", "attr", "pobj", "prep"}
            ):
                break
            if link.dep_ in {"compound", "flat"} and link.head.pos_ != "PROPN":
                break  # "Rendell, a Clinton surrogate,": a name inside a description
            link = link.head
        if link.dep_ == "appos":
            return entity_of(child)
    return None


def _appositive_proper_noun(token: Token) -> Span | None:
    """A proper noun set after a comma beside a singular person noun ("his dad, Darrin"), or
    beside any singular noun when the proper noun is a full name with a listed given name
    ("His agent, Ritchie Winter,")."""
    if token.pos_ != "NOUN" or token.tag_ != "NN":
        return None
    listed_noun = token.lower_ in PERSON_NOUNS
    for child in token.rights:
        if child.dep_ != "appos" or child.pos_ != "PROPN":
            continue
        name = _compound_name(child)
        if child.ent_type_ not in {"", "PERSON", "GPE", "LOC", "NORP", "DATE"} and not (
            child.ent_type_ == "ORG" and title_beside_person_name(token, name)
        ):
            # A name NER read as a date ("His agent, Ritchie Winter,") is still a name
            # beside a person noun after a comma.
            return None
        if name.start != token.i + 2 or token.doc[token.i + 1].text != ",":
            return None
        if not listed_noun and (len(name) < 2 or first_name_gender(name.text) is None):
            return None
        return name if _looks_like_name(name.text) else None
    return None


def body_appositive(token: Token) -> bool:
    """Whether a name is described, after a comma, as a kind of body ("Santé Québec, the
    agency that now runs the hospitals,", "Acme, a company that ..."): NER may take it for a
    person's name, but the description says it is an organisation."""
    for child in token.rights:
        if child.dep_ != "appos" or child.pos_ != "NOUN" or child.i != child.left_edge.i + 1:
            continue
        if child.left_edge.lower_ not in {"the", "a", "an"} or child.left_edge.i < 1:
            continue
        if token.doc[child.left_edge.i - 1].text != ",":
            continue
        lemma = child.lemma_.lower()
        if lemma in ORG_NOUNS and lemma not in PERSON_NOUNS | DOCUMENT_NOUNS:
            return True
    return False


def title_beside_person_name(token: Token, name: Span) -> bool:
    """ "Its president, Pari Johnston, said": NER may take the name for a body's, but a body
    holds no office; beside a person's title ("president", "chief", "spokeswoman"), a name
    of two or three capitalised words with no institution word in it is a person's."""
    if token.lower_ not in TITLE_WORDS - ORG_NOUNS or not 2 <= len(name) <= 3:
        return False
    words = [t.lower_.rstrip(".") for t in name]
    return _looks_like_name(name.text) and not any(
        w in INSTITUTION_WORDS | ORG_NOUNS for w in words
    )


def _organisation_named_beside(token: Token) -> Span | None:
    """An organisation's name set right after a description of it ("the aid group Oxfam")."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in ORG_NOUNS:
        return None
    for child in token.rights:
        if (
            child.dep_ != "appos"
            or child.pos_ != "PROPN"
            or child.ent_type_ not in {"ORG", "PERSON", ""}
        ):
            continue
        name = _compound_name(child)
        if name.start != token.i + 1 or not all(t.text[:1].isupper() for t in name):
            return None
        return name
    return None


def _document_author(token: Token, depth: int = 0) -> Token | None:
    """Who issued a document: its possessor, or the object of "from"/"by", also through a
    participle ("a release sent to media from the union", "a statement released by X")."""
    for child in token.children:
        if child.dep_ == "poss":
            if child.lower_ in _POSSESSIVE_PRONOUNS and token.lemma_.lower() in _NOT_AUTHORED:
                return None  # "his release said": his release from prison, not a press release
            return child
        if child.dep_ in {"prep", "agent"} and child.lower_ in {"from", "by"}:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ or pobj.pos_ == "PROPN"):
                return pobj
        if child.dep_ == "acl" and child.lemma_.lower() in DOCUMENT_AUTHORING_VERBS and depth == 0:
            author = _document_author(child, depth + 1)
            if author is not None and author.dep_ != "poss":
                return author
    return None


_OTHER_ONE = re.compile(r"^(?:another|one other|other|one(?!\s+of\b))\s+(?=\S)", re.IGNORECASE)


def strip_determiner(text: str) -> str:
    return re.sub(r"^(?:the|a|an|his|her|their|its)\s+", "", text, flags=re.IGNORECASE)


def description_role(text: str) -> str:
    """A description as a person's role: without its article or personal possessive, but
    with "its", which SpeakerBook.add_role reads as the body named before ("Its chief
    executive, Marcia Delgado," -> "chief executive of Elgin Regional Health")."""
    return re.sub(r"^(?:the|a|an|his|her|their)\s+", "", text, flags=re.IGNORECASE)


# Possessors that stand for a place ("the state's campaign chairman"), not a body.
_PLACE_NOUNS = frozenset(
    {
        "state",
        "province",
        "city",
        "country",
        "town",
        "county",
        "nation",
        "region",
        "territory",
        "capital",
        "village",
        "township",
        "district",
        "island",
        "world",
    }
)
_OPENING_THE = re.compile(r"^The\s+")
"""A body's name as written at a sentence's start, lower-cased inside a role."""
# A role held in a body the possessor stands for: "its chief executive", "the network's
# executive director" (a lower-case noun; a named possessor, "Unifor's president", stays).
_POSSESSED_ROLE = re.compile(
    r"^(?:(?P<its>[Ii]ts)|(?:[Tt]he\s+)?(?P<noun>[a-z][a-z\-]*)['\u2019]s)\s+(?P<title>\S.*)$"
)


def _person_appositive(token: Token) -> bool:
    """Whether a name has a person described beside it ("Roman, a resident of the area"),
    or an age ("Smith, 45, said", "the 62-year-old Hart"): news gives ages of people only."""
    if any(
        child.dep_ == "appos" and (child.lemma_.lower() in PERSON_NOUNS or _age(child))
        for child in token.rights
    ):
        return True
    # "the 62-year-old Hart": an age before the name.
    before = token.doc[token.left_edge.i : token.i].text
    return "year-old" in before or "year old" in before


def _age(token: Token) -> bool:
    """A bare number set off by commas after a name, as news gives a person's age."""
    doc = token.doc
    return (
        token.text.isdigit()
        and 0 < int(token.text) < 120
        and token.i + 1 < len(doc)
        and doc[token.i - 1].text == ","
        and doc[token.i + 1].text == ","
    )


def _name_mention(ent: Span, offset: int, role_hint: str | None = None) -> Mention:
    span = ent
    # Drop a trailing possessive token from the mention ("Hamas's").
    if len(span) > 1 and span[-1].tag_ == "POS":
        span = span[:-1]
    # "The Saskatchewan Union of Nurses (SUN": NER took in the acronym after the name.
    bracket = next((t.i for t in span if t.text == "("), None)
    if bracket is not None and bracket > span.start:
        span = span.doc[span.start : bracket]
    office = _office_title_end(span) if ent.label_ == "PERSON" else None
    if office is not None:  # the mention is the name, not "Treasury Board President ..."
        span = span.doc[office : span.end]
    role = _title_before(ent) or _appositive_role(ent.root) or role_hint
    text = span.text
    start = offset + span.start_char
    if text.endswith(("'s", "\u2019s")):
        text = text[:-2]
    label = ent.label_
    if label != "PERSON" and _looks_like_name(text) and _person_appositive(ent.root):
        label = "PERSON"  # "Roman, a resident of the area," tagged ORG
    elif label == "PERSON" and (
        _organisation_described(ent) or (len(span) == 1 and brand_name(span.text))
    ):
        label = "ORG"  # "The union representing the workers, Unifor," tagged PERSON
    return Mention(start, start + len(text), text, "name", label, role)


@dataclass(slots=True)
class PersonMention:
    """Where a known entity is named in the text (for pronoun antecedents)."""

    position: int
    entity: int
    subject: bool
    background: bool = False
    """A subject only of a subordinate clause ("when Jones scored", "a text Smith sent")."""


class SpeakerBook:
    """All people and organisations of one article: canonical names, genders, roles."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.mentions: list[PersonMention] = []
        self.sightings: list[tuple[int, int]] = []
        """(position, entity) of a known person's bare surname NER left untagged ("Moss"):
        not an antecedent of its own, but a rival that makes a he/she a guess."""
        self.spoken: list[tuple[int, int]] = []
        self.spoken_aside: set[int] = set()
        """Positions in `spoken` of words quoted in a subordinate clause ("Although Lee said")."""
        self.organisations: list[tuple[int, str]] = []
        """(position, name) of every organisation NER finds, for "the union" and the like."""
        self._by_key: dict[str, int] = {}

    # --- building -------------------------------------------------------------------
    def add_name(
        self,
        surface: str,
        position: int,
        *,
        kind: SpeakerKind = "person",
        subject: bool = False,
        track: bool = True,
        background: bool = False,
    ) -> int | None:
        """Register a name mention; returns the entity it belongs to."""
        name, gender = clean_name(surface)
        if not name or not _looks_like_name(name):
            return None
        if all(word.lower().rstrip(".") in TITLE_WORDS for word in name.split()):
            return None  # "Director", "Prime Minister": a title NER took for a name
        if kind == "person" and self._institution(name):
            self.organisations.append((position, name))
            return None  # "Ridgeway Catholic High School" tagged PERSON is no person
        index = self._match_name(name, kind)
        if index is None:
            index = len(self.entities)
            self.entities.append(Entity(name, kind, named=True))
            self._by_key[name.lower()] = index
        entity = self.entities[index]
        if len(name.split()) > len(entity.tokens) and kind == "person":
            entity.name = name
            self._by_key[name.lower()] = index
        surface_clean = re.sub(r"['\u2019]s$", "", surface.strip())
        surface_words = surface_clean.split()
        if len(_without_headline_verb(surface_words)) < len(surface_words):
            surface_clean = surface_clean.rsplit(None, 1)[0]  # "Obama Says" (see clean_name)
        if surface_clean not in entity.aliases:
            entity.aliases.append(surface_clean)
        if gender is None and kind == "person":
            gender = first_name_gender(name)
        if gender == "m":
            entity.male += 3
        elif gender == "f":
            entity.female += 3
        if kind == "person" and track:
            self.mentions.append(PersonMention(position, index, subject, background))
        return index

    def _institution(self, name: str) -> bool:
        """A name with an institution word, or the start of such a name seen before."""
        words = name.split()
        if any(w.strip(".,").lower() in INSTITUTION_WORDS for w in words[1:]):
            return True
        prefix = name + " "
        return any(
            org.startswith(prefix) and any(w.lower() in INSTITUTION_WORDS for w in org.split())
            for _, org in self.organisations
        )

    def lookup(self, surface: str, position: int | None = None) -> int | None:
        """The known person a name refers to, without registering a new mention.

        With a position, a bare surname two people share ("Karlsson") goes to the one named
        last before that position, not the one named last in the whole article.
        """
        name, _ = clean_name(surface)
        if not name:
            return None
        return self._match_name(name, "person", position)

    def _match_name(self, name: str, kind: SpeakerKind, position: int | None = None) -> int | None:
        key = name.lower()
        words = _without_suffix(key.split())
        if key in self._by_key and (position is None or len(words) > 1):
            return self._by_key[key]
        if kind != "person":
            return self._by_key.get(key)
        best: int | None = None
        for i in self._recent_entities(position):
            entity = self.entities[i]
            if entity.kind != "person":
                continue
            have = _without_suffix(entity.name.lower().split())
            if len(words) == 1:
                # A surname (or, failing that, a first name) refers to the full name.
                if words[0] == have[-1] or (len(have) > 1 and words[0] == have[0] and best is None):
                    if words[0] == have[-1]:
                        return i
                    best = i
            elif len(have) == 1 and have[0] == words[-1]:
                return i  # "Trump ... Donald Trump": the later full name joins the surname
            elif have[-1] == words[-1] and (have[0] == words[0] or have[0][0] == words[0][0]):
                return i  # "Donald J. Trump" ~ "Donald Trump"
        return best

    def _recent_entities(self, position: int | None = None) -> list[int]:
        seen: list[int] = []
        for mention in reversed(self.mentions):
            if position is not None and mention.position > position:
                continue
            if mention.entity not in seen:
                seen.append(mention.entity)
        seen.extend(i for i in range(len(self.entities)) if i not in seen)
        return seen

    def described_person(self, position: int, description: str, window: int = 2500) -> int | None:
        """The person a definite description ("the minister") refers to, by the roles given.

        Only a person whose recorded role contains the description's head noun and all its
        capitalised modifiers ("the WHL commissioner") qualifies; recency alone is not enough.
        """
        words = [w.strip(".,").lower() for w in description.split()]
        needed = [
            w
            for w, raw in zip(words, description.split(), strict=False)
            if raw[:1].isupper() and w not in {"the", "his", "her", "their"}
        ]
        head = words[-1] if words else ""
        for mention in reversed(self.mentions):
            if mention.position >= position:
                continue
            if position - mention.position > window:
                break
            role_words = set(" ".join(self.entities[mention.entity].roles).lower().split())
            if head in role_words and all(w in role_words for w in needed):
                return mention.entity
        return None

    def described_organisation(
        self,
        position: int,
        head: str,
        window: int = 2500,
        recent: bool = True,
        last_word: bool = False,
    ) -> str | None:
        """The organisation a definite description ("the union") refers to.

        One whose name contains the head noun (as its last word, with `last_word`) wins;
        otherwise (when `recent`) the organisation named most recently, when it was named
        shortly before (news prose refers back to the last one).
        """
        fallback = recent
        last: str | None = None
        for org_position, name in reversed(self.organisations):
            if org_position >= position:
                continue
            if position - org_position > window:
                break
            if not any(w[:1].isupper() for w in strip_determiner(name).split()):
                continue  # "the federal department" tagged ORG is a description, not a name
            words = name.lower().split()
            if head and (words[-1] == head if last_word else head in words):
                return name
            if fallback and last is None and position - org_position <= 800:
                last = name
        return last

    def expand_acronym(self, acronym: str, position: int) -> str | None:
        """The full name of an organisation an all-capitals acronym abbreviates."""
        letters = acronym.replace(".", "")
        if not (2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()):
            return None
        for org_position, name in reversed(self.organisations):
            if org_position >= position:
                continue
            initials = "".join(
                w[0] for w in re.findall(r"[A-Za-z][\w'\-]*", name) if w[0].isupper()
            )
            if initials.upper() == letters.upper() and name != acronym:
                return name
        return None

    def known_person(self, surface: str) -> int | None:
        """The person a (mis-tagged) name refers to, when it matches a known person."""
        name, _ = clean_name(surface)
        key = name.lower()
        if not key:
            return None
        for i, entity in enumerate(self.entities):
            if entity.kind != "person":
                continue
            have = entity.name.lower().split()
            if key == entity.name.lower() or (len(key.split()) == 1 and key == have[-1]):
                return i
        # "Amanda said" (tagged ORG) after "Amanda Cole": a listed given name that starts one
        # known person's full name (features call family members who share a surname so).
        if len(key.split()) != 1:
            return None
        by_given = [
            i
            for i, entity in enumerate(self.entities)
            if entity.kind == "person"
            and entity.name.lower().split()[0] == key
            and first_name_gender(entity.name) is not None
        ]
        return by_given[0] if len(by_given) == 1 else None

    def group(self, name: str) -> int | None:
        """The group or unnamed person already known by this description, if any."""
        return self._by_key.get(_group_key(name))

    def add_group(
        self, name: str, kind: SpeakerKind, alias: str | None = None, *, named: bool
    ) -> int:
        """A group, organisation or unnamed person; `named` when `name` is a proper name
        ("Bank of Canada"), not a description ("the ministry", "officials")."""
        key = _group_key(name)
        if key not in self._by_key and named:
            same = self._same_body(strip_determiner(name))
            if same is not None:
                self._by_key[key] = same
        if key in self._by_key:
            entity = self.entities[self._by_key[key]]
            if alias and alias not in entity.aliases:
                entity.aliases.append(alias)
            entity.named = entity.named or named
            return self._by_key[key]
        index = len(self.entities)
        self.entities.append(
            Entity(name, kind, [name] + ([alias] if alias and alias != name else []), named=named)
        )
        self._by_key[key] = index
        return index

    def note_organisation(self, position: int, name: str) -> None:
        """An organisation named at `position` that the names stage did not see (a word NER
        left untagged), kept in reading order for "the company" and acronyms."""
        if (position, name) not in self.organisations:
            bisect.insort(self.organisations, (position, name))

    def described_before(self, description: str, *, one_word: bool = False) -> int | None:
        """The unnamed speaker an earlier description named whose last words are all of
        `description`, two words or more ("Ukraine's air force" for "air force"); with
        `one_word`, one word will do when exactly one earlier description ends with it
        ("Ottawa police" for "police")."""
        words = description.lower().split()
        if len(words) < 2 and not one_word:
            return None
        found = {
            index
            for index, other in self._group_words()
            if not self.entities[index].named
            and len(other) > len(words)
            and other[-len(words) :] == words
        }
        if one_word and len(found) != 1:
            return None
        return min(found) if found else None

    def _same_body(self, name: str) -> int | None:
        """The named organisation `name` is another writing of: one name ends with the other,
        of two words or more ("the U.S. Food and Drug Administration" and "Food and Drug
        Administration"; "Ontario Medical Association" is not "Canadian Medical
        Association")."""
        words = name.lower().split()
        for index, other in self._group_words():
            entity = self.entities[index]
            if not entity.named or entity.kind != "organisation":
                continue
            shorter, longer = sorted((words, other), key=len)
            if 2 <= len(shorter) < len(longer) and longer[-len(shorter) :] == shorter:
                return index
        return None

    def _group_words(self) -> Iterator[tuple[int, list[str]]]:
        """Each group's entity and the words of its key (see `_group_key`)."""
        for key, index in self._by_key.items():
            if key.startswith(_GROUP):
                yield index, key[len(_GROUP) :].split()

    def add_role(self, index: int, role: str | None, position: int | None = None) -> None:
        """Record a role, without a word that only sets this person apart from another one
        ("Another parent, Michael Chen," is a parent), and with the body a possessor stands
        for when it was named before `position` (see _role_in_body)."""
        if role:
            role = self._role_in_body(_OTHER_ONE.sub("", role), position)
        if role and role not in self.entities[index].roles:
            self.entities[index].roles.append(role)

    def _role_in_body(self, role: str, position: int | None) -> str:
        """ "its chief executive" -> "chief executive of Elgin Regional Health" (the body
        named last, shortly before); "the network's executive director" -> "executive
        director of the Peel Food Share Network" (a body named before whose name ends in the
        noun); the role as written when no such body was named ("the union's regional
        vice-president"), and "its" dropped."""
        found = _POSSESSED_ROLE.match(role)
        if found is None:
            return role
        title = found["title"]
        if position is None:
            return title
        if found["its"]:
            # The body named last, in the sentence or two before ("The board of X met on
            # Tuesday. Its chief executive, ..."), not one a paragraph or more back.
            body = self.described_organisation(position, "", window=300, recent=True)
            return f"{title} of {_OPENING_THE.sub('the ', body)}" if body else title
        noun = found["noun"].lower()
        if noun in _PLACE_NOUNS:
            return role  # "the state's campaign chairman": a place, not a body named before
        # A body whose name ends in the noun: "the Peel Food Share Network".
        name = self.described_organisation(position, noun, recent=False, last_word=True)
        if name is None:
            return role  # "the campaign's press secretary": no body of that name, kept as written
        # A title that already has an "of" takes the body before it ("PGA Tour chief officer
        # of tournaments").
        if " of " in title:
            return f"{strip_determiner(name)} {title}"
        return f"{title} of {_OPENING_THE.sub('the ', name)}"

    def vote_gender(self, index: int, gender: Gender, weight: int = 1) -> None:
        if gender == "m":
            self.entities[index].male += weight
        else:
            self.entities[index].female += weight

    # --- resolving ------------------------------------------------------------------
    def spoke(self, entity: int, position: int, aside: bool = False) -> None:
        """Record that an entity was quoted at a position (speakers are likely antecedents);
        `aside` when the quoting clause is subordinate, which keeps the current speaker."""
        self.spoken.append((position, entity))
        if aside:
            self.spoken_aside.add(position)

    def background_at(self, position: int, entity: int) -> bool:
        """Whether the entity is named at a position as the subject of a subordinate clause
        (the name may start a few words into the mention: "Premier Mark Dunn")."""
        return any(
            m.entity == entity and m.background and 0 <= m.position - position <= 25
            for m in self.mentions
        )

    def rival(self, chosen: int, pronoun: str, since: int, position: int) -> bool:
        """Whether another person a he/she could refer to was named between `since` and
        `position` (the pronoun's paragraph so far): then the choice is a guess."""
        wanted: Gender | None = (
            "m" if pronoun in MALE_PRONOUNS else "f" if pronoun in FEMALE_PRONOUNS else None
        )
        chosen_gender = self.entities[chosen].gender
        seen = [(m.position, m.entity) for m in self.mentions] + self.sightings
        for at, entity in seen:
            if not since <= at < position or entity == chosen:
                continue
            record = self.entities[entity]
            if not record.individual:
                continue
            gender = record.gender
            if gender is None or gender == wanted or (wanted is None and gender == chosen_gender):
                return True
        return False

    def refs(self, used: list[int]) -> tuple[list[SpeakerRef], dict[int, int]]:
        """SpeakerRefs for the entities in `used` (in first-use order) and the index map."""
        mapping: dict[int, int] = {}
        refs: list[SpeakerRef] = []
        for index in used:
            if index in mapping:
                continue
            entity = self.entities[index]
            mapping[index] = len(refs)
            name = display_name(entity.name, entity.kind, entity.named)
            aliases = [name] + [a for a in (entity.name, *entity.aliases) if a != name]
            role = max(entity.roles, key=len) if entity.roles else None
            refs.append(
                SpeakerRef(
                    name, entity.kind, role, tuple(dict.fromkeys(aliases)), named=entity.named
                )
            )
        return refs, mapping


_LEADING_THE = re.compile(r"the\s+", re.IGNORECASE)


def display_name(name: str, kind: str, named: bool = True) -> str:
    """The canonical form of a speaker's name.

    A group's proper name drops its leading "the": "The Bank of Canada" (a sentence's first
    word) and "the Bank of Canada" are both "Bank of Canada", so two articles' speakers are
    one. A description starts in lower case, as it would mid-sentence: "The ministry" is "the
    ministry", "Officials" is "officials". People's names are left as they are.
    """
    words = name.split(maxsplit=1)
    if not words:
        return name
    first = words[0]
    if not named:
        word = first.lower()
        common = word in _DESCRIPTION_OPENERS or word in _DESCRIPTION_NOUNS
        common = common or (word.endswith("s") and word[:-1] in _DESCRIPTION_NOUNS)
        # "House Speaker John Boehner's office": a noun opening a capitalised phrase is part
        # of a name, not a description's first word.
        proper = word not in _DESCRIPTION_OPENERS and len(words) > 1 and words[1][:1].isupper()
        if common and (len(first) == 1 or first[1:].islower()) and not proper:
            return first.lower() + name[len(first) :]
        return name
    match = _LEADING_THE.match(name)
    if kind == "person" or match is None or match.end() == len(name):
        return name
    rest = name[match.end() :]
    return rest if proper_name(rest) else "the " + rest


# Words that open a description rather than a name ("A spokeswoman", "Some residents").
_DESCRIPTION_OPENERS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "its",
    "their",
    "some",
    "many",
    "most",
    "several",
    "other",
    "others",
    "one",
    "two",
    "three",
    "each",
    "none",
    "both",
    "all",
    "local",
    "senior",
    "top",
    "former",
}


# Nouns a description of people or a body is made of ("officials", "Economists at ...").
_DESCRIPTION_NOUNS = frozenset(PERSON_NOUNS | ORG_NOUNS)


# Lower-case words inside an institution's proper name ("Bank of Canada", "Food and Drug
# Administration").
_NAME_LINKS = {"of", "and", "for", "the", "on", "in", "at", "to", "&", "de", "du", "des", "la"}


def proper_name(name: str) -> bool:
    """Capitalised words, with the small words institutions keep lower-case between them."""
    words = name.split()
    return (
        bool(words)
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _NAME_LINKS for w in words)
    )


def first_name_gender(name: str) -> Gender | None:
    """The gender a full name's first name almost always goes with: the hand lists above,
    then the list built from Faker's name statistics (data/first_names.tsv)."""
    words = name.split()
    if len(words) < 2:
        return None  # a lone word may be a surname ("Kelly", "Grant")
    first = words[0].lower()
    if first in _MALE_FIRST_NAMES:
        return "m"
    if first in _FEMALE_FIRST_NAMES:
        return "f"
    return _listed_first_names().get(fold_given_name(first))


def given_name(word: str) -> bool:
    """Whether a word is a given name the lists hold ("Maria", "Lukáš"; not a name given to
    both genders, which the lists leave out)."""
    lower = word.lower()
    return (
        lower in _MALE_FIRST_NAMES
        or lower in _FEMALE_FIRST_NAMES
        or fold_given_name(word) in _listed_first_names()
    )


def fold_given_name(name: str) -> str:
    """A given name as the list keeps it: ASCII, lower case ("Lukáš" -> "lukas")."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


_FIRST_NAMES_FILE = Path(__file__).resolve().parent / "data" / "first_names.tsv"


@functools.lru_cache(maxsize=1)
def _listed_first_names() -> dict[str, Gender]:
    """Given names of 71 locales and their gender, from Faker (app/extraction/training/
    first_names.py builds the file); names given to both genders are not in it."""
    listed: dict[str, Gender] = {}
    for line in _FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, gender = line.split("\t")
            listed[name] = "m" if gender == "m" else "f"
    return listed


def pronoun_gender(word: str) -> Gender | None:
    lower = word.lower()
    if lower in MALE_PRONOUNS:
        return "m"
    if lower in FEMALE_PRONOUNS:
        return "f"
    return None


def _organisation_described(ent: Span) -> bool:
    """A name right after a lower-case organisation noun ("the aid group Gatsby"), or set
    off by commas after a description headed by one ("The union representing the workers,
    Unifor, said": an appositive, or a second subject where the parser made it one)."""
    if ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    if (
        before.pos_ == "NOUN"
        and before.is_lower
        and before.lemma_ in ORG_NOUNS - DOCUMENT_NOUNS
        and any(t.dep_ == "det" for t in [*before.children, *ent.root.children])
    ):
        return True
    if before.text != ",":
        return False
    root = ent.root
    if root.dep_ == "appos":
        described = [root.head]
    elif root.dep_ == "nsubj":
        described = [c for c in root.head.children if c.dep_ == "nsubj" and c.i < ent.start]
    else:
        return False
    return any(
        d.pos_ == "NOUN"
        and d.i < ent.start
        and d.lemma_ in ORG_NOUNS - DOCUMENT_NOUNS
        and any(c.dep_ == "det" for c in d.children)
        for d in described
    )


# Kin nouns that give the gender of the person named beside them ("his wife, Elena").
_KIN_GENDER: dict[str, Gender] = {
    "wife": "f",
    "mother": "f",
    "daughter": "f",
    "sister": "f",
    "girlfriend": "f",
    "grandmother": "f",
    "mom": "f",
    "husband": "m",
    "father": "m",
    "son": "m",
    "brother": "m",
    "boyfriend": "m",
    "grandfather": "m",
    "dad": "m",
}


def _described_name(token: Token) -> Span | None:
    """The name a token starts when it stands beside a person noun ("his dad, Darrin")."""
    if token.pos_ != "PROPN" or token.ent_type_ == "PERSON":
        return None
    root = token
    while root.dep_ == "compound" and root.head.pos_ == "PROPN" and root.head.i > root.i:
        root = root.head
    if root.dep_ != "appos":
        return None
    head = root.head
    if head.lower_ in _KIN_GENDER and head.i + 2 == token.i and head.doc[head.i + 1].text == ",":
        # A relative is a person, whatever NER made of the name ("his wife, Elena" as ORG).
        kin_name = _compound_name(root)
        return kin_name if _looks_like_name(kin_name.text) else None
    name = _appositive_proper_noun(head)
    if name is None or name.start != token.i or name.end != root.i + 1:
        return None
    return name


def inverted_object_subject(verb: Token) -> Token | None:
    """A speaker after an inverted cue that the parser took for the verb's object.

    '..., insists 16-year-old Jo Wu, in ...': set off by a comma or quotation mark, a verb
    with no subject of its own is followed by the speaker, whom the small model sometimes
    parses as a direct object. Callers check that the verb is a reporting one.
    """
    if verb.i == 0 or verb.lemma_.lower() in ADDRESSED_OBJECT_VERBS:
        return None
    if verb.tag_ == "VBG":
        return None  # ", accusing Scheer of ...": a participle's object is no inverted speaker
    if verb.doc[verb.i - 1].text not in {",", '"', "\u201d", "'", "\u2019"}:
        return None
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return None
    for child in verb.children:
        if child.dep_ != "dobj" or child.i < verb.i:
            continue
        between = verb.doc[verb.i + 1 : child.i]
        if child.ent_type_ == "PERSON":
            if all(t.dep_ in {"compound", "amod", "nummod", "npadvmod", "punct"} for t in between):
                return child
        elif child.pos_ == "NOUN" and child.lemma_.lower() in PERSON_NOUNS:
            # '"...," points out the laid-back resident': a description, after the verb's
            # particle, may be the speaker too.
            modifiers = {"det", "compound", "amod", "nummod", "npadvmod", "punct", "prt"}
            if any(t.dep_ == "det" for t in between) and all(t.dep_ in modifiers for t in between):
                return child
    return None


def named_subjects(
    doc: Doc, offset: int, before: int, cue_lemmas: frozenset[str] = frozenset()
) -> list[Span]:
    """Proper-name subjects of a paragraph's clauses before a position, newest first.

    "Jones recorded his first goal. '...,' said the rookie defenceman": the people a
    description may refer back to are the ones the sentences before it are about. The
    speaker of an inverted cue among `cue_lemmas` counts even when parsed as its object.
    """
    found: list[Span] = []
    for token in reversed(doc):
        if offset + token.idx >= before:
            continue
        speaker = (
            inverted_object_subject(token.head)
            if token.dep_ == "dobj" and token.head.lemma_.lower() in cue_lemmas
            else None
        )
        inverted = speaker is not None and speaker.i == token.i
        if token.dep_ not in {"nsubj", "nsubjpass"} and not inverted:
            continue
        if token.lower_ == "who" and token.head.dep_ == "relcl":
            token = token.head.head  # "Jane Doe, who was born in Lima, ...": Jane Doe's clause
            while token.dep_ == "appos" and token.head.i != token.i:
                token = token.head  # "Jane Doe, D-N.M., who ...", "Jane Doe, the mayor, who"
        ent = entity_of(token)
        if ent is not None and ent.label_ not in NAME_LABELS:
            continue
        name = ent if ent is not None else _compound_name(token)
        if token.pos_ == "PROPN" and _looks_like_name(name.text):
            found.append(name)
    return found


def _subject_role(token: Token) -> tuple[bool, bool]:
    """Whether a name is a clause's subject, and whether that clause is subordinate.

    Subjects of adverbial and relative clauses ("although Trump tweeted", "a message
    Olazabal sent") are background: they do not change who the story is about.
    """
    token = _described_subject(token)
    if _root_before_its_verb(token):
        return True, False
    if token.dep_ not in {"nsubj", "nsubjpass"}:
        return False, False
    clause = token.head
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    return True, clause.dep_ in {"advcl", "relcl", "acl", "pcomp"}


def _root_before_its_verb(token: Token) -> bool:
    """ "Linda Parker, whose son died at sea, watched from the front row.": the parser made
    the name the sentence's root and its verb a participle hung on it after a comma; the
    name is the sentence's subject."""
    if token.dep_ != "ROOT" or token.pos_ != "PROPN":
        return False
    doc = token.doc
    return any(
        child.dep_ == "acl" and child.tag_ in {"VBD", "VBN"} and doc[child.i - 1].text == ","
        for child in token.rights
    )


def _described_subject(token: Token) -> Token:
    """The main-clause subject a name is in apposition to, through its description.

    "Director of research at Acme, Jane Doe, agreed": the parser may hang the name on a noun
    inside the subject's description; the name still is who the sentence is about.
    """
    if token.dep_ != "appos":
        return token
    head = token.head
    while head.dep_ in {"pobj", "prep", "appos", "compound"} and head.head.i != head.i:
        head = head.head
    if head.dep_ in {"nsubj", "nsubjpass"} and head.head.dep_ == "ROOT":
        return head
    return token


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)
