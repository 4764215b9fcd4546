"""Every relation field of the API, declared once: the Strawberry resolvers, the request's
DataLoaders and the lean read path (app/graphql/lean.py) all read this table.

A relation says which GraphQL field it is (`owner`, `field`), which parent attribute holds
its key, which batch query of `app.services.queries` fetches it for many keys at once (the
same function the DataLoader calls and the lean path calls), and how a fetched row becomes
an API object. A field added here is served by both paths; a field that is not here and is
not a plain attribute falls back to Strawberry only if `lean.FALLBACK` says why
(`tests/graphql/test_read_paths.py` walks the schema to keep it so).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from app.db import models
from app.graphql import pagination
from app.services import audit, content_ids, curation, provenance, queries

if TYPE_CHECKING:
    from strawberry.types import Info

Shape = Literal["one", "many", "value"]
F = TypeVar("F", bound=Callable[..., Any])


@cache
def _from_row(path: str) -> Callable[[Any], Any]:
    module, _, name = path.rpartition(".")
    converter: Callable[[Any], Any] = getattr(importlib.import_module(module), name).from_row
    return converter


def api(path: str) -> Callable[[Any], Any]:
    """`from_row` of the API type at `path` ("app.graphql.speaker.Speaker"), imported on first
    use: the type modules import this one, so it cannot import them."""

    def convert(row: Any) -> Any:
        return _from_row(path)(row)

    return convert


def speaker_rows(session: Any, keys: Sequence[int]) -> list[Any]:
    """Speaker records by id; a merged speaker's id gives the speaker it was merged into."""
    return curation.speakers_following_redirects(session, keys)


def history_of(subject: str) -> Callable[[Any, Sequence[int]], list[Any]]:
    """Batch function: each record's audit entries (editors' changes), oldest first."""

    def fetch(session: Any, keys: Sequence[int]) -> list[Any]:
        return audit.history(session, subject, keys)

    return fetch


def rows(model: type[Any]) -> Callable[[Any, Sequence[int]], list[Any]]:
    """Batch function: the records of `model` for the given ids, aligned (None if absent)."""

    def fetch(session: Any, keys: Sequence[int]) -> list[Any]:
        return queries.by_ids(session, model, keys)

    return fetch


@dataclass(frozen=True, slots=True, eq=False)
class Relation:
    """One relation field: how its value is fetched for many parents at once."""

    owner: str
    """The GraphQL type that has the field."""
    field: str
    """The GraphQL field name."""
    shape: Shape
    """one: a record by foreign key (or None); many: a list of records per parent id;
    value: a computed value per parent id (counts, names)."""
    fetch: Callable[[Any, Sequence[int]], list[Any]]
    """Batch function (session, keys) -> values aligned with keys."""
    key: str = "id"
    """The parent's attribute that holds the key."""
    convert: Callable[[Any], Any] | None = None
    """Record -> API object (one, many); for value, the whole fetched value -> field value."""
    loader: str = ""
    """Name of the request's DataLoader; to-one relations share the model's row loader, which
    pages prime with the records they join (pagination.Relation.loader)."""
    model: type[Any] | None = None
    """The related model of a to-one relation (the lean path keeps joined records by model)."""
    along: tuple[pagination.Relation, ...] = ()
    """To-one relations of the children that may come in the same statement (many)."""
    keyless: Literal["null", "resolver"] = "null"
    """A to-one relation whose key is None: null, or something only its Strawberry resolver
    knows (the lean path then leaves the query to Strawberry)."""

    @property
    def loader_name(self) -> str:
        return self.loader or f"{self.owner}.{self.field}"

    def serves(self, resolver: F) -> F:
        """Mark a Strawberry resolver as this relation's (checked by the read-path test)."""
        resolver.__relation__ = self  # type: ignore[attr-defined]
        return resolver

    def resolve(self, info: Info, parent: Any) -> Any:
        """The field's value for `parent` through the request's DataLoader: for a to-one
        relation the value at once when the request already holds the record (a page primes
        its loaders; returning it directly spares graphql-core a task per field), else an
        awaitable."""
        key = getattr(parent, self.key)
        if key is None:
            return None
        loader = info.context.loaders.of(self)
        convert = self.convert
        if self.shape == "one":
            future = loader.cache_map.get(key)
            if future is not None and future.done() and not future.cancelled():
                row = future.result()
                return None if row is None or convert is None else convert(row)

        async def load() -> Any:
            value = await loader.load(key)
            if convert is None:
                return value
            if self.shape == "many":
                return [convert(row) for row in value]
            if self.shape == "one":
                return None if value is None else convert(value)
            return convert(value)

        return load()


TABLE: dict[tuple[str, str], Relation] = {}


def _declare(relation: Relation) -> Relation:
    key = (relation.owner, relation.field)
    if key in TABLE:
        raise ValueError(f"relation {key} declared twice")
    TABLE[key] = relation
    return relation


