"""Fixtures for extraction tests: the real pinned spaCy pipeline, loaded once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from app.extraction import Extraction, extract
from app.extraction.nlp import get_nlp


@pytest.fixture(scope="session")
def nlp() -> Language:
    return get_nlp()


@pytest.fixture(scope="session")
def run(nlp: Language) -> Callable[[str], Extraction]:
    """extract(), with the pipeline already loaded by the session fixture."""
    return extract
