"""The Node interface: every stored object has a global ID and can be fetched with node(id:)."""

from __future__ import annotations

from collections.abc import Iterable
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
