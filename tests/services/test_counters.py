"""The maintained counters (quotes per speaker, articles per pair of speakers) never drift from
a count from scratch, whatever sequence of writes: ingest, the same text again, bulk ingest,
delete, archive import, and moves of quotes followed by refresh_speaker_counts."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from app.db.engine import begin_write, make_session
from app.db.migrations import alembic_config, upgrade
from app.db.models import as_utc
from app.extraction.types import ClaimSpan, Extraction, QuoteSpan, SpeakerRef
from app.services import counters
from app.services.archive import export_archive, import_archive
from app.services.bulk import ingest_stream
from app.services.ingest import ArticleInput, delete_article, prepare_article, store_article

NAMES = ("Elena Vasquez", "Tomas Berg", "Ana Lima", "Kofi Mensah", "Port Authority")
MAX_CHARS = 100_000
_numbers = itertools.count(1)


SOURCES = ("Harbour Times", "harbour times", None, "Daily Planet")
Story = tuple[ArticleInput, Extraction]


def story(picks: Sequence[int | None]) -> Story:
    """A new article whose quotes are said by NAMES[pick] (None: unattributed), in order; its
    first quote is also a claim. Outlets and days (some near midnight UTC) vary."""
    number = next(_numbers)
    parts: list[str] = []
    quotes: list[QuoteSpan] = []
    speakers: list[int] = []
    position = 0
    for index, pick in enumerate(picks):
        said = f'"We will finish part {index} of the harbour plan number {number} soon," '
        who = "someone said. " if pick is None else f"{NAMES[pick]} said. "
        quotes.append(
            QuoteSpan(
                text=said[1:-3],
                start=position + 1,
                end=position + len(said) - 3,
                kind="direct",
                speaker=None if pick is None else _index(speakers, pick),
                confidence=0.9,
            )
        )
        parts.append(said + who)
        position += len(said) + len(who)
    text = "".join(parts) or f"There was no news about the harbour on day {number}."
    refs = tuple(
        SpeakerRef(NAMES[p], "organisation" if p == 4 else "person", aliases=(NAMES[p],))
        for p in speakers
    )
    claims = tuple(
        ClaimSpan(q.text, q.start, q.end, 0.5, claimant=q.speaker, quote=0) for q in quotes[:1]
    )
    published = datetime(2024, 1, 1, 23, 30, tzinfo=UTC) + timedelta(
        hours=number % 5, days=number % 3
    )
    raw = ArticleInput(text=text, source=SOURCES[number % 4], published_at=published)
    return raw, Extraction(text, refs, tuple(quotes), claims, extractor_version="test")


def _index(speakers: list[int], pick: int) -> int:
    if pick not in speakers:
        speakers.append(pick)
    return speakers.index(pick)


def ingest(engine: sa.Engine, raw: ArticleInput, extraction: Extraction) -> int:
    prepared = prepare_article(raw, max_chars=MAX_CHARS)
    with make_session(engine) as session:
        return store_article(session, prepared, extraction).article_id


def assert_no_drift(engine: sa.Engine) -> None:
    if engine.dialect.name == "sqlite":
        # The word indexes (kept by triggers) list exactly the stored texts: FTS5 raises
        # SQLITE_CORRUPT_VTAB when they do not.
        with engine.begin() as connection:
            for index in ("quote_fts", "claim_fts"):
                connection.execute(
                    sa.text(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
                )
    # Every count is of speech quotes (the API's default), claims aside.
    speech = "attribution_class = 'speech'"
    with engine.connect() as connection:

        def rows(sql: str) -> set[tuple[Any, ...]]:
            return {tuple(row) for row in connection.execute(sa.text(sql))}

        kept = rows("SELECT speaker_id, quotes FROM speaker_quote_count WHERE quotes <> 0")
        counted = rows(
            f"SELECT speaker_id, count(*) FROM quote WHERE speaker_id IS NOT NULL AND {speech} "
            "GROUP BY speaker_id"
        )
        kept_pairs = rows(
            "SELECT speaker_id, other_id, articles FROM speaker_co_quote WHERE articles <> 0"
        )
        counted_pairs = rows(
            "SELECT a.speaker_id, b.speaker_id, count(*) FROM "
            "(SELECT DISTINCT article_id, speaker_id FROM quote "
            f"WHERE speaker_id IS NOT NULL AND {speech}) a "
            "JOIN (SELECT DISTINCT article_id, speaker_id FROM quote "
            f"WHERE speaker_id IS NOT NULL AND {speech}) b "
            "ON a.article_id = b.article_id AND a.speaker_id <> b.speaker_id "
            "GROUP BY a.speaker_id, b.speaker_id"
        )
        # The daily totals, worked out here in Python from the rows themselves.
        said = connection.execute(
            sa.text(
                "SELECT q.speaker_id, a.sort_date, 1, 0 FROM quote q "
                "JOIN article a ON a.id = q.article_id WHERE q.speaker_id IS NOT NULL "
                f"AND q.{speech} "
                "UNION ALL SELECT c.claimant_id, a.sort_date, 0, 1 FROM claim c "
                "JOIN article a ON a.id = c.article_id WHERE c.claimant_id IS NOT NULL"
            )
        ).all()
        speaker_days: Counter[tuple[int, str, str]] = Counter()
        for speaker_id, sort_date, quote, claim in said:
            day = utc_day(sort_date)
            speaker_days[speaker_id, day, "quotes"] += quote
            speaker_days[speaker_id, day, "claims"] += claim
        # Per speaker, outlet and day, from the rows too.
        said_in = connection.execute(
            sa.text(
                "SELECT q.speaker_id, a.source, a.sort_date, 1, 0 FROM quote q "
                "JOIN article a ON a.id = q.article_id WHERE q.speaker_id IS NOT NULL "
                "AND q.attribution_class = 'speech' "
                "UNION ALL SELECT c.claimant_id, a.source, a.sort_date, 0, 1 FROM claim c "
                "JOIN article a ON a.id = c.article_id WHERE c.claimant_id IS NOT NULL"
            )
        ).all()
        speaker_source_days: Counter[tuple[int, str, str, str]] = Counter()
        for speaker_id, source, sort_date, quote, claim in said_in:
            key = (speaker_id, (source or "").lower(), utc_day(sort_date))
            speaker_source_days[(*key, "quotes")] += quote
            speaker_source_days[(*key, "claims")] += claim
        # All time per speaker and outlet: the speech quotes of the rows above.
        speaker_sources: Counter[tuple[int, str]] = Counter()
        for speaker_id, source, _, quote, _ in said_in:
            if quote:
                speaker_sources[speaker_id, (source or "").lower()] += 1
        kept_speaker_sources = rows(
            "SELECT speaker_id, source_key, quotes FROM speaker_source_count"
        )
        kept_speaker_source_days = rows(
            "SELECT speaker_id, source_key, day, quotes, claims FROM speaker_source_day "
            "WHERE quotes <> 0 OR claims <> 0"
        )
        stray = rows(
            "SELECT speaker_id, source_key, day FROM speaker_source_day "
            "WHERE quotes <= 0 AND claims <= 0"
        )
        articles = connection.execute(
            sa.text(
                "SELECT a.source, a.sort_date, "
                f"(SELECT count(*) FROM quote q WHERE q.article_id = a.id AND q.{speech}), "
                "(SELECT count(*) FROM claim c WHERE c.article_id = a.id) FROM article a"
            )
        ).all()
        source_days: Counter[tuple[str, str, str]] = Counter()
        for source, sort_date, quotes, claims in articles:
            key = ((source or "").lower(), utc_day(sort_date))
            source_days[(*key, "articles")] += 1
            source_days[(*key, "quotes")] += quotes
            source_days[(*key, "claims")] += claims
        kept_speaker_days = rows(
            "SELECT speaker_id, day, quotes, claims FROM speaker_day "
            "WHERE quotes <> 0 OR claims <> 0"
        )
        kept_source_days = rows(
            "SELECT source_key, day, articles, quotes, claims FROM source_day WHERE articles <> 0"
        )
        kept_term_days = {
            (term, str(day), q, c)
            for term, day, q, c in rows("SELECT term, day, quotes, claims FROM term_day")
        }
        term_days = counted_term_days(connection)
    assert kept == counted
    assert kept_pairs == counted_pairs
    assert {(i, str(d), q, c) for i, d, q, c in kept_speaker_days} == {
        (i, d, speaker_days[i, d, "quotes"], speaker_days[i, d, "claims"])
        for i, d, _ in speaker_days
    }
    assert {(i, k, str(d), q, c) for i, k, d, q, c in kept_speaker_source_days} == {
        (i, k, d, *(speaker_source_days[i, k, d, name] for name in ("quotes", "claims")))
        for i, k, d, _ in speaker_source_days
    }
    assert not stray, f"empty speaker_source_day rows left behind: {sorted(stray)[:5]}"
    # Every row kept (none at zero or below left behind) is the count from the rows.
    assert kept_speaker_sources == {(i, k, n) for (i, k), n in speaker_sources.items()}
    # Every (term, day) row kept (none at zero left behind) is the count from the rows.
    assert kept_term_days == term_days
    assert {(k, str(d), a, q, c) for k, d, a, q, c in kept_source_days} == {
        (k, d, *(source_days[k, d, name] for name in ("articles", "quotes", "claims")))
        for k, d, _ in source_days
    }


def counted_term_days(connection: sa.Connection) -> set[tuple[str, str, int, int]]:
    """(term, day, speech quotes holding the term that day, claims holding it), counted here
    from the rows: the terms each quote and claim has in the search indexes themselves
    (PostgreSQL: its stored vector; SQLite: the FTS5 index's own list of terms per row, not
    the tokenizer the services run)."""
    found: list[dict[tuple[str, str], set[int]]] = [{}, {}]
    for kind, (table, only) in enumerate(
        (("quote", "q.attribution_class = 'speech'"), ("claim", "true"))
    ):
        if connection.dialect.name == "postgresql":
            held = f"SELECT q.id, q.sort_date, t.lexeme FROM {table} q, unnest(q.search_vector) t"
        else:
            connection.execute(
                sa.text(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.test_{table}_terms "
                    f"USING fts5vocab(main, {table}_fts, instance)"
                )
            )
            held = (
                f"SELECT q.id, q.sort_date, v.term FROM temp.test_{table}_terms v "
                f"JOIN {table} q ON q.id = v.doc"
            )
        for row_id, sort_date, term in connection.execute(sa.text(f"{held} WHERE {only}")):
            found[kind].setdefault((str(term), utc_day(sort_date)), set()).add(int(row_id))
    quotes, claims = found
    return {
        (term, day, len(quotes.get((term, day), ())), len(claims.get((term, day), ())))
        for term, day in quotes.keys() | claims.keys()
    }


def utc_day(value: Any) -> str:
    """The UTC date of a stored instant (a datetime, or SQLite's text of one)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return as_utc(value).date().isoformat()


def article_ids(engine: sa.Engine) -> list[int]:
    with engine.connect() as connection:
        return [
            int(i)
            for i in connection.execute(sa.text("SELECT id FROM article ORDER BY id")).scalars()
        ]


def move_quotes(engine: sa.Engine, chosen: int, to_pick: int | None) -> None:
    """What a curation does: move some quotes to another speaker (or to none), in one
    transaction with the recount of every speaker that lost or gained quotes."""
    with make_session(engine) as session:
        begin_write(session)
        quote_ids = [
            int(i) for i in session.execute(sa.text("SELECT id FROM quote ORDER BY id")).scalars()
        ]
        if not quote_ids:
            session.rollback()
            return
        moved = quote_ids[chosen % len(quote_ids) :: 3]
        target = None
        if to_pick is not None:
            target = session.execute(
                sa.text("SELECT id FROM speaker WHERE name = :name"), {"name": NAMES[to_pick]}
            ).scalar()
        touched = {
            int(i)
            for i in session.execute(
                sa.text(
                    "SELECT speaker_id FROM quote WHERE id IN :ids "
                    "UNION SELECT claimant_id FROM claim WHERE quote_id IN :ids"
                ).bindparams(sa.bindparam("ids", expanding=True)),
                {"ids": moved},
            ).scalars()
            if i is not None
        }
        for statement in (
            "UPDATE quote SET speaker_id = :to WHERE id IN :ids",
            "UPDATE claim SET claimant_id = :to WHERE quote_id IN :ids",
        ):
            session.execute(
                sa.text(statement).bindparams(sa.bindparam("ids", expanding=True)),
                {"to": target, "ids": moved},
            )
        counters.refresh_speaker_counts(session, touched | ({target} if target else set()))
        session.commit()


def merge_speakers(engine: sa.Engine, into_pick: int, from_pick: int) -> None:
    """A merge: every quote of one speaker moves to another, which is then deleted."""
    with make_session(engine) as session:
        begin_write(session)
        found = session.execute(
            sa.text("SELECT name, id FROM speaker WHERE name IN (:a, :b)"),
            {"a": NAMES[into_pick], "b": NAMES[from_pick]},
        )
        ids = {str(name): int(i) for name, i in found}
        into, gone = ids.get(NAMES[into_pick]), ids.get(NAMES[from_pick])
        if into is None or gone is None or into == gone:
            session.rollback()
            return
        for statement in (
            "UPDATE quote SET speaker_id = :into WHERE speaker_id = :gone",
            "UPDATE claim SET claimant_id = :into WHERE claimant_id = :gone",
        ):
            session.execute(sa.text(statement), {"into": into, "gone": gone})
        session.execute(sa.text("DELETE FROM speaker WHERE id = :gone"), {"gone": gone})
        counters.refresh_speaker_counts(session, [into, gone])
        session.commit()


def remove_quote(engine: sa.Engine, chosen: int) -> None:
    """A quote found not to be one is removed from its article (claims inside it go too)."""
    with make_session(engine) as session:
        begin_write(session)
        found = session.execute(sa.text("SELECT id, article_id FROM quote ORDER BY id")).all()
        if not found:
            session.rollback()
            return
        quote_id, article_id = found[chosen % len(found)]
        touched = session.execute(
            sa.text(
                "SELECT speaker_id FROM quote WHERE id = :id "
                "UNION SELECT claimant_id FROM claim WHERE quote_id = :id"
            ),
            {"id": quote_id},
        ).scalars()
        speaker_ids = {int(i) for i in touched if i is not None}
        session.execute(sa.text("DELETE FROM claim WHERE quote_id = :id"), {"id": quote_id})
        session.execute(sa.text("DELETE FROM quote WHERE id = :id"), {"id": quote_id})
        counters.refresh_speaker_counts(session, speaker_ids, [article_id])
        session.commit()


picks = st.lists(st.one_of(st.none(), st.integers(0, len(NAMES) - 1)), max_size=6)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("ingest"), picks),
        st.tuples(st.just("again"), st.integers(0, 50)),
        st.tuples(st.just("bulk"), st.lists(picks, min_size=1, max_size=3)),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("archive"), st.integers(0, 50)),
        st.tuples(st.just("move"), st.tuples(st.integers(0, 50), st.none() | st.integers(0, 4))),
        st.tuples(st.just("merge"), st.tuples(st.integers(0, 4), st.integers(0, 4))),
        st.tuples(st.just("unquote"), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=10,
)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_counters_never_drift(engine: sa.Engine, steps: list[tuple[str, Any]]) -> None:
    stored: list[Story] = []
    for action, argument in steps:
        ids = article_ids(engine)
        if action == "ingest":
            raw, extraction = story(argument)
            ingest(engine, raw, extraction)
            stored.append((raw, extraction))
        elif action == "again" and stored:
            ingest(engine, *stored[argument % len(stored)])
        elif action == "bulk":
            made = [story(p) for p in argument]
            by_text = {raw.text: extraction for raw, extraction in made}

            def extract_many(
                texts: Iterable[str], by_text: dict[str, Extraction] = by_text
            ) -> Iterator[Extraction]:
                return (by_text[text] for text in texts)

            report = ingest_stream(
                engine,
                [(str(i), raw) for i, (raw, _) in enumerate(made)],
                extract_many=extract_many,
                max_chars=MAX_CHARS,
            )
            assert report.failed == 0, report.failures
            stored.extend(made)
        elif action == "delete" and ids:
            with make_session(engine) as session:
                assert delete_article(session, ids[argument % len(ids)])
        elif action == "archive" and ids:
            # Export everything, delete one article, import the archive: it comes back.
            with make_session(engine) as session:
                records = list(export_archive(session))
                assert delete_article(session, ids[argument % len(ids)])
            assert_no_drift(engine)
            with make_session(engine) as session:
                assert import_archive(session, records).articles == 1
        elif action == "move":
            move_quotes(engine, *argument)
        elif action == "merge":
            merge_speakers(engine, *argument)
        elif action == "unquote":
            remove_quote(engine, argument)
        assert_no_drift(engine)


