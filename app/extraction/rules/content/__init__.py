"""Stage "content": which words of a sentence a reporting verb reports, decided by sieves.

The sieves run in CONTENT_ORDER on a cue verb; the first that decides wins, either with a
span (the reported content) or with "nothing is reported" (a negated or passive cue, a
forecast); a sieve that does not apply passes, and a switched-off sieve is skipped. No
sieve deciding leaves the cue without content. The quote's `rule` stays the cue rule's: a
content sieve only chooses the span, so --ablate shows its worth.
"""

from __future__ import annotations

from typing import cast

from spacy.tokens import Token

from app.extraction.lexicon import HYPHENS
from app.extraction.rules import fired, implementations
from app.extraction.rules.content import clause, misparsed, refusals, verbs
from app.extraction.rules.content.sieve import PASS, Sieve

CONTENT_ORDER = (
    "negated_or_passive",
    "declined_to_say",
    "forecast",
    "told_passive",
    "proposal_gerund",
    "infinitive_content",
    "question_content",
    "embedded_question",
    "addressee_clause",
    "complement_clause",
    "subject_as_content",
    "clause_as_object",
    "that_clause_on_noun",
    "stranded_clause",
    "interrupted_clause",
    "clause_before_conjoined_cue",
)
"""The order in which the content sieves try a reporting verb."""

_MODULES = (refusals, verbs, clause, misparsed)  # declare the rules above
_SIEVES = tuple((rule_id, cast(Sieve, f)) for rule_id, f in implementations(CONTENT_ORDER))


def reported_content(
    verb: Token, offset: int, disabled: frozenset[str] = frozenset()
) -> tuple[int, int] | None:
    """The reported clause of a reporting verb (character offsets), or None."""
    return decide_content(verb, offset, disabled)[1]


def decide_content(
    verb: Token, offset: int, disabled: frozenset[str] = frozenset()
) -> tuple[str | None, tuple[int, int] | None]:
    """The sieve that decided a verb's content (None if none did) and the content."""
    for rule_id, sieve in _SIEVES:
        if rule_id in disabled:
            continue
        verdict = sieve(verb, offset)
        if verdict is not PASS:
            fired(rule_id)
            if verdict is not None:
                verdict = _without_leading_date(verb, verdict, offset)
                verdict = _over_colon(verb, verdict, offset)
                verdict = _over_hyphen(verb, verdict, offset)
                verdict = _over_second_that(verb, verdict, offset)
                verdict = _without_disputing_label(verb, verdict, offset)
            return rule_id, verdict
    return None, None


_OPENING_MARKS = frozenset({'"', "\u201c", "'", "\u2018", "`", "``", "''"})


def _over_colon(verb: Token, span: tuple[int, int], offset: int) -> tuple[int, int]:
    """A content that stops at a colon runs on to the end of its sentence: what follows
    spells out what was said ("notes that three things are happening at once: home values
    are rising, rates are low ..."), which the parser hangs on the cue as a clause of its
    own. Not a quotation the colon opens ('said he had a message: "..."'): that is quoted
    apart."""
    start, end = span
    doc = verb.doc
    colon = next((t for t in doc if t.idx + offset >= end and not t.is_space), None)
    if colon is None or colon.text != ":" or colon.sent != verb.sent:
        return span
    rest = [t for t in colon.sent if t.i > colon.i and not t.is_space]
    while rest and rest[-1].is_punct:
        rest = rest[:-1]
    if len(rest) < 2 or "\n" in doc[colon.i : rest[-1].i].text:
        return span
    if any(t.text in _OPENING_MARKS or t.text in {"\u201d", "\u2019"} for t in rest):
        return span  # quoted words after the colon: the quotation rules read them
    return start, offset + rest[-1].idx + len(rest[-1].text)


