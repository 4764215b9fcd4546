"""Print extraction throughput for 1 and 2 processes, and where one process spends its CPU.

Usage:
    .venv/bin/python benchmarks/extraction_speed.py ARTICLES.jsonl [--processes 1,2]
        [--batch-size 16] [--limit N] [--words 600] [--repeat 1] [--no-stages]

ARTICLES.jsonl has one JSON object per line with a "text" field (an evaluation file such as
shared/eval/polnear_dev.jsonl works; article texts are read, never copied into the repository).
With --words W (default 600) the articles are regrouped into articles of about W words: the
paragraphs of all articles, in file order, are concatenated and cut into a new article as soon
as it holds W words or more (so every article but the last has W to W + one paragraph words);
--words 0 keeps the articles as they are. --repeat R runs over the articles R times (a longer
run for a steadier figure). Printed, each with the load average (/proc/loadavg) before and
after, since the machine may be shared:
  1. per process count: `extract_many` + the JSON line of `quotegraph extract`, wall clock
     articles/s, and CPU seconds per article (this process's and its workers' user + system
     time: less sensitive to other load than the wall clock);
  2. one process, CPU (time.process_time) per stage: spaCy components one by one, the rules,
     the learned attribution model, the claims model, the JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.extraction import extract_many
from app.extraction.cleanup import find_layout
from app.extraction.jsonl import prediction_record

_SURROGATE = re.compile("[\ud800-\udfff]")  # as extract_many replaces them before parsing


def load_texts(path: Path, limit: int | None) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                texts.append(json.loads(line)["text"])
            if limit is not None and len(texts) >= limit:
                break
    return texts


def regroup(texts: list[str], words: int) -> list[str]:
    """The paragraphs of `texts`, in order, cut into articles of at least `words` words."""
    if words <= 0:
        return texts
    articles: list[str] = []
    current: list[str] = []
    count = 0
    for text in texts:
        for paragraph in find_layout(text).paragraphs:
            body = text[paragraph.start : paragraph.end]
            current.append(body)
            count += len(body.split())
            if count >= words:
                articles.append("\n\n".join(current))
                current, count = [], 0
    if current:
        articles.append("\n\n".join(current))
    return articles


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_seconds() -> tuple[float, float]:
    """User + system CPU of this process, and of its finished children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def run(texts: list[str], processes: int, batch_size: int) -> tuple[float, float, float]:
    """Wall, own CPU and workers' CPU seconds of extracting `texts` and writing JSON lines."""
    (own, children), start = cpu_seconds(), time.perf_counter()
    for extraction in extract_many(texts, n_process=processes, batch_size=batch_size):
        json.dumps(prediction_record("", extraction, "ggt"), ensure_ascii=False)
    wall = time.perf_counter() - start
    own_after, children_after = cpu_seconds()
    return wall, own_after - own, children_after - children


def stages(texts: list[str], batch_size: int) -> dict[str, float]:
    """CPU seconds per stage of a one-process run (time.process_time around each part).

    The paragraphs are parsed as extract_many parses them, but one component at a time over
    all of them (same batches), then each article is built from its docs with the two models'
    calls timed apart, then its JSON line is written.
    """
    import app.extraction.pipeline as pipeline
    import app.extraction.stages.cues as cue_stage
    from app.extraction.nlp import get_nlp, one_blas_thread

    spent: dict[str, float] = defaultdict(float)
    nlp = get_nlp()
    paragraph_batch = batch_size * 8

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - start

        return wrapper

    started = time.process_time()
    layouts = [find_layout(t) for t in texts]
    spent["cleanup (layout)"] = time.process_time() - started
    start = time.process_time()
    docs = [
        nlp.make_doc(_SURROGATE.sub("\ufffd", t[p.start : p.end]))
        for t, layout in zip(texts, layouts, strict=True)
        for p in layout.paragraphs
    ]
    spent["parse: tokenizer"] = time.process_time() - start
    for name, component in nlp.pipeline:
        start = time.process_time()
        with one_blas_thread():  # as parse_many runs them
            if hasattr(component, "pipe"):
                docs = list(component.pipe(docs, batch_size=paragraph_batch))
            else:
                docs = [component(doc) for doc in docs]
        spent[f"parse: {name}"] = time.process_time() - start

    # The two models, as pipeline.py calls them, timed apart from the rules around them.
    # Each is patched in the module that calls it (a stage module imports its own name).
    models = {
        (pipeline, "find_claims"): "claims model",
        (cue_stage, "propose_cues"): "learned attribution model",
    }
    originals = {key: getattr(*key) for key in models}
    for (module, name), label in models.items():
        setattr(module, name, timed(label, originals[(module, name)]))
    try:
        cursor = 0
        for text, layout in zip(texts, layouts, strict=True):
            count = len(layout.paragraphs)
            start = time.process_time()
            extraction = pipeline.build_extraction(text, layout, docs[cursor : cursor + count])
            spent["build (rules + models)"] += time.process_time() - start
            cursor += count
            start = time.process_time()
            json.dumps(prediction_record("", extraction, "ggt"), ensure_ascii=False)
            spent["JSON line"] += time.process_time() - start
    finally:
        for (module, name), function in originals.items():
            setattr(module, name, function)
    spent["total"] = time.process_time() - started
    build = spent.pop("build (rules + models)")
    spent["rules (build minus models)"] = (
        build - spent["claims model"] - spent["learned attribution model"]
    )
    return dict(spent)


