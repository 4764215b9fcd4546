"""Ingest throughput through the task queue with 1 and 2 Celery workers (RabbitMQ, 127.0.0.1).

    .venv/bin/python benchmarks/queue_throughput.py --articles 400 --workers 1 2

For each worker count: a fresh database (SQLite unless --database-url), one job of --articles
generated wire stories, that many `quotegraph worker --concurrency 1` processes, and the time from
the first to the last article stored.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db.engine import make_engine, make_session  # noqa: E402
from app.db.migrations import upgrade  # noqa: E402
from app.queue.tasks import enqueue, make_celery  # noqa: E402
from app.services.ingest import ArticleInput  # noqa: E402
from app.services.jobs import create_job, job_progress  # noqa: E402
from app.settings import Settings  # noqa: E402
from benchmarks.load import article_text  # noqa: E402


def run(database_url: str, broker: str, articles: list[str], workers: int) -> tuple[float, int]:
    upgrade(database_url)
    settings = Settings(
        DATABASE_URL=database_url,
        QUOTEGRAPH_BROKER_URL=broker,
        QUOTEGRAPH_QUEUE=f"qg-bench-{uuid.uuid4().hex[:8]}",
    )
    engine = make_engine(settings)
    # A different closing line per run: each run's articles are new to the database.
    inputs = [
        ArticleInput(text=f"{text}\n\nRun {workers}, copy {n}.") for n, text in enumerate(articles)
    ]
    with make_session(engine) as session:
        job_id, positions = create_job(session, inputs, max_chars=settings.max_article_chars)
    enqueue(make_celery(settings), job_id, inputs, positions)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "QUOTEGRAPH_BROKER_URL": broker,
        "QUOTEGRAPH_QUEUE": settings.queue_name,
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker", "--concurrency", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(workers)
    ]
    started = None
    try:
        while True:
            with make_session(engine) as session:
                state = job_progress(session, job_id)
            if started is None and state.done > 0:
                started = time.perf_counter()  # from the first article: worker start-up excluded
                first_done = state.done
            if state.pending == 0:
                break
            time.sleep(0.05)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
        engine.dispose()
    assert started is not None
    return time.perf_counter() - started, state.done - first_done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400, help="articles per job")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts")
    parser.add_argument("--database-url", help="default: a new SQLite file per run")
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    parser.add_argument(
        "--source",
        type=Path,
        help='JSONL with a "text" field to take articles from (default: short generated ones)',
    )
    args = parser.parse_args()
    if args.source:
        pool = [
            json.loads(line)["text"]
            for line in args.source.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        texts = [pool[n % len(pool)] for n in range(args.articles)]
    else:
        rng = random.Random(0)
        texts = [article_text(rng, n) for n in range(args.articles)]
    for workers in args.workers:
        url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/queue.db"
        seconds, articles = run(url, args.broker, texts, workers)
        print(
            f"{workers} worker(s): {articles} articles in {seconds:.1f} s = "
            f"{articles / seconds:.1f} articles/s"
        )


if __name__ == "__main__":
    main()
