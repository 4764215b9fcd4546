"""Direct rules with no cue that read the story around the quotation: who it is about,
and whether the quotation goes on from the last one."""

from __future__ import annotations

from app.extraction.linking import Attribution, found
from app.extraction.rules import confidence, rule
from app.extraction.rules.direct.candidate import Candidate, Decision
from app.extraction.speakers import Mention


@rule(
    "new_subject",
    stage="direct",
    confidence=0.5,
    example='"A," says Smith. Jones did not hesitate. "B."',
)
def new_subject(c: Candidate) -> Decision:
    """A person who became a sentence's subject since the last quote of the paragraph says
    the next."""
    if c.previous is None or not c.same_paragraph or c.words < 3:
        return None
    book = c.builder.book
    named = c.builder._new_subject_between(c.previous, c.q.open_at)
    if named is None:
        return None
    entity = book.lookup(*named)
    if entity is None:
        entity = book.add_name(*named, subject=True)
    if entity is None:
        return None
    name, at = named
    mention = Mention(at, at + len(name), name, "name", "PERSON")
    return c.made(found(entity, mention, "new_subject"), "new_subject")


@rule(
    "continuation",
    stage="direct",
    confidence=0.6,
    example='"We will rebuild," she said. "It will take a year."',
)
def continuation(c: Candidate) -> Decision:
    """A quotation going on from the last one in its paragraph keeps its speaker; a short
    one too when it is a whole sentence ('"A," she said. "Nobody listened."')."""
    previous = c.previous
    if previous is None or not c.same_paragraph or c.words < (2 if _sentence(c) else 3):
        return None
    if not c.builder._continues(c.q, previous):
        return None
    unresolved = Attribution(None, None, None, confidence("continuation"))
    return c.made(unresolved, "continuation", inherit=previous)


def _sentence(c: Candidate) -> bool:
    """Whether the quoted words are a whole sentence: a capital first, a full stop, a
    question or an exclamation mark last ("Nobody listened.")."""
    words = c.text[c.q.start : c.q.end].strip(" \t\n\"'\u201c\u201d\u2018\u2019")
    return len(words) > 1 and words[0].isupper() and words[-1] in ".!?"


@rule(
    "paragraph_topic",
    stage="direct",
    confidence=0.5,
    example='Durning did not need much coaxing. "I am thankful for it."',
)
def paragraph_topic(c: Candidate) -> Decision:
    """With no cue, a person who is the subject of a sentence earlier in the paragraph says
    it."""
    if c.words < 3:
        return None
    topic = c.builder._paragraph_topic(c.q)
    return c.made(topic, "paragraph_topic") if topic is not None else None


@rule(
    "previous_paragraph_topic",
    stage="direct",
    confidence=0.5,
    example='Asked about the loss, Irving shrugged.\n\n"It is one game."',
)
def previous_paragraph_topic(c: Candidate) -> Decision:
    """With no cue, a quotation that is a paragraph of its own after a paragraph quoting
    nobody is said by the person that paragraph's last main clause was about."""
    if c.words < 2:
        return None
    topic = c.builder._previous_paragraph_topic(c.q)
    return c.made(topic, "previous_paragraph_topic") if topic is not None else None


@rule(
    "colon_subject",
    stage="direct",
    example='Jo Wu again took to Twitter with this: "We won."',
)
def colon_subject(c: Candidate) -> Decision:
    """The subject of the clause a colon closes right before the marks says it, even in a
    subordinate clause."""
    if c.words < 3:
        return None
    colon = c.builder._colon_subject(c.q)
    return c.made(c.builder.resolve(colon), "colon_subject") if colon is not None else None


@rule(
    "continuation_later",
    stage="direct",
    confidence=0.6,
    example='She said the bridge would close.\n\n"It will take a year."',
)
def continuation_later(c: Candidate) -> Decision:
    """A quotation opening a later paragraph goes on from the last speaker."""
    previous = c.previous
    if previous is None or c.words < 3 or not c.builder._continues(c.q, previous):
        return None
    unresolved = Attribution(None, None, None, confidence("continuation_later"))
    return c.made(unresolved, "continuation_later", inherit=previous)
