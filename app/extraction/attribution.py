"""Speech cues in the parse: reporting verbs, their speakers (subjects) and reported content."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from app.extraction.lexicon import HEADLINE_SOURCE_LABELS, TEXT_ISSUING_VERBS
from app.extraction.rules import LEARNED, declare
from app.extraction.speakers import (
    DOCUMENT_NOUNS,
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
# Verbs that quote someone's words as a label ("called the plan 'a disgrace'", "described it
# as 'kidnapping'", "expressed 'deep concern'"): cues only for quotations in their objects.
NAMING_VERBS = {"call", "describe", "dub", "label", "term", "brand", "express", "deride"}
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
        relative=_relative_subject(verb, offset),
    )


def _relative_subject(verb: Token, offset: int) -> tuple[int, int] | None:
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


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """The grammatical subject of a reporting verb, inherited through participles and conjuncts."""
    # (A quotation mark parsed as the subject is a parse slip: '...,'' says X'.)
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and not c.is_punct]
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
            return child
    if depth == 0:
        inverted = inverted_object_subject(verb)
        if inverted is not None:
            return inverted
        fallback = _adjacent_subject(verb)
        if fallback is not None and verb.dep_ not in {"advcl", "conj", "xcomp", "acl", "relcl"}:
            return fallback
    if depth >= 3 or verb.head.i == verb.i:
        return None
    if depth == 0 and verb.dep_ == "xcomp" and any(a.tag_ == "TO" for a in verb.lefts):
        # "forced the chief executive to admit that ...": the object is the one admitting.
        controller = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if controller is not None and controller.i < verb.i and controller.pos_ != "PRON":
            return controller
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
        ):
            # "X said the vote was a warning, noting that ...": the participle hangs on the
            # reported clause, but X is the one noting.
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


def _mistagged_cue(token: Token) -> bool:
    """A third-person cue tagged as a noun, right after a name or pronoun."""
    if token.lower_ not in _THIRD_PERSON_CUES or token.i == 0:
        return False
    before = token.doc[token.i - 1]
    return before.pos_ in {"PROPN", "PRON", "NOUN"} and (
        before.text[:1].isupper() or before.pos_ == "PRON"
    )


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


def _content(verb: Token, offset: int) -> tuple[int, int] | None:
    """The reported clause of a reporting verb: its ccomp, or the clause it interrupts."""
    if any(c.dep_ == "neg" for c in verb.children) or any(
        c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children
    ):
        return None  # "did not say X", "was told X": nothing is reported as said
    if any(c.dep_ == "aux" and c.lower_ in {"will", "'ll"} for c in verb.children):
        return None  # "The Greens will argue that ...": a forecast, not a report
    if (
        verb.dep_ == "conj"
        and verb.lemma_.lower() == "tell"
        and verb.tag_ in {"VBN", "VBD"}
        and any(c.dep_ == "auxpass" for c in verb.head.children)
        and not any(c.dep_ in _SUBJECT_DEPS | {"dobj", "dative"} for c in verb.children)
    ):
        return None  # "had been diagnosed and told he had months to live": he was told
    lemma = verb.lemma_.lower()
    if lemma in _PROPOSAL_VERBS:
        # "proposed dropping the tax": the gerund is the proposal.
        gerund = next((c for c in verb.rights if c.dep_ == "xcomp" and c.tag_ == "VBG"), None)
        if gerund is not None:
            return _span_chars(_without_participle_cues(gerund), offset)
    if lemma in INFINITIVE_VERBS:
        infinitive = _infinitive(verb, offset)
        if infinitive is not None or lemma not in REPORTING_VERBS:
            return infinitive
    if lemma == "question":
        return _question(verb, offset)
    if lemma in _QUESTION_VERBS:
        return None
    addressed = _clause_after_addressee(verb)
    if addressed is not None:
        return _span_chars(addressed, offset)
    # A clause after the verb is the usual content; one before it ("X is ready, she said")
    # only counts when it has a subject of its own (not "Writing for the paper, X noted").
    children = sorted(verb.children, key=lambda c: (c.i < verb.i, c.i))
    for child in children:
        if child.i < verb.i and not any(
            c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for c in child.children
        ):
            continue
        if child.i < verb.i and _stranded_cue(child) is not None:
            continue  # "While he admitted X was true, Y noted ...": X is the first cue's
        if (
            child.i < verb.i
            and child.lemma_.lower() in REPORTING_VERBS
            and any(c.dep_ in _CONTENT_DEPS for c in child.children)
            and not _conjoined_before(child, verb)
        ):
            continue  # "He said A, he said": the first cue reports A, the second adds nothing
        clause = (
            child.dep_ in _CONTENT_DEPS
            or _misparsed_complement(child, verb)
            or (
                # "said having X back was a boost": an xcomp carrying its own finite clause.
                child.dep_ == "xcomp"
                and verb.lemma_.lower() in {"say", "tell"}
                and any(t.dep_ == "nsubj" for t in child.subtree)
            )
        )
        if not clause:
            continue
        tokens = _without_participle_cues(child)
        if len(tokens) < 3 or not any(t.pos_ in {"VERB", "AUX"} for t in tokens):
            continue
        tokens = _with_object_as_subject(verb, child, tokens)
        first = next((t for t in tokens if not t.is_punct), tokens[0])
        if child.i > verb.i and first.i < verb.i and first.lower_ in _WH_WORDS:
            # "the mill, which she says she will keep open", "what he says the plan would
            # do": a relative word fronted over the cue; the clause after the cue is the
            # report, not an embedded question.
            tokens = [t for t in tokens if t.i > verb.i]
            if len(tokens) < 3 or not any(t.pos_ in {"VERB", "AUX"} for t in tokens):
                continue
            first = next((t for t in tokens if not t.is_punct), tokens[0])
        if (
            first.lower_ in _WH_WORDS
            and first.lower_ != "that"
            and not _opens_adverbial(first, child)
            and not (lemma in {"tell", "explain"} and first.lower_ in {"how", "why", "what"})
        ):
            continue  # an embedded question ("asked what he would do") reports no statement
        if child.i > verb.i:
            # "X says A, but B": a coordinated clause after the content continues the report,
            # unless it has a reporting verb of its own ("..., and added that ...").
            for sibling in verb.rights:
                if sibling.i <= child.i or sibling.dep_ not in {"conj", "cc", "ccomp"}:
                    continue
                if any(
                    c.dep_ == "advcl"
                    and c.tag_ == "VBG"
                    and c.lemma_.lower() in REPORTING_VERBS
                    and child.i < c.i < sibling.i
                    for c in verb.children
                ):
                    break  # "said A, noting B, and C": C goes with the participle's report
                if sibling.dep_ == "ccomp":
                    # "says he drank too much, used drugs and ...": the parser may hang
                    # the later verbs of one clause on the cue as more complements.
                    # "said she feels voting no was an error": a second complement right
                    # after the first, with nothing between, is the same clause.
                    adjacent = sibling.left_edge.i == max(t.i for t in tokens) + 1
                    adjacent = adjacent and sibling.lemma_.lower() not in REPORTING_VERBS
                    if any(t.dep_ in _SUBJECT_DEPS for t in sibling.children) and not adjacent:
                        break
                    if _second_report(sibling, {sibling.head.i}, ("conj", "ccomp")):
                        break  # "said A and warned that B": a report of its own
                    tokens.extend(sibling.subtree)
                    continue
                if sibling.dep_ == "conj" and (
                    sibling.lemma_.lower() in REPORTING_VERBS
                    or (
                        not any(t.dep_ in _SUBJECT_DEPS | {"expl"} for t in sibling.children)
                        and not _continues_content(sibling, child, verb)
                    )
                    # "He told her A, but she proved him wrong": narrative, not the report.
                    or _narrative_conjunct(sibling, verb)
                    or _goes_on_in_cue_tense(sibling, child, verb)
                ):
                    break
                tokens.extend(sibling.subtree)
        if child.i > verb.i:
            tokens = _without_speaker_conjunct(tokens, child, verb)
            tokens = [*_opening_clause_of_report(verb, child), *tokens]
        if child.i > verb.i:
            # "said the claim was hypocritical, because Democrats had ...": the parser may
            # hang the reason on the cue, but it comes after the report and belongs to it.
            end = max(t.i for t in tokens)
            for sibling in verb.rights:
                gap = [t for t in verb.doc[end + 1 : sibling.left_edge.i]]
                if (
                    sibling.dep_ == "advcl"
                    and sibling.i > end
                    and all(t.is_punct for t in gap)
                    and _condition_of_content(sibling, child, verb)
                ):
                    tokens = [*tokens, *sibling.subtree]
        if child.i < verb.i and _conjoined_before(child, verb):
            # "X had told them A, but B, the source added": both clauses are the report.
            for sibling in verb.lefts:
                if sibling.i > child.i and sibling.dep_ in _CONTENT_DEPS:
                    tokens = sorted({*tokens, *sibling.subtree}, key=lambda t: t.i)
        if child.i > verb.i and verb.dep_ == "advcl" and verb.tag_ == "VBG":
            # "said A, noting B, and C": the parser hangs C on the first cue; it continues
            # the participle's report.
            end = max(t.i for t in tokens)
            for sibling in verb.head.rights:
                if (
                    sibling.i > end
                    and sibling.dep_ == "conj"
                    and sibling.lemma_.lower() not in REPORTING_VERBS
                    and any(c.dep_ in _SUBJECT_DEPS | {"expl"} for c in sibling.children)
                ):
                    tokens = [*tokens, *sibling.subtree]
                    break
        # A clause to the left ("X is ready, she said") ends at the comma before the cue.
        tokens = _without_relative_report(_without_closing_gloss(tokens))
        return _span_chars(_without_second_report(_without_dash_comment(tokens), verb), offset)
    misparsed = _subject_as_content(verb)
    if misparsed is not None:
        return _span_chars(misparsed, offset)
    # "said in a statement that ...", "told reporters that ...": the parser may hang the
    # that-clause on the noun in between; a that-clause with its own subject is the content.
    for token in verb.subtree:
        if token.i <= verb.i or token.dep_ not in {"acl", "relcl", "ccomp"}:
            continue
        # "reported at the time that ...": the parser may read the clause as a relative
        # clause of the noun, its "that" as an adverb.
        opener = token.left_edge if token.dep_ == "relcl" and token.head.dep_ == "pobj" else None
        relative_that = opener is not None and opener.lower_ == "that" and opener.dep_ == "advmod"
        if not relative_that and not any(
            c.dep_ == "mark" and c.lower_ == "that" for c in token.children
        ):
            continue
        if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in token.children):
            continue
        if _result_clause(token):
            continue
        path = token.head
        while path.i != verb.i and path.dep_ in {"pobj", "prep", "dobj", "dative", "npadvmod"}:
            path = path.head
        if path.i == verb.i:
            kept = [t for t in token.subtree if not (relative_that and t.i == token.left_edge.i)]
            return _span_chars(kept, offset)
    stranded = _stranded_clause(verb)
    if stranded is not None:
        return _span_chars(stranded, offset)
    head = verb.head
    subordinate = any(
        c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in verb.children
    ) or any(c.dep_ == "advmod" and c.lower_ in {"as", "when"} for c in verb.children)
    if verb.dep_ == "parataxis":
        head = _interrupted_clause(head)
    if (
        verb.dep_ in {"parataxis", "advcl"}
        and not subordinate
        and head.i != verb.i
        and head.pos_ in {"VERB", "AUX"}
        # '"A," said X, vowing to ...': a participle on another cue interrupts no clause.
        and head.lemma_.lower() not in REPORTING_VERBS
        # "He stayed in his office, writing": what the subject did while writing.
        and not (verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.i > head.i)
    ):
        cue_tokens = {t.i for t in _cue_phrase(verb)}
        tokens = [t for t in head.subtree if t.i not in cue_tokens]
        # Only a clause the cue interrupts or follows ("The plan, he said, is dead").
        if tokens and min(t.i for t in tokens) < verb.i and len(tokens) >= 4:
            return _span_chars(tokens, offset)
    return None


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
    return [t for t in verb.subtree if t.i not in lead]


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


def _second_report(token: Token, tops: set[int], deps: tuple[str, ...] = ("conj",)) -> bool:
    """A conjunct or concessive clause of the reported clause that is a report of its own.

    "said the plant would close and warned that jobs would go", "said A, though she noted
    B": a clause with a reporting verb and a content clause of its own is a second report
    (found as a cue of its own), not more of the first one.
    """
    if token.dep_ not in deps or token.pos_ != "VERB" or token.head.i not in tops:
        return False
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


def _without_participle_cues_in(tokens: list[Token], clause: Token) -> list[Token]:
    for token in tokens:
        if (
            token.i > clause.i
            and token.tag_ == "VBG"
            and token.dep_ in {"advcl", "xcomp", "conj"}
            and token.lemma_.lower() in REPORTING_VERBS
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
        cut = conj.left_edge.i
        while cut > content.i and verb.doc[cut - 1].dep_ in {"cc", "punct"}:
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
    phrase = _cue_phrase(verb)
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
            # The parser may hang an opening "Even if ..." on the cue instead.
            or (t.head.i == verb.i and t.dep_ == "advcl" and t.i < verb.i and side is left)
            for t in tops
        ):
            return True
    return False


_QUOTE_EDGES = {'"', "\u201c", "\u201d", "'", "\u2019"}


def _goes_on_speaking(verb: Token) -> bool:
    """A bare "continued" attributing a quotation: 'she continued.', 'Smith continued:'.

    Only intransitive and right beside the quotation or a colon; "continued to argue" or
    "continued the work" report nothing themselves.
    """
    doc = verb.doc
    after = doc[verb.i + 1].text if verb.i + 1 < len(doc) else ""
    opening = doc[verb.i + 2].text if verb.i + 2 < len(doc) else ""
    if after == ":" or (after == "," and opening in _QUOTE_EDGES):
        return True
    if any(
        c.dep_ in {"xcomp", "dobj", "prep", "ccomp", "attr", "acomp", "oprd", "prt", "agent"}
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


declare(
    "according_to",
    stage="cue",
    example="According to the ministry, the bridge will reopen in May.",
    description="'according to X': X is the source of the clause it attaches to.",
)
declare(
    "as_put_it",
    stage="cue",
    example='"It is over," as the mayor put it.',
    description="'as X put it': X is the source of the words it comments on.",
)
declare(
    "in_evidence",
    stage="cue",
    example="In a statement, the union said talks had failed.",
    description="A sentence opening 'In a report/statement ...' whose document speaks.",
)
declare(
    "label_colon",
    stage="cue",
    example="His verdict: the plan is dead.",
    description="A speech noun right before a colon introduces the words after it.",
)
declare(
    "speech_noun",
    stage="cue",
    example="Her claim that the vote was rigged drew scorn.",
    description="A noun of saying or promising with a that-clause or infinitive content.",
)
declare(
    "object_verb",
    stage="cue",
    example="The senator blamed the delay on the council.",
    description="A verb of judging whose object phrase is the reported content.",
)
declare(
    "speak_of",
    stage="cue",
    example="She spoke of a 'betrayal' by the board.",
    description="'spoke of/about X': X is the reported phrase.",
)
declare(
    "call_for",
    stage="cue",
    example="The union called for an inquiry into the crash.",
    description="'called for X': a demand whose object is the content.",
)
declare(
    "predicating",
    stage="cue",
    example="He called the decision 'a disgrace'.",
    description="call/describe with an object and its predicate: the judgement is content.",
)
declare(
    "naming_verb",
    stage="cue",
    example="She described the plan as 'reckless'.",
    description="A naming verb attributes the quotations inside its complements only.",
)
declare(
    "reporting_verb",
    stage="cue",
    example="The minister said the talks would resume.",
    description="A verb of REPORTING_VERBS with its subject as source and clause as content.",
)
declare(
    "request_verb",
    stage="cue",
    example="The mayor urged residents to stay home.",
    description="A verb of request or pledge whose content is an infinitive.",
)
declare(
    "goes_on_speaking",
    stage="cue",
    example='"We will rebuild," she continued.',
    description="'continued' as a verb of speech, and a document that 'reads'.",
)
declare(
    "finding",
    stage="cue",
    example="A new poll shows most voters back the plan.",
    description="'show'/'find' with a study, poll or report as subject.",
)
declare(
    "question_verb",
    stage="cue",
    example="Reporters questioned whether the figures were right.",
    description="'question' as a verb: its clause is a doubt reported.",
)
declare(
    "mistagged_verb",
    stage="cue",
    example="Dunn claims the budget is wrong.",
    description="A third-person reporting verb the tagger read as a noun or adjective.",
)
declare(
    "headline",
    stage="cue",
    example="Mayor Slams Council Over Budget Delay",
    description="A title-case headline's speaker and claim, which the parse cannot read.",
)
declare(
    "partitive_relative",
    stage="cue",
    example="The workers, most of whom announced they would strike, met.",
    description="A relative clause of a partitive reports no clause of its own.",
    filter=True,
)


def find_cues(
    doc: Doc, offset: int, paragraph: int, disabled: frozenset[str] = frozenset()
) -> list[Cue]:
    """Every reporting verb in a paragraph, with its speaker mention and content clause.

    `disabled` holds the ids of cue rules to switch off: they find nothing.
    """
    cues: list[Cue] = []

    def keep(cue: Cue | None, rule_id: str) -> Cue | None:
        if cue is None or rule_id in disabled:
            return None
        cues.append(replace(cue, rule=rule_id))
        return cue

    for token in doc:
        lemma = token.lemma_.lower()
        following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
        if token.lower_ == "according" and following == "to":
            keep(_according_to(token, offset, paragraph), "according_to")
            continue
        if lemma == "put" and token.pos_ == "VERB":
            keep(_as_put_it(token, offset, paragraph), "as_put_it")
            continue
        if token.lower_ == "in" and token.i == token.sent.start:
            keep(_in_evidence(token, offset, paragraph), "in_evidence")
            continue
        colon = token.i + 1 < len(doc) and doc[token.i + 1].text == ":"
        if (
            token.pos_ == "NOUN"
            and colon
            and keep(_following_cue(token, offset, paragraph), "label_colon") is not None
        ):
            continue
        if token.pos_ == "NOUN" and lemma in SPEECH_NOUNS | _PROMISE_NOUNS:
            if keep(_noun_cue(token, offset, paragraph), "speech_noun") is not None:
                continue
            if not _mistagged_cue(token):
                continue  # "Dunn claims that ...": a cue the tagger read as a noun goes on
        if lemma in OBJECT_VERBS and token.pos_ == "VERB":
            keep(_object_cue(token, offset, paragraph), "object_verb")
            continue
        # "called on X to resign" is a request; "called it a disgrace" names.
        requests = lemma in INFINITIVE_VERBS and token.pos_ == "VERB"
        requests = requests and _infinitive(token, offset) is not None
        requests = requests and "request_verb" not in disabled
        if lemma == "speak" and token.pos_ == "VERB":
            found = _call_for(token, offset, paragraph, ("of", "about"))
            if keep(found, "speak_of") is not None:
                continue
        calls = lemma == "call" and token.pos_ == "VERB" and not requests
        if calls and keep(_call_for(token, offset, paragraph), "call_for") is not None:
            continue
        if lemma in NAMING_VERBS and token.pos_ == "VERB" and not requests:
            judging = lemma in {"call", "describe"}
            predicated = _predicating_cue(token, offset, paragraph) if judging else None
            if keep(predicated, "predicating") is None:
                keep(_naming_cue(token, offset, paragraph), "naming_verb")
            continue
        if token.pos_ not in {"VERB", "AUX"} and not _mistagged_cue(token):
            continue
        going_on = lemma == "continue" and _goes_on_speaking(token)
        going_on = (going_on or _document_reads(token)) and "goes_on_speaking" not in disabled
        finding = _finding(token) and "finding" not in disabled
        questions = lemma == "question" and token.pos_ == "VERB" and "question_verb" not in disabled
        if (
            lemma not in REPORTING_VERBS
            and not questions
            and not requests
            and not going_on
            and not finding
            and token.lower_ not in _THIRD_PERSON_CUES
        ):
            continue
        special = requests or going_on or finding or questions
        if lemma not in REPORTING_VERBS and not special:
            lemma = _THIRD_PERSON_CUES[token.lower_]
        if lemma == "point" and not any(c.lower_ == "out" for c in token.children):
            continue
        # Which rule made the cue: its content's kind first, the plain verb last.
        rule_id = (
            "request_verb"
            if requests
            else "goes_on_speaking"
            if going_on
            else "finding"
            if finding
            else "question_verb"
            if questions
            else "reporting_verb"
            if token.pos_ in {"VERB", "AUX"}
            else "mistagged_verb"
        )
        if rule_id in disabled:
            continue
        subject = _subject(token)
        speaker = mention_for(subject, offset) if subject is not None else None
        clause_start = offset + token.idx
        if subject is not None:
            clause_start = min(clause_start, offset + subject.left_edge.idx)
        content = _content(token, offset)
        if finding and content is None:
            continue
        if (
            content is not None
            and subject is not None
            and content[0] < offset + subject.idx
            and _partitive_relative(subject)
            and "partitive_relative" not in disabled
        ):
            content = None  # "..., most of whom announced": a relative reports no clause
        if content is not None and content[1] > offset + token.idx:
            content = _across_abbreviation(doc, content, offset)
        parts = _split_around_cue(token, content, offset) if content else []
        cues.append(
            Cue(
                offset + token.idx,
                offset + token.idx + len(token.text),
                token.text,
                lemma,
                paragraph,
                speaker,
                clause_start,
                content=parts[0] if parts else None,
                content_after=parts[1] if len(parts) > 1 else None,
                needs_clause=not going_on
                and (lemma in _NEEDS_CLAUSE or lemma not in REPORTING_VERBS),
                relative=_relative_subject(token, offset) if speaker is not None else None,
                rule=rule_id,
            )
        )
    if paragraph == 0 and not any(c.content for c in cues):
        keep(_headline_cue(doc, offset, paragraph), "headline")
    return cues


# Present-tense verbs of headlines that attribute the rest of the line to the words before
# them ("Senator Vows To Block Pipeline", "Mayor Slams Council Over Budget Delay").
_HEADLINE_VERBS = {
    "says",
    "tells",
    "warns",
    "claims",
    "argues",
    "insists",
    "vows",
    "pledges",
    "promises",
    "urges",
    "demands",
    "calls",
    "reveals",
    "predicts",
    "suggests",
    "admits",
    "denies",
    "accuses",
    "blames",
    "slams",
    "blasts",
    "rips",
    "hammers",
    "attacks",
    "criticizes",
    "mocks",
    "praises",
    "defends",
    "endorses",
    "backs",
    "rejects",
    "questions",
    "seeks",
    "shows",
    "sees",
}
# A trailing attribution: "Bridge Will Close For A Year, Engineer Says."
_HEADLINE_TAIL = re.compile(
    r",\s+((?:[A-Z][\w.'\u2019\-]*\s+){0,5}[A-Z][\w.'\u2019\-]*)\s+(Says|Warns|Claims|Argues"
    r"|Insists|Predicts|Admits|Tells [A-Z][\w.'\u2019\-]*)[.!]?\s*$"
)
_HEADLINE_LABEL = re.compile(r"([^:]{2,60}?):\s+(?=\S)")


_VERBAL = {"VERB", "AUX"}


def _headline_verb(token: Token, title: bool) -> bool:
    """A headline's reporting verb: "Says", "Vow" (plural subject) in a title-case line, a
    third-person "says" in a sentence-case one ("Senator urges a recount.")."""
    word = token.lower_
    if not title:
        return word in _HEADLINE_VERBS and token.text[:1].islower()
    base = word[:-1] if word.endswith("s") else None
    plural = base is not None and (word in _HEADLINE_VERBS or base + "s" in _HEADLINE_VERBS)
    return token.text[:1].isupper() and (
        word in _HEADLINE_VERBS or plural or (word + "s" in _HEADLINE_VERBS)
    )


def _is_title_headline(doc: Doc) -> bool:
    """A short line in title case: the headline opening the page, not a story sentence."""
    words = [t for t in doc if t.is_alpha and len(t.text) > 3]
    if len(doc) > 30 or len(words) < 4:
        return False
    capital = sum(1 for t in words if t.text[:1].isupper())
    return capital >= 0.8 * len(words)


def _phrase_mention(
    doc: Doc, start: int, end: int, offset: int, longest: int = 4
) -> Mention | None:
    """The speaker named in a headline's characters [start, end) of the paragraph: a name,
    or a short description ("New Poll", "Former Team Doctor") of at most `longest` words."""
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or not len(span):
        return None
    names = [e for e in doc.ents if e.start >= span.start and e.end <= span.end]
    names.sort(key=lambda e: e.label_ != "PERSON")
    if names and (names[0].label_ == "PERSON" or len(span) > longest):
        ent = names[0]
        if ent.label_ not in HEADLINE_SOURCE_LABELS:
            return None
        return Mention(offset + ent.start_char, offset + ent.end_char, ent.text, "name", ent.label_)
    if len(span) > longest:
        return None
    label = span[-1].lower_
    return Mention(offset + span.start_char, offset + span.end_char, span.text, "nominal", label)


def _source_label(doc: Doc, end: int) -> bool:
    """Whether a headline's label before a colon names a source: a person or a poll."""
    words = [t for t in doc if t.idx < end]
    if len(words) == 1 and words[0].lemma_.lower() in DOCUMENT_NOUNS:
        return True
    return 0 < len(words) <= 3 and all(t.ent_type_ == "PERSON" for t in words)


