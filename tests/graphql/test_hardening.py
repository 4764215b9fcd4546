"""Hardening against hostile or unlucky requests: limits before parsing, bounded memory per
distinct query, costs that see variable defaults, fragment chains in linear time, and coded
JSON errors for every request the API refuses."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from graphql import parse
from graphql.language.lexer import Lexer
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from app.main import create_app
from app.settings import Settings

# The query, on the real schema: 100 speakers x 100 quotes x their claims.
DEFAULTS = """query($a: Int = 100, $b: Int = 100) { speakers(first: $a) { edges { node {
  quotes(first: $b) { edges { node { claims { text } } } } } } } }"""


def _post(client: TestClient, body: Any, **kwargs: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    response = client.post("/graphql", json=body, **kwargs)
    return time.perf_counter() - started, response


@pytest.fixture(params=["lean", "full"])
def any_client(
    request: pytest.FixtureRequest, settings: Settings, engine: sa.Engine
) -> Iterator[TestClient]:
    """The app as deployed (response cache on), with the lean path on or off."""
    chosen = settings.model_copy(update={"lean_reads": request.param == "lean"})
    with TestClient(create_app(chosen, engine=engine)) as client:
        client.post("/graphql", json={"query": "{ __typename }"})  # first-request set-up
        yield client


def _code(response: Any) -> str:
    assert response.headers["content-type"].startswith("application/json"), response.text
    return str(response.json()["errors"][0]["extensions"]["code"])


# --- 2: limits apply before any parse -----------------------------------------------------


def _counting_tokens(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the tokens graphql-core's lexer reads (every parse, whichever path runs it):
    a count of work done, which a busy machine cannot make flaky as a wall-clock bound is."""
    read = [0]
    advance = Lexer.advance

    def counted(self: Lexer) -> Any:
        read[0] += 1
        return advance(self)

    monkeypatch.setattr(Lexer, "advance", counted)
    return read


