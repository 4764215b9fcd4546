"""Data to take away: `quotegraph export --format parquet|csv|jsonl --what ...` and
GET /export/{what}.{format}, read back with pyarrow, pandas and polars and compared with the
database; every row carries its article's URL, content hash, extractor version and provenance."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.db.engine import make_session
from app.main import create_app
from app.services import datasets, export_files
from app.settings import Settings
from tests.conftest import GraphQL
from tests.test_quotations import MONDAY, TUESDAY, WEDNESDAY, ingest


@pytest.fixture
def stored(gql: GraphQL) -> dict[str, Any]:
    articles = {
        source: ingest(gql, text, source)
        for text, source in ((MONDAY, "Wire"), (TUESDAY, "Daily"), (WEDNESDAY, "Post"))
    }
    claim = gql.ok("{ claims(first: 1) { nodes { id } } }")["claims"]["nodes"]
    if claim:  # (asserted in the test that needs it)
        gql.ok(
            """mutation($id: ID!) { reviewClaim(input: {claimId: $id, reviewer: "Full Fact",
            rating: "Mostly true", url: "https://fullfact.org/pier"}) { id } }""",
            id=claim[0]["id"],
        )
    return articles


def export(database_url: str, *arguments: str) -> bytes:
    result = CliRunner().invoke(
        cli, ["export", *arguments], env={"DATABASE_URL": database_url}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def database_quotes(engine: sa.Engine, speaker_like: str | None = None) -> list[tuple[Any, ...]]:
    sql = (
        "SELECT q.id, q.text, s.name, a.url, a.content_hash, a.extractor_version FROM quote q "
        "JOIN article a ON a.id = q.article_id LEFT JOIN speaker s ON s.id = q.speaker_id "
        "WHERE q.attribution_class = 'speech'"  # what an export gives unless asked for more
    )
    with engine.connect() as c:
        rows = [tuple(r) for r in c.execute(sa.text(sql)).all()]
    return sorted(r for r in rows if speaker_like is None or (r[2] and speaker_like in r[2]))


def test_parquet_of_quotes_reads_back_as_the_database_holds_them(
    stored: dict[str, Any], database_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    path = tmp_path / "quotes.parquet"
    export(database_url, "--format", "parquet", "--what", "quotes", "--output", str(path))
    table = pq.read_table(path)
    assert table.schema == export_files.arrow_schema(datasets.QUOTE_COLUMNS)
    rows = table.to_pylist()
    assert sorted(
        (
            r["quote_id"],
            r["text"],
            r["speaker"],
            r["article_url"],
            r["article_content_hash"],
            r["extractor_version"],
        )
        for r in rows
    ) == database_quotes(engine)
    # Newest first, each with the provenance a citation needs.
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    for row in rows:
        record = json.loads(row["provenance"])
        assert record["extractor_version"] == row["extractor_version"]
        assert row["claims_model_sha256"] == record["models"]["claims"]["sha256"]
        assert len(row["attribution_model_sha256"]) == 64
        assert row["pipeline"].startswith("en_core_web_sm ")
        assert row["spacy_version"] and row["ingested_at"] is not None
    pier = [r for r in rows if r["text"].startswith("We will finish")]
    assert len({r["quotation_id"] for r in pier}) == 1 and len(pier) == 3
    # pandas and polars read it as it is, with real types.
    frame = pd.read_parquet(path)
    assert str(frame["date"].dtype) == "datetime64[us, UTC]" and len(frame) == len(rows)
    assert pl.read_parquet(path).schema["confidence"] == pl.Float64


def test_filters_csv_jsonl_and_the_other_datasets(
    stored: dict[str, Any], database_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    mine = export(database_url, "--format", "csv", "--speaker", "vasquez")
    table = list(csv.DictReader(io.StringIO(mine.decode())))
    assert {r["speaker"] for r in table} == {"Elena Vasquez"}
    assert len(table) == len(database_quotes(engine, "Vasquez"))
    both = export(database_url, "--speaker", "vasquez", "--speaker", "Tom Reed")
    assert len(both.splitlines()) == len(database_quotes(engine))  # everyone quoted
    daily = [json.loads(line) for line in export(database_url, "--source", "daily").splitlines()]
    assert daily and {r["article_source"] for r in daily} == {"Daily"}

    path = tmp_path / "quotations.parquet"
    export(database_url, "--format", "parquet", "--what", "quotations", "--min-occurrences", "2",
           "--output", str(path))  # fmt: skip
    (pier,) = pq.read_table(path).to_pylist()
    assert pier["occurrences"] == 3 and pier["speaker"] == "Elena Vasquez"
    assert pier["article_source"] == "Wire"  # the earliest occurrence's article
    assert pier["article_content_hash"] and pier["extractor_version"]

    speakers = [json.loads(x) for x in export(database_url, "--what", "speakers").splitlines()]
    counts = {s["name"]: s["quote_count"] for s in speakers}
    assert counts["Elena Vasquez"] == len(database_quotes(engine, "Vasquez"))
    assert all(s["article_content_hash"] for s in speakers if s["quote_count"])

    claims = [json.loads(x) for x in export(database_url, "--what", "claims").splitlines()]
    with engine.connect() as c:
        assert len(claims) == c.execute(sa.text("SELECT count(*) FROM claim")).scalar_one()
    reviews = [
        json.loads(x)
        for x in export(
            database_url, "--what", "reviews", "--publisher", "fullfact.org"
        ).splitlines()
    ]
    assert claims, "the stories hold check-worthy claims"
    assert [r["rating"] for r in reviews] == ["Mostly true"]
    assert reviews[0]["article_content_hash"] and reviews[0]["claim_text"]
    assert export(database_url, "--what", "reviews", "--rating", "False") == b""


def test_batches_stream_as_row_groups(stored: dict[str, Any], engine: sa.Engine) -> None:
    with make_session(engine) as session:
        chunks = list(
            export_files.parquet_chunks(
                datasets.batches(session, "quotes", datasets.ExportFilter(), size=2),
                datasets.QUOTE_COLUMNS,
            )
        )
    data = b"".join(chunks)
    parquet = pq.ParquetFile(io.BytesIO(data))
    total = len(database_quotes(engine))
    assert parquet.metadata.num_rows == total
    assert parquet.num_row_groups == (total + 1) // 2
    assert len([c for c in chunks if c]) > 2  # bytes went out before the end


def test_http_export_reads_in_pandas(
    stored: dict[str, Any], client: TestClient, engine: sa.Engine
) -> None:
    response = client.get("/export/quotes.parquet", params={"speaker": "Vasquez"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    frame = pd.read_parquet(io.BytesIO(response.content))
    assert set(frame["speaker"]) == {"Elena Vasquez"}
    assert len(frame) == len(database_quotes(engine, "Vasquez"))
    several = client.get(
        "/export/quotes.jsonl", params=[("speaker", "Vasquez"), ("speaker", "Reed")]
    )
    assert len(several.text.splitlines()) == len(database_quotes(engine))
    text = client.get("/export/quotations.csv", params={"minOccurrences": 2}).text
    assert len(list(csv.DictReader(io.StringIO(text)))) == 1

    for path, code in (
        ("/export/votes.parquet", "BAD_USER_INPUT"),
        ("/export/quotes.xlsx", "BAD_USER_INPUT"),
        ("/export/quotes.parquet?since=yesterday", "BAD_USER_INPUT"),
        ("/export/quotes.parquet?kind=shouted", "BAD_USER_INPUT"),
        ("/export/quotes.parquet?since=2025-03-05&until=2025-03-01", "BAD_USER_INPUT"),
    ):
        refused = client.get(path)
        assert refused.status_code == 400, path
        assert refused.json()["errors"][0]["extensions"]["code"] == code


def test_http_export_follows_the_read_rule(
    stored: dict[str, Any], database_url: str, engine: sa.Engine, api_key: str, extractor: Any
) -> None:
    private = Settings(DATABASE_URL=database_url, QUOTEGRAPH_PUBLIC_READS="false")
    with TestClient(create_app(private, engine=engine, extractor=extractor)) as client:
        refused = client.get("/export/quotes.parquet")
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        wrong = client.get("/export/quotes.parquet", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        allowed = client.get(
            "/export/quotes.parquet", headers={"Authorization": f"Bearer {api_key}"}
        )
        assert allowed.status_code == 200
        assert len(pd.read_parquet(io.BytesIO(allowed.content))) == len(database_quotes(engine))
