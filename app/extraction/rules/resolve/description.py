"""Resolve rules for descriptions of people: someone already named, or someone new."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from app.extraction.lexicon import COLLECTIVE_NOUNS, NEW_REFERENT_WORDS
from app.extraction.linking import Attribution, found
from app.extraction.rules import rule
from app.extraction.rules.resolve.context import Lookup
from app.extraction.speakers import DOCUMENT_NOUNS, ORG_NOUNS, PERSON_NOUNS, TITLE_WORDS
from app.extraction.types import SpeakerKind


@rule(
    "known_person_description",
    stage="resolve",
    confidence=0.85,
    example="Jane Doe, the mayor ... The mayor said ...",
)
def known_person_description(lookup: Lookup) -> Attribution | None:
    """A description that is a known person's alias."""
    entity = lookup.book.known_person(lookup.mention.text)
    if entity is None:
        return None
    return found(entity, lookup.mention, "known_person_description")


@rule(
    "headline_title",
    stage="resolve",
    confidence=0.7,
    example="Mayor defends snow removal\n\nMayor Ana Ruiz on Monday defended ...",
)
def headline_title(lookup: Lookup) -> Attribution | None:
    """A headline's bare title ("Mayor defends snow removal", "Premier vows ..."): headlines
    drop the article, so the title names the one person the story gives that title, when
    exactly one has it."""
    d, mention, builder = lookup.description, lookup.mention, lookup.builder
    endings = _TITLE_ENDINGS.get(d.words[-1], [d.words[-1:]])
    if d.definite or not (d.words[-1] in TITLE_WORDS or d.words[-1] in _TITLE_ENDINGS):
        return None
    if not 1 <= len(d.words) <= 2:
        return None
    if not mention.text[:1].isupper() or builder._paragraph_at(mention.start) != 0:
        return None
    # The title as a role the book holds, or written right before the person's name in the
    # story ("Acme chief executive Maria Lopez"): the body's roles may not be read yet.
    titled = _titled_people(
        lookup, endings, lambda role: any(role[-len(e) :] == e for e in endings)
    )
    if len(titled) != 1:
        return None
    return found(titled.pop(), mention, "headline_title")


@rule(
    "lead_title",
    stage="resolve",
    confidence=0.65,
    example="Winnipeg's police chief is defending ...\n\nChief Gene Bowers told the board ...",
)
def lead_title(lookup: Lookup) -> Attribution | None:
    """A story's lead that describes its speaker by title before naming anyone ("Winnipeg's
    police chief is defending the force's decision ..., saying ...", then "Chief Gene
    Bowers told ..."): the title names the one person the story gives it."""
    d, mention, builder = lookup.description, lookup.mention, lookup.builder
    if d.plural or d.kind == "organisation" or d.words[-1] not in TITLE_WORDS:
        return None
    paragraph = builder._paragraph_at(mention.start)
    if paragraph is None or paragraph > 1:
        return None
    book = lookup.book
    if any(
        m.position < mention.start and book.entities[m.entity].kind == "person"
        for m in book.mentions
    ):
        return None  # someone is named before: the description may be theirs
    title = _title_words(d.words)
    if not title:
        return None
    titled = _titled_people(lookup, [title[-1:]], lambda role: _same_title(title, role))
    if len(titled) != 1:
        return None
    return found(titled.pop(), mention, "lead_title")


def _titled_people(
    lookup: Lookup, written: list[list[str]], holds: Callable[[list[str]], bool]
) -> set[int]:
    """The named people whose role `holds` the title (a role's lower-case words), or whose
    name the story writes right after one of the `written` title words after the mention."""
    book, text, end = lookup.book, lookup.builder.text, lookup.mention.end
    after = [
        found_title.end()
        for words in written
        for found_title in re.finditer(
            r"\b" + r"\s+".join(map(re.escape, words)) + r"\.?\s+", text[end:], re.I
        )
    ]
    return {
        i
        for i, entity in enumerate(book.entities)
        if entity.kind == "person"
        and entity.named
        and (
            any(holds(role.lower().split()) for role in entity.roles)
            or any(text.startswith(alias, end + at) for at in after for alias in entity.aliases)
        )
    }


def _title_words(words: list[str]) -> list[str]:
    """A description's title without its article or possessor ("winnipeg's police chief" ->
    "police chief")."""
    out: list[str] = []
    for word in words:
        if word in {"a", "an", "the", "its", "their", "his", "her"} or word.endswith(
            ("'s", "\u2019s")
        ):
            out = []
        else:
            out.append(word)
    return out


