"""DataLoaders, per request and made on first use: each relation is fetched with one query
per batch. The relations' loaders come from their declarations (app/graphql/relations.py);
the row loaders by id serve node(id:), the to-one relations and the pages that prime them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from strawberry.dataloader import DataLoader

from app.db.models import Article, Claim, ClaimReview, Quotation, Quote, Speaker
from app.graphql.relations import rows as _rows
from app.graphql.relations import speaker_rows

if TYPE_CHECKING:
    from app.graphql.context import Context
    from app.graphql.relations import Relation

V = TypeVar("V")


class Loaders:
    def __init__(self, context: Context) -> None:
        self._context = context
        self._made: dict[str, DataLoader[int, Any]] = {}

    def named(
        self, name: str, fetch: Callable[[Any, Sequence[int]], list[V]]
    ) -> DataLoader[int, V]:
        """The request's loader called `name`, made with batch function `fetch` on first use."""
        loader = self._made.get(name)
        if loader is None:
            context = self._context

            async def load(keys: list[int]) -> list[V]:
                return await context.run(fetch, keys)

            loader = self._made[name] = DataLoader(load_fn=load)
        return loader

    def of(self, relation: Relation) -> DataLoader[int, Any]:
        """The loader of a declared relation (to-one relations share the row loaders)."""
        return self.named(relation.loader_name, relation.fetch)

    @property
    def article(self) -> DataLoader[int, Article | None]:
        return self.named("article", _rows(Article))

    @property
    def speaker(self) -> DataLoader[int, Speaker | None]:
        # A merged speaker's id gives the speaker it was merged into (app.services.curation).
        return self.named("speaker", speaker_rows)

    @property
    def quote(self) -> DataLoader[int, Quote | None]:
        return self.named("quote", _rows(Quote))

    @property
    def claim(self) -> DataLoader[int, Claim | None]:
        return self.named("claim", _rows(Claim))

    @property
    def claim_review(self) -> DataLoader[int, ClaimReview | None]:
        return self.named("claim_review", _rows(ClaimReview))

    @property
    def quotation(self) -> DataLoader[int, Quotation | None]:
        return self.named("quotation", _rows(Quotation))
