"""What editors' corrections cost at scale: merging a speaker with a large quote history (every
quote, claim and alias moved, each moved quote recorded in the audit trail, one transaction),
and the per-quote corrections, on SQLite and PostgreSQL, in process through the services.

    .venv/bin/python -m benchmarks.curation --quotes 90000 \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from app.db.engine import make_engine, make_session
from app.db.migrations import upgrade
from app.services import curation, quotations
from app.services.audit import CLI
from app.settings import Settings

QUOTES_PER_ARTICLE = 30
INSERT_QUOTE = sa.text(
    """INSERT INTO quote (article_id, speaker_id, position, text, kind, start, "end", confidence,
    sort_date) VALUES (:a, :s, :p, :text, 'direct', 20, 44, 0.9, :t)"""
)
TEXT = "The minister said the harbour would reopen in spring, and that the budget was agreed. " * 4


SAYINGS = [
    f"the harbour in district {n} would reopen in spring"
    + ("" if n % 3 else f" after the works on pier {n % 17}")
    for n in range(2_000)
]


def seed(engine: sa.Engine, quotes: int) -> tuple[int, int]:
    """Two speakers with `quotes` quotes each; returns (keeper id, merged id)."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        speaker_ids = []
        for name in ("Keeper Person", "Merged Person"):
            speaker_ids.append(
                connection.execute(
                    sa.text(
                        "INSERT INTO speaker (name, name_key, kind, created_at, updated_at, "
                        "curated) VALUES (:n, :k, 'person', :t, :t, '{}') RETURNING id"
                    ),
                    {"n": name, "k": name.lower(), "t": start},
                ).scalar_one()
            )
        articles = 2 * quotes // QUOTES_PER_ARTICLE
        article_rows = [
            {
                "text": f"{TEXT} Story {i}.",
                "hash": uuid.uuid4().hex + uuid.uuid4().hex,
                "t": start + timedelta(minutes=i),
            }
            for i in range(articles)
        ]
        connection.execute(
            sa.text(
                "INSERT INTO article (text, body_start, body_end, content_hash, language, "
                "ingested_at, extractor_version, sort_date) VALUES (:text, 0, 10, :hash, 'en', "
                ":t, 'bench', :t)"
            ),
            article_rows,
        )
        ids = connection.execute(sa.text("SELECT id, sort_date FROM article ORDER BY id")).all()
        quote_rows = [
            {
                "a": article_id,
                "s": speaker_ids[(n // QUOTES_PER_ARTICLE) % 2],
                "p": n % QUOTES_PER_ARTICLE,
                "t": sort_date,
                # About 2,000 distinct sayings, some of them trimmed versions of others: the
                # quotations a merge must re-place the moved quotes among.
                "text": SAYINGS[n % len(SAYINGS)],
            }
            for n, (article_id, sort_date) in (
                (n, ids[n // QUOTES_PER_ARTICLE]) for n in range(articles * QUOTES_PER_ARTICLE)
            )
        ]
        for offset in range(0, len(quote_rows), 20_000):
            connection.execute(
                INSERT_QUOTE,
                quote_rows[offset : offset + 20_000],
            )
    return speaker_ids[0], speaker_ids[1]


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def run(url: str, quotes: int, repeats: int) -> dict[str, float]:
    settings = Settings(DATABASE_URL=url)
    upgrade(url)
    engine = make_engine(settings)
    keeper, merged = seed(engine, quotes)
    with make_session(engine) as session:  # the quotations, as ingest would have kept them
        quotations.rebuild_quotations(session)
        session.commit()
    # Statistics, as a database that has lived has them (autovacuum analyses PostgreSQL's
    # tables within minutes of a bulk load; benchmarks/generate.py runs ANALYZE too): without
    # them PostgreSQL guessed one row for every subquery of the co-quoted recount and a
    # reattribution took 2 s instead of tens of milliseconds (benchmarks/RESULTS.md, "cur17").
    with engine.connect() as connection:
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    figures: dict[str, float] = {}
    with make_session(engine) as session:
        figures["mergeSpeakers"] = timed(
            lambda: curation.merge_speakers(session, CLI, keeper, [merged])
        )
        figures["quotations after merge"] = float(
            session.execute(sa.text("SELECT count(*) FROM quotation")).scalar_one()
        )
        quote_ids = [
            int(i)
            for i in session.execute(
                sa.text("SELECT id FROM quote ORDER BY id LIMIT :n"), {"n": repeats}
            ).scalars()
        ]
        session.rollback()
        other = curation.split_speaker(session, CLI, keeper, quote_ids[:1], new_name="Other")[1]
        per_quote: dict[str, list[float]] = {
            "reattributeQuote": [],
            "editQuote": [],
            "markNotAQuote": [],
            "restore": [],
            "editSpeaker": [],
        }
        for n, quote_id in enumerate(quote_ids[1:]):
            per_quote["reattributeQuote"].append(
                timed(lambda q=quote_id: curation.reattribute_quote(session, CLI, q, other))
            )
            per_quote["editQuote"].append(
                timed(lambda q=quote_id: curation.edit_quote(session, CLI, q, 21, 44))
            )
            per_quote["markNotAQuote"].append(
                timed(lambda q=quote_id: curation.mark_not_a_quote(session, CLI, q, True))
            )
            per_quote["restore"].append(
                timed(lambda q=quote_id: curation.mark_not_a_quote(session, CLI, q, False))
            )
            per_quote["editSpeaker"].append(
                timed(lambda n=n: curation.edit_speaker(session, CLI, other, {"role": f"Role {n}"}))
            )
        for name, samples in per_quote.items():
            figures[f"{name} (median)"] = statistics.median(samples)
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=90_000, help="quotes of each speaker")
    parser.add_argument("--repeats", type=int, default=30, help="per-quote corrections timed")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (scratch database)")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = run(f"sqlite:///{Path(folder) / 'bench.db'}", args.quotes, args.repeats)
    if args.postgres:
        admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"quotegraph_curation_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            url = admin.url.set(database=name).render_as_string(hide_password=False)
            results["postgresql"] = run(url, args.quotes, args.repeats)
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print(f"curation at {args.quotes:,} quotes per speaker (ms; merge moves all of one speaker's)")
    names = list(next(iter(results.values())))
    print(f"{'':28}" + "".join(f"{db:>12}" for db in results))
    for name in names:
        print(f"{name:28}" + "".join(f"{results[db][name]:>12.1f}" for db in results))


if __name__ == "__main__":
    main()
