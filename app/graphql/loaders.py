"""DataLoaders, created per request: each relation is fetched with one query per batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from strawberry.dataloader import DataLoader

from app.db.models import Article, Claim, ClaimReview, Quote, Speaker, SpeakerAlias
from app.services import queries

if TYPE_CHECKING:
    from app.graphql.context import Context

V = TypeVar("V")


class Loaders:
    def __init__(self, context: Context) -> None:
        def loader(fetch: Callable[[Any, Sequence[int]], list[V]]) -> DataLoader[int, V]:
            async def load(keys: list[int]) -> list[V]:
                return await context.run(fetch, keys)

            return DataLoader(load_fn=load)

        def rows(model: type[Any]) -> Callable[[Any, Sequence[int]], list[Any]]:
            return lambda session, keys: queries.by_ids(session, model, keys)

        self.article: DataLoader[int, Article | None] = loader(rows(Article))
        self.speaker: DataLoader[int, Speaker | None] = loader(rows(Speaker))
        self.quote: DataLoader[int, Quote | None] = loader(rows(Quote))
        self.claim: DataLoader[int, Claim | None] = loader(rows(Claim))
        self.claim_review: DataLoader[int, ClaimReview | None] = loader(rows(ClaimReview))
        self.quotes_by_article: DataLoader[int, list[Quote]] = loader(queries.quotes_by_article_ids)
        self.claims_by_article: DataLoader[int, list[Claim]] = loader(queries.claims_by_article_ids)
        self.claims_by_quote: DataLoader[int, list[Claim]] = loader(queries.claims_by_quote_ids)
        self.reviews_by_claim: DataLoader[int, list[ClaimReview]] = loader(
            queries.reviews_by_claim_ids
        )
        self.aliases_by_speaker: DataLoader[int, list[SpeakerAlias]] = loader(
            queries.aliases_by_speaker_ids
        )
        self.speakers_by_article: DataLoader[int, list[Speaker]] = loader(
            queries.speakers_by_article_ids
        )
        self.quote_count_by_speaker: DataLoader[int, int] = loader(
            queries.quote_counts_by_speaker_ids
        )
