"""Plan steps: how each field is produced for every parent of a level at once.

A step fills one field (one response key) in the output of every parent row
of a level: a plain column, a value computed from the row, an entity fetched
by key, a page of a relation. Steps that fetch rows run one statement for all
the parents, through the same ``queries`` functions the resolvers' loaders
use, then fill the children's selection on those rows (``plan.execute``).

Schema fields name their step in their metadata (``PLAN``): relation fields
get theirs from the builders of ``schema.fields``; plain column fields need
none (``Column`` is the default for a field without a resolver).
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from models.dates import Certainty
from plan.rows import raw_of, same, to_json
from queries.batch import Relation, pages_by, rows_by
from queries.pages import Page
from queries.rows import RowView
from queries.tables import Table
from resolvers.time import OnDay

if TYPE_CHECKING:
    from plan.compile import FieldPlan
    from plan.execute import Run


def _certainty(row: Any) -> Certainty:
    return Certainty.CERTAIN if row["certain"] else Certainty.UNCERTAIN


PLAN = "directory.plan"
"""Key of a field's step in its Strawberry metadata: ``strawberry.field(..., metadata={PLAN: step})``."""

READS = "directory.reads"
"""Key of the parent columns a field's own resolver reads, in its Strawberry metadata (``plan.types.Resolved``):
without it, a selection with the field reads every column of its rows."""


class Step:
    """How one field is filled for all the parents of a level."""

    columns: tuple[str, ...] = ()
    """Columns of the parent rows the step reads."""

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        raise NotImplementedError


