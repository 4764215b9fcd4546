"""Candidate attributions read off the parse (predicate, content span, source) and their features.

Shared by training and inference so the model sees at run time exactly what it was fitted on.
A candidate is one predicate token with one way of bounding its content:

- ``rule``: the content the rules give a reporting verb (``attribution._content``);
- ``comp``: the predicate's complement, from its object or first clausal complement to the end
  of that complement ("wants voters to know ...", "hopes that ...", "the belief that ...");
- ``clause``: the whole clause around a raising predicate ("X seemed to ...", "X is expected to
  ..."), where the annotated content includes the subject;
- ``obj``: a verb's object and the rest of its phrase, for verbs with no clause ("praised the
  plan for its cost"), when the verb is often a cue (MIN_OBJECT_RATE);
- ``prep``: what follows the predicate's preposition, for predicates whose topic is a
  prepositional object ("warned of a long battle", "referring to his remarks", "fond of the
  idea", "support for the bill");
- ``rest``: the rest of the sentence after a verb, when the parse gives its content no
  complement ("reported on Wednesday the Secret Service had ..."); never for the rules'
  speech verbs (see ``_rest``);
- ``phrase``: a verb's own phrase after it, without what is hung beside it (a coordinated
  verb, an adverbial clause): "sought a second term, hoping to ..." stops at "term" where
  ``rest`` runs on; not for the rules' speech verbs either.
- ``trim_<bounding>``: any of the above cut before a modifier set off by a comma at its end
  ("would be easy to circumvent, doing little to ...", "the capital of Israel, a red line
  for many", "at Mar-a-Lago, Mr. Trump's private club", "a win in Texas, which votes on
  March 1"); ``trim_rest`` and ``trim_phrase``
  keep their source's stricter threshold.

Besides its own features, each candidate knows its rivals (the other boundings of the same
predicate, whether it is the shortest or longest of them) and what its content is (a clause
with a finite verb, names only, an adverbial clause), so the model ranks the boundings of one
predicate against each other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import islice

from spacy.tokens import Doc, Token

from app.extraction.attribution import REPORTING_VERBS, content_of_reporting_verb, subject_of

PREDICATE_POS = frozenset({"VERB", "NOUN", "ADJ", "AUX"})
_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp"})
_NOUN_COMPLEMENT_DEPS = frozenset({"acl", "ccomp"})
_OBJECT_DEPS = frozenset({"dobj", "dative"})
_EDGE_WORDS = frozenset({"that", ",", ":", "-", "\u2014", "\u2013", '"', "\u201c", "\u201d", "'"})
_DOCUMENT_HEADS = frozenset(
    {
        "poll",
        "polls",
        "survey",
        "report",
        "reports",
        "study",
        "data",
        "record",
        "records",
        "filing",
        "filings",
        "document",
        "documents",
        "analysis",
        "figure",
        "figures",
        "result",
        "results",
        "research",
        "statistics",
        "numbers",
    }
)
PROPOSALS = ("rule", "comp", "clause", "obj", "prep", "rest", "phrase")
MIN_OBJECT_RATE = 0.4
"""An object is weaker evidence of content than a clause: ``obj`` boundings only for predicates
that are cues in at least this share of their training occurrences ("praise", "blame", "cite";
not "welcome", "consider", "paint"). Chosen on cross-validation folds of the training split."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One predicate with one bounding of its content, offsets into the article."""

    token: Token
    offset: int
    """Where the token's paragraph starts in the article."""
    proposal: str
    content: tuple[int, int]
    subject: Token | None
    features: tuple[str, ...]
    rule_cue: str | None = None
    """What the rules made of this predicate when it is one of their cues (see
    `model.rule_cue_tags`), else None."""


def _chars(tokens: list[Token], offset: int) -> tuple[int, int, int] | None:
    while tokens and (tokens[0].lower_ in _EDGE_WORDS or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    if len(tokens) < 2:
        return None
    return offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text), len(tokens)


