"""Names match whatever their accents and strokes ("Łukasz" = "Lukasz"), in the API and in
the keys migration 0007 recomputed from stored names."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest
import sqlalchemy as sa

from app.db.migrations import MIGRATIONS_DIR, upgrade
from app.services.names import name_key
from tests.conftest import GraphQL
from tests.helpers import INGEST, QUOTES_BY_SPEAKER, ingest_input

FOLDS = [
    ("Łukasz Nowak", "lukasz nowak"),
    ("Søren Lund", "soren lund"),
    ("Novak Đoković", "novak dokovic"),
    ("Æsa Ørsted-Łódź", "aesa orsted lodz"),
    ("  Benjamín  NETANYAHU ", "benjamin netanyahu"),
    ("O'Brien", "o brien"),
    ("Straße", "strasse"),
]


@pytest.mark.parametrize(("name", "key"), FOLDS)
def test_name_key_folds_strokes_and_accents(name: str, key: str) -> None:
    assert name_key(name) == key


def _migration() -> ModuleType:
    path = MIGRATIONS_DIR / "versions" / "0007_fold_name_keys.py"
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_folds_as_the_app_does() -> None:
    fold = _migration().anyascii_key
    for name, _ in [*FOLDS, ("Владимир Путин", ""), ("习近平", ""), ("José_María", "")]:
        assert fold(name) == name_key(name), name


# --- through the API ------------------------------------------------------------------------

ARTICLES = (
    '"The port will reopen in May," Mayor Łukasz Nowak said on Monday.',
    '"We will train in Arlow all winter," coach Søren Lund said on Tuesday.',
    '"I feel ready for the final," Novak Đoković told reporters on Wednesday.',
)


def test_lookups_ignore_strokes(gql: GraphQL) -> None:
    for text in ARTICLES:
        gql.ok(INGEST, input=ingest_input(text))
    lookup = "query($n: String!) { speaker(name: $n) { name quoteCount } }"
    for asked, found in (
        ("Lukasz Nowak", "Łukasz Nowak"),
        ("LUKASZ NOWAK", "Łukasz Nowak"),
        ("soren lund", "Søren Lund"),
        ("Novak Dokovic", "Novak Đoković"),
    ):
        assert gql.ok(lookup, n=asked)["speaker"]["name"] == found, asked
    # A different spelling is not a fold.
    missing = gql(lookup, n="Novak Djokovic")["errors"][0]["extensions"]["code"]
    assert missing == "NOT_FOUND"
    for asked, found in (
        ("soren", "Søren Lund"),
        ("Lukasz", "Łukasz Nowak"),
        ("dokovic", "Novak Đoković"),
    ):
        page = gql.ok(QUOTES_BY_SPEAKER, speaker=asked, first=10)["quotes"]
        names = {e["node"]["speaker"]["name"] for e in page["edges"]}
        assert names == {found} and page["totalCount"] == 1, asked
    search = gql.ok('{ speakers(search: "dok") { edges { node { name } } } }')["speakers"]
    assert [e["node"]["name"] for e in search["edges"]] == ["Novak Đoković"]


def test_a_name_written_without_its_stroke_is_the_same_speaker(gql: GraphQL) -> None:
    first = gql.ok(INGEST, input=ingest_input(ARTICLES[0]))["ingestArticle"]
    second = gql.ok(
        INGEST,
        input=ingest_input('"Repairs are on time," Mayor Lukasz Nowak said on Thursday.'),
    )["ingestArticle"]
    assert first["speakers"][0]["id"] == second["speakers"][0]["id"]
    page = gql.ok(QUOTES_BY_SPEAKER, speaker="Łukasz Nowak", first=10)["quotes"]
    assert page["totalCount"] == 2


# --- the migration, on SQLite and PostgreSQL ------------------------------------------------


# Speakers as the NFKD fold keyed them: 1 and 2 collide once re-keyed; 4 is an article's own
# description, whose key carries the article's scope.
OLD_SPEAKERS = [
    (1, "Łukasz Nowak", "łukasz nowak", "unknown", "Mayor", "2025-01-01", "2025-01-02"),
    (2, "Lukasz Nowak", "lukasz nowak", "person", "Senator", "2025-06-01", "2025-01-01"),
    (3, "Søren Lund", "søren lund", "person", None, None, "2025-02-01"),
    (4, "the ministry", "the ministry @0123456789abcdef", "org", None, None, "2025-02-01"),
    (5, "Novak Đoković", "novak đokovic", "person", "tennis player", "2025-03-01", "2025-03-01"),
    (6, "Ruth Kell", "ruth kell", "person", None, None, "2025-03-01"),
]
OLD_ALIASES = [
    (1, 1, "Łukasz Nowak", "łukasz nowak"),
    (2, 1, "Nowak", "nowak"),
    (3, 2, "Lukasz Nowak", "lukasz nowak"),
    (4, 2, "Nowak", "nowak"),
    (5, 2, "L. Nowak", "l nowak"),
    (6, 3, "Søren Lund", "søren lund"),
    (7, 3, "Søren", "søren"),
    (8, 3, "Soren", "soren"),
    (9, 4, "the ministry", "the ministry"),
    (10, 5, "Novak Đoković", "novak đokovic"),
    (11, 6, "Ruth Kell", "ruth kell"),
]


def _insert_old_rows(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO article (id, text, body_start, body_end, content_hash, language, "
                "ingested_at, extractor_version, sort_date) VALUES (1, 'x', 0, 1, 'h', 'en', "
                "'2025-01-01T00:00:00+00:00', 'v', '2025-01-01T00:00:00+00:00')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO speaker (id, name, name_key, kind, role, role_as_of, created_at, "
                "updated_at) VALUES (:id, :name, :key, :kind, :role, :as_of, :created, :created)"
            ),
            [
                {
                    "id": i,
                    "name": n,
                    "key": k,
                    "kind": kind,
                    "role": role,
                    "as_of": as_of and f"{as_of}T00:00:00+00:00",
                    "created": f"{c}T00:00:00+00:00",
                }
                for i, n, k, kind, role, as_of, c in OLD_SPEAKERS
            ],
        )
        connection.execute(
            sa.text(
                "INSERT INTO speaker_alias (id, speaker_id, alias, alias_key) "
                "VALUES (:id, :speaker, :alias, :key)"
            ),
            [{"id": i, "speaker": s, "alias": a, "key": k} for i, s, a, k in OLD_ALIASES],
        )
        connection.execute(
            sa.text(
                "INSERT INTO quote (id, article_id, speaker_id, position, text, kind, start, "
                '"end", confidence, sort_date) VALUES (:id, 1, :speaker, :id, '
                "'x', 'direct', 0, 1, 0.5, '2025-01-01T00:00:00+00:00')"
            ),
            [{"id": 1, "speaker": 1}, {"id": 2, "speaker": 2}, {"id": 3, "speaker": 3}],
        )
        connection.execute(
            sa.text(
                'INSERT INTO claim (id, article_id, claimant_id, position, text, start, "end", '
                "score, features, sort_date) VALUES (1, 1, 2, 0, 'x', 0, 1, 0.5, '{}', "
                "'2025-01-01T00:00:00+00:00')"
            )
        )
        connection.execute(sa.text("UPDATE write_stamp SET value = 41"))
    engine.dispose()


def _state(url: str) -> dict[str, object]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        speakers = connection.execute(
            sa.text("SELECT id, name_key, kind, role, created_at FROM speaker ORDER BY id")
        ).all()
        aliases = connection.execute(
            sa.text(
                "SELECT speaker_id, alias_key FROM speaker_alias ORDER BY speaker_id, alias_key"
            )
        ).all()
        state = {
            "speakers": [(s.id, s.name_key, s.kind, s.role) for s in speakers],
            "created": {s.id: str(s.created_at)[:10] for s in speakers},
            "aliases": [tuple(a) for a in aliases],
            "quotes": connection.execute(sa.text("SELECT speaker_id FROM quote ORDER BY id"))
            .scalars()
            .all(),
            "claims": connection.execute(sa.text("SELECT claimant_id FROM claim")).scalars().all(),
            "stamp": connection.execute(sa.text("SELECT value FROM write_stamp")).scalar_one(),
        }
    engine.dispose()
    return state


def test_migration_rekeys_stored_names_and_merges_collisions(empty_database: str) -> None:
    upgrade(empty_database, "0006")
    _insert_old_rows(empty_database)
    upgrade(empty_database, "0007")
    state = _state(empty_database)
    assert state["speakers"] == [
        # 2 merged into 1: its known kind and the role dated latest.
        (1, "lukasz nowak", "person", "Senator"),
        (3, "soren lund", "person", None),
        (4, "the ministry @0123456789abcdef", "org", None),
        (5, "novak dokovic", "person", "tennis player"),
        (6, "ruth kell", "person", None),
    ]
    assert state["created"][1] == "2025-01-01"  # the earliest of the two
    assert state["aliases"] == [
        (1, "l nowak"),
        (1, "lukasz nowak"),
        (1, "nowak"),
        (3, "soren"),
        (3, "soren lund"),
        (4, "the ministry"),
        (5, "novak dokovic"),
        (6, "ruth kell"),
    ]
    assert state["quotes"] == [1, 1, 3]
    assert state["claims"] == [1]
    assert state["stamp"] == 42

    # Downgrade re-keys with the old fold; the merge stays.
    downgraded = _alembic_downgrade(empty_database, "0006")
    assert downgraded["speakers"][0] == (1, "łukasz nowak", "person", "Senator")
    # "Soren" was one alias with "Søren" (the older row) under the new fold, and stays gone.
    assert [a for a in downgraded["aliases"] if a[0] == 3] == [
        (3, "søren"),
        (3, "søren lund"),
    ]


def _alembic_downgrade(url: str, revision: str) -> dict[str, object]:
    from alembic import command

    from app.db.migrations import alembic_config

    command.downgrade(alembic_config(url), revision)
    return _state(url)


def test_an_archive_with_keys_of_the_older_fold_imports_under_todays(engine: sa.Engine) -> None:
    from app.db.engine import make_session
    from app.services.archive import FORMAT, VERSION, import_archive
    from app.services.speakers import refold_key

    assert refold_key("the ministry", "the ministry @0123456789abcdef") == (
        "the ministry @0123456789abcdef"
    )
    records = [
        {"format": FORMAT, "version": VERSION},
        {"type": "speaker", "name": "Łukasz Nowak", "key": "łukasz nowak", "kind": "person",
         "role": None, "aliases": ["Łukasz Nowak", "Nowak"]},
        {"type": "speaker", "name": "Lukasz Nowak", "key": "lukasz nowak", "kind": "person",
         "role": None, "aliases": ["Lukasz Nowak"]},
        {"type": "speaker", "name": "the Søren ministry", "key": "the søren ministry @00ff",
         "kind": "org", "role": None, "aliases": []},
    ]  # fmt: skip
    with make_session(engine) as session:
        import_archive(session, records)
    with engine.connect() as connection:
        keys = connection.execute(sa.text("SELECT name_key FROM speaker ORDER BY id")).scalars()
        assert list(keys) == ["lukasz nowak", "the soren ministry @00ff"]
