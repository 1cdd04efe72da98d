"""The Relay ``Node`` interface as the directory's entities implement it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import strawberry
from strawberry import relay

from resolvers.lookup import fetch_nodes


class DirectoryNode(relay.Node):
    """Base of every entity: a global ID, ``node``/``nodes`` batched through loaders.

    Subclasses name their model in ``model`` and are resolved straight from
    model instances (no copying into another object).
    """

    model: ClassVar[type]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, cls.model)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        pks = []
        for node_id in node_ids:
            try:
                pks.append(int(node_id))
            except ValueError:
                pks.append(-1)
        return await fetch_nodes(info, cls.__name__, pks)
