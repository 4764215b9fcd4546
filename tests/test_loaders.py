"""No N+1: a page of quotes with speaker and article costs the same SQL whatever its size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from app.settings import Settings
from tests.conftest import GraphQL
from tests.helpers import INGEST

PAGE = """
query($first: Int!) {
  quotes(first: $first) {
    edges { node {
      text speaker { name aliases quoteCount } article { title speakers { name } } claims { text }
    } }
  }
}
"""


@pytest.fixture(params=[True, False], ids=["lean", "strawberry"])
def settings(request: pytest.FixtureRequest, database_url: str) -> Settings:
    """Both read paths: the lean one (default) and Strawberry's executor with DataLoaders."""
    return Settings(
        DATABASE_URL=database_url,
        QUOTEGRAPH_LEAN_READS=request.param,
        QUOTEGRAPH_RESPONSE_CACHE_MB=0,
    )


@contextmanager
def counting(engine: sa.Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "ROLLBACK", "COMMIT")):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def _article(number: int) -> str:
    # Each article has a different speaker and two quotes, so a page spans many of both.
    first, last = f"Alex{number:02d}".replace("0", "o"), f"Morgan{chr(65 + number % 26)}ill"
    return (
        f'"The budget for district {number} is final," said councillor {first} {last}.\n\n'
        f'"We will publish every figure," {last} added.'
    )


def test_statement_count_does_not_grow_with_page_size(gql: GraphQL, engine: sa.Engine) -> None:
    for number in range(30):
        gql.ok(INGEST, input={"text": _article(number), "title": f"Budget {number}"})
    total = gql.ok("{ quotes { totalCount } }")["quotes"]["totalCount"]
    assert total >= 50

    with counting(engine) as small:
        data = gql.ok(PAGE, first=5)
    assert len(data["quotes"]["edges"]) == 5
    with counting(engine) as large:
        data = gql.ok(PAGE, first=50)
    assert len(data["quotes"]["edges"]) == 50
    assert len({e["node"]["article"]["title"] for e in data["quotes"]["edges"]}) >= 20
    assert len(large) == len(small), (small, large)
    assert len(large) <= 8
