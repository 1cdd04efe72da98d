"""Builders of the fields every entity kind has: one by ID or slug, a filtered root list, and relation connections.

No ``from __future__ import annotations`` here: the resolvers built below are
annotated with the types passed in, which must be real objects, not strings.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from plan import fields as plans
from plan.steps import PLAN, READS, Step
from queries.batch import Relation
from queries.pages import Page
from resolvers import relations
from resolvers.arguments import AfterArg, BeforeArg, FirstArg, LastArg
from resolvers.lookup import fetch_one
from resolvers.time import AsOfListArg, as_of_day
from schema.pagination import Connection

IdArg = Annotated[strawberry.ID | None, strawberry.argument(description="Global ID of the entity.")]
SlugArg = Annotated[str | None, strawberry.argument(description="Slug of the entity.")]


def entity_field(type_: type, description: str) -> Any:
    """``<entity>(id: ID, slug: String)``: exactly one of the two; null when nothing matches."""
    type_name = type_.__name__

    async def resolve(info: strawberry.Info, id: IdArg = None, slug: SlugArg = None) -> Any:
        return await fetch_one(info, type_name, id, slug)

    return strawberry.field(
        resolver=resolve, graphql_type=type_ | None, description=description, metadata={PLAN: plans.lookup(type_name)}
    )


def one_field(relation: Relation, key: str, description: str) -> Any:
    """A to-one field: the row of ``relation`` that ``key`` points at (``resolvers.relations.one``)."""
    return strawberry.field(
        resolver=relations.one(relation, key), description=description, metadata={PLAN: plans.to_one(relation, key)}
    )


def version_field() -> Any:
    """An entity's ``version``: what an update mutation names to refuse overwriting a newer change."""
    return strawberry.field(
        description="Raised by every change: send it back to an update mutation, which refuses to overwrite a newer one."
    )


def archived_at_field() -> Any:
    """An entity's ``archivedAt``."""
    return strawberry.field(
        description="When it was archived; archived entries are seen only by UNODC staff (null in everyone else's answers)."
    )


def reads(*columns: str) -> dict[Any, Any]:
    """Field metadata naming the parent columns the field's own resolver reads (``plan.steps.READS``)."""
    return {READS: columns}


def planned(step: Step) -> dict[Any, Any]:
    """Field metadata naming the field's read-plan step: ``strawberry.field(..., metadata=planned(step))``."""
    return {PLAN: step}


# The GraphQL types are Any: they go into annotations built at run time, which a type checker cannot follow.
def filtered_list_field(
    type_: Any,
    load: Callable[..., Awaitable[Page]],
    filter_type: Any,
    order_type: Any,
    description: str,
    step: Step,
) -> Any:
    """``<entities>(filter, orderBy, first, after, last, before)``: filtered and ordered in SQL."""
    FilterArg = Annotated[filter_type | None, strawberry.argument(description="Conditions the items must meet.")]

    if order_type is None:

        async def resolve(
            info: strawberry.Info,
            filter: FilterArg = None,
            first: FirstArg = None,
            after: AfterArg = None,
            last: LastArg = None,
            before: BeforeArg = None,
        ) -> Any:
            page = await load(info, filter=filter, first=first, after=after, last=last, before=before)
            return Connection(page=page)

        return strawberry.field(
            resolver=resolve,
            graphql_type=Connection[type_],
            description=description,
            metadata={PLAN: step},
        )

    OrderArg = Annotated[order_type | None, strawberry.argument(description="Sort order; cursors follow it.")]

    async def resolve_ordered(
        info: strawberry.Info,
        filter: FilterArg = None,
        order_by: OrderArg = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Any:
        page = await load(info, filter=filter, order_by=order_by, first=first, after=after, last=last, before=before)
        return Connection(page=page)

    return strawberry.field(
        resolver=resolve_ordered,
        graphql_type=Connection[type_],
        description=description,
        metadata={PLAN: step},
    )


def relation_field(type_: Any, relation: Relation, description: str) -> Any:
    """A relation as a connection (``first``/``after``/``last``/``before``), paged per parent in SQL."""

    async def resolve(
        root: strawberry.Parent[Any],
        info: strawberry.Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Any:
        pagination = {"first": first, "after": after, "last": last, "before": before}
        return Connection(page=await relations.page(root, info, relation, pagination))

    return strawberry.field(
        resolver=resolve,
        graphql_type=Connection[type_],
        description=description,
        metadata={PLAN: plans.paged(relation)},
    )


def dated_relation_field(type_: Any, relation: Relation, description: str) -> Any:
    """A dated relation as a connection answering for ``asOf`` (``resolvers.time``), paged per parent in SQL."""

    async def resolve(
        root: strawberry.Parent[Any],
        info: strawberry.Info,
        as_of: AsOfListArg = strawberry.UNSET,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Any:
        pagination = {"first": first, "after": after, "last": last, "before": before}
        page = await relations.page(root, info, relation, pagination, day=as_of_day(as_of))
        return Connection(page=page)

    return strawberry.field(
        resolver=resolve,
        graphql_type=Connection[type_],
        description=description,
        metadata={PLAN: plans.dated(relation)},
    )


def event_relation_field(type_: Any, relation: Relation, filter_type: Any, order_type: Any, description: str) -> Any:
    """A relation to events as a connection with the root list's filter and order, batched across parents."""
    FilterArg = Annotated[filter_type | None, strawberry.argument(description="Conditions the items must meet.")]
    OrderArg = Annotated[order_type | None, strawberry.argument(description="Sort order; cursors follow it.")]

    async def resolve(
        root: strawberry.Parent[Any],
        info: strawberry.Info,
        filter: FilterArg = None,
        order_by: OrderArg = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Any:
        pagination = {"first": first, "after": after, "last": last, "before": before}
        return Connection(page=await relations.events_page(root, info, relation, filter, order_by, pagination))

    return strawberry.field(
        resolver=resolve,
        graphql_type=Connection[type_],
        description=description,
        metadata={PLAN: plans.events(relation)},
    )