def _headline_cue(doc: Doc, offset: int, paragraph: int) -> Cue | None:
    """The attribution of a title-case headline the parse cannot read.

    "Mayor Slams Council Over Budget Delay", "Bridge Will Close, Engineer Says", "Senator
    On Taxes: Cuts Will Pay For Themselves": the speaker before the verb (or after the
    comma, or before the colon), the rest of the line the claim.
    """
    title = _is_title_headline(doc)
    text = doc.text.rstrip()
    if not title and not (len(doc) <= 16 and text.endswith((".", ";"))):
        return None
    tail = _HEADLINE_TAIL.search(text) if title else None
    label = _HEADLINE_LABEL.match(text)
    if label is not None and not title and not _source_label(doc, label.end(1)):
        label = None  # a sentence-case line: only a source's label ("Poll: ...") counts
    if tail is not None:
        speaker = _phrase_mention(doc, tail.start(1), tail.end(1), offset)
        content = (0, tail.start())
        verb = (tail.start(2), tail.end(2))
    elif label is not None:
        # "Poll: ...", but not a kicker ("Stealth Over Health: ...").
        speaker = _phrase_mention(doc, label.start(1), label.end(1), offset, longest=2)
        content = (label.end(), len(text))
        verb = (label.end(1), label.end(1) + 1)
    else:
        # A title-case parse is unreliable; a sentence-case line must open with its cue verb.
        cue = next(
            (
                t
                for t in doc
                if t.i > 0 and (_headline_verb(t, title) or (not title and t.pos_ in _VERBAL))
            ),
            None,
        )
        if cue is None or not _headline_verb(cue, title):
            return None
        comma = text.rfind(", ", 0, cue.idx)
        begin = comma + 2 if comma >= 0 else 0
        speaker = _phrase_mention(doc, begin, cue.idx, offset)
        content = (cue.idx + len(cue.text), len(text))
        verb = (cue.idx, cue.idx + len(cue.text))
    if speaker is None:
        return None
    tokens = [t for t in doc if content[0] <= t.idx < content[1]]
    span = _span_chars(tokens, offset)
    if span is None or sum(1 for t in tokens if t.is_alpha) < 2:
        return None
    return Cue(
        offset + verb[0],
        offset + verb[1],
        text[verb[0] : verb[1]],
        "headline",
        paragraph,
        speaker,
        speaker.start,
        content=span,
        needs_clause=True,
    )


