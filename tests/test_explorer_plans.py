"""The explorer's reads on SQLite go through the index that fits them, with or without the
statistics ANALYZE gathers (a database just migrated has none): each SQL statement of each
explorer operation is captured and its plan checked (EXPLAIN QUERY PLAN), not its time.

A speaker's page once walked every speech quote newest first through the class index looking
for the speaker's few quotes (656-736 ms for a speaker with 11 quotes at a million quotes);
the figures are in benchmarks/RESULTS.md ("explorer"), measured by
benchmarks/explorer_paint.py."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.db.engine import make_engine
from app.explorer import explorer_operations
from app.graphql.ids import encode_global_id
from app.main import create_app
from app.settings import Settings
from benchmarks import generate
from tests.conftest import scratch_postgres_database

SMALL = ("--articles", "300", "--quotes", "3000", "--claims", "900", "--speakers", "120")


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated database with its statistics (the generator ends with ANALYZE)."""
    path = tmp_path_factory.mktemp("plans") / "analysed.db"
    generate.main(["--database-url", f"sqlite:///{path}", *SMALL])
    return path


@pytest.fixture(scope="module")
def unanalysed(analysed: Path) -> Path:
    """The same rows without statistics, as a database just migrated has them."""
    path = analysed.with_name("unanalysed.db")
    shutil.copy(analysed, path)
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE IF EXISTS sqlite_stat1")
        connection.execute("DROP TABLE IF EXISTS sqlite_stat4")
    return path


def no_extraction(_text: str) -> Any:
    raise AssertionError("the explorer only reads")


@pytest.fixture(params=["analysed", "unanalysed"])
def database(request: pytest.FixtureRequest) -> Path:
    path: Path = request.getfixturevalue(request.param)
    return path


class Recorder:
    """The explorer's operations over HTTP; the SELECTs each one sent, with their parameters."""

    def __init__(self, path: Path) -> None:
        # Response cache off: every request reaches the database.
        self.settings = Settings(database_url=f"sqlite:///{path}", response_cache_mb=0)
        self.engine = make_engine(self.settings)
        self.path = path
        self.statements: list[tuple[str, Any]] = []
        sa.event.listen(self.engine, "before_cursor_execute", self._record)

    def _record(
        self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))

    def plans(self, client: TestClient, name: str, **variables: Any) -> list[tuple[str, str]]:
        """(statement, its plan as one string) for every SELECT the operation sent; the
        answer's data in `self.data`."""
        self.statements.clear()
        response = client.post(
            "/graphql",
            json={
                "query": explorer_operations()[name],
                "operationName": name,
                "variables": variables,
            },
        )
        body = response.json()
        assert not body.get("errors"), body
        self.data: dict[str, Any] = body["data"]
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return [
                (
                    statement,
                    "; ".join(
                        row[3]
                        for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
                    ),
                )
                for statement, parameters in self.statements
            ]
        finally:
            connection.close()


@pytest.fixture
def recorder(database: Path) -> Iterator[tuple[Recorder, TestClient]]:
    recording = Recorder(database)
    app = create_app(recording.settings, engine=recording.engine, extractor=no_extraction)
    with TestClient(app) as client:
        yield recording, client
    recording.engine.dispose()


