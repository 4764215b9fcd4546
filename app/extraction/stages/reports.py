"""Stage "attribution": a cue's reported clause made a quote, indirect or mixed, or the
frame of the direct quotes inside it; and the learned model's reports where the rules
found nothing.
"""

from __future__ import annotations

from itertools import pairwise

from app.extraction.attribution import Cue, cue_rule
from app.extraction.learned.model import (
    SHORT_CONTENT_THRESHOLD,
    admissible,
    admissible_span,
    propose_cues,
)
from app.extraction.linking import Attribution, LinkedQuote
from app.extraction.quotes import (
    is_title_case,
    quoted_words,
    trimmed,
    word_count,
)
from app.extraction.rules import confidence, fired
from app.extraction.rules.report import participle_inherit
from app.extraction.stages.speakers import SpeakerStage

# Verbs reporting an order; their quoted complement is the order's own wording.
_DIRECTIVE_VERBS = {"order", "instruct", "command", "direct", "tell", "urge"}

# Words that join a quotation to what came before without being the reporter's own report.
_JOINING_WORDS = frozenset({"and", "but", "or", "so", "that", "yet"})


def _nestable(quote: LinkedQuote) -> bool:
    """Whether a rules' quote may lie inside a learned report: a direct quotation in marks
    (not a transcript's or a block's layout)."""
    return quote.kind == "direct" and quote.marked is not None


