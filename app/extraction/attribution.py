"""Speech cues in the parse: reporting verbs, their speakers (subjects) and reported content."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from app.extraction.lexicon import TELLING_VERBS, TEXT_ISSUING_VERBS
from app.extraction.rules import LEARNED
from app.extraction.speakers import (
    DOCUMENT_NOUNS,
    OBJECT_PRONOUNS,
    TITLE_WORDS,
    Mention,
    inverted_object_subject,
    mention_for,
)

# Lemmas of verbs that report speech or writing. Belief verbs ("think") are left out on
# purpose: they attribute opinions, not statements, and fire on every "I think" in a quote.
REPORTING_VERBS = {
    "say",
    "tell",
    "add",
    "warn",
    "insist",
    "state",
    "comment",
    "argue",
    "acknowledge",
    "concede",
    "explain",
    "note",
    "write",
    "ask",
    "claim",
    "announce",
    "confirm",
    "deny",
    "tweet",
    "report",
    "suggest",
    "admit",
    "allege",
    "stress",
    "emphasize",
    "emphasise",
    "declare",
    "predict",
    "respond",
    "reply",
    "recall",
    "urge",
    "testify",
    "reiterate",
    "mention",
    "observe",
    "caution",
    "complain",
    "lament",
    "maintain",
    "contend",
    "assert",
    "promise",
    "vow",
    "pledge",
    "threaten",
    "boast",
    "joke",
    "quip",
    "conclude",
    "estimate",
    "point",
    "blurt",
    "shout",
    "yell",
    "scream",
    "whisper",
    "remark",
    "agree",
    "disclose",
    "reveal",
    "charge",
    "accuse",
    "demand",
    "propose",
    "recommend",
    "advise",
    "assure",
    "counter",
    "retort",
    "concur",
    "affirm",
    "repeat",
    "elaborate",
    "muse",
    "exclaim",
    "proclaim",
    "mutter",
    "post",
    "speculate",
    "forecast",
    "hint",
    "inform",
    "remind",
}
# Verbs that quote someone's words as a label ("called the plan 'a disgrace'"): cues only for
# quotations in their objects. Only "call": describe, dub, label, term, brand, express and
# deride as naming cues cost end-to-end F1 on PolNeAR's training folds (benchmarks/RULES.md);
# left alone they go on to the other cue rules and the learned model.
NAMING_VERBS = {"call"}
# Verbs of judgement ("called the charges baseless", "described it as a fire hazard").
JUDGING_VERBS = {"call", "describe"}
# Verbs that count only with a content clause (never as bare cues after a direct quote).
_NEEDS_CLAUSE = {"point", "inform", "remind", "repeat", "agree", "recommend", "propose"}
# Verbs of proposals whose content may be a gerund ("proposed dropping the levy").
_PROPOSAL_VERBS = {"propose", "suggest", "recommend"}
# Verbs whose content is a question rather than a statement: cues for direct quotes only.
_QUESTION_VERBS = {"ask"}
# Verbs of requests and pledges whose content is an infinitive ("urged voters to register",
# "called on the mayor to resign", "pledged to appeal"). The ones outside REPORTING_VERBS
# are cues only with such a complement.
INFINITIVE_VERBS = {
    "urge",
    "warn",
    "tell",
    "pledge",
    "demand",
    "agree",
    "recommend",
    "advise",
    "call",
    "implore",
    "beg",
    "press",
}
# Verbs of findings ("a poll shows that ...", "the study found that ..."): cues only with a
# that-clause and a record of evidence for subject, since "the attack showed that ..." or "she
# found that ..." are the writer's inferences, not attributions.
FINDING_VERBS = {"show", "find"}
EVIDENCE_NOUNS = {
    "poll",
    "polling",
    "survey",
    "study",
    "report",
    "analysis",
    "data",
    "datum",
    "research",
    "review",
    "audit",
    "investigation",
    "inquiry",
    "transcript",
    "document",
    "record",
    "video",
    "footage",
    "recording",
    "statistic",
    "figure",
    "number",
    "result",
    "finding",
    "test",
    "evidence",
    "slide",
    "chart",
    "average",
}


def _finding(verb: Token) -> bool:
    """A finding verb with an evidence record for subject and a that-clause ("a poll shows
    that ...")."""
    if verb.lemma_.lower() not in FINDING_VERBS or verb.pos_ != "VERB":
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lemma_.lower() not in EVIDENCE_NOUNS:
        return False
    return any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in verb.rights
    )


