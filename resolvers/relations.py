"""Resolvers of relationship fields, made from the relation each one reads (``queries.relations``).

``one(OFFICE_BY_ID, "parent_id")`` resolves a to-one field; ``many(DATES_OF_EVENT)``
a small list keyed by the parent's id; ``page(...)`` a connection, one page
per parent, every parent of a request in one statement. Rows the viewer may
not see (hidden organizations, and the links that point at them) never come
back: the relations' statements leave them out (``queries.access``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from datetime import date
from typing import Any

import strawberry

from loaders.registry import PageArguments
from queries.batch import Relation, Where
from queries.filters import event_where
from queries.lists import BY_START_DATE, ordering_of
from queries.pages import Ordering, Page
from resolvers.lists import page_request

Resolver = Callable[..., Awaitable[Any]]


def one(relation: Relation, key: str) -> Resolver:
    """A to-one field: the row of ``relation`` whose key is ``root.<key>``; None when the key is null."""

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        value = getattr(root, key)
        if value is None:
            return None
        return await info.context.loaders.one(relation).load(value)

    return resolve


def many(relation: Relation, key: str = "id") -> Resolver:
    """A small to-many field: every row of ``relation`` whose key is ``root.<key>``."""

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        return await info.context.loaders.many(relation).load(getattr(root, key))

    return resolve


async def page(
    root: Any,
    info: strawberry.Info,
    relation: Relation,
    pagination: dict[str, Any],
    *,
    day: date | None = None,
    where: Where | None = None,
    ordering: Ordering | None = None,
    key: Hashable = None,
) -> Page:
    """The page of ``relation`` for ``root`` (batched with the same page of every other parent)."""
    arguments = PageArguments(page_request(info, pagination), day, where, ordering, key)
    return await info.context.loaders.pages(relation, arguments).load(root.id)


async def events_page(
    root: Any, info: strawberry.Info, relation: Relation, filter: Any, order_by: Any, pagination: dict[str, Any]
) -> Page:
    """A page of events related to ``root``, filtered and ordered like the root list of events."""
    where = await event_where(filter, info.context.viewer)
    ordering = ordering_of(order_by, BY_START_DATE)
    return await page(root, info, relation, pagination, where=where, ordering=ordering, key=repr((filter, order_by)))
