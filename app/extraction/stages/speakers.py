"""Stage "speakers": who each quote's mention stands for, resolved in reading order.

The resolve sieves (app/extraction/rules/resolve) decide; the lookups they ask for (the
person a sentence names, the organisation quoted last, the issuer of a document) live here,
and the speaker rules (app/extraction/rules/speakers) revise the result once all quotes
are known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from spacy.tokens import Token

from app.extraction.attribution import REPORTING_VERBS
from app.extraction.linking import INHERITED_CAP, Attribution, LinkedQuote
from app.extraction.rules.resolve import resolve_mention
from app.extraction.rules.speakers import revise_speakers
from app.extraction.speakers import (
    DOCUMENT_NOUNS,
    ORG_NOUNS,
    SPEAKER_PRONOUNS,
    Entity,
    Mention,
    mention_for,
    named_subjects,
    noun_phrase,
    pronoun_gender,
    proper_name,
    strip_determiner,
)
from app.extraction.stages.cues import CueStage

if TYPE_CHECKING:
    from app.extraction.pipeline import ArticleBuilder

_CUE_LEMMAS = frozenset(REPORTING_VERBS)

# The organisation a role names: "principal researcher at Dixon Hall".
_AFFILIATION = re.compile(
    r"\b(?:at|with|of) ((?:the )?[A-Z][\w&'\u2019.-]*(?: [A-Z][\w&'\u2019.-]*)*)"
)

_NAME_JOINERS = {"and", "of", "for", "the", "on", "de", "&"}

_CAPITALISED_RUN = re.compile(
    r"[A-Z][\w'\u2019\-]*(?:\s+(?:(?:and|of|for|the|on|de|&)\s+)*[A-Z][\w'\u2019\-]*)+"
)


def _coordinated_subject(token: Token) -> bool:
    """A noun the parser joined to the object before it that is the subject of the next verb.

    "The plan remains the concern and several executives have warned about it": "and"
    joins two clauses, but the parser may join "executives" to "concern" and leave
    "have warned" without a subject.
    """
    if token.dep_ != "conj" or token.pos_ not in {"NOUN", "PROPN"} or token.i + 1 >= len(token.doc):
        return False
    after = token.doc[token.i + 1]
    verb = after.head if after.dep_ in {"aux", "auxpass"} else after
    return (
        verb.pos_ == "VERB"
        and verb.i > token.i
        and verb.dep_ == "conj"
        and not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children)
    )


def _stated_author(document: Token) -> Token | None:
    """The author an article gives a document it mentions, if any."""
    holder = document.head
    if (
        document.dep_ == "pobj"
        and holder.lower_ in {"in", "on"}
        and holder.head.pos_ == "VERB"
        and holder.head.lemma_.lower() in REPORTING_VERBS
    ):
        subject = next((c for c in holder.head.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.pos_ in {"PROPN", "NOUN"}:
            return subject  # "Jane Doe stated in the company's blog post that ..."
    # "a report by the railway company", "a report released by it", "the report was
    # published by the agency".
    phrases = [c for c in document.children if c.dep_ == "prep" and c.lower_ in {"by", "from"}]
    for verb in [c for c in document.children if c.dep_ == "acl"] + (
        [holder] if document.dep_ == "nsubjpass" else []
    ):
        phrases.extend(c for c in verb.children if c.dep_ == "agent")
    for phrase in phrases:
        author = next((c for c in phrase.children if c.dep_ == "pobj"), None)
        if author is not None and author.pos_ in {"PROPN", "NOUN"}:
            return author
    return None


_VOCATIVE_FIRST = re.compile(r"^([A-Z][a-z]+),\s")
_VOCATIVE_LAST = re.compile(r",\s([A-Z][a-z]+)[.!?]?$")
"""A given name addressed at the start or the end of quoted words ("Ted, you are ...")."""


class SpeakerStage(CueStage):
    """Speaker resolution and the lookups the resolve sieves ask for."""

    def _whole(self) -> ArticleBuilder:
        """The builder the rules see: every stage's lookups (this is always an ArticleBuilder)."""
        return cast("ArticleBuilder", self)

    def _sole_person_before(
        self, position: int, pronoun: str, excluded: frozenset[int]
    ) -> int | None:
        """The one person the sentence before a he/she names, when it names just one.

        'Results were good for accountant Ben Ode, 50. "It helped," he says': a person
        introduced in the sentence just before takes over from the last speaker. Not when a
        matching pronoun comes before the name there ("He thanked Ode"): that sentence is
        still about someone else.
        """
        number = self._paragraph_at(position)
        if number is None or number >= len(self.docs):
            return None
        offset = self.paragraphs[number].start
        doc = self.docs[number]
        token = next((t for t in doc if offset + t.idx >= position), None)
        if token is None:
            return None
        sentence = token.sent
        if sentence.start > 0:
            previous = doc[sentence.start - 1].sent
        elif number > 0 and number - 1 < len(self.docs) and len(self.docs[number - 1]):
            offset = self.paragraphs[number - 1].start
            previous = self.docs[number - 1][-1].sent
        else:
            return None
        start, end = offset + previous.start_char, offset + previous.end_char
        wanted = pronoun_gender(pronoun)
        named_at = [(m.position, m.entity) for m in self.book.mentions if start <= m.position < end]
        # NER misses some repeated surnames ("he helped Ode see that"): a known person's
        # last name as a capitalised word counts too.
        for index, record in enumerate(self.book.entities):
            if record.kind == "person" and record.named and record.tokens:
                surname = re.escape(record.tokens[-1])
                for match in re.finditer(rf"\b{surname}\b", self.text[start:end]):
                    named_at.append((start + match.start(), index))
        found: set[int] = set()
        first = end
        # A subordinate clause's subject ("Although Lee has said ...") is not who the
        # sentence is about.
        in_sentence = [m for m in self.book.mentions if start <= m.position < end]
        aside = {m.entity for m in in_sentence if m.background} - {
            m.entity for m in in_sentence if not m.background
        }
        for position, entity in named_at:
            if self._in_quote(position) or entity in aside:
                continue
            record = self.book.entities[entity]
            if record.kind != "person":
                return None  # an organisation or group may be the topic
            if wanted and record.gender and record.gender != wanted:
                continue
            found.add(entity)
            first = min(first, position)
        if len(found) != 1 or found & excluded:
            return None
        entity = found.pop()
        if not self.book.entities[entity].individual:
            return None
        for t in previous:
            if offset + t.idx >= first:
                break
            if t.lower_ in SPEAKER_PRONOUNS and pronoun_gender(t.lower_) in {wanted, None}:
                return None
        return entity

    @staticmethod
    def _reported_span(quote: LinkedQuote) -> tuple[int, int]:
        """The words a quote's cue reports: the whole clause, both sides of a split one."""
        cue = quote.attribution.cue
        spans = [(quote.start, quote.end)]
        if cue is not None:
            spans += [c for c in (cue.content, cue.content_after) if c is not None]
        return min(s for s, _ in spans), max(e for _, e in spans)

    def _named_in(self, span: tuple[int, int] | None) -> frozenset[int]:
        """The people named inside a span (a speaker is not one named in their own report)."""
        if span is None:
            return frozenset()
        start, end = span
        named = {m.entity for m in self.book.mentions if start <= m.position < end}
        # NER may miss a surname in the clause: a known person's last name as a word counts.
        words = set(re.findall(r"[\w'\-]+", self.text[start:end]))
        # "Ted, you are not being honest": a given name addressed at either end is the one
        # spoken to.
        inside = self.text[start:end].strip(" \"'\u201c\u201d\u2018\u2019")
        vocative = _VOCATIVE_FIRST.match(inside) or _VOCATIVE_LAST.search(inside)
        for index, entity in enumerate(self.book.entities):
            full_name = entity.kind == "person" and entity.named and len(entity.tokens) >= 2
            if full_name and entity.tokens[-1] in words:
                named.add(index)
            if full_name and vocative is not None and entity.tokens[0] == vocative.group(1):
                named.add(index)
        return frozenset(named)

    def resolve(
        self, mention: Mention | None, content: tuple[int, int] | None = None
    ) -> Attribution:
        """The speaker a cue's mention stands for; `content` is the span it is said to say."""
        return resolve_mention(self._whole(), mention, content, self.disabled)

    def _spoken_before(self, position: int, window: int) -> Iterator[tuple[int, Entity]]:
        """The entities quoted before `position`, newest first, back to `window` characters."""
        for spoken_at, entity in reversed(self.book.spoken):
            if spoken_at >= position:
                continue
            if position - spoken_at > window:
                return
            yield entity, self.book.entities[entity]

    def _organisation_quoted_last(self, position: int, head: str, window: int = 1500) -> int | None:
        """The named organisation quoted last before a description of one ("the department").

        Not one whose name says it is another kind of body ("the company" is not the
        "Teachers' Union" just quoted).
        """
        for entity, record in self._spoken_before(position, window):
            if record.kind != "organisation":
                continue
            words = strip_determiner(record.name).split()
            if not words or not all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 3):
                continue  # a description ("the federal department"), not a name
            kinds = {w.lower() for w in words} & ORG_NOUNS
            if kinds and head not in kinds:
                continue
            return entity
        return None

    def _topic_person(self, position: int, exclude: frozenset[int] = frozenset()) -> int | None:
        """The named person the sentences just before a position are about.

        Subjects of the same paragraph come first, newest first, then those of the
        paragraph before; the first proper-name subject decides, and it must be a person;
        one in `exclude` (addressed in the quote itself) is passed over.
        """
        number = self._paragraph_at(position)
        if number is None:
            return None
        for index in (number, number - 1):
            if index < 0 or index >= len(self.docs):
                continue
            offset = self.paragraphs[index].start
            subjects = named_subjects(self.docs[index], offset, position, _CUE_LEMMAS)
            for name in subjects:
                start = offset + name.start_char
                if self._in_quote(start):
                    continue
                entity = self.book.lookup(name.text, start)
                if entity is None and name.label_ in {"PERSON", ""}:
                    entity = self.book.add_name(name.text, start, subject=True)
                if entity is not None and entity not in exclude:
                    return entity
        return None

    def _document_antecedent_author(
        self, position: int, head: str, window: int = 3000
    ) -> Mention | None:
        """Who wrote the document a definite description ("the post") refers back to.

        Earlier nouns with the same head are the document, back to where it was introduced;
        its author is the one who stated in it ("X said in the company's blog post") or the
        one it is by ("a report by X"). None when the article never said.
        """
        number = self._paragraph_at(position)
        if number is None:
            return None
        for index in range(number, -1, -1):
            para = self.paragraphs[index]
            if position - para.end > window:
                return None
            doc = self.docs[index]
            for token in reversed(doc):
                at = para.start + token.idx
                if at >= position or token.pos_ != "NOUN" or token.lower_ != head:
                    continue
                if self._in_quote(at):
                    continue
                author = _stated_author(token)
                if author is not None:
                    return mention_for(author, para.start)
                before = doc[token.i - 1].lower_ if token.i > 0 else ""
                if before not in {"the", "this"} and not any(
                    c.lower_ in {"the", "this"} for c in token.children
                ):
                    return None  # "a post", "his post": a document of its own, authorless
        return None

    def _noun_modifiers(self, mention: Mention) -> list[str]:
        """The common nouns compounded to a description's head ("railway" in "the railway
        company"), lower-cased."""
        number = self._paragraph_at(mention.start)
        if number is None or number >= len(self.docs):
            return []
        offset = self.paragraphs[number].start
        return [
            t.lower_
            for t in self.docs[number]
            if mention.start <= offset + t.idx < mention.end
            and t.dep_ == "compound"
            and t.pos_ == "NOUN"
            and t.is_alpha
        ]

    def _plural_subject(self, position: int) -> tuple[str, str] | None:
        """The plural subject a "they" at a position refers back to, with its head lemma.

        "The Conservatives believe the tax will hurt them; they say ...": the last plural
        noun subject (or pair of names) in the pronoun's sentence or the one before, in the
        same paragraph; when the pronoun's sentence opens its paragraph ('"...," they
        said'), the last sentence of the paragraph before.
        """
        number = next(
            (i for i, p in enumerate(self.paragraphs) if p.start <= position < p.end), None
        )
        if number is None or number >= len(self.docs):
            return None
        doc = self.docs[number]
        offset = self.paragraphs[number].start
        pronoun = next((t for t in doc if offset + t.idx == position), None)
        if pronoun is None:
            return None
        sentence = pronoun.sent
        first = sentence.start
        if first > 0:
            first = doc[first - 1].sent.start
        cue = pronoun.head
        reported = {t.i for t in cue.subtree if t.i != cue.i}
        if cue.dep_ in {"parataxis", "advcl"}:
            reported.add(cue.head.i)  # "Almost all revenues, they promise, will ..."
        # A clause closed by a semicolon before the pronoun is not what they say, however
        # the parser hangs it ("The Tories believe it will work; they say ...").
        semicolon = max((t.i for t in doc[sentence.start : pronoun.i] if t.text == ";"), default=-1)
        for token in reversed(doc[first : pronoun.i]):
            if token.head.i in reported and token.i > semicolon:
                continue  # a subject inside what they said is not who said it
            found = self._plural_noun(token, offset)
            if found is not None:
                return found
        if sentence.start == 0 and 0 < number <= len(self.docs) and len(self.docs[number - 1]):
            before = self.docs[number - 1]
            offset = self.paragraphs[number - 1].start
            for token in reversed(list(before[-1].sent)):
                found = self._plural_noun(token, offset)
                if found is not None:
                    return found
        return None

    def _plural_noun(self, token: Token, offset: int) -> tuple[str, str] | None:
        """A plural subject outside quotation marks ("the owners", "Kim Lee and Al Roy")."""
        subject = token.dep_ in {"nsubj", "nsubjpass"} or _coordinated_subject(token)
        if not subject or self._in_quote(offset + token.idx):
            return None
        pair = token.pos_ == "PROPN" and any(
            c.dep_ == "conj" and c.pos_ == "PROPN" for c in token.children
        )
        if token.tag_ not in {"NNS", "NNPS"} and not pair:
            return None
        doc = token.doc
        if pair:
            last = max(c.right_edge.i for c in token.children if c.dep_ == "conj")
            return doc[noun_phrase(token).start : last + 1].text, "people"
        names = next((c for c in token.rights if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if names is not None:
            # "the owners, Kim Lee and Al Roy": the names are who they are.
            return doc[names.left_edge.i : names.right_edge.i + 1].text, token.lemma_.lower()
        return noun_phrase(token).text, token.lemma_.lower()

    def _affiliation_quoted_last(self, position: int, window: int = 1500) -> int | None:
        """The organisation quoted last, or named in the role of the person quoted last
        ("principal researcher at Dixon Hall")."""
        for entity, record in self._spoken_before(position, window):
            if record.kind == "organisation" and record.name[:1].isupper():
                return entity
            if record.kind != "person":
                continue
            for role in reversed(record.roles):
                named = _AFFILIATION.search(role)
                if named is not None:
                    group = self.book.add_group(
                        named.group(1), "organisation", named=proper_name(named.group(1))
                    )
                    self.groups.append((position, group))
                    return group
            return None
        return None

    def _document_issuer(self, position: int, window: int = 1500) -> int | None:
        """The named organisation quoted last before a document without an author."""
        for entity, record in self._spoken_before(position, window):
            if record.kind == "person":
                return None  # a person's words came last: the document may be anyone's
            words = strip_determiner(record.name).split()
            if (
                record.kind == "organisation"
                and words
                and words[0][:1].isupper()
                and all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 3)
                and words[-1].lower() not in DOCUMENT_NOUNS
            ):
                return entity
        return None

    def _acronym_definition(self, acronym: str, position: int) -> str | None:
        """The name an acronym was introduced with: "Full Name of Agency (FNA)"."""
        if not (2 <= len(acronym) <= 8 and acronym.isalpha() and acronym.isupper()):
            return None
        definitions = list(re.finditer(r"\(" + re.escape(acronym) + r"\)", self.text[:position]))
        if not definitions:
            return self._spelled_out(acronym, position)
        match = definitions[-1]
        words = self.text[max(0, match.start() - 120) : match.start()].split()
        name: list[str] = []
        initials = acronym
        # Walk back over the capitalised words (and small joiners) the acronym abbreviates.
        while words and initials:
            raw = words.pop()
            word = raw.strip(",")
            if word[:1].isupper():
                if word[0] != initials[-1]:
                    break
                initials = initials[:-1]
            elif word.lower() not in {"and", "of", "for", "the", "on", "de", "&"}:
                break
            name.insert(0, raw)
        return " ".join(name).strip(" ,") if not initials and name else None

    def _spelled_out(self, acronym: str, position: int) -> str | None:
        """The name an acronym abbreviates, spelled out earlier without brackets.

        "... according to the Society of Motor Manufacturers and Traders. ... the SMMT said":
        the last run of capitalised words (with small joiners) whose initials are the acronym.
        """
        if len(acronym) < 3:
            return None
        found: str | None = None
        for run in _CAPITALISED_RUN.finditer(self.text, 0, position):
            words = run.group(0).split()
            for first in range(len(words)):
                if words[first][0] != acronym[0] or words[first].lower() in _NAME_JOINERS:
                    continue
                initials = ""
                for last in range(first, len(words)):
                    if words[last].lower() in _NAME_JOINERS:
                        continue
                    initials += words[last][0]
                    if initials == acronym:
                        found = " ".join(words[first : last + 1])
                    if not acronym.startswith(initials):
                        break
        return found

    def _resolve_all(self, quotes: list[LinkedQuote]) -> None:
        """Resolve speakers in reading order, so pronouns see the speakers quoted before them."""
        for quote in quotes:
            pending = quote.attribution
            if quote.inherit is not None:
                prev = quote.inherit.attribution
                # The continuation rests on the mention that attributed the quote it goes on.
                quote.attribution = Attribution(
                    prev.entity,
                    prev.mention,
                    None,
                    min(prev.confidence, INHERITED_CAP),
                    quote.rule if prev.entity is not None else None,
                )
            elif pending.cue is None and (pending.mention is None or pending.entity is not None):
                if pending.entity is None:
                    continue  # unattributed on purpose
                # Already resolved (the paragraph's subject): the mention only locates it.
                self.book.spoke(pending.entity, quote.start)
                continue
            else:
                resolved = self.resolve(pending.mention, self._reported_span(quote))
                resolved.cue = pending.cue
                if pending.confidence:
                    resolved.confidence = min(resolved.confidence, pending.confidence)
                quote.attribution = resolved
            entity = quote.attribution.entity
            mention = quote.attribution.mention if quote.inherit is None else None
            if entity is not None and mention is not None and mention.kind == "pronoun":
                gender = pronoun_gender(mention.text)
                if gender and self.book.entities[entity].gender is None:
                    self.book.vote_gender(entity, gender)
            if entity is not None:
                at = mention.start if mention else quote.start
                if quote.inherit is not None:
                    aside = quote.inherit.aside
                else:
                    aside = mention is not None and self.book.background_at(mention.start, entity)
                quote.aside = aside
                self.book.spoke(entity, at, aside)
        revise_speakers(self._whole(), quotes, self.disabled)
