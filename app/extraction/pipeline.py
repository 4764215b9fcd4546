"""Article text in, Extraction out: cleanup, parse, quotes, attribution, speakers, claims."""

from __future__ import annotations

import multiprocessing
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice, pairwise

from spacy.tokens import Doc, Token

from app.extraction.attribution import REPORTING_VERBS, Cue, cue_rule
from app.extraction.claims import find_claims
from app.extraction.classes import attribution_class
from app.extraction.cleanup import Layout, Paragraph, find_layout
from app.extraction.fragments import join_interrupted_quotes
from app.extraction.learned.model import (
    AttributionModel,
    admissible,
    admissible_span,
    learned_class,
    propose_cues,
    shipped_model,
)
from app.extraction.linking import INHERITED_CAP, Attribution, LinkedQuote, found
from app.extraction.nlp import get_nlp, parse_many
from app.extraction.quotes import (
    MarkedQuote,
    balanced,
    find_marked_quotes,
    trimmed,
    word_count,
)
from app.extraction.rules import checked_disabled, confidence
from app.extraction.rules.cues import find_cues
from app.extraction.rules.direct import direct_quote
from app.extraction.rules.layout import layout_quotes
from app.extraction.rules.report import first_person, participle_inherit
from app.extraction.rules.resolve import resolve_mention
from app.extraction.rules.speakers import revise_speakers
from app.extraction.speakers import (
    DOCUMENT_NOUNS,
    ORG_NOUNS,
    SPEAKER_PRONOUNS,
    Entity,
    Mention,
    PersonMention,
    SpeakerBook,
    collect_names,
    mend_entities,
    mention_for,
    named_subjects,
    noun_phrase,
    pronoun_gender,
    proper_name,
    strip_determiner,
)
from app.extraction.types import (
    AttributionClass,
    Extraction,
    QuoteSpan,
)

# Stored with every article (Article.extractorVersion): raise it whenever the output changes.
EXTRACTOR_VERSION = "quotegraph-extract/0.8"
_PARAGRAPHS_PER_ARTICLE = 8
_ARTICLES_PER_TASK = 4

_CUE_LEMMAS = frozenset(REPORTING_VERBS)
# Verbs reporting an order; their quoted complement is the order's own wording.
_DIRECTIVE_VERBS = {"order", "instruct", "command", "direct", "tell", "urge"}
_GAP_AFTER = re.compile(r"[\s,.!?;:\u2014\u2013\-]*")
_SENTENCE_BREAK = re.compile(r"[.!?]['\"\u201d\u2019]?\s+[A-Z\u201c\"]")
_LAYOUT_NAME = re.compile(r"([A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*){0,4})\s*:\s*$")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DASH_NAME = re.compile(
    r"\s*,?\s*(?:\u2014|\u2013|\u2015|--|-)\s*([A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*){0,4})"
)


@dataclass(slots=True)
class _Article:
    index: int
    text: str
    layout: Layout
    docs: list[Doc] = field(default_factory=list)


def extract(text: str, *, disabled: Iterable[str] = ()) -> Extraction:
    """Extract quotes, speakers and claims from one article.

    `disabled` names rules to switch off (ids in app.extraction.rules.RULES); an unknown id
    raises UnknownRule.
    """
    return next(extract_many([text], disabled=disabled))


def extract_many(
    texts: Iterable[str],
    *,
    n_process: int = 1,
    batch_size: int = 16,
    disabled: Iterable[str] = (),
) -> Iterator[Extraction]:
    """Extract many articles in order, on n_process cores, batch_size articles at a time.

    With n_process > 1, worker processes each take batches of whole articles and run
    nlp.pipe and the extraction on them, so only finished Extractions cross process
    boundaries: spaCy's own n_process would ship every parsed Doc back to this process and
    leave the rest of the extraction on one core.
    """
    off = checked_disabled(disabled)
    if n_process > 1:
        yield from _extract_parallel(texts, n_process, max(1, batch_size), off)
    else:
        yield from _extract_serial(texts, max(1, batch_size), off)


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


def _extract_chunk(
    texts: list[str], batch_size: int, disabled: frozenset[str] = frozenset()
) -> list[Extraction]:
    return list(_extract_serial(texts, batch_size, disabled))


