"""export --format archive then import into an empty database reproduces everything."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from typer.testing import CliRunner

from app.cli import cli
from app.db.migrations import upgrade
from app.db.models import as_utc
from tests.conftest import GraphQL
from tests.helpers import FOLLOWUP, INGEST, STORY, ingest_input


def _plain(value: Any) -> Any:
    # Raw SQL returns datetimes from PostgreSQL and their text from SQLite: compare the text.
    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def snapshot(engine: sa.Engine) -> dict[str, Any]:
    """Every stored fact, by natural keys (ids may differ between databases)."""
    with engine.connect() as c:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(tuple(map(_plain, r)) for r in c.execute(sa.text(sql)).all())

        return {
            "articles": rows(
                "SELECT content_hash, url, title, source, published_at, dateline, byline, text, "
                "body_start, body_end, language, extractor_version FROM article"
            ),
            "speakers": rows("SELECT name, name_key, kind, role FROM speaker"),
            "aliases": rows(
                "SELECT s.name_key, a.alias FROM speaker_alias a "
                "JOIN speaker s ON s.id = a.speaker_id"
            ),
            "quotes": rows(
                "SELECT a.content_hash, q.position, s.name_key, q.text, q.kind, q.cue, q.start, "
                'q."end", q.speaker_start, q.speaker_end, q.role, q.confidence FROM quote q '
                "JOIN article a ON a.id = q.article_id LEFT JOIN speaker s ON s.id = q.speaker_id"
            ),
            "claims": rows(
                "SELECT a.content_hash, c.position, s.name_key, q.position, c.text, c.start, "
                'c."end", c.score FROM claim c JOIN article a ON a.id = c.article_id '
                "LEFT JOIN speaker s ON s.id = c.claimant_id LEFT JOIN quote q ON q.id = c.quote_id"
            ),
            "reviews": rows(
                "SELECT a.content_hash, c.position, r.natural_key, r.claim_reviewed, r.reviewer, "
                "r.rating, r.url, r.review_date, l.score, l.method, l.status "
                "FROM review_link l JOIN claim_review r ON r.id = l.review_id "
                "JOIN claim c ON c.id = l.claim_id JOIN article a ON a.id = c.article_id"
            ),
        }


def test_archive_round_trip(
    gql: GraphQL, engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    gql.ok(INGEST, input=ingest_input(STORY, url="https://news.example/a", source="Wire"))
    gql.ok(INGEST, input=ingest_input(FOLLOWUP, publishedAt="2025-03-06T12:00:00Z"))
    claims = gql.ok("{ claims(first: 5) { edges { node { id } } } }")["claims"]["edges"]
    assert claims, "the stories contain check-worthy claims"
    gql.ok(
        """mutation($id: ID!) { reviewClaim(input: {claimId: $id, reviewer: "FactCheck.example",
        rating: "Mostly true", url: "https://factcheck.example/1",
        reviewDate: "2025-03-10T00:00:00Z"}) { id } }""",
        id=claims[0]["node"]["id"],
    )
    original = snapshot(engine)
    assert all(original[k] for k in original), {k: len(v) for k, v in original.items()}

    archive = tmp_path / "archive.jsonl"
    runner = CliRunner()
    exported = runner.invoke(
        cli, ["export", "--format", "archive", "--output", str(archive)],
        env={"DATABASE_URL": database_url},
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output

    empty_url = f"sqlite:///{tmp_path}/empty.db"
    upgrade(empty_url)
    imported = runner.invoke(cli, ["import", str(archive)], env={"DATABASE_URL": empty_url})
    assert imported.exit_code == 0, imported.output
    assert "2 articles imported" in imported.stdout
    copy = sa.create_engine(empty_url)
    assert snapshot(copy) == original

    again = runner.invoke(cli, ["import", str(archive)], env={"DATABASE_URL": empty_url})
    assert "0 articles imported (2 already stored)" in again.stdout
    assert snapshot(copy) == original
    copy.dispose()
