"""The write stamp: every committed write changes it, so the response cache never serves what a
write has since changed (job progress included, polled while the job runs)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col

from app.db.engine import begin_write, make_session
from app.db.models import Article, Speaker
from app.services import archive, ingest, jobs, keys, reviews
from app.services.ingest import ArticleInput
from app.services.stamp import read_write_stamp
from app.settings import Settings
from tests.conftest import GraphQL
from tests.helpers import numbered_story

JOB = "query($id: ID!) { job(id: $id) { done failed pending finished } }"
SUBMIT = """mutation($articles: [IngestArticleInput!]!) {
  submitArticles(articles: $articles) { id } }"""
Extractor = Callable[[str], Any]


def _store(session: Session, extractor: Extractor, number: int) -> int:
    prepared = ingest.prepare_article(ArticleInput(text=numbered_story(number)), max_chars=100_000)
    return ingest.store_article(session, prepared, extractor(prepared.text)).article_id


def test_the_cache_is_on(settings: Settings) -> None:
    # The polling tests below prove something only while the response cache answers repeats.
    assert settings.response_cache_mb > 0


def test_a_poll_between_the_articles_commit_and_the_jobs_completion_does_not_freeze(
    gql: GraphQL, engine: sa.Engine, extractor: Extractor
) -> None:
    """The worker's steps, driven one at a time, with a poll through the API after each."""
    article = ArticleInput(text=numbered_story(1), title="Day 1")
    with make_session(engine) as session:
        job_id, positions = jobs.create_job(session, [article], max_chars=100_000)
    assert positions == [0]
    assert gql.ok(JOB, id=job_id)["job"]["pending"] == 1
    with make_session(engine) as session:
        _store(session, extractor, 1)  # the article is committed; the job item is not done yet
    assert gql.ok(JOB, id=job_id)["job"] == {
        "done": 0,
        "failed": 0,
        "pending": 1,
        "finished": False,
    }
    with make_session(engine) as session:  # the worker finishes the item (it finds the article)
        status = jobs.run_item(session, job_id, 0, article, extractor, max_chars=100_000)
    assert status == "done"
    assert gql.ok(JOB, id=job_id)["job"] == {
        "done": 1,
        "failed": 0,
        "pending": 0,
        "finished": True,
    }


def test_a_job_submitted_through_the_api_is_seen_finished_by_polling(gql: GraphQL) -> None:
    job_id = gql.ok(SUBMIT, articles=[{"text": numbered_story(n)} for n in range(3)])[
        "submitArticles"
    ]["id"]
    deadline = time.monotonic() + 30
    state = gql.ok(JOB, id=job_id)["job"]
    while not state["finished"] and time.monotonic() < deadline:
        time.sleep(0.02)
        state = gql.ok(JOB, id=job_id)["job"]
    assert state == {"done": 3, "failed": 0, "pending": 0, "finished": True}


def _create_job(session: Session, _extractor: Extractor) -> None:
    jobs.create_job(session, [ArticleInput(text=numbered_story(7))], max_chars=100_000)


def _finish_job_item(session: Session, extractor: Extractor) -> None:
    article = ArticleInput(text=numbered_story(7))
    job_id, _ = jobs.create_job(session, [article], max_chars=100_000)
    _store(session, extractor, 7)
    before = read_write_stamp(session.get_bind())  # type: ignore[arg-type]
    jobs.run_item(session, job_id, 0, article, extractor, max_chars=100_000)
    assert read_write_stamp(session.get_bind()) > before  # type: ignore[arg-type]


def _store_article(session: Session, extractor: Extractor) -> None:
    _store(session, extractor, 8)


def _delete_article(session: Session, _extractor: Extractor) -> None:
    article_id = session.execute(sa.select(col(Article.id))).scalars().first()
    assert article_id is not None
    assert ingest.delete_article(session, article_id)


def _review_claim(session: Session, _extractor: Extractor) -> None:
    claim_id = session.execute(sa.text("SELECT min(id) FROM claim")).scalar_one()
    reviews.add_claim_review(session, claim_id, reviewer="Desk", rating="True")


def _create_key(session: Session, _extractor: Extractor) -> None:
    keys.create_key(session, "stamp test")


def _revoke_key(session: Session, _extractor: Extractor) -> None:
    key, _ = keys.create_key(session, "to revoke")
    before = read_write_stamp(session.get_bind())  # type: ignore[arg-type]
    keys.revoke_key(session, str(key.id))
    assert read_write_stamp(session.get_bind()) > before  # type: ignore[arg-type]


def _import_archive(session: Session, _extractor: Extractor) -> None:
    records = list(archive.export_archive(session))
    session.rollback()
    for record in records:
        if record.get("type") == "article":
            record["text"] += " Imported."
            record["content_hash"] = ingest.content_hash(record["text"])
            record["url"] = None
    archive.import_archive(session, records)


def _a_new_write_path(session: Session, _extractor: Extractor) -> None:
    """A write no service knows about yet: an ORM row, then a Core UPDATE, no manual bump."""
    begin_write(session)
    session.add(Speaker(name="New Path", name_key="new path", kind="person"))
    session.commit()
    before = read_write_stamp(session.get_bind())  # type: ignore[arg-type]
    begin_write(session)
    session.execute(sa.update(Speaker).where(col(Speaker.name_key) == "new path").values(role="x"))
    session.commit()
    assert read_write_stamp(session.get_bind()) > before  # type: ignore[arg-type]


WRITE_PATHS = {
    "create_job": _create_job,
    "finish_job_item": _finish_job_item,
    "store_article": _store_article,
    "delete_article": _delete_article,
    "add_claim_review": _review_claim,
    "create_key": _create_key,
    "revoke_key": _revoke_key,
    "import_archive": _import_archive,
    "new_write_path": _a_new_write_path,
}


@pytest.mark.parametrize("path", list(WRITE_PATHS))
def test_every_write_path_changes_the_stamp(
    path: str, engine: sa.Engine, extractor: Extractor
) -> None:
    with make_session(engine) as session:
        _store(session, extractor, 1)  # something to delete, review and export
    before = read_write_stamp(engine)
    with make_session(engine) as session:
        WRITE_PATHS[path](session, extractor)
    assert read_write_stamp(engine) > before


def test_a_read_only_transaction_leaves_the_stamp_alone(
    engine: sa.Engine, extractor: Extractor
) -> None:
    with make_session(engine) as session:
        _store(session, extractor, 1)
    before = read_write_stamp(engine)
    with make_session(engine) as session:
        assert session.execute(sa.text("SELECT count(*) FROM article")).scalar_one() == 1
        session.commit()
        begin_write(session)  # a write transaction that found nothing to do
        session.commit()
    assert read_write_stamp(engine) == before
