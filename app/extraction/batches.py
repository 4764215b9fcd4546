"""Many articles through the pipeline: batches for spaCy, and worker processes for the cores.

`extract_many` cuts articles into paragraphs (stage 1, cleanup), parses them in batches with
`nlp.pipe` (stage 2) and hands each parsed article to `pipeline.build_extraction` (stages 3 to
8), in order; with several processes each worker takes a few whole articles at a time.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import re
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from spacy.tokens import Doc

from app.extraction import claims_model
from app.extraction.cleanup import Layout, find_layout
from app.extraction.learned.model import shipped_model
from app.extraction.nlp import get_nlp, one_blas_thread, parse_many
from app.extraction.pipeline import build_extraction
from app.extraction.rules import checked_disabled
from app.extraction.types import Extraction

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
