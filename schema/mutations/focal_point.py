"""Focal point mutations: ``focalPointCreate``, ``focalPointUpdate``, ``focalPointArchive`` (personal data).

Administrators change every organization's focal points; a coalition key those of its own network's members.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.mutations.common import UserError, changes_of, id_of, user_errors_of
from schema.organization import FocalPoint
from services import focal_points as service

IdArg = Annotated[strawberry.ID, strawberry.argument(description="The focal point's global ID (`FocalPoint.id`).")]
VersionArg = Annotated[
    int, strawberry.argument(description="The `version` you read: the change is refused (CONFLICT) if it moved on since.")
]


@strawberry.input(description="Fields of a focal point to set; an omitted field stays as it is, a null clears it.")
class FocalPointInput:
    organization: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Global ID of the organization it speaks for (to create only; it stays)."
    )
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Full name (required to create).")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Position in the organization.")
    email: str | None = strawberry.field(default=strawberry.UNSET, description="E-mail address.")
    phone: str | None = strawberry.field(default=strawberry.UNSET, description="Telephone number, e.g. +43 1 26060 0.")


@strawberry.type(description="The result of `focalPointCreate`.")
class FocalPointCreatePayload:
    focal_point: FocalPoint | None = strawberry.field(description="The new focal point; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `focalPointUpdate`.")
class FocalPointUpdatePayload:
    focal_point: FocalPoint | None = strawberry.field(description="The focal point as changed; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `focalPointArchive`.")
class FocalPointArchivePayload:
    focal_point: FocalPoint | None = strawberry.field(description="The archived focal point; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type
class FocalPointMutations:
    @strawberry.mutation(
        description="Add a focal point to an organization (administrators; a coalition, to its network's members)."
    )
    async def focal_point_create(
        self, info: strawberry.Info, input: Annotated[FocalPointInput, strawberry.argument(description="Its fields.")]
    ) -> FocalPointCreatePayload:
        result = await service.create_focal_point(info.context.viewer, changes_of(input))
        return FocalPointCreatePayload(focal_point=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(
        description="Change a focal point's fields (administrators; a coalition, its network's members')."
    )
    async def focal_point_update(
        self,
        info: strawberry.Info,
        id: IdArg,
        version: VersionArg,
        input: Annotated[FocalPointInput, strawberry.argument(description="The fields to change.")],
    ) -> FocalPointUpdatePayload:
        result = await service.update_focal_point(info.context.viewer, id_of(id, "FocalPoint"), version, changes_of(input))
        return FocalPointUpdatePayload(focal_point=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(
        description=(
            "Archive a focal point: it leaves every read but staff's (administrators; a coalition, its network's members')."
        )
    )
    async def focal_point_archive(self, info: strawberry.Info, id: IdArg, version: VersionArg) -> FocalPointArchivePayload:
        result = await service.archive_focal_point(info.context.viewer, id_of(id, "FocalPoint"), version)
        return FocalPointArchivePayload(focal_point=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]
