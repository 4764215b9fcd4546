"""Query texts parsed under the size and token limits, once per distinct text: documents are
remembered by a digest of the text, in a cache bounded by an estimate of their memory."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from anyio import to_thread
from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from strawberry.extensions import SchemaExtension

from app.settings import Settings

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Measured with tracemalloc (graphql-core 3.3): a parsed document with locations keeps about
# 620 bytes per token (its node, the token itself, the linked list of tokens), and its text
# twice (the source, and comment tokens' values).
BYTES_PER_TOKEN = 640
ENTRY_BYTES = 1_000


class WeightedLRU(Generic[K, V]):
    """A least-recently-used map bounded both in entries and in a weight (bytes) per entry."""

    def __init__(self, max_weight: int, max_entries: int) -> None:
        self.max_weight = max_weight
        self.max_entries = max_entries
        self.weight = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: K, value: V, weight: int) -> None:
        if weight > self.max_weight // 4:
            return  # one huge entry must not flush everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.weight -= old[1]
            self._entries[key] = (value, weight)
            self.weight += weight
            while self.weight > self.max_weight or len(self._entries) > self.max_entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.weight -= dropped

    def __len__(self) -> int:
        return len(self._entries)


def query_too_large(size: int, limit: int) -> GraphQLError:
    return GraphQLError(
        f"The query text is {size:,} bytes; the limit is {limit:,}. Send a shorter query "
        "(comments and whitespace count too).",
        extensions={"code": "QUERY_TOO_LARGE", "limit": limit, "value": size},
    )


@dataclass(eq=False, slots=True)
class Parsed:
    """A parsed query text with what is worked out from it once: its validation against the
    schema, and facts the response cache and the guard need."""

    document: DocumentNode
    digest: bytes
    """SHA-256 of the query text (UTF-8)."""
    validation: dict[tuple[Any, ...], list[GraphQLError]] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)
    """Per-document facts computed by other modules (the cache's normalised digest, the
    guard's unstorable-literal check), by name."""


class Documents:
    """Parses query texts for every part of the app that reads them (the response cache's key,
    the lean planner, Strawberry's executor), so a text is parsed at most once while it is
    remembered, and never before its size in bytes and its token count are within limits."""

    def __init__(self, settings: Settings) -> None:
        self.max_bytes = settings.max_query_bytes
        self.max_tokens = settings.max_tokens
        # Failures are remembered too: the cache key, the lean path and the executor each ask
        # for the same text, and a text that fails at the token limit costs the most to parse.
        self._cache: WeightedLRU[bytes, Parsed | GraphQLError] = WeightedLRU(
            settings.document_cache_mb * 1024 * 1024, max_entries=4096
        )

    def parse(self, query: str) -> Parsed:
        """The parsed text; a GraphQLError when it is too large, has too many tokens or
        is not GraphQL. Bounded work: the bytes are checked before anything is parsed, and
        the parser stops at the token limit."""
        if len(query) > self.max_bytes:  # each character is at least one byte
            raise query_too_large(len(query.encode("utf-8", "surrogatepass")), self.max_bytes)
        text = query.encode("utf-8", "surrogatepass")
        if len(text) > self.max_bytes:
            raise query_too_large(len(text), self.max_bytes)
        digest = hashlib.sha256(text).digest()
        found = self._cache.get(digest)
        if isinstance(found, GraphQLError):
            # Raised afresh each time: a re-raised exception keeps growing its traceback.
            raise found.with_traceback(None) from None
        if found is not None:
            return found
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError as error:
            self._cache.put(digest, error.with_traceback(None), ENTRY_BYTES + 2 * len(text))
            raise
        parsed = Parsed(document, digest)
        self._cache.put(digest, parsed, _weight(document, len(text)))
        return parsed

    async def validate(
        self,
        schema: GraphQLSchema,
        parsed: Parsed,
        rules: Sequence[type[ASTValidationRule]] | None = None,
    ) -> list[GraphQLError]:
        """The validation errors of the document (none: valid), computed once per rule set,
        in a worker thread: within the token limit, graphql-core's check that repeated fields
        can merge still takes seconds on some documents (500 repeats of `speaker { name }`:
        4.6 s), which must not stop the event loop."""
        key = (id(schema), *(rules or ()))
        errors = parsed.validation.get(key)
        if errors is not None:
            return errors

        def check() -> list[GraphQLError]:
            found = validate(schema, parsed.document, rules)
            parsed.validation[key] = found  # kept even when the request stopped waiting
            return found

        # A request that runs out of time stops waiting (its error is TIMEOUT); the thread
        # finishes, and the next request with this document finds the result.
        return await to_thread.run_sync(check, abandon_on_cancel=True)

    def __len__(self) -> int:
        return len(self._cache)


def _weight(document: DocumentNode, size: int) -> int:
    """Estimated bytes a document with locations keeps alive: its text and its tokens."""
    tokens = 0
    token = document.loc.start_token if document.loc else None
    while token is not None:
        tokens += 1
        token = token.next
    return ENTRY_BYTES + 2 * size + BYTES_PER_TOKEN * tokens


class BoundedParsing(SchemaExtension):
    """Strawberry's parsing and validation steps, through the app's `Documents` (replaces
    MaxTokensLimiter, ParserCache and ValidationCache, whose caches are keyed by the text)."""

    def __init__(self, documents: Documents) -> None:
        super().__init__()
        self.documents = documents
        self.parsed: Parsed | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            self.parsed = self.documents.parse(context.query)
            context.graphql_document = self.parsed.document
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        if self.parsed is not None and context.graphql_document is self.parsed.document:
            context.pre_execution_errors = await self.documents.validate(
                context.schema._schema, self.parsed, tuple(context.validation_rules)
            )
        yield