# Nouns of statements and beliefs whose that-clause is the content ("his claim that the vote
# was rigged"), and those whose infinitive is ("her promise to cut taxes").
SPEECH_NOUNS = {
    "claim",
    "charge",
    "allegation",
    "accusation",
    "assertion",
    "contention",
    "argument",
    "insistence",
    "suggestion",
    "warning",
    "belief",
    "view",
    "conviction",
    "assurance",
    "admission",
    "prediction",
    "announcement",
    "statement",
    "promise",
    "pledge",
    "vow",
}
_PROMISE_NOUNS = {"promise", "pledge", "vow", "call", "demand", "threat", "proposal"}
# Verbs through which a subject voices a claim it is the object of ("made the argument").
_VOICING_VERBS = {
    "make",
    "repeat",
    "reiterate",
    "renew",
    "voice",
    "express",
    "issue",
    "level",
    "raise",
    "advance",
    "offer",
    "press",
    "push",
    "stand",
}


def _noun_cue(noun: Token, offset: int, paragraph: int) -> Cue | None:
    """A statement noun with its content clause: "Smith's claim that ...", "made the argument
    that ...", "his pledge to ...". The speaker is the possessor, or the subject of the verb
    that voices the noun; without one there is no attribution."""
    lemma = noun.lemma_.lower()
    clause = next(
        (
            c
            for c in noun.rights
            if c.dep_ == "acl"
            and c.pos_ in {"VERB", "AUX"}
            and (
                (
                    any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                    and any(m.dep_ in _SUBJECT_DEPS | {"expl"} for m in c.children)
                )
                or (lemma in _PROMISE_NOUNS and any(a.tag_ == "TO" for a in c.lefts))
            )
        ),
        None,
    )
    if clause is None:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None and noun.dep_ == "dobj":
        verb = noun.head
        if verb.lemma_.lower() in _VOICING_VERBS | REPORTING_VERBS:
            owner = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if owner is None or owner.lower_ in _RELATIVE:
        return None
    content = _span_chars(_without_participle_cues(clause), offset)
    if content is None:
        return None
    return Cue(
        offset + noun.idx,
        offset + noun.idx + len(noun.text),
        noun.text,
        lemma,
        paragraph,
        mention_for(owner, offset),
        offset + min(owner.left_edge.idx, noun.idx),
        content=content,
        needs_clause=True,
    )