def _complement(token: Token, offset: int) -> tuple[int, int, int] | None:
    deps = _NOUN_COMPLEMENT_DEPS if token.pos_ == "NOUN" else _COMPLEMENT_DEPS
    # A past participle describes the noun, it is not what it says ("a statement released by
    # the office", "documents obtained by the paper"); "a statement condemning ..." is.
    clause = next((c for c in token.rights if c.dep_ in deps and c.tag_ != "VBN"), None)
    if clause is None:
        return None
    start = clause.left_edge.i
    objects = [c for c in token.rights if c.dep_ in _OBJECT_DEPS and c.i < clause.i]
    if objects and clause.dep_ == "xcomp":
        start = min(start, objects[0].left_edge.i)  # "wants voters to know ..."
    doc = token.doc
    return _chars(list(doc[start : clause.right_edge.i + 1]), offset)


_OBJECT_TAIL_DEPS = frozenset(
    {"dobj", "dative", "prep", "ccomp", "xcomp", "prt", "oprd", "npadvmod"}
)


def _object(token: Token, offset: int) -> tuple[int, int, int] | None:
    """A verb's object and what follows it in its phrase ("praised the plan for its cost",
    "highlighted the risk of a shutdown"): content for verbs with no clause of their own."""
    if token.pos_ != "VERB" or any(c.dep_ in _COMPLEMENT_DEPS for c in token.rights):
        return None
    objects = [c for c in token.rights if c.dep_ == "dobj"]
    if not objects:
        return None
    tail = [c for c in token.rights if c.dep_ in _OBJECT_TAIL_DEPS and c.i >= objects[0].i]
    end = max(c.right_edge.i for c in tail)
    return _chars(list(token.doc[objects[0].left_edge.i : end + 1]), offset)


def _preposition(token: Token, offset: int) -> tuple[int, int, int] | None:
    """The object of the predicate's first preposition to its right and the rest of that
    phrase ("warned of a 'ferocious' battle ahead", "grappled with the ethics of ..."): content
    for predicates with no clause of their own."""
    if any(c.dep_ in _COMPLEMENT_DEPS for c in token.rights):
        return None
    prep = next((c for c in token.rights if c.dep_ == "prep"), None)
    if prep is None:
        return None
    objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if not objects:
        return None
    return _chars(list(token.doc[objects[0].left_edge.i : prep.right_edge.i + 1]), offset)


def _rest(token: Token, offset: int) -> tuple[int, int, int] | None:
    """Everything after a verb to the end of its sentence ("reported on Wednesday the Secret
    Service had ...", "Asked if the comments had rattled them"), when the parse gives it no
    complement the other boundings can read.

    Not for the rules' speech verbs: where the rules read no content for "said" or
    "announced" there is none to guess ("announced an inquiry into ..." is news, not a
    quote), and a learned attribution of such a verb would be speech, so it would reach the
    speech-only view and what users read as quotes."""
    if token.pos_ != "VERB" or token.lemma_.lower() in REPORTING_VERBS:
        return None
    if any(c.dep_ == "ccomp" for c in token.lefts):
        # "X lent $2 million, filings show, raising questions ...": the content is the
        # clause before the cue; what follows it is the writer's.
        return None
    rights = [c for c in token.rights if not c.is_punct and c.dep_ not in {"prt", "advmod"}]
    if not rights:
        return None
    return _chars(list(token.doc[rights[0].left_edge.i : token.sent.end]), offset)


_PHRASE_SKIP = frozenset({"punct", "prt", "advmod", "conj", "cc", "mark", "npadvmod", "advcl"})


def _phrase(token: Token, offset: int) -> tuple[int, int, int] | None:
    """A verb's own phrase after it: its right dependents but the loose ones (a coordinated
    verb, an adverbial clause or modifier, punctuation), so "seek reelection, senator
    struggles ..." stops at "reelection" where ``rest`` runs to the end of the sentence.
    Not for the rules' speech verbs (see ``_rest``)."""
    if token.pos_ != "VERB" or token.lemma_.lower() in REPORTING_VERBS:
        return None
    rights = [c for c in token.rights if c.dep_ not in _PHRASE_SKIP and not c.is_punct]
    if not rights:
        return None
    end = max(c.right_edge.i for c in rights)
    return _chars(list(token.doc[rights[0].left_edge.i : end + 1]), offset)


_TAIL_DEPS = frozenset({"advcl", "appos", "acl", "npadvmod", "relcl"})