class ReportStage(SpeakerStage):
    """Reported clauses made quotes."""

    def reported_clauses(self, assigned: dict[int, Cue], consumed: set[int]) -> list[LinkedQuote]:
        """The quotes the cues' reported clauses make, in cue order; `assigned` gets the cue
        that frames each quotation mark inside a clause, `consumed` the marks a mixed quote
        took."""
        out: list[LinkedQuote] = []
        for cue in sorted(self.cues, key=lambda c: c.start):
            if cue.content is None:
                continue
            source = self._source(cue)
            inherit: LinkedQuote | None = None
            if cue.speaker is None:
                inherit = participle_inherit(cue, out)
                if inherit is not None:
                    fired("participle_inherit")
                if not self.on("participle_inherit"):
                    inherit = None
                if inherit is None:
                    continue
                source = Attribution(None, None, cue, confidence("participle_inherit"))
            # Each side of a split clause counts, however short ("Residents, according to
            # the report, are afraid"); a whole clause needs a few words to be a report.
            min_words = 1 if cue.content_after is not None else 3
            for content in (cue.content, cue.content_after):
                if content is not None:
                    self._report(cue, content, source, inherit, out, assigned, consumed, min_words)
        return out

    def _source(self, cue: Cue) -> Attribution:
        """An unresolved attribution resting on a cue (resolved later, in text order)."""
        return Attribution(None, cue.speaker, cue, 0.0)  # 0.0: no cap on what resolve gives

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
        speaker = cue.speaker
        if speaker is not None and cs < speaker.start < ce <= cue.start:
            # '"was a real eye-opener" Farinloye says': the parse took the speaker, right
            # before the cue, into the clause; what is reported stops before them.
            ce = cs + len(self.text[cs : speaker.start].rstrip(" ,\u2014\u2013-"))
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
        # Reporter's words before the quoted ones ('that retaliation "is not the first tool"')
        # make the clause a mixed quote however much of it is quoted; a joining word alone
        # ('but "when it comes to ..."') does not.
        first_open = trimmed(self.text, self.marked[inner[0]].start, self.marked[inner[0]].end)[0]
        reporter_leads = any(
            any(c.isalnum() for c in w) and w.lower().strip(",") not in _JOINING_WORDS
            for w in self.text[ts:first_open].split()
        )
        quotation = (
            covered >= 0.7 * max(1, te - ts)
            and not self._joined_fragments(inner, cue, ts, te)
            and not reporter_leads
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

    def _learned_reports(self, rules: list[LinkedQuote]) -> list[LinkedQuote]:
        """The learned cues' reports that touch no quote, cue or quoted words of the rules,
        but for direct quotations they hold whole (nested, see _nestable)."""
        # A cue of the rules that made no quote ("asked whether ...", "vows to ...") is left
        # to the model; it still blocks the model's other cues, as the rules' quotes do.
        used = {q.attribution.cue.start for q in rules if q.attribution.cue is not None}
        learned = list(self.learned)
        for number, (para, doc) in enumerate(zip(self.paragraphs, self.docs, strict=False)):
            free = [c for c in self.cues if c.paragraph == number and c.start not in used]
            if free:
                found = propose_cues(doc, para.start, number, free, self.model, on_rule_cues=True)
                learned += [self._speaker_outside_quotes(c) for c in found]
        # What a learned report must keep clear of: the rules' quotes and the cues that made
        # them. A cue of the rules that made no quote does not block one ("Research showed
        # that men reported 65% of the stories": "reported" made nothing); quotations may sit
        # whole inside its content, which then makes a mixed quote.
        # A quotation the rules made a direct quote of may lie whole inside a learned
        # report's content ('characterizes herself as a "change warrior" who "saved the
        # company"', 'calling him "a disgrace to the party"'): the report is made, a nested
        # attribution (mostly a stance, so out of the speech listings), and the quote is kept
        # as the rules made it.
        taken = [(q.start, q.end) for q in rules if not _nestable(q)]
        nested = [(q.start, q.end) for q in rules if _nestable(q)]
        taken += [(c.start, c.end) for c in self.cues if c.start in used]
        # A content ends before a quotation's closing full stop ('asks whether ... has
        # "trouble sleeping."'); it still holds the quotation whole.
        quoted = [quoted_words(self.text, q.start, q.end) for q in self.marked]
        reports: list[LinkedQuote] = []
        # A predicate's boundings come best first; the first that is admissible and makes a
        # report is its attribution ("said A, B" whose whole runs into a rule's quote may
        # still report A).
        decided: set[int] = set()
        for cue in sorted(learned, key=lambda c: c.start):
            if cue.start in used or cue.content is None or cue.start in decided:
                continue
            if not admissible(cue, taken, quoted):
                continue
            if self._only_quotations(cue.content, nested, quoted):
                continue
            # "You" outside quotation marks addresses the reader ("you might think that ..."),
            # it reports no one; "I" and "we" are the writer's own (a column's "I believe").
            if self._addresses_reader(cue):
                continue
            # No source of its own ("X is expected to ..."): unattributed.
            source = Attribution(None, cue.speaker, cue, 0.0 if cue.speaker else cue.score or 0.0)
            # Two words may be all a stance holds ("denounced Trump's comments", "pleaded not
            # guilty"), when the model is surer of it (SHORT_CONTENT_THRESHOLD); the rules'
            # reports of speech need three.
            words = 2 if (cue.score or 0.0) >= SHORT_CONTENT_THRESHOLD else 3
            before = len(reports)
            self._report(cue, cue.content, source, None, reports, {}, set(), min_words=words)
            if len(reports) > before:
                decided.add(cue.start)
        reports = [
            self._titles_are_not_words(q)
            for q in self._dedupe(reports)
            if admissible_span(q.start, q.end, taken, quoted)
        ]
        self._register_speaker_names([q.attribution.cue for q in reports if q.attribution.cue])
        return sorted(reports, key=lambda q: (q.start, q.end))

    def _only_quotations(
        self,
        content: tuple[int, int],
        nested: list[tuple[int, int]],
        quoted: list[tuple[int, int]],
    ) -> bool:
        """Whether a content that holds a rules' quote has fewer than two words of its own
        outside the quotations ('read "Safe staffing saves lives" and "We are not robots"'):
        the rules' quotes already say it all; 'a goal of "Peace through strength"' does not."""
        start, end = content
        if not any(start <= s and e <= end for s, e in nested):
            return False
        own = self.text[start:end]
        for s, e in sorted(quoted, reverse=True):
            if start <= s and e <= end:
                own = own[: s - start] + " " + own[e - start :]
        return word_count(own) < 2

    def _addresses_reader(self, cue: Cue) -> bool:
        """Whether a learned cue's source is the reader ("you"), as its speaker or its
        unnamed source words."""
        if cue.speaker is not None:
            return cue.speaker.text.lower() == "you"
        return cue.source is not None and self.text[cue.source[0] : cue.source[1]].lower() == "you"

    def _titles_are_not_words(self, quote: LinkedQuote) -> LinkedQuote:
        """A learned report whose only quotation marks hold titles ('loved "The Kid Who Would
        Be King" and its cast') quotes nobody's words: indirect, not mixed."""
        if quote.kind != "mixed":
            return quote
        inside = [m for m in self.marked if quote.start <= m.start and m.end <= quote.end]
        if inside and all(is_title_case(self.text[m.start : m.end]) for m in inside):
            quote.kind = "indirect"
        return quote

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
