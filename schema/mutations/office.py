"""Office mutations: ``officeCreate``, ``officeUpdate``, ``officeArchive`` (administrators)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from schema.enums import OfficeKind
from schema.mutations.common import UserError, changes_of, id_of, user_errors_of
from schema.office import Office
from services import offices as service

IdArg = Annotated[strawberry.ID, strawberry.argument(description="The office's global ID.")]
VersionArg = Annotated[
    int, strawberry.argument(description="The `version` you read: the change is refused (CONFLICT) if it moved on since.")
]


@strawberry.input(description="A place an office sat at for a period.")
class OfficeLocationInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code of the country.")
    city: str | None = strawberry.field(default=None, description="City; null when the source names only the country.")
    valid_from: str | None = strawberry.field(
        default=None, description="Arrival, EDTF as precise as the source (2010, [2010..2011]); null when unknown."
    )
    valid_to: str | None = strawberry.field(
        default=None, description="Last day there, EDTF as precise as the source; null while it is there."
    )
    source: str | None = strawberry.field(default=None, description="Where the facts come from (URL or citation).")


@strawberry.input(
    description=(
        "Fields of an office to set; an omitted field stays as it is, a null clears it. `locations`, when given, "
        "replace the office's own (at most 100)."
    )
)
class OfficeInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Official name (required to create).")
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="Stable, URL-safe identifier; made from the name when omitted.")
    acronym: str | None = strawberry.field(default=strawberry.UNSET, description="Short name, e.g. CEB.")
    aliases: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Other names found in sources (at most 100).")
    kind: OfficeKind | None = strawberry.field(default=strawberry.UNSET, description="Place in the organization chart (required to create).")
    parent: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Global ID of the office it belongs to; null for a top-level office."
    )
    project_codes: list[str] | None = strawberry.field(default=strawberry.UNSET, description="UNODC project codes, e.g. GLOU68.")
    established: str | None = strawberry.field(
        default=strawberry.UNSET, description="When it was set up, EDTF as precise as the source: 1997, 2010-06, [2010..2011]."
    )
    locations: list[OfficeLocationInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Where it sat, each place for a period (`location(asOf:)` reads them)."
    )
    description: str | None = strawberry.field(default=strawberry.UNSET, description="What the office does.")
    source: str | None = strawberry.field(default=strawberry.UNSET, description="Where the facts come from (URL or citation).")
    verified: bool | None = strawberry.field(default=strawberry.UNSET, description="Whether the facts were checked against the source.")


def office_changes(input: OfficeInput) -> dict[str, Any]:
    """The fields the input sets, its locations as plain dicts (a null list clears them)."""
    changes = changes_of(input)
    if "locations" in changes:
        changes["locations"] = [
            {"country": item.country, "city": item.city, "valid_from": item.valid_from, "valid_to": item.valid_to, "source": item.source}
            for item in changes["locations"] or []
        ]
    return changes


@strawberry.type(description="The result of `officeCreate`.")
class OfficeCreatePayload:
    office: Office | None = strawberry.field(description="The new office; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `officeUpdate`.")
class OfficeUpdatePayload:
    office: Office | None = strawberry.field(description="The office as changed; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `officeArchive`.")
class OfficeArchivePayload:
    office: Office | None = strawberry.field(description="The archived office; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type
class OfficeMutations:
    @strawberry.mutation(description="Add a UNODC office (administrators).")
    async def office_create(
        self, info: strawberry.Info, input: Annotated[OfficeInput, strawberry.argument(description="Its fields.")]
    ) -> OfficeCreatePayload:
        result = await service.create_office(info.context.viewer, office_changes(input))
        return OfficeCreatePayload(office=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Change an office's fields (administrators).")
    async def office_update(
        self,
        info: strawberry.Info,
        id: IdArg,
        version: VersionArg,
        input: Annotated[OfficeInput, strawberry.argument(description="The fields to change.")],
    ) -> OfficeUpdatePayload:
        result = await service.update_office(info.context.viewer, id_of(id, "Office"), version, office_changes(input))
        return OfficeUpdatePayload(office=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Archive an office: it leaves public reads, its history stays (administrators).")
    async def office_archive(self, info: strawberry.Info, id: IdArg, version: VersionArg) -> OfficeArchivePayload:
        result = await service.archive_office(info.context.viewer, id_of(id, "Office"), version)
        return OfficeArchivePayload(office=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]