@pytest.mark.postgres
def test_concurrent_writers_keep_counts_right(engine: sa.Engine) -> None:
    """Two ingesting threads, one deleting and one recounting, all on the same speakers (and
    days)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    errors: list[BaseException] = []
    made = [story([i % 5, (i + 1) % 5, None, (i + 2) % 5]) for i in range(40)]

    def run(work: Any) -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)

    def ingester(part: Sequence[Story]) -> Any:
        return lambda: [ingest(engine, raw, extraction) for raw, extraction in part]

    def deleter() -> None:
        for _ in range(10):
            ids = article_ids(engine)
            if ids:
                with make_session(engine) as session:
                    delete_article(session, ids[0])

    def recounter() -> None:
        for _ in range(10):
            with make_session(engine) as session:
                begin_write(session)
                ids = [int(i) for i in session.execute(sa.text("SELECT id FROM speaker")).scalars()]
                # The articles too: their outlet-days and the term counts of their days.
                articles = [
                    int(i) for i in session.execute(sa.text("SELECT id FROM article")).scalars()
                ]
                counters.refresh_speaker_counts(session, ids, articles)
                session.commit()

    threads = [
        threading.Thread(target=run, args=(work,))
        for work in (ingester(made[::2]), ingester(made[1::2]), deleter, recounter)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_no_drift(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM quote")).scalar_one() > 0


# --- curation: the real services, with quotations and fragments checked too ---------------

PHRASES = (
    "We will finish the northern pier by next spring",
    "The budget for the harbour is under control",
    "Nobody asked the fishermen what they wanted",
    # A stance ("Elena Vasquez hopes to finish ..."), class belief: in no quotation, though it
    # is much like the first phrase, which that speaker may say too.
    "to finish the northern pier by next spring",
)
BELIEF = 3
"""The index in PHRASES of the belief: said_story reports it as one."""


EXTRACTIONS: dict[str, Extraction] = {}
"""What the extractor gives for each text said_story made (the database outlives an example:
a re-extraction may pick an article an earlier example stored)."""


def said_story(picks: Sequence[tuple[int, int | None]]) -> Story:
    """A new article whose quotes are PHRASES[phrase] said by NAMES[pick] (the same words in
    several articles: quotations with several occurrences), or held by them for PHRASES[BELIEF]
    (a belief, in no quotation); each quote one fragment."""
    number = next(_numbers)
    parts: list[str] = []
    quotes: list[QuoteSpan] = []
    speakers: list[int] = []
    position = 0
    for phrase, pick in picks:
        if phrase == BELIEF:
            who = f"{'Someone' if pick is None else NAMES[pick]} hopes "
            said = f"{PHRASES[phrase]}. "
            start = position + len(who)
            part, kind, attribution_class = who + said, "indirect", "belief"
        else:
            said = f'"{PHRASES[phrase]}," '
            who = "someone said. " if pick is None else f"{NAMES[pick]} said. "
            start = position + 1
            part, kind, attribution_class = said + who, "direct", "speech"
        end = start + len(PHRASES[phrase])
        quotes.append(
            QuoteSpan(
                text=PHRASES[phrase],
                start=start,
                end=end,
                kind=kind,
                speaker=None if pick is None else _index(speakers, pick),
                confidence=0.9,
                attribution_class=attribution_class,
                fragments=((start, end),),
            )
        )
        parts.append(part)
        position += len(part)
    text = "".join(parts) + f"This was harbour story {number}."
    refs = tuple(
        SpeakerRef(NAMES[p], "organisation" if p == 4 else "person", aliases=(NAMES[p],))
        for p in speakers
    )
    claims = tuple(
        ClaimSpan(q.text, q.start, q.end, 0.5, claimant=q.speaker, quote=0) for q in quotes[:1]
    )
    published = datetime(2024, 1, 1, 23, 30, tzinfo=UTC) + timedelta(
        hours=number % 5, days=number % 9
    )
    raw = ArticleInput(text=text, source=SOURCES[number % 4], published_at=published)
    return raw, Extraction(text, refs, tuple(quotes), claims, extractor_version="test")


def _quotation_rows(session: Any) -> set[tuple[Any, ...]]:
    """Every quotation with its occurrences (as quote ids), counts, dates and text."""
    members: dict[int, set[int]] = {}
    for quotation_id, quote_id in session.execute(
        sa.text("SELECT quotation_id, quote_id FROM quotation_occurrence")
    ):
        members.setdefault(int(quotation_id), set()).add(int(quote_id))
    return {
        (r.speaker_id, r.text, r.key_hash, r.occurrences, utc_day(r.first_seen),
         utc_day(r.last_seen), frozenset(members.get(int(r.id), ())))
        for r in session.execute(sa.text("SELECT * FROM quotation"))
    }  # fmt: skip


def assert_quotations_as_rebuilt(engine: sa.Engine) -> None:
    """The quotations kept through every change equal those a rebuild from scratch makes."""
    from app.services.quotations import rebuild_quotations
    from tests.test_quotations import assert_no_drift as assert_quotations_consistent

    assert_quotations_consistent(engine)
    with make_session(engine) as session:
        begin_write(session)
        kept = _quotation_rows(session)
        rebuild_quotations(session)
        rebuilt = _quotation_rows(session)
        session.rollback()
    assert kept == rebuilt


def assert_fragments_match(engine: sa.Engine) -> None:
    """Each quote's fragments are slices of its article, and joined they are its text."""
    from app.extraction.fragments import FRAGMENT_JOINER

    with engine.connect() as connection:
        quotes = connection.execute(
            sa.text(
                "SELECT q.id, q.text, a.text FROM quote q JOIN article a ON a.id = q.article_id"
            )
        ).all()
        pieces: dict[int, list[tuple[int, str, int, int]]] = {}
        for row in connection.execute(
            sa.text('SELECT quote_id, position, text, start, "end" FROM quote_fragment')
        ):
            pieces.setdefault(int(row[0]), []).append((row[1], row[2], row[3], row[4]))
    for quote_id, text, article_text in quotes:
        fragments = sorted(pieces.get(quote_id, []))
        assert fragments, f"quote {quote_id} lost its fragments"
        for _, fragment, start, end in fragments:
            assert fragment == article_text[start:end]
        assert FRAGMENT_JOINER.join(f for _, f, _, _ in fragments) == text


