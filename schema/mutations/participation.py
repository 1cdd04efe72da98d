"""Participation mutations: ``participationCreate``, ``participationUpdate``, ``participationArchive`` (administrators)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.enums import ParticipationRole
from schema.event import Participation
from schema.mutations.common import UserError, changes_of, id_of, user_errors_of
from services import participations as service

IdArg = Annotated[strawberry.ID, strawberry.argument(description="The participation's global ID (`Participation.id`).")]
VersionArg = Annotated[
    int, strawberry.argument(description="The `version` you read: the change is refused (CONFLICT) if it moved on since.")
]


@strawberry.input(description="Fields of a participation to set; an omitted field stays as it is, a null clears it.")
class ParticipationInput:
    organization: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Global ID of the organization taking part (to create only; it stays)."
    )
    event: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Global ID of the event (to create only; it stays)."
    )
    role: ParticipationRole | None = strawberry.field(default=strawberry.UNSET, description="Part it plays (ATTENDEE when omitted).")
    justification: str | None = strawberry.field(
        default=strawberry.UNSET, description="Why the organization applied: personal data (at most 5000 characters)."
    )


@strawberry.type(description="The result of `participationCreate`.")
class ParticipationCreatePayload:
    participation: Participation | None = strawberry.field(description="The new participation; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `participationUpdate`.")
class ParticipationUpdatePayload:
    participation: Participation | None = strawberry.field(description="The participation as changed; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `participationArchive`.")
class ParticipationArchivePayload:
    participation: Participation | None = strawberry.field(description="The archived participation; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type
class ParticipationMutations:
    @strawberry.mutation(description="Record an organization taking part in an event (administrators).")
    async def participation_create(
        self, info: strawberry.Info, input: Annotated[ParticipationInput, strawberry.argument(description="Its fields.")]
    ) -> ParticipationCreatePayload:
        result = await service.create_participation(info.context.viewer, changes_of(input))
        return ParticipationCreatePayload(participation=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Change a participation's role or justification (administrators).")
    async def participation_update(
        self,
        info: strawberry.Info,
        id: IdArg,
        version: VersionArg,
        input: Annotated[ParticipationInput, strawberry.argument(description="The fields to change.")],
    ) -> ParticipationUpdatePayload:
        result = await service.update_participation(
            info.context.viewer, id_of(id, "Participation"), version, changes_of(input)
        )
        return ParticipationUpdatePayload(participation=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Archive a participation: it leaves every read but staff's (administrators).")
    async def participation_archive(self, info: strawberry.Info, id: IdArg, version: VersionArg) -> ParticipationArchivePayload:
        result = await service.archive_participation(info.context.viewer, id_of(id, "Participation"), version)
        return ParticipationArchivePayload(participation=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]
