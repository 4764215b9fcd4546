"""The lean read path: read queries whose every field it knows, answered straight from rows.

Strawberry executes a query field by field through graphql-core: a page of 20 quotes with
their speakers and articles is about 160 resolver calls, each with its own info object and
awaitable bookkeeping, and the DataLoaders' database calls hop to a worker thread one by one.
That costs several milliseconds where the database needs a fraction of one. For the reads
clients send all the time (a page of quotes, a speaker search, an article with its quotes)
this module instead:

* plans each query text once: the validated document, flattened into a tree of selected
  fields, each knowing how it gets its value (a plain attribute of the Strawberry object,
  an argument-free computed field, or a relation registered below);
* runs the whole operation in one worker thread with one session, level by level, each
  relation fetched for all of its parents at once by the same service queries the
  DataLoaders use (`app.services.queries`), pages built from the same `Source`s as the
  Strawberry resolvers (`app.graphql.schema`);
* serialises leaves with the schema's own scalars and enums and the response with orjson.

It answers only what it fully understands: query operations over the root fields in `ROOTS`,
with no directives but @skip and @include, no introspection and no abstract types. Everything
else, and every request that would end in an error (a bad cursor, a missing article, a limit
exceeded, a bad key), goes down the full Strawberry path, which stays the reference:
`tests/test_lean.py` sends the same queries both ways and requires identical response bytes.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import orjson
import sqlalchemy as sa
from anyio import to_thread
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.values import (
    VariableValues,
    get_argument_values,
    get_directive_values,
    get_variable_values,
)
from sqlmodel import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from app.db import models
from app.db.engine import make_session
from app.graphql import pagination
from app.graphql import schema as api
from app.graphql.article import Article
from app.graphql.cache import accepted_json_post, json_object, read_body, replay, send_json
from app.graphql.claim import Claim, ClaimReview
from app.graphql.documents import Parsed
from app.graphql.errors import timeout_error
from app.graphql.guard import shape_refusal
from app.graphql.ids import decode_global_id, encode_global_id
from app.graphql.pagination import Connection, Source, assemble, page_request
from app.graphql.quote import Quote, QuoteFragment
from app.graphql.speaker import Speaker
from app.services import queries
from app.services.errors import NotFound, ServiceError
from app.services.keys import authenticate
from app.settings import Settings

log = logging.getLogger("quotegraph.lean")

# A column of values, one per parent object, for one selected field.
Column = Callable[["Run", Sequence[Any]], list[Any]]
Root = Callable[["Run", dict[str, Any], "Selected"], Any]


class Unsupported(Exception):
    """The query uses something this path does not answer; the full path will."""


# --- relations: how a field's value is fetched for all of its parents at once ----------------

# How a relation field gets its values: given the selected field (its children), the column
# function. (Not pagination.Relation, which names a to-one relation a page can join.)
ColumnMaker = Callable[["Selected"], Column]


def _to_one(
    model: type[Any], key: Callable[[Any], int | None], convert: Callable[[Any], Any]
) -> ColumnMaker:
    def relation(_item: Selected) -> Column:
        def column(run: Run, parents: Sequence[Any]) -> list[Any]:
            found = run.joined.get(model, {})
            keys = sorted({k for k in map(key, parents) if k is not None and k not in found})
            if keys:
                fetched = queries.by_ids(run.session, model, keys)
                found = {**found, **{r.id: r for r in fetched if r is not None}}
            values = []
            for parent in parents:
                pk = key(parent)
                row = None if pk is None else found.get(pk)
                values.append(None if row is None else convert(row))
            return values

        return column

    return relation


def _to_many(
    children: queries.Children,
    convert: Callable[[Any], Any],
    along: Sequence[pagination.Relation] = (),
) -> ColumnMaker:
    """Each parent's children; the children's to-one relations that the query selects
    (`along`) come in the same statement."""

    def relation(item: Selected) -> Column:
        selected = {child.key_name for child in item.children}
        wanted = [r for r in along if r.field in selected]

        def column(run: Run, parents: Sequence[Any]) -> list[Any]:
            ids = list(dict.fromkeys(parent.id for parent in parents))
            lists, joined = children.with_joined(run.session, ids, [r.join for r in wanted])
            run.keep(wanted, joined)
            by_id = dict(zip(ids, lists, strict=True))
            return [[convert(row) for row in by_id[parent.id]] for parent in parents]

        return column

    return relation


def _per_id(fetch: Callable[[Session, Sequence[int]], list[Any]]) -> ColumnMaker:
    """A value per parent id from a DataLoader-style batch function (aligned with its keys)."""

    def relation(_item: Selected) -> Column:
        def column(run: Run, parents: Sequence[Any]) -> list[Any]:
            ids = list(dict.fromkeys(parent.id for parent in parents))
            by_id = dict(zip(ids, fetch(run.session, ids), strict=True))
            return [by_id[parent.id] for parent in parents]

        return column

    return relation


def _without_arguments(relation: ColumnMaker) -> ColumnMaker:
    """A relation served here only without arguments (its default); with any, the full path
    answers (`Article.quotes(classes:)`)."""

    def maker(item: Selected) -> Column:
        if item.node.arguments:
            raise Unsupported
        return relation(item)

    return maker


def _article_speakers(session: Session, ids: Sequence[int]) -> list[list[Speaker]]:
    rows = queries.speakers_by_article_ids(session, ids)
    return [[Speaker.from_row(row) for row in speakers] for speakers in rows]


def _alias_names(session: Session, ids: Sequence[int]) -> list[list[str]]:
    return [[row.alias for row in rows] for rows in queries.aliases_by_speaker_ids(session, ids)]


# Mirrors the relation resolvers of app/graphql/{quote,speaker,article,claim}.py.
RELATIONS: dict[tuple[str, str], ColumnMaker] = {
    ("Quote", "speaker"): _to_one(models.Speaker, attrgetter("speaker_id"), Speaker.from_row),
    ("Quote", "article"): _to_one(models.Article, attrgetter("article_id"), Article.from_row),
    ("Quote", "claims"): _to_many(
        queries.claims_by_quote_ids, Claim.from_row, pagination.CLAIM_RELATIONS
    ),
    ("Speaker", "aliases"): _per_id(_alias_names),
    ("Speaker", "quoteCount"): _per_id(queries.quote_counts_by_speaker_ids),
    ("Quote", "fragments"): _to_many(queries.fragments_by_quote_ids, QuoteFragment.from_row),
    ("Article", "quotes"): _without_arguments(
        _to_many(queries.quotes_by_article_ids, Quote.from_row, pagination.QUOTE_RELATIONS)
    ),
    ("Article", "claims"): _to_many(
        queries.claims_by_article_ids, Claim.from_row, pagination.CLAIM_RELATIONS
    ),
    ("Article", "speakers"): _per_id(_article_speakers),
    ("Claim", "claimant"): _to_one(models.Speaker, attrgetter("claimant_id"), Speaker.from_row),
    ("Claim", "quote"): _to_one(models.Quote, attrgetter("quote_id"), Quote.from_row),
    ("Claim", "article"): _to_one(models.Article, attrgetter("article_id"), Article.from_row),
    ("Claim", "reviews"): _to_many(queries.reviews_by_claim_ids, ClaimReview.from_row),
    ("ClaimReview", "claim"): _to_one(models.Claim, attrgetter("claim_id"), Claim.from_row),
}


# --- root fields ------------------------------------------------------------------------------

PAGE_ARGUMENTS = ("first", "after", "last", "before")


def _listing(build: Callable[..., Source]) -> Root:
    def root(run: Run, arguments: dict[str, Any], item: Selected) -> Connection[Any]:
        page = {name: arguments.pop(name, None) for name in PAGE_ARGUMENTS}
        source = build(**arguments)
        request = page_request(source.spec, run.settings.max_page_size, **page)
        listing = source.listing(run.session)
        # To-one relations selected on the nodes come with the page, in the same statement.
        on_nodes = {
            grandchild.key_name
            for child in item.children
            for grandchild in (
                child.children
                if child.key_name == "nodes"
                else [g for c in child.children if c.key_name == "node" for g in c.children]
                if child.key_name == "edges"
                else []
            )
        }
        wanted = [r for r in source.spec.relations if r.field in on_nodes]
        fetched = listing.page(run.session, request, [r.join for r in wanted])
        run.keep(wanted, fetched.joined)
        connection = assemble(source.spec, fetched, source.convert, _unused)
        run.listings[id(connection)] = listing
        return connection

    return root


async def _unused() -> int:
    raise AssertionError("the lean path counts with the listing it keeps")


def _one(
    model: type[Any],
    convert: Callable[[Any], Any],
    other: str,
    find: Callable[[Session, str], Any],
) -> Root:
    """A root field that returns one object, by global `id` or by its `other` argument."""

    def root(run: Run, arguments: dict[str, Any], _item: Selected) -> Any:
        id, value = arguments.get("id"), arguments.get(other)
        api.exactly_one(id, value, ("id", other))
        if id is not None:
            pk = decode_global_id(id, model.__name__)[1]
            row = queries.by_ids(run.session, model, [pk])[0]
        else:
            row = find(run.session, str(value))
        if row is None:
            raise NotFound(f"no such {model.__name__}")  # the full path words the error
        return convert(row)

    return root


ROOTS: dict[str, Root] = {
    "articles": _listing(api.articles_source),
    "speakers": _listing(api.speakers_source),
    "quotes": _listing(api.quotes_source),
    "searchQuotes": _listing(api.search_quotes_source),
    "claims": _listing(api.claims_source),
    "article": _one(models.Article, Article.from_row, "url", queries.article_by_url),
    "speaker": _one(models.Speaker, Speaker.from_row, "name", queries.find_speaker_by_name),
}


# --- plans ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Selected:
    """One field of the response: its key, its GraphQL field and how its value is obtained."""

    key: str
    node: FieldNode
    type: GraphQLOutputType
    column: Column | None = None
    root: Root | None = None
    graphql_field: GraphQLField | None = None
    arguments: dict[str, str] = field(default_factory=dict)
    """GraphQL argument name -> Python parameter name (root fields)."""
    children: list[Selected] = field(default_factory=list)

    @property
    def key_name(self) -> str:
        """The field's name in the schema (the key may be an alias)."""
        return self.node.name.value


