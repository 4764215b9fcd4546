"""Article text in, Extraction out: the order of the stages, each in a module of its own.

1. cleanup    app/extraction/cleanup.py         find_layout: paragraphs, dateline, byline
2. parse      app/extraction/nlp.py             parse_many: one spaCy Doc per paragraph
3. cues       app/extraction/stages/cues.py     rules/cues (+ the learned model's cues)
4. content    app/extraction/rules/content      the span each cue reports (sieves)
5. attribution app/extraction/stages/reports.py reported clauses: indirect and mixed quotes
6. direct     app/extraction/stages/direct.py   rules/layout, rules/direct: quotation marks
7. speakers   app/extraction/stages/speakers.py rules/resolve, rules/speakers
8. claims     app/extraction/claims.py          find_claims; stages/assemble.py the output

`build_extraction` runs 3 to 8 on one parsed article (`ArticleBuilder.run` orders 5 to 7);
`extract` and `extract_many` (app/extraction/batches.py) stream articles through 1 and 2 in
batches, on one or more processes, and then through `build_extraction`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from app.extraction.attribution import Cue
from app.extraction.claims import find_claims
from app.extraction.cleanup import Layout
from app.extraction.fragments import join_interrupted_quotes
from app.extraction.learned.model import (
    AttributionModel,
    shipped_model,
)
from app.extraction.linking import LinkedQuote
from app.extraction.rules import checked_disabled, switching_off
from app.extraction.rules import content as content_sieves  # noqa: F401  (declares them)
from app.extraction.rules import mention as mention_sieves  # noqa: F401  (declares them)
from app.extraction.rules.layout import layout_quotes
from app.extraction.speakers import (
    mend_entities,
)
from app.extraction.stages.assemble import quote_spans
from app.extraction.stages.direct import DirectStage
from app.extraction.types import (
    Extraction,
)

# Stored with every article (Article.extractorVersion): raise it whenever the output changes.
EXTRACTOR_VERSION = "quotegraph-extract/0.26"


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
    with switching_off(off):
        builder = ArticleBuilder(text, layout.paragraphs, list(docs), model, off)
        quotes = builder.run()
    refs, spans = quote_spans(text, quotes, builder.book)
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


class ArticleBuilder(DirectStage):
    """Links quotation spans and reporting verbs of one article into attributed quotes; each
    stage's lookups live in its module (app/extraction/stages), `run` states their order."""

    def run(self) -> list[LinkedQuote]:
        """The linking stages in order; the cues were found when the builder was made."""
        assigned: dict[int, Cue] = {}  # quotation mark -> the cue whose clause frames it
        consumed: set[int] = set()  # quotation marks inside a mixed quote
        # 1. Attribution: reported clauses, indirect, mixed, or the frame of a direct quote.
        out = self.reported_clauses(assigned, consumed)
        # 2. Quotes set off by layout (transcripts, blocks, posts); a report read inside one
        # ("... not enough to explain what we see" in an interview's answer) is its words.
        laid_out = layout_quotes(self, consumed, self.disabled)
        spoken = [(q.start, q.end) for q in laid_out if q.kind == "direct"]
        out = [q for q in out if not any(s <= q.start and q.end <= e for s, e in spoken)]
        out.extend(laid_out)
        # 3. Direct quotes: quotation marks not inside a reported clause.
        self.direct_quotes(out, assigned, consumed)
        # 4. Speakers, resolved in reading order.
        out = sorted(self._dedupe(out), key=lambda q: (q.start, q.end))
        self._resolve_all(out)
        # 5. The learned model's attributions, only where the rules found nothing, resolved
        # after the rules' own so they cannot change them.
        learned = self._learned_reports(out)
        self._resolve_all(learned)
        return sorted(out + learned, key=lambda q: (q.start, q.end))
