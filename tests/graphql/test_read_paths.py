"""One source of truth for the read paths: every field a query can reach is served by the lean
path or listed as a deliberate fallback; every relation is declared once and used by both."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from graphql import GraphQLObjectType, get_named_type

from app.graphql import lean, relations
from app.graphql.schema import build_schema
from app.services.keys import bearer_token


def unserved(fallback: Mapping[tuple[str, str], str]) -> list[str]:
    """Fields reachable from Query that the lean path cannot serve and no fallback names."""
    graphql = build_schema()._schema
    query = graphql.query_type
    assert query is not None
    problems: list[str] = []
    todo: list[GraphQLObjectType] = []
    for name, field in query.fields.items():
        if (query.name, name) in fallback:
            continue
        if name not in lean.ROOTS:
            problems.append(f"Query.{name}: not a lean root and not listed in FALLBACK")
            continue
        named = get_named_type(field.type)
        if isinstance(named, GraphQLObjectType):
            todo.append(named)
    seen: set[str] = set()
    while todo:
        parent = todo.pop()
        if parent.name in seen:
            continue
        seen.add(parent.name)
        for name, field in parent.fields.items():
            if (parent.name, name) in fallback:
                continue
            try:
                lean.column_maker(parent, name, field)
            except lean.Unsupported:
                problems.append(f"{parent.name}.{name}: not served and not listed in FALLBACK")
                continue
            named = get_named_type(field.type)
            if isinstance(named, GraphQLObjectType):
                todo.append(named)
    return problems


def test_every_reachable_field_is_served_or_a_deliberate_fallback() -> None:
    assert unserved(lean.FALLBACK) == []


def test_the_walk_catches_a_field_that_would_silently_fall_back() -> None:
    # Take one deliberate fallback away: the walk must name it.
    fallback = {k: v for k, v in lean.FALLBACK.items() if k != ("Speaker", "quotes")}
    assert unserved(fallback) == ["Speaker.quotes: not served and not listed in FALLBACK"]


def test_fallbacks_name_real_fields_the_lean_path_does_not_serve() -> None:
    graphql = build_schema()._schema
    for (type_name, name), reason in lean.FALLBACK.items():
        assert reason, (type_name, name)
        parent = graphql.type_map[type_name]
        assert isinstance(parent, GraphQLObjectType)
        assert name in parent.fields, f"stale fallback {type_name}.{name}"
        if parent is graphql.query_type:
            assert name not in lean.ROOTS
        else:
            with pytest.raises(lean.Unsupported):
                lean.column_maker(parent, name, parent.fields[name])


def test_every_relation_is_the_one_its_resolver_and_the_lean_path_use() -> None:
    graphql = build_schema()._schema
    for (type_name, name), relation in relations.TABLE.items():
        parent = graphql.type_map[type_name]
        assert isinstance(parent, GraphQLObjectType)
        field = parent.fields[name]
        resolver = field.extensions["strawberry-definition"].base_resolver
        assert resolver is not None, f"{type_name}.{name} has no resolver"
        assert getattr(resolver.wrapped_func, "__relation__", None) is relation, (
            f"{type_name}.{name}: its resolver does not load through relations.TABLE"
        )
        assert lean.RELATIONS[(type_name, name)] is not None


def test_every_relation_resolver_in_the_schema_is_declared() -> None:
    # A resolver that loads a relation by hand (not through the table) would be served by
    # Strawberry alone; those carrying a relation must carry a declared one.
    graphql = build_schema()._schema
    declared = set(relations.TABLE.values())
    for type_ in graphql.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for field in type_.fields.values():
            definition = field.extensions.get("strawberry-definition")
            resolver = definition.base_resolver if definition is not None else None
            marked = getattr(getattr(resolver, "wrapped_func", None), "__relation__", None)
            assert marked is None or marked in declared


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer qg_abc_def", "qg_abc_def"),
        ("bearer   qg_abc_def  ", "qg_abc_def"),
        (b"BEARER qg_abc", "qg_abc"),
        ("Bearer ", None),
        ("Basic dXNlcjpwYXNz", None),
        ("qg_abc_def", None),
        ("", None),
        (None, None),
    ],
)
def test_one_bearer_token_reader(header: str | bytes | None, token: str | None) -> None:
    assert bearer_token(header) == token
