"""Stage "cues": the builder's state, and the cues of every paragraph found once.

The article's names are collected, its quotation marks found, and the cue rules
(app/extraction/rules/cues) and the learned model propose the cues every later stage links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc

from app.extraction.attribution import Cue
from app.extraction.cleanup import Paragraph
from app.extraction.learned.model import (
    AttributionModel,
    propose_cues,
)
from app.extraction.quotes import (
    find_marked_quotes,
)
from app.extraction.rules.cues import find_cues
from app.extraction.rules.names import collect_names
from app.extraction.rules.resolve.name import lone_body_name
from app.extraction.speakers import (
    Mention,
    PersonMention,
    SpeakerBook,
)


class CueStage:
    """The article, its paragraphs and parses, its speaker book, quotation marks and cues."""

    def __init__(
        self,
        text: str,
        paragraphs: tuple[Paragraph, ...],
        docs: list[Doc],
        model: AttributionModel,
        disabled: frozenset[str] = frozenset(),
    ) -> None:
        self.text = text
        self.disabled = disabled
        self.paragraphs = paragraphs
        self.docs = docs
        self.model = model
        self.book = SpeakerBook()
        self.marked = find_marked_quotes(text, paragraphs)
        self.quoted = [(q.open_at, q.outer_end) for q in self.marked]
        self.cues: list[Cue] = []
        self.learned: list[Cue] = []
        """The learned model's cues, kept apart: they only add where the rules found nothing."""
        for number, (para, doc) in enumerate(zip(paragraphs, docs, strict=False)):
            collect_names(self.book, doc, para.start, self.quoted)
            rule_cues = find_cues(doc, para.start, number, disabled)
            self.cues.extend(c for c in rule_cues if not self._in_quote(c.start))
            # The learned model adds the predicates the rules do not list (beliefs, evidence,
            # rarer speech verbs), each with its own content span.
            learned = propose_cues(doc, para.start, number, rule_cues, model)
            self.learned.extend(c for c in learned if not self._in_quote(c.start))
        self.cues = [self._speaker_outside_quotes(c) for c in self.cues]
        self.learned = [self._speaker_outside_quotes(c) for c in self.learned]
        self.groups: list[tuple[int, int]] = []
        """(position, entity) of organisations seen as speakers, for "it"/"they"."""
        self._register_speaker_names()

    def on(self, rule_id: str) -> bool:
        """Whether a rule is switched on (extract(..., disabled=...) switches rules off)."""
        return rule_id not in self.disabled

    def _in_quote(self, position: int) -> bool:
        return any(s <= position < e for s, e in self.quoted)

    def _paragraph_at(self, position: int) -> int | None:
        return next((i for i, p in enumerate(self.paragraphs) if p.start <= position < p.end), None)

    def _speaker_outside_quotes(self, cue: Cue) -> Cue:
        """A cue whose parsed subject sits inside quotation marks, given the real one.

        'Jane Doe, who lost "two belt loops," says ...': the parser may take quoted words for
        the subject; the person named just before them is the speaker.
        """
        mention = cue.speaker
        if mention is None or not self._in_quote(mention.start):
            return cue
        para_start = self.paragraphs[cue.paragraph].start
        for named in reversed(self.book.mentions):
            if named.position >= mention.start or self._in_quote(named.position):
                continue
            if named.position < para_start or mention.start - named.position > 150:
                break
            entity = self.book.entities[named.entity]
            text = next(
                (a for a in entity.aliases if self.text.startswith(a, named.position)), None
            )
            if text is not None:
                end = named.position + len(text)
                return replace(cue, speaker=Mention(named.position, end, text, "name", "PERSON"))
        return replace(cue, speaker=self._pronoun_subject_before(cue.paragraph, mention.start))

    def _pronoun_subject_before(
        self, paragraph: int, position: int, main_clause: bool = False
    ) -> Mention | None:
        """The he/she subject (of the main clause, if asked) of the sentence a position lies
        in, when it comes before the position.

        'He keeps his riffs ("fear is a vector") but ...': the quoted words are not the
        speaker; the person the sentence is about is.
        """
        para = self.paragraphs[paragraph]
        doc = self.docs[paragraph]
        at = position - para.start
        token = next((t for t in doc if t.idx >= at), None)
        if token is None:
            return None
        for t in token.sent:
            if t.idx >= at:
                break
            if t.lower_ in {"he", "she"} and t.dep_ == "nsubj":
                if main_clause and t.head.dep_ != "ROOT":
                    continue
                begin = para.start + t.idx
                if not self._in_quote(begin):
                    return Mention(begin, begin + len(t.text), t.text, "pronoun")
        return None

    def _register_speaker_names(self, cues: Sequence[Cue] | None = None) -> None:
        """Names NER missed or mislabelled, as subjects of cues, become pronoun antecedents."""
        known = {m.position for m in self.book.mentions}
        for cue in self.cues if cues is None else cues:
            mention = cue.speaker
            if mention is None or mention.kind != "name" or mention.start in known:
                continue
            if self._in_quote(mention.start):
                continue
            named = mention.label in {"PERSON", "PROPN"}
            entity = self.book.lookup(mention.text, mention.start) if named else None
            if entity is None:
                entity = self.book.known_person(mention.text)
            if entity is None and mention.label in {"PERSON", "PROPN"}:
                if self.on("lone_word_body") and lone_body_name(self.text, self.book, mention):
                    continue  # "Pfizer said it had ...": a body (resolve rule lone_word_body)
                entity = self.book.add_name(mention.text, mention.start, subject=True)
                continue
            if entity is not None:
                self.book.mentions.append(PersonMention(mention.start, entity, True))
        self.book.mentions.sort(key=lambda m: m.position)