def _following_cue(noun: Token, offset: int, paragraph: int) -> Cue | None:
    """Words after "X made the following comment:" are X's."""
    if not any(c.lower_ == "following" and c.dep_ in {"amod", "compound"} for c in noun.lefts):
        return None
    if noun.dep_ != "dobj" or noun.head.pos_ != "VERB":
        return None
    subject = _subject(noun.head)
    if subject is None:
        return None
    return Cue(
        offset + noun.idx,
        offset + noun.idx + len(noun.text),
        noun.text,
        noun.lemma_.lower(),
        paragraph,
        mention_for(subject, offset),
        offset + min(subject.left_edge.idx, noun.idx),
    )


def _call_for(
    verb: Token, offset: int, paragraph: int, prepositions: tuple[str, ...] = ("for",)
) -> Cue | None:
    """A demand: "called for a moratorium on new permits"; the object of "for" is the content."""
    if any(c.dep_ in {"auxpass", "nsubjpass", "neg"} for c in verb.children):
        return None
    if verb.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in verb.head.children):
        return None  # "asked Australia to call for ...": a call someone else wants made
    prep = next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ in prepositions), None)
    if prep is None:
        return None
    # Only a time or an adverb may come between ("called Friday for", "called again for").
    between = verb.doc[verb.i + 1 : prep.i]
    if len(between) > 2 or not all(
        t.dep_ in {"npadvmod", "advmod"} or t.ent_type_ in {"DATE", "TIME"} for t in between
    ):
        return None
    if not any(c.dep_ in {"pobj", "pcomp"} for c in prep.children):
        return None
    content = _span_chars([t for t in prep.subtree if t.i != prep.i], offset)
    subject = _subject(verb)
    if content is None or subject is None:
        return None
    return _subject_cue(
        verb,
        prep,
        f"{verb.text} {prep.text}",
        f"{verb.lemma_.lower()} {prep.lower_}",
        paragraph,
        subject,
        offset,
        content,
    )


