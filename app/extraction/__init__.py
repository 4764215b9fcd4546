"""Pure NLP: article text in, typed Extraction out; no database, no web imports."""

from app.extraction.batches import extract, extract_many
from app.extraction.pipeline import EXTRACTOR_VERSION
from app.extraction.types import ClaimSpan, Extraction, QuoteSpan, SpeakerRef

__all__ = [
    "EXTRACTOR_VERSION",
    "ClaimSpan",
    "Extraction",
    "QuoteSpan",
    "SpeakerRef",
    "extract",
    "extract_many",
]
