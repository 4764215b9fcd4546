"""Property-based checks: the extractor on any Unicode, the API on generated queries."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import graphql
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations as graphql_mutations
from hypothesis_graphql import queries as graphql_queries

from app.extraction.fragments import joined_text
from app.extraction.types import Extraction
from app.graphql.schema import build_schema
from app.settings import Settings

MARKS = ['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", "\u2039"]
WORDS = ["said", "told", "he", "she", "They", "Mr.", "Ms", "Smith", "Anna Lee", "according to"]
PIECES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(MARKS),
    st.sampled_from(WORDS),
    st.sampled_from(["\n", "\n\n", " ", ", ", ". ", " \u2014 ", ": "]),
    st.sampled_from(
        [
            "\U0001f600",
            "\u05e9\u05dc\u05d5\u05dd",
            "\u0645\u0631\u062d\u0628\u0627",
            "\u200f",
            "\ufeff",
            "\u0301",
        ]
    ),
)


def _check(extraction: Extraction, text: str) -> None:
    assert extraction.text == text
    n = len(text)
    for quote in extraction.quotes:
        assert 0 <= quote.start <= quote.end <= n
        assert quote.fragments[0][0] == quote.start and quote.fragments[-1][1] == quote.end
        assert all(0 <= s <= e <= n for s, e in quote.fragments)
        assert joined_text(text, quote.fragments) == quote.text
        if len(quote.fragments) == 1:
            assert text[quote.start : quote.end] == quote.text
        assert quote.kind in ("direct", "indirect", "mixed")
        assert 0.0 <= quote.confidence <= 1.0
        assert quote.speaker is None or 0 <= quote.speaker < len(extraction.speakers)
        for start, end in (
            (quote.speaker_start, quote.speaker_end),
            (quote.cue_start, quote.cue_end),
        ):
            assert (start is None) == (end is None)
            if start is not None and end is not None:
                assert 0 <= start <= end <= n
    for claim in extraction.claims:
        assert 0 <= claim.start <= claim.end <= n
        assert text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.score <= 1.0
        assert claim.quote is None or 0 <= claim.quote < len(extraction.quotes)
    assert 0 <= extraction.body_start <= n
    assert extraction.body_end <= n


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=30).map("".join))
def test_extractor_never_crashes_and_offsets_stay_inside(
    extractor: Callable[[str], Extraction], text: str
) -> None:
    _check(extractor(text), text)


@pytest.mark.parametrize(
    "text",
    [
        "\u201c" + "word " * 4000,  # an unclosed quotation mark before a very long paragraph
        ("\u00abC'est la vie,\u00bb a dit Marie. " * 200),
        "\n".join(f"\u201cLine {i}" for i in range(300)),  # every paragraph reopens, none close
        '"' * 501,
        '\u05e9\u05dc\u05d5\u05dd "\u05e9\u05dc\u05d5\u05dd" said \u05d3\u05e0\u05d9 ' * 50,
    ],
)
def test_extractor_survives_pathological_articles(
    extractor: Callable[[str], Extraction], text: str
) -> None:
    _check(extractor(text), text)


@pytest.fixture(name="settings")
def unlimited_settings(settings: Settings) -> Settings:
    """Rate limits off: one client sends hundreds of generated requests here, more than an
    address's budget (tests/test_ratelimit.py tests the limits)."""
    return settings.model_copy(update={"rate_limit": False})


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_queries_never_fail_the_server(client: TestClient, data: st.DataObject) -> None:
    query = data.draw(graphql_queries(build_schema().as_str()))
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "Traceback" not in response.text
    for error in body.get("errors") or []:
        assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", (query, error)


def _json_object(fields: dict[str, Any]) -> graphql.ValueNode:
    """A JSON scalar's value as a GraphQL literal (reviewClaims takes ClaimReview objects)."""
    body = ", ".join(
        f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in fields.items()
    )
    return graphql.parse_value("{" + body + "}")


JSON_OBJECTS = st.builds(
    _json_object,
    st.fixed_dictionaries(
        {},
        optional={
            name: st.text(max_size=40)
            for name in ("claimReviewed", "author", "url", "datePublished", "reviewRating")
        },
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_mutations_never_fail_the_server(
    client: TestClient, api_key: str, data: st.DataObject
) -> None:
    mutation = data.draw(
        graphql_mutations(build_schema().as_str(), custom_scalars={"JSON": JSON_OBJECTS})
    )
    response = client.post(
        "/graphql", json={"query": mutation}, headers={"Authorization": f"Bearer {api_key}"}
    )
    assert response.status_code in (200, 413), response.text
    assert "Traceback" not in response.text
    for error in response.json().get("errors") or []:
        assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", (mutation, error)
