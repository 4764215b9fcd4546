"""End-to-end `quotegraph ingest` throughput: extraction and storage, on a fresh database.

    .venv/bin/python benchmarks/ingest_throughput.py ../shared/eval/ggt_dev.jsonl \\
        ../shared/eval/polnear_dev.jsonl --articles 1000 --processes 2

Builds a corpus of --articles distinct articles from the texts of the given JSONL files (each
copy gets a different closing line, so none is a duplicate), writes it to a temporary folder
(never into the project), ingests it with the real command and prints articles per second,
words per article and the peak memory of the ingest process tree.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_corpus(sources: list[Path], articles: int, folder: Path) -> tuple[Path, float]:
    texts = [
        json.loads(line)["text"]
        for source in sources
        for line in source.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    corpus = folder / "corpus.jsonl"
    words = 0
    with corpus.open("w", encoding="utf-8") as handle:
        for number in range(articles):
            text = texts[number % len(texts)] + f"\n\nThis is copy {number} of the story."
            words += len(text.split())
            handle.write(json.dumps({"text": text}) + "\n")
    return corpus, words / articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=Path, nargs="+", help='JSONL files with a "text" field')
    parser.add_argument("--articles", type=int, default=1000, help="articles to ingest")
    parser.add_argument("--processes", type=int, default=2, help="extraction processes")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp())
    corpus, words = build_corpus(args.sources, args.articles, folder)
    url = args.database_url or f"sqlite:///{folder}/ingest.db"
    env = {**os.environ, "DATABASE_URL": url}
    quotegraph = [sys.executable, "-m", "app.cli"]
    subprocess.run([*quotegraph, "db", "upgrade"], cwd=ROOT, env=env, check=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [*quotegraph, "ingest", str(corpus), "--processes", str(args.processes)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    samples: list[float] = []  # MB of the whole ingest process tree, once a second
    while process.poll() is None:
        samples.append(tree_rss_mb(process.pid))
        time.sleep(1.0)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode:
        sys.exit(f"ingest failed ({process.returncode}): {stderr[-2000:]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(stdout.strip())
    print(
        f"{args.articles} articles of {words:.0f} words on average in {seconds:.1f} s = "
        f"{args.articles / seconds:.1f} articles/s with {args.processes} processes "
        f"(model start-up included); peak RSS of one process {peak_mb:.0f} MB"
    )
    if len(samples) >= 10:
        # Skip the model start-up; memory is flat if the last tenth is no higher than the second.
        tenth = len(samples) // 10
        early = max(samples[tenth : 2 * tenth])
        late = max(samples[-tenth:])
        print(
            f"RSS of the process tree (ingest and its extraction processes): {early:.0f} MB "
            f"in the second tenth of the run, {late:.0f} MB in the last tenth"
        )


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total / 1024 / 1024


if __name__ == "__main__":
    main()
