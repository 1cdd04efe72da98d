"""Loaders of networks of networks: memberships reached through other networks, and link rows by id.

``membership_reach`` batches every ``members``/``networks`` field of a
request into one recursive SQL statement per direction and day: keys are
``ReachKey(direction, organization_id, depth, as_of)``, and a batch runs at
the largest depth asked, each key keeping the hops within its own depth
(shortest distances do not depend on how far the walk went on).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from functools import cached_property
from typing import NamedTuple

from aiodataloader import DataLoader

from domain.access import Viewer
from queries import networks
from queries.networks import Direction, ReachedMembership


class ReachKey(NamedTuple):
    """What one ``members``/``networks`` field asks for."""

    direction: Direction
    organization_id: int
    depth: int
    as_of: date | None


def membership_reach_loader(viewer: Viewer) -> DataLoader:
    """Loads, for each ``ReachKey``, the memberships reached (see ``queries.networks.reach``)."""

    async def load(keys: Sequence[ReachKey]) -> list[list[ReachedMembership]]:
        groups: dict[tuple[Direction, date | None], list[ReachKey]] = defaultdict(list)
        for key in keys:
            groups[key.direction, key.as_of].append(key)
        answers: dict[ReachKey, list[ReachedMembership]] = {}
        for (direction, as_of), group in groups.items():
            found = await networks.reach(
                direction,
                (key.organization_id for key in group),
                depth=max(key.depth for key in group),
                as_of=as_of,
                viewer=viewer,
            )
            for key in group:
                answers[key] = [hop for hop in found[key.organization_id] if hop.distance <= key.depth]
        return [answers[key] for key in keys]

    return DataLoader(load, max_batch_size=500)


class NetworkLoaders:
    """The loaders of this module for one request (``Loaders.networks``)."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer

    @cached_property
    def membership_reach(self) -> DataLoader:
        return membership_reach_loader(self.viewer)

