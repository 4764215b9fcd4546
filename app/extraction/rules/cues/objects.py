"""Cue rules on verbs whose object is the content: blame, call for, speak of, call X "Y"."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.attribution import (
    _QUOTE_EDGES,
    NAMING_VERBS,
    Cue,
    _closes_quotation,
    _span_chars,
    _subject,
    _subject_cue,
    _without_relative_report,
)
from app.extraction.rules import rule
from app.extraction.rules.cues.headline import _is_title_headline
from app.extraction.speakers import mention_for


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


@rule("object_verb", stage="cue", example="The senator blamed the delay on the council.")
def object_verb(verb: Token, offset: int, paragraph: int) -> Cue | None:
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


@rule("predicating", stage="cue", example="He called the decision 'a disgrace'.")
def predicating(verb: Token, offset: int, paragraph: int) -> Cue | None:
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
    if verb.lemma_.lower() in NAMING_VERBS and (
        _quoted(complement)
        or (complement.dep_ == "prep" and any(_quoted(c) for c in complement.children))
    ):
        return None  # 'called the tower "a white elephant"': the quoted label is the quote
    if not any(t.is_alpha for t in tokens if t.i < complement.left_edge.i):
        return None  # "called X" needs the X as well as what it is called
    content = _span_chars(tokens, offset)
    subject = _subject(verb)
    if content is None or subject is None:
        return None
    return _subject_cue(verb, verb, verb.text, "call", paragraph, subject, offset, content)


@rule("naming_verb", stage="cue", example="Residents called the tower 'a white elephant'.")
def naming_verb(verb: Token, offset: int, paragraph: int) -> Cue | None:
    """ "Called" ("called it 'a disgrace'") attributes only the quotations inside its
    complements (the other naming verbs cost on the training folds: see NAMING_VERBS)."""
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


@rule("call_for", stage="cue", example="The union called for an inquiry into the crash.")
def call_for(verb: Token, offset: int, paragraph: int) -> Cue | None:
    """'called for X': a demand whose object is the content."""
    return _call_for(verb, offset, paragraph)


@rule("speak_of", stage="cue", example="She spoke of a 'betrayal' by the board.")
def speak_of(verb: Token, offset: int, paragraph: int) -> Cue | None:
    """'spoke of/about X': X is the reported phrase."""
    return _call_for(verb, offset, paragraph, ("of", "about"))