def _without_tail(
    doc: Doc, bounds: tuple[int, int, int], offset: int
) -> tuple[int, int, int] | None:
    """A content cut before the modifier set off by a comma at its end ("..., doing little to
    diminish ...", "..., a red line for many", "..., Mr. Trump's private club", "..., which
    votes on March 1")."""
    span = doc.char_span(bounds[0] - offset, bounds[1] - offset, alignment_mode="expand")
    if span is None or len(span) < 4:
        return None
    last = span[-1].i
    for token in span:
        if token.dep_ not in _TAIL_DEPS or token.right_edge.i < last:
            continue
        if not span.start <= token.head.i < span.end or token.head.i > token.i:
            continue
        if token.dep_ in {"advcl", "acl"} and token.tag_ not in {"VBG", "VBN"}:
            continue
        comma = token.left_edge.i - 1
        if comma <= span.start or doc[comma].text != ",":
            continue
        return _chars(list(doc[span.start : comma]), offset)
    return None


def _clause(token: Token, offset: int) -> tuple[int, int, int] | None:
    if not any(c.dep_ == "xcomp" for c in token.rights):
        return None
    subject = subject_of(token)
    if subject is None or subject.i > token.i:
        return None
    doc = token.doc
    end = max(c.right_edge.i for c in token.rights if c.dep_ == "xcomp")
    return _chars(list(doc[subject.left_edge.i : end + 1]), offset)


_HOLDER_DEPS = frozenset({"acomp", "attr", "dobj"})
# Verbs whose object noun is their subject's own stance ("expressed concern that ...").
_LIGHT_VERBS = frozenset({"express", "voice", "raise", "share", "have", "make", "give", "offer"})


