"""Relay cursor connections: ``XConnection { edges, nodes, pageInfo, totalCount }``."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import strawberry

from queries.pages import Page

T = TypeVar("T")


@strawberry.type(description="Where a page sits in its list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow the last one of this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede the first one of this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item, null on an empty page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item, null on an empty page.")


@strawberry.type(description="An item of a list and the cursor that points at it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque cursor: pass it as `after` or `before` to page from here.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="One page of a list, with the list's total size.")
class Connection(Generic[T]):
    page: strawberry.Private[Page]

    @strawberry.field(description="The items of this page with their cursors.")
    def edges(self) -> list[Edge[T]]:
        return [Edge(cursor=c, node=row) for c, row in zip(self.page.cursors, self.page.rows, strict=True)]

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return self.page.rows

    @strawberry.field(description="Position of this page in the list.")
    def page_info(self) -> PageInfo:
        return page_info_of(self.page)

    @strawberry.field(description="Number of items in the whole list (all pages), counted in the database.")
    async def total_count(self) -> int:
        return int(await self.page.total())


def page_info_of(page: Page) -> Any:
    """The PageInfo of a page."""
    cursors = page.cursors
    return PageInfo(
        has_next_page=page.has_next_page,
        has_previous_page=page.has_previous_page,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )
