"""Content sieves for clauses the parser hung in the wrong place: a clause read as a
second subject, a that-clause hung on a noun, a clause stranded before the cue, and the
clause a parenthetical cue interrupts."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.attribution import (
    _SUBORDINATORS,
    REPORTING_VERBS,
    _cue_phrase,
    _interrupted_clause,
    _phrasal_predicate,
    _result_clause,
    _span_chars,
    _stranded_clause,
    _subject_as_content,
)
from app.extraction.lexicon import TELLING_VERBS
from app.extraction.rules import rule
from app.extraction.rules.content.sieve import PASS, Verdict


@rule(
    "subject_as_content",
    stage="content",
    example="The people who stay tend to be the ones who care, he said.",
)
def subject_as_content(verb: Token, offset: int) -> Verdict:
    """A reported clause before the cue that the parser took for a second subject of it."""
    misparsed = _subject_as_content(verb)
    if misparsed is None:
        return PASS
    return _span_chars(misparsed, offset)


_ASIDE_PREPOSITIONS = frozenset(
    {"despite", "amid", "amidst", "notwithstanding", "because", "including", "besides", "unlike"}
)
"""Prepositions of an aside beside the cue ("voted to freeze fares, despite warnings from
staff that the decision will cost $4 million"): a that-clause inside is the aside noun's, not
what the cue reports (training split: 10 such contents, none of them the cue's)."""


@rule(
    "that_clause_on_noun",
    stage="content",
    example="The agency said in a statement that the plant would close.",
)
def that_clause_on_noun(verb: Token, offset: int) -> Verdict:
    """ "said in a statement that ...", "told reporters that ...": the parser may hang the
    that-clause on the noun in between; a that-clause with its own subject is the content."""
    # "said in a statement that ...", "told reporters that ...": the parser may hang the
    # that-clause on the noun in between; a that-clause with its own subject is the content.
    for token in verb.subtree:
        if token.i <= verb.i or token.dep_ not in {"acl", "relcl", "ccomp"}:
            continue
        # "reported at the time that ...": the parser may read the clause as a relative
        # clause of the noun, its "that" as an adverb.
        # "told a news conference that Albertans deserve to decide the question": the clause
        # read as a relative one of the addressee, "that" as the object of a verb that has
        # its own.
        on_addressee = token.head.dep_ == "dobj" and verb.lemma_.lower() in TELLING_VERBS
        opener = (
            token.left_edge
            if token.dep_ == "relcl" and (token.head.dep_ == "pobj" or on_addressee)
            else None
        )
        relative_that = (
            opener is not None
            and opener.lower_ == "that"
            and (opener.dep_ == "advmod" or _object_of_passive(opener) or _second_object(opener))
        )
        if not relative_that and not any(
            c.dep_ == "mark" and c.lower_ == "that" for c in token.children
        ):
            continue
        if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in token.children):
            continue
        if _result_clause(token):
            continue
        path = token.head
        aside = False
        while path.i != verb.i and path.dep_ in {"pobj", "prep", "dobj", "dative", "npadvmod"}:
            aside = aside or (path.dep_ == "prep" and path.lower_ in _ASIDE_PREPOSITIONS)
            path = path.head
        if path.i == verb.i and not aside:
            kept = [t for t in token.subtree if not (relative_that and t.i == token.left_edge.i)]
            return _span_chars(kept, offset)
    return PASS


def _second_object(that: Token) -> bool:
    """ "that Albertans deserve to decide the question": "that" read as the object of a verb
    that has an object of its own opens the clause, not a relative one."""
    return that.dep_ == "dobj" and any(
        c.dep_ == "dobj" and c.i != that.i for c in that.head.children
    )


def _object_of_passive(that: Token) -> bool:
    """ "told reporters at the scene that the shooting appeared to be targeted": the parser
    made "that" the object of a passive verb, which takes none; it opens the reported
    clause, not a relative one."""
    return that.dep_ == "dobj" and any(c.dep_ == "auxpass" for c in that.head.children)


@rule(
    "clause_as_object",
    stage="content",
    example="The source said the depot supplied fuel to the troops.",
)
def clause_as_object(verb: Token, offset: int) -> Verdict:
    """ "said the depot supplied fuel to the troops": the parser read the clause as one noun
    phrase ("the depot-supplied fuel"), the object of "said", with its verb as an adjective
    after its subject; "say" reports that clause. And for any finite cue, a clause whose
    subject the parser made the cue's object and whose verb, after a modal, it hung elsewhere
    ("argued the utility could absorb the cost")."""
    stranded = _stranded_modal_clause(verb)
    if stranded is not None:
        return _span_chars(stranded, offset)
    if verb.lemma_.lower() != "say":
        return PASS
    if any(c.dep_ in {"ccomp", "xcomp"} and c.i > verb.i for c in verb.children):
        return PASS
    second = _second_subject(verb)
    if second is not None:
        # "X said surveys that ask people how long they sleep are unreliable": the clause's
        # subject read as a second subject of "said", its verb hung inside the subject.
        return _span_chars(list(second.subtree), offset)
    target = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if target is None or target.pos_ not in {"NOUN", "PROPN"}:
        return PASS
    held = next((c for c in target.rights if c.dep_ == "acl"), None)
    if (
        held is not None
        and held.i == target.i + 1
        and held.tag_ in {"VBD", "VBN"}
        and not any(c.dep_ == "agent" for c in held.children)
    ):
        # "said the effect held even after ...": the clause's verb read as a participle
        # on its subject ("the effect [that was] held").
        return _span_chars(list(target.subtree), offset)
    if _quantity(target) and any(
        t.dep_ == "relcl" and t.tag_ in {"VBD", "VBZ", "VBP", "VBN"} for t in target.subtree
    ):
        # "said 68 per cent of members who voted rejected the deal": nobody says a share; the
        # parser made the clause's verb a relative clause of it.
        return _span_chars(list(target.subtree), offset)
    for word in target.lefts:
        if (
            word.dep_ == "amod"
            and word.pos_ == "VERB"
            and word.tag_ in {"VBD", "VBN"}
            and word.i > target.left_edge.i
            and word.doc[word.i - 1].pos_ in {"NOUN", "PROPN"}
            and word.doc[word.i - 1].head.i == target.i
        ):
            return _span_chars(list(target.subtree), offset)
    return PASS


def _stranded_modal_clause(verb: Token) -> list[Token] | None:
    """ "groups who argued the utility could absorb the cost": the parser made the clause's
    subject the cue's object and hung its verb, after a modal, elsewhere in the sentence
    (here on the main verb); the object and that verb phrase are the report."""
    if verb.tag_ not in {"VBD", "VBZ", "VBP"}:
        return None  # "taxpayers reporting capital gains ... would pay": a participle's object
    if any(c.dep_ in {"ccomp", "xcomp"} and c.i > verb.i for c in verb.children):
        return None
    target = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if target is None or target.pos_ not in {"NOUN", "PROPN", "PRON"}:
        return None
    doc = verb.doc
    after = target.right_edge.i + 1
    if after >= len(doc) or doc[after].tag_ != "MD" or doc[after].dep_ != "aux":
        return None
    clause = doc[after].head
    if clause.i <= after or verb.is_ancestor(clause) or clause.pos_ not in {"VERB", "AUX"}:
        return None
    if any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in clause.children):
        return None
    tokens = list(target.subtree) + [t for t in clause.subtree if t.i >= after]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    return tokens


def _second_subject(verb: Token) -> Token | None:
    """A noun after "said" that the parser made a second subject of it, when a clause with
    a finite verb hangs inside its phrase."""
    if not any(c.dep_ in {"nsubj", "nsubjpass"} and c.i < verb.i for c in verb.children):
        return None
    after = next(
        (c for c in verb.rights if c.dep_ in {"nsubj", "nsubjpass"} and c.i == verb.i + 1), None
    )
    if after is None or after.pos_ not in {"NOUN", "PROPN"}:
        return None
    finite = {"VBD", "VBZ", "VBP", "MD"}
    if not any(t.tag_ in finite and t.dep_ == "ccomp" for t in after.subtree):
        return None
    return after


_SHARES = frozenset(
    {"cent", "percent", "%", "majority", "half", "third", "quarter", "most", "minority", "share"}
)


def _quantity(target: Token) -> bool:
    """A share or count of something: "68 per cent of members", "a majority of voters",
    "two-thirds of them"."""
    share = target.lower_ in _SHARES or any(
        c.dep_ == "nummod" and c.like_num for c in target.children
    )
    return share and any(c.dep_ == "prep" and c.lower_ == "of" for c in target.children)


@rule(
    "stranded_clause",
    stage="content",
    example="While the mayor admitted costs had risen, the council noted the work was done.",
)
def stranded_clause(verb: Token, offset: int) -> Verdict:
    """A clause the parser left stranded on an earlier cue that belongs to this one."""
    stranded = _stranded_clause(verb)
    if stranded is None:
        return PASS
    return _span_chars(stranded, offset)


