"""Print what scoring claims with the shipped model adds to extraction time, and its load time.

Usage:
    .venv/bin/python benchmarks/claims_speed.py ARTICLES.jsonl [--limit N] [--repeat 3]

Parses the articles' paragraphs once (single process), then builds the extractions from the
parsed docs twice per round: with the model scoring every claim candidate, and with scoring
replaced by a constant (no claims kept). The difference is the model's cost; it is printed as a
share of extraction time without it (parse + everything after). Best of --repeat rounds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from app.extraction import claims_model
from app.extraction.claims_model import ClaimModel, Contribution
from app.extraction.cleanup import find_layout
from app.extraction.nlp import get_nlp
from app.extraction.pipeline import build_extraction
from benchmarks.extraction_speed import load_texts


class _Unscored(ClaimModel):
    """The shipped model with its arithmetic skipped: the extraction without scoring."""

    def __init__(self, model: ClaimModel) -> None:
        self.__dict__.update({k: getattr(model, k) for k in ("threshold",)})

    def contributions(self, span: Any, text: str) -> list[Contribution]:
        return []

    def probability(self, contributions: Any) -> float:
        return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    ClaimModel.load()
    load_seconds = time.perf_counter() - started
    model = claims_model.shipped_model()

    texts = load_texts(args.articles, args.limit)
    nlp = get_nlp()
    layouts = [find_layout(t) for t in texts]
    paragraphs = [
        t[p.start : p.end] for t, lay in zip(texts, layouts, strict=True) for p in lay.paragraphs
    ]
    started = time.perf_counter()
    docs = list(nlp.pipe(paragraphs, batch_size=128))
    parse = time.perf_counter() - started

    def build() -> tuple[float, int]:
        cursor, claims = 0, 0
        started = time.perf_counter()
        for text, layout in zip(texts, layouts, strict=True):
            count = len(layout.paragraphs)
            claims += len(build_extraction(text, layout, docs[cursor : cursor + count]).claims)
            cursor += count
        return time.perf_counter() - started, claims

    with_model, without = float("inf"), float("inf")
    kept = 0
    for _ in range(args.repeat):
        seconds, kept = build()
        with_model = min(with_model, seconds)
        original = claims_model.shipped_model
        claims_model.shipped_model = lambda: _Unscored(model)  # type: ignore[assignment]
        import app.extraction.claims as claims_module

        claims_module.shipped_model = claims_model.shipped_model  # type: ignore[attr-defined]
        try:
            without = min(without, build()[0])
        finally:
            claims_model.shipped_model = original
            claims_module.shipped_model = original  # type: ignore[attr-defined]
    base = parse + without
    print(f"{len(texts)} articles, {len(paragraphs)} paragraphs, {kept} claims kept")
    print(f"model load (sha256 check + JSON): {load_seconds * 1000:.0f} ms")
    print(
        f"parse {parse:.2f} s; after parse without scoring {without:.2f} s, with {with_model:.2f} s"
    )
    print(
        f"scoring adds {with_model - without:.2f} s = "
        f"{100 * (with_model - without) / base:.1f} % of extraction time without it"
    )


if __name__ == "__main__":
    main()
