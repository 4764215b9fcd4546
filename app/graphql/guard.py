"""Per-request guards run before execution: API key for writes, and limits on query shape."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
)
from graphql.execution.values import get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.graphql.documents import Documents, Parsed
from app.graphql.roles import mutation_fields, refusal
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
    "history": 10,
    "fragments": 3,
}


@dataclass(frozen=True)
class Shape:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


@dataclass(frozen=True)
class Limits:
    depth: int
    aliases: int
    cost: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.max_depth, settings.max_aliases, settings.max_cost)


class _Over(Exception):
    """A part of the query already passes a limit: the whole does too."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape


def estimate(
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
    *,
    limits: Limits | None = None,
) -> Shape:
    """The shape of a request: depth, aliases and estimated cost (objects returned; page
    sizes multiply down the tree), for `variables` as coerced by `coerce_variables` (sent
    values and defaults). With `limits`, the walk stops at the first part found over one,
    and the shape returned is that part's (already over the limit, a lower bound).

    Each fragment is measured once per request, whatever the number of its spreads: a
    fragment's cost under a multiplier is the multiplier times its unit cost, so chains of
    fragments that spread the next one twice cost linear time, not exponential."""
    operation = _operation(document, operation_name)
    if operation is None:
        return Shape()
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    try:
        return _Measure(fragments, variables, limits).unit(operation.selection_set, frozenset())
    except _Over as over:
        return over.shape


def _operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | None:
    return next(
        (
            d
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
            and (operation_name is None or (d.name is not None and d.name.value == operation_name))
        ),
        None,
    )


def coerce_variables(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> dict[str, Any] | list[GraphQLError]:
    """The operation's variables as execution will see them (defaults filled in, values
    coerced to their types), or the errors that will refuse the request."""
    operation = _operation(document, operation_name)
    if operation is None:
        return {}
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(variables or {})
    )
    if isinstance(coerced, list):
        return coerced
    return dict(coerced.coerced)


class _Measure:
    def __init__(
        self,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        limits: Limits | None,
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self.known: dict[str, Shape] = {}

    def page_size(self, field: FieldNode) -> int | None:
        """The page size a field asks for; DEFAULT_PAGE_SIZE when it has page arguments that
        are null or unset; None when it has none."""
        paged = False
        for argument in field.arguments or ():
            if argument.name.value not in ("first", "last"):
                continue
            paged = True
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(0, int(value.value))
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                if isinstance(given, int) and not isinstance(given, bool):
                    return max(0, given)
        return DEFAULT_PAGE_SIZE if paged else None

    def unit(self, selection_set: SelectionSetNode | None, spreading: frozenset[str]) -> Shape:
        """The shape of a selection set under a multiplier of one, at depth zero."""
        depth = aliases = cost = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    # Introspection (the playground's schema query nests ofType a dozen deep) is
                    # bounded by the schema, not by the data: it is not what the limits are for.
                    continue
                if selection.alias is not None:
                    aliases += 1
                if selection.selection_set is None:
                    continue
                size = self.page_size(selection)
                name = selection.name.value
                if size is not None:
                    factor = size
                elif name in ("edges", "node", "pageInfo"):
                    factor = 1
                else:
                    factor = LIST_SIZES.get(name, 1)
                factor = max(factor, 1)
                inner = self.unit(selection.selection_set, spreading)
                depth = max(depth, inner.depth + 1)
                aliases += inner.aliases
                cost += factor * (1 + inner.cost)
            else:
                if isinstance(selection, InlineFragmentNode):
                    inner = self.unit(selection.selection_set, spreading)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is None or name in spreading:
                        continue  # invalid documents are refused by validation
                    known = self.known.get(name)
                    if known is None:
                        known = self.unit(fragment.selection_set, spreading | {name})
                        self.known[name] = known
                    inner = known
                else:
                    continue
                depth = max(depth, inner.depth)
                aliases += inner.aliases
                cost += inner.cost
            self.check(Shape(depth, aliases, cost))
        return Shape(depth, aliases, cost)

    def check(self, shape: Shape) -> None:
        # Multipliers are at least one, so a part over a limit puts the whole over it.
        limits = self.limits
        if limits is not None and (
            shape.depth > limits.depth or shape.aliases > limits.aliases or shape.cost > limits.cost
        ):
            raise _Over(shape)


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


def unstorable_literal(parsed: Parsed) -> str | None:
    """Where the query text itself holds an unstorable string; worked out once per document."""
    memo = parsed.memo
    if "unstorable" not in memo:
        memo["unstorable"] = next(
            (
                f"a string in the query ({node.value[:20]!r}...)"
                for node in _string_literals(parsed.document)
                if _UNSTORABLE.search(node.value)
            ),
            None,
        )
    found: str | None = memo["unstorable"]
    return found


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

    def __init__(self, documents: Documents) -> None:
        super().__init__()
        self.documents = documents

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
        caller = await context.caller() if writes else None
        if writes and document is not None and caller is not None:
            # Roles (app.graphql.roles): a reader's key may not write, an editor's not delete.
            fields = mutation_fields(document, self.execution_context.operation_name)
            reason = refusal(caller, fields)
            if reason is not None:
                return GraphQLError(reason, extensions={"code": "FORBIDDEN"})
        query = self.execution_context.query
        if query is None or self.execution_context.graphql_document is None:
            return None
        parsed = self.documents.parse(query)  # remembered: parsed moments ago
        variables = self.execution_context.variables or {}
        operation_name = self.execution_context.operation_name
        coerced = coerce_variables(
            self.execution_context.schema._schema, parsed.document, operation_name, variables
        )
        if isinstance(coerced, list):
            return None  # execution refuses the variables with graphql-core's own words
        return shape_refusal(settings, parsed, operation_name, variables, coerced)


def shape_refusal(
    settings: Settings,
    parsed: Parsed,
    operation_name: str | None,
    variables: Mapping[str, Any],
    coerced: Mapping[str, Any],
) -> GraphQLError | None:
    """Why a parsed request may not run (unstorable text, or a limit on its shape), if so.
    `variables` as sent (checked for unstorable text), `coerced` as execution sees them."""
    where = _unstorable_string(dict(variables), "$") or unstorable_literal(parsed)
    if where is not None:
        return GraphQLError(
            f"Text sent to quotegraph may not contain NUL characters or unpaired surrogates "
            f"(found in {where}).",
            extensions={"code": "BAD_USER_INPUT"},
        )
    limits = Limits.of(settings)
    shape = estimate(parsed.document, operation_name, coerced, limits=limits)
    for value, limit, code, what in (
        (shape.depth, limits.depth, "DEPTH_LIMIT_EXCEEDED", "depth"),
        (shape.aliases, limits.aliases, "ALIAS_LIMIT_EXCEEDED", "number of aliases"),
        (shape.cost, limits.cost, "COST_LIMIT_EXCEEDED", "estimated cost"),
    ):
        if value > limit:
            return GraphQLError(
                f"The query is too big: its {what} is {value}, the limit is {limit}. "
                "Ask for less at once (smaller pages, fewer nested lists) and page through.",
                extensions={"code": code, "limit": limit, "value": value},
            )
    return None
