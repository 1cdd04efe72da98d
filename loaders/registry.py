"""The loaders of one request, made on first use from the relations of ``queries.relations``.

A resolver names the relation it needs by importing it (never by a string):
``await info.context.loaders.one(ORGANIZATION_BY_ID).load(pk)``. Every loader
batches the keys of a request into one ``queries.batch`` statement, with the
viewer's access rules applied there, and turns rows into model instances for
the Strawberry types, which read attributes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from aiodataloader import DataLoader

from domain.access import Viewer
from loaders.networks import NetworkLoaders
from models.dates import Certainty
from queries.batch import Relation, Where, pages_by, rows_by
from queries.pages import Ordering, Page, PageRequest
from resolvers.time import OnDay

MAX_BATCH = 500
"""Keys per statement."""


@dataclass(frozen=True)
class PageArguments:
    """What one connection field asks of its relation, beyond the parent: the same for every parent batched together."""

    request: PageRequest
    day: date | None = None
    where: Where | None = None
    ordering: Ordering | None = None
    key: Hashable = None
    """What tells apart two ``where`` conditions (e.g. the filter they come from)."""

    def cache_key(self) -> Hashable:
        return (self.request, self.day, self.ordering, self.key)


def _certainty(row: Any) -> Certainty:
    return Certainty.CERTAIN if row["certain"] else Certainty.UNCERTAIN


class Loaders:
    """One DataLoader per relation (and per page arguments), made when first asked for."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self._loaders: dict[Hashable, DataLoader] = {}

    def _loader(self, key: Hashable, load: Any) -> DataLoader:
        if key not in self._loaders:
            self._loaders[key] = DataLoader(load, max_batch_size=MAX_BATCH)
        return self._loaders[key]

    def many(self, relation: Relation) -> DataLoader:
        """Loads, for each key, every row of the relation as a model instance (a list)."""

        async def load(keys: Sequence[Hashable]) -> list[list[Any]]:
            found = await rows_by(relation, keys, self.viewer)
            return [[relation.table.instance(row) for row in found.get(key, [])] for key in keys]

        return self._loader(("many", relation), load)

    def one(self, relation: Relation) -> DataLoader:
        """Loads, for each key, the one row of the relation as a model instance, or None."""

        async def load(keys: Sequence[Hashable]) -> list[Any]:
            found = await rows_by(relation, keys, self.viewer)
            return [relation.table.instance(found[key][0]) if found.get(key) else None for key in keys]

        return self._loader(("one", relation), load)

    def pages(self, relation: Relation, arguments: PageArguments) -> DataLoader:
        """Loads, for each parent, one page of the relation; rows of a dated relation asked for a day
        come as ``OnDay`` (the instance with its certainty)."""

        async def load(parents: Sequence[Hashable]) -> list[Page]:
            pages = await pages_by(
                relation,
                parents,
                self.viewer,
                arguments.request,
                day=arguments.day,
                where=arguments.where,
                ordering=arguments.ordering,
            )
            dated = relation.period is not None and arguments.day is not None

            def instance(row: Any) -> Any:
                model = relation.table.instance(row)
                return OnDay(model, _certainty(row)) if dated else OnDay(model, None) if relation.period else model

            return [pages[parent].map(instance) for parent in parents]

        return self._loader(("pages", relation, arguments.cache_key()), load)

    @cached_property
    def networks(self) -> NetworkLoaders:
        """Memberships through networks of networks (loaders/networks.py)."""
        return NetworkLoaders(self.viewer)
