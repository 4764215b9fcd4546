"""Mention sieves for names: a named entity, and the names NER missed or tagged wrong."""

from __future__ import annotations

from spacy.tokens import Span, Token

from app.extraction.rules import rule
from app.extraction.rules.content.sieve import PASS
from app.extraction.rules.mention.subject import MentionVerdict, Subject
from app.extraction.speakers import (
    INSTITUTION_WORDS,
    ORG_NOUNS,
    PERSON_NOUNS,
    TITLE_WORDS,
    Mention,
    _appositive_name,
    _appositive_proper_noun,
    _appositive_role,
    _compound_name,
    _looks_like_name,
    _name_mention,
    _organisation_named_beside,
    _title_before,
    _titled_tail,
    _with_name_compounds,
    body_appositive,
    body_noun_before,
    brand_name,
    description_role,
    entity_of,
    noun_phrase,
    strip_determiner,
    title_beside_person_name,
)

_JOINERS = frozenset({"and", "&", ",", "-"})
_LAST_WORD_LABELS = frozenset({"GPE", "ORG"})


@rule(
    "coordinated_body_name",
    stage="mention",
    example="Fisheries and Oceans Canada said the stock had collapsed.",
)
def coordinated_body_name(subject: Subject) -> MentionVerdict:
    """A department named by a list of capitalised words ending in a place ("Fisheries and
    Oceans Canada", "Immigration, Refugees and Citizenship Canada", "Environment and Climate
    Change Canada"): one organisation, however NER cut it, not "Change Canada" with
    "Environment and Climate" as a role."""
    body = coordinated_body(subject.token)
    if body is None:
        return PASS
    start = subject.offset + body.start_char
    return Mention(start, start + len(body.text), body.text, "name", "ORG")


def coordinated_body(token: Token) -> Span | None:
    """The run of capitalised words and joiners around `token` when it names one body (see
    coordinated_body_name): "and" in it, a last member of two or more words that NER ends
    in a place or an organisation (or all proper nouns NER left untagged), not all of it a
    place ("Ontario, Quebec and British Columbia" are three), and no
    person's name in it."""

    def word(t: Token) -> bool:
        return t.text[:1].isupper() and t.text.replace("-", "").isalpha()

    def joiner(t: Token) -> bool:
        return t.lower_ in _JOINERS

    if not word(token):
        return None
    sent = token.sent
    start = end = token.i
    while start > sent.start and (word(token.doc[start - 1]) or joiner(token.doc[start - 1])):
        start -= 1
    while end + 1 < sent.end and (word(token.doc[end + 1]) or joiner(token.doc[end + 1])):
        end += 1
    doc = token.doc
    while start <= end and not word(doc[start]):
        start += 1
    while end >= start and not word(doc[end]):
        end -= 1
    run = doc[start : end + 1]
    ands = [t.i for t in run if t.lower_ in {"and", "&"}]
    if len(ands) != 1 or any(t.ent_type_ == "PERSON" for t in run):
        return None
    last = doc[ands[0] + 1 : end + 1]
    if len(last) < 2 or not all(word(t) for t in last):
        return None
    untagged = all(not t.ent_type_ and (t.pos_ == "PROPN" or not word(t)) for t in run)
    if last[-1].ent_type_ not in _LAST_WORD_LABELS and not untagged:
        return None
    if all(t.ent_type_ == "GPE" for t in last):
        return None  # "... and British Columbia": places, each its own speaker
    members = doc[start : ands[0]]
    if any(t.text == "," and not word(doc[t.i + 1]) for t in members):
        return None
    if any(t.text == "-" and (t.whitespace_ or doc[t.i - 1].whitespace_) for t in run):
        return None  # a dash between words, not a hyphen inside one
    return run


@rule("entity_name", stage="mention", example="Jane Doe said the plant would close.")
def entity_name(subject: Subject) -> MentionVerdict:
    """The named entity the subject lies in, with the name words the parser compounded to
    it."""
    if subject.ent is None:
        return PASS
    ent = subject.ent
    if len(ent) == 1 and ent.label_ == "ORG" and ent[0].pos_ == "NOUN" and ent[0].tag_ == "NNS":
        return PASS  # "Radiologists warned ...": a plural common noun, a group, not a name
    titled = ent.label_ == "PERSON" and all(
        t.lower_.rstrip(".") in TITLE_WORDS for t in ent if not t.is_punct
    )
    if ent.label_ in {"GPE", "NORP", "ORG"} or titled:
        # ("Her MLA, Eric Redhead, said": NER tagged the title alone a person.)
        beside = _appositive_name(subject.token)
        if beside is not None and beside.root.dep_ == "appos" and beside.root.head == ent.root:
            return PASS  # "Boston forward Brad Marchand, who ...": the person beside it speaks
    mention = _name_mention(_with_name_compounds(ent), subject.offset)
    if ent.label_ == "PERSON" and body_appositive(ent.root):
        # "Santé Québec, the agency that runs the hospitals, said": a body, described so.
        role = _appositive_role(ent.root)
        return Mention(mention.start, mention.end, mention.text, "name", "ORG", role)
    return mention


