"""Call-for-applications mutations: ``applicationCallCreate``, ``applicationCallUpdate``, ``applicationCallArchive``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from schema.event import ApplicationCall
from schema.mutations.common import UserError, changes_of, id_of, user_errors_of
from services import application_calls as service

IdArg = Annotated[strawberry.ID, strawberry.argument(description="The call's global ID.")]
VersionArg = Annotated[
    int, strawberry.argument(description="The `version` you read: the change is refused (CONFLICT) if it moved on since.")
]


@strawberry.input(description="Fields of a call for applications to set; an omitted field stays as it is, a null clears it.")
class ApplicationCallInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Title (required to create).")
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="Stable, URL-safe identifier; made from the name when omitted.")
    acronym: str | None = strawberry.field(default=strawberry.UNSET, description="Short name.")
    aliases: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Other titles found in sources.")
    opens_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="When applications open, with a UTC offset: 2023-01-09T00:00:00+01:00."
    )
    closes_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Deadline, with a UTC offset; after `opensAt`."
    )
    ecosoc_status_required: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether applicants need ECOSOC consultative status; null when unknown."
    )
    reviewed_by: str | None = strawberry.field(default=strawberry.UNSET, description="Who reviews the applications.")
    travel_support_available: bool | None = strawberry.field(default=strawberry.UNSET, description="Whether travel support can be requested.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="What the call is for.")
    source: str | None = strawberry.field(default=strawberry.UNSET, description="Where the facts come from (URL or citation).")
    verified: bool | None = strawberry.field(default=strawberry.UNSET, description="Whether the facts were checked against the source.")


@strawberry.type(description="The result of `applicationCallCreate`.")
class ApplicationCallCreatePayload:
    application_call: ApplicationCall | None = strawberry.field(description="The new call; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `applicationCallUpdate`.")
class ApplicationCallUpdatePayload:
    application_call: ApplicationCall | None = strawberry.field(description="The call as changed; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `applicationCallArchive`.")
class ApplicationCallArchivePayload:
    application_call: ApplicationCall | None = strawberry.field(description="The archived call; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type
class ApplicationCallMutations:
    @strawberry.mutation(description="Add a call for applications (administrators).")
    async def application_call_create(
        self, info: strawberry.Info, input: Annotated[ApplicationCallInput, strawberry.argument(description="Its fields.")]
    ) -> ApplicationCallCreatePayload:
        result = await service.create_application_call(info.context.viewer, changes_of(input))
        return ApplicationCallCreatePayload(application_call=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Change a call's fields (administrators).")
    async def application_call_update(
        self,
        info: strawberry.Info,
        id: IdArg,
        version: VersionArg,
        input: Annotated[ApplicationCallInput, strawberry.argument(description="The fields to change.")],
    ) -> ApplicationCallUpdatePayload:
        result = await service.update_application_call(
            info.context.viewer, id_of(id, "ApplicationCall"), version, changes_of(input)
        )
        return ApplicationCallUpdatePayload(application_call=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Archive a call: it leaves public reads, its history stays (administrators).")
    async def application_call_archive(
        self, info: strawberry.Info, id: IdArg, version: VersionArg
    ) -> ApplicationCallArchivePayload:
        result = await service.archive_application_call(info.context.viewer, id_of(id, "ApplicationCall"), version)
        return ApplicationCallArchivePayload(application_call=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]
