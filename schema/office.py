"""UNODC offices, where they are, and their partnerships."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import models
from models.dates import read_partial_date
from plan import fields as plans
from queries import relations as r
from resolvers import offices as resolve
from resolvers.lookup import fetch_reference
from resolvers.relations import many
from resolvers.time import AsOfSingleArg, unwrap
from schema.country import COUNTRY, Country, country_of
from schema.dates import date_columns, partial_date_field, year_of
from schema.enums import Certainty, OfficeKind, PartnershipKind
from schema.fields import (
    archived_at_field,
    dated_relation_field,
    one_field,
    planned,
    reads,
    relation_field,
    version_field,
)
from schema.names import dated_name_field, former_names_field
from schema.node import DirectoryNode
from schema.organization import Organization
from schema.pagination import Connection

if TYPE_CHECKING:
    from schema.event import EventOrganizer
    from schema.governance import GoverningBody, Programme

EventOrganizerRef = Annotated["EventOrganizer", strawberry.lazy("schema.event")]
OfficeSelf = Annotated["Office", strawberry.lazy("schema.office")]
PartnershipSelf = Annotated["Partnership", strawberry.lazy("schema.office")]
GoverningBodyRef = Annotated["GoverningBody", strawberry.lazy("schema.governance")]
ProgrammeRef = Annotated["Programme", strawberry.lazy("schema.governance")]


@strawberry.federation.type(
    keys=["id", "slug"],
    description="A UNODC division, branch, section, unit or field office.",
)
class Office(DirectoryNode):
    model = models.Office
    id: relay.NodeID[int]
    version: int = version_field()
    archived_at: datetime | None = archived_at_field()
    slug: str = strawberry.field(description="Stable, URL-safe identifier, e.g. `csu`.")

    name: str = strawberry.field(description="Official name today; `datedName` gives the name on another day.")
    dated_name = dated_name_field(r.FORMER_NAMES_OF_OFFICE)
    former_names = former_names_field(r.FORMER_NAMES_OF_OFFICE, "office")
    acronym: str | None = strawberry.field(description="Short name, e.g. CEB.")
    aliases: list[str] = strawberry.field(
        description='Other names found in sources, e.g. the UNODC page\'s "Crime and Economic Branch".'
    )
    kind: OfficeKind = strawberry.field(description="Place in the organization chart.")
    project_codes: list[str] = strawberry.field(
        description="UNODC project codes the office works through, e.g. GLOU68."
    )
    established = partial_date_field(
        "established", "When the office was set up, as precise as the source; null when unknown."
    )

    @strawberry.field(
        description="Year the office was set up; null when unknown or known only to a window of years.",
        deprecation_reason="Use `established`, which says how precise the date is.",
        metadata=date_columns("established"),
    )
    def year_established(self, root: strawberry.Parent[models.Office]) -> int | None:
        return year_of(read_partial_date(root, "established"))

    description: str | None = strawberry.field(description="What the office does.")
    source: str | None = strawberry.field(description="Where the facts come from.")
    verified: bool = strawberry.field(description="Whether the facts were checked against the source.")
    parent: Office | None = one_field(r.OFFICE_BY_ID, "parent_id", "The office this one is part of.")
    children: Connection[Office] = relation_field(
        OfficeSelf, r.CHILDREN_OF_OFFICE, "Offices that are part of this one, by name."
    )
    locations: list[OfficeLocation] = strawberry.field(
        metadata=planned(plans.rows(r.LOCATIONS_OF_OFFICE)),
        resolver=many(r.LOCATIONS_OF_OFFICE),
        description="Where the office has been, every period, oldest first (the earliest possible start first).",
    )

    @strawberry.field(
        description=(
            "Where the office was on a day, with the `certainty` of that answer: the location that certainly held "
            "then, else one that may have (UNCERTAIN); null when no known location can have held that day."
        ),
        metadata=planned(plans.LOCATION),
    )
    async def location(
        self, root: strawberry.Parent[models.Office], info: strawberry.Info, as_of: AsOfSingleArg = strawberry.UNSET
    ) -> OfficeLocation | None:
        return await resolve.location_on(root, info, as_of)  # type: ignore[return-value]

    partnerships: Connection[Partnership] = dated_relation_field(
        PartnershipSelf,
        r.PARTNERSHIPS_OF_OFFICE,
        "Partnerships of this office with organizations and other offices that may hold on `asOf` (today when "
        "omitted; every period with `asOf: null`), each with its `certainty`.",
    )
    partnered_by: Connection[Partnership] = dated_relation_field(
        PartnershipSelf,
        r.PARTNERSHIPS_WITH_OFFICE,
        "Partnerships in which another office works with this one that may hold on `asOf` (today when omitted; "
        "every period with `asOf: null`), each with its `certainty`.",
    )
    programmes: Connection[ProgrammeRef] = relation_field(
        ProgrammeRef, r.PROGRAMMES_OF_OFFICE, "Programmes this office runs, by name."
    )
    secretariat_of: Connection[GoverningBodyRef] = relation_field(
        GoverningBodyRef, r.BODIES_SERVED_BY_OFFICE, "Governing bodies this office serves as secretariat, by name."
    )
    organized_events: Connection[EventOrganizerRef] = relation_field(
        EventOrganizerRef, r.EVENTS_ORGANIZED_BY_OFFICE, "Events this office organizes, with its role."
    )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, **key: str) -> models.Office | None:
        return await fetch_reference(info, "Office", key)


@strawberry.type(description="Where an office sat during a period, both ends inclusive.")
class OfficeLocation:
    city: str | None = strawberry.field(description="City; null when the source names only the country.")
    valid_from = partial_date_field(
        "valid_from", "First day at this place, as precise as the source; null when unknown."
    )
    valid_to = partial_date_field("valid_to", "Last day at this place, as precise as the source; null while it lasts.")
    certainty: Certainty | None = strawberry.field(
        resolver=resolve.certainty_of,
        metadata=reads(),
        description="How sure it is that the office was here on the day `location(asOf:)` asked for; null in `locations`.",
    )
    source: str | None = strawberry.field(description="Where the fact comes from.")

    @strawberry.field(description="Country.", metadata=planned(COUNTRY))
    def country(self, root: strawberry.Parent[models.OfficeLocation]) -> Country:
        country = country_of(root.country)
        assert country is not None
        return country

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(unwrap(obj), models.OfficeLocation)


Party = Annotated[
    Organization | Office,
    strawberry.union("Party", description="An organization or a UNODC office."),
]


@strawberry.type(description="A UNODC office working with an organization or with another office.")
class Partnership:
    kind: PartnershipKind = strawberry.field(description="Nature of the partnership.")
    basis: str | None = strawberry.field(
        description="Instrument the partnership rests on, e.g. a memorandum of understanding."
    )
    since = partial_date_field("since", "Start of the partnership, as precise as the source; null when unknown.")
    until = partial_date_field(
        "until",
        "Last day of the partnership, as precise as the source; null while it lasts (as far as the sources say).",
    )
    certainty: Certainty | None = strawberry.field(
        resolver=resolve.certainty_of,
        metadata=reads(),
        description="How sure it is that the partnership held on the day the list was asked for; null for every period.",
    )
    source: str | None = strawberry.field(description="Where the fact comes from.")
    office: Office = one_field(r.OFFICE_BY_ID, "office_id", "The UNODC office.")

    @strawberry.field(
        description="The organization or office the UNODC office works with.", metadata=planned(plans.PARTNER)
    )
    async def partner(self, root: strawberry.Parent[models.Partnership], info: strawberry.Info) -> Party | None:
        return await resolve.partner(root, info)

    programme: ProgrammeRef | None = one_field(
        r.PROGRAMME_BY_ID, "programme_id", "Programme the partnership serves, if any."
    )

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(unwrap(obj), models.Partnership)