@rule(
    "organisation_beside",
    stage="mention",
    example="The British aid group Harbor Relief said supplies were running out.",
)
def organisation_beside(subject: Subject) -> MentionVerdict:
    """ "The British aid group Harbor Relief said": the organisation's name beside the
    description is the speaker, the description its role."""
    token = subject.token
    named_org = _organisation_named_beside(token)
    if named_org is None:
        return PASS
    start = subject.offset + named_org.start_char
    described_as = strip_determiner(noun_phrase(token).text)
    described_as = described_as[: max(0, len(described_as) - len(named_org.text))]
    org_role = described_as.strip() or None
    text = named_org.text
    return Mention(start, start + len(text), text, "name", "ORG", org_role)


@rule(
    "appositive_name",
    stage="mention",
    example="A doctor, Hugh Hill, said the ward was full.",
)
def appositive_name(subject: Subject) -> MentionVerdict:
    """ "a doctor, Hugh Hill," / "an official named Jhony": the name is the speaker, the
    description its role."""
    token = subject.token
    named = _appositive_name(token)
    if named is None:
        return PASS
    phrase = noun_phrase(token)
    role = phrase.text
    between = token.doc[phrase.end : named.start]
    if 0 < len(between) <= 2 and all(
        t.is_alpha and t.is_lower and t.pos_ in {"ADV", "NOUN", "ADJ"} for t in between
    ):
        # "Vegas forward Jack Eichel": the parser cut the title before the name (the
        # position read as an adverb); with no comma, all the words up to the name are it.
        role = token.doc[phrase.start : named.start].text
    return _name_mention(named, subject.offset, role_hint=description_role(role))


@rule(
    "organisation_appositive",
    stage="mention",
    example="The mill's owner, Northern Pulp and Paper, blamed falling demand.",
)
def organisation_appositive(subject: Subject) -> MentionVerdict:
    """ "The mill's owner, Northern Pulp and Paper, blamed ...": an organisation NER named
    beside a description, after a comma, is the speaker, the description its role; not a
    person the description might otherwise refer back to."""
    token = subject.token
    if token.pos_ != "NOUN":
        return PASS
    for child in token.rights:
        if child.dep_ != "appos":
            continue
        named = _set_off_body_name(token, child)
        if named is not None:
            described = token.doc[token.left_edge.i : named.start].text
            role = strip_determiner(described.rsplit(",", 1)[0].strip())
            start = subject.offset + named.start_char
            return Mention(start, start + len(named.text), named.text, "name", "ORG", role)
        name = entity_of(child)
        # "The nurses' union, the FIQ, said": an article may stand before the name.
        article = int(token.doc[token.i + 2].lower_ == "the") if token.i + 2 < len(token.doc) else 0
        if name is None or name.label_ != "ORG":
            return PASS
        if name.start != token.i + 2 + article and not _modified_name(token, child, name):
            return PASS
        if token.doc[token.i + 1].text != ",":
            return PASS
        start = subject.offset + name.start_char
        if title_beside_person_name(token, name):
            role = description_role(noun_phrase(token).text)  # "its" names the body
            return Mention(start, start + len(name.text), name.text, "name", "PERSON", role)
        role = strip_determiner(noun_phrase(token).text)
        return Mention(start, start + len(name.text), name.text, "name", "ORG", role)
    return PASS


def _modified_name(token: Token, child: Token, name: Span) -> bool:
    """ "The developer, Edmonton-based Landmark Communities, said": only a modifier of the
    name ("Edmonton-based", "Toronto's") stands between the comma and the name."""
    between = token.doc[token.i + 2 : name.start]
    return (
        0 < len(between) <= 4
        and all(child.is_ancestor(t) for t in between)
        and any(t.dep_ in {"amod", "poss"} for t in between)
    )