def _pick(engine: sa.Engine, sql: str, chosen: int) -> Any:
    with engine.connect() as connection:
        rows = connection.execute(sa.text(sql)).all()
    return rows[chosen % len(rows)] if rows else None


def _speaker_id(engine: sa.Engine, pick: int) -> int | None:
    with engine.connect() as connection:
        found = connection.execute(
            sa.text("SELECT id FROM speaker WHERE name = :name"), {"name": NAMES[pick]}
        ).scalar()
    return None if found is None else int(found)


def curate(engine: sa.Engine, action: str, argument: Any, by_text: dict[str, Extraction]) -> None:
    """One editor's change through app.services.curation (or a re-extraction); changes the
    services refuse (CONFLICT, bad input) are skipped."""
    from app.services import curation
    from app.services.audit import CLI
    from app.services.errors import Conflict, InvalidInput, NotFound
    from app.services.reextract import reextract_article

    chosen, other = argument
    quote = _pick(engine, 'SELECT id, speaker_id, start, "end" FROM quote ORDER BY id', chosen)
    with make_session(engine) as session:
        try:
            if action == "merge":
                into = _speaker_id(engine, chosen % len(NAMES))
                gone = _speaker_id(engine, other)
                if into is not None and gone is not None and into != gone:
                    curation.merge_speakers(session, CLI, into, [gone])
            elif action == "split" and quote is not None and quote.speaker_id is not None:
                mine = [
                    int(i)
                    for i in session.execute(
                        sa.text("SELECT id FROM quote WHERE speaker_id = :s ORDER BY id"),
                        {"s": quote.speaker_id},
                    ).scalars()
                ][::2]
                session.rollback()
                target = _speaker_id(engine, other)
                if target is None or target == quote.speaker_id:
                    curation.split_speaker(
                        session, CLI, quote.speaker_id, mine, new_name=f"Harbour Voice {chosen}"
                    )
                else:
                    curation.split_speaker(session, CLI, quote.speaker_id, mine, into_id=target)
            elif action == "reattribute" and quote is not None:
                target = None if other == 0 else _speaker_id(engine, other)
                curation.reattribute_quote(session, CLI, quote.id, target)
            elif action == "edit" and quote is not None:
                # Trimmed by a word at the start, or back to words ending a character later.
                start = quote.start + (3 if other % 2 else 0)
                curation.edit_quote(session, CLI, quote.id, start, quote.end - other % 3)
            elif action == "hide" and quote is not None:
                assert curation.mark_not_a_quote(session, CLI, quote.id)
            elif action == "restore":
                hidden = _pick(engine, "SELECT id FROM hidden_quote ORDER BY id", chosen)
                if hidden is not None:
                    assert curation.mark_not_a_quote(session, CLI, hidden.id, False)
            elif action == "reextract":
                article = _pick(engine, "SELECT id FROM article ORDER BY id", chosen)
                if article is not None:
                    reextract_article(session, article.id, lambda text: by_text[text])
        except (Conflict, InvalidInput, NotFound):
            pass


