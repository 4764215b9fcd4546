"""The Node interface: every stored object has a global ID and can be fetched with node(id:)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from strawberry import relay
from strawberry.types import Info


class LoadedNode(relay.Node):
    """A Node whose rows come through the request's DataLoader named by `loader_name`."""

    loader_name: ClassVar[str]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        loader = getattr(info.context.loaders, cls.loader_name)
        rows = await loader.load_many([int(i) for i in node_ids])
        return [None if row is None else cls.from_row(row) for row in rows]  # type: ignore[attr-defined]


def load_related(
    info: Info, loader_name: str, key: int | None, convert: Callable[[Any], Any]
) -> Any:
    """A to-one relation: the converted row at once when this request already holds it (a
    page primes its loaders), else an awaitable that loads it in the next batch. Returning
    the value directly spares graphql-core a task per field, which adds up over a page."""
    if key is None:
        return None
    loader = getattr(info.context.loaders, loader_name)
    future = loader.cache_map.get(key)
    if future is not None and future.done() and not future.cancelled():
        row = future.result()
        return None if row is None else convert(row)

    async def load() -> Any:
        row = await loader.load(key)
        return None if row is None else convert(row)

    return load()
