"""Which GraphQL object types are rows of a table, and the step of fields resolved by their own resolver.

A row type's objects are rows of one table (an entity, a link row, a row of
a small list): its plain fields are columns, and relation fields fetch rows
by key. Every other object type is a value type (a country, a partial date,
a count): its fields are read from the Python value its parent field
returned, through Strawberry's resolver of the field when it has one.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strawberry.schema.schema_converter import get_arguments

from plan.steps import Step
from queries import tables as t

if TYPE_CHECKING:
    from plan.compile import FieldPlan
    from plan.execute import Run

ROW_TYPES = {
    "Organization": t.ORGANIZATION,
    "Office": t.OFFICE,
    "GoverningBody": t.GOVERNING_BODY,
    "Instrument": t.INSTRUMENT,
    "Programme": t.PROGRAMME,
    "Event": t.EVENT,
    "ApplicationCall": t.APPLICATION_CALL,
    "ThematicArea": t.THEMATIC_AREA,
    "Membership": t.MEMBERSHIP,
    "Partnership": t.PARTNERSHIP,
    "EventOrganizer": t.EVENT_ORGANIZER,
    "Participation": t.PARTICIPATION,
    "FocalPoint": t.FOCAL_POINT,
    "FormerName": t.ORGANIZATION_NAME,
    "OfficeLocation": t.OFFICE_LOCATION,
    "EventDateRange": t.EVENT_DATE,
}
"""Object types whose objects are rows of a table (GraphQL type name -> table).

FormerName rows come from two tables with the same columns (organization and
office names); the one named here gives their column types.
"""


@dataclass(frozen=True)
class Resolved(Step):
    """A field answered by calling its Strawberry resolver on each parent (or reading its attribute when it has none).

    Only for resolvers that do not need the request (no ``info``): the same
    function the resolver path calls, on the plan's rows.
    """

    resolver: Any
    attribute: str

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        values: list[Any] = []
        if self.resolver is None:
            values = [getattr(parent, self.attribute) if parent is not None else None for parent in parents]
        else:
            raw = run.raw_arguments(plan)
            function = self.resolver.wrapped_func
            for parent in parents:
                args, kwargs = get_arguments(
                    field=plan.strawberry_field,
                    source=parent,
                    info=None,  # type: ignore[arg-type]
                    kwargs=dict(raw),
                    config=run.config,
                    scalar_registry=run.scalar_registry,
                )
                value = function(*args, **kwargs)
                values.append(await value if inspect.isawaitable(value) else value)
        await run.fill_values(plan, values, outputs)