def _extract_parallel(
    texts: Iterable[str], n_process: int, batch_size: int, disabled: frozenset[str]
) -> Iterator[Extraction]:
    get_nlp()  # load before forking, so the workers share the model instead of loading it
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    iterator = iter(texts)
    window: deque[Future[list[Extraction]]] = deque()
    # Small chunks keep both workers busy to the end of a short input; each worker still
    # parses a chunk's paragraphs in one nlp.pipe call.
    chunk_size = min(batch_size, _ARTICLES_PER_TASK)
    with ProcessPoolExecutor(max_workers=n_process, mp_context=context) as pool:
        while True:
            chunk = [t if isinstance(t, str) else str(t) for t in islice(iterator, chunk_size)]
            if chunk:
                window.append(pool.submit(_extract_chunk, chunk, batch_size, disabled))
            # Keep a few tasks per worker in flight; results come back in order.
            while window and (len(window) > 4 * n_process or not chunk):
                yield from window.popleft().result()
            if not chunk:
                return


def _extract_serial(
    texts: Iterable[str], batch_size: int, disabled: frozenset[str] = frozenset()
) -> Iterator[Extraction]:
    pending: deque[_Article] = deque()

    def paragraphs() -> Iterator[tuple[str, tuple[int, int]]]:
        for index, raw in enumerate(texts):
            text = raw if isinstance(raw, str) else str(raw)
            layout = find_layout(text)
            pending.append(_Article(index, text, layout))
            for number, para in enumerate(layout.paragraphs):
                # spaCy cannot encode lone surrogates; one replacement character each keeps
                # every offset valid, and all output text is sliced from the original.
                yield _SURROGATE.sub("\ufffd", text[para.start : para.end]), (index, number)

    # Paragraphs are parsed as separate docs so a sentence never spans a paragraph break;
    # each article is finished as soon as the first paragraph of a later one comes back.
    # batch_size counts articles; spaCy batches paragraphs, and small batches of short docs
    # parse at half the speed, so the batch holds about as many words as the articles would.
    paragraph_batch = batch_size * _PARAGRAPHS_PER_ARTICLE
    parsed = parse_many(paragraphs(), batch_size=paragraph_batch)
    for doc, (index, _number) in parsed:
        while pending and pending[0].index < index:
            yield _build(pending.popleft(), disabled)
        pending[0].docs.append(doc)
    while pending:
        yield _build(pending.popleft(), disabled)


def _build(article: _Article, disabled: frozenset[str]) -> Extraction:
    return build_extraction(article.text, article.layout, article.docs, disabled=disabled)


def build_extraction(
    text: str,
    layout: Layout,
    docs: Sequence[Doc],
    *,
    attribution_model: AttributionModel | None = None,
    disabled: Iterable[str] = (),
) -> Extraction:
    """The Extraction of one article from its layout and its parsed paragraphs, in order.

    `attribution_model` replaces the shipped learned model (cross-validation passes each
    fold's own; a model with an unreachable threshold gives the rules alone). `disabled`
    names rules to switch off.
    """
    off = disabled if isinstance(disabled, frozenset) else checked_disabled(disabled)
    if not layout.paragraphs:
        return Extraction(
            text=text,
            dateline=layout.dateline,
            byline=layout.byline,
            body_start=layout.body_start,
            body_end=layout.body_end,
            extractor_version=EXTRACTOR_VERSION,
        )
    for doc in docs:
        mend_entities(doc)
    model = attribution_model if attribution_model is not None else shipped_model()
    builder = ArticleBuilder(text, layout.paragraphs, list(docs), model, off)
    quotes = builder.run()
    used = [q.attribution.entity for q in quotes if q.attribution.entity is not None]
    refs, mapping = builder.book.refs(used)
    spans: list[QuoteSpan] = []
    for q in quotes:
        att = q.attribution
        speaker = mapping.get(att.entity) if att.entity is not None else None
        role = None
        if att.mention is not None and att.mention.role:
            role = att.mention.role
        elif speaker is not None:
            role = refs[speaker].role
        mention_span = (att.mention.start, att.mention.end) if att.mention else None
        if att.cue is not None and att.cue.relative is not None and mention_span is not None:
            mention_span = att.cue.relative  # "Kamin, who emphasized that ...": rests on "who"
        start, end = balanced(text, q.start, q.end)
        spans.append(
            QuoteSpan(
                text=text[start:end],
                start=start,
                end=end,
                kind=q.kind,
                speaker=speaker,
                speaker_start=mention_span[0] if mention_span else None,
                speaker_end=mention_span[1] if mention_span else None,
                cue=att.cue.text if att.cue else None,
                cue_start=att.cue.start if att.cue else None,
                cue_end=att.cue.end if att.cue else None,
                role=role,
                confidence=round(att.confidence, 3),
                attribution_class=_class_of(att),
                rule=q.rule,
                speaker_rule=att.rule if speaker is not None else None,
            )
        )
    claims = find_claims(text, layout.paragraphs, docs, spans)
    extraction = Extraction(
        text=text,
        speakers=tuple(refs),
        quotes=tuple(spans),
        claims=tuple(claims),
        dateline=layout.dateline,
        byline=layout.byline,
        body_start=layout.body_start,
        body_end=layout.body_end,
        extractor_version=EXTRACTOR_VERSION,
    )
    return join_interrupted_quotes(extraction)


