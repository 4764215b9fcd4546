"""What the names sieves read and keep while one paragraph is scanned."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from app.extraction.speakers import SpeakerBook, _inside


class NameScan:
    """One paragraph's scan: the token at hand, and what earlier tokens left for later ones."""

    def __init__(self, book: SpeakerBook, offset: int, quoted: list[tuple[int, int]]) -> None:
        self.book = book
        self.offset = offset
        """Where the paragraph starts in the article."""
        self.quoted = quoted
        self.topic: int | None = None
        """The person last named as a subject outside quotes, for one sentence after."""
        self.topic_sentence = -1
        self.last: int | None = None
        """The person named last outside quotes, until a pronoun has been read."""
        self.token: Token
        self.sentence = 0
        self.entity: Span | None = None
        """The named entity that starts at the token, if any."""

    def at(self, token: Token, sentence: int, entity: Span | None) -> None:
        """Move to the next token (its sentence's number; the entity it starts)."""
        self.token = token
        self.sentence = sentence
        self.entity = entity
        if self.topic is not None and sentence - self.topic_sentence > 1:
            self.topic = None  # a subject is the topic for its sentence and the next

    def position(self, char: int) -> int:
        """An offset of the paragraph's Doc as an offset in the article."""
        return self.offset + char

    def quoted_at(self, position: int) -> bool:
        return _inside(position, self.quoted)

    def register(
        self,
        name: Span,
        role: str | None,
        *,
        subject: bool,
        background: bool = False,
        inside: bool = False,
        modifier: bool = False,
    ) -> int | None:
        """A person named by `name`, with `role`: registered in the book and, unless named
        inside quotation marks, the last named (and the topic, if a subject); a `modifier`
        ("stage-2 Hodgkin lymphoma", "the Trump administration") leaves the last named as it
        was. The entity, or None when the words are no name."""
        start = self.position(name.start_char)
        index = self.book.add_name(
            name.text, start, subject=subject, track=not inside, background=background
        )
        if index is not None:
            self.book.add_role(index, role, start)
            if not modifier:
                self.named(index, subject=subject, track=not inside)
        return index

    def named(self, index: int, *, subject: bool, track: bool = True) -> None:
        """A person named at the token: the last named, and the topic if a subject."""
        self.last = index if track else None
        if subject and track:
            self.topic, self.topic_sentence = index, self.sentence


NameSieve = Callable[[NameScan], bool]
"""A names rule: True when it decided on the token (later sieves skip it), False to pass."""
