"""Stage "direct quotes": the lookups the direct-quote rules (app/extraction/rules/direct)
ask for a quotation mark not inside a reported clause: the cue before or after it, the
speaker a layout or a paragraph gives it, whether it continues the previous quote.
"""

from __future__ import annotations

import re

from app.extraction.attribution import Cue
from app.extraction.linking import Attribution, LinkedQuote, found
from app.extraction.quotes import (
    MarkedQuote,
    word_count,
)
from app.extraction.rules import confidence
from app.extraction.rules.direct import direct_quote
from app.extraction.speakers import (
    Mention,
    mention_for,
    named_subjects,
)
from app.extraction.stages.reports import ReportStage

_GAP_AFTER = re.compile(r"[\s,.!?;:\u2014\u2013\-]*")

_SENTENCE_BREAK = re.compile(r"[.!?]['\"\u201d\u2019]?\s+[A-Z\u201c\"]")

_LAYOUT_NAME = re.compile(r"([A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*){0,4})\s*:\s*$")

_DASH = r"(?:\u2014|\u2013|\u2015|--|-)"
_DASH_NAME = re.compile(
    r"\s*,?\s*" + _DASH + r"\s*([A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*){0,4})"
)

# A paragraph of its own after a quotation that fills its paragraph: "- Bernie Sanders."
# (fact checks and quote boxes print the quote, then the speaker on the next line).
_DASH_LINE = re.compile(
    r"\s*" + _DASH + r"\s*([A-Z][\w'\u2019\-]*(?:\.?\s+[A-Z][\w'\u2019\-]*){0,4})"
    r"\.?\s*(?:,[^\n]{0,120})?\s*$"
)


class DirectStage(ReportStage):
    """The lookups of the direct-quote rules."""

    def direct_quotes(
        self, out: list[LinkedQuote], assigned: dict[int, Cue], consumed: set[int]
    ) -> None:
        """Adds to `out` the quotes of the quotation marks not inside a reported clause, each
        linked in view of the quotes before it."""
        for i, q in enumerate(self.marked):
            if i in consumed:
                continue
            before = [o for o in out if o.start < q.open_at]
            previous = max(before, key=lambda o: o.start) if before else None
            quote = direct_quote(self._whole(), q, assigned.get(i), previous, self.disabled)
            if quote is not None:
                out.append(quote)

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

    def _previous_paragraph_topic(self, q: MarkedQuote) -> Attribution | None:
        """The person the paragraph before a quotation's own is about, when the quotation is
        its paragraph and that paragraph quotes nobody.

        'Asked about the loss, Irving shrugged. / "It's one game."': the narrator hands over
        to the person the last paragraph's main clause was about.
        """
        if q.paragraph == 0 or q.close_at is None:
            return None
        para = self.paragraphs[q.paragraph]
        if self.text[para.start : q.open_at].strip() or self.text[q.outer_end : para.end].strip():
            return None  # the quotation is not the whole paragraph
        before = self.paragraphs[q.paragraph - 1]
        if any(before.start <= s < before.end for s, _ in self.quoted):
            return None  # a paragraph that quotes someone: continuation rules decide
        subjects = [
            m
            for m in self.book.mentions
            if before.start <= m.position < before.end and m.subject and not m.background
        ]
        if not subjects:
            return None
        last = subjects[-1]
        if self.book.entities[last.entity].kind != "person":
            return None
        if any(m.position > last.position for m in self.book.mentions if m.position < para.start):
            return None  # someone named after the subject: no clear topic
        mention = self._name_at(last.position, last.entity)
        return found(last.entity, mention, "previous_paragraph_topic")

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
            match, base = self._dash_line_after(q)
        if match is None:
            return None
        name = match.group(1).strip()
        # A known person, or at least a first-and-last name ("Jane Doe: ...").
        if self.book.lookup(name) is None and len(name.split()) < 2:
            return None
        start = base + match.start(1)
        mention = Mention(start, start + len(name), name, "name", "PERSON")
        return Attribution(None, mention, None, confidence("layout_speaker"))

    def _dash_line_after(self, q: MarkedQuote) -> tuple[re.Match[str] | None, int]:
        """The "- Name." paragraph right after a quotation that fills its own paragraph."""
        para = self.paragraphs[q.paragraph]
        if (
            q.close_at is None
            or q.paragraph + 1 >= len(self.paragraphs)
            or self.text[para.start : q.open_at].strip()
            or self.text[q.outer_end : para.end].strip(" \t.,")
        ):
            return None, 0
        after = self.paragraphs[q.paragraph + 1]
        return _DASH_LINE.match(self.text[after.start : after.end]), after.start

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
            # A cue in a relative clause that reports nothing describes the speaker ('"A,"
            # said one strategist who has advised several campaigns. "B."'); it takes no
            # quotation from them.
            between = [
                c
                for c in self.cues
                if c.start >= previous.end
                and c.end <= q.open_at
                and c is not own
                and not (c.relative is not None and c.content is None and c.content_after is None)
                and not self._asked_of_speaker(c, own)
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

    @staticmethod
    def _asked_of_speaker(cue: Cue, own: Cue | None) -> bool:
        """A cue reporting nothing whose subject is the quote's own speaker, or no one: what
        the speaker was asked ('"A," the baker said when asked about it. "B."'), which takes
        no quotation from them."""
        if cue.content is not None or cue.content_after is not None:
            return False
        if own is None or own.speaker is None:
            return False
        return cue.speaker is None or cue.speaker.start == own.speaker.start

    def _new_subject_between(self, previous: LinkedQuote, position: int) -> tuple[str, int] | None:
        """A named person became a sentence's subject after the previous quote.

        '"A," says Smith. Jones did not hesitate. "B."': B is no longer Smith's.
        """
        own = previous.attribution.cue
        skip = (own.clause_start, own.end) if own is not None else (0, 0)
        if own is not None and own.speaker is not None:
            skip = (min(skip[0], own.speaker.start), max(skip[1], own.speaker.end))
        offset = self.paragraphs[previous.paragraph].start
        doc = self.docs[previous.paragraph]
        if own is not None:
            # '"A," said Robert Stone, a 59-year-old from Hilton Head, who ... . "B."': the cue's
            # whole sentence describes its speaker; a new subject comes after it.
            cue = doc.char_span(own.start - offset, own.end - offset, alignment_mode="expand")
            if cue is not None and len(cue):
                skip = (skip[0], max(skip[1], offset + cue[0].sent.end_char))
        for name in named_subjects(doc, offset, position):
            start = offset + name.start_char
            if start < previous.end or skip[0] <= start < skip[1] or self._in_quote(start):
                continue
            if name.label_ == "PERSON" or self.book.known_person(name.text) is not None:
                return name.text, start
        return None
