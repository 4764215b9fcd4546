"""Time storing pre-extracted articles (the write path of an ingest, without the NLP).

    .venv/bin/python benchmarks/storing_ab.py ../shared/eval/polnear_dev.jsonl --articles 80 \
        --database-url sqlite:////tmp/qg_storing.db \
        --database-url postgresql://postgres@127.0.0.1:5432/qg_storing

Extracts the first `--articles` texts once (untimed), then stores them one by one with
`app.services.ingest.store_article` (one transaction each, speakers resolved against those
already stored) into each empty database in turn, and prints milliseconds per article. Each
database is emptied first (the SQLite file deleted, every table of a PostgreSQL database
dropped; the test databases are refused) and migrated to head.

For an A/B of two versions of the storing code, run this script from a checkout of each (git
worktree) with the same arguments; the extraction is the same for the same texts and code of
the extractor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url

from app.db.engine import make_engine, make_session, normalise_url
from app.db.migrations import upgrade
from app.extraction import Extraction, extract_many
from app.services.ingest import ArticleInput, PreparedArticle, prepare_article, store_article
from app.settings import Settings

try:  # python -m benchmarks.storing_ab
    from benchmarks.extraction_speed import load_texts
    from benchmarks.generate import prepare_postgres, prepare_sqlite
except ImportError:  # python benchmarks/storing_ab.py
    from extraction_speed import load_texts  # type: ignore[no-redef]
    from generate import prepare_postgres, prepare_sqlite  # type: ignore[no-redef]


def store_all(
    database_url: str, prepared: Sequence[PreparedArticle], extractions: Sequence[Extraction]
) -> None:
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        assert url.database
        prepare_sqlite(Path(url.database), replace=True)
    else:
        prepare_postgres(url, create=True, replace=True)
    rendered = url.render_as_string(hide_password=False)
    upgrade(rendered)
    settings = Settings(database_url=rendered)
    engine = make_engine(settings)
    per_article: list[float] = []
    speakers = 0
    with make_session(engine) as session:
        for article, extraction in zip(prepared, extractions, strict=True):
            started = time.perf_counter()
            result = store_article(session, article, extraction)
            per_article.append((time.perf_counter() - started) * 1000)
            assert result.created
            speakers += len(extraction.speakers)
    engine.dispose()
    print(
        f"{url.get_backend_name():10} {len(prepared)} articles "
        f"({speakers / len(prepared):.1f} speakers "
        f"each): mean {statistics.fmean(per_article):.1f} ms, median "
        f"{statistics.median(per_article):.1f} ms per article"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles_file", type=Path, help="JSONL with a `text` per line.")
    parser.add_argument("--articles", type=int, default=80, help="First N articles (80).")
    parser.add_argument(
        "--database-url",
        action="append",
        required=True,
        help="A scratch database, emptied first (repeat for several, timed in the given order).",
    )
    args = parser.parse_args(argv)
    limit = Settings(database_url="sqlite://").max_article_chars
    prepared = [
        prepare_article(ArticleInput(text=text), max_chars=limit)
        for text in load_texts(args.articles_file, args.articles)
    ]
    extractions = list(extract_many(article.text for article in prepared))
    print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    for database_url in args.database_url:
        store_all(database_url, prepared, extractions)
    print(f"load average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