@dataclass(slots=True)
class Plan:
    document: DocumentNode
    operation: OperationDefinitionNode
    selections: list[Selected]


class Planner:
    """Plans per document (by digest) and operation name, remembered; None: not for this
    path. Planning a document expands its fragments: the expansion is bounded (a chain of
    fragments that each spread the next twice must not cost exponential time or memory)."""

    def __init__(self, schema: api.Schema, settings: Settings, size: int = 512) -> None:
        self.schema = schema
        self.graphql = schema._schema
        self.settings = settings
        self.size = size
        # Selected fields one plan may hold once its fragments are expanded.
        self.budget = 4 * settings.max_tokens
        self._plans: OrderedDict[tuple[Any, ...], Plan | None] = OrderedDict()
        self._lock = threading.Lock()

    def plan(
        self, parsed: Parsed, operation_name: str | None, variables: VariableValues
    ) -> Plan | None:
        """The plan of a document that passed validation, for variables with these values of
        the booleans @skip and @include may read."""
        flags = tuple(
            sorted(
                (k, v) for k, v in variables.coerced.items() if v is None or v is True or v is False
            )
        )
        key = (parsed.digest, operation_name, flags)
        with self._lock:
            if key in self._plans:
                self._plans.move_to_end(key)
                return self._plans[key]
        plan = self._make(parsed.document, operation_name, variables)
        with self._lock:
            self._plans[key] = plan
            while len(self._plans) > self.size:
                self._plans.popitem(last=False)
        return plan

    def _make(
        self, document: DocumentNode, operation_name: str | None, variables: VariableValues
    ) -> Plan | None:
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is None:
            chosen = operations[0] if len(operations) == 1 else None
        else:
            chosen = next(
                (o for o in operations if o.name and o.name.value == operation_name), None
            )
        if chosen is None or chosen.operation is not OperationType.QUERY or chosen.directives:
            return None
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        query_type = self.graphql.query_type
        assert query_type is not None
        try:
            expansion = _Expansion(self, fragments, variables)
            selections = expansion.selections(chosen.selection_set, query_type)
        except Unsupported:
            return None
        return Plan(document, chosen, selections)


