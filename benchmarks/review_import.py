"""Import speed of fact-checks into a database holding generated claims.

    .venv/bin/python -m benchmarks.generate --database-url sqlite:///var/bench.db \\
        --articles 20000 --speakers 4000 --quotes 200000 --claims 60000 --replace
    .venv/bin/python -m benchmarks.review_import --database-url sqlite:///var/bench.db --reviews 500

Reviews are made from stored claims' texts (so each finds candidates and links), every third
with another figure; they are imported through the service, one transaction each, then removed
again with their links (the generated data is left as it was).
"""

from __future__ import annotations

import argparse
import random
import re
import time

import sqlalchemy as sa

from app.db.engine import make_engine, make_session
from app.services.review_documents import read_values
from app.services.reviews import import_reviews
from app.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--reviews", type=int, default=500)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    engine = make_engine(Settings(DATABASE_URL=args.database_url))
    rng = random.Random(args.seed)
    with engine.connect() as connection:
        claims = connection.execute(sa.text("SELECT count(*) FROM claim")).scalar_one()
        texts = [
            row[0]
            for row in connection.execute(
                sa.text("SELECT text FROM claim ORDER BY id LIMIT :n"), {"n": args.reviews * 20}
            )
        ]
    picked = rng.sample(texts, min(args.reviews, len(texts)))
    documents = []
    for number, text in enumerate(picked):
        if number % 3 == 2:
            text = re.sub(r"\d+", lambda m: str(int(m.group()) + 7), text)
        documents.append(
            {
                "@type": "ClaimReview",
                "url": f"https://bench-review.example/{number}",
                "claimReviewed": text,
                "author": {"name": "Bench Check"},
                "reviewRating": {"alternateName": "False"},
            }
        )
    reviews = read_values(documents).reviews
    with make_session(engine) as session:
        started = time.perf_counter()
        report = import_reviews(session, reviews)
        took = time.perf_counter() - started
        again_started = time.perf_counter()
        import_reviews(session, reviews)
        again = time.perf_counter() - again_started
    print(
        f"{claims} claims stored; {len(reviews)} reviews imported in {took:.2f} s "
        f"({len(reviews) / took:.0f} reviews/s, {1000 * took / len(reviews):.1f} ms each): "
        f"{report.automatic} automatic links, {report.suggested} suggested; "
        f"the same reviews again (unchanged): {again:.2f} s"
    )
    with engine.begin() as connection:
        connection.execute(
            sa.text("DELETE FROM claim_review WHERE url LIKE 'https://bench-review.example/%'")
        )
    engine.dispose()


if __name__ == "__main__":
    main()
