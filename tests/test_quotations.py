"""Quotations: the same words of one speaker across articles are one quotation, kept right on
ingest, re-ingest, delete, import and rebuild; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli
from app.db.engine import begin_write, make_session
from app.db.migrations import alembic_config, upgrade
from app.extraction.types import Extraction, QuoteSpan, SpeakerRef
from app.main import create_app
from app.services.ingest import ArticleInput, prepare_article, store_article
from app.services.quotation_text import same_quotation, similarity, text_key
from app.services.quotations import rebuild_quotations
from app.settings import Settings
from tests.conftest import GraphQL
from tests.helpers import INGEST
from tests.test_curation import HIDE, MERGE, REATTRIBUTE

MONDAY = (
    '"We will finish the northern pier by next spring, whatever the critics say," Harbour '
    'Minister Elena Vasquez said on Monday.\n\n"The budget is under control," Vasquez added.'
)
TUESDAY = (
    "Elena Vasquez, the harbour minister, was at the port again on Tuesday.\n\n"
    '"We will finish the northern pier by next spring," Vasquez told reporters.\n\n'
    'Opposition leader Tom Reed disagreed. "The pier will never be finished on time," Reed said.'
)
WEDNESDAY = (
    '"We will finish the Northern Pier by next spring -- whatever the critics say!" Harbour '
    "Minister Elena Vasquez said on Wednesday.\n\n"
    '"We will not finish the northern pier by next spring," opposition leader Tom Reed said.'
)
DATES = {
    MONDAY: "2025-03-03T09:00:00Z",
    TUESDAY: "2025-03-04T09:00:00Z",
    WEDNESDAY: "2025-03-05T09:00:00Z",
}

QUOTATIONS = """
query($speaker: String, $min: Int) {
  quotations(speaker: $speaker, minOccurrences: $min, first: 10) {
    totalCount
    nodes {
      id text occurrences firstSeen lastSeen contentId speaker { name }
      quotes(first: 10) { totalCount nodes { id text article { source } quotation { id } } }
    }
  }
}
"""


def ingest(gql: GraphQL, text: str, source: str) -> dict[str, Any]:
    return gql.ok(INGEST, input={"text": text, "source": source, "publishedAt": DATES[text]})[
        "ingestArticle"
    ]


def test_the_same_words_in_three_articles_are_one_quotation(gql: GraphQL) -> None:
    for text, source in ((MONDAY, "Wire"), (TUESDAY, "Daily"), (WEDNESDAY, "Post")):
        ingest(gql, text, source)
    data = gql.ok(QUOTATIONS, speaker="Vasquez", min=2)["quotations"]
    assert data["totalCount"] == 1
    (pier,) = data["nodes"]
    assert (
        pier["text"] == "We will finish the northern pier by next spring, whatever the critics say"
    )
    assert pier["occurrences"] == 3 == pier["quotes"]["totalCount"]
    assert pier["firstSeen"].startswith("2025-03-03") and pier["lastSeen"].startswith("2025-03-05")
    assert pier["speaker"]["name"] == "Elena Vasquez"
    # Trimmed (Tuesday) and re-punctuated (Wednesday) versions are occurrences of it.
    assert {q["article"]["source"] for q in pier["quotes"]["nodes"]} == {"Wire", "Daily", "Post"}
    assert {q["quotation"]["id"] for q in pier["quotes"]["nodes"]} == {pier["id"]}
    # Her other quote is a quotation of its own; Reed's negation of her words is Reed's own.
    everything = gql.ok(QUOTATIONS)["quotations"]["nodes"]
    assert sorted((q["speaker"]["name"], q["occurrences"]) for q in everything) == [
        ("Elena Vasquez", 1),
        ("Elena Vasquez", 3),
        ("Tom Reed", 1),
        ("Tom Reed", 1),
    ]
    # node(id:) and Quotation.contentId resolve to it.
    for identifier in (pier["id"], pier["contentId"]):
        node = gql.ok(
            "query($id: ID!) { node(id: $id) { ... on Quotation { id occurrences } } }",
            id=identifier,
        )["node"]
        assert node == {"id": pier["id"], "occurrences": 3}


def test_delete_and_re_ingest_keep_counts_right(gql: GraphQL, engine: sa.Engine) -> None:
    stored = {
        text: ingest(gql, text, source)
        for text, source in ((MONDAY, "Wire"), (TUESDAY, "Daily"), (WEDNESDAY, "Post"))
    }
    again = ingest(gql, MONDAY, "Wire")
    assert again["created"] is False
    assert (
        gql.ok(QUOTATIONS, speaker="Vasquez", min=2)["quotations"]["nodes"][0]["occurrences"] == 3
    )

    delete = "mutation($id: ID!) { deleteArticle(id: $id) { deletedId } }"
    gql.ok(delete, id=stored[WEDNESDAY]["article"]["id"])
    (pier,) = gql.ok(QUOTATIONS, speaker="Vasquez", min=2)["quotations"]["nodes"]
    assert pier["occurrences"] == 2 and pier["lastSeen"].startswith("2025-03-04")
    gql.ok(delete, id=stored[MONDAY]["article"]["id"])
    (pier,) = gql.ok(QUOTATIONS, speaker="Vasquez")["quotations"]["nodes"]
    # The group lives on in its remaining occurrence, with the text that started it.
    assert pier["occurrences"] == 1 and pier["firstSeen"].startswith("2025-03-04")
    gql.ok(delete, id=stored[TUESDAY]["article"]["id"])
    assert gql.ok(QUOTATIONS, speaker="Vasquez")["quotations"]["totalCount"] == 0
    assert_no_drift(engine)


def assert_no_drift(engine: sa.Engine) -> None:
    """Every quotation's counts and dates are those of its occurrences; every attributed
    speech quote is an occurrence of exactly one quotation of its own speaker, and no other
    quote (a belief, evidence) is an occurrence."""
    with engine.connect() as c:
        drift = c.execute(
            sa.text(
                "SELECT q.id FROM quotation q LEFT JOIN (SELECT quotation_id, count(*) n, "
                "min(sort_date) f, max(sort_date) l FROM quotation_occurrence GROUP BY "
                "quotation_id) o ON o.quotation_id = q.id WHERE o.n IS NULL OR o.n != "
                "q.occurrences OR o.f != q.first_seen OR o.l != q.last_seen"
            )
        ).all()
        assert drift == []
        unplaced = c.execute(
            sa.text(
                "SELECT qu.id FROM quote qu LEFT JOIN quotation_occurrence o ON o.quote_id = qu.id "
                "LEFT JOIN quotation q ON q.id = o.quotation_id WHERE qu.speaker_id IS NOT NULL "
                "AND qu.attribution_class = 'speech' "
                "AND (q.id IS NULL OR q.speaker_id != qu.speaker_id)"
            )
        ).all()
        assert unplaced == []
        not_speech = c.execute(
            sa.text(
                "SELECT qu.id FROM quote qu JOIN quotation_occurrence o ON o.quote_id = qu.id "
                "WHERE qu.attribution_class <> 'speech'"
            )
        ).all()
        assert not_speech == []


def _groups(session: Session) -> list[tuple[Any, ...]]:
    return sorted(
        tuple(row)
        for row in session.execute(
            sa.text(
                "SELECT s.name_key, q.text_key, q.key_hash, q.occurrences FROM quotation q "
                "JOIN speaker s ON s.id = q.speaker_id"
            )
        ).all()
    )


def test_rebuild_groups_as_ingest_did(gql: GraphQL, engine: sa.Engine) -> None:
    for text, source in ((MONDAY, "Wire"), (TUESDAY, "Daily"), (WEDNESDAY, "Post")):
        ingest(gql, text, source)
    with make_session(engine) as session:
        before = _groups(session)
        begin_write(session)
        assert rebuild_quotations(session) == len(before) == 4
        session.commit()
        assert _groups(session) == before
    assert_no_drift(engine)


# --- the matching rule, on invented pairs -----------------------------------------------------


def test_what_counts_as_the_same_quotation() -> None:
    said = "We will finish the northern pier by next spring, whatever the critics say."
    same = [
        "we will finish the Northern Pier by next spring -- whatever the critics say!",
        "We will finish the northern pier by next spring",  # trimmed at the end
        "the northern pier by next spring, whatever the critics say",  # trimmed at the start
        "We will finish the northern pier by next Spring, whatever critics say.",  # edited
    ]
    different = [
        "We will not finish the northern pier by next spring, whatever the critics say.",
        "We won't finish the northern pier by next spring",
        "We will finish the northern pier by 2027, whatever the critics say.",
        "the critics say",  # a fragment too short to be the quotation
        "The budget for the northern pier is under control, whatever the critics say.",
    ]
    key = text_key(said)
    for text in same:
        assert same_quotation(key, text_key(text)), (text, similarity(key, text_key(text)))
    for text in different:
        assert not same_quotation(key, text_key(text)), (text, similarity(key, text_key(text)))
    figures = text_key("Exports rose 4.2 percent in May")
    assert not same_quotation(figures, text_key("Exports rose 5.2 percent in May"))


def test_curation_moves_a_quote_to_its_new_speakers_quotation(
    gql: GraphQL, engine: sa.Engine
) -> None:
    """What curation (reattributing a quote) calls in its transaction: the quote leaves its
    quotation and joins the right one of its new speaker; nothing drifts."""
    from app.services.quotations import reassign_quotes

    for text, source in ((MONDAY, "Wire"), (TUESDAY, "Daily"), (WEDNESDAY, "Post")):
        ingest(gql, text, source)
    with make_session(engine) as session:
        begin_write(session)
        reed, pier = session.execute(
            sa.text(
                "SELECT (SELECT id FROM speaker WHERE name = 'Tom Reed'), "
                "(SELECT q.id FROM quote q JOIN article a ON a.id = q.article_id "
                "WHERE a.source = 'Daily' AND q.text LIKE 'We will finish%')"
            )
        ).one()
        session.execute(
            sa.text("UPDATE quote SET speaker_id = :reed WHERE id = :pier"),
            {"reed": reed, "pier": pier},
        )
        reassign_quotes(session, [pier])
        session.commit()
    counts = {
        (q["speaker"]["name"], q["text"][:20]): q["occurrences"]
        for q in gql.ok(QUOTATIONS)["quotations"]["nodes"]
    }
    assert counts[("Elena Vasquez", "We will finish the n")] == 2
    assert counts[("Tom Reed", "We will finish the n")] == 1
    assert_no_drift(engine)


def test_merge_regroups_the_survivor_as_a_rebuild_would(gql: GraphQL, engine: sa.Engine) -> None:
    """mergeSpeakers regroups the survivor's quotes set-wise: the moved quote joins the
    survivor's quotation of the same words (one quotation, not two), the survivor's quotations
    keep their row ids, the merged speaker's quotations go, and a rebuild from scratch
    changes nothing."""
    from app.services import curation
    from app.services.audit import CLI
    from tests.services.test_counters import _quotation_rows

    for text, source in ((MONDAY, "Wire"), (TUESDAY, "Daily"), (WEDNESDAY, "Post")):
        ingest(gql, text, source)
    with make_session(engine) as session:
        vasquez, reed = session.execute(
            sa.text(
                "SELECT (SELECT id FROM speaker WHERE name = 'Elena Vasquez'), "
                "(SELECT id FROM speaker WHERE name = 'Tom Reed')"
            )
        ).one()
        before = dict(
            session.execute(
                sa.text("SELECT key_hash, id FROM quotation WHERE speaker_id = :s"), {"s": reed}
            ).all()
        )
        assert len(before) == 2
        theirs = session.execute(
            sa.text("SELECT count(*) FROM quotation WHERE speaker_id = :s"), {"s": vasquez}
        ).scalar_one()
        assert theirs == 2
        curation.merge_speakers(session, CLI, reed, [vasquez])
    with make_session(engine) as session:
        after = dict(
            session.execute(
                sa.text("SELECT key_hash, id FROM quotation WHERE speaker_id = :s"), {"s": reed}
            ).all()
        )
        gone = session.execute(
            sa.text("SELECT count(*) FROM quotation WHERE speaker_id = :s"), {"s": vasquez}
        ).scalar_one()
        occurrences = (
            session.execute(
                sa.text("SELECT occurrences FROM quotation WHERE speaker_id = :s ORDER BY 1"),
                {"s": reed},
            )
            .scalars()
            .all()
        )
        assert gone == 0
        # Reed's "We will not finish the northern pier..." and Vasquez's "We will finish the
        # northern pier..." are different words (score below the threshold); the pier and the
        # budget quotes of Vasquez join Reed's quotations or start their own.
        assert (
            sum(occurrences)
            == session.execute(
                sa.text("SELECT count(*) FROM quote WHERE speaker_id = :s"), {"s": reed}
            ).scalar_one()
        )
        assert {h: i for h, i in after.items() if h in before} == before
        begin_write(session)
        kept = _quotation_rows(session)
        rebuild_quotations(session)
        assert _quotation_rows(session) == kept
        session.rollback()
    assert_no_drift(engine)


# --- speech only: a belief or evidence is in no quotation ------------------------------------

STANCE_MONDAY = (
    '"We will win the state," Elena Vasquez said on Monday.\n\n'
    "Vasquez believes we will win the state. She hopes to carry every county."
)
STANCE_TUESDAY = (
    '"We will win the state," Elena Vasquez told supporters on Tuesday.\n\n'
    '"The count is not over," Tom Reed said.'
)
STANCE_DATES = {STANCE_MONDAY: "2025-03-03T09:00:00Z", STANCE_TUESDAY: "2025-03-04T09:00:00Z"}


def stances(text: str) -> Extraction:
    """What an extractor makes of the STANCE articles (invented, built by hand): the words in
    quotation marks are speech; what follows "believes" or "hopes" is Vasquez's stance, class
    belief, her first one in the very words of her speech."""
    names = [name for name in ("Elena Vasquez", "Tom Reed") if name in text]
    speakers = tuple(SpeakerRef(name, "person", aliases=(name, name.split()[-1])) for name in names)
    quotes: list[QuoteSpan] = []
    for words, after, speaker, attribution_class in (
        ("We will win the state", '"', "Elena Vasquez", "speech"),
        ("we will win the state", "believes ", "Elena Vasquez", "belief"),
        ("to carry every county", "hopes ", "Elena Vasquez", "belief"),
        ("The count is not over", '"', "Tom Reed", "speech"),
    ):
        found = text.find(after + words)
        if found < 0:
            continue
        start = found + len(after)
        quotes.append(
            QuoteSpan(
                text=words,
                start=start,
                end=start + len(words),
                kind="direct" if after == '"' else "indirect",
                speaker=names.index(speaker),
                confidence=0.9,
                attribution_class=attribution_class,
            )
        )
    quotes.sort(key=lambda q: q.start)
    return Extraction(text, speakers, tuple(quotes), extractor_version="test")


EVERY_CLASS = """
{
  quotes(classes: [SPEECH, BELIEF, EVIDENCE], first: 20) {
    nodes { id text attributionClass speaker { id name } quotation { id occurrences } }
  }
  quotations(first: 10) {
    nodes { text occurrences speaker { name } quotes(first: 10) { totalCount } }
  }
}
"""


def _placed(gql: GraphQL) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(each quote of every class: speaker, text, class, its quotation's occurrences or None;
    each quotation: speaker, text, occurrences, how many quotes it lists)."""
    data = gql.ok(EVERY_CLASS)
    quotes = sorted(
        (
            q["speaker"]["name"],
            q["text"],
            q["attributionClass"],
            None if q["quotation"] is None else q["quotation"]["occurrences"],
        )
        for q in data["quotes"]["nodes"]
    )
    quotations = sorted(
        (q["speaker"]["name"], q["text"], q["occurrences"], q["quotes"]["totalCount"])
        for q in data["quotations"]["nodes"]
    )
    return quotes, quotations


