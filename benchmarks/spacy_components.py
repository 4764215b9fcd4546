"""Time the spaCy pipeline component by component, and the whole pipe at several batch sizes.

    .venv/bin/python benchmarks/spacy_components.py ../shared/eval/ggt_dev.jsonl

One process, the paragraphs quotegraph parses (the article layout's paragraphs), the pipeline
quotegraph loads (`app.extraction.nlp.get_nlp`). Each component runs over the documents the
previous ones produced, so the figures add up to one parse.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Sequence
from pathlib import Path

from app.extraction.cleanup import find_layout
from app.extraction.nlp import get_nlp

try:  # python -m benchmarks.spacy_components
    from benchmarks.extraction_speed import load_texts
except ImportError:  # python benchmarks/spacy_components.py
    from extraction_speed import load_texts  # type: ignore[no-redef]


def paragraphs_of(texts: Sequence[str]) -> list[str]:
    return [text[p.start : p.end] for text in texts for p in find_layout(text).paragraphs]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", type=Path, help="JSONL with a `text` per line.")
    parser.add_argument("--limit", type=int, help="First N articles only.")
    parser.add_argument("--batch-size", type=int, default=128, help="Per component (128).")
    parser.add_argument(
        "--batch-sizes",
        type=int,
        nargs="*",
        default=[16, 64, 256, 1024],
        help="Whole-pipe batch sizes to compare (16 64 256 1024).",
    )
    args = parser.parse_args(argv)

    texts = load_texts(args.articles, args.limit)
    paragraphs = paragraphs_of(texts)
    nlp = get_nlp()
    list(nlp.pipe(paragraphs[:20]))  # first-call costs out of the figures
    print(
        f"{platform.machine()} python {platform.python_version()}, load average "
        f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}; {len(texts)} articles, "
        f"{len(paragraphs)} paragraphs, {sum(len(p.split()) for p in paragraphs)} words"
    )

    started = time.process_time()
    docs = [nlp.make_doc(p) for p in paragraphs]
    timings = [("tokenizer", time.process_time() - started)]
    for name, component in nlp.pipeline:
        started = time.process_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=args.batch_size))
        else:
            docs = [component(doc) for doc in docs]
        timings.append((name, time.process_time() - started))
    total = sum(seconds for _, seconds in timings)
    print(f"\ncomponent by component (CPU s of this process, batch {args.batch_size}):")
    for name, seconds in sorted(timings, key=lambda item: -item[1]):
        print(f"  {name:20} {seconds:6.2f} s  {100 * seconds / total:4.0f} %")
    print(f"  {'total':20} {total:6.2f} s")

    print("\nwhole nlp.pipe by batch size (CPU s):")
    for size in args.batch_sizes:
        started = time.process_time()
        for _ in nlp.pipe(paragraphs, batch_size=size):
            pass
        print(f"  batch {size:5}: {time.process_time() - started:6.2f} s")


if __name__ == "__main__":
    main()