def _set_off_body_name(token: Token, child: Token) -> Span | None:
    """ "The union representing 65,000 teachers, the Fédération des syndicats de
    l'enseignement, said": a body's name set off by commas after a description of a body,
    opening with a word NER tagged an organisation, however the parser read the rest of it
    (here "syndicats" as a verb)."""
    if token.lemma_.lower() not in ORG_NOUNS:
        return None
    doc = token.doc
    first = next((t for t in child.subtree if not t.is_punct), None)  # commas may hang on it
    if first is None or first.i < 1 or doc[first.i - 1].text != ",":
        return None
    if first.lower_ == "the" and first.i + 1 < len(doc):
        first = doc[first.i + 1]
    end = child.right_edge.i + 1
    while end > first.i and doc[end - 1].is_punct:
        end -= 1
    if end >= len(doc) or doc[end].text != "," or not 2 <= end - first.i <= 10:
        return None
    opening = entity_of(first)
    if opening is None or opening.label_ != "ORG" or not first.text[:1].isupper():
        return None
    if opening.end >= end:
        return None  # NER took the whole name: the entity reading below has it
    return doc[first.i : end]


@rule(
    "appositive_proper_noun",
    stage="mention",
    example="The goal was a gift, says Wise's dad, Darrin.",
)
def appositive_proper_noun(subject: Subject) -> MentionVerdict:
    """ "says Wise's dad, Darrin": a proper noun beside the description that NER missed (or
    called a place) is the speaker."""
    token = subject.token
    named_beside = _appositive_proper_noun(token)
    if named_beside is None:
        return PASS
    start = subject.offset + named_beside.start_char
    role = description_role(noun_phrase(token).text)
    text = named_beside.text
    return Mention(start, start + len(text), text, "name", "PROPN", role)


@rule(
    "description_beside_name",
    stage="mention",
    example="The prize went to Jane Doe, the veteran striker who calls herself lucky.",
)
def description_beside_name(subject: Subject) -> MentionVerdict:
    """ "by Jane Doe, the veteran striker who ...": a description in apposition to a name;
    the name is the speaker."""
    token = subject.token
    if not (token.dep_ == "appos" and token.pos_ == "NOUN" and token.lemma_ not in ORG_NOUNS):
        return PASS
    beside = entity_of(token.head)
    role = strip_determiner(noun_phrase(token).text)
    if beside is not None and beside.label_ == "PERSON":
        return _name_mention(beside, subject.offset, role_hint=role)
    if token.head.pos_ == "PROPN":
        name = _compound_name(token.head)
        if _looks_like_name(name.text):
            start = subject.offset + name.start_char
            return Mention(start, start + len(name.text), name.text, "name", "PROPN", role)
    return PASS


@rule(
    "compound_person",
    stage="mention",
    example="Police Chief Joseph Boinnet said the road was closed.",
)
def compound_person(subject: Subject) -> MentionVerdict:
    """A person's name NER found inside a compound ("police Chief Joseph Boinnet"). A
    capitalised institution word after it makes the whole a body named for the person
    ("William Osler Health System said")."""
    token = subject.token
    if token.text[:1].isupper() and token.lower_ in INSTITUTION_WORDS | ORG_NOUNS:
        body = _compound_name(token)
        if any(t.ent_type_ == "PERSON" for t in body) and body.start < token.i:
            start = subject.offset + body.start_char
            return Mention(start, start + len(body.text), body.text, "name", "ORG")
    for child in token.lefts:
        if child.dep_ == "compound" and child.ent_type_ == "PERSON":
            name_ent = entity_of(child)
            if name_ent is None:
                continue
            if (
                token.is_lower
                and token.lemma_.lower() in PERSON_NOUNS
                and any(d.dep_ == "det" and d.i < name_ent.start for d in token.lefts)
            ):
                return PASS  # "a Sobeys spokesperson", "a Trump aide": someone of theirs
            if token.is_lower and (token.tag_ == "NNS" or token.lower_ == "police"):
                return PASS  # "Peel police", "Trump aides": a group of theirs speaks
            return _name_mention(name_ent, subject.offset)
    return PASS


