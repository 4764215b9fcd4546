"""What grouping into quotations adds to an ingest: the time to place new quotes of the busiest
speaker (the most candidates to compare with) and of a rare one, in a transaction rolled back.

    .venv/bin/python benchmarks/quotation_assign.py --database-url sqlite:////tmp/qg_1m.db

Each new quote is an existing quote of that speaker with its last word dropped (so it is
compared, not found by its exact words) or a text of words the corpus does not use.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime

import sqlalchemy as sa

from app.db.engine import make_engine, make_session
from app.services.quotations import NewOccurrence, assign
from app.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--quotes", type=int, default=50)
    args = parser.parse_args()
    engine = make_engine(Settings(DATABASE_URL=args.database_url))
    with make_session(engine) as session:
        busiest, rare = session.execute(
            sa.text(
                "SELECT (SELECT speaker_id FROM quotation GROUP BY speaker_id "
                "ORDER BY sum(occurrences) DESC LIMIT 1), (SELECT speaker_id FROM quotation "
                "GROUP BY speaker_id ORDER BY sum(occurrences) LIMIT 1)"
            )
        ).one()
        quote_id = session.execute(sa.text("SELECT max(id) FROM quote")).scalar_one()
        for label, speaker in (("busiest", busiest), ("rare", rare)):
            texts = session.execute(
                sa.text("SELECT text FROM quote WHERE speaker_id = :s ORDER BY id LIMIT :n"),
                {"s": speaker, "n": args.quotes},
            ).scalars()
            for variant, make in (
                ("trimmed", lambda t: t.rsplit(" ", 1)[0]),
                ("new words", lambda t: f"Zebras {len(t)} quietly organise xylophone recitals"),
            ):
                timings = []
                for text in list(texts) if variant == "trimmed" else [""] * args.quotes:
                    quote_id += 1
                    new_text, now = make(text), datetime.now(UTC)
                    session.execute(sa.text("SAVEPOINT one"))
                    session.execute(
                        sa.text(
                            "INSERT INTO quote (id, article_id, speaker_id, position, text, kind, "
                            'start, "end", confidence, sort_date) VALUES (:id, (SELECT min(id) '
                            "FROM article), :s, 100000, :t, 'direct', 0, 1, 0.9, :d)"
                        ),
                        {"id": quote_id, "s": speaker, "t": new_text, "d": now},
                    )
                    started = time.perf_counter()
                    assign(session, [NewOccurrence(quote_id, speaker, new_text, now)])
                    timings.append((time.perf_counter() - started) * 1000)
                    session.execute(sa.text("ROLLBACK TO SAVEPOINT one"))
                timings.sort()
                print(
                    f"{label:<8} {variant:<10} n={len(timings):<4} median "
                    f"{statistics.median(timings):6.2f} ms  p90 "
                    f"{timings[int(len(timings) * 0.9)]:6.2f} ms"
                )
        session.rollback()
    engine.dispose()


if __name__ == "__main__":
    main()
