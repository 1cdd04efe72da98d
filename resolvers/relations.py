"""Resolvers of relationship fields, made from the loader that serves each one.

``one("office_by_id", "parent_id")`` resolves a to-one field through a loader;
``many("dates_by_event_id")`` a to-many field keyed by the parent's id;
``linked(...)`` a to-many field of link rows (memberships, partnerships...)
whose organization must be visible to the viewer: rows whose organization the
viewer may not see are dropped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import strawberry

Resolver = Callable[..., Awaitable[Any]]


def one(loader: str, key: str) -> Resolver:
    """A to-one field: ``loaders.<loader>.load(root.<key>)``, None when the key is null."""

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        value = getattr(root, key)
        if value is None:
            return None
        return await getattr(info.context.loaders, loader).load(value)

    return resolve


def many(loader: str, key: str = "id") -> Resolver:
    """A to-many field: ``loaders.<loader>.load(root.<key>)``."""

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        return await getattr(info.context.loaders, loader).load(getattr(root, key))

    return resolve


async def visible_links(info: strawberry.Info, links: Sequence[Any], organization_keys: Sequence[str]) -> list[Any]:
    """The link rows whose organizations (named by ``organization_keys``) the viewer may see."""
    wanted = {getattr(link, key) for link in links for key in organization_keys} - {None}
    if not wanted:
        return list(links)
    found = await info.context.loaders.organization_by_id.load_many(sorted(wanted))
    visible = {org.id for org in found if org is not None}
    return [link for link in links if all(getattr(link, k) is None or getattr(link, k) in visible for k in organization_keys)]


def linked(loader: str, organization_keys: Sequence[str], key: str = "id") -> Resolver:
    """A to-many field of link rows, without the rows that point at hidden organizations."""

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        links = await getattr(info.context.loaders, loader).load(getattr(root, key))
        return await visible_links(info, links, organization_keys)

    return resolve
