"""benchmarks/aggregates_peer.py: quotegraph's aggregates and PostGraphile + pg-aggregates (an
independent implementation over the same tables) give the same answers on generated data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmarks import aggregates_peer, generate
from benchmarks.api import PEER_DIR
from tests.conftest import REQUIRE_SERVICES, scratch_postgres_database

TINY = ("--articles", "300", "--quotes", "3000", "--claims", "600", "--speakers", "60")


def test_the_peer_ranks_as_quotegraph_does() -> None:
    """Most quotes first, ties: the higher id first; the first ten only."""
    groups = [{"keys": [key], "distinctCount": {"id": str(n)}} for key, n in
              [("1", 5), ("2", 7), ("3", 5), ("4", 1), (None, 99)]]  # fmt: skip
    ranked = aggregates_peer.peer_ranked({"quotes": {"groupedAggregates": groups}}, first=3)
    assert ranked == [(2, 7), (3, 5), (1, 5)]


@pytest.mark.postgres
def test_quotegraph_and_the_peer_agree(tmp_path: Path) -> None:
    if shutil.which("node") is None or not (PEER_DIR / "node_modules").is_dir():
        message = f"PostGraphile is not installed (npm ci --prefix {PEER_DIR})"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    with scratch_postgres_database("qg_peer") as url:
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        generate.main(["--database-url", plain, *TINY])
        # Exits (SystemExit) on any answer that differs between the two.
        aggregates_peer.main(
            ["--database-url", plain, "--requests", "2", "--warmup", "0", "--settle", "0",
             "--duration", "2", "--no-upgrade", "--json", str(tmp_path / "figures.json")]
        )  # fmt: skip
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert len(figures) == 6
    for case in figures:
        assert case["same"] and case["size"] > 0, case