@rule(
    "interrupted_clause",
    stage="content",
    example="The plan, he said, is dead.",
)
def interrupted_clause(verb: Token, offset: int) -> Verdict:
    """A parenthetical cue ("The plan, he said, is dead") reports the clause it interrupts
    or follows."""
    head = verb.head
    subordinate = any(
        c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in verb.children
    ) or any(c.dep_ == "advmod" and c.lower_ in {"as", "when"} for c in verb.children)
    if verb.dep_ == "parataxis":
        head = _interrupted_clause(head)
    infinitive = any(c.tag_ == "TO" for c in verb.children)  # "stopping by to say goodbye"
    if (
        verb.dep_ in {"parataxis", "advcl"}
        and not subordinate
        and not infinitive
        and head.i != verb.i
        and (head.pos_ in {"VERB", "AUX"} or _phrasal_predicate(head))
        # '"A," said X, vowing to ...': a participle on another cue interrupts no clause.
        and head.lemma_.lower() not in REPORTING_VERBS
        # "He stayed in his office, writing": what the subject did while writing.
        and not (verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.i > head.i)
    ):
        cue_tokens = {t.i for t in _cue_phrase(verb)}
        tokens = [t for t in head.subtree if t.i not in cue_tokens]
        tokens = _from_last_conjunct(tokens, min(cue_tokens))
        # Only a clause the cue interrupts or follows ("The plan, he said, is dead").
        if tokens and min(t.i for t in tokens) < verb.i and len(tokens) >= 4:
            return _span_chars(tokens, offset)
    return PASS


_CLAUSE_BREAKS = frozenset({",", ";", "-", "--", "\u2014", "\u2013"})


def _from_last_conjunct(tokens: list[Token], cue_start: int) -> list[Token]:
    """An interrupted clause from its own subject: "He had a rally that night - and the
    permit, his campaign said, had been hard to get" reports "the permit ... had been hard to
    get", not the clause coordinated before it (which the parser may hang on the reported
    verb): a coordinator after a comma, dash or semicolon, with only a noun phrase between it
    and the cue, starts the reported clause."""
    before = [t for t in tokens if t.i < cue_start]
    for k in range(len(before) - 1, 0, -1):
        token = before[k]
        if token.dep_ != "cc" or token.lower_ not in {"and", "but"}:
            continue
        if before[k - 1].text not in _CLAUSE_BREAKS or before[k - 1].i != token.i - 1:
            return tokens
        subject = before[k + 1 :]
        if not subject or any(t.pos_ in {"VERB", "AUX"} for t in subject):
            return tokens
        return [t for t in tokens if t.i > token.i]
    return tokens


@rule(
    "clause_before_conjoined_cue",
    stage="content",
    example="The province will buy six machines, the minister announced Monday.",
)
def clause_before_conjoined_cue(verb: Token, offset: int) -> Verdict:
    """ "The province will buy six machines, Health Minister Jo Lee announced Monday.": the
    parser made the cue, with its subject, a conjunct of the reported clause's verb; set off
    by a comma alone, and reporting nothing after it, the cue reports that clause."""
    head = verb.head
    if verb.dep_ != "conj" or head.i >= verb.i or head.pos_ not in {"VERB", "AUX"}:
        return PASS
    doc = verb.doc
    own = {t.i for t in verb.subtree}
    # The comma may hang on the cue.
    edge = min((t.i for t in verb.subtree if not t.is_punct), default=verb.i)
    if edge < 1 or doc[edge - 1].text != "," or any(c.dep_ == "cc" for c in verb.children):
        return PASS
    if edge >= 2 and doc[edge - 2].dep_ == "cc":
        return PASS
    if not any(c.dep_ in {"nsubj", "nsubjpass"} and c.i < verb.i for c in verb.children):
        return PASS
    if any(c.dep_ in {"ccomp", "xcomp", "dobj", "attr", "oprd"} for c in verb.rights):
        return PASS
    if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in head.children):
        return PASS
    tokens = [t for t in head.subtree if t.i not in own and t.i < edge - 1]
    if len(tokens) < 4:
        return PASS
    return _span_chars(tokens, offset)
