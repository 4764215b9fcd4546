"""DataLoaders, per request and made on first use: each relation is fetched with one query
per batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from strawberry.dataloader import DataLoader

from app.db.models import (
    Article,
    Claim,
    ClaimReview,
    Quote,
    QuoteFragment,
    Speaker,
    SpeakerAlias,
)
from app.services import queries

if TYPE_CHECKING:
    from app.graphql.context import Context

V = TypeVar("V")


def _rows(model: type[Any]) -> Callable[[Any, Sequence[int]], list[Any]]:
    return lambda session, keys: queries.by_ids(session, model, keys)


class Loaders:
    def __init__(self, context: Context) -> None:
        self._context = context
        self._quotes_by_article_of: dict[tuple[str, ...], DataLoader[int, list[Quote]]] = {}

    def _loader(self, fetch: Callable[[Any, Sequence[int]], list[V]]) -> DataLoader[int, V]:
        context = self._context

        async def load(keys: list[int]) -> list[V]:
            return await context.run(fetch, keys)

        return DataLoader(load_fn=load)

    @cached_property
    def article(self) -> DataLoader[int, Article | None]:
        return self._loader(_rows(Article))

    @cached_property
    def speaker(self) -> DataLoader[int, Speaker | None]:
        return self._loader(_rows(Speaker))

    @cached_property
    def quote(self) -> DataLoader[int, Quote | None]:
        return self._loader(_rows(Quote))

    @cached_property
    def claim(self) -> DataLoader[int, Claim | None]:
        return self._loader(_rows(Claim))

    @cached_property
    def claim_review(self) -> DataLoader[int, ClaimReview | None]:
        return self._loader(_rows(ClaimReview))

    @cached_property
    def quotes_by_article(self) -> DataLoader[int, list[Quote]]:
        return self._loader(queries.quotes_by_article_ids)

    def quotes_by_article_of(self, classes: tuple[str, ...]) -> DataLoader[int, list[Quote]]:
        """Each article's quotes of these attribution classes."""
        if classes not in self._quotes_by_article_of:
            self._quotes_by_article_of[classes] = self._loader(
                queries.quotes_by_article_ids_of(classes)
            )
        return self._quotes_by_article_of[classes]

    @cached_property
    def fragments_by_quote(self) -> DataLoader[int, list[QuoteFragment]]:
        return self._loader(queries.fragments_by_quote_ids)

    @cached_property
    def claims_by_article(self) -> DataLoader[int, list[Claim]]:
        return self._loader(queries.claims_by_article_ids)

    @cached_property
    def claims_by_quote(self) -> DataLoader[int, list[Claim]]:
        return self._loader(queries.claims_by_quote_ids)

    @cached_property
    def reviews_by_claim(self) -> DataLoader[int, list[ClaimReview]]:
        return self._loader(queries.reviews_by_claim_ids)

    @cached_property
    def suggested_reviews_by_claim(self) -> DataLoader[int, list[ClaimReview]]:
        return self._loader(queries.suggested_reviews_by_claim_ids)

    @cached_property
    def links_by_review(self) -> DataLoader[int, list[Any]]:
        return self._loader(queries.links_by_review_ids)

    @cached_property
    def aliases_by_speaker(self) -> DataLoader[int, list[SpeakerAlias]]:
        return self._loader(queries.aliases_by_speaker_ids)

    @cached_property
    def speakers_by_article(self) -> DataLoader[int, list[Speaker]]:
        return self._loader(queries.speakers_by_article_ids)

    @cached_property
    def quote_count_by_speaker(self) -> DataLoader[int, int]:
        return self._loader(queries.quote_counts_by_speaker_ids)