def use_spacy_lemmatizer() -> None:
    """Swap spaCy's own lemmatizer back in (workers are forked after this, so they share it)."""
    from app.extraction.nlp import MemoLemmatizer, get_nlp

    nlp = get_nlp()
    components = nlp._components
    for i, (name, component) in enumerate(components):
        if isinstance(component, MemoLemmatizer):
            components[i] = (name, component._lemmatizer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument(
        "--processes", default="1,2", help="comma-separated process counts (empty: none)"
    )
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-stages", action="store_true")
    parser.add_argument(
        "--spacy-lemmatizer",
        action="store_true",
        help="put spaCy's lemmatizer back in place of MemoLemmatizer (to measure the change)",
    )
    args = parser.parse_args()

    texts = regroup(load_texts(args.articles, args.limit), args.words) * args.repeat
    if args.spacy_lemmatizer:
        use_spacy_lemmatizer()
    words = sum(len(t.split()) for t in texts)
    per_article = words / len(texts)
    print(
        f"machine: {platform.machine()} python {platform.python_version()}, "
        f"CPUs available: {len(os.sched_getaffinity(0))}"
    )
    print(
        f"file: {args.articles.name}  articles: {len(texts)}  words/article: {per_article:.0f}"
        f"  (--words {args.words}, --repeat {args.repeat}"
        f"{', spaCy lemmatizer' if args.spacy_lemmatizer else ''})"
    )
    list(extract_many(texts[:2]))  # warm up: model load and first-call costs
    for processes in (int(p) for p in args.processes.split(",") if p.strip()):
        before = loadavg()
        wall, own, workers = run(texts, processes, args.batch_size)
        cpu = own + workers
        print(
            f"processes={processes}: {len(texts) / wall:.1f} articles/s "
            f"({words / wall / 600:.1f} 600-word articles/s), "
            f"CPU {1000 * cpu / len(texts):.0f} ms/article "
            f"({1000 * cpu / words * 600:.0f} ms per 600 words; main process "
            f"{1000 * own / len(texts):.0f}, workers {1000 * workers / len(texts):.0f}), "
            f"wall {wall:.1f} s; "
            f"load average {before} -> {loadavg()}"
        )
    if args.no_stages:
        return
    before = loadavg()
    spent = stages(texts, args.batch_size)
    total = spent["total"]
    print(f"one process, CPU per stage (load average {before} -> {loadavg()}):")
    rows = {k: v for k, v in spent.items() if k != "total"}
    for key, value in sorted(rows.items(), key=lambda kv: -kv[1]):
        print(
            f"  {key:32s} {value:7.2f} s  {100 * value / total:5.1f}%  "
            f"{1000 * value / len(texts):6.1f} ms/article"
        )
    print(
        f"  {'total':32s} {total:7.2f} s\n"
        f"  => {1000 * total / len(texts):.0f} ms CPU per {per_article:.0f}-word article: "
        f"{len(texts) / total:.1f} articles/s per free core, "
        f"{2 * len(texts) / total:.1f} on two free cores"
    )


if __name__ == "__main__":
    main()