def to_one(
    owner: str,
    field: str,
    model: type[Any],
    key: str,
    convert: str,
    keyless: Literal["null", "resolver"] = "null",
) -> Relation:
    loader = model.__tablename__  # the row loaders are named by table (article, speaker, ...)
    fetch = speaker_rows if model is models.Speaker else rows(model)
    return _declare(
        Relation(
            owner,
            field,
            "one",
            fetch,
            key,
            api(convert),
            loader,
            model=model,
            keyless=keyless,
        )
    )


def to_many(
    owner: str,
    field: str,
    fetch: Callable[[Any, Sequence[int]], list[Any]],
    convert: str,
    along: tuple[pagination.Relation, ...] = (),
) -> Relation:
    return _declare(Relation(owner, field, "many", fetch, convert=api(convert), along=along))


def per_id(
    owner: str,
    field: str,
    fetch: Callable[[Any, Sequence[int]], list[Any]],
    convert: Callable[[Any], Any] | None = None,
    key: str = "id",
) -> Relation:
    return _declare(Relation(owner, field, "value", fetch, key, convert=convert))


def optional(path: str) -> Callable[[Any], Any]:
    """`from_row` of an API type for a value that may be None."""
    convert = api(path)
    return lambda row: None if row is None else convert(row)


def _names(rows: list[Any]) -> list[str]:
    return [row.alias for row in rows]


QUOTE = "app.graphql.quote.Quote"
FRAGMENT = "app.graphql.quote.QuoteFragment"
SPEAKER = "app.graphql.speaker.Speaker"
ARTICLE = "app.graphql.article.Article"
CLAIM = "app.graphql.claim.Claim"
REVIEW = "app.graphql.review.ClaimReview"
LINK = "app.graphql.review.ReviewLink"
AUDIT = "app.graphql.curation.AuditEntry"
QUOTATION = "app.graphql.quotation.Quotation"
PROVENANCE = "app.graphql.provenance.Provenance"

QUOTE_SPEAKER = to_one("Quote", "speaker", models.Speaker, "speaker_id", SPEAKER)
QUOTE_ARTICLE = to_one("Quote", "article", models.Article, "article_id", ARTICLE)
QUOTE_CLAIMS = to_many(
    "Quote", "claims", queries.claims_by_quote_ids, CLAIM, pagination.CLAIM_RELATIONS
)
SPEAKER_ALIASES = per_id("Speaker", "aliases", queries.aliases_by_speaker_ids, _names)
SPEAKER_QUOTE_COUNT = per_id("Speaker", "quoteCount", queries.quote_counts_by_speaker_ids)
ARTICLE_QUOTES = to_many(
    "Article", "quotes", queries.quotes_by_article_ids, QUOTE, pagination.QUOTE_RELATIONS
)
ARTICLE_CLAIMS = to_many(
    "Article", "claims", queries.claims_by_article_ids, CLAIM, pagination.CLAIM_RELATIONS
)
ARTICLE_SPEAKERS = to_many("Article", "speakers", queries.speakers_by_article_ids, SPEAKER)
CLAIM_CLAIMANT = to_one("Claim", "claimant", models.Speaker, "claimant_id", SPEAKER)
CLAIM_QUOTE = to_one("Claim", "quote", models.Quote, "quote_id", QUOTE)
CLAIM_ARTICLE = to_one("Claim", "article", models.Article, "article_id", ARTICLE)
CLAIM_REVIEWS = to_many("Claim", "reviews", queries.reviews_by_claim_ids, REVIEW)
CLAIM_SUGGESTED_REVIEWS = to_many(
    "Claim", "suggestedReviews", queries.suggested_reviews_by_claim_ids, REVIEW
)
REVIEW_LINKS = to_many("ClaimReview", "links", queries.links_by_review_ids, LINK)
# Reached through Claim.reviews a review knows its claim; reached otherwise, its resolver
# picks the best-linked claim.
REVIEW_CLAIM = to_one("ClaimReview", "claim", models.Claim, "claim_id", CLAIM, keyless="resolver")
LINK_CLAIM = to_one("ReviewLink", "claim", models.Claim, "claim_id", CLAIM)
LINK_REVIEW = to_one("ReviewLink", "review", models.ClaimReview, "review_id", REVIEW)
QUOTE_HISTORY = to_many("Quote", "history", history_of("Quote"), AUDIT)
SPEAKER_HISTORY = to_many("Speaker", "history", history_of("Speaker"), AUDIT)
QUOTE_QUOTATION = per_id("Quote", "quotation", queries.quotations_by_quote_ids, optional(QUOTATION))
QUOTE_CONTENT_ID = per_id("Quote", "contentId", content_ids.quote_content_ids)
QUOTE_PROVENANCE = per_id(
    "Quote", "provenance", provenance.article_provenance, api(PROVENANCE), key="article_id"
)
ARTICLE_PROVENANCE = per_id("Article", "provenance", provenance.article_provenance, api(PROVENANCE))
QUOTATION_SPEAKER = to_one("Quotation", "speaker", models.Speaker, "speaker_id", SPEAKER)
QUOTATION_CONTENT_ID = per_id("Quotation", "contentId", content_ids.quotation_content_ids)
QUOTE_FRAGMENTS = to_many("Quote", "fragments", queries.fragments_by_quote_ids, FRAGMENT)
