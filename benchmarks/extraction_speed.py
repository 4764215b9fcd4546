"""Print extraction throughput, and spaCy parse time against the extraction work after it.

Usage:
    .venv/bin/python benchmarks/extraction_speed.py ARTICLES.jsonl [--n-process 2]
        [--batch-size 16] [--limit N]

ARTICLES.jsonl has one JSON object per line with a "text" field (an evaluation file such as
shared/eval/ggt_dev.jsonl works; article texts are read, never copied into the repository).
Three figures are printed:
  1. end-to-end articles/s of extract_many with --n-process workers (also scaled to
     600-word articles, the size the target is stated for);
  2. single-process spaCy parse time of all paragraphs;
  3. single-process time of everything after parsing (cleanup, quotes, attribution,
     speakers, claims), as a share of the parse time.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from app.extraction import extract_many
from app.extraction.cleanup import find_layout
from app.extraction.nlp import get_nlp
from app.extraction.pipeline import build_extraction


def load_texts(path: Path, limit: int | None) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                texts.append(json.loads(line)["text"])
            if limit is not None and len(texts) >= limit:
                break
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    texts = load_texts(args.articles, args.limit)
    words = sum(len(t.split()) for t in texts)
    nlp = get_nlp()
    list(extract_many(texts[:2]))  # warm up: model load and first-call costs

    start = time.perf_counter()
    for _ in extract_many(texts, n_process=args.n_process, batch_size=args.batch_size):
        pass
    wall = time.perf_counter() - start

    # Single process, split into the two stages.
    start = time.perf_counter()
    layouts = [find_layout(t) for t in texts]
    paragraphs = [
        t[p.start : p.end]
        for t, layout in zip(texts, layouts, strict=True)
        for p in layout.paragraphs
    ]
    cleanup_time = time.perf_counter() - start
    start = time.perf_counter()
    docs = list(nlp.pipe(paragraphs, batch_size=args.batch_size * 8))
    parse_time = time.perf_counter() - start
    start = time.perf_counter()
    cursor = 0
    for text, layout in zip(texts, layouts, strict=True):
        count = len(layout.paragraphs)
        build_extraction(text, layout, docs[cursor : cursor + count])
        cursor += count
    build_time = time.perf_counter() - start
    extraction_time = cleanup_time + build_time

    per_article = words / len(texts)
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} python "
        f"{platform.python_version()}"
    )
    print(f"articles: {len(texts)}  words/article: {per_article:.0f}  file: {args.articles.name}")
    print(
        f"extract_many n_process={args.n_process}: {len(texts) / wall:.1f} articles/s "
        f"({words / wall:.0f} words/s, = {words / wall / 600:.1f} 600-word articles/s)"
    )
    print(
        f"single process: parse {parse_time:.2f}s, extraction after parse "
        f"{extraction_time:.2f}s ({100 * extraction_time / parse_time:.0f}% of parse), "
        f"{len(texts) / (parse_time + extraction_time):.1f} articles/s"
    )


if __name__ == "__main__":
    main()
