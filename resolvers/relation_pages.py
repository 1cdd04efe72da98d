"""Relationship connections: one page per parent, every parent of a request in one statement."""

from __future__ import annotations

from typing import Any

import strawberry
from tortoise.expressions import Q

from models import Event
from resolvers.filters import event_conditions, search_conditions
from resolvers.lists import ORDERINGS, ordering_of, page_request
from resolvers.pagination import Page, paginate_partitions


async def events_of(
    root: Any, info: strawberry.Info, column: str, filter: Any = None, order_by: Any = None, **page: Any
) -> Page[Event]:
    """The page of events whose ``column`` is ``root``'s id, filtered and ordered like the root list."""
    request = page_request(info, page)
    ordering = ordering_of(order_by, ORDERINGS["START_DATE"])
    viewer = info.context.viewer

    async def load(parent_ids: list[Any]) -> list[Page[Event]]:
        conditions = Q(event_conditions(filter, viewer), await search_conditions("Event", filter, viewer))
        return await paginate_partitions(Event.filter(conditions), column, parent_ids, ordering, request)

    arguments = repr((filter, order_by, request))
    return await info.context.loaders.pages(f"events_by_{column}", arguments, load).load(root.id)  # type: ignore[no-any-return]
