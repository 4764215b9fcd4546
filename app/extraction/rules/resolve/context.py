"""What the resolve rules read of one mention, computed once per mention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from app.extraction.lexicon import PHRASE_PREPOSITIONS, WHITE_PAPER
from app.extraction.linking import Attribution
from app.extraction.rules.resolve.antecedent import antecedent
from app.extraction.speakers import (
    DOCUMENT_NOUNS,
    ORG_NOUNS,
    PERSON_NOUNS,
    Mention,
    SpeakerBook,
    proper_name,
    strip_determiner,
)

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder


@dataclass(frozen=True, slots=True)
class Description:
    """A description used as a mention ("the union", "a spokeswoman for the mayor")."""

    head: str
    """The parser's head noun (the mention's label)."""
    kind: str
    """organisation, person or unknown, by the head noun."""
    words: list[str]
    definite: bool
    head_word: str
    """The last word before a prepositional phrase ("the former sergeant-at-arms of the
    House of Commons" is one person, not "Commons")."""
    plural: bool
    named_by: bool
    """A capitalised word after the first names its source ("the Globe report")."""
    document: bool
    issuer_noun: str | None
    """An organisation noun inside a document's phrase ("the parole board decision")."""


class Lookup:
    """One mention to resolve, the span it is said to say, and the article's builder."""

    def __init__(
        self, builder: ArticleBuilder, mention: Mention, content: tuple[int, int] | None
    ) -> None:
        self.builder = builder
        self.book: SpeakerBook = builder.book
        self.mention = mention
        self.content = content

    @cached_property
    def word(self) -> str:
        """A pronoun mention's word, lower case, possessives as their subject form."""
        word = self.mention.text.lower()
        return {"its": "it", "their": "they"}.get(word, word)

    @cached_property
    def antecedent(self) -> int | None:
        """The person a he/she stands for, as the speaker book ranks them."""
        builder, mention = self.builder, self.mention
        word = mention.text.lower()
        excluded = builder._named_in(self.content)
        return antecedent(
            self.book,
            mention.start,
            word,
            exclude=excluded,
            prefer=builder._sole_person_before(mention.start, word, excluded),
        )

    @cached_property
    def description(self) -> Description:
        mention = self.mention
        head = mention.label
        kind = (
            "organisation" if head in ORG_NOUNS else "person" if head in PERSON_NOUNS else "unknown"
        )
        words = mention.text.lower().split()
        head_word = next(
            (words[i - 1] for i, w in enumerate(words) if i and w in PHRASE_PREPOSITIONS),
            words[-1],
        )
        return Description(
            head=head,
            kind=kind,
            words=words,
            definite=words[0] in {"the", "his", "her", "their"} and len(words) > 1,
            head_word=head_word,
            plural=head_word != head and head_word.endswith("s") and "-" not in head_word,
            named_by=any(w[:1].isupper() for w in mention.text.split()[1:]),
            document=(
                head in DOCUMENT_NOUNS or words[-1] in DOCUMENT_NOUNS or words[-2:] == WHITE_PAPER
            ),
            issuer_noun=next((w for w in words[1:-1] if w in ORG_NOUNS - DOCUMENT_NOUNS), None),
        )

    def new_group(self, name: str) -> int:
        """An organisation named `name` that the mention stands for, seen speaking here."""
        group = self.book.add_group(name, "organisation", named=proper_name(strip_determiner(name)))
        self.builder.groups.append((self.mention.start, group))
        return group


Sieve = Callable[[Lookup], Attribution | None]
"""A resolve rule: the attribution it decides on, or None to leave the mention to the next."""