def _quote_id(gql: GraphQL, text: str) -> str:
    (found,) = [q for q in gql.ok(EVERY_CLASS)["quotes"]["nodes"] if q["text"] == text]
    return str(found["id"])


def test_quotations_hold_speech_only_through_curation_and_rebuild(
    settings: Settings, engine: sa.Engine, database_url: str, api_key: str
) -> None:
    """Over HTTP: a speaker's belief in the very words she said elsewhere, and another belief,
    are in no quotation (`Quote.quotation` null), her speech is one quotation of two
    occurrences; reattributing the belief, merging its speakers, hiding and restoring it and
    `quotegraph quotations rebuild` keep it out."""
    app = create_app(settings, engine=engine, extractor=stances)
    with TestClient(app) as client:
        gql = GraphQL(client, api_key)
        for text in (STANCE_MONDAY, STANCE_TUESDAY):
            gql.ok(
                INGEST, input={"text": text, "source": "Wire", "publishedAt": STANCE_DATES[text]}
            )
        as_ingested = (
            [
                ("Elena Vasquez", "We will win the state", "SPEECH", 2),
                ("Elena Vasquez", "We will win the state", "SPEECH", 2),
                ("Elena Vasquez", "to carry every county", "BELIEF", None),
                ("Elena Vasquez", "we will win the state", "BELIEF", None),
                ("Tom Reed", "The count is not over", "SPEECH", 1),
            ],
            [
                ("Elena Vasquez", "We will win the state", 2, 2),
                ("Tom Reed", "The count is not over", 1, 1),
            ],
        )
        assert _placed(gql) == as_ingested
        assert_no_drift(engine)

        # The belief goes to Reed: still in no quotation, his own unchanged.
        reed = next(
            q["speaker"]["id"]
            for q in gql.ok(EVERY_CLASS)["quotes"]["nodes"]
            if q["speaker"]["name"] == "Tom Reed"
        )
        belief = _quote_id(gql, "we will win the state")
        gql.ok(REATTRIBUTE, quote=belief, speaker=reed)
        quotes, quotations = _placed(gql)
        assert ("Tom Reed", "we will win the state", "BELIEF", None) in quotes
        assert quotations == as_ingested[1]
        assert_no_drift(engine)

        # Vasquez merged into Reed: his quotations are regrouped from the speech alone.
        vasquez = next(
            q["speaker"]["id"]
            for q in gql.ok(EVERY_CLASS)["quotes"]["nodes"]
            if q["speaker"]["name"] == "Elena Vasquez"
        )
        gql.ok(MERGE, into=reed, **{"from": [vasquez]})
        merged = (
            sorted(("Tom Reed", *q[1:]) for q in as_ingested[0]),
            sorted(("Tom Reed", *q[1:]) for q in as_ingested[1]),
        )
        assert _placed(gql) == merged
        assert_no_drift(engine)

        # Not a quote, then a quote again: restored, it is placed as any quote (not at all).
        gql.ok(HIDE, quote=belief, **{"not": True})
        assert len(_placed(gql)[0]) == 4
        gql.ok(HIDE, quote=belief, **{"not": False})
        assert _placed(gql) == merged
        assert_no_drift(engine)

        # A rebuild from scratch groups the same.
        rebuilt = CliRunner().invoke(
            cli, ["quotations", "rebuild"], env={"DATABASE_URL": database_url}
        )
        assert rebuilt.exit_code == 0, rebuilt.output
        assert rebuilt.output.startswith("2 quotations")
        assert _placed(gql) == merged
    assert_no_drift(engine)


