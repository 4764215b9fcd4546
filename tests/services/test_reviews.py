"""Fact-checks: reading ClaimReview JSON-LD in every shape, matching it to claims (the hard
cases), idempotent imports, editors' decisions that imports keep, ingest linking new claims,
and the export read back by the importer."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli
from app.db.engine import make_session
from app.extraction.types import ClaimSpan, Extraction, SpeakerRef
from app.services.ingest import ArticleInput, prepare_article, store_article
from app.services.review_documents import ParsedReview, read_path, read_text, read_values
from app.services.review_matching import AUTO_LINK, SUGGEST, score_pair, status_for
from app.services.reviews import import_reviews, link_review, unlink_review
from app.services.stamp import read_write_stamp
from benchmarks.review_matching import load, report, scored_pairs
from tests.conftest import row_counts

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reviews"


def store_claims(
    session: Session,
    claims: Sequence[tuple[str, str | None]],
    *,
    url: str | None = None,
) -> list[int]:
    """One article holding exactly these claims (text, claimant), stored as ingest stores
    it; the claims' ids in order."""
    names = sorted({name for _, name in claims if name})
    text, spans = "", []
    for claim, name in claims:
        start = len(text)
        text += claim + " "
        claimant = names.index(name) if name else None
        spans.append(ClaimSpan(claim, start, start + len(claim), 0.9, claimant=claimant))
    # Plain English around the claims, so the article reads as English however short they are.
    text += "It is what they said to us, and we have been told that it was so for all of them."
    prepared = prepare_article(ArticleInput(text=text, url=url), max_chars=100_000)
    extraction = Extraction(
        text=prepared.text,
        speakers=tuple(SpeakerRef(name, "person") for name in names),
        claims=tuple(spans),
        extractor_version="test",
    )
    article_id = store_article(session, prepared, extraction).article_id
    ids = session.execute(
        sa.text("SELECT id FROM claim WHERE article_id = :a ORDER BY position"), {"a": article_id}
    ).scalars()
    return [int(i) for i in ids]


def review(claim: str, url: str | None = None, rating: str = "False", **extra: Any) -> Any:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "url": url,
        "author": {"@type": "Organization", "name": "Check Desk"},
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        **extra,
    }


def links(engine: sa.Engine) -> dict[tuple[int, int], tuple[str, str, float]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT claim_id, review_id, status, method, score FROM review_link")
        ).all()
    return {(c, r): (status, method, score) for c, r, status, method, score in rows}


# --- reading ----------------------------------------------------------------------------------


def test_reads_pages_feeds_graphs_and_fact_check_tools_results() -> None:
    page = read_path(FIXTURES / "page.html")
    assert [r.url for _, r in page.reviews] == ["https://checkdesk.example/riverside-bridge"]
    bridge = page.reviews[0][1]
    assert bridge == ParsedReview(
        claim_reviewed="The new Riverside bridge cost 340 million dollars.",
        reviewer="Check Desk",
        reviewer_url="https://checkdesk.example",
        url="https://checkdesk.example/riverside-bridge",
        rating="Mostly true",
        rating_value=4.0,
        best_rating=5.0,
        worst_rating=1.0,
        review_date=datetime(2025, 4, 2, tzinfo=UTC),
        claimant_name="Ana Ruiz",
        claim_date=datetime(2025, 3, 30, tzinfo=UTC),
        appearances=("https://news.example/bridge",),
    )
    # The WebSite object is passed over; the broken script is reported, by position.
    assert [(f.position, f.message[:12]) for f in page.failures] == [
        (f"{FIXTURES / 'page.html'} script 3", "invalid JSON")
    ]

    feed = read_path(FIXTURES / "feed.jsonl")
    found = {r.claim_reviewed: r for _, r in feed.reviews}
    assert set(found) == {
        "Drinking coffee causes dehydration.",
        "Wind farms kill more birds than cats do.",
        "Petrol prices in Marland have doubled since January.",
    }
    assert found["Wind farms kill more birds than cats do."].rating == "1/5"
    petrol = found["Petrol prices in Marland have doubled since January."]
    assert (petrol.reviewer, petrol.rating, petrol.claimant_name, petrol.language) == (
        "Marland Check",
        "Misleading",
        "Ivo Brandt",
        "en",
    )
    where = str(FIXTURES / "feed.jsonl")
    assert {(f.position, f.message.split(":")[0]) for f in feed.failures} == {
        (f"{where}:2", "No reviewRating"),
        (f"{where}:3", "invalid JSON"),
        (f"{where}:6[0]", "datePublished is not an ISO 8601 date"),
    }
    # A folder reads every file in it, in name order.
    assert len(read_path(FIXTURES).reviews) == 4


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"@type": "ClaimReview", "author": "X", "reviewRating": {"alternateName": "F"}}, "No c"),
        ({"@type": "NewsArticle", "claimReviewed": "x"}, "Not a ClaimReview"),
        (review("Claim", url="ftp://x.example/1"), "url is not an http(s) URL"),
        (review("Claim", reviewRating={"ratingValue": "high"}), "reviewRating.ratingValue"),
        ([1], "Expected a JSON object"),
    ],
)
def test_a_bad_record_is_refused_with_its_reason(value: Any, message: str) -> None:
    read = read_values([review("A good one"), value])
    assert len(read.reviews) == 1
    assert read.failures[0].message.startswith(message)
    assert read.failures[0].position.startswith("1")