_NO_SOURCE_ENTITIES = frozenset(
    {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
)


def source_of(token: Token) -> Token | None:
    """Whose attribution a predicate reports: a noun's possessor ("his rejection of ...") or
    from-phrase ("criticism from Republicans"), the rules' subject, or for a word that
    completes a verb ("Democrats are concerned that ...", "he expressed concern that ...",
    "she is aware that ...") that verb's subject."""
    if token.tag_ == "VBN" and (
        token.dep_ in {"acl", "advcl"}
        or any(c.dep_ in {"auxpass", "nsubjpass"} for c in token.children)
    ):
        # "Obama is expected to join ...", "Pfizer, known for ...": the grammatical subject
        # is what is expected or known, not who expects it; that is the agent, if named
        # ("was seen by some as ...").
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        if agent is None:
            return None
        return next((c for c in agent.children if c.dep_ == "pobj"), None)
    if token.pos_ == "NOUN":
        # "his rejection of ...", "the senator's claim that ...": the possessor holds it.
        owner = next((c for c in token.lefts if c.dep_ == "poss"), None)
        if owner is not None:
            return owner
        # "criticism from Republicans", "warnings from staff that ...": the from-phrase is
        # whose it is (the training split's noun cues with one: 46 of 57 sources there).
        origin = next((c for c in token.rights if c.dep_ == "prep" and c.lower_ == "from"), None)
        holder = next((c for c in origin.children if c.dep_ == "pobj"), None) if origin else None
        if holder is not None and holder.ent_type_ not in _NO_SOURCE_ENTITIES:
            return holder
    subject = subject_of(token)
    if (
        subject is None
        and token.dep_ in _HOLDER_DEPS
        and token.head.pos_ in {"AUX", "VERB"}
        and (token.pos_ != "NOUN" or token.head.lemma_.lower() in _LIGHT_VERBS)
    ):
        subject = next(
            (c for c in token.head.lefts if c.dep_ in {"nsubj", "nsubjpass"} and not c.is_punct),
            None,
        )
    if subject is None and token.dep_ == "xcomp" and token.head.pos_ == "ADJ":
        # "Obama is determined to warn ...", "she is eager to show ...": the adjective's
        # subject is the one who warns or shows.
        adjective = token.head
        holder = adjective.head if adjective.dep_ in {"acomp", "xcomp"} else adjective
        subject = next(
            (c for c in holder.lefts if c.dep_ in {"nsubj", "nsubjpass"} and not c.is_punct),
            None,
        )
    return subject


def _word_count(doc: Doc, span: tuple[int, int], offset: int) -> int:
    chars = doc.char_span(span[0] - offset, span[1] - offset, alignment_mode="expand")
    return len(chars) if chars is not None else 0


def _subject_kind(subject: Token | None) -> str:
    if subject is None:
        return "none"
    if subject.pos_ == "PRON":
        return "pron:" + subject.lower_
    if subject.ent_type_:
        return "ent:" + subject.ent_type_
    if subject.lower_ in _DOCUMENT_HEADS:
        return "document"
    return "noun:" + subject.pos_


def _rate_bucket(rate: float) -> str:
    for limit in (0.15, 0.25, 0.4, 0.6, 0.8):
        if rate < limit:
            return str(limit)
    return "1"


def _bucket(words: int) -> str:
    for limit in (3, 6, 12, 25, 50):
        if words <= limit:
            return str(limit)
    return "more"


def _features(
    token: Token,
    proposal: str,
    content: tuple[int, int],
    words: int,
    subject: Token | None,
    offset: int,
    rate: float,
) -> tuple[str, ...]:
    lemma = token.lemma_.lower()
    deps = {c.dep_ for c in token.children}
    subject_kind = _subject_kind(subject)
    head = token.head
    start = offset + token.idx
    where = "before" if content[1] <= start else ("after" if content[0] >= start else "around")
    features = [
        "bias",
        "lemma=" + lemma,
        "lemma_pos=" + lemma + "|" + token.pos_,
        "lemma_prop=" + lemma + "|" + proposal,
        "tag=" + token.tag_,
        "dep=" + token.dep_,
        "prop=" + proposal,
        "prop_where=" + proposal + "|" + where,
        "subj=" + subject_kind.split(":")[0],
        "subj_full=" + subject_kind,
        "lemma_subj=" + lemma + "|" + subject_kind.split(":")[0],
        "len=" + _bucket(words),
        "prop_len=" + proposal + "|" + _bucket(words),
        "head_pos=" + head.pos_ + "|" + token.dep_,
        "rate=" + _rate_bucket(rate),
        "rate_prop=" + _rate_bucket(rate) + "|" + proposal,
    ]
    for dep in sorted(deps & {"ccomp", "xcomp", "dobj", "neg", "auxpass", "nsubjpass", "aux"}):
        features.append("child=" + dep)
        features.append("lemma_child=" + lemma + "|" + dep)
    if any(
        c.dep_ == "aux" and c.lower_ in {"will", "would", "'ll", "could", "might"}
        for c in token.children
    ):
        features.append("modal")
    marks = {
        g.lower_
        for c in token.rights
        if c.dep_ in _COMPLEMENT_DEPS | _NOUN_COMPLEMENT_DEPS
        for g in c.children
        if g.dep_ == "mark"
    }
    for mark in sorted(marks):
        features.append("mark=" + mark)
    if token.i > 0:
        features.append("prev=" + token.doc[token.i - 1].lower_)
    # Where the predicate stands in its sentence: the dependency labels of its head and its
    # head's head ("" for the main verb, "ROOT" inside the main verb's clause, "relcl|dobj"
    # in a relative clause on an object); an embedded predicate is less often reported.
    features.append("anc=" + "|".join(a.dep_ for a in islice(token.ancestors, 2)))
    # Which prepositions the predicate takes: "painted Clinton as a liar" reports, "painted
    # slogans on the bridge" does not.
    for child in token.rights:
        if child.dep_ in {"prep", "agent"}:
            features.append("lemma_prepchild=" + lemma + "|" + child.lower_)
    return tuple(features)


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _content_features(
    token: Token, proposal: str, content: tuple[int, int], offset: int
) -> list[str]:
    """What the content itself is: a clause with a finite verb of its own ("that the plan
    would fail"), names only ("thanked Dan Cole and Eli Brand"), or an adverbial clause hung
    beside the predicate ("read, hanging from the fence"); its first word's part of speech;
    whether it runs to the end of the sentence."""
    span = token.doc.char_span(content[0] - offset, content[1] - offset, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    words = [t for t in span if not t.is_punct and not t.is_space] or list(span)
    verbs = [t for t in words if t.pos_ in {"VERB", "AUX"}]
    finite = any(t.tag_ in _FINITE_TAGS for t in verbs)
    kind = "finite" if finite else ("verb" if verbs else "noverb")
    out = [
        "ckind=" + proposal + "|" + kind,
        "cfirst=" + proposal + "|" + words[0].pos_,
        "cend=" + proposal + "|" + ("sent" if span.end >= span[-1].sent.end - 1 else "mid"),
    ]
    if all(t.pos_ == "PROPN" or t.lower_ in {"and", "or"} for t in words):
        out.append("cnames=" + proposal)
    # How the content hangs on the sentence: from the predicate (an object, a clause, an
    # adverbial clause), from another word, or as a sentence of its own.
    root = next((t for t in span if not span.start <= t.head.i < span.end or t.head is t), None)
    if root is not None:
        link = "pred" if root.head.i == token.i else "other"
        link = "self" if root.head is root else link
        out.append("croot=" + proposal + "|" + root.dep_ + "|" + link)
    return out


def candidates(
    doc: Doc,
    offset: int,
    lexicon: Mapping[str, float],
    taken: frozenset[int] = frozenset(),
    rule_cues: Mapping[int, str] | None = None,
    only: frozenset[int] | None = None,
) -> Iterator[Candidate]:
    """Every (predicate, content bounding) pair of a parsed paragraph whose predicate's lemma
    is in the learned cue lexicon; predicates at the character offsets `taken` (within the
    paragraph) are left out.

    `rule_cues` maps the paragraph offsets of the rules' own cues to what the rules made of
    them (their cue rule and the content sieve that decided, see `rule_cue_tags`): their
    candidates carry it as features, so the model learns when a cue the rules found but
    gave no quote ("asked whether ...", "vows to ...") is still an attribution. With `only`,
    the predicates at those offsets alone are read.

    Each bounding also knows its rivals for the same predicate (which other boundings exist,
    whether it is the shortest or longest of them), so the model ranks them against each other
    rather than judging each alone."""
    for token in doc:
        rate = lexicon.get(token.lemma_.lower())
        if rate is None or token.pos_ not in PREDICATE_POS:
            continue
        if token.idx in taken or (only is not None and token.idx not in only):
            continue
        tag = rule_cues.get(token.idx) if rule_cues is not None else None
        lemma = token.lemma_.lower()
        subject = source_of(token)
        found: list[tuple[str, tuple[int, int, int]]] = []
        seen: set[tuple[int, int]] = set()
        for proposal in PROPOSALS:
            bounds: tuple[int, int, int] | None = None
            if proposal == "rule":
                if token.pos_ == "VERB":
                    span = content_of_reporting_verb(token, offset)
                    if span is not None:
                        bounds = (span[0], span[1], _word_count(doc, span, offset))
            elif proposal == "comp":
                bounds = _complement(token, offset)
            elif proposal == "clause":
                bounds = _clause(token, offset)
            elif proposal == "prep":
                bounds = _preposition(token, offset)
            elif proposal == "rest":
                bounds = _rest(token, offset)
            elif proposal == "phrase":
                bounds = _phrase(token, offset)
            elif rate >= MIN_OBJECT_RATE:
                bounds = _object(token, offset)
            if bounds is None or bounds[:2] in seen:
                continue
            seen.add(bounds[:2])
            found.append((proposal, bounds))
        if not found:
            continue
        for name, bounds in list(found):
            cut = _without_tail(doc, bounds, offset)
            if cut is not None and cut[:2] not in seen:
                seen.add(cut[:2])
                found.append(("trim_" + name, cut))
        rivals = "+".join(p for p, _ in found)
        lengths = [b[1] - b[0] for _, b in found]
        for proposal, bounds in found:
            content = (bounds[0], bounds[1])
            size = content[1] - content[0]
            if len(found) == 1:
                rank = "only"
            elif size == min(lengths):
                rank = "shortest"
            elif size == max(lengths):
                rank = "longest"
            else:
                rank = "middle"
            inside = any(
                b[:2] != content and content[0] <= b[0] and b[1] <= content[1] for _, b in found
            )
            context = [
                "rivals=" + proposal + "|" + rivals,
                "rank=" + proposal + "|" + rank,
            ]
            if tag is not None:
                context += [
                    "rc=" + tag,
                    "rc_prop=" + tag + "|" + proposal,
                    "rc_lemma=" + lemma,
                ]
            if inside:
                context.append("holds_rival=" + proposal)
            if proposal == "prep":
                # Which preposition: "warned of a battle" reports, "warned on Tuesday" not.
                word = next(c.lower_ for c in token.rights if c.dep_ == "prep")
                context += ["prep_word=" + word, "lemma_prep=" + lemma + "|" + word]
            yield Candidate(
                token,
                offset,
                proposal,
                content,
                subject,
                _features(token, proposal, content, bounds[2], subject, offset, rate)
                + tuple(context)
                + tuple(_content_features(token, proposal, content, offset)),
                tag,
            )