def test_migration_0019_takes_beliefs_out_of_stored_quotations(empty_database: str) -> None:
    """Quotations as revision 0018 kept them (beliefs in them too: its downgrade groups them
    so) lose their beliefs at 0019: the quotation a belief shared with speech is recounted and
    keeps its row id, the one a belief held alone goes; the result is what a rebuild makes."""
    from tests.services.test_counters import _quotation_rows

    upgrade(empty_database)
    engine = sa.create_engine(empty_database, poolclass=sa.pool.NullPool)
    try:
        for text in (STANCE_MONDAY, STANCE_TUESDAY):
            published = datetime.fromisoformat(STANCE_DATES[text])
            raw = ArticleInput(text=text, source="Wire", published_at=published)
            prepared = prepare_article(raw, max_chars=100_000)
            with make_session(engine) as session:
                store_article(session, prepared, stances(prepared.text))

        def state() -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
            with make_session(engine) as session:
                ids = {
                    tuple(r) for r in session.execute(sa.text("SELECT id, key_hash FROM quotation"))
                }
                return _quotation_rows(session), ids

        before, ids_before = state()
        assert sorted(r[3] for r in before) == [1, 2]
        assert_no_drift(engine)

        command.downgrade(alembic_config(empty_database), "0018")
        held, ids_held = state()
        with engine.connect() as connection:
            beliefs = connection.execute(
                sa.text(
                    "SELECT count(*) FROM quotation_occurrence o JOIN quote q ON q.id = o.quote_id "
                    "WHERE q.attribution_class = 'belief'"
                )
            ).scalar_one()
        assert beliefs == 2
        # Her speech and her belief in the same words: one quotation of three; the other
        # belief one of its own.
        assert sorted(r[3] for r in held) == [1, 1, 3]
        assert ids_before <= ids_held
        with make_session(engine) as session:
            begin_write(session)
            rebuild_quotations(session, speech_only=False)
            assert _quotation_rows(session) == held  # what 0018's services kept
            session.rollback()

        upgrade(empty_database)
        after, ids_after = state()
        assert after == before
        assert ids_after == ids_before
        assert_no_drift(engine)
        with make_session(engine) as session:
            begin_write(session)
            rebuild_quotations(session)
            assert _quotation_rows(session) == after
            session.rollback()
    finally:
        engine.dispose()
