"""The Provenance type: how an article's quotes and claims were made, to reproduce them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from app.db.models import as_utc


@strawberry.type(description="A learned model used by the extractor, with its weights' hash.")
class ModelVersion:
    role: str = strawberry.field(description='What it does in extraction: "claims", "attribution".')
    name: str | None = strawberry.field(description="What kind of model it is.")
    format: str | None = strawberry.field(description="Format or feature version of its weights.")
    weights: str | None = strawberry.field(description="The weights file, in the repository.")
    sha256: str | None = strawberry.field(description="SHA-256 of the weights file.")
    trained: str | None = strawberry.field(description="When it was trained (model card).")


@strawberry.type(
    description="The reproducibility record of an article: what extracted its quotes and "
    "claims (extractor, spaCy and its pipeline, the learned models and the SHA-256 of their "
    "weights) and when it was stored. Model fields are null for articles stored before "
    "records were kept."
)
class Provenance:
    extractor_version: str = strawberry.field(description="Version of the extractor.")
    ingested_at: datetime = strawberry.field(description="When the article was stored (UTC).")
    quotegraph_version: str | None = strawberry.field(description="quotegraph's version.")
    python_version: str | None = strawberry.field(description="Python's version.")
    spacy_version: str | None = strawberry.field(description="spaCy's version.")
    pipeline: str | None = strawberry.field(
        description='The spaCy pipeline and its version, e.g. "en_core_web_sm 3.8.0".'
    )
    models: list[ModelVersion] = strawberry.field(description="The learned models used.")
    record: JSON | None = strawberry.field(
        description="The whole record as stored (what the export's `provenance` column holds)."
    )

    @classmethod
    def from_row(cls, row: Any) -> Provenance:
        """From an article's provenance row (app.services.provenance.article_provenance)."""
        return cls.from_parts(row.ingested_at, row.extractor_version, row.record)

    @classmethod
    def from_parts(
        cls, ingested_at: datetime, extractor_version: str, record: dict[str, Any] | None
    ) -> Provenance:
        data = record or {}
        pipeline = data.get("pipeline") or {}
        return cls(
            extractor_version=str(data.get("extractor_version") or extractor_version),
            ingested_at=as_utc(ingested_at),
            quotegraph_version=data.get("quotegraph"),
            python_version=data.get("python"),
            spacy_version=data.get("spacy"),
            pipeline=f"{pipeline.get('name')} {pipeline.get('version')}" if pipeline else None,
            models=[
                ModelVersion(
                    role=role,
                    name=model.get("name"),
                    format=model.get("format"),
                    weights=model.get("weights"),
                    sha256=model.get("sha256"),
                    trained=model.get("trained"),
                )
                for role, model in sorted((data.get("models") or {}).items())
            ],
            record=cast(JSON, record),
        )