class _Expansion:
    """One document's fields, fragments expanded, under the planner's budget."""

    def __init__(
        self,
        planner: Planner,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> None:
        self.planner = planner
        self.variables = variables
        self.graphql = planner.graphql
        self.schema = planner.schema
        self.fragments = fragments
        self.left = planner.budget

    def selections(
        self, selection_set: SelectionSetNode, parent: GraphQLObjectType
    ) -> list[Selected]:
        selected: list[Selected] = []
        keys: set[str] = set()
        for node in self.fields(selection_set, parent):
            key = node.alias.value if node.alias else node.name.value
            if key in keys:
                raise Unsupported  # merging repeated keys is left to graphql-core
            keys.add(key)
            selected.append(self._selected(node, key, parent))
        return selected

    def fields(
        self, selection_set: SelectionSetNode, parent: GraphQLObjectType
    ) -> Iterator[FieldNode]:
        """The fields selected on `parent`, through fragments on that type (or on an interface
        it implements), without those @skip or @include leave out."""
        for selection in selection_set.selections:
            # Every selection visited counts, so that no document, even one whose fragments
            # select nothing in the end, costs more than the budget to plan.
            self.left -= 1
            if self.left < 0:
                raise Unsupported
            if not isinstance(
                selection, (FieldNode, InlineFragmentNode, FragmentSpreadNode)
            ) or not self.included(selection):
                continue
            if isinstance(selection, FieldNode):
                yield selection
                continue
            if isinstance(selection, InlineFragmentNode):
                condition, inner = selection.type_condition, selection.selection_set
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if fragment.directives:
                    raise Unsupported
                condition, inner = fragment.type_condition, fragment.selection_set
            else:
                raise Unsupported
            if condition is not None and condition.name.value not in {
                parent.name,
                *(i.name for i in parent.interfaces),
            }:
                raise Unsupported  # other type conditions are left to graphql-core
            yield from self.fields(inner, parent)

    def included(self, selection: FieldNode | InlineFragmentNode | FragmentSpreadNode) -> bool:
        """What @skip and @include say of a selection (the plan is per value of the
        operation's boolean variables); any other directive is left to graphql-core."""
        if not selection.directives:
            return True
        if any(d.name.value not in ("skip", "include") for d in selection.directives):
            raise Unsupported
        try:
            skip = get_directive_values(GraphQLSkipDirective, selection, self.variables)
            include = get_directive_values(GraphQLIncludeDirective, selection, self.variables)
        except GraphQLError:
            raise Unsupported from None
        if skip is not None and skip["if"] is True:
            return False
        return include is None or include["if"] is True

    def _selected(self, node: FieldNode, key: str, parent: GraphQLObjectType) -> Selected:
        name = node.name.value
        if name == "__typename":
            type_name = parent.name
            return Selected(
                key,
                node,
                self.graphql.type_map["String"],  # type: ignore[arg-type]
                column=lambda _run, parents: [type_name] * len(parents),
            )
        if name.startswith("__"):
            raise Unsupported
        graphql_field = parent.fields[name]
        item = Selected(key, node, graphql_field.type, graphql_field=graphql_field)
        named = get_named_type(graphql_field.type)
        if not is_leaf_type(named):
            if not isinstance(named, GraphQLObjectType) or node.selection_set is None:
                raise Unsupported
            item.children = self.selections(node.selection_set, named)
        if parent is self.graphql.query_type:
            root = ROOTS.get(name)
            if root is None:
                raise Unsupported
            item.root = root
            definition = graphql_field.extensions["strawberry-definition"]
            converter = self.schema.config.name_converter
            item.arguments = {
                converter.get_graphql_name(argument): argument.python_name
                for argument in definition.arguments
            }
            return item
        item.column = self._column(parent, name, graphql_field, item)
        return item

    def _column(
        self, parent: GraphQLObjectType, name: str, graphql_field: GraphQLField, item: Selected
    ) -> Column:
        if name == "id" and any(i.name == "Node" for i in parent.interfaces):
            type_name = parent.name
            return lambda _run, parents: [encode_global_id(type_name, p.id) for p in parents]
        if parent.name.endswith("Connection") and name == "totalCount":
            return lambda run, parents: [run.listings[id(p)].count(run.session) for p in parents]
        relation = RELATIONS.get((parent.name, name))
        if relation is not None:
            return relation(item)
        definition = graphql_field.extensions.get("strawberry-definition")
        if definition is None or graphql_field.args:
            raise Unsupported
        resolver = definition.base_resolver
        if resolver is None:
            return _attribute(definition.python_name)
        if resolver.is_async or resolver.arguments or resolver.info_parameter is not None:
            raise Unsupported
        compute = resolver.wrapped_func
        return lambda _run, parents: [compute(p) for p in parents]


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation a request names (the only one when it names none), as the executor
    picks it."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def _attribute(python_name: str) -> Column:
    get = attrgetter(python_name)
    return lambda _run, parents: [get(p) for p in parents]


# --- execution --------------------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    """One operation being answered: the session, and the listings behind its connections."""

    session: Session
    settings: Settings
    listings: dict[int, Any] = field(default_factory=dict)
    joined: dict[type[Any], dict[int, Any]] = field(default_factory=dict)
    """Records that came with other rows (their to-one relations), by model and id."""

    def keep(self, relations: Sequence[pagination.Relation], joined: Sequence[Any]) -> None:
        for relation, records in zip(relations, joined, strict=True):
            known = self.joined.setdefault(relation.join.model, {})
            known.update((record.id, record) for record in records if record is not None)

    def data(self, plan: Plan, variables: VariableValues) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for item in plan.selections:
            if item.root is None:  # __typename
                data[item.key] = "Query"
                continue
            assert item.graphql_field is not None
            given = get_argument_values(item.graphql_field, item.node, variables)
            arguments = {
                item.arguments.get(name, name) if name not in PAGE_ARGUMENTS else name: value
                for name, value in given.items()
            }
            value = item.root(self, arguments, item)
            data[item.key] = self.complete(item.type, [value], item)[0]
        return data

    def complete(self, type_: GraphQLOutputType, values: list[Any], item: Selected) -> list[Any]:
        """JSON values for `values` of GraphQL type `type_` (objects: with item's children)."""
        if isinstance(type_, GraphQLNonNull):
            if any(value is None for value in values):
                raise Unsupported  # an error in GraphQL terms: the full path reports it
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            flat: list[Any] = []
            sizes: list[int | None] = []
            for value in values:
                if value is None:
                    sizes.append(None)
                else:
                    sizes.append(len(value))
                    flat.extend(value)
            done = self.complete(type_.of_type, flat, item)
            out: list[Any] = []
            start = 0
            for size in sizes:
                if size is None:
                    out.append(None)
                else:
                    out.append(done[start : start + size])
                    start += size
            return out
        if is_leaf_type(type_):
            serialize = type_.serialize
            return [None if value is None else serialize(value) for value in values]
        present = [value for value in values if value is not None]
        objects = iter(self.objects(present, item.children))
        return [None if value is None else next(objects) for value in values]

    def objects(self, parents: list[Any], children: list[Selected]) -> list[dict[str, Any]]:
        if not parents:
            return []
        columns = []
        for child in children:
            assert child.column is not None
            columns.append(
                (child.key, self.complete(child.type, child.column(self, parents), child))
            )
        return [{key: column[i] for key, column in columns} for i in range(len(parents))]


@dataclass(frozen=True, slots=True)
class Answer:
    """A response of the lean path: its bytes, and whether the response cache may keep them."""

    body: bytes
    cacheable: bool


class LeanReads:
    """Answers a POSTed JSON GraphQL request on the lean path when it can (an Answer), or
    says None, and the request goes to the full Strawberry path."""

    def __init__(self, schema: api.Schema, settings: Settings, engine: sa.Engine) -> None:
        self.settings = settings
        # On PostgreSQL a read needs no transaction of its own: each statement sees what was
        # committed (READ COMMITTED, as inside one), and BEGIN/ROLLBACK are two round trips.
        self.engine = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "postgresql"
            else engine
        )
        self.planner = Planner(schema, settings)
        self.documents = schema.documents
        self.served = 0
        """How many requests this path has answered (for tests and diagnostics)."""

    async def answer(self, body: bytes, authorization: str | None) -> Answer | None:
        payload = json_object(body)
        if payload is None:
            return None
        query = payload.get("query")
        variables = payload.get("variables") or {}
        operation_name = payload.get("operationName")
        if (
            not isinstance(query, str)
            or not isinstance(variables, dict)
            or not isinstance(operation_name, (str, type(None)))
        ):
            return None
        try:
            # Bounded: the size and token limits apply before the parser runs.
            parsed = self.documents.parse(query)
        except GraphQLError:
            return None
        try:
            # Validation is in the time budget too: some documents take seconds.
            async with asyncio.timeout(self.settings.request_timeout_s):
                prepared = await self._prepare(parsed, operation_name, variables)
                if prepared is None:
                    return None
                plan, coerced = prepared
                data = await to_thread.run_sync(self._execute, plan, coerced, authorization)
                return Answer(data, cacheable=True)
        except TimeoutError:
            error = timeout_error(self.settings.request_timeout_s)
            return Answer(
                orjson.dumps({"data": None, "errors": [error.formatted]}), cacheable=False
            )
        except (Unsupported, ServiceError):
            return None
        except Exception:
            log.exception("the lean path failed on a query; it is answered on the full path")
            return None

    async def _prepare(
        self, parsed: Parsed, operation_name: str | None, variables: dict[str, Any]
    ) -> tuple[Plan, VariableValues] | None:
        """The plan and the coerced variables of a request this path can answer, or None."""
        if await self.documents.validate(self.planner.graphql, parsed):
            return None
        operation = _operation(parsed.document, operation_name)
        if operation is None:
            return None
        coerced = get_variable_values(
            self.planner.graphql, operation.variable_definitions or [], variables
        )
        if isinstance(coerced, list):
            return None
        # The limits read the variables as execution sees them, defaults included; checked
        # before planning, which expands fragments.
        if shape_refusal(self.settings, parsed, operation_name, variables, coerced.coerced):
            return None
        plan = self.planner.plan(parsed, operation_name, coerced)
        return None if plan is None else (plan, coerced)

    def _execute(self, plan: Plan, variables: VariableValues, authorization: str | None) -> bytes:
        with make_session(self.engine) as session:
            if not self.settings.public_reads:
                scheme, _, token = (authorization or "").partition(" ")
                if scheme.lower() != "bearer" or authenticate(session, token.strip()) is None:
                    raise Unsupported  # the full path refuses with UNAUTHENTICATED
            data = Run(session, self.settings).data(plan, variables)
        self.served += 1
        return orjson.dumps({"data": data})


class LeanReadMiddleware:
    """ASGI middleware before the GraphQL router: lean answers for the reads it can serve;
    marks them cacheable for the response cache outside it."""

    def __init__(self, app: ASGIApp, *, reads: LeanReads, path: str = "/graphql") -> None:
        self.app = app
        self.reads = reads
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not accepted_json_post(scope, self.path):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        body = await read_body(receive)
        authorization = headers.get(b"authorization")
        answer = await self.reads.answer(
            body, authorization.decode("latin-1") if authorization else None
        )
        if answer is None:
            await self.app(scope, replay(body), send)
            return
        scope.setdefault("state", {})["cacheable"] = answer.cacheable
        await send_json(send, answer.body)