def _same_title(title: list[str], role: list[str]) -> bool:
    """One title is the other's ending ("police chief" and "Chief"; "health minister" and
    "Health Minister"), so "health minister" is not "Finance Minister"; a judge is a
    justice ("An Ontario judge ..." and "Superior Court Justice Paul Schabas")."""
    n = min(len(title), len(role))
    if n > 0 and title[-1] in _SAME_OFFICE and role[-1] in _SAME_OFFICE[title[-1]]:
        return True  # the court or place before it may be written either way
    return n > 0 and title[-n:] == role[-n:]


_SAME_OFFICE = {"judge": {"judge", "justice"}}
"""A title word and the words a role may end with for the same office."""


# A headline's short title and the roles it stands for ("CEO" for "chief executive").
_TITLE_ENDINGS = {
    "ceo": [["ceo"], ["chief", "executive"], ["chief", "executive", "officer"]],
}


def refers_back(words: list[str], head: str) -> bool:
    """Whether a definite description reads as a second reference to someone already named.

    "the 26-year-old right wing", "the rookie defenceman", "the former sergeant-at-arms":
    modifiers or an age describe a known person; a bare "the father" may be anyone, and so
    may a noun a phrase after it ties to someone else ("the mother of one of the children"):
    only the words before a preposition count.
    """
    if head in ORG_NOUNS or head in DOCUMENT_NOUNS or head in COLLECTIVE_NOUNS:
        return False
    if any(w in NEW_REFERENT_WORDS for w in words):
        return False
    before = list(itertools.takewhile(lambda w: w not in _PREPOSITIONS, words))
    return len(before) >= 3 or any(w.endswith("-year-old") for w in before)


_PREPOSITIONS = frozenset({"of", "in", "at", "from", "with", "for", "on", "near", "outside"})


_WHICH = re.compile(r"\s*,?\s*which\b", re.IGNORECASE)


def _thing(lookup: Lookup) -> bool:
    """A description of something, not someone: its head is no person's noun and a "which"
    follows it ("the tying goal, which deflected off a skate")."""
    text, mention = lookup.builder.text, lookup.mention
    return lookup.description.kind != "person" and _WHICH.match(text, mention.end) is not None


@rule(
    "described_person",
    stage="resolve",
    confidence=0.6,
    example="Jane Doe, a rookie defenceman ... the rookie defenceman said ...",
)
def described_person(lookup: Lookup) -> Attribution | None:
    """'the minister', 'the rookie defenceman': someone the story already named; 'a justice
    official ... The justice official said': the same description."""
    d = lookup.description
    if not d.definite or d.plural or d.kind == "organisation" or d.head in DOCUMENT_NOUNS:
        return None
    book, mention = lookup.book, lookup.mention
    entity = book.group(mention.text)
    if entity is None:
        entity = book.described_person(mention.start, mention.text)
    addressed = lookup.builder._named_in(lookup.content)
    if entity is not None and entity in addressed:
        entity = None  # '"Ted, you are not being honest," the Florida senator said': not Ted
    if entity is None and refers_back(d.words, d.head) and not _thing(lookup):
        entity = lookup.builder._topic_person(mention.start, addressed)
    return found(entity, mention, "described_person") if entity is not None else None


@rule(
    "new_description",
    stage="resolve",
    confidence=0.75,
    also={"kind_unknown": 0.6},
    example="A security guard said the doors were locked.",
)
def new_description(lookup: Lookup) -> Attribution:
    """A description naming nobody known: a new, unnamed speaker (less sure when its head
    is neither a person's nor an organisation's noun)."""
    d = lookup.description
    book, mention = lookup.book, lookup.mention
    kind = d.kind
    if kind == "unknown" and any(w in PERSON_NOUNS for w in d.words[1:]):
        kind = "person"  # the parser took a trailing word for the head ("... present")
    speaker_kind: SpeakerKind = (
        "organisation" if kind == "organisation" else "person" if kind == "person" else "unknown"
    )
    group = book.add_group(mention.text, speaker_kind, named=False)
    if kind != "person":
        lookup.builder.groups.append((mention.start, group))
    elif not d.plural and d.words[0] in {"a", "an", "the", "one", "another"}:
        book.entities[group].single = True  # "a security guard", "one engineer ... she said"
    book.add_role(group, None)
    situation = "kind_unknown" if kind == "unknown" else None
    return found(group, mention, "new_description", situation)
