"""Ingest jobs: submitArticles and job(id), in-process and on Celery workers that can be killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from amqp.exceptions import NotFound
from kombu import Connection

from app.db.engine import make_session
from app.queue.tasks import enqueue, make_celery
from app.services.ingest import ArticleInput
from app.services.jobs import create_job, job_progress
from app.settings import Settings
from tests.conftest import REQUIRE_SERVICES, GraphQL, assert_stored_once, row_counts
from tests.helpers import numbered_story

BROKER_URL = os.environ.get("QUOTEGRAPH_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
SUBMIT = """mutation($articles: [IngestArticleInput!]!) {
  submitArticles(articles: $articles) { id total done failed pending finished
    failures { position reason } }
}"""
JOB = "query($id: ID!) { job(id: $id) { done failed pending finished articles { title } } }"


def test_submitted_articles_are_ingested_in_process(
    gql: GraphQL, anonymous: GraphQL, settings: Settings, engine: sa.Engine
) -> None:
    articles = [{"text": numbered_story(n), "title": f"Day {n}"} for n in range(3)]
    articles.insert(1, {"text": "   "})
    refused = anonymous(SUBMIT, articles=articles)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    job = gql.ok(SUBMIT, articles=articles)["submitArticles"]
    assert job["total"] == 4 and job["failed"] == 1
    assert job["failures"] == [{"position": 1, "reason": "The article text is empty."}]
    # Polled through the API with the response cache on, as a client does: every write of the
    # worker bumps the write stamp, so no poll can be answered from a copy made before the last
    # item finished (which once kept this loop waiting for its deadline).
    assert settings.response_cache_mb > 0
    deadline = time.monotonic() + 30
    state = gql.ok(JOB, id=job["id"])["job"]
    while not state["finished"] and time.monotonic() < deadline:
        time.sleep(0.02)
        state = gql.ok(JOB, id=job["id"])["job"]
    assert state["finished"] and state["done"] == 3 and state["failed"] == 1
    with make_session(engine) as session:  # the database agrees: the worker is done
        stored = job_progress(session, job["id"])
    assert (stored.done, stored.failed, stored.pending) == (3, 1, 0)
    assert [a["title"] for a in state["articles"]] == ["Day 0", "Day 1", "Day 2"]
    assert gql(JOB, id="no-such-job")["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.fixture
def broker_settings(settings: Settings) -> Iterator[Settings]:
    """Settings with the RabbitMQ broker and a queue of this test's own."""
    try:
        with Connection(BROKER_URL, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as error:
        if REQUIRE_SERVICES:  # CI: every service the suite needs must be up
            pytest.fail(f"RabbitMQ is required but unreachable: {error}")
        pytest.skip(f"RabbitMQ unreachable at {BROKER_URL}")
    queued = settings.model_copy(
        update={"broker_url": BROKER_URL, "queue_name": f"qg-test-{uuid.uuid4().hex[:8]}"}
    )
    yield queued
    with Connection(BROKER_URL) as connection:
        connection.default_channel.queue_delete(queued.queue_name)


def _start_worker(settings: Settings, log: Path | None = None) -> subprocess.Popen[bytes]:
    """A worker in its own process group; its output goes to `log` when given, so a test
    that waits on it in vain can say why."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "QUOTEGRAPH_BROKER_URL": str(settings.broker_url),
        "QUOTEGRAPH_QUEUE": settings.queue_name,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker", "--concurrency", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log is not None else subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so the kill takes its children too
    )


def _tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _wait(engine: sa.Engine, job_id: str, until: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        with make_session(engine) as session:
            state = job_progress(session, job_id)
        if until(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def test_two_workers_on_one_machine_share_the_queue(broker_settings: Settings) -> None:
    workers = [_start_worker(broker_settings) for _ in range(2)]
    try:
        # Each worker and its two children load spaCy: on a busy 2-core machine that has
        # taken more than a minute. The loop ends as soon as both consume.
        deadline = time.monotonic() + 180
        consumers = 0
        while time.monotonic() < deadline and consumers < 2:
            with Connection(BROKER_URL) as connection:
                try:
                    declared = connection.default_channel.queue_declare(
                        broker_settings.queue_name, passive=True
                    )
                    consumers = declared.consumer_count
                except NotFound:  # no worker has declared the queue yet
                    consumers = 0
            time.sleep(0.5)
        states = [worker.poll() for worker in workers]
        assert consumers == 2, f"{consumers} consumer(s) after 180 s; worker exit codes {states}"
        assert all(state is None for state in states), "a worker died"
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)


def test_killed_worker_loses_nothing_and_duplicates_nothing(
    broker_settings: Settings, engine: sa.Engine, tmp_path: Path
) -> None:
    articles = [ArticleInput(text=numbered_story(n), title=f"Day {n}") for n in range(200)]
    with make_session(engine) as session:
        job_id, positions = create_job(session, articles, max_chars=100_000)
    enqueue(make_celery(broker_settings), job_id, articles, positions)

    first = _start_worker(broker_settings)
    state = _wait(engine, job_id, lambda s: s.done >= 30, 120)
    assert 30 <= state.done < 200, "the kill should land mid-job"
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    stopped_at = row_counts(engine)["article"]

    log = tmp_path / "second-worker.log"
    second = _start_worker(broker_settings, log)
    try:
        state = _wait(engine, job_id, lambda s: s.pending == 0, 180)
        exit_code = second.poll()
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
    assert stopped_at < 200
    assert (state.done, state.failed, state.pending) == (200, 0, 0), (
        f"the second worker (exit code {exit_code}) left {state.pending} pending; "
        f"its log ends:\n{_tail(log)}"
    )
    assert_stored_once(engine, 200)
    assert sorted(state.article_ids) == sorted(set(state.article_ids))
