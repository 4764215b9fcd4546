"""Per-request guards run before execution: API key for writes, and limits on query shape."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.settings import Settings

DEFAULT_PAGE_SIZE = 20
# Object lists without pagination arguments, and the size the cost assumes for each
# (generous article-level figures: a long story has a few dozen quotes).
LIST_SIZES = {
    "quotes": 30,
    "claims": 10,
    "speakers": 10,
    "reviews": 3,
    "suggestedReviews": 5,
    "links": 5,
    "features": 6,
}


@dataclass
class Shape:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


def measure(
    operation: OperationDefinitionNode, fragments: dict[str, Any], variables: dict[str, Any]
) -> Shape:
    """Depth, alias count and estimated cost (objects returned; page sizes multiply)."""
    shape = Shape()

    def page_size(field: FieldNode) -> int | None:
        for argument in field.arguments or ():
            if argument.name.value in ("first", "last"):
                value = argument.value
                if isinstance(value, IntValueNode):
                    return max(0, int(value.value))
                if isinstance(value, VariableNode):
                    given = variables.get(value.name.value)
                    return max(0, given) if isinstance(given, int) else DEFAULT_PAGE_SIZE
        return None

    def walk(
        selection_set: SelectionSetNode | None, depth: int, multiplier: int, seen: frozenset[str]
    ) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    # Introspection (the playground's schema query nests ofType a dozen deep) is
                    # bounded by the schema, not by the data: it is not what the limits are for.
                    continue
                if selection.alias is not None:
                    shape.aliases += 1
                if selection.selection_set is None:
                    continue
                shape.depth = max(shape.depth, depth + 1)
                size = page_size(selection)
                name = selection.name.value
                if size is not None:
                    factor = size
                elif name in ("edges", "node", "pageInfo"):
                    factor = 1
                else:
                    factor = LIST_SIZES.get(name, 1)
                inner = multiplier * max(factor, 1)
                shape.cost += inner
                walk(selection.selection_set, depth + 1, inner, seen)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, depth, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    walk(fragment.selection_set, depth, multiplier, seen | {name})

    walk(operation.selection_set, 0, 1, frozenset())
    return shape


# Neither can be stored or compared by PostgreSQL (text cannot hold NUL; surrogates are not
# UTF-8), so they are refused at the door for every argument, not field by field.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def _unstorable_string(value: Any, path: str) -> str | None:
    """The path of the first string in `value` that cannot be stored, if any."""
    if isinstance(value, str):
        return path if _UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _unstorable_string(item, f"{path}.{key}")
        if found:
            return found
    return None


_literal_checks: dict[str, str | None] = {}


def _unstorable_literal(query: str, document: DocumentNode) -> str | None:
    """Where the query text itself holds an unstorable string; remembered per query text,
    like the parser's cache, since the same few queries arrive over and over."""
    if query not in _literal_checks:
        if len(_literal_checks) >= 1024:
            _literal_checks.clear()
        _literal_checks[query] = next(
            (
                f"a string in the query ({node.value[:20]!r}...)"
                for node in _string_literals(document)
                if _UNSTORABLE.search(node.value)
            ),
            None,
        )
    return _literal_checks[query]


def _string_literals(document: DocumentNode) -> Iterator[StringValueNode]:
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, StringValueNode):
            yield node
        elif isinstance(node, Node):
            stack.extend(getattr(node, key) for key in node.keys if key != "loc")
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


class Guard(SchemaExtension):
    """Refuses a request before execution with a coded error: UNAUTHENTICATED, or the limit hit."""

    async def on_execute(self) -> AsyncIterator[None]:
        error = await self._check()
        if error is not None:
            self.execution_context.result = ExecutionResult(data=None, errors=[error])
        yield

    async def _check(self) -> GraphQLError | None:
        context = self.execution_context.context
        settings: Settings = context.settings
        operation_type = self.execution_context.operation_type
        writes = operation_type is OperationType.MUTATION
        if (writes or not settings.public_reads) and await context.caller() is None:
            return GraphQLError(
                f"{'Changing data' if writes else 'Reading'} needs an API key: send "
                "`Authorization: Bearer <key>` (keys come from `quotegraph keys create`). "
                "The key sent is missing, unknown or revoked.",
                extensions={"code": "UNAUTHENTICATED"},
            )
        document = self.execution_context.graphql_document
        if document is None:
            return None
        return shape_refusal(
            settings,
            document,
            self.execution_context.query or "",
            self.execution_context.variables or {},
            self.execution_context.operation_name,
        )


def shape_refusal(
    settings: Settings,
    document: DocumentNode,
    query: str,
    variables: dict[str, Any],
    operation_name: str | None,
) -> GraphQLError | None:
    """Why a parsed request may not run (unstorable text, or a limit on its shape), if so."""
    where = _unstorable_string(variables, "$") or _unstorable_literal(query, document)
    if where is not None:
        return GraphQLError(
            f"Text sent to quotegraph may not contain NUL characters or unpaired surrogates "
            f"(found in {where}).",
            extensions={"code": "BAD_USER_INPUT"},
        )
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next(
        (
            o
            for o in operations
            if operation_name is None or (o.name and o.name.value == operation_name)
        ),
        None,
    )
    if chosen is None:
        return None
    shape = measure(chosen, fragments, variables)
    for value, limit, code, what in (
        (shape.depth, settings.max_depth, "DEPTH_LIMIT_EXCEEDED", "depth"),
        (shape.aliases, settings.max_aliases, "ALIAS_LIMIT_EXCEEDED", "number of aliases"),
        (shape.cost, settings.max_cost, "COST_LIMIT_EXCEEDED", "estimated cost"),
    ):
        if value > limit:
            return GraphQLError(
                f"The query is too big: its {what} is {value}, the limit is {limit}. "
                "Ask for less at once (smaller pages, fewer nested lists) and page through.",
                extensions={"code": code, "limit": limit, "value": value},
            )
    return None