def _object_cue(verb: Token, offset: int, paragraph: int) -> Cue | None:
    """A judgement or citation: "criticized the agency for ignoring the warnings"."""
    if any(c.dep_ in {"auxpass", "nsubjpass", "neg"} for c in verb.children):
        return None
    if verb.dep_ == "xcomp" and any(c.tag_ == "TO" for c in verb.lefts):
        return None  # "tends to support", "plans to attack": not a judgement made
    obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if obj is None or obj.lower_.endswith(("self", "selves")):
        return None
    tokens = list(obj.subtree)
    for child in verb.rights:
        preps = {"as"} if verb.lemma_.lower() == "cite" else {"for", "as"}
        if child.i > obj.i and child.dep_ == "prep" and child.lower_ in preps:
            tokens.extend(_up_to_quoted_label(list(child.subtree)))
    tokens = _without_relative_report([t for t in tokens if t.i > verb.i])
    content = _span_chars(tokens, offset)
    subject = _subject(verb)
    if content is None or subject is None:
        return None
    return _subject_cue(
        verb, verb, verb.text, verb.lemma_.lower(), paragraph, subject, offset, content
    )


def _up_to_quoted_label(phrase: list[Token]) -> list[Token]:
    """An "as" phrase up to the end of the quoted label it gives.

    'criticized the plan as a "costly mistake" during a town hall on Tuesday': the label
    ends at the closing quotation mark; a time or place phrase after it tells when and
    where the judgement was made, though the parser may hang it on the label's noun.
    """
    for k, token in enumerate(phrase):
        if not _closes_quotation(token):
            continue
        rest = [t for t in phrase[k + 1 :] if not t.is_punct]
        if rest and rest[0].dep_ in {"prep", "npadvmod"}:
            return phrase[: k + 1]
        break
    return phrase


