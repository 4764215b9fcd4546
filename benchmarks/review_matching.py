"""Precision and recall of fact-check matching on the labelled pairs of
benchmarks/data/review_pairs.jsonl.

Every review is scored against every claim of the set (26 x 79 pairs): a pair is a match only
where the file says so, so a review linked to another topic's claim counts against precision
as much as a changed figure does. Topics t01, t03, ... are the development half the thresholds
were chosen on; t02, t04, ... are held out.

    .venv/bin/python -m benchmarks.review_matching [--database sqlite|POSTGRES_URL]

With --database the whole path runs: claims stored, reviews imported through the service,
candidates from full-text search, links read back from the database (on PostgreSQL, in a new
database made on that server and dropped after).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.services.review_matching import AUTO_LINK, SUGGEST, score_pair

DATA = Path(__file__).parent / "data" / "review_pairs.jsonl"


def load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def scored_pairs(topics: list[dict[str, Any]]) -> list[tuple[str, str, str, float, bool, str]]:
    """(review topic, claim topic, claim kind, score, gold, method) for every pair."""
    claims = [(t["topic"], c) for t in topics for c in t["claims"]]
    pairs = []
    for topic in topics:
        for claim_topic, claim in claims:
            match = score_pair(topic["review"], claim["text"])
            gold = claim_topic == topic["topic"] and claim["match"]
            pairs.append(
                (topic["topic"], claim_topic, claim["kind"], match.score, gold, match.method)
            )
    return pairs


def figures(linked: set[tuple[str, str]], gold: set[tuple[str, str]]) -> tuple[float, float, int]:
    right = len(linked & gold)
    precision = right / len(linked) if linked else 1.0
    recall = right / len(gold) if gold else 1.0
    return precision, recall, len(linked)


def report(name: str, pairs: list[tuple[str, str, str, float, bool, str]], half: str) -> None:
    chosen = [p for p in pairs if half == "all" or (int(p[0][1:]) % 2 == 1) == (half == "dev")]
    gold = {(r, c + k) for r, c, k, _s, g, _m in chosen if g}
    for label, threshold in (("automatic", AUTO_LINK), ("suggested+", SUGGEST)):
        linked = {(r, c + k) for r, c, k, s, _g, _m in chosen if s >= threshold}
        precision, recall, n = figures(linked, gold)
        print(
            f"{name:8} {half:4} {label:10} >= {threshold:.2f}: precision {precision:.3f} "
            f"recall {recall:.3f} ({n} links, {len(gold)} true pairs, {len(chosen)} pairs)"
        )


def store_claims(session: Any, texts: list[str]) -> list[int]:
    """Claims stored as ingest stores them (one article, no extraction): their ids."""
    from app.extraction.types import ClaimSpan, Extraction
    from app.services.ingest import ArticleInput, prepare_article, store_article

    text, spans = "", []
    for claim in texts:
        start = len(text)
        text += claim + " "
        spans.append(ClaimSpan(claim, start, start + len(claim), 0.9))
    prepared = prepare_article(ArticleInput(text=text), max_chars=10**7)
    extraction = Extraction(text=prepared.text, claims=tuple(spans), extractor_version="bench")
    article_id = store_article(session, prepared, extraction).article_id
    rows = session.connection().exec_driver_sql(
        f"SELECT id FROM claim WHERE article_id = {int(article_id)} ORDER BY position"
    )
    return [int(row[0]) for row in rows]


@contextmanager
def scratch_database(server: str | None, folder: str) -> Iterator[str]:
    """A new SQLite file, or a new database on the PostgreSQL server of `server` (the URL's
    own database is left alone), dropped afterwards."""
    if server is None:
        yield f"sqlite:///{folder}/matching.db"
        return
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"quotegraph_matching_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def through_database(url: str | None) -> list[tuple[str, str, str, float, bool, str]]:
    """The same pairs, matched by the service against a real database."""
    from app.db.engine import make_engine, make_session
    from app.db.migrations import upgrade
    from app.services.review_documents import read_values
    from app.services.reviews import import_reviews
    from app.settings import Settings

    with tempfile.TemporaryDirectory() as folder, scratch_database(url, folder) as url:
        upgrade(url)
        engine = make_engine(Settings(DATABASE_URL=url))
        topics = load()
        with make_session(engine) as session:
            ids = store_claims(session, [c["text"] for t in topics for c in t["claims"]])
            kinds = [(t["topic"], c["kind"], c["match"]) for t in topics for c in t["claims"]]
            by_claim = dict(zip(ids, kinds, strict=True))
            documents = [
                {
                    "@type": "ClaimReview",
                    "url": f"https://factcheck.example/{t['topic']}",
                    "claimReviewed": t["review"],
                    "author": {"@type": "Organization", "name": "Check Desk"},
                    "reviewRating": {"@type": "Rating", "alternateName": "False"},
                }
                for t in topics
            ]
            import_reviews(session, read_values(documents).reviews)
            rows = (
                session.connection()
                .exec_driver_sql(
                    "SELECT r.url, l.claim_id, l.score, l.method FROM review_link l "
                    "JOIN claim_review r ON r.id = l.review_id"
                )
                .all()
            )
        engine.dispose()
    pairs = []
    for review_url, claim_id, score, method in rows:
        topic = review_url.rsplit("/", 1)[1]
        claim_topic, kind, match = by_claim[claim_id]
        gold = claim_topic == topic and match
        pairs.append((topic, claim_topic, kind, float(score), gold, method))
    # True pairs never linked are recall's misses: add them with score 0.
    seen = {(p[0], p[1], p[2]) for p in pairs}
    for t in load():
        for c in t["claims"]:
            if c["match"] and (t["topic"], t["topic"], c["kind"]) not in seen:
                pairs.append((t["topic"], t["topic"], c["kind"], 0.0, True, "unlinked"))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="sqlite (a temporary file) or a database URL")
    parser.add_argument("--show", action="store_true", help="print every pair near a threshold")
    args = parser.parse_args()
    pairs = scored_pairs(load())
    for half in ("dev", "test", "all"):
        report("scorer", pairs, half)
    if args.database:
        stored = through_database(None if args.database == "sqlite" else args.database)
        for half in ("dev", "test", "all"):
            report("database", stored, half)
    if args.show:
        for r, c, k, s, g, m in sorted(pairs, key=lambda p: -p[3]):
            if s >= SUGGEST - 0.1:
                print(f"{s:.3f} {'GOLD' if g else '    '} {r} {c} {k:10} {m}")


if __name__ == "__main__":
    main()