# Verbs of public judgement, evidence and endorsement whose object is what the subject said
# about something ("criticized the agency for ignoring the warnings", "cited rising costs",
# "opposed the new levy"): cues only for their object and its "for"/"as" phrase.
OBJECT_VERBS = {
    "criticize",
    "criticise",
    "attack",
    "blast",
    "denounce",
    "cite",
    "support",
    "oppose",
}
# Subordinators that make a cue clause background ("as X announced", "after X said").
_SUBORDINATORS = {
    "as",
    "after",
    "before",
    "when",
    "while",
    "since",
    "because",
    "until",
    "if",
    "although",
    "though",
    "once",
    "whereas",
    "unless",
}
_WH_WORDS = {"what", "whether", "if", "how", "why", "when", "where", "who", "whom", "which"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_CONTENT_DEPS = {"ccomp"}
_RELATIVE = {"who", "which", "that", "whom"}
# Object pronouns that stand for people, who may be made to say something ("led some to").
_CONTROLLING_PRONOUNS = OBJECT_PRONOUNS | {
    "us", "me", "some", "many", "others", "several", "few", "most"
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting verb (or "according to") found in one paragraph, offsets into the article."""

    start: int
    end: int
    text: str
    lemma: str
    paragraph: int
    speaker: Mention | None
    clause_start: int
    """Where the attribution clause begins (the subject's phrase, or the verb)."""
    content: tuple[int, int] | None = None
    """The reported clause, without "that" and edge punctuation."""
    content_after: tuple[int, int] | None = None
    """The rest of a reported clause the cue interrupts ("A, he said, but B" gives B)."""
    naming: tuple[int, int] | None = None
    """For naming verbs ("called it 'a disgrace'"): the span of the verb's complements; the
    cue only attributes quotations inside it."""
    needs_clause: bool = False
    relative: tuple[int, int] | None = None
    """The relative pronoun the cue's clause has for subject ("X, who said ..."): the
    mention the attribution rests on, while the speaker is its antecedent."""
    score: float | None = None
    """The learned model's probability for a cue it proposed (app/extraction/learned); None
    for the rules' own cues."""
    rule: str = ""
    """The id of the rule that found the cue (app/extraction/rules); empty for the learned
    model's cues (see `cue_rule`)."""
    source: tuple[int, int] | None = None
    """The words a learned cue's source spans when they make no speaker mention ("many",
    "some of his admirers", "85% of Democrats"): the attribution rests on them, and has
    no speaker."""
    over_rule_cue: bool = False
    """A learned cue on a word the rules found as a cue but made no quote of ("denied the
    report", "asked if ..."): an attribution, but no reported statement (see learned_class)."""


def cue_rule(cue: Cue) -> str:
    """The rule a cue came from: its own stamp, or the learned model's."""
    return cue.rule or LEARNED


def _subject_cue(
    verb: Token,
    last: Token,
    text: str,
    lemma: str,
    paragraph: int,
    subject: Token,
    offset: int,
    content: tuple[int, int] | None,
) -> Cue:
    """A cue from `verb` to `last` whose grammatical subject is the source and which reports
    the phrase `content` (a clause, a demand, a judged object)."""
    return Cue(
        offset + verb.idx,
        offset + last.idx + len(last.text),
        text,
        lemma,
        paragraph,
        mention_for(subject, offset),
        offset + min(subject.left_edge.idx, verb.idx),
        content=content,
        needs_clause=True,
        relative=relative_subject(verb, offset),
    )


def is_mark(token: Token) -> bool:
    """Whether a token is punctuation and no word: "%" is tagged punctuation, yet it heads a
    subject ("85% of Democrats said ...") as "percent" does (shared with the learned model)."""
    return token.is_punct and token.text != "%"


def relative_subject(verb: Token, offset: int) -> tuple[int, int] | None:
    """The relative pronoun that is the subject of a predicate's relative clause ("X, who
    said ..."), as offsets; None when the clause is not a relative one (shared with the
    learned attribution model)."""
    # "X, who took to the streets and called for ...": the conjunct shares the relative.
    while verb.dep_ == "conj" and verb.head.i < verb.i and verb.head.pos_ in {"VERB", "AUX"}:
        if any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
            return None
        verb = verb.head
    if verb.dep_ != "relcl":
        return None
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS and child.lower_ in _RELATIVE:
            return offset + child.idx, offset + child.idx + len(child.text)
    return None


# Occasions of speaking ("said at a news conference announcing ..."): the speaker's own.
_OCCASION_NOUNS = {"conference", "interview", "speech", "briefing", "rally", "address"}


def _issuing_subject(noun: Token) -> Token | None:
    """The subject of the clause that issued a text or held an occasion of speaking."""
    lemma = noun.lemma_.lower()
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ == "dobj":
        noun = noun.head.head  # "unleashed a series of tweets": the series was issued
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in TEXT_ISSUING_VERBS:
        verb = noun.head
    elif (
        noun.dep_ == "pobj"
        and lemma in _OCCASION_NOUNS
        and noun.head.lower_ in {"at", "in", "during"}
        and noun.head.head.pos_ in {"VERB", "AUX"}
    ):
        verb = noun.head.head
    else:
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


_CLOSING_MARKS = {'"', "\u201d", "''"}


def _appositive_before_verb(subject: Token, verb: Token) -> Token | None:
    """A name the parser hung on the subject as an appositive, right before the verb.

    "To understand the real Dred Scott, Chief Justice Roberts said, one should ...": the
    words before the comma belong to the report; the name next to the verb is the speaker.
    (Were the two really in apposition, they would be one person.)
    """
    if subject.i > verb.i:
        return None
    for child in subject.children:
        if (
            child.dep_ == "appos"
            and child.pos_ == "PROPN"
            and child.right_edge.i == verb.i - 1
            and any(t.text == "," for t in subject.doc[subject.i + 1 : child.left_edge.i])
        ):
            return child
    return None


def _free_adjunct_in_relative(verb: Token) -> bool:
    """A participle after a comma that the parser hung inside a relative clause."""
    if verb.tag_ != "VBG" or verb.i == 0 or verb.doc[verb.i - 1].text != ",":
        return False
    if verb.dep_ not in {"advcl", "conj", "xcomp"}:
        return False
    root = verb.sent.root
    if root.pos_ not in {"VERB", "AUX"}:
        return False
    head = verb.head
    while head.i != root.i and head.head.i != head.i:
        if head.dep_ == "relcl":
            return True
        head = head.head
    return False


def _participle_carrier(verb: Token, subjects: list[Token]) -> Token | None:
    """The noun a participle phrase modifies, when the parser split it from its verb.

    "The board decision allowing his release said ...": the parser reads "his release said"
    as a clause under "allowing"; but "allowing" takes no reported clause, so the decision
    is what said.
    """
    participle = verb.head
    if verb.dep_ != "ccomp" or participle.tag_ != "VBG" or participle.dep_ != "acl":
        return None
    if participle.lemma_.lower() in REPORTING_VERBS or participle.head.pos_ not in {"NOUN"}:
        return None
    if verb.tag_ not in _FINITE_TAGS:
        return None  # "daring him to say ...": an infinitive is the participle's own
    if len(subjects) != 1 or not participle.i < subjects[0].i < verb.i:
        return None
    if any(t.text == "," for t in verb.doc[participle.i : verb.i]):
        return None
    return participle.head


def _one_hyphenated_word(subjects: list[Token]) -> list[Token]:
    """Subjects that are the pieces of one hyphenated word the parser split ("Her co - worker,
    Dave Patel, said" with "co", "-" and "worker" each a subject): its last piece, the head a
    name in apposition hangs on."""
    if len(subjects) < 2:
        return subjects
    pieces = sorted(subjects, key=lambda t: t.i)
    word = pieces[0].doc[pieces[0].i : pieces[-1].i + 1]
    if (
        not any(t.whitespace_ for t in word[:-1])
        and any(t.text == "-" for t in word)
        and all(t.text == "-" or t in pieces for t in word)
    ):
        return [pieces[-1]]
    return subjects


# Participles of being asked or reached set off between a speaker and the cue ("Joe Lee,
# asked about the loss, said ...", "Ana Ruiz, reached by phone, said ...").
_ASKED_PARTICIPLES = frozenset({"ask", "reach", "contact", "interview", "question", "press"})


def _name_under_verb_subject(subject: Token) -> Token | None:
    """A name the parser hung on a word it took for a finite verb and made the cue's subject:
    "Dr. Vincent Oliva, president of the Fédération des médecins spécialistes du Québec,
    said" reads "spécialistes" as a verb whose subject is the name. No finite verb is a
    subject; the name before it is."""
    if subject.pos_ != "VERB" or subject.tag_ not in {"VBZ", "VBD", "VBP"}:
        return None
    name = next((c for c in subject.lefts if c.dep_ == "nsubj"), None)
    if name is None or name.ent_type_ != "PERSON":
        return None
    return name


def _subject_of_participle_root(verb: Token) -> Token | None:
    """ "Jeb Bush, struggling to regain momentum, called Trump ...": the parser made the
    participle the sentence's root and hung the cue on the noun before it as a reduced
    relative clause ("momentum called"). A participle is no finite verb: the cue after the
    comma is the sentence's, and the root's subject says it."""
    doc = verb.doc
    root = verb.sent.root
    if verb.i == 0 or doc[verb.i - 1].text != "," or root.tag_ != "VBG" or root.i > verb.i:
        return None
    objects = {"dobj", "oprd", "ccomp"}
    if verb.tag_ not in {"VBD", "VBN"} or not any(c.dep_ in objects for c in verb.children):
        return None
    subject = next((c for c in root.lefts if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ not in {"PROPN", "PRON"}:
        return None
    return subject


def _reduced_passive_subject(verb: Token) -> Token | None:
    """The speaker of a cue with no subject when the parser read "X, asked about Y, said"
    as a clause "X asked about Y" before the cue: the participle's subject, set off from it
    by a comma, is the one who said."""
    if any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
        return None
    for child in verb.lefts:
        if child.dep_ not in {"ccomp", "advcl"} or child.lemma_.lower() not in _ASKED_PARTICIPLES:
            continue
        end = child.right_edge.i
        if verb.doc[end].text == ",":
            end -= 1  # the comma before the cue may hang on the participle
        if child.tag_ not in {"VBD", "VBN"} or end + 2 != verb.i:
            continue
        if verb.doc[verb.i - 1].text != ",":
            continue
        subject = next((c for c in child.lefts if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None and any(t.text == "," for t in verb.doc[subject.i : child.i]):
            return subject
    return None


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """The grammatical subject of a reporting verb, inherited through participles and conjuncts."""
    # (A quotation mark parsed as the subject is a parse slip: '...,'' says X'.)
    subjects = _one_hyphenated_word(
        [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and not is_mark(c)]
    )
    if len(subjects) > 1:
        # Two subjects: the parser joined quoted words to the attribution ('"... One of the
        # best," Rep. Jane Doe said'); the one after the closing mark is the speaker.
        doc = verb.doc
        nearest = max(subjects, key=lambda c: c.i)
        edge = nearest.left_edge.i
        if nearest.i < verb.i and edge > 0 and doc[edge - 1].text in _CLOSING_MARKS:
            subjects = [nearest]
        elif _subject_as_content(verb) is not None:
            subjects = [nearest]  # "The ones who stay care, he said": the clause is content
        elif min(subjects, key=lambda c: c.i).lower_ in {"which", "that", "who"}:
            # "fees, which they said cost billions": the relative pronoun is the subject of
            # the reported clause, fronted over the cue; "they" says it.
            subjects = [nearest]
        elif (
            nearest.i < verb.i
            and edge > 0
            and doc[edge - 1].text == ","
            and all(c.right_edge.i < edge - 1 for c in subjects if c.i != nearest.i)
            and (first := min(c.left_edge.i for c in subjects)) > 0
            and doc[first - 1].pos_ == "ADP"
        ):
            # "Under cross-examination, defence lawyer Dan Brown suggested ...": the parser
            # made the opening phrase's words subjects too; the one after the comma speaks.
            subjects = [nearest]
    carrier = _participle_carrier(verb, subjects)
    if carrier is not None:
        return carrier
    for child in subjects:
        if child.dep_ == "nsubjpass":
            # "... was written by Jane Doe": the agent is the author.
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            author = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if author is not None:
                return author
        if child.dep_ in _SUBJECT_DEPS:
            if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            beside = _appositive_before_verb(child, verb)
            if beside is not None:
                return beside
            if child.i < verb.i and depth == 0:
                # '"... Real trouble," said Jane Doe': right after a quotation the speaker
                # follows the verb; the parser may take quoted words for the subject.
                inverted = _inverted_subject(verb)
                if inverted is not None:
                    return inverted
            named = _name_under_verb_subject(child)
            if named is not None:
                return named
            return child
    if depth == 0:
        inverted = inverted_object_subject(verb)
        if inverted is not None:
            return inverted
        reduced = _reduced_passive_subject(verb)
        if reduced is not None:
            return reduced
        fallback = _adjacent_subject(verb)
        if fallback is not None and verb.dep_ not in {"advcl", "conj", "xcomp", "acl", "relcl"}:
            return fallback
        trailing = _trailing_cue_subject(verb)
        if trailing is not None:
            return trailing
    if depth >= 3 or verb.head.i == verb.i:
        return None
    if depth == 0 and verb.dep_ == "xcomp" and any(a.tag_ == "TO" for a in verb.lefts):
        # "forced the chief executive to admit that ...": the object is the one admitting.
        controller = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if (
            controller is not None
            and controller.i < verb.i
            and (controller.pos_ != "PRON" or controller.lower_ in _CONTROLLING_PRONOUNS)
        ):
            # "led some to speculate", "urged them to say": a person or group pronoun too;
            # not "it" or "that" ("took it to mean ...").
            return controller
    if verb.dep_ == "acl" and depth == 0:
        main = _subject_of_participle_root(verb)
        if main is not None:
            return main
    if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        issuer = _issuing_subject(verb.head)
        if issuer is not None:
            return issuer
        return verb.head  # "a statement saying ...": the statement is the source
    if depth == 0 and _free_adjunct_in_relative(verb):
        # "Trump defended not paying an architect who said he was stiffed, saying ...": a
        # participle after a comma speaks for the sentence's subject, whatever the parse.
        return _subject(verb.sent.root, depth + 1)
    if verb.dep_ in {"advcl", "conj", "xcomp", "pcomp", "ccomp", "relcl", "prep"}:
        head = verb.head
        if (
            verb.tag_ == "VBG"
            and head.dep_ == "ccomp"
            and head.lemma_.lower() not in REPORTING_VERBS
            and head.head.lemma_.lower() in REPORTING_VERBS
            and head.head.i < head.i
        ):
            # "X said the vote was a warning, noting that ...": the participle hangs on the
            # reported clause, but X is the one noting. Not before a trailing cue ("The
            # union has rejected the offer, saying ..., its president said"): the participle
            # is inside the report, its subject the union.
            return _subject(head.head, depth + 1)
        if (
            verb.tag_ == "VBG"
            and verb.dep_ == "advcl"
            and verb.i > 0
            and verb.doc[verb.i - 1].text == ","
            and head.dep_ in {"ccomp", "xcomp"}
            and any(c.tag_ == "TO" for c in head.children)
        ):
            # "X wants the city to study a tax, arguing that ...": a participle after a
            # comma speaks for the sentence's subject, not for the one asked to act.
            return _subject(head.head, depth + 1)
        if (
            verb.dep_ == "conj"
            and verb.lemma_.lower() in REPORTING_VERBS
            and head.dep_ == "ccomp"
            and head.head.i < head.i
            and head.head.lemma_.lower() in REPORTING_VERBS
        ):
            # "X said A and added that B": the parser may hang the second report on the
            # reported clause, but X is the one adding.
            return _subject(head.head, depth + 1)
        return _subject(head, depth + 1)
    return None


# Present-tense cues the tagger may read as plural nouns ('"...," Sinclair states.').
_THIRD_PERSON_CUES = {
    "says": "say",
    "states": "state",
    "adds": "add",
    "writes": "write",
    "notes": "note",
    "explains": "explain",
    "insists": "insist",
    "argues": "argue",
    "recalls": "recall",
    "warns": "warn",
    "tweets": "tweet",
    "claims": "claim",
    "charges": "charge",
    "concludes": "conclude",
}


def _adjacent_subject(verb: Token) -> Token | None:
    """A name or pronoun right next to the verb when the parse lost the subject.

    The small model sometimes parses '"...," DeBoer said' with DeBoer as an auxiliary; the
    word order of an attribution is rigid enough to read the speaker off it.
    """
    doc = verb.doc
    before = doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and before.pos_ in {"ADV"} and verb.i > 1:
        before = doc[verb.i - 2]
    if (
        before is not None
        and before.dep_ not in {"pobj", "dobj", "poss"}
        and (
            before.pos_ in {"PROPN", "PRON"}
            or (before.pos_ == "NOUN" and before.text[:1].isupper())
            or (before.text[:1].isupper() and before.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"})
        )
    ):
        return before
    if verb.i > 0 and doc[verb.i - 1].text in {",", '"', "\u201d", "'", "\u2019"}:
        return _subject_after(verb)
    if verb.text[:1].isupper() and (verb.i == 0 or doc[verb.i - 1].text in {".", "!", "?"}):
        return _subject_after(verb)  # "Said Ellis: ..." opening a sentence
    return None


def _trailing_cue_subject(verb: Token) -> Token | None:
    """ "Drones struck a depot, setting it on fire, a source in the security service said on
    Saturday.": the parser hung the speaker's phrase on a word before it (as an appositive)
    and the cue on the sentence's verb; the noun phrase between the last comma and the cue is
    the speaker, when nothing but adjuncts follows the cue."""
    doc = verb.doc
    if verb.i < 3 or doc[verb.i - 1].is_punct:
        return None
    if any(c.dep_ in {"ccomp", "dobj", "xcomp", "attr"} and c.i > verb.i for c in verb.children):
        return None
    phrase = doc[verb.i - 1]
    while phrase.dep_ != "appos" and phrase.head.i != phrase.i and phrase.head.i < verb.i:
        phrase = phrase.head
    if (
        phrase.dep_ != "appos"
        or phrase.pos_ not in {"NOUN", "PROPN"}
        or phrase.right_edge.i != verb.i - 1
        or phrase.left_edge.i < 1
        or doc[phrase.left_edge.i - 1].text != ","
    ):
        return None
    return phrase


def _subject_after(verb: Token) -> Token | None:
    """The name or description right after an inverted cue ("said the minister")."""
    doc = verb.doc
    after = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    if after is None or after.pos_ not in {"PROPN", "DET"}:
        return None
    if after.pos_ == "DET":
        nxt = after.head if after.head.i > after.i else None
        return nxt if nxt is not None and nxt.pos_ in {"NOUN", "PROPN"} else None
    head = after
    while head.dep_ == "compound" and head.head.i > head.i:
        head = head.head
    return head


def _inverted_subject(verb: Token) -> Token | None:
    """The speaker after a cue that directly follows a closing quotation mark."""
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text not in _CLOSING_MARKS:
        return None
    return _subject_after(verb)


def _span_chars(tokens: list[Token], offset: int) -> tuple[int, int] | None:
    """Character range of tokens, without edge punctuation, "that" and white space."""
    tokens = sorted(tokens, key=lambda t: t.i)
    inside = {t.i for t in tokens}
    while tokens and (
        tokens[0].is_punct
        or tokens[0].is_space
        or (
            tokens[0].lower_ in {"that", "whether", "if"}
            and tokens[0].dep_ == "mark"
            # Only the clause's own "that"/"if", not a condition inside it ("if X, Y").
            and (tokens[0].head.dep_ != "advcl" or tokens[0].head.head.i not in inside)
        )
    ):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    if not tokens:
        return None
    return offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text)


def subject_of(verb: Token) -> Token | None:
    """The subject the rules find for a predicate (shared with the learned attribution model)."""
    return _subject(verb)


def content_of_reporting_verb(verb: Token, offset: int) -> tuple[int, int] | None:
    """The content span the rules give a reporting verb (shared with the learned model)."""
    return _content(verb, offset)


def _infinitive(verb: Token, offset: int) -> tuple[int, int] | None:
    """The infinitive a request, promise or intention reports, with its addressee.

    "urged residents to stay indoors", "called on the governor to resign", "vowed to appeal":
    the content runs from the addressee (if any) to the end of the infinitive clause.
    """
    xcomp = next(
        (
            c
            for c in verb.rights
            if c.dep_ == "xcomp"
            and c.pos_ in {"VERB", "AUX"}
            and any(a.tag_ == "TO" for a in c.lefts)
        ),
        None,
    )
    if xcomp is None:
        return None
    tokens = list(xcomp.subtree)
    for child in verb.rights:
        if child.i > xcomp.i:
            break
        if child.dep_ in {"dobj", "dative"}:
            tokens.extend(child.subtree)
        elif child.dep_ == "prep" and child.lower_ == "on":
            tokens.extend(t for t in child.subtree if t.i != child.i)
    # Only what follows the verb: "who they urged to run" is not a request for "who".
    tokens = [t for t in tokens if t.i > verb.i]
    return _span_chars(_without_dash_comment(_without_participle_cues_in(tokens, xcomp)), offset)


def _content(
    verb: Token, offset: int, disabled: frozenset[str] = frozenset()
) -> tuple[int, int] | None:
    """The reported clause of a reporting verb: the content sieves decide
    (app/extraction/rules/content, in CONTENT_ORDER)."""
    from app.extraction.rules.content import reported_content  # the sieves import this module

    return reported_content(verb, offset, disabled)


def _subject_as_content(verb: Token) -> list[Token] | None:
    """A reported clause the parser took for a second subject of the cue.

    "The people who stay tend to be the ones who care, he said.": "people" is parsed as a
    subject of "said" beside "he"; the clause before the comma is what was said.
    """
    subjects = [c for c in verb.lefts if c.dep_ == "nsubj"]
    if len(subjects) != 2:
        return None
    first, second = subjects
    comma = verb.doc[second.left_edge.i - 1] if second.left_edge.i > 0 else None
    if comma is None or comma.text != "," or first.right_edge.i != comma.i - 1:
        return None
    tokens = list(first.subtree)
    if len(tokens) < 4 or not any(t.pos_ in {"VERB", "AUX"} for t in tokens):
        return None
    return tokens


def _phrasal_predicate(head: Token) -> bool:
    """A clause whose verb the tagger took for another word but whose particle and subject
    show it ("Most infections clear up on their own, she said": "clear" tagged ADJ)."""
    deps = {c.dep_ for c in head.children}
    return "prt" in deps and bool(deps & {"nsubj", "nsubjpass"})


def _misparsed_complement(child: Token, verb: Token) -> bool:
    """A reported clause opened by a time phrase, parsed as an adverbial clause of the cue.

    "said after the convention he would not accept ...": the clause is what was said.
    """
    if child.dep_ != "advcl" or child.i < verb.i or child.tag_ in {"VBG", "VBN"}:
        return False
    if any(c.dep_ in {"mark", "advmod"} and c.i < child.i for c in child.children):
        return False
    subject = next((c for c in child.children if c.dep_ == "nsubj"), None)
    opener = child.left_edge
    return (
        subject is not None
        and opener.dep_ == "prep"
        and opener.head.i == child.i
        and opener.i == verb.i + 1
    )


def _stranded_cue(clause: Token) -> Token | None:
    """The reporting verb whose complement the parser hung on a later verb.

    "While he acknowledged funding was a reason, Ham noted ...": the parse makes "was" a
    complement of "noted" and "acknowledged" an adverbial clause of "was"; the words after
    "acknowledged" are what it reports.
    """
    if clause.dep_ != "ccomp" or clause.head.i < clause.i:
        return None
    for cue in clause.lefts:
        if (
            cue.dep_ == "advcl"
            and cue.pos_ == "VERB"
            and cue.lemma_.lower() in REPORTING_VERBS
            and cue.right_edge.i == cue.i
            and any(c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in cue.children)
            and any(c.dep_ in _SUBJECT_DEPS for c in cue.children)
        ):
            return cue
    return None


def _stranded_clause(verb: Token) -> list[Token] | None:
    """The words after a cue that the parser hung, with the cue, on a later verb."""
    clause = verb.head
    cue = _stranded_cue(clause) if verb.dep_ == "advcl" else None
    if cue is None or cue.i != verb.i:
        return None
    tokens = [t for t in clause.subtree if t.i > verb.i]
    return tokens if len(tokens) >= 3 else None


def _question(verb: Token, offset: int) -> tuple[int, int] | None:
    """The embedded question a question verb reports ("asked whether the plant would close")."""
    for child in verb.rights:
        if child.dep_ not in _CONTENT_DEPS:
            continue
        first = child.left_edge
        if first.lower_ not in {"whether", "if", "how", "why", "what"}:
            return None
        if not any(c.dep_ in _SUBJECT_DEPS | {"expl"} for c in child.children):
            return None
        return _span_chars(list(child.subtree), offset)
    return None


def _conjoined_before(clause: Token, verb: Token) -> bool:
    """A clause before its cue joined by "and"/"but" to a later clause the cue also reports.

    "Clinton had told the police A, but the police overruled her, the source added": the
    parser hangs both clauses on the cue, the first carrying the conjunction.
    """
    if not any(c.dep_ == "cc" and c.i > clause.i for c in clause.children):
        return False
    return any(
        s.dep_ in _CONTENT_DEPS
        and clause.i < s.i < verb.i
        and any(c.dep_ in _SUBJECT_DEPS for c in s.children)
        for s in verb.lefts
    )


def _result_clause(clause: Token) -> bool:
    """A that-clause of result ("add so many layers that it would ...", "such a mess that"):
    what follows from the noun phrase it hangs on, not what anyone says."""
    phrase = clause.head
    return any(
        t.lower_ in {"so", "such"} and t.i < phrase.i for t in phrase.subtree if t.i < clause.i
    )


_FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
_PERSONAL_SUBJECTS = {"i", "we", "you", "he", "she", "it", "they"}


def _with_object_as_subject(verb: Token, clause: Token, tokens: list[Token]) -> list[Token]:
    """A subjectless clause after "said" whose subject the parser made the verb's object.

    "said smaller shops that sell abroad are likely to suffer": "shops ..." hangs on "said"
    as a direct object and "are likely" as its complement; "say" takes no such object, so
    the noun phrase is the clause's subject.
    """
    if clause.i < verb.i:
        return tokens
    if any(c.dep_ in _SUBJECT_DEPS or c.dep_ == "expl" for c in clause.children):
        return tokens
    obj = next(
        (c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < clause.left_edge.i),
        None,
    )
    if obj is None or obj.pos_ not in {"NOUN", "PROPN", "PRON"}:
        return tokens
    if verb.lemma_.lower() != "say" and (
        obj.right_edge.i + 1 != clause.left_edge.i or clause.tag_ not in {"VB", "VBP"}
    ):
        # "demanded the president make a pledge": a bare verb right after the object of
        # a demand has that object for subject (the mandative subjunctive).
        return tokens
    return list(obj.subtree) + tokens


def _clause_after_addressee(verb: Token) -> list[Token] | None:
    """A that-less clause after the addressee that the parser took for a relative clause.

    "told detectives he attached stolen plates to his car so police would not ...": a
    clause opening with a personal pronoun straight after the object is what was told, not
    a description of the object; complements of the verb after it continue it.
    """
    if verb.lemma_.lower() not in TELLING_VERBS:
        return None  # "adding two tournaments he had not played": no addressee, no report
    obj = next((c for c in verb.rights if c.dep_ in {"dobj", "dative"}), None)
    if obj is None or obj.i != verb.i + 1 + sum(1 for t in obj.lefts for _ in t.subtree):
        return None
    clause = next((c for c in obj.rights if c.dep_ == "relcl"), None)
    if clause is None or clause.left_edge.i != obj.i + 1:
        return None
    subject = clause.left_edge
    if subject.lower_ not in _PERSONAL_SUBJECTS or subject.head.i != clause.i:
        return None
    if subject.dep_ not in _SUBJECT_DEPS:
        return None
    tokens = list(clause.subtree)
    for sibling in verb.rights:
        if sibling.i > clause.i and sibling.dep_ in _CONTENT_DEPS:
            if sibling.left_edge.i != max(t.i for t in tokens) + 1:
                break
            tokens.extend(sibling.subtree)
    return tokens


def _cue_phrase(verb: Token) -> list[Token]:
    """The tokens of a parenthetical cue ("he said"), without an opening clause it carries.

    "Although A, he said, B": the parser may hang the opening clause on the cue, but it is
    part of what was said.
    """
    lead = {
        t.i
        for c in verb.lefts
        if c.dep_ == "advcl" and any(s.dep_ in _SUBJECT_DEPS for s in c.children)
        for t in c.subtree
    }
    # "He's leaning toward Kasich, he said, because he prizes electability": a reason hung
    # on the parenthetical cue is the report's.
    reason = {t.i for c in verb.rights if reason_clause(c) for t in c.subtree}
    after = min(reason, default=len(verb.doc))
    return [t for t in verb.subtree if t.i not in lead | reason and t.i < after]


def reason_clause(token: Token) -> bool:
    """An adverbial clause opened by "because", which states the reason a report gives."""
    return token.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ == "because" for m in token.children
    )


def _interrupted_clause(head: Token) -> Token:
    """The clause a parenthetical cue interrupts, from the word the parser hung it on.

    "The difference now, he said, is ...": the cue hangs on the subject noun; "Though the
    move was smooth, he said, replacing her would be harder": on the opening subordinate
    clause. Either way the report is the whole sentence around the cue.
    """
    while head.dep_ != "ROOT" and (
        head.pos_ not in {"VERB", "AUX"} or head.dep_ in {"advcl", "csubj"}
    ):
        head = head.head
    return head


_DASHES = {"\u2014", "\u2013", "--"}


def _without_closing_gloss(tokens: list[Token]) -> list[Token]:
    """A reported clause without the reporter's gloss on a name at its very end.

    "said he did not support Mr. Trump, the presumed favorite of the Kremlin": an appositive
    after a comma that explains who a named person or body is, closing the clause, is the
    writer's aside for the reader, not part of what was said.
    """
    tokens = sorted(tokens, key=lambda t: t.i)
    words = [t for t in tokens if not (t.is_punct or t.is_space)]
    if not words:
        return tokens
    last = words[-1].i
    for token in tokens:
        if token.dep_ != "appos" or token.head.pos_ != "PROPN" or token.right_edge.i != last:
            continue
        if token.left_edge.lower_ not in {"the", "a", "an"}:
            continue
        if any(c.dep_ == "conj" and c.left_edge.tag_ == "DT" for c in token.children):
            # "differ on Israel, the Iranian nuclear deal and the possibility of ...": a list
            # of things, no gloss ("X, a former governor and ambassador" is one).
            continue
        kept = _before_closing_phrase(tokens, token)
        if kept is not None:
            return kept
    return tokens


def _before_closing_phrase(tokens: list[Token], phrase: Token) -> list[Token] | None:
    """The tokens before the comma that opens `phrase`, when three words or more remain."""
    edge = phrase.left_edge
    comma = phrase.doc[edge.i - 1] if edge.i > 0 else None
    if comma is None or comma.text != ",":
        return None
    kept = [t for t in tokens if t.i < comma.i]
    return kept if sum(1 for t in kept if t.is_alpha) >= 3 else None


def _without_relative_report(tokens: list[Token]) -> list[Token]:
    """A report without a closing ", which he said ..." that reports someone anew.

    "said the videos do not show what he held in his hands, which he said were at his side":
    a relative clause whose verb is a reporting verb with a subject of its own is another
    report (found by its own cue), not more of this one.
    """
    tokens = sorted(tokens, key=lambda t: t.i)
    if not tokens:
        return tokens
    last = max(t.i for t in tokens if not (t.is_punct or t.is_space)) if tokens else -1
    for token in tokens:
        if token.dep_ != "relcl" or not _attributes_anew(token) or token.right_edge.i < last:
            continue
        kept = _before_closing_phrase(tokens, token)
        if kept is not None:
            return kept
    return tokens


def _without_dash_comment(tokens: list[Token]) -> list[Token]:
    """A reported clause without the reporter's comment after a dash.

    "... overpaid for an aging pipeline \u2014 a problem made worse by delays": the noun
    phrase after the dash is the writer's gloss, not part of what was said.
    """
    tokens = sorted(tokens, key=lambda t: t.i)
    dashes = [k for k, t in enumerate(tokens) if t.text in _DASHES]
    if len(dashes) != 1:
        return tokens  # paired dashes enclose an aside inside the clause
    k = dashes[0]
    words = sum(1 for t in tokens[:k] if t.is_alpha)
    if words >= 4 and k + 1 < len(tokens) and tokens[k + 1].lower_ in {"a", "an"}:
        return tokens[:k]
    if words >= 4 and any(_attributes_anew(t) for t in tokens[k + 1 :]):
        # "... to retaliate for the hacking -- meddling the congressman said was meant to
        # ...": after the dash the writer reports someone's words anew, a report of its own.
        return tokens[:k]
    return tokens


def _attributes_anew(token: Token) -> bool:
    """A reporting verb with a subject and a reported clause of its own ("the congressman
    said was meant to ...")."""
    return (
        token.pos_ == "VERB"
        and token.lemma_.lower() in REPORTING_VERBS
        and any(c.dep_ == "nsubj" for c in token.children)
        and any(c.dep_ in _CONTENT_DEPS for c in token.children)
    )


# Subordinators of a concessive clause: the writer's counterpoint, not more of the report.
_CONCESSIVE = {"although", "though", "whereas", "while"}
# Participles that work as prepositions ("including", "according to"): part of the clause.
_PREPOSITION_PARTICIPLES = {"including", "according", "regarding", "concerning", "excluding"}


# Verbs of a stance that a contrasting clause with a source of its own reports.
_STANCE_LEMMAS = frozenset({"want", "prefer", "favor", "favour", "support", "oppose"})


def _contrasting_stance(token: Token) -> bool:
    """ "say they prefer an outsider, while about 4 in 10 want one with experience": a
    contrasting clause whose own subject (no pronoun, which may be the same source going on)
    takes a stance is another source's attribution."""
    if token.dep_ != "advcl" or token.lemma_.lower() not in _STANCE_LEMMAS:
        return False
    if not any(c.dep_ == "mark" and c.lower_ in _CONCESSIVE for c in token.children):
        return False
    subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
    return subject is not None and subject.pos_ != "PRON"


def _second_report(token: Token, tops: set[int], deps: tuple[str, ...] = ("conj",)) -> bool:
    """A conjunct or concessive clause of the reported clause that is a report of its own.

    "said the plant would close and warned that jobs would go", "said A, though she noted
    B": a clause with a reporting verb and a content clause of its own is a second report
    (found as a cue of its own), not more of the first one.
    """
    if token.dep_ not in deps or token.pos_ != "VERB" or token.head.i not in tops:
        return False
    if _contrasting_stance(token):
        return True
    if token.lemma_.lower() not in REPORTING_VERBS:
        return False
    if token.dep_ == "advcl" and not any(
        c.dep_ == "mark" and c.lower_ in _CONCESSIVE for c in token.children
    ):
        return False  # "lying when they say ...", "because no one can state ...": one claim
    return any(
        c.dep_ in _CONTENT_DEPS or (c.dep_ == "xcomp" and any(a.tag_ == "TO" for a in c.lefts))
        for c in token.children
    )


def _before_semicolon(tokens: list[Token]) -> list[Token]:
    """A reported clause up to a semicolon that opens a clause with a subject of its own.

    "said the timing was not intentional; they only learned of it on Friday": the
    semicolon ends one sentence's worth of report; what follows is another statement.
    """
    for k, token in enumerate(tokens):
        if token.text != ";" or sum(1 for t in tokens[:k] if t.is_alpha) < 3:
            continue
        rest = {t.i for t in tokens[k + 1 :]}
        if any(
            t.dep_ in _SUBJECT_DEPS and t.head.i in rest and t.head.head.i not in rest
            for t in tokens[k + 1 :]
        ):
            return tokens[:k]
    return tokens


def _reported_again(token: Token, tops: set[int], verb: Token | None) -> bool:
    """A conjunct of the reported clause that is the cue's subject reporting again.

    "said he would order a review and warned against hackers": "warned" is in the tense of
    the cue, not of the reported verb, and is a reporting verb, so it tells what the
    speaker did next (a report of its own), even with no that-clause after it.
    """
    return (
        verb is not None
        and token.dep_ == "conj"
        and token.head.i in tops
        and token.pos_ == "VERB"
        and token.lemma_.lower() in REPORTING_VERBS
        and token.tag_ in _FINITE_TAGS
        and token.tag_ == verb.tag_
        and token.head.tag_ != verb.tag_
        and not any(c.dep_ in _SUBJECT_DEPS for c in token.children)
    )


def _without_second_report(tokens: list[Token], verb: Token | None = None) -> list[Token]:
    """A reported clause without a conjoined second report at its end."""
    tokens = _before_semicolon(sorted(tokens, key=lambda t: t.i))
    inside = {t.i for t in tokens}
    tops = {t.i for t in tokens if t.head.i not in inside or t.head.i == t.i}
    last = max((t.i for t in tokens if not (t.is_punct or t.is_space)), default=-1)
    for token in tokens:
        if not (
            _second_report(token, tops, ("conj", "advcl")) or _reported_again(token, tops, verb)
        ):
            continue
        if max(t.i for t in token.subtree) < last:
            continue
        cut = token.left_edge.i
        # The conjunction and comma that join it on go with it.
        while cut - 1 in inside and (
            token.doc[cut - 1].is_punct or token.doc[cut - 1].dep_ == "cc"
        ):
            cut -= 1
        kept = [t for t in tokens if t.i < cut]
        if sum(1 for t in kept if t.is_alpha) >= 3:
            return kept
    return tokens


def _without_participle_cues(clause: Token) -> list[Token]:
    """A clause's tokens without a trailing participle cue (", noting that ...").

    The participle is a report of its own, found as a separate cue; left inside, it would
    glue two statements into one span.
    """
    return _without_participle_cues_in(list(clause.subtree), clause)


_GROUNDING_VERBS = frozenset({"cite", "point"})
"""Participles by which a speaker gives grounds after the report ("said a plan could lower
contributions, citing a report that ...", "..., pointing to ..."): the speaker's act, not
what was said (PolNeAR's training contents stop before ", citing" 6 times, hold it twice;
before ", pointing to" 6 times, never hold it)."""


def _without_participle_cues_in(tokens: list[Token], clause: Token) -> list[Token]:
    for token in tokens:
        if (
            token.i > clause.i
            and token.tag_ == "VBG"
            and token.dep_ in {"advcl", "xcomp", "conj"}
            and token.lemma_.lower() in REPORTING_VERBS | _GROUNDING_VERBS
            and token.doc[token.i - 1].text == ","
        ):
            cut = token.i - 1
            return [t for t in tokens if t.i < cut]
        if token.i > clause.i and token.dep_ == "advcl" and token.tag_ == "VBG":
            # 'said she was "stunned" while accepting the award': the quoted words end the
            # report; the participle after them tells what the speaker was doing.
            edge = token.left_edge.i
            before = [token.doc[k] for k in range(max(edge - 2, 0), edge)]
            if any(_closes_quotation(t) for t in before):
                return [t for t in tokens if t.i < edge]
    return tokens


def _closes_quotation(token: Token) -> bool:
    """A quotation mark that closes a quotation: attached to the word before it."""
    return (
        token.text in _CLOSING_MARKS
        and token.i > 0
        and token.doc[token.i - 1].whitespace_ == ""
        and not token.doc[token.i - 1].is_space
    )


def _opens_adverbial(word: Token, clause: Token) -> bool:
    """A when/if opening a subordinate clause inside the content, not an embedded question.

    "said when rivals attack him, he answers": "when" belongs to "attack", a clause below the
    content's own verb "answers", so the content is a statement.
    """
    return (
        word.lower_ in {"when", "if"}
        and word.head.i != clause.i
        and word.head.dep_ == "advcl"
        and word.head.head.i == clause.i
        and any(t.dep_ in _SUBJECT_DEPS for t in clause.children)
    )


def _narrative_conjunct(sibling: Token, verb: Token) -> bool:
    """A conjunct of the cue whose subject is the other one of he/she, in the cue's tense.

    "He had told his mother A, but she had proved him wrong": the story goes on with someone
    else; it is not more of what he said.
    """
    subject = next((t for t in sibling.children if t.dep_ in _SUBJECT_DEPS), None)
    speaker = next((t for t in verb.children if t.dep_ in _SUBJECT_DEPS), None)
    pair = {"he", "she"}
    return (
        subject is not None
        and speaker is not None
        and subject.lower_ in pair
        and speaker.lower_ in pair
        and subject.lower_ != speaker.lower_
        and sibling.tag_ == verb.tag_
    )


def _goes_on_in_cue_tense(sibling: Token, content: Token, verb: Token) -> bool:
    """A conjunct of the cue about a he, she or they, in the cue's tense, not the report's.

    "Lee has said 20 people have shown interest, but he refuses to name them": "refuses" has
    the tense of "has said", not of the reported "have shown"; the story goes on about the
    speaker, it is not more of what was said.
    """
    subject = next((t for t in sibling.children if t.dep_ in _SUBJECT_DEPS), None)
    if subject is None or subject.lower_ not in {"he", "she", "they"}:
        return False
    tense = _tense(sibling)
    return tense in _FINITE_TAGS and tense == _tense(verb) and tense != _tense(content)


def _without_speaker_conjunct(tokens: list[Token], content: Token, verb: Token) -> list[Token]:
    """The report without a conjunct in which the speakers act again in the cue's tense.

    "Critics say the duties will raise prices and they accuse the ministry of ...": "they"
    are the critics and "accuse" has the tense of "say", not of the reported verb; the
    conjunct is narrative, not more of what they say.
    """
    speaker = next((t for t in verb.children if t.dep_ == "nsubj"), None)
    if speaker is None or verb.tag_ not in _FINITE_TAGS or content.tag_ == verb.tag_:
        return tokens
    if speaker.lower_ == "they" or speaker.tag_ in {"NNS", "NNPS"}:
        pronoun = "they"
    elif speaker.lower_ in {"he", "she"}:
        pronoun = speaker.lower_
    else:
        return tokens
    for conj in content.rights:
        if conj.dep_ != "conj" or conj.tag_ != verb.tag_:
            continue
        subject = next((t for t in conj.children if t.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ != pronoun:
            continue
        return before_conjunct(tokens, conj, content)
    return tokens


def before_conjunct(tokens: list[Token], conj: Token, content: Token) -> list[Token]:
    """The report's tokens before a conjunct of its verb and the "and" or comma before it."""
    cut = conj.left_edge.i
    while cut > content.i and content.doc[cut - 1].dep_ in {"cc", "punct"}:
        cut -= 1
    return [t for t in tokens if t.i < cut]


# What a speaker declines to tell: "but would not describe their relationship", "but declined
# to comment further" reports the speaker's refusal, not more of what was said.
_DISCLOSING_LEMMAS = frozenset(
    {
        "say",
        "describe",
        "comment",
        "elaborate",
        "discuss",
        "specify",
        "confirm",
        "disclose",
        "reveal",
        "release",
        "identify",
        "name",
        "provide",
        "give",
        "speculate",
        "answer",
    }
)


def _without_speakers_refusal(tokens: list[Token], content: Token) -> list[Token]:
    """The report without a subjectless conjunct after it in which the speaker declines to
    say more ("said the two knew each other, but would not describe their relationship"; "said
    the firm was aware of it but declined to comment further")."""
    doc = content.doc
    kept = {t.i for t in tokens}
    for token in sorted(tokens, key=lambda t: t.i):
        if token.i <= content.i or not (
            (token.dep_ == "conj" and token.head.i == content.i)
            or (token.dep_ == "ccomp" and token.head.i == content.head.i)
        ):
            continue
        if any(c.dep_ in _SUBJECT_DEPS | {"expl"} for c in token.children):
            continue
        lemma = token.lemma_.lower()
        negated = any(c.dep_ == "neg" for c in token.children)
        # "declined to comment", not "refused to drop the gun" (what the report tells of him)
        declined = lemma in {"decline", "refuse"} and any(
            c.dep_ == "xcomp" and c.lemma_.lower() in _DISCLOSING_LEMMAS for c in token.children
        )
        # "said its members were exhausted and called on the province to hire staff": a
        # request or report of its own, made by the speaker, ends the first.
        reports = (
            token.dep_ == "conj"
            and (lemma in REPORTING_VERBS or lemma in INFINITIVE_VERBS)
            and any(
                c.dep_ in {"ccomp", "xcomp"} or (c.dep_ == "prep" and c.lower_ == "on")
                for c in token.children
            )
        )
        if not (declined or reports or (negated and lemma in _DISCLOSING_LEMMAS)):
            continue
        cut = token.left_edge.i
        while cut - 1 in kept and doc[cut - 1].dep_ in {"cc", "punct"}:
            cut -= 1
        return [t for t in tokens if t.i < cut]
    return tokens


# Subordinators of a reason or condition: "said A because B", "say A unless B". What
# follows limits or explains the claim, so it is part of it, wherever the parser hangs it.
_CONDITIONS = {"because", "unless", "if", "since"}


def _condition_of_content(clause: Token, content: Token, verb: Token) -> bool:
    """An adverbial clause the parser hung on the cue that belongs to the reported clause.

    "said the plan was sound because it cut costs", "say they will not vote unless the bill
    changes": a reason or condition right after the content is part of the claim. So is a
    clause in the tense of the reported verb rather than of the cue ("said there remains a
    gap, when it comes to pay"): it goes on with what was said, not with the saying.
    """
    marks = {c.lower_ for c in clause.children if c.dep_ in {"mark", "advmod"} and c.i < clause.i}
    if "because" in marks:
        return True
    if not any(c.dep_ in _SUBJECT_DEPS | {"expl"} for c in clause.children):
        return False
    if marks & _CONDITIONS:
        return True
    return bool(marks) and not marks & _CONCESSIVE and _continues_content(clause, content, verb)


def _tense(verb: Token) -> str:
    """The tag of a verb group's finite word: "is hiring" is present, like "hires"."""
    aux = next((c for c in verb.lefts if c.dep_ in {"aux", "auxpass"}), None)
    return aux.tag_ if aux is not None else verb.tag_


def _opening_clause_of_report(verb: Token, content: Token) -> list[Token]:
    """A subordinate clause opening the sentence before the cue that belongs to the report.

    "When she is hiring, Lopez said she makes sure women are on the list": the opening
    clause is in the tense of the reported clause, not of the cue, so it frames what was
    said rather than the saying ("When they bought a boat, Lopez said they had to ..." is
    narrative, in the cue's tense, and stays out).
    """
    for clause in verb.lefts:
        if clause.dep_ != "advcl" or clause.left_edge.i != verb.sent.start:
            continue
        opener = {c.lower_ for c in clause.children if c.dep_ in {"mark", "advmod"}}
        if not opener or opener & _CONCESSIVE:
            continue
        if not any(c.dep_ in _SUBJECT_DEPS for c in clause.children):
            continue
        tense = _tense(clause)
        if tense in _FINITE_TAGS and tense == _tense(content) and tense != _tense(verb):
            return list(clause.subtree)
    return []


def _continues_content(sibling: Token, content: Token, verb: Token) -> bool:
    """A subjectless conjunct the parser hung on the cue but that continues its clause.

    "Brooks says he drank too much, used drugs and ...": "used" shares the tense of the
    reported verb, not of the cue, so it is more of what was said, not a second action.
    """
    return (
        sibling.tag_ in _FINITE_TAGS and sibling.tag_ == content.tag_ and sibling.tag_ != verb.tag_
    )


_ABBREVIATION = re.compile(r"\b([A-Za-z]{1,4})\.\s+(\w+)")


def _across_abbreviation(doc: Doc, content: tuple[int, int], offset: int) -> tuple[int, int]:
    """A reported clause the sentence splitter cut at an abbreviation's full stop.

    "said he has lost 16 lbs. since he joined", "noted a report by Cpl. Lee Hunt found":
    when the clause ends at a sentence end made by a short word's full stop and the next
    sentence goes on in lower case, or the word is a title before a name, the clause
    runs on to the end of that next sentence.
    """
    start, end = content
    match = _ABBREVIATION.search(doc.text, max(0, end - offset - 5), end - offset + 3)
    if match is None or match.end(1) not in {end - offset, end - offset - 1}:
        return content
    word, following = match.group(1), match.group(2)
    title = word.lower() in TITLE_WORDS and word[:1].isupper() and following[:1].isupper()
    if not (following[:1].islower() or title):
        return content
    after = doc.char_span(match.start(2), match.end(2), alignment_mode="expand")
    if after is None or after.start == 0 or not after[0].is_sent_start:
        return content
    sent = after[0].sent
    last = sent[-1]
    while last.i > sent.start and (last.is_punct or last.is_space):
        last = doc[last.i - 1]
    return start, offset + last.idx + len(last.text)


def _split_around_cue(verb: Token, content: tuple[int, int], offset: int) -> list[tuple[int, int]]:
    """Content interrupted by its cue ("A, he said, but B"): the parts either side of it."""
    # The cue's own words, without a reported clause the parser hung on it before it ("He's
    # leaning toward Kasich, he said, because ...").
    before = {t.i for c in verb.lefts if c.dep_ in _CONTENT_DEPS for t in c.subtree}
    phrase = [t for t in _cue_phrase(verb) if t.i not in before]
    gerunds = [c for c in verb.lefts if c.dep_ == "advcl" and c.tag_ == "VBG"]
    clauses = [c for c in verb.rights if c.dep_ in _CONTENT_DEPS]
    if gerunds and clauses and _lacks_subject([t for c in clauses for t in c.subtree]):
        # "Concealing the emails, he told senators, would have been ...": the gerund is the
        # subject of the clause after the cue, both hung on the cue; neither is the cue's.
        opening = max(c.right_edge.i for c in gerunds)
        closing = min(c.left_edge.i for c in clauses)
        phrase = [t for t in phrase if opening < t.i < closing]
    first = offset + min(t.idx for t in phrase)
    last_token = max(phrase, key=lambda t: t.i)
    last = offset + last_token.idx + len(last_token.text)
    start, end = content
    if not start < first < last < end:
        return [content]
    doc = verb.doc
    left = [t for t in doc if start <= offset + t.idx < first]
    right = [t for t in doc if last <= offset + t.idx < end]
    parts = [_span_chars(left, offset), _span_chars(right, offset)]
    words = [sum(1 for t in side if t.is_alpha) for side in (left, right)]
    if min(words) < 1 or parts[0] is None or parts[1] is None:
        return [content]
    if not any(t.tag_ in _FINITE_TAGS for t in right):
        if _elaborates(right):
            return [p for p in parts if p is not None]  # "..., the first by a consular ..."
        return [parts[0]]  # "..., he said, eyes welling up": the rest is not reported speech
    if _one_clause(left, right, verb):
        return [content]
    return [p for p in parts if p is not None]


def _one_clause(left: list[Token], right: list[Token], verb: Token) -> bool:
    """Whether one side of a parenthetical cue is an adverbial of the clause on the other.

    "Even if it fails, she said, the plan will help", "It was a success, he said, until it
    went bankrupt": a fronted or trailing subordinate clause or phrase belongs to the clause
    the cue interrupts, and the report is the whole sentence. A subject ("Police, he said,
    have ...") or a second coordinated clause ("A, he said, but B") is left to the split.
    """
    for side, other in ((left, right), (right, left)):
        ids = {t.i for t in side}
        others = {t.i for t in other}
        tops = [t for t in side if t.head.i not in ids and not t.is_punct]
        if tops and all(
            (t.head.i in others and t.dep_ in {"advcl", "prep", "npadvmod"})
            # The parser may hang an opening "Even if ..." on the cue instead; a gerund
            # there is the subject of a clause that has none ("Concealing the emails, he
            # told senators, would have been catastrophic"), left to the split.
            or (
                t.head.i == verb.i
                and t.dep_ == "advcl"
                and t.i < verb.i
                and side is left
                and not (t.tag_ == "VBG" and _lacks_subject(other))
            )
            for t in tops
        ):
            return True
    return False


def _elaborates(right: list[Token]) -> bool:
    """Whether the verbless rest after a parenthetical cue spells out the report ("Ms.
    Malik had two interviews, officials said, the first by a consular officer in Pakistan,
    and the second by an immigration officer"): a noun phrase opening with "the first",
    "one", "both" ... and no verb at all; "eyes welling up" has one and is the writer's."""
    words = [t for t in right if not t.is_punct]
    if not words or any(t.pos_ in {"VERB", "AUX"} for t in words):
        return False
    return words[0].lower_ in {"the", "one", "both", "each", "all", "including", "mostly"}


def _lacks_subject(tokens: list[Token]) -> bool:
    """Whether the top clause of a side of a split report has no subject of its own."""
    ids = {t.i for t in tokens}
    verbs = [t for t in tokens if t.head.i not in ids and t.pos_ in {"VERB", "AUX"}]
    return bool(verbs) and not any(
        c.dep_ in {"nsubj", "nsubjpass", "csubj", "expl"} for v in verbs for c in v.children
    )


_QUOTE_EDGES = {'"', "\u201c", "\u201d", "'", "\u2019", "''", "``"}
"""Quotation marks as tokens, with two apostrophes or backticks typed for one double mark."""


def _goes_on_speaking(verb: Token) -> bool:
    """A bare "continued" (or "went on") attributing a quotation: 'she continued.', 'Smith
    continued:', '"A," Trump went on.'.

    Only intransitive and right beside the quotation or a colon; "continued to argue" or
    "continued the work" report nothing themselves.
    """
    doc = verb.doc
    last = verb.i
    if verb.lemma_.lower() == "go":
        # '"A," Trump went on, as if ...': "go on" speaks as "continue" does.
        particle = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
        if particle is None or particle.lower_ != "on" or particle.head.i != verb.i:
            return False
        last = particle.i
    after = doc[last + 1].text if last + 1 < len(doc) else ""
    opening = doc[last + 2].text if last + 2 < len(doc) else ""
    if after == ":" or (after == "," and opening in _QUOTE_EDGES):
        return True
    if any(
        c.dep_ in {"xcomp", "dobj", "prep", "ccomp", "attr", "acomp", "oprd", "prt", "agent"}
        and c.i > last
        for c in verb.rights
    ):
        return False
    subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
    first = min(verb.i, subject.left_edge.i) if subject is not None else verb.i
    before = doc[first - 1].text if first > 0 else ""
    return before in _QUOTE_EDGES or (before == "," and first > 1)


def _partitive_relative(subject: Token) -> bool:
    """A subject like "most of whom" or "some of which"."""
    return any(
        p.lower_ == "of" and any(o.lower_ in {"whom", "which"} for o in p.children)
        for p in subject.children
    )


def _document_reads(verb: Token) -> bool:
    """'"...," the letter reads': a document's text, quoted, with "read" for its cue."""
    if verb.lemma_.lower() != "read" or verb.pos_ != "VERB":
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lemma_.lower() not in DOCUMENT_NOUNS:
        return False
    return not any(c.dep_ in {"dobj", "auxpass", "neg"} for c in verb.children)


def _stray_appositive(source: Token) -> set[int]:
    """A description of the source that the parser made a second subject of the report.

    "According to the Fund, a health think tank, waiting times have tripled": "tank" comes
    out as a subject of "tripled" beside "times". A noun phrase set off by commas right after
    the source, while the verb has a subject of its own after it, describes the source.
    """
    doc = source.doc
    comma = source.right_edge.i + 1
    if comma >= len(doc) - 1 or doc[comma].text != ",":
        return set()
    close = next((t.i for t in doc[comma + 1 : comma + 10] if t.text == ","), None)
    if close is None:
        return set()
    head = doc[comma + 1]
    # The root is its own head: stop there (a phrase whose chain climbs to the root looped).
    while head.dep_ != "nsubj" and head.head.i != head.i and comma < head.head.i < close:
        head = head.head
    words = list(head.subtree)
    if head.head.i == comma and head.pos_ in {"NOUN", "PROPN"} and words[0].i == comma + 1:
        # "According to Jane Doe, the mayor, the plan will fail": the parser hung the
        # description on the comma itself; a clause with a subject of its own follows it.
        after = doc[words[-1].i + 1] if words[-1].i + 1 < len(doc) else None
        verb = doc[comma].head
        if (
            after is not None
            and after.text == ","
            and any(c.dep_ in {"nsubj", "nsubjpass"} and c.i > after.i for c in verb.children)
        ):
            return {comma, *(t.i for t in words), after.i}
    if (
        head.dep_ != "nsubj"
        or head.pos_ not in {"NOUN", "PROPN"}
        or words[0].i != comma + 1
        or words[-1].i + 1 >= len(doc)
        or doc[words[-1].i + 1].text != ","
        or not any(c.dep_ == "nsubj" and c.i > head.i for c in head.head.children)
    ):
        return set()
    return {comma, *(t.i for t in words), words[-1].i + 1}


def stray_participle(source: Token) -> set[int]:
    """A participle describing the source that the parser hung on the report's verb.

    "According to the group's annual report, released Tuesday, the number of seniors rose":
    "released Tuesday" comes out as an adverbial clause of "rose". A past or present
    participle set off by commas right after the source, before the report's own subject,
    tells of the source, not what it reports.
    """
    doc = source.doc
    comma = source.right_edge.i + 1
    if comma + 1 >= len(doc) or doc[comma].text != ",":
        return set()
    verb = doc[comma + 1]
    if verb.tag_ not in {"VBN", "VBG"} or verb.dep_ not in {"advcl", "acl"}:
        return set()
    words = list(verb.subtree)
    close = words[-1].i + 1
    if words[0].i != verb.i or close >= len(doc) or doc[close].text != ",":
        return set()
    if not any(c.dep_ in {"nsubj", "nsubjpass"} and c.i > close for c in verb.head.children):
        return set()
    return {comma, *(t.i for t in words), close}


def find_cues(
    doc: Doc, offset: int, paragraph: int, disabled: frozenset[str] = frozenset()
) -> list[Cue]:
    """Every cue in a paragraph (app/extraction/rules/cues does the work; kept here for the
    modules that import it from attribution)."""
    from app.extraction.rules.cues import find_cues as cues_of  # the rules import this module

    return cues_of(doc, offset, paragraph, disabled)
