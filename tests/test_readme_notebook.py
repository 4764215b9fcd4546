"""The README's notebook example runs as it stands against the sample article, over real HTTP
(a uvicorn server on a free port), with pandas and matplotlib (Agg backend)."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.settings import Settings

ROOT = Path(__file__).parent.parent


def notebook_code() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- notebook-example -->\n```python\n(.*?)```", readme, re.DOTALL)
    assert match, "the README's notebook example is marked <!-- notebook-example -->"
    return match.group(1)


@pytest.fixture
def server(
    settings: Settings, engine: sa.Engine, database_url: str, extractor: Callable[[str], Any]
) -> Iterator[str]:
    result = CliRunner().invoke(
        cli, ["ingest", str(ROOT / "examples")], env={"DATABASE_URL": database_url}
    )
    assert result.exit_code == 0, result.output
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(settings, engine=engine, extractor=extractor)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=30)


def test_the_notebook_example_runs_on_the_sample_article(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTEGRAPH_URL", server)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict[str, Any] = {"__name__": "notebook"}
    exec(compile(notebook_code(), "README.md", "exec"), namespace)

    quotes, weekly, table = namespace["quotes"], namespace["weekly"], namespace["table"]
    assert len(quotes) >= 3
    assert set(quotes["speaker.name"]) == {"Benjamin Netanyahu"}
    assert {"article.url", "article.contentHash", "quotation.occurrences"} <= set(quotes.columns)
    # The weekly counts come from the `timeline` aggregate, not from pandas over the quotes;
    # they agree with the quotes listed, week by week.
    assert "timeline(" in notebook_code() and "resample" not in notebook_code()
    assert int(weekly.sum()) == len(quotes) == len(table)
    assert weekly.index[0].strftime("%Y-%m-%d") == "2024-02-05"  # the Monday of 8 February
    by_week = quotes["date"].dt.tz_convert(None).dt.to_period("W-SUN").dt.start_time
    assert {k.strftime("%Y-%m-%d"): v for k, v in by_week.value_counts().items()} == {
        k.strftime("%Y-%m-%d"): int(v) for k, v in weekly.items() if v
    }
    assert (tmp_path / "quotes_per_week.png").stat().st_size > 1000
    assert set(table["extractor_version"]) == set(quotes["article.extractorVersion"])
