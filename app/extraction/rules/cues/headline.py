"""Cue rule "headline": a title-case headline's speaker and claim, which the parse cannot read."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from app.extraction.attribution import Cue, _span_chars
from app.extraction.lexicon import HEADLINE_KICKER_WORDS, HEADLINE_SOURCE_LABELS
from app.extraction.rules import rule
from app.extraction.speakers import DOCUMENT_NOUNS, PERSON_NOUNS, TITLE_WORDS, Mention

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
    whole = bool(names) and (names[0].start, names[0].end) == (span.start, span.end)
    if names and (names[0].label_ == "PERSON" or len(span) > longest or whole):
        ent = names[0]
        if ent.label_ not in HEADLINE_SOURCE_LABELS:
            return None
        return Mention(offset + ent.start_char, offset + ent.end_char, ent.text, "name", ent.label_)
    if len(span) > longest:
        return None
    label = span[-1].lower_
    return Mention(offset + span.start_char, offset + span.end_char, span.text, "nominal", label)


def _label_words(doc: Doc, end: int) -> list[Token]:
    """The words of a headline's label before its colon, when one to three; else none."""
    words = [t for t in doc if t.idx < end]
    return words if len(words) <= 3 else []


def _source_label(doc: Doc, end: int) -> bool:
    """Whether a headline's label before a colon names a source: a person or a poll
    ("Poll:"), people by what they are ("Insiders:", "Historians:"), or a body or person's
    camp by name ("AP:", "Clinton camp:", "WSJ editorial:")."""
    words = _label_words(doc, end)
    if not words or not words[0].text[:1].isupper():
        return False
    last = words[-1].lower_
    if len(words) == 1 and (
        words[0].lemma_.lower() in DOCUMENT_NOUNS
        or (last.endswith("s") and words[0].lemma_.lower() in PERSON_NOUNS)
    ):
        return True
    if all(t.ent_type_ == "PERSON" for t in words):
        return True
    named = [t for t in words if t.ent_type_ in {"PERSON", "ORG", "NORP"}]
    return bool(named) and all(
        t.ent_type_ in {"PERSON", "ORG", "NORP"} or t.lower_ in _CAMP_NOUNS for t in words
    )


def _addressed_label(doc: Doc, end: int, title: bool = False) -> tuple[int, int] | None:
    """The speaker of a label that says whom the words are for or what about: "Obama To
    Graduates:", "Gillibrand on the transcripts:"; the characters of the name or title before
    "to" or "on" (one to four capitalised words: a name, or ending in a title), else None.
    In a sentence-case line, capitalised proper nouns are a name whatever NER made of them;
    in a title-case one every word is capitalised, so only NER's names count."""
    words = [t for t in doc if t.idx < end]
    at = next((t.i for t in words if t.lower_ in _ADDRESS_WORDS), None)
    if at is None or not 1 <= at <= 4:
        return None
    name = words[:at]
    if not all(t.text[:1].isupper() for t in name):
        return None
    named = all(t.ent_type_ in {"PERSON", "ORG", "NORP"} for t in name) or (
        not title and all(t.tag_ in {"NNP", "NNPS"} for t in name)
    )
    if not named and name[-1].lower_.rstrip(".") not in TITLE_WORDS:
        return None
    return name[0].idx, name[-1].idx + len(name[-1].text)


_ADDRESS_WORDS = frozenset({"to", "on"})


def _addressed_mention(doc: Doc, chars: tuple[int, int], offset: int) -> Mention | None:
    """The mention of an addressing label's speaker (see _addressed_label): a name as NER
    tagged its words (the entity may run on over "To Graduates" in title case), else the
    title as a description."""
    words = [t for t in doc if chars[0] <= t.idx < chars[1]]
    label = words[0].ent_type_
    if label and all(t.ent_type_ == label for t in words):
        text = doc.text[chars[0] : chars[1]]
        return Mention(offset + chars[0], offset + chars[1], text, "name", label)
    return _phrase_mention(doc, chars[0], chars[1], offset, longest=4)


def _kicker(doc: Doc, end: int) -> bool:
    """Whether a headline's label before a colon is a kicker naming no one ("Breaking:",
    "Just Leaked:", "Watch:"): all its words are kicker words (HEADLINE_KICKER_WORDS)."""
    words = [t for t in doc if t.idx < end and not t.is_punct]
    return bool(words) and all(t.lower_ in HEADLINE_KICKER_WORDS for t in words)


