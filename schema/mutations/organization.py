"""Organization mutations: ``organizationCreate``, ``organizationUpdate``, ``organizationArchive`` (administrators)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.enums import EcosocStatus, OrganizationKind
from schema.mutations.common import UserError, changes_of, id_of, user_errors_of
from schema.organization import Organization
from services import organizations as service

IdArg = Annotated[strawberry.ID, strawberry.argument(description="The organization's global ID.")]
VersionArg = Annotated[
    int, strawberry.argument(description="The `version` you read: the change is refused (CONFLICT) if it moved on since.")
]


@strawberry.input(description="Fields of an organization to set; an omitted field stays as it is, a null clears it.")
class OrganizationInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Official name (required to create).")
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="Stable, URL-safe identifier; made from the name when omitted.")
    acronym: str | None = strawberry.field(default=strawberry.UNSET, description="Short name.")
    aliases: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Other names and spellings found in sources.")
    kind: OrganizationKind | None = strawberry.field(default=strawberry.UNSET, description="What kind of body it is; null when unknown.")
    country: str | None = strawberry.field(default=strawberry.UNSET, description="ISO 3166-1 alpha-2 code of the headquarters.")
    city: str | None = strawberry.field(default=strawberry.UNSET, description="City of the headquarters.")
    website: str | None = strawberry.field(default=strawberry.UNSET, description="Web address (http or https).")
    founded: str | None = strawberry.field(
        default=strawberry.UNSET, description="When it was founded, EDTF as precise as the source: 2006, 2006-08, [..2010]."
    )
    description: str | None = strawberry.field(default=strawberry.UNSET, description="What the organization does.")
    source: str | None = strawberry.field(default=strawberry.UNSET, description="Where the facts come from (URL or citation).")
    verified: bool | None = strawberry.field(default=strawberry.UNSET, description="Whether the facts were checked against the source.")
    hidden: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Withheld from public view (e.g. reprisal risk): only staff and its coalition see it."
    )
    ecosoc_status: EcosocStatus | None = strawberry.field(default=strawberry.UNSET, description="Consultative status with ECOSOC.")
    ecosoc_since: int | None = strawberry.field(default=strawberry.UNSET, description="Year the ECOSOC status was granted.")


@strawberry.type(description="The result of `organizationCreate`.")
class OrganizationCreatePayload:
    organization: Organization | None = strawberry.field(description="The new organization; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `organizationUpdate`.")
class OrganizationUpdatePayload:
    organization: Organization | None = strawberry.field(description="The organization as changed; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `organizationArchive`.")
class OrganizationArchivePayload:
    organization: Organization | None = strawberry.field(description="The archived organization; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type
class OrganizationMutations:
    @strawberry.mutation(description="Add an organization (administrators).")
    async def organization_create(
        self, info: strawberry.Info, input: Annotated[OrganizationInput, strawberry.argument(description="Its fields.")]
    ) -> OrganizationCreatePayload:
        result = await service.create_organization(info.context.viewer, changes_of(input))
        return OrganizationCreatePayload(organization=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Change an organization's fields (administrators).")
    async def organization_update(
        self,
        info: strawberry.Info,
        id: IdArg,
        version: VersionArg,
        input: Annotated[OrganizationInput, strawberry.argument(description="The fields to change.")],
    ) -> OrganizationUpdatePayload:
        result = await service.update_organization(info.context.viewer, id_of(id, "Organization"), version, changes_of(input))
        return OrganizationUpdatePayload(organization=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Archive an organization: it leaves public reads, its history stays (administrators).")
    async def organization_archive(self, info: strawberry.Info, id: IdArg, version: VersionArg) -> OrganizationArchivePayload:
        result = await service.archive_organization(info.context.viewer, id_of(id, "Organization"), version)
        return OrganizationArchivePayload(organization=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]
