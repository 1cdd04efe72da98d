"""UNODC offices, where they are, and their partnerships."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import models
from resolvers import offices as resolve
from resolvers.lookup import fetch_reference
from resolvers.relations import linked, many, one
from schema.country import Country, country_of
from schema.enums import OfficeKind, PartnershipKind
from schema.names import dated_name_field, former_names_field
from schema.node import DirectoryNode
from schema.organization import Organization

if TYPE_CHECKING:
    from schema.event import EventOrganizer
    from schema.governance import GoverningBody, Programme

EventOrganizerRef = Annotated["EventOrganizer", strawberry.lazy("schema.event")]
GoverningBodyRef = Annotated["GoverningBody", strawberry.lazy("schema.governance")]
ProgrammeRef = Annotated["Programme", strawberry.lazy("schema.governance")]


@strawberry.federation.type(
    keys=["id", "slug"],
    description="A UNODC division, branch, section, unit or field office.",
)
class Office(DirectoryNode):
    model = models.Office
    id: relay.NodeID[int]
    slug: str = strawberry.field(description="Stable, URL-safe identifier, e.g. `csu`.")

    name = dated_name_field("former_names_by_office_id")
    former_names = former_names_field("former_names_by_office_id", "office")
    acronym: str | None = strawberry.field(description="Short name, e.g. CEB.")
    aliases: list[str] = strawberry.field(
        description="Other names found in sources, e.g. the UNODC page's \"Crime and Economic Branch\"."
    )
    kind: OfficeKind = strawberry.field(description="Place in the organization chart.")
    project_codes: list[str] = strawberry.field(description="UNODC project codes the office works through, e.g. GLOU68.")
    year_established: int | None = strawberry.field(description="Year the office was set up; null when unknown.")
    description: str | None = strawberry.field(description="What the office does.")
    source: str | None = strawberry.field(description="Where the facts come from.")
    verified: bool = strawberry.field(description="Whether the facts were checked against the source.")
    parent: Office | None = strawberry.field(
        resolver=one("office_by_id", "parent_id"), description="The office this one is part of."
    )
    children: list[Office] = strawberry.field(
        resolver=many("offices_by_parent_id"), description="Offices that are part of this one, by name."
    )
    locations: list[OfficeLocation] = strawberry.field(
        resolver=many("locations_by_office_id"), description="Where the office has been, oldest first."
    )

    @strawberry.field(description="Where the office is on a day (today when `asOf` is omitted); null when unknown.")
    async def location(
        self,
        root: strawberry.Parent[models.Office],
        info: strawberry.Info,
        as_of: Annotated[date | None, strawberry.argument(description="The day to ask about; default today.")] = None,
    ) -> OfficeLocation | None:
        return await resolve.location_on(root, info, as_of)

    partnerships: list[Partnership] = strawberry.field(
        resolver=linked("partnerships_by_office_id", ("partner_organization_id",)),
        description="Partnerships of this office with organizations and other offices.",
    )
    partnered_by: list[Partnership] = strawberry.field(
        resolver=many("partnerships_by_partner_office_id"),
        description="Partnerships in which another office works with this one.",
    )
    programmes: list[ProgrammeRef] = strawberry.field(
        resolver=many("programmes_by_office_id"), description="Programmes this office runs."
    )
    secretariat_of: list[GoverningBodyRef] = strawberry.field(
        resolver=many("governing_bodies_by_secretariat_id"), description="Governing bodies this office serves as secretariat."
    )
    organized_events: list[EventOrganizerRef] = strawberry.field(
        resolver=many("organizer_roles_by_office_id"), description="Events this office organizes, with its role."
    )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, **key: str) -> models.Office | None:
        return await fetch_reference(info, "Office", key)


@strawberry.type(description="Where an office sat during a period; both ends inclusive, null when open.")
class OfficeLocation:
    city: str = strawberry.field(description="City.")
    valid_from: date | None = strawberry.field(description="First day at this place; null when unknown.")
    valid_to: date | None = strawberry.field(description="Last day at this place; null while it lasts.")

    @strawberry.field(description="Country.")
    def country(self, root: strawberry.Parent[models.OfficeLocation]) -> Country:
        country = country_of(root.country)
        assert country is not None
        return country

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.OfficeLocation)


Party = Annotated[
    Organization | Office,
    strawberry.union("Party", description="An organization or a UNODC office."),
]


@strawberry.type(description="A UNODC office working with an organization or with another office.")
class Partnership:
    kind: PartnershipKind = strawberry.field(description="Nature of the partnership.")
    basis: str | None = strawberry.field(description="Instrument the partnership rests on, e.g. a memorandum of understanding.")
    since: date | None = strawberry.field(description="Start of the partnership; null when unknown.")
    source: str | None = strawberry.field(description="Where the fact comes from.")
    office: Office = strawberry.field(resolver=one("office_by_id", "office_id"), description="The UNODC office.")

    @strawberry.field(description="The organization or office the UNODC office works with.")
    async def partner(self, root: strawberry.Parent[models.Partnership], info: strawberry.Info) -> Party | None:
        return await resolve.partner(root, info)

    programme: ProgrammeRef | None = strawberry.field(
        resolver=one("programme_by_id", "programme_id"), description="Programme the partnership serves, if any."
    )

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Partnership)