def _quoted(phrase: Token) -> bool:
    """Whether a phrase stands whole inside quotation marks ('"a white elephant"')."""
    doc = phrase.doc
    words = [t for t in phrase.subtree if not t.is_punct]
    if not words:
        return False
    first, last = words[0].i, words[-1].i
    before = doc[first - 1].text if first > 0 else ""
    after = doc[last + 1 : last + 3]
    closes = len(after) > 0 and (
        after[0].text in _QUOTE_EDGES
        or (after[0].is_punct and len(after) > 1 and after[1].text in _QUOTE_EDGES)
    )
    return before in _QUOTE_EDGES and closes


def _predicating_cue(verb: Token, offset: int, paragraph: int) -> Cue | None:
    """A judgement: "called the charges baseless", "called Smith a liar who ..."; the object
    and what it is called are the content."""
    if any(c.dep_ in {"auxpass", "nsubjpass", "neg"} for c in verb.children):
        return None
    complement = next(
        (
            c
            for c in verb.rights
            if c.dep_ == "oprd"
            or (c.dep_ == "prep" and c.lower_ == "as" and verb.lemma_.lower() == "describe")
        ),
        None,
    )
    if complement is None or (paragraph == 0 and _is_title_headline(verb.doc)):
        return None
    if any(c.dep_ == "dobj" and c.lower_.endswith(("self", "selves")) for c in verb.children):
        return None  # "a group calling itself X" names, it does not judge
    tokens = [t for t in verb.doc[verb.i + 1 : complement.right_edge.i + 1]]
    if _quoted(complement) or (
        complement.dep_ == "prep" and any(_quoted(c) for c in complement.children)
    ):
        return None  # 'called the tower "a white elephant"': the quoted label is the quote
    if not any(t.is_alpha for t in tokens if t.i < complement.left_edge.i):
        return None  # "called X" needs the X as well as what it is called
    content = _span_chars(tokens, offset)
    subject = _subject(verb)
    if content is None or subject is None:
        return None
    return _subject_cue(verb, verb, verb.text, "call", paragraph, subject, offset, content)