def speakers_by_quotes(path: Path) -> list[tuple[int, int]]:
    """(speaker id, quotes) from the busiest to the least quoted."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT speaker_id, count(*) AS n FROM quote WHERE speaker_id IS NOT NULL "
            "GROUP BY speaker_id ORDER BY n DESC, speaker_id"
        ).fetchall()
    return [(int(speaker), int(count)) for speaker, count in rows]


def quote_reads(plans: list[tuple[str, str]], condition: str) -> list[str]:
    """The plans of the statements that read the quote table under `condition`."""
    return [
        plan
        for statement, plan in plans
        if "FROM quote" in " ".join(statement.split()) and condition in statement
    ]


@pytest.mark.parametrize("which", ["busiest", "median", "least"])
def test_a_speakers_page_reads_their_quotes_through_the_speaker_index(
    recorder: tuple[Recorder, TestClient], which: str
) -> None:
    recording, client = recorder
    speakers = speakers_by_quotes(recording.path)
    speaker, _count = {
        "busiest": speakers[0],
        "median": speakers[len(speakers) // 2],
        "least": speakers[-1],
    }[which]
    speaker_id = encode_global_id("Speaker", speaker)
    for name, variables in (
        ("SpeakerPage", {"id": speaker_id, "kind": "DIRECT", "filtered": True}),
        ("SpeakerPage", {"id": speaker_id, "first": 1}),
        ("SpeakerQuotes", {"id": speaker_id, "after": None}),  # after the first page's end
    ):
        if name == "SpeakerQuotes":
            variables["after"] = recording.data["speaker"]["quotes"]["pageInfo"]["endCursor"]
        plans = recording.plans(client, name, **variables)
        reads = quote_reads(plans, "quote.speaker_id = ")
        # The page, the latest 100 for the roles, the count when filtered: each one through the
        # speaker's own (speaker_id, sort_date, id) index, in its order (no sort), never the
        # class index nor a scan of the table.
        assert reads, (name, plans)
        for plan in reads:
            assert "USING INDEX ix_quote_speaker_recent (speaker_id=?" in plan, (name, plan)
            assert "ix_quote_class_recent" not in plan and "SCAN quote" not in plan, (name, plan)
            assert "TEMP B-TREE" not in plan, (name, plan)


def test_the_other_pages_read_through_their_indexes(
    recorder: tuple[Recorder, TestClient],
) -> None:
    recording, client = recorder
    with sqlite3.connect(f"file:{recording.path}?mode=ro", uri=True) as connection:
        quote, article = connection.execute(
            "SELECT id, article_id FROM quote WHERE speaker_id IS NOT NULL ORDER BY id DESC"
        ).fetchone()
    # An article's quotes through the article's index.
    plans = recording.plans(client, "ArticlePage", id=encode_global_id("Article", article))
    reads = quote_reads(plans, "quote.article_id")
    assert reads, plans
    for plan in reads:
        assert "USING INDEX ix_quote_article (article_id=?" in plan, plan
        assert "SCAN quote" not in plan, plan
    # A quote by its key.
    plans = recording.plans(client, "QuotePage", id=encode_global_id("Quote", quote))
    reads = quote_reads(plans, "quote.id")
    assert reads and all("SCAN quote" not in plan for plan in reads), plans
    # The front page's latest quotes: newest first from an index, no sort of the table.
    plans = recording.plans(client, "Latest")
    reads = [plan for statement, plan in plans if "FROM quote" in " ".join(statement.split())]
    assert reads, plans
    for plan in reads:
        assert "quote USING INDEX" in plan and "TEMP B-TREE" not in plan, plan


# --- PostgreSQL -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated_postgres() -> Iterator[str]:
    """A generated database on the PostgreSQL server, analysed (the generator ends with VACUUM
    ANALYZE), dropped afterwards. Not named quotegraph_test_*: generate.py refuses those."""
    with scratch_postgres_database("quotegraph_plans") as url:
        generate.main(["--database-url", url, *SMALL])
        yield url


def quote_scans(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if plan.get("Relation Name") == "quote":
        yield plan
    for child in plan.get("Plans", []):
        yield from quote_scans(child)


@pytest.mark.postgres
def test_postgresql_weighs_a_speakers_quotes_by_its_statistics(generated_postgres: str) -> None:
    """The busiest speaker's page: PostgreSQL's estimate of the speaker's speech quotes is of
    the order of their number. (With the class tested on an expression, which has no
    statistics, it guessed 0.5% of them, and at a million quotes walked every quote newest
    first in parallel workers instead: 13-19 ms a statement, far more on a busy machine.)"""
    settings = Settings(database_url=generated_postgres, response_cache_mb=0)
    engine = make_engine(settings)
    statements: list[tuple[str, Any]] = []

    def record(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        if "FROM quote" in " ".join(statement.split()) and "quote.speaker_id = " in statement:
            statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    with engine.connect() as connection:
        speaker, speech = connection.execute(
            sa.text(
                "SELECT speaker_id, count(*) AS n FROM quote WHERE attribution_class = 'speech'"
                " AND speaker_id IS NOT NULL GROUP BY speaker_id ORDER BY n DESC LIMIT 1"
            )
        ).one()
    app = create_app(settings, engine=engine, extractor=no_extraction)
    with TestClient(app) as client:
        body = client.post(
            "/graphql",
            json={
                "query": explorer_operations()["SpeakerPage"],
                "operationName": "SpeakerPage",
                "variables": {"id": encode_global_id("Speaker", speaker)},
            },
        ).json()
    assert not body.get("errors"), body
    sa.event.remove(engine, "before_cursor_execute", record)
    assert statements
    try:
        with engine.connect() as connection:
            for statement, parameters in statements:
                [[document]] = connection.exec_driver_sql(
                    f"EXPLAIN (FORMAT JSON) {statement}", parameters
                ).all()
                scans = list(quote_scans(document[0]["Plan"]))
                assert scans, document
                estimate = max(scan["Plan Rows"] for scan in scans)
                assert estimate >= speech / 4, (estimate, speech, document)
    finally:
        engine.dispose()