curation_steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("ingest"),
            st.lists(
                st.tuples(
                    st.integers(0, len(PHRASES) - 1), st.one_of(st.none(), st.integers(0, 4))
                ),
                max_size=4,
            ),
        ),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(
            st.sampled_from(
                ("merge", "split", "reattribute", "edit", "hide", "restore", "reextract")
            ),
            st.tuples(st.integers(0, 50), st.integers(0, 4)),
        ),
    ),
    min_size=1,
    max_size=12,
)


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=curation_steps)
def test_curation_keeps_counts_quotations_and_fragments(
    engine: sa.Engine, steps: list[tuple[str, Any]]
) -> None:
    """Any sequence of ingests, deletes and editors' changes (merge, split, reattribute,
    editQuote, markNotAQuote and restore, re-extract), beliefs among the quotes: the kept
    counts equal a count from scratch, the quotations a rebuild from scratch (speech only),
    and every quote's fragments its text."""
    for action, argument in steps:
        if action == "ingest":
            raw, extraction = said_story(argument)
            EXTRACTIONS[raw.text] = extraction
            ingest(engine, raw, extraction)
        elif action == "delete":
            ids = article_ids(engine)
            if ids:
                with make_session(engine) as session:
                    assert delete_article(session, ids[argument % len(ids)])
        else:
            curate(engine, action, argument, EXTRACTIONS)
        assert_no_drift(engine)
        assert_quotations_as_rebuilt(engine)
        assert_fragments_match(engine)


