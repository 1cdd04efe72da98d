"""What the writes of every kind of record share: field checks, unique slugs, references by global ID, archiving.

Changes are plain dicts of model field names (``schema.mutations.common.changes_of``):
an absent field stays as it is, a None clears it. Every problem is noted on the
write (``Write.problem``) with the input field it concerns, so a caller learns
all of them at once; nothing is written while any is noted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from tortoise.models import Model

from domain import validation
from domain.errors import InvalidId
from domain.ids import parse_global_id, with_article
from domain.user_errors import UserErrorCode
from domain.validation import Problem
from services.search_index import reindex
from services.writes import Result, Write

M = TypeVar("M", bound=Model)

Check = Callable[[Any], Problem]

MAX_ITEMS = 100
"""Most items one list of an input may carry (dates, organizers, languages, aliases...)."""

COMMON_CHECKS: dict[str, Check] = {
    "name": lambda value: validation.text(value, required=True),
    "slug": validation.slug,
    "acronym": lambda value: validation.text(value, longest=40),
    "source": lambda value: validation.text(value, longest=500),
}
"""The checks of the fields every directory entity has (``models.base.Entity``), by model field name."""


def camel(name: str) -> str:
    """The GraphQL name of a model field: ``margins_of`` → ``marginsOf``."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def require_admin(w: Write, what: str) -> None:
    """Refuse the write unless the caller is an administrator (``domain.access``)."""
    if not w.viewer.may_write_everything:
        raise w.refuse(None, f"Only administrators change {what}.", UserErrorCode.FORBIDDEN)


def check_fields(
    w: Write, checks: dict[str, Check], changes: dict[str, Any], *, creating: bool, required: Sequence[str] = ("name",)
) -> None:
    """Note the problem of every field given (and of each required one missing on a creation)."""
    for name, check in checks.items():
        if name in changes or (creating and name in required):
            problem = check(changes.get(name))
            if problem is not None:
                w.problem(("input", camel(name)), *problem)
    for name in required:
        if name not in checks and changes.get(name) is None and (creating or name in changes):
            w.problem(("input", camel(name)), "A value is required.", UserErrorCode.REQUIRED)
    aliases = changes.get("aliases")
    if aliases is not None:
        check_list(w, "aliases", aliases, lambda value: validation.text(value, required=True))


def check_not_null(w: Write, model: type[Model], changes: dict[str, Any]) -> None:
    """A null for a field that always has a value (``verified``, ``aliases``, ``role``...) is REQUIRED.

    Fields with a problem noted already are left alone (one problem per field).
    """
    noted = {error.field for error in w.problems}
    fields = model._meta.fields_map
    for name, value in changes.items():
        field = fields.get(name)
        path = ("input", camel(name))
        if value is None and field is not None and not field.null and path not in noted:
            w.problem(path, "This field always has a value: it cannot be cleared.", UserErrorCode.REQUIRED)


def check_list(w: Write, name: str, items: Sequence[Any], check: Check | None = None) -> None:
    """Note a list with more than ``MAX_ITEMS`` items, and the problem of each item (path ``input.name.index``)."""
    if len(items) > MAX_ITEMS:
        w.problem(("input", camel(name)), f"At most {MAX_ITEMS} items; {len(items)} were given.", UserErrorCode.TOO_MANY)
        return
    for index, item in enumerate(items):
        problem = check(item) if check is not None else None
        if problem is not None:
            w.problem(("input", camel(name), str(index)), *problem)


async def check_slug(w: Write, model: type[Model], changes: dict[str, Any], *, but: int | None = None) -> None:
    """Note a slug another row of ``model`` has (TAKEN)."""
    slug = changes.get("slug")
    if slug and validation.slug(slug) is None and await slug_taken(w, model, slug, but=but):
        w.problem(("input", "slug"), f"The slug {slug!r} is taken.", UserErrorCode.TAKEN)


async def slug_taken(w: Write, model: type[Model], slug: str, *, but: int | None = None) -> bool:
    query = model.filter(slug=slug)
    if but is not None:
        query = query.exclude(id=but)
    return await query.using_db(w.connection).exists()


async def free_slug(w: Write, model: type[Model], base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no row of ``model`` has yet."""
    candidate, number = base[:95], 1
    while await slug_taken(w, model, candidate):
        number += 1
        candidate = f"{base[:95]}-{number}"
    return candidate


def parse_reference(w: Write, path: Sequence[str], value: str, type_names: Iterable[str]) -> tuple[str, int] | None:
    """(type, primary key) of a global ID naming one of ``type_names``; None (with an INVALID problem) otherwise.

    An ID of another type (a forged or mistaken one) is refused, never read as the type expected.
    """
    expected = tuple(type_names)
    try:
        type_name, pk = parse_global_id(value, expected[0] if len(expected) == 1 else None)
    except InvalidId as error:
        w.problem(path, str(error), UserErrorCode.INVALID)
        return None
    if type_name not in expected:
        names = " or ".join(expected)
        w.problem(path, f"ID {value!r} belongs to {with_article(type_name)}, not {with_article(names)}.", UserErrorCode.INVALID)
        return None
    return type_name, pk


async def reference(w: Write, path: Sequence[str], value: str | None, model: type[M]) -> M | None:
    """The row of ``model`` a global ID of its type names; None, with a problem noted, when there is none.

    Archived rows are refused too (ARCHIVED): nothing new points at what left the directory.
    """
    if value is None:
        return None
    parsed = parse_reference(w, path, value, [model.__name__])
    if parsed is None:
        return None
    row = await model.filter(id=parsed[1]).using_db(w.connection).first()
    if row is None:
        w.problem(path, f"No {model.__name__} has the ID {value!r}.", UserErrorCode.NOT_FOUND)
        return None
    if getattr(row, "archived_at", None) is not None:
        w.problem(path, f"{model.__name__} {value!r} is archived.", UserErrorCode.ARCHIVED)
        return None
    return row


async def existing(w: Write, model: type[M], id: int) -> M:
    """The row being changed; refused with NOT_FOUND when there is none."""
    row = await model.filter(id=id).using_db(w.connection).first()
    if row is None:
        raise w.refuse(("id",), f"No {_label(model)} has this id.", UserErrorCode.NOT_FOUND)
    return row


async def archive(w: Write, row: M, version: int, *, personal: bool = False) -> M:
    """Archive a row still at ``version``: it leaves every read but staff's; its history stays."""
    if getattr(row, "archived_at", None) is not None:
        raise w.refuse(("id",), f"The {_label(type(row))} is archived already.", UserErrorCode.ARCHIVED)
    updated = await w.update(row, {"archived_at": datetime.now(UTC)}, version, personal=personal)
    assert isinstance(updated, type(row))
    return updated


def refuse_archived(w: Write, row: Model) -> None:
    """An archived row is not changed (archiving is the last change it gets)."""
    if getattr(row, "archived_at", None) is not None:
        raise w.refuse(("id",), f"The {_label(type(row))} is archived; it is not changed any more.", UserErrorCode.ARCHIVED)


def _label(model: type[Model]) -> str:
    name = model.__name__
    return "".join(" " + char.lower() if char.isupper() else char for char in name).strip()


async def reindexed(result: Result[M], entity_type: str) -> Result[M]:
    """``result``, after the search index caught up with the entity it wrote (``services.search_index``).

    Runs after the write's transaction: search sees a change once it is committed.
    """
    if result.value is not None:
        await reindex(entity_type, [result.value.pk])
    return result