@rule(
    "titled_name_of",
    stage="mention",
    example="Court of King's Bench Justice Anne Morrow said the sentence was fair.",
)
def titled_name_of(subject: Subject) -> MentionVerdict:
    """A person named, after a title word, at the end of an "of" phrase the parser made the
    subject's ("Court [of King's Bench Justice Anne Morrow] said"; "Assembly [of First
    Nations National Chief Cindy Woodhouse] said", whose start NER tagged as a body): that
    person, with the words before the name as role. Read before the entity sieve; a plural
    head is a group of people ("Friends of Prime Minister Jane Doe say"), no title's body."""
    token = subject.token
    if token.tag_ in {"NNS", "NNPS"} or not token.text[:1].isupper():
        return PASS
    of = next((c for c in token.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None:
        return PASS
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return PASS
    name = entity_of(pobj)
    last = entity_of(token.doc[token.right_edge.i])
    if (name is None or name.label_ != "PERSON") and last is not None and last.start > pobj.i:
        # "Consumers' Association of Canada (Manitoba) executive director Gloria Desorcy
        # said": the name set beside the title that ends the "of" phrase.
        name = last if last.end == token.right_edge.i + 1 else None
    if name is None or name.label_ != "PERSON" or name.start == 0:
        return PASS
    before = name.doc[name.start - 1]
    if before.lower_.rstrip(".") not in TITLE_WORDS or name.end != name.root.i + 1:
        return PASS
    if name.root.i != pobj.i and not (name.root.dep_ == "appos" and name.root.head.i == pobj.i):
        return PASS
    mention = _name_mention(name, subject.offset)
    first = next(t for t in token.subtree if not t.is_punct)  # a closing quotation mark
    role = name.doc[first.i : name.start].text
    return Mention(mention.start, mention.end, mention.text, "name", "PERSON", role)


@rule(
    "untagged_name",
    stage="mention",
    example="Securities Commission Chair Priya Nair said the rules would change.",
)
def untagged_name(subject: Subject) -> MentionVerdict:
    """A proper noun NER did not tag: a name after a title ("Securities Commission Chair
    Priya Nair", the title its role), or a run of words that looks like a name."""
    token = subject.token
    if token.pos_ != "PROPN" or subject.described:
        return PASS
    name = _compound_name(token)
    owned = _possessed_body(name)
    if owned is not None:
        start = subject.offset + owned.start_char  # "The Legislative Analyst's Office said"
        return Mention(start, start + len(owned.text), owned.text, "name", "ORG")
    titled = _titled_tail(name)
    if titled is not None:
        start = subject.offset + titled.start_char
        role = name.doc[name.start : titled.start].text
        return Mention(start, start + len(titled.text), titled.text, "name", "PERSON", role)
    if len(name) == 1 and token.is_sent_start and token.lower_ in ORG_NOUNS | PERSON_NOUNS:
        return PASS  # "Province says cap is ...": a headline's capitalised noun, no name
    body = body_noun_before(name)
    if body is not None and _looks_like_name(name.text):
        # "The drivers' union Aslef said": a body named after the noun that says what it is.
        start = subject.offset + name.start_char
        role = strip_determiner(name.doc[body.left_edge.i : body.i + 1].text)
        return Mention(start, start + len(name.text), name.text, "name", "ORG", role)
    if len(name) == 1 and brand_name(name.text):
        start = subject.offset + name.start_char  # "WestJet has apologized": a company
        return Mention(start, start + len(name.text), name.text, "name", "ORG", None)
    if _looks_like_name(name.text):
        start = subject.offset + name.start_char
        return Mention(
            start, start + len(name.text), name.text, "name", "PROPN", _title_before(name)
        )
    return PASS


def _possessed_body(name: Span) -> Span | None:
    """A body whose name holds a possessive the parser split off ("The [Legislative
    Analyst]'s Office", "Children's Aid Society" when NER tags nothing): a capitalised
    institution word whose possessor is a run of capitalised words NER did not take for a
    person, place or body of its own ("Ontario's Financial Accountability Office" keeps
    Ontario out)."""
    doc = name.doc
    head = doc[name.end - 1]
    if name.start < 2 or head.lower_ not in INSTITUTION_WORDS | ORG_NOUNS:
        return None
    mark = doc[name.start - 1]
    owner = doc[name.start - 2]
    if not (
        mark.tag_ == "POS"
        and mark.head.i == owner.i
        and owner.dep_ == "poss"
        and owner.head.i == head.i
        and owner.text[:1].isupper()
        and owner.pos_ in {"PROPN", "NOUN"}
    ):
        return None
    owner_name = _compound_name(owner) if owner.pos_ == "PROPN" else doc[owner.i : owner.i + 1]
    if any(t.ent_type_ in {"PERSON", "GPE", "NORP", "ORG", "LOC"} for t in owner_name):
        return None
    if not all(t.text[:1].isupper() for t in owner_name):
        return None
    return doc[owner_name.start : name.end]


@rule(
    "verb_tagged_name",
    stage="mention",
    example="Donald Trump spoke in Ohio. Trump this week also said he would run.",
)
def verb_tagged_name(subject: Subject) -> MentionVerdict:
    """A capitalised subject the tagger read as a verb ("Trump", "Will", "Hope"): no verb is
    a subject, so it is a name; resolved like any name (a person the article named, else an
    organisation). Gerunds ("Voting is ...") are verbs indeed."""
    token = subject.token
    if not (
        token.pos_ == "VERB"
        and token.dep_ in {"nsubj", "nsubjpass"}
        and token.is_alpha
        and token.is_title
        and not token.ent_type_
        and not token.lower_.endswith("ing")
    ):
        return PASS
    start = subject.offset + token.idx
    return Mention(start, start + len(token.text), token.text, "name", "PROPN")