# What a named source's label may add to its name ("Clinton camp:", "WSJ editorial:").
_CAMP_NOUNS = frozenset({"camp", "campaign", "editorial", "aide", "aides", "allies", "team"})


_OPENING = {'"': '"', "\u201c": "\u201d", "'": "'", "\u2018": "\u2019"}


def _quoted_after(text: str, start: int) -> tuple[int, int] | None:
    """The words in quotation marks that open `text` at `start`, as (start, end) of the words
    inside the marks; None when no quotation opens there."""
    mark = text[start : start + 1]
    close = _OPENING.get(mark)
    if close is None:
        return None
    at = start + 1
    while True:
        at = text.find(close, at)
        if at < 0:
            return None
        after = text[at + 1 : at + 2]
        if close not in {"'", "\u2019"} or not after.isalpha():
            break  # a single mark followed by a letter is an apostrophe ("don't")
        at += 1
    return (start + 1, at) if at - start > 2 else None


def _speaker_label(doc: Doc, end: int) -> bool:
    """Whether a headline's label before a colon names who speaks: one to three capitalised
    words, a person's name or ending in a title ("Premier", "Health Minister")."""
    words = _label_words(doc, end)
    if not words or not all(t.text[:1].isupper() for t in words):
        return False
    last = words[-1].lower_.rstrip(".")
    return all(t.ent_type_ == "PERSON" for t in words) or last in TITLE_WORDS


@rule("headline", stage="cue", example="Mayor Slams Council Over Budget Delay")
def headline_cue(doc: Doc, offset: int, paragraph: int) -> Cue | None:
    """The attribution of a title-case headline the parse cannot read.

    "Mayor Slams Council Over Budget Delay", "Bridge Will Close, Engineer Says", "Senator
    On Taxes: Cuts Will Pay For Themselves": the speaker before the verb (or after the
    comma, or before the colon), the rest of the line the claim.
    """
    title = _is_title_headline(doc)
    text = doc.text.rstrip()
    label = _HEADLINE_LABEL.match(text)
    # "Premier: 'We will not back down' on carbon tax fight": a speaker's label, then their
    # words in quotation marks; the rest of the line is the writer's.
    said = _quoted_after(text, label.end()) if label is not None else None
    addressed = _addressed_label(doc, label.end(1), title) if label is not None else None
    if (
        said is not None
        and label is not None
        and not _speaker_label(doc, label.end(1))
        and addressed is None
    ):
        said = None
    sourced = (
        label is not None
        and not title
        and len(doc) <= 20
        and (_source_label(doc, label.end(1)) or addressed is not None)
    )
    # A line after a kicker ("Breaking: Senator Slams Council") is read from after the
    # colon; the kicker names no one.
    after = 0
    if label is not None and said is None and _kicker(doc, label.end(1)):
        after = label.end()
        label = None
    if (
        not title
        and said is None
        and not sourced
        and not (len(doc) <= 16 and text.endswith((".", ";")))
    ):
        return None
    tail = _HEADLINE_TAIL.search(text) if title else None
    if label is not None and not title and said is None and not sourced:
        label = None  # a sentence-case line: only a source's label ("Poll: ...") counts
    if tail is not None:
        speaker = _phrase_mention(doc, tail.start(1), tail.end(1), offset)
        content = (0, tail.start())
        verb = (tail.start(2), tail.end(2))
    elif label is not None:
        # "Poll: ...", but not a kicker ("Stealth Over Health: ...").
        speaker = (
            _addressed_mention(doc, addressed, offset)
            if addressed is not None
            else _phrase_mention(doc, label.start(1), label.end(1), offset, longest=2)
        )
        content = said if said is not None else (label.end(), len(text))
        verb = (label.end(1), label.end(1) + 1)
    else:
        # A title-case parse is unreliable; a sentence-case line must open with its cue verb.
        cue = next(
            (
                t
                for t in doc
                if t.i > 0
                and t.idx > after
                and (_headline_verb(t, title) or (not title and t.pos_ in _VERBAL))
            ),
            None,
        )
        if cue is None or not _headline_verb(cue, title):
            return None
        comma = text.rfind(", ", 0, cue.idx)
        begin = max(comma + 2 if comma >= 0 else 0, after)
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
