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
    function the resolver path calls, on the plan's rows. ``reads`` names the
    parent columns the resolver reads, when the field declares them (``READS``).
    """

    resolver: Any
    attribute: str
    reads: tuple[str, ...] | None = None

    @property
    def columns(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.reads or ()

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        values: list[Any] = []
        if self.resolver is None:
            values = [getattr(parent, self.attribute) if parent is not None else None for parent in parents]
        elif plan.strawberry_field.extensions:
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
        else:
            values = await self._call_each(plan, parents, run)
        await run.fill_values(plan, values, outputs)

    async def _call_each(self, plan: FieldPlan, parents: Sequence[Any], run: Run) -> list[Any]:
        """The resolver on each parent, its arguments converted once (as Strawberry passes them)."""
        arguments = run.arguments(plan)
        function, resolver = self.resolver.wrapped_func, self.resolver
        passes_self = resolver.self_parameter is not None
        names = [parameter.name for parameter in (resolver.parent_parameter, resolver.root_parameter) if parameter]
        values = []
        for parent in parents:
            kwargs = dict(arguments)
            for name in names:
                kwargs[name] = parent
            value = function(parent, **kwargs) if passes_self else function(**kwargs)
            values.append(await value if inspect.isawaitable(value) else value)
        return values