def _naming_cue(verb: Token, offset: int, paragraph: int) -> Cue | None:
    right = [t for t in verb.subtree if t.i > verb.i]
    if not right or any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
        return None  # "simply called 'loop'": a passive names a thing, nobody says it
    subject = _subject(verb)
    speaker = mention_for(subject, offset) if subject is not None else None
    last = right[-1]
    return Cue(
        offset + verb.idx,
        offset + verb.idx + len(verb.text),
        verb.text,
        verb.lemma_.lower(),
        paragraph,
        speaker,
        offset + (subject.left_edge.idx if subject is not None else verb.idx),
        naming=(offset + right[0].idx, offset + last.idx + len(last.text) + 1),
    )


def _in_evidence(token: Token, offset: int, paragraph: int) -> Cue | None:
    """A sentence opening on the record it reports: "In the latest poll, the mayor leads by
    six points." The rest of the sentence is the content, the record its source; not when
    the sentence has a reporting verb of its own ("In a report, the agency said ...")."""
    source = next((c for c in token.children if c.dep_ == "pobj"), None)
    if source is None or source.lemma_.lower() not in EVIDENCE_NOUNS:
        return None
    head = token.head
    if head.pos_ not in {"VERB", "AUX"} or token.dep_ != "prep":
        return None
    sent = token.sent
    if any(t.lemma_.lower() in REPORTING_VERBS | FINDING_VERBS for t in sent if t.pos_ == "VERB"):
        return None
    phrase = {t.i for t in token.subtree}
    tokens = [t for t in sent if t.i not in phrase]
    content = _span_chars(tokens, offset)
    if content is None or sum(1 for t in tokens if t.is_alpha) < 4:
        return None
    return Cue(
        offset + token.idx,
        offset + token.idx + len(token.text),
        token.text,
        "in",
        paragraph,
        mention_for(source, offset),
        offset + token.idx,
        content=content,
        needs_clause=True,
    )


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


