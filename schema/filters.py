"""Filter and ordering inputs of the root lists."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry

from resolvers.time import AS_OF_LIST_HELP
from schema.enums import (
    EcosocStatus,
    EventFormat,
    EventKind,
    GoverningBodyKind,
    InstrumentKind,
    Language,
    OfficeKind,
    OrganizationKind,
)


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Ascending: A to Z, oldest first. Unknown values last.")
    DESC = strawberry.enum_value("DESC", description="Descending: Z to A, newest first. Unknown values last.")


@strawberry.input(description="Membership in a network, directly or through networks of networks.")
class NetworkScope:
    network: str = strawberry.field(description="Global ID or slug of the network.")
    depth: int | None = strawberry.field(
        default=1, description="How many membership hops to follow (1 = direct members); null for any depth."
    )
    as_of: date | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"{AS_OF_LIST_HELP} Memberships that may hold that day count (certain or not).",
    )


@strawberry.input(description="Conditions on organizations; all given conditions must hold, each list matches any of its values.")
class OrganizationFilter:
    kinds: list[OrganizationKind] | None = strawberry.field(default=None, description="Any of these kinds.")
    countries: list[str] | None = strawberry.field(
        default=None, description="Headquarters in any of these countries (ISO 3166-1 alpha-2 codes)."
    )
    regions: list[str] | None = strawberry.field(
        default=None,
        description=(
            "Headquarters in any of these UN M49 areas, by name or code, at any level: region (Africa, 002), "
            "sub-region (Sub-Saharan Africa, 202) or intermediate region (Eastern Africa, 014)."
        ),
    )
    ecosoc_statuses: list[EcosocStatus] | None = strawberry.field(default=None, description="Any of these ECOSOC statuses.")
    thematic_areas: list[str] | None = strawberry.field(default=None, description="Working on any of these areas (slugs).")
    working_languages: list[Language] | None = strawberry.field(
        default=None, description="Working in any of these languages."
    )
    verified: bool | None = strawberry.field(default=None, description="Only verified (true) or unverified (false) entries.")
    member_of: NetworkScope | None = strawberry.field(default=None, description="Members of a network.")
    search: str | None = strawberry.field(
        default=None, description="Words found in name, acronym, aliases, city or description (accents and case ignored)."
    )


@strawberry.enum(description="What organizations can be sorted by.")
class OrganizationOrderField(Enum):
    NAME = strawberry.enum_value("NAME", description="Name.")
    COUNTRY = strawberry.enum_value("COUNTRY", description="Country code of the headquarters, then name.")
    YEAR_FOUNDED = strawberry.enum_value("YEAR_FOUNDED", description="Year founded, then name.")


@strawberry.input(description="Order of an organization list.")
class OrganizationOrder:
    field: OrganizationOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="Which way.")


@strawberry.input(description="Conditions on UNODC offices; all given conditions must hold.")
class OfficeFilter:
    kinds: list[OfficeKind] | None = strawberry.field(default=None, description="Any of these kinds.")
    parent: str | None = strawberry.field(default=None, description="Directly part of this office (global ID or slug).")
    countries: list[str] | None = strawberry.field(
        default=None,
        description=(
            "Located in any of these countries (ISO codes) on `activeAt`: omitted, today; a day, that day; null, "
            "at any time. A location that may have held that day counts (certain or not)."
        ),
    )
    active_at: date | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "The day `countries` is about (omitted: today; null: any time). Given as a day, it also keeps only "
            "offices with a known location that may hold that day."
        ),
    )
    search: str | None = strawberry.field(default=None, description="Words found in name, acronym, aliases or description.")


@strawberry.input(description="Conditions on events; all given conditions must hold, each list matches any of its values.")
class EventFilter:
    date_from: date | None = strawberry.field(
        default=None, description="Events with a date range ending on or after this day."
    )
    date_to: date | None = strawberry.field(
        default=None, description="Events with a date range starting on or before this day."
    )
    kinds: list[EventKind] | None = strawberry.field(default=None, description="Any of these kinds.")
    formats: list[EventFormat] | None = strawberry.field(default=None, description="Any of these formats.")
    languages: list[Language] | None = strawberry.field(default=None, description="Held in any of these languages.")
    governing_body: str | None = strawberry.field(default=None, description="Events of this body (global ID or slug).")
    instrument: str | None = strawberry.field(default=None, description="Events about this instrument (global ID or slug).")
    organizer: str | None = strawberry.field(
        default=None, description="Organized by this organization or office (global ID or slug)."
    )
    margins_of: str | None = strawberry.field(
        default=None, description="Held in the margins of this event (global ID or slug)."
    )
    open_for_applications_at: datetime | None = strawberry.field(
        default=None, description="Covered by a call for applications open at this instant (give a UTC offset)."
    )
    search: str | None = strawberry.field(default=None, description="Words found in title, aliases, city or description.")


@strawberry.enum(description="What events can be sorted by.")
class EventOrderField(Enum):
    START_DATE = strawberry.enum_value("START_DATE", description="First day; events without dates last.")
    NAME = strawberry.enum_value("NAME", description="Title.")


@strawberry.input(description="Order of an event list.")
class EventOrder:
    field: EventOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="Which way.")


@strawberry.input(description="Conditions on governing bodies; all given conditions must hold.")
class GoverningBodyFilter:
    kinds: list[GoverningBodyKind] | None = strawberry.field(default=None, description="Any of these kinds.")
    parent: str | None = strawberry.field(default=None, description="Reporting to this body (global ID or slug).")
    search: str | None = strawberry.field(default=None, description="Words found in name, acronym, aliases or description.")


@strawberry.input(description="Conditions on conventions and protocols; all given conditions must hold.")
class InstrumentFilter:
    kinds: list[InstrumentKind] | None = strawberry.field(default=None, description="Any of these kinds.")
    in_force_at: date | None = strawberry.field(
        default=None, description="Only instruments that may be in force on this day (entered into force by then)."
    )
    search: str | None = strawberry.field(default=None, description="Words found in name, acronym, aliases or description.")


@strawberry.input(description="Conditions on programmes.")
class ProgrammeFilter:
    search: str | None = strawberry.field(
        default=None, description="Words found in name, code, aliases or description."
    )


@strawberry.input(description="Conditions on calls for applications.")
class ApplicationCallFilter:
    open_at: datetime | None = strawberry.field(
        default=None, description="Only calls open at this instant (give a UTC offset)."
    )