def _over_second_that(verb: Token, span: tuple[int, int], offset: int) -> tuple[int, int]:
    """A content after its cue followed by "but that ..." or "and that ..." runs on over that
    second clause: the speaker said both ("told reporters that he supports transit but that
    council has to be honest about costs"); the parser may hang the second clause on the cue
    as a conjunct of its own."""
    start, end = span
    doc = verb.doc
    if start < offset + verb.idx:
        return span
    after = next((t for t in doc if t.idx + offset >= end and not t.is_space), None)
    if after is not None and after.text == ",":
        after = doc[after.i + 1] if after.i + 1 < len(doc) else None
    if after is None or after.lower_ not in {"and", "but"} or after.sent != verb.sent:
        return span
    that = doc[after.i + 1] if after.i + 1 < len(doc) else None
    if that is None or that.lower_ != "that" or that.dep_ not in {"mark", "det"}:
        return span  # "..., and that's something ...": the pronoun is the writer's comment
    if that.i + 1 < len(doc) and doc[that.i + 1].lower_ in {"'s", "\u2019s", "is", "was"}:
        return span
    clause = that
    while clause.head.i > after.i and clause.head is not clause:
        clause = clause.head
    if clause.dep_ != "conj" or clause.pos_ not in {"VERB", "AUX"}:
        return span
    if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in clause.children):
        return span
    tail = clause.right_edge.i
    while tail > clause.i and (doc[tail].is_punct or doc[tail].is_space):
        tail -= 1
    return start, max(end, offset + doc[tail].idx + len(doc[tail].text))


_DISPUTED_NOUNS = frozenset(
    {"claim", "charge", "allegation", "accusation", "assertion", "suggestion", "contention"}
)


def _without_disputing_label(verb: Token, span: tuple[int, int], offset: int) -> tuple[int, int]:
    """A content without the label the writer puts after it ("argues that her record shows
    she would raise taxes, a claim Spanberger calls false"): a claim noun set off by a comma
    with a clause of its own to the content's end is someone's judgement of the report, not
    part of it (PolNeAR's training contents stop before one 5 times, never hold one)."""
    start, end = span
    doc = verb.doc
    for token in doc:
        at = offset + token.idx
        if not start < at < end or token.lemma_.lower() not in _DISPUTED_NOUNS:
            continue
        if token.dep_ != "appos" or not any(c.dep_ in {"acl", "relcl"} for c in token.rights):
            continue
        first = token.left_edge
        if first.i == 0 or doc[first.i - 1].text != "," or first.lower_ not in {"a", "an", "the"}:
            continue
        if offset + token.right_edge.idx + len(token.right_edge.text) < end - 2:
            continue  # the clause does not run to the content's end
        comma = doc[first.i - 1]
        kept = [t for t in doc if start <= offset + t.idx and t.i < comma.i and not t.is_space]
        if kept:
            return start, offset + kept[-1].idx + len(kept[-1].text)
    return span


def _over_hyphen(verb: Token, span: tuple[int, int], offset: int) -> tuple[int, int]:
    """A content that stops inside a hyphenated word ("... and was co" of "was co-operating
    with police", which the tokenizer split and the parser hung on the cue) runs on over
    the rest of the word and the phrase the parser hung on it, to the end of its sentence
    at most."""
    start, end = span
    doc = verb.doc
    last = next((t for t in doc if t.idx + offset < end <= t.idx + offset + len(t.text)), None)
    if last is None or last.i + 2 >= len(doc):
        return span
    hyphen, word = doc[last.i + 1], doc[last.i + 2]
    if hyphen.text not in HYPHENS or last.whitespace_ or hyphen.whitespace_:
        return span
    if word.sent != last.sent or not word.is_alpha:
        return span
    tail = max(word.right_edge.i, word.i)
    while tail > word.i and doc[tail].is_punct:
        tail -= 1
    return start, offset + doc[tail].idx + len(doc[tail].text)


_DAYS_OF_SAYING = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tonight",
        "weekend",
    }
)
"""Words of a date that tells when something was said, not when what was said happened."""


def _without_leading_date(verb: Token, span: tuple[int, int], offset: int) -> tuple[int, int]:
    """A content after its verb without the day the words were said, which the parser may
    hang on the reported clause ("said Monday [the government remains committed]", "told
    reporters Friday night [the man was arrested]"); a date the clause is about stays ("said
    Monday was the worst day")."""
    start, end = span
    doc = verb.doc
    after = next((t.i for t in doc if t.idx + offset == start), None)
    if after is None or after <= verb.i or doc[after].ent_type_ not in {"DATE", "TIME"}:
        return span
    date = after + 1
    while date < len(doc) and doc[date].ent_iob_ == "I":
        date += 1  # the whole date: "Friday night", "last week"
    deps = {"npadvmod", "compound", "amod", "det"}
    if date >= len(doc) or any(t.dep_ not in deps for t in doc[after:date]):
        return span
    if not any(t.lower_ in _DAYS_OF_SAYING for t in doc[after:date]):
        return span  # "said last year Pagliano invoked ...": the year may be the deed's
    if doc[date].is_punct or doc[date].idx + offset >= end:
        return span
    return doc[date].idx + offset, end