def test_a_feed_without_the_jsonl_name_is_read_line_by_line() -> None:
    text = "\n".join(json.dumps(review(f"Claim number {n} here")) for n in range(3))
    assert len(read_text(text, "feed.json").reviews) == 3


# --- matching: the hard cases -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "linked"),
    [
        ("Labour minister Petra Hale said unemployment in Norland dropped to 4.2 per cent.", True),
        ("Unemployment in Norland fell to 5.2% last year, the minister said.", False),
        ("Unemployment in Norland rose to 4.2% last year.", False),
        ("Unemployment in Norland did not fall to 4.2% last year.", False),
        ("Unions in Norland say unemployment benefits are too low.", False),
    ],
)
def test_a_changed_figure_a_negation_or_another_direction_never_links_automatically(
    claim: str, linked: bool
) -> None:
    match = score_pair("Unemployment in Norland fell to 4.2% last year.", claim)
    assert (status_for(match.score) == "automatic") is linked, match


def test_figures_are_compared_as_values_and_comparisons_by_their_sides() -> None:
    assert score_pair("It cost 3.5 million dollars.", "It cost $3,500,000.").blocked is None
    assert (
        score_pair("Twelve thousand homes were built.", "12,000 homes were built.").blocked is None
    )
    assert score_pair("The pier opened in 1975.", "The pier opened in 1976.").blocked == (
        "figures-differ"
    )
    reversed_ = score_pair(
        "Wind farms kill more birds than cats do.", "Cats kill more birds than wind farms do."
    )
    assert reversed_.blocked == "comparison-reversed"
    assert status_for(reversed_.score) != "automatic"