def test_a_token_flood_is_refused_before_it_is_parsed(
    any_client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _counting_tokens(monkeypatch)
    flood = "{ " + "a " * 400_000 + "}"  # 800 KB of names, under the body limit
    _, response = _post(any_client, {"query": flood})
    assert _code(response) in ("TOKEN_LIMIT_EXCEEDED", "QUERY_TOO_LARGE")
    # Refused on its size before any parse (it took 7-16 s when the cache key parsed it all).
    assert read[0] == 0
    # Within the size limit, the token limit stops the lexer at the limit.
    many = "{ " + "a " * 20_000 + "}"
    _, response = _post(any_client, {"query": many})
    assert _code(response) == "TOKEN_LIMIT_EXCEEDED"
    assert 0 < read[0] <= 2 * (settings.max_tokens + 2), read[0]


def test_the_query_size_is_bounded_in_bytes(settings: Settings, engine: sa.Engine) -> None:
    small = settings.model_copy(update={"max_query_bytes": 1_000})
    with TestClient(create_app(small, engine=engine)) as client:
        padded = "# " + "x" * 2_000 + "\n{ __typename }"
        response = client.post("/graphql", json={"query": padded})
        assert _code(response) == "QUERY_TOO_LARGE"
        assert response.json()["errors"][0]["extensions"]["limit"] == 1_000
        assert client.post("/graphql", json={"query": "{ __typename }"}).json() == {
            "data": {"__typename": "Query"}
        }


# --- 3: distinct padded queries do not accumulate -----------------------------------------


def test_distinct_padded_queries_do_not_accumulate(settings: Settings, engine: sa.Engine) -> None:
    """Comments are not tokens: each query passes every limit. What the caches keep of them
    must stay bounded however many distinct ones arrive: parsed documents by their budget
    (QUOTEGRAPH_DOCUMENT_CACHE_MB, 1 MB here), everything else by digests."""
    bounded = settings.model_copy(update={"document_cache_mb": 1})
    with TestClient(create_app(bounded, engine=engine)) as client:

        def send(number: int) -> None:
            padded = f"# {number} " + "x" * 60_000 + "\n{ __typename }"
            body = client.post("/graphql", json={"query": padded}).json()
            assert body == {"data": {"__typename": "Query"}}

        for number in range(5):
            send(number)
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for number in range(5, 65):
                send(number)
            gc.collect()
            retained = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    # 60 queries of 60 KB: 3.6 MB of text; three caches keyed by the text kept ~11 MB.
    assert retained < 1_600_000, f"{retained / 1e6:.1f} MB retained"


# --- 5: variable defaults count ------------------------------------------------------------


def test_variable_defaults_count_towards_the_cost(any_client: TestClient) -> None:
    for variables in ({}, {"a": 100, "b": 100}):
        response = any_client.post("/graphql", json={"query": DEFAULTS, "variables": variables})
        assert _code(response) == "COST_LIMIT_EXCEEDED", variables
        assert response.json()["errors"][0]["extensions"]["value"] > 50_000
    small = any_client.post("/graphql", json={"query": DEFAULTS, "variables": {"a": 1, "b": 1}})
    assert "errors" not in small.json()


PAGE_FIELDS = ("speakers", "quotes", "claims")
SIZES = st.one_of(st.none(), st.integers(min_value=0, max_value=300))
WAYS = st.sampled_from(["literal", "variable", "default", "absent"])


@hypothesis_settings(max_examples=200, deadline=None)
@given(values=st.lists(st.tuples(SIZES, WAYS), min_size=3, max_size=3))
def test_the_estimate_does_not_depend_on_how_a_value_arrives(
    values: list[tuple[int | None, str]],
) -> None:
    """The same page sizes, sent as literals, as variables or as variable defaults (or left
    out: the default page), give the same estimate."""
    from app.graphql.guard import coerce_variables, estimate
    from app.graphql.schema import build_schema

    schema = build_schema()._schema
    definitions, sent, literal_args, given_args = [], {}, [], []
    for index, (value, way) in enumerate(values):
        text = "null" if value is None else str(value)
        literal_args.append("" if way == "absent" else f"(first: {text})")
        if way == "literal":
            given_args.append(f"(first: {text})")
        elif way == "absent":
            given_args.append("")
        else:
            given_args.append(f"(first: $v{index})")
            definitions.append(f"$v{index}: Int" + (f" = {text}" if way == "default" else ""))
            if way == "variable":
                sent[f"v{index}"] = value
    template = (
        "query{defs} {{ speakers{0} {{ edges {{ node {{ quotes{1} {{ edges {{ node {{"
        " claims {{ text }} }} }} }} }} }} }} claims{2} {{ nodes {{ text }} }} }}"
    )
    plain = template.format(*literal_args, defs="")
    varied = template.format(*given_args, defs=f"({', '.join(definitions)})" if definitions else "")
    coerced = coerce_variables(schema, parse(varied), None, sent)
    assert isinstance(coerced, dict)
    assert estimate(parse(varied), None, coerced) == estimate(parse(plain), None, {})


# --- 6: the cache answers only what the app accepts --------------------------------------


def test_a_cached_answer_needs_a_request_the_app_accepts(client: TestClient) -> None:
    body = {"query": "{ quotes(first: 3) { totalCount } }"}
    assert client.post("/graphql", json=body).status_code == 200
    assert client.post("/graphql", json=body).status_code == 200  # now cached
    import orjson

    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = client.post(
            "/graphql", content=orjson.dumps(body), headers={"content-type": content_type}
        )
        assert response.status_code == 400, (content_type, response.text)
        assert _code(response) == "BAD_REQUEST"


# --- 7: fragment chains cost linear time ----------------------------------------------------


def _chain(levels: int, on: str = "Query", leaf: str = "__typename") -> str:
    fragments = [f"fragment F{i} on {on} {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels - 1)]
    fragments.append(f"fragment F{levels - 1} on {on} {{ {leaf} }}")
    return "\n".join(fragments)


def test_a_chain_of_fragments_is_answered_at_once(any_client: TestClient) -> None:
    # Not a speed target (benchmarks/hardening.py measures that): when each fragment was walked
    # once per path, 24 levels took 30 s and 40 never finished (2**20 times 20 levels' work).
    # Walked once per fragment, twice the levels cost about twice the time: compared with a
    # 20-level chain timed just before, under the same load, the two are told apart on any
    # machine, busy or not.
    def timed(levels: int, leaf: str = "__typename") -> tuple[float, Any]:
        return _post(any_client, {"query": "query { ...F0 }\n" + _chain(levels, leaf=leaf)})

    short, _ = timed(20)
    elapsed, response = timed(40)
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}
    assert elapsed < 4 * short + 2, f"20 levels {short:.2f} s, 40 levels {elapsed:.2f} s"
    # A costly leaf: 2**39 copies of one page of quotes, refused as soon as it is known.
    leaf = "quotes(first: 100) { totalCount }"
    short, _ = timed(20, leaf)
    elapsed, response = timed(40, leaf)
    assert _code(response) == "COST_LIMIT_EXCEEDED"
    assert elapsed < 4 * short + 2, f"20 levels {short:.2f} s, 40 levels {elapsed:.2f} s"


def test_the_estimate_of_a_fragment_chain_is_exact_and_fast() -> None:
    from app.graphql.guard import estimate

    document = parse("query { ...F0 }\n" + _chain(60, leaf="quotes(first: 3) { totalCount }"))
    started = time.perf_counter()
    shape = estimate(document, None, {})
    # Microseconds when linear; 2**59 paths when walked per path (never finishes).
    assert time.perf_counter() - started < 5
    assert shape.cost == 3 * 2**59 and shape.depth == 1


# --- 8: every error is coded JSON ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("post", {"json": {"query": "query A { __typename }", "operationName": "B"}}),
        ("post", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
        ("post", {"json": {"variables": {}}}),
        ("post", {"json": {"query": 5}}),
        ("post", {"json": {"query": "{ __typename }", "variables": [1]}}),
        ("post", {"json": [{"query": "{ __typename }"}]}),
        ("post", {"content": b"{}", "headers": {"content-type": "text/plain"}}),
        ("get", {"params": {"query": "mutation { deleteArticle(id: 1) { deletedId } }"}}),
        ("put", {"json": {"query": "{ __typename }"}}),
    ],
)
def test_every_refusal_is_coded_json(client: TestClient, method: str, kwargs: Any) -> None:
    response = getattr(client, method)("/graphql", **kwargs)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] in ("BAD_REQUEST", "METHOD_NOT_ALLOWED"), error
    assert error["message"]