def test_migration_0018_counts_the_claims_terms_of_stored_rows(empty_database: str) -> None:
    """Migration 0018 fills `term_day` (quotes and claims) from the rows already stored, as
    the services keep it; its downgrade gives back 0017's `quote_term_day` and the claims'
    trigram index, and upgrading again counts the same."""
    upgrade(empty_database)
    engine = sa.create_engine(empty_database, poolclass=sa.pool.NullPool)
    try:
        for picks in ([0, 1], [2], [None, 3, 0], []):
            ingest(engine, *story(picks))
        with engine.connect() as connection:
            before = set(connection.execute(sa.text("SELECT * FROM term_day")).all())
        assert any(row[3] > 0 for row in before)  # the claims are counted
        command.downgrade(alembic_config(empty_database), "0017")
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            assert not inspector.has_table("term_day")
            kept = set(connection.execute(sa.text("SELECT * FROM quote_term_day")).all())
            assert kept == {(t, d, q) for t, d, q, _ in before if q > 0}
            if engine.dialect.name == "sqlite":
                assert inspector.has_table("claim_trigram")
        # Rows written at 0017 (here: the table emptied) are counted again from scratch.
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM quote_term_day"))
        upgrade(empty_database)
        with engine.connect() as connection:
            after = set(connection.execute(sa.text("SELECT * FROM term_day")).all())
            assert not sa.inspect(connection).has_table("claim_trigram")
        assert after == before
        assert_no_drift(engine)
    finally:
        engine.dispose()