class ImmediateStep(Step):
    """A step that reads only the parent rows (no statement, nothing to wait for): ``fill_now`` fills it at once,
    and ``plan.execute.Run.fill_plan`` calls it without making a coroutine."""

    def fill_now(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        raise NotImplementedError

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        self.fill_now(plan, parents, outputs, run)


@dataclass(frozen=True)
class Column(ImmediateStep):
    """A plain field: the column of the same name, as JSON."""

    column: str

    @property
    def columns(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.column,)

    def fill_now(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        codec = run.codec(plan.table, self.column)
        key, column = plan.key, self.column
        if codec is same:
            for parent, output in zip(parents, outputs, strict=True):
                output[key] = (parent._row if type(parent) is RowView else raw_of(parent))[column]
            return
        for parent, output in zip(parents, outputs, strict=True):
            output[key] = codec(raw_of(parent)[column])


@dataclass(frozen=True)
class Typename(ImmediateStep):
    """``__typename``."""

    def fill_now(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        for output in outputs:
            output[plan.key] = plan.parent_type


@dataclass(frozen=True)
class GlobalId(ImmediateStep):
    """The Relay ``id`` of an entity: base64 of ``Type:pk``."""

    columns: tuple[str, ...] = ("id",)

    def fill_now(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        prefix = f"{plan.parent_type}:"
        for parent, output in zip(parents, outputs, strict=True):
            output[plan.key] = base64.b64encode(f"{prefix}{raw_of(parent)['id']}".encode()).decode()


@dataclass(frozen=True)
class Computed(ImmediateStep):
    """A scalar computed from the parent row (a ``RowView``), and the field's arguments when ``with_arguments``."""

    compute: Callable[..., Any]
    columns: tuple[str, ...] = ()
    with_arguments: bool = False

    def fill_now(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        arguments = run.arguments(plan) if self.with_arguments else None
        for parent, output in zip(parents, outputs, strict=True):
            value = self.compute(parent, **arguments) if arguments is not None else self.compute(parent)
            output[plan.key] = [to_json(item) for item in value] if isinstance(value, list) else to_json(value)


@dataclass(frozen=True)
class ColumnValue(Step):
    """A value object that depends on one column alone (a country from its code): made once per distinct value.

    The field keeps its resolver for the resolver path; the plan calls ``make`` on the column's
    values, each distinct value once per level, instead of the resolver once per parent.
    """

    make: Callable[[Any], Any]
    columns: tuple[str, ...]
    """The one column the value is made from."""

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        (column,) = self.columns
        made: dict[Any, Any] = {}
        values = []
        for parent in parents:
            raw = raw_of(parent)[column]
            if raw not in made:
                made[raw] = self.make(raw)
            values.append(made[raw])
        await run.fill_values(plan, values, outputs)


@dataclass(frozen=True)
class ToOne(Step):
    """An entity the parent row points at through ``key``; null when the key is null or the entity hidden."""

    relation: Relation
    key: str

    @property
    def columns(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.key,)

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        keys = [raw_of(parent)[self.key] for parent in parents]
        found = await run.rows(self.relation, [key for key in keys if key is not None], plan)
        children = [found.get(key, [None])[0] if key is not None else None for key in keys]
        await run.fill_objects(plan, self.relation.table, children, outputs)


@dataclass(frozen=True)
class Party(Step):
    """An organization or an office, by whichever of two keys the parent row holds (the ``Party`` union)."""

    organization: Relation
    organization_key: str
    office: Relation
    office_key: str

    @property
    def columns(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.organization_key, self.office_key)

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        organization_ids = [
            raw_of(p)[self.organization_key] for p in parents if raw_of(p)[self.organization_key] is not None
        ]
        office_ids = [
            raw_of(p)[self.office_key]
            for p in parents
            if raw_of(p)[self.organization_key] is None and raw_of(p)[self.office_key] is not None
        ]
        organizations = await run.rows(self.organization, organization_ids, plan, "Organization")
        offices = await run.rows(self.office, office_ids, plan, "Office")
        typed: list[tuple[str, Any] | None] = []
        for parent in parents:
            organization_id, office_id = raw_of(parent)[self.organization_key], raw_of(parent)[self.office_key]
            if organization_id is not None:
                found = organizations.get(organization_id)
                typed.append(("Organization", found[0]) if found else None)
            else:
                found = offices.get(office_id)
                typed.append(("Office", found[0]) if found else None)
        await run.fill_typed(plan, typed, outputs)


@dataclass(frozen=True)
class Rows(Step):
    """A small list of rows keyed by the parent's ``key`` (dates, locations, former names), in the relation's order."""

    relation: Relation
    key: str = "id"

    @property
    def columns(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.key,)

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        keys = [raw_of(parent)[self.key] for parent in parents]
        found = await run.every_row(self.relation, keys)
        await run.fill_lists(plan, self.relation.table, [found.get(key, []) for key in keys], outputs)


@dataclass(frozen=True)
class Paged(Step):
    """A relation as a connection: one page per parent, every parent in one statement.

    ``arguments`` turns the field's arguments into those of ``pages_by``
    (``day``, ``where``, ``ordering``); the page size comes from
    ``first``/``last``, checked as the resolvers check it.
    """

    relation: Relation
    arguments: Callable[..., Any] | None = None
    """An async function of (run, field arguments) giving extra keyword arguments of ``pages_by``."""
    columns: tuple[str, ...] = ("id",)

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        arguments = run.arguments(plan)
        request = run.page_request(arguments)
        extra = await self.arguments(run, arguments) if self.arguments is not None else {}
        parent_ids = [raw_of(parent)["id"] for parent in parents]
        table = self.relation.table
        pages = await pages_by(
            self.relation, parent_ids, run.viewer, request, columns=plan.child_columns(table), **extra
        )
        found = [pages[key] for key in parent_ids]
        if self.relation.period is not None:  # dated rows read with the certainty they were listed with
            day = extra.get("day")
            found = [
                page.map(lambda row: OnDay(RowView(row, table), _certainty(row) if day else None)) for page in found
            ]
        await run.fill_pages(plan, table, found, outputs)


@dataclass(frozen=True)
class Pages(Step):
    """A connection whose pages a function computes for all parents at once:
    ``fetch(run, parents, arguments, columns)``, ``columns`` those the selection reads.

    For lists that are not a plain relation (walks through networks of
    networks); the pages hold rows of ``table`` (or objects with the same
    attributes).
    """

    fetch: Callable[..., Any]
    table: Table
    columns: tuple[str, ...] = ("id",)

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        pages: list[Page] = await self.fetch(run, parents, run.arguments(plan), plan.child_columns(self.table))
        await run.fill_pages(plan, self.table, pages, outputs)


@dataclass(frozen=True)
class Batch(Step):
    """Any field computed for all parents at once by ``compute(run, parents, arguments)``, one value per parent.

    ``kind`` says what the values are: ``values`` (scalars, or value objects
    whose fields are read from them), ``row`` (one row of ``table`` or None
    per parent) or ``rows`` (a list of rows of ``table`` per parent).
    """

    compute: Callable[..., Any]
    table: Table | None = None
    kind: str = "values"
    columns: tuple[str, ...] = ("id",)

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        values = await self.compute(run, parents, run.arguments(plan))
        if self.kind == "rows":
            assert self.table is not None
            await run.fill_lists(plan, self.table, values, outputs)
        elif self.kind == "row":
            assert self.table is not None
            await run.fill_objects(plan, self.table, values, outputs)
        else:
            await run.fill_values(plan, values, outputs)


@dataclass(frozen=True)
class Root(Step):
    """A root field whose value ``make(run, arguments)`` computes (an entity row, a page, a value object...).

    ``table`` says what a returned row (or page of rows) holds; None for a
    value object, whose fields the plan reads from it.
    """

    make: Callable[..., Any]
    table: Table | None = None
    kind: str = "value"
    """``value`` (a value object or scalar), ``row`` (one row or None), ``rows`` (a list of rows),
    ``page`` (a Page), or ``typed`` (a list of (type name, row) or None)."""

    async def fill(self, plan: FieldPlan, parents: Sequence[Any], outputs: list[dict[str, Any]], run: Run) -> None:
        value = await self.make(run, run.arguments(plan), plan)
        if self.kind == "row":
            assert self.table is not None
            await run.fill_objects(plan, self.table, [value], outputs)
        elif self.kind == "rows":
            assert self.table is not None
            await run.fill_lists(plan, self.table, [value], outputs)
        elif self.kind == "page":
            assert self.table is not None
            await run.fill_pages(plan, self.table, [value], outputs)
        elif self.kind == "typed":
            await run.fill_typed_list(plan, value, outputs)
        else:
            await run.fill_values(plan, [value], outputs)


@dataclass(frozen=True)
class Lookup(Root):
    """A root field that finds one row by a key (``organization(slug:)``): aliases of it with the same
    selection are answered together, one statement per level for all of them.

    ``key_of(arguments)`` gives the relation to look in and the key.
    """

    key_of: Callable[[dict[str, Any]], tuple[Relation, Any]] = lambda arguments: (None, None)  # type: ignore[assignment,return-value]

    async def fill_together(self, plans: Sequence[FieldPlan], output: dict[str, Any], run: Run) -> None:
        """Fill ``plans`` (aliases with one selection) into the root ``output`` with one lookup per relation."""
        wanted = [self.key_of(run.arguments(plan)) for plan in plans]
        keys: dict[Relation, list[Any]] = {}
        for relation, key in wanted:
            keys.setdefault(relation, []).append(key)
        found = {
            relation: await run.rows(relation, relation_keys, plans[0]) for relation, relation_keys in keys.items()
        }
        rows = [found[relation].get(key, [None])[0] for relation, key in wanted]
        assert self.table is not None
        filled: list[dict[str, Any]] = [{} for _ in plans]
        await run.fill_objects(plans[0], self.table, rows, filled)
        for plan, each in zip(plans, filled, strict=True):
            output[plan.key] = each[plans[0].key]


def group(rows: Sequence[Any], key: str) -> dict[Any, list[Any]]:
    """Rows by the value of one column."""
    found: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        found[row[key]].append(row)
    return found


__all__ = [
    "PLAN",
    "Batch",
    "Column",
    "Computed",
    "GlobalId",
    "Lookup",
    "Paged",
    "Pages",
    "Party",
    "Root",
    "Rows",
    "Step",
    "ToOne",
    "Typename",
    "field",
    "rows_by",
]