def _class_of(attribution: Attribution) -> AttributionClass:
    cue, mention = attribution.cue, attribution.mention
    if cue is None:
        return "speech"
    head = mention.text.split()[-1] if mention is not None and mention.text.split() else None
    if cue.score is not None:
        return learned_class(cue.lemma, head)
    return attribution_class(cue.lemma, head)


class ArticleBuilder:
    """Links quotation spans and reporting verbs of one article into attributed quotes."""

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
                entity = self.book.add_name(mention.text, mention.start, subject=True)
                continue
            if entity is not None:
                self.book.mentions.append(PersonMention(mention.start, entity, True))
        self.book.mentions.sort(key=lambda m: m.position)

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
        for index, entity in enumerate(self.book.entities):
            full_name = entity.kind == "person" and entity.named and len(entity.tokens) >= 2
            if full_name and entity.tokens[-1] in words:
                named.add(index)
        return frozenset(named)

    def _in_quote(self, position: int) -> bool:
        return any(s <= position < e for s, e in self.quoted)

    # --- speakers -----------------------------------------------------------------------
    def resolve(
        self, mention: Mention | None, content: tuple[int, int] | None = None
    ) -> Attribution:
        """The speaker a cue's mention stands for; `content` is the span it is said to say."""
        return resolve_mention(self, mention, content, self.disabled)

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

    def _topic_person(self, position: int) -> int | None:
        """The named person the sentences just before a position are about.

        Subjects of the same paragraph come first, newest first, then those of the
        paragraph before; the first proper-name subject decides, and it must be a person.
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
                if entity is not None:
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

    def _paragraph_at(self, position: int) -> int | None:
        return next((i for i, p in enumerate(self.paragraphs) if p.start <= position < p.end), None)

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

    def _source(self, cue: Cue) -> Attribution:
        """An unresolved attribution resting on a cue (resolved later, in text order)."""
        return Attribution(None, cue.speaker, cue, 0.0)  # 0.0: no cap on what resolve gives

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
        revise_speakers(self, quotes, self.disabled)

    # --- linking --------------------------------------------------------------------
    def run(self) -> list[LinkedQuote]:
        out: list[LinkedQuote] = []
        assigned: dict[int, Cue] = {}
        consumed: set[int] = set()
        cues = sorted(self.cues, key=lambda c: c.start)
        # 1. Reported clauses: indirect, mixed, or the frame of a direct quote.
        for cue in cues:
            if cue.content is None:
                continue
            source = self._source(cue)
            inherit: LinkedQuote | None = None
            if cue.speaker is None:
                inherit = participle_inherit(cue, out) if self.on("participle_inherit") else None
                if inherit is None:
                    continue
                source = Attribution(None, None, cue, confidence("participle_inherit"))
            else:
                if self.on("first_person") and first_person(cue):
                    continue
            # Each side of a split clause counts, however short ("Residents, according to
            # the report, are afraid"); a whole clause needs a few words to be a report.
            min_words = 1 if cue.content_after is not None else 3
            for content in (cue.content, cue.content_after):
                if content is not None:
                    self._report(cue, content, source, inherit, out, assigned, consumed, min_words)
        out.extend(layout_quotes(self, consumed, self.disabled))
        # 2. Quotation marks not inside a reported clause.
        for i, q in enumerate(self.marked):
            if i in consumed:
                continue
            before = [o for o in out if o.start < q.open_at]
            previous = max(before, key=lambda o: o.start) if before else None
            quote = direct_quote(self, q, assigned.get(i), previous, self.disabled)
            if quote is not None:
                out.append(quote)
        out = sorted(self._dedupe(out), key=lambda q: (q.start, q.end))
        self._resolve_all(out)
        # 3. The learned model's attributions, only where the rules found nothing, resolved
        # after the rules' own so they cannot change them.
        learned = self._learned_reports(out)
        self._resolve_all(learned)
        return sorted(out + learned, key=lambda q: (q.start, q.end))

    def _learned_reports(self, rules: list[LinkedQuote]) -> list[LinkedQuote]:
        """The learned cues' reports that touch no quote, cue or quoted words of the rules."""
        taken = [(q.start, q.end) for q in rules] + [(c.start, c.end) for c in self.cues]
        taken += self.quoted
        reports: list[LinkedQuote] = []
        for cue in sorted(self.learned, key=lambda c: c.start):
            if cue.content is None or not admissible(cue, taken):
                continue
            if cue.speaker is not None and cue.speaker.text.lower() in {"i", "we", "you"}:
                continue
            # No source of its own ("X is expected to ..."): unattributed.
            source = Attribution(None, cue.speaker, cue, 0.0 if cue.speaker else cue.score or 0.0)
            self._report(cue, cue.content, source, None, reports, {}, set())
        reports = [q for q in self._dedupe(reports) if admissible_span(q.start, q.end, taken)]
        self._register_speaker_names([q.attribution.cue for q in reports if q.attribution.cue])
        return sorted(reports, key=lambda q: (q.start, q.end))

    def _report(
        self,
        cue: Cue,
        content: tuple[int, int],
        source: Attribution,
        inherit: LinkedQuote | None,
        out: list[LinkedQuote],
        assigned: dict[int, Cue],
        consumed: set[int],
        min_words: int = 3,
    ) -> None:
        """One reported clause: indirect, mixed, or the frame of direct quotes inside it."""
        cs, ce = content
        inherit_rule = "participle_inherit" if inherit is not None else None
        inner = [
            i
            for i, q in enumerate(self.marked)
            if q.paragraph == cue.paragraph and q.start < ce and q.end > cs
        ]
        if not inner:
            if word_count(self.text[cs:ce]) >= min_words:
                out.append(
                    LinkedQuote(
                        cs,
                        ce,
                        "indirect",
                        source,
                        cue.paragraph,
                        inherit=inherit,
                        rule=inherit_rule or cue_rule(cue),
                    )
                )
            return
        ts, te = trimmed(self.text, cs, ce)
        covered = 0
        for i in inner:
            qs, qe = trimmed(self.text, self.marked[i].start, self.marked[i].end)
            covered += max(0, min(qe, te) - max(qs, ts))
        quotation = covered >= 0.7 * max(1, te - ts) and not self._joined_fragments(
            inner, cue, ts, te
        )
        if quotation or all(self._fragment_is_direct(i, ts) for i in inner):
            # The clause is the quotation itself, or the quoted words stand on their own.
            for i in inner:
                assigned.setdefault(i, cue)
            return
        # A quoted fragment inside reported speech: the whole clause is a mixed quote.
        last = self.marked[inner[-1]]
        start = min(cs, self.marked[inner[0]].open_at)
        end = max(ce, last.outer_end if last.close_at is not None else last.end)
        start, end = trimmed(self.text, start, end)
        rule_id = inherit_rule or cue_rule(cue)
        out.append(
            LinkedQuote(start, end, "mixed", source, cue.paragraph, inherit=inherit, rule=rule_id)
        )
        consumed.update(inner)

    def _joined_fragments(self, inner: list[int], cue: Cue, start: int, end: int) -> bool:
        """Several quoted fragments that the reporter's own words join into one clause.

        'said the deal was "a mistake" but "nobody would admit it"': however much of the
        clause is quoted, the words between the fragments are the reporter's, and the report
        is the whole clause, a mixed quote. Fragments either side of the cue itself
        ('"A," he said, "B"') are one quotation interrupted, not joined.
        """
        if len(inner) < 2:
            return False
        pieces = [trimmed(self.text, self.marked[i].start, self.marked[i].end) for i in inner]
        pieces = [(max(s, start), min(e, end)) for s, e in pieces]
        gaps = [self.text[a[1] : b[0]] for a, b in pairwise(pieces) if not a[1] <= cue.start < b[0]]
        return any(word_count(gap) >= 1 for gap in gaps)

    def _fragment_is_direct(self, index: int, clause_start: int) -> bool:
        """Whether a quoted fragment inside a reported clause stands as a quote of its own.

        Two cases: the fragment opens the clause as its subject ('that "total victory" was
        near'), so the reporter's words merely complete the speaker's phrase; or it is the
        verbatim content of an order the clause reports ('ordered troops to "prepare to
        operate"'), a quotation of that embedded speech act. Otherwise the reporter's clause
        and the speaker's words form one mixed quote.
        """
        q = self.marked[index]
        qs, qe = trimmed(self.text, q.start, q.end)
        para = self.paragraphs[q.paragraph]
        doc = self.docs[q.paragraph]
        span = doc.char_span(qs - para.start, qe - para.start, alignment_mode="expand")
        if qs - clause_start <= 1:
            # A noun phrase opening the clause is the speaker's phrase; a quoted clause
            # ('that "race still matters" in hiring') is part of a longer mixed report.
            if span is None:
                return True
            if any(t.pos_ in {"VERB", "AUX"} for t in span):
                return False
            # Not when the quoted words are only the first of conjoined phrases: 'said "tax
            # reforms" and better collection would pay for it' is a mixed quote.
            return not any(c.dep_ == "conj" and c.i >= span.end for c in span.root.children)
        if span is None or not len(span):
            return False
        root = span.root
        head = root.head
        # An order's wording is an infinitive or a bare imperative ("told them to "go home""),
        # not a clause with a subject of its own ("told the crowd he was "troubled"").
        return (
            root.dep_ in {"xcomp", "ccomp"}
            and head.lemma_.lower() in _DIRECTIVE_VERBS
            and any(c.dep_ == "dobj" for c in head.children)
            and not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in root.children)
        )

    def _sentence_pronoun(self, q: MarkedQuote) -> Mention | None:
        """The he/she the sentence holding a quotation is about, when it comes before it.

        'She rhymed off a list of allies for "speaking against these detentions."': with no
        cue, the words quoted in a sentence about someone are that person's.
        """
        return self._pronoun_subject_before(q.paragraph, q.open_at, main_clause=True)

    def _colon_subject(self, q: MarkedQuote) -> Mention | None:
        """The person whose clause a colon closes right before a quotation.

        'when Jo Wu again took to Twitter with this: "..."': the clause introduces the
        words, and its subject says them, even in a subordinate clause.
        """
        para = self.paragraphs[q.paragraph]
        doc = self.docs[q.paragraph]
        at = q.open_at - para.start
        colon = next((t for t in reversed(doc) if t.idx < at and not t.is_space), None)
        if colon is None or colon.text != ":" or at - (colon.idx + 1) > 2:
            return None
        if colon.i == 0:
            return None
        verb = doc[colon.i - 1]  # the clause the colon closes, not the one it hangs on
        while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
            verb = verb.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.i > colon.i:
            return None
        person = subject.ent_type_ == "PERSON" or subject.lower_ in {"he", "she"}
        if not person and subject.pos_ == "PROPN":
            person = self.book.known_person(subject.text) is not None
        return mention_for(subject, para.start) if person else None

    def _headline(self, number: int) -> bool:
        """The article's first paragraph when short enough to be its headline."""
        para = self.paragraphs[number]
        return number == 0 and word_count(self.text[para.start : para.end]) <= 20

    def _subheading(self, q: MarkedQuote) -> bool:
        """A paragraph that is nothing but a phrase in single marks, with no full stop.

        News sites set quoted phrases as section headings ("'Just listen to us'"); with no
        cue they neither go on from the last speaker nor stand as quotes of their own.
        """
        para = self.paragraphs[q.paragraph]
        whole = self.text[para.start : para.end].strip()
        inner = self.text[q.start : q.end].strip()
        # "'Community of friends' grows in shelter": a heading may go on after the marks.
        return (
            q.close_at is not None
            and q.open_at == para.start
            and word_count(whole) <= 10
            and not inner.endswith((".", "?", "!", ",", "\u2026"))
            and not whole.endswith((".", "?", "!", ":", "\u2026"))
        )

    def _paragraph_topic(self, q: MarkedQuote) -> Attribution | None:
        """A person who is the subject of a sentence earlier in the quote's own paragraph.

        'Durning did not need much coaxing. "I'm thankful ..."': with no cue, a quotation
        after a sentence about a named person is that person's.
        """
        para = self.paragraphs[q.paragraph]
        subjects = [
            m
            for m in self.book.mentions
            if m.subject and para.start <= m.position < q.open_at and not self._in_quote(m.position)
        ]
        if not subjects:
            return None
        entity = subjects[-1].entity
        if self.book.entities[entity].kind != "person":
            return None
        return found(entity, self._name_at(subjects[-1].position, entity), "paragraph_topic")

    def _name_at(self, position: int, entity: int) -> Mention | None:
        """The mention of a known entity's name that starts at a position, if one does."""
        # A full name or its last words ("DuVernay" for "Ava DuVernay"), longest first.
        names = {
            " ".join(words[i:])
            for words in (a.split() for a in self.book.entities[entity].aliases)
            for i in range(len(words))
        }
        text = next(
            (
                n
                for n in sorted(names, key=len, reverse=True)
                if self.text.startswith(n, position)
                and not self.text[position + len(n) : position + len(n) + 1].isalnum()
            ),
            None,
        )
        if text is None:
            return None
        return Mention(position, position + len(text), text, "name", "PERSON")

    def _is_nickname(self, q: MarkedQuote, words: int) -> bool:
        """A short quotation inside a name ('Riefian "Ifan" Fajarsyah') is a nickname."""
        if words > 2 or q.close_at is None:
            return False
        before = self.text[max(0, q.open_at - 30) : q.open_at].split()
        after = self.text[q.outer_end : q.outer_end + 30].split()
        return bool(
            before
            and after
            and before[-1][:1].isupper()
            and after[0][:1].isupper()
            and before[-1][-1:].isalpha()
        )

    def _naming_cue(self, q: MarkedQuote) -> Cue | None:
        """A naming verb whose object holds the quotation ("called it 'a disgrace'")."""
        for cue in self.cues:
            if cue.naming is None or cue.paragraph != q.paragraph:
                continue
            if cue.naming[0] <= q.open_at and q.outer_end <= cue.naming[1] + 1:
                return cue
        return None

    def _cue_after(self, q: MarkedQuote) -> Cue | None:
        if q.close_at is None:
            return None
        para_end = self.paragraphs[q.paragraph].end
        for cue in self.cues:
            if cue.paragraph != q.paragraph or cue.start < q.outer_end or cue.needs_clause:
                continue
            if cue.naming is not None:
                continue
            begin = min(cue.clause_start, cue.start)
            if cue.speaker is not None:
                begin = min(begin, cue.speaker.start)
            gap = self.text[q.outer_end : begin]
            if len(gap) <= 40 and _GAP_AFTER.fullmatch(gap) and "\n" not in gap:
                if self._reports_anew(q, cue):
                    return None  # '"... Strength." He told the crowd that ...': a new report
                return cue
            if cue.start > q.outer_end + 60 or cue.start > para_end:
                break
        return None

    def _reports_anew(self, q: MarkedQuote, cue: Cue) -> bool:
        """A cue after a quotation that ends its sentence, opening a report of its own."""
        ended = self.text[q.start : q.end].rstrip().endswith((".", "!", "?"))
        return ended and cue.content is not None and cue.content[0] > cue.start

    def _cue_before(self, q: MarkedQuote) -> Cue | None:
        best: Cue | None = None
        for cue in self.cues:
            if cue.paragraph != q.paragraph or cue.end > q.open_at or cue.needs_clause:
                continue
            if cue.naming is not None:
                continue
            gap = self.text[cue.end : q.open_at]
            if (
                len(gap) <= 70
                and not any(m in gap for m in '"\u201c\u201d')
                and not _SENTENCE_BREAK.search(gap)
                and (gap.rstrip().endswith((",", ":")) or gap.strip() in {"", "that"})
            ):
                best = cue
        if best is None and q.open_at == self.paragraphs[q.paragraph].start and q.paragraph > 0:
            # "He said:" closing the previous paragraph introduces this one.
            prev = self.paragraphs[q.paragraph - 1]
            if self.text[prev.start : prev.end].rstrip().endswith(":"):
                for cue in self.cues:
                    if cue.paragraph == q.paragraph - 1 and prev.end - cue.end <= 40:
                        best = cue
        return best

    def _layout_speaker(self, q: MarkedQuote) -> Attribution | None:
        para = self.paragraphs[q.paragraph]
        before = self.text[para.start : q.open_at]
        match = _LAYOUT_NAME.fullmatch(before) if before else None
        if match is None:
            after = self.text[q.outer_end : para.end]
            match = _DASH_NAME.match(after) if q.close_at is not None else None
            base = q.outer_end
        else:
            base = para.start
        if match is None:
            return None
        name = match.group(1).strip()
        # A known person, or at least a first-and-last name ("Jane Doe: ...").
        if self.book.lookup(name) is None and len(name.split()) < 2:
            return None
        start = base + match.start(1)
        mention = Mention(start, start + len(name), name, "name", "PERSON")
        return Attribution(None, mention, None, confidence("layout_speaker"))

    def _continues(self, q: MarkedQuote, previous: LinkedQuote) -> bool:
        att = previous.attribution
        # An unattributed quote passes on no speaker; one given to the paragraph's topic does.
        unattributed = att.cue is None and att.mention is None and att.entity is None
        if unattributed and previous.inherit is None:
            return False
        para = self.paragraphs[q.paragraph]
        if q.continued:
            return True
        if previous.paragraph == q.paragraph:
            # '"A," she said. "B."': the only cue between the two is the first quote's own.
            own = previous.attribution.cue
            between = [
                c
                for c in self.cues
                if c.start >= previous.end and c.end <= q.open_at and c is not own
            ]
            return (
                not between
                and q.open_at - previous.end < 200
                and self._new_subject_between(previous, q.open_at) is None
            )
        if q.open_at != para.start:
            return False
        if previous.paragraph == q.paragraph - 1:
            return True
        # One paragraph of narrative without a cue may separate a speaker and their quote.
        return previous.paragraph == q.paragraph - 2 and not any(
            c.paragraph == q.paragraph - 1 for c in self.cues
        )

    def _new_subject_between(self, previous: LinkedQuote, position: int) -> tuple[str, int] | None:
        """A named person became a sentence's subject after the previous quote.

        '"A," says Smith. Jones did not hesitate. "B."': B is no longer Smith's.
        """
        own = previous.attribution.cue
        skip = (own.clause_start, own.end) if own is not None else (0, 0)
        if own is not None and own.speaker is not None:
            skip = (min(skip[0], own.speaker.start), max(skip[1], own.speaker.end))
        offset = self.paragraphs[previous.paragraph].start
        for name in named_subjects(self.docs[previous.paragraph], offset, position):
            start = offset + name.start_char
            if start < previous.end or skip[0] <= start < skip[1] or self._in_quote(start):
                continue
            if name.label_ == "PERSON" or self.book.known_person(name.text) is not None:
                return name.text, start
        return None

    @staticmethod
    def _dedupe(quotes: list[LinkedQuote]) -> list[LinkedQuote]:
        """Drop exact duplicates and spans swallowed by a longer quote of the same speaker."""
        quotes = sorted(quotes, key=lambda q: (q.start, -(q.end - q.start)))
        kept: list[LinkedQuote] = []
        for q in quotes:
            if any(
                k.start <= q.start and q.end <= k.end and k.kind != "direct" and q.kind != "direct"
                for k in kept
            ):
                continue
            kept.append(q)
        return kept