def test_the_labelled_pairs_are_matched_precisely(capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/data/review_pairs.jsonl: 26 reviews x 79 claims (RESULTS.md has the figures);
    here a floor that a worse matcher would fall through."""
    pairs = scored_pairs(load())
    automatic = {(p[0], p[1] + p[2]) for p in pairs if p[3] >= AUTO_LINK}
    gold = {(p[0], p[1] + p[2]) for p in pairs if p[4]}
    assert len(automatic & gold) / len(automatic) >= 0.95
    assert len(automatic & gold) / len(gold) >= 0.8
    suggested = {(p[0], p[1] + p[2]) for p in pairs if p[3] >= SUGGEST}
    assert len(suggested & gold) / len(gold) >= 0.95
    # Every changed figure and every negation stays below the automatic threshold.
    assert all(p[3] < AUTO_LINK for p in pairs if p[2] in ("figure", "negation", "direction"))
    report("scorer", pairs, "all")
    assert "precision 1.000" in capsys.readouterr().out


# --- importing and linking ------------------------------------------------------------------


BRIDGE = "The new Riverside bridge cost 340 million dollars."


def test_import_links_claims_and_importing_again_changes_nothing(engine: sa.Engine) -> None:
    with make_session(engine) as session:
        paraphrase, other_figure, same_topic = store_claims(
            session,
            [
                ("The Riverside bridge cost $340 million to build, the mayor said.", "Ana Ruiz"),
                ("The new Riverside bridge cost 430 million dollars, critics claimed.", None),
                ("Traffic on the Riverside bridge has doubled since it opened.", None),
            ],
        )
        first = import_reviews(
            session, read_values([review(BRIDGE, "https://c.example/1")]).reviews
        )
    assert (first.created, first.automatic) == (1, 1)
    made = links(engine)
    review_id = first.review_ids[0]
    assert made[(paraphrase, review_id)][:2] == ("automatic", "text-v1")
    assert made[(other_figure, review_id)][:2] == ("suggested", "text-v1:figures-differ")
    assert (same_topic, review_id) not in made or made[(same_topic, review_id)][0] == "suggested"
    assert all(SUGGEST <= score <= 1 for _s, _m, score in made.values())

    counts, stamp = row_counts(engine), read_write_stamp(engine)
    with make_session(engine) as session:
        again = import_reviews(
            session, read_values([review(BRIDGE, "https://c.example/1")]).reviews
        )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert row_counts(engine) == counts and links(engine) == made
    assert read_write_stamp(engine) == stamp  # nothing written, so caches stay valid


def test_a_review_without_url_is_known_again_by_its_content(engine: sa.Engine) -> None:
    with make_session(engine) as session:
        import_reviews(session, read_values([review(BRIDGE)]).reviews)
        again = import_reviews(session, read_values([review(BRIDGE)]).reviews)
        other = import_reviews(session, read_values([review(BRIDGE, rating="True")]).reviews)
    assert (again.unchanged, other.created) == (1, 1)


def test_an_editors_decision_is_never_undone_by_an_import(engine: sa.Engine) -> None:
    with make_session(engine) as session:
        paraphrase, other_figure = store_claims(
            session,
            [
                ("The Riverside bridge cost $340 million to build, the mayor said.", None),
                ("The new Riverside bridge cost 430 million dollars, critics claimed.", None),
            ],
        )
        review_id = import_reviews(
            session, read_values([review(BRIDGE, "https://c.example/1")]).reviews
        ).review_ids[0]
        unlink_review(session, paraphrase, review_id)
        link_review(session, other_figure, review_id)
        decided = links(engine)
        # The fact-checker updates the verdict: the review changes and is matched again.
        updated = import_reviews(
            session,
            read_values([review(BRIDGE, "https://c.example/1", rating="Mostly true")]).reviews,
        )
    assert updated.updated == 1
    after = links(engine)
    assert after[(paraphrase, review_id)][0] == "rejected"
    assert after[(other_figure, review_id)][0] == "confirmed"
    assert after == decided
    with engine.connect() as connection:
        rating = connection.execute(sa.text("SELECT rating FROM claim_review")).scalar_one()
    assert rating == "Mostly true"


def test_ingest_links_new_claims_to_stored_reviews(engine: sa.Engine) -> None:
    with make_session(engine) as session:
        bridge, coffee = import_reviews(
            session,
            read_values(
                [
                    review(BRIDGE, "https://c.example/1"),
                    review("Drinking coffee causes dehydration.", "https://c.example/2"),
                ]
            ).reviews,
        ).review_ids
        assert links(engine) == {}
        first, second, third = store_claims(
            session,
            [
                ("The Riverside bridge cost 340 million dollars, Ana Ruiz said.", None),
                ("Drinking coffee causes dehydration, the mayor added.", None),
                ("The new Riverside bridge cost 430 million dollars, critics said.", None),
            ],
        )
    made = links(engine)
    assert made[(first, bridge)][0] == "automatic"
    assert made[(second, coffee)][0] == "automatic"
    assert made[(third, bridge)][:2] == ("suggested", "text-v1:figures-differ")
    assert (first, coffee) not in made and (second, bridge) not in made


def test_a_claim_in_an_article_the_review_names_is_matched_more_surely(
    engine: sa.Engine,
) -> None:
    text = "The Riverside crossing cost 340 million dollars, the council said."
    with make_session(engine) as session:
        (elsewhere,) = store_claims(session, [(text, None)])
        (named,) = store_claims(session, [(text + " ", None)], url="https://news.example/bridge")
        review_id = import_reviews(session, read_path(FIXTURES / "page.html").reviews).review_ids[0]
    made = links(engine)
    assert made[(named, review_id)][1].endswith("+appearance")
    assert made[(named, review_id)][2] > made[(elsewhere, review_id)][2]


# --- export -----------------------------------------------------------------------------------


def test_export_is_claimreview_json_ld_that_the_importer_reads_back(
    engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    with make_session(engine) as session:
        store_claims(
            session,
            [("The Riverside bridge cost $340 million to build, the mayor said.", "Ana Ruiz")],
            url="https://news.example/riverside",
        )
        imported = import_reviews(session, read_path(FIXTURES).reviews)
    assert imported.created == 4
    output = tmp_path / "reviews.jsonld"
    result = CliRunner().invoke(
        cli,
        ["reviews", "export", "--all", "--output", str(output)],
        env={"DATABASE_URL": database_url},
    )
    assert result.exit_code == 0, result.output
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["@context"] == "https://schema.org"
    assert {item["@type"] for item in document["@graph"]} == {"ClaimReview"}
    bridge = next(i for i in document["@graph"] if i["claimReviewed"] == BRIDGE)
    appearance = bridge["itemReviewed"]["appearance"]
    assert {a.get("url") for a in appearance} == {
        "https://news.example/bridge",
        "https://news.example/riverside",
    }
    assert any(a.get("author", {}).get("name") == "Ana Ruiz" for a in appearance)

    back = {r.natural_key: r for _, r in read_path(output).reviews}
    original = {r.natural_key: r for _, r in read_path(FIXTURES).reviews}
    assert set(back) == set(original)
    for key, parsed in original.items():
        linked = back[key].appearances
        assert back[key] == ParsedReview(**{**_fields(parsed), "appearances": linked})
        assert set(parsed.appearances) <= set(linked)

    # Only linked reviews without --all; --jsonl gives one object a line.
    linked_only = CliRunner().invoke(
        cli, ["reviews", "export", "--jsonl"], env={"DATABASE_URL": database_url}
    )
    lines = [json.loads(line) for line in linked_only.stdout.splitlines() if line]
    assert [line["claimReviewed"] for line in lines] == [BRIDGE]
    same = CliRunner().invoke(
        cli, ["export", "--format", "claimreview"], env={"DATABASE_URL": database_url}
    )
    assert json.loads(same.stdout)["@graph"][0]["claimReviewed"] == BRIDGE


def _fields(parsed: ParsedReview) -> dict[str, Any]:
    return {name: getattr(parsed, name) for name in ParsedReview.__dataclass_fields__}


def test_the_cli_reports_skipped_records_and_imports_the_rest(
    database_url: str, engine: sa.Engine
) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["reviews", "import", str(FIXTURES)], env={"DATABASE_URL": database_url}
    )
    assert result.exit_code == 0, result.output
    assert "4 reviews imported, 0 updated, 0 unchanged, 4 skipped" in result.stdout
    assert "feed.jsonl:3: invalid JSON" in result.stderr
    again = runner.invoke(
        cli, ["reviews", "import", str(FIXTURES)], env={"DATABASE_URL": database_url}
    )
    assert "0 reviews imported, 0 updated, 4 unchanged" in again.stdout
    assert row_counts(engine)["claim_review"] == 4


# --- migration 0008 -------------------------------------------------------------------------


def test_reviews_attached_before_0008_become_confirmed_links(empty_database: str) -> None:
    from alembic import command

    from app.db.migrations import alembic_config, upgrade

    upgrade(empty_database, "0007")
    engine = sa.create_engine(empty_database)
    with engine.begin() as connection:
        run = connection.execute
        run(
            sa.text(
                "INSERT INTO article (id, text, body_start, body_end, content_hash, language, "
                "ingested_at, extractor_version, sort_date) VALUES (1, 'The pier cost 4 million.',"
                " 0, 24, 'h', 'en', :now, 'v', :now)"
            ),
            {"now": datetime(2025, 1, 1, tzinfo=UTC)},
        )
        run(
            sa.text(
                'INSERT INTO claim (id, article_id, position, text, start, "end", score, '
                "features, sort_date) VALUES (1, 1, 0, 'The pier cost 4 million.', 0, 24, 0.9, "
                "'{}', :now)"
            ),
            {"now": datetime(2025, 1, 1, tzinfo=UTC)},
        )
        for review_id, url in ((1, "https://fact.example/1"), (2, None)):
            run(
                sa.text(
                    "INSERT INTO claim_review (id, claim_id, reviewer, url, rating) "
                    "VALUES (:id, 1, 'Fact Desk', :url, 'True')"
                ),
                {"id": review_id, "url": url},
            )
    upgrade(empty_database)
    with engine.connect() as connection:
        reviews = connection.execute(
            sa.text("SELECT id, claim_reviewed, natural_key FROM claim_review ORDER BY id")
        ).all()
        linked = connection.execute(
            sa.text("SELECT claim_id, review_id, status, method, score FROM review_link")
        ).all()
    assert [(r.id, r.claim_reviewed) for r in reviews] == [
        (1, "The pier cost 4 million."),
        (2, "The pier cost 4 million."),
    ]
    assert (
        reviews[0].natural_key
        == ParsedReview(
            "The pier cost 4 million.", "Fact Desk", "True", url="https://fact.example/1"
        ).natural_key
    )
    assert sorted(linked) == [
        (1, 1, "confirmed", "editor", 1.0),
        (1, 2, "confirmed", "editor", 1.0),
    ]
    # And back: each review belongs to its claim again.
    command.downgrade(alembic_config(empty_database), "0007")
    with engine.connect() as connection:
        back = connection.execute(sa.text("SELECT id, claim_id FROM claim_review")).all()
    assert sorted(back) == [(1, 1), (2, 1)]
    engine.dispose()


def test_one_page_may_review_several_claims(engine: sa.Engine) -> None:
    page = "https://c.example/roundup"
    with make_session(engine) as session:
        first = import_reviews(
            session,
            read_values([review(BRIDGE, page), review("Coffee causes dehydration.", page)]).reviews,
        )
        again = import_reviews(
            session,
            read_values([review(BRIDGE, page), review("Coffee causes dehydration.", page)]).reviews,
        )
    assert (first.created, again.unchanged) == (2, 2)