def _as_put_it(verb: Token, offset: int, paragraph: int) -> Cue | None:
    """ "As the mayor put it, the city is broke": the clause the as-clause modifies is the
    report, the subject of "put it" its source."""
    children = list(verb.children)
    if not any(c.dep_ == "dobj" and c.lower_ == "it" for c in children):
        return None
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in children):
        return None
    subject = next((c for c in children if c.dep_ == "nsubj"), None)
    if subject is None or verb.dep_ != "advcl":
        return None
    phrase = {t.i for t in verb.subtree}
    if verb.left_edge.i > verb.sent.start:
        # '... a "lawful source of income," as a memo put it': the words quoted just before
        # are the report, not the whole sentence.
        return None
    tokens = [t for t in verb.sent if t.i not in phrase]
    content = _span_chars(tokens, offset) if len(tokens) >= 4 else None
    if content is None:
        return None
    return _subject_cue(verb, verb, verb.text, "put", paragraph, subject, offset, content)


def _according_to(token: Token, offset: int, paragraph: int) -> Cue | None:
    doc = token.doc
    to = doc[token.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        source = next((c for c in token.children if c.dep_ == "pobj"), None)
    if source is None:
        # "according to show insiders": the parser took a noun for a verb with an object.
        verbal = next((c for c in to.children if c.dep_ == "pcomp"), None)
        if verbal is not None:
            source = next((c for c in verbal.children if c.dep_ == "dobj"), None)
    if source is None:
        return None
    if source.lemma_.lower() in DOCUMENT_NOUNS | _OCCASION_NOUNS:
        # "according to a speech Mrs. Clinton delivered": the text's author is the source.
        clause = next((c for c in source.children if c.dep_ == "relcl"), None)
        author = None
        if clause is not None:
            author = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if (
            author is not None
            and author.pos_ in {"PROPN", "PRON"}
            and author.lower_ not in _RELATIVE
        ):
            source = author
    speaker = mention_for(source, offset)
    phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree} | {token.i, to.i}
    phrase |= _stray_appositive(source)
    sent = token.sent
    tokens = [t for t in sent if t.i not in phrase]
    content = _span_chars(tokens, offset) if len(tokens) >= 4 else None
    if content is None and token.i == sent.start:
        # "According to X, the move reeks of fear": the parser may hang the whole clause on
        # the source's name; what follows the comma after the name is the report.
        comma = next((t for t in sent if t.i > source.i and t.text == ","), None)
        rest = [t for t in sent if comma is not None and t.i > comma.i]
        if comma is not None and source.right_edge.i >= comma.i and len(rest) >= 4:
            content = _span_chars(rest, offset)
    if content is not None:
        content = _across_abbreviation(doc, content, offset)
    after: tuple[int, int] | None = None
    left = [t for t in tokens if t.i < min(phrase)]
    right = [t for t in tokens if t.i > max(phrase)]
    if content and any(t.is_alpha for t in left) and any(t.tag_ in _FINITE_TAGS for t in right):
        # "Shelter residents, according to the findings, are fearful": the attribution
        # splits the clause, and each side is reported separately.
        content, after = _span_chars(left, offset), _span_chars(right, offset)
    return Cue(
        offset + token.idx,
        offset + to.idx + len(to.text),
        "according to",
        "according to",
        paragraph,
        speaker,
        offset + token.idx,
        content=content,
        content_after=after,
    )
