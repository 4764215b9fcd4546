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
`extract_many` streams articles through 1 and 2 in batches, on one or more processes.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import re
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from spacy.tokens import Doc

from app.extraction import claims_model
from app.extraction.attribution import Cue
from app.extraction.claims import find_claims
from app.extraction.cleanup import Layout, find_layout
from app.extraction.fragments import join_interrupted_quotes
from app.extraction.learned.model import (
    AttributionModel,
    shipped_model,
)
from app.extraction.linking import LinkedQuote
from app.extraction.nlp import get_nlp, one_blas_thread, parse_many
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
EXTRACTOR_VERSION = "quotegraph-extract/0.8"
_PARAGRAPHS_PER_ARTICLE = 8
_ARTICLES_PER_TASK = 4

_SURROGATE = re.compile("[\ud800-\udfff]")


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


def _extract_chunk(
    texts: list[str], batch_size: int, disabled: frozenset[str] = frozenset()
) -> list[Extraction]:
    return list(_extract_serial(texts, batch_size, disabled))


def _start_worker(parent: int) -> None:
    """A worker multiplies matrices on one thread, and goes when its parent goes.

    Parallelism is by processes: a second BLAS thread in a worker only spins against the
    other workers on the same cores (nlp.one_blas_thread).

    A forked worker holds copies of its parent's sockets: an orphan would keep a killed
    ingest's database connection, and with it the open transaction and its row locks, alive,
    and the next ingest of the same articles would wait on them for ever."""
    one_blas_thread()  # for the worker's life: the limiter is never exited
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent went before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _extract_parallel(
    texts: Iterable[str], n_process: int, batch_size: int, disabled: frozenset[str]
) -> Iterator[Extraction]:
    # Load before forking, so the workers share the models instead of each loading them.
    get_nlp()
    claims_model.shipped_model()
    shipped_model()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    iterator = iter(texts)
    window: deque[Future[list[Extraction]]] = deque()
    # Small chunks keep both workers busy to the end of a short input; each worker still
    # parses a chunk's paragraphs in one nlp.pipe call.
    chunk_size = min(batch_size, _ARTICLES_PER_TASK)
    with ProcessPoolExecutor(
        max_workers=n_process,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    ) as pool:
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
        # 2. Quotes set off by layout (transcripts, blocks, posts).
        out.extend(layout_quotes(self, consumed, self.disabled))
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
