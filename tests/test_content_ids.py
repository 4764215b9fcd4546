"""Content ids survive an export and import into a fresh database (the row ids need not), and
every article carries its reproducibility record, which survives the trip too."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.db.migrations import upgrade
from app.extraction import claims_model, nlp, provenance
from app.extraction.learned import model as attribution_model
from app.main import create_app
from app.settings import Settings
from tests.conftest import GraphQL
from tests.test_quotations import MONDAY, TUESDAY, WEDNESDAY, ingest

IDS = """
{
  quotes(first: 20) {
    nodes {
      id contentId text start end
      article { id contentId contentHash url }
      quotation { id contentId occurrences }
      provenance {
        extractorVersion ingestedAt spacyVersion pipeline quotegraphVersion
        models { role name format weights sha256 trained }
      }
    }
  }
}
"""
NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename
    ... on Article { contentHash }
    ... on Quote { text start end article { contentHash } }
    ... on Quotation { text occurrences speaker { name } }
  }
}
"""


def test_content_ids_resolve_after_export_and_import(
    gql: GraphQL, database_url: str, tmp_path: Path, extractor: Any
) -> None:
    # An article stored first here and deleted later shifts the row ids of this database.
    first = ingest(gql, TUESDAY, "Daily")
    ingest(gql, MONDAY, "Wire")
    gql.ok("mutation($id: ID!) { deleteArticle(id: $id) { deletedId } }", id=first["article"]["id"])
    for text, source in ((TUESDAY, "Daily"), (WEDNESDAY, "Post")):
        ingest(gql, text, source)
    quotes = gql.ok(IDS)["quotes"]["nodes"]
    assert quotes

    archive = tmp_path / "archive.jsonl"
    runner = CliRunner()
    done = runner.invoke(
        cli, ["export", "--format", "archive", "--output", str(archive)],
        env={"DATABASE_URL": database_url},
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    fresh = f"sqlite:///{tmp_path}/fresh.db"
    upgrade(fresh)
    assert runner.invoke(cli, ["import", str(archive)], env={"DATABASE_URL": fresh}).exit_code == 0

    settings = Settings(DATABASE_URL=fresh)
    copy_engine = sa.create_engine(fresh)
    with TestClient(create_app(settings, engine=copy_engine, extractor=extractor)) as client:
        copy = GraphQL(client)
        copied = {q["contentId"]: q for q in copy.ok(IDS)["quotes"]["nodes"]}
        for quote in quotes:
            # The same content ids, the same records; row ids differ (the deleted article).
            twin = copied[quote["contentId"]]
            assert twin["article"]["contentId"] == quote["article"]["contentId"]
            assert twin["provenance"] == quote["provenance"]
            assert (twin["quotation"] or {}).get("contentId") == (quote["quotation"] or {}).get(
                "contentId"
            )
            found = copy.ok(NODE, id=quote["contentId"])["node"]
            assert found == {
                "__typename": "Quote",
                "text": quote["text"],
                "start": quote["start"],
                "end": quote["end"],
                "article": {"contentHash": quote["article"]["contentHash"]},
            }
            article = copy.ok(NODE, id=quote["article"]["contentId"])["node"]
            assert article == {
                "__typename": "Article",
                "contentHash": quote["article"]["contentHash"],
            }
            if quote["quotation"]:
                quotation = copy.ok(NODE, id=quote["quotation"]["contentId"])["node"]
                assert quotation["__typename"] == "Quotation"
                assert quotation["occurrences"] == quote["quotation"]["occurrences"]
        assert any(q["id"] != copied[q["contentId"]]["id"] for q in quotes)
        # Row ids of the original database are not content ids: they find other rows or none.
        gone = copy(NODE, id="UXVvdGU6OTk5OTk=")  # Quote:99999
        assert gone["data"]["node"] is None
        bad = copy(NODE, id="QXJ0aWNsZUBub3RhaGFzaA==")  # Article@notahash
        assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    copy_engine.dispose()


def test_every_article_records_what_extracted_it(gql: GraphQL) -> None:
    ingest(gql, MONDAY, "Wire")
    quote = gql.ok(IDS)["quotes"]["nodes"][0]
    record = quote["provenance"]
    article = gql.ok(
        "query($id: ID!) { node(id: $id) { ... on Article { extractorVersion ingestedAt "
        "provenance { extractorVersion ingestedAt models { sha256 } } } } }",
        id=quote["article"]["id"],
    )["node"]
    assert record["extractorVersion"] == article["extractorVersion"]
    assert record["ingestedAt"] == article["ingestedAt"] == article["provenance"]["ingestedAt"]
    assert record["spacyVersion"] == version("spacy")
    assert record["pipeline"] == f"en_core_web_sm {nlp.PIPELINE_VERSION}"
    models = {m["role"]: m for m in record["models"]}
    for role, directory, weights in (
        ("claims", claims_model.MODEL_DIR, claims_model.WEIGHTS_FILE),
        ("attribution", attribution_model.MODEL_DIR, attribution_model.WEIGHTS_FILE),
    ):
        digest = hashlib.sha256((directory / weights).read_bytes()).hexdigest()
        assert models[role]["sha256"] == digest
        assert models[role]["weights"].endswith(weights)
    assert models["claims"]["sha256"] == claims_model.card_sha256(
        claims_model.MODEL_DIR / claims_model.CARD_FILE
    )
    assert models["attribution"]["format"] == attribution_model.MODEL_FORMAT
    assert models["claims"]["format"] == f"feature_version {claims_model.FEATURE_VERSION}"


def test_provenance_names_the_files_the_loaders_read() -> None:
    assert provenance.CLAIMS_WEIGHTS == claims_model.MODEL_DIR / claims_model.WEIGHTS_FILE
    assert provenance.ATTRIBUTION_WEIGHTS == (
        attribution_model.MODEL_DIR / attribution_model.WEIGHTS_FILE
    )
    assert nlp.PIPELINE_PACKAGE.startswith(provenance.PIPELINE_NAME)
    assert version(provenance.PIPELINE_DISTRIBUTION) == nlp.PIPELINE_VERSION
