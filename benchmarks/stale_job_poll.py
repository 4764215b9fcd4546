"""Polls job(id:) through the HTTP API with the response cache on, once between the article's
commit and the job item's completion (the worker's steps driven one at a time), then for up to
--seconds after the job finished; prints what the polls answered and when `finished` showed.

    .venv/bin/python benchmarks/stale_job_poll.py [--seconds 5]

Before the write stamp was bumped by every writing transaction, the job stayed `pending` for as
long as nothing else was written (the whole --seconds)."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from app.db.engine import make_engine, make_session
from app.db.migrations import upgrade
from app.extraction import extract
from app.main import create_app
from app.services import ingest, jobs
from app.settings import Settings

JOB = "query($id: ID!) { job(id: $id) { done pending finished } }"
STORY = '"The pier will open in spring," Harbour Minister Elena Vasquez said on Tuesday.'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    seconds = parser.parse_args().seconds
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'poll.db'}"
        upgrade(url)
        settings = Settings(DATABASE_URL=url, QUOTEGRAPH_RESPONSE_CACHE_MB=64)
        engine = make_engine(settings)
        app = create_app(settings, engine=engine, extractor=extract)
        article = ingest.ArticleInput(text=STORY)
        with TestClient(app) as client:

            def poll(job_id: str) -> dict[str, object]:
                body = client.post("/graphql", json={"query": JOB, "variables": {"id": job_id}})
                job: dict[str, object] = body.json()["data"]["job"]
                return job

            with make_session(engine) as session:
                job_id, _ = jobs.create_job(session, [article], max_chars=100_000)
            print("after create_job:       ", poll(job_id))
            with make_session(engine) as session:
                ingest.ingest_article(session, article, extract, max_chars=100_000)
            print("article committed:      ", poll(job_id))
            with make_session(engine) as session:
                jobs.run_item(session, job_id, 0, article, extract, max_chars=100_000)
            finished_at = time.monotonic()
            state = poll(job_id)
            while not state["finished"] and time.monotonic() - finished_at < seconds:
                time.sleep(0.05)
                state = poll(job_id)
            waited = time.monotonic() - finished_at
            verdict = "seen finished" if state["finished"] else "STILL PENDING"
            print(f"job item finished: {state} -> {verdict} after {waited:.2f} s of polling")
        engine.dispose()


if __name__ == "__main__":
    main()
