"""Events, their dates and organizers, participation, and calls for applications."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

import strawberry
from strawberry import relay

import models
from domain.access import require_personal_data
from domain.ids import global_id
from plan import fields as plans
from queries import relations as r
from resolvers import events as resolve
from resolvers.lookup import fetch_reference
from resolvers.relations import many
from schema.country import COUNTRY, Country, country_of
from schema.enums import EventFormat, EventKind, Language, OrganizerRole, ParticipationRole
from schema.fields import (
    archived_at_field,
    event_relation_field,
    one_field,
    planned,
    reads,
    relation_field,
    version_field,
)
from schema.filters import EventFilter, EventOrder
from schema.governance import GoverningBody, Instrument, Programme
from schema.node import DirectoryNode
from schema.office import Party
from schema.organization import Organization
from schema.pagination import Connection


@strawberry.type(
    description=(
        "One date range of an event, both days inclusive; times are Vienna local time. An exact range holds the "
        "event on every day; an inexact one (`exact: false`) only says the event falls on some day(s) within it, "
        'e.g. an informal dialogue held "during CND 66".'
    )
)
class EventDateRange:
    start_date: date = strawberry.field(description="First day (for an inexact range, the earliest it can be).")
    end_date: date = strawberry.field(
        description="Last day, the same as `startDate` for a one-day range (for an inexact range, the latest it can be)."
    )
    exact: bool = strawberry.field(
        description="True: the event runs on every day of the range. False: on some day(s) within it, which ones unknown."
    )

    @strawberry.field(
        description="The range in EDTF: 2023-03-13/2023-03-17 (every day), [2023-03-13..2023-03-17] (some day within)."
    )
    def edtf(self, root: strawberry.Parent[models.EventDate]) -> str:
        return resolve.range_edtf(root)

    @strawberry.field(description="Starting time, Vienna local time (Europe/Vienna), when the source gives one.")
    def start_time(self, root: strawberry.Parent[models.EventDate]) -> time | None:
        return resolve.local_time(root.start_time)

    @strawberry.field(description="Ending time, Vienna local time (Europe/Vienna), when the source gives one.")
    def end_time(self, root: strawberry.Parent[models.EventDate]) -> time | None:
        return resolve.local_time(root.end_time)

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.EventDate)


EventSelf = Annotated["Event", strawberry.lazy("schema.event")]
EventOrganizerSelf = Annotated["EventOrganizer", strawberry.lazy("schema.event")]
ParticipationSelf = Annotated["Participation", strawberry.lazy("schema.event")]


@strawberry.federation.type(
    keys=["id", "slug"],
    description="A meeting, session, course or launch. An event can span several separate date ranges.",
)
class Event(DirectoryNode):
    model = models.Event
    id: relay.NodeID[int]
    version: int = version_field()
    archived_at: datetime | None = archived_at_field()
    slug: str = strawberry.field(description="Stable, URL-safe identifier, e.g. `cnd-66`.")
    name: str = strawberry.field(description="Title of the event.")
    acronym: str | None = strawberry.field(description="Short name.")
    aliases: list[str] = strawberry.field(description="Other titles found in sources (e.g. the UNODC page's wording).")
    kind: EventKind = strawberry.field(description="What happens at the event.")
    format: EventFormat | None = strawberry.field(description="How participants attend; null when unknown.")
    venue: str | None = strawberry.field(description="Building or room, e.g. Boardroom D.")
    city: str | None = strawberry.field(description="City.")
    audience: str | None = strawberry.field(description="Who may attend, when restricted (e.g. WhatsOn members).")
    session_number: int | None = strawberry.field(description="Number of the session, e.g. 66 for CND 66.")
    description: str | None = strawberry.field(description="What the event is about.")
    source: str | None = strawberry.field(description="Where the facts come from.")
    verified: bool = strawberry.field(description="Whether the facts were checked against the source.")

    @strawberry.field(description="Country of the venue.", metadata=planned(COUNTRY))
    def country(self, root: strawberry.Parent[models.Event]) -> Country | None:
        return country_of(root.country)

    dates: list[EventDateRange] = strawberry.field(
        metadata=planned(plans.rows(r.DATES_OF_EVENT)),
        resolver=many(r.DATES_OF_EVENT),
        description="The date ranges of the event, earliest first; empty when the dates are unknown.",
    )
    start_date: date | None = strawberry.field(
        metadata=planned(plans.START_DATE),
        resolver=resolve.start_date,
        description="First day of the event; null when unknown.",
    )
    end_date: date | None = strawberry.field(
        resolver=resolve.end_date,
        description="Last day of the event; null when unknown.",
        metadata=planned(plans.END_DATE),
    )
    languages: list[Language] = strawberry.field(
        resolver=resolve.languages, description="Languages of the event.", metadata=planned(plans.EVENT_LANGUAGES)
    )
    margins_of: Event | None = one_field(
        r.EVENT_BY_ID, "margins_of_id", "The event this one is held in the margins of."
    )
    side_events = event_relation_field(
        EventSelf, r.SIDE_EVENTS, EventFilter, EventOrder, "Events held in the margins of this one."
    )
    governing_body: GoverningBody | None = one_field(
        r.GOVERNING_BODY_BY_ID, "governing_body_id", "Governing body whose event this is."
    )
    instrument: Instrument | None = one_field(r.INSTRUMENT_BY_ID, "instrument_id", "Instrument the event is about.")
    programme: Programme | None = one_field(r.PROGRAMME_BY_ID, "programme_id", "Programme the event belongs to.")
    application_call: ApplicationCall | None = one_field(
        r.APPLICATION_CALL_BY_ID, "application_call_id", "Call through which organizations apply to take part."
    )
    organizers: Connection[EventOrganizer] = relation_field(
        EventOrganizerSelf, r.ORGANIZERS_OF_EVENT, "Organizations and offices organizing the event, with their roles."
    )
    participants: Connection[Participation] = relation_field(
        ParticipationSelf, r.PARTICIPANTS_OF_EVENT, "Organizations taking part, with their roles."
    )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, **key: str) -> models.Event | None:
        return await fetch_reference(info, "Event", key)


@strawberry.type(description="An organization or office organizing an event, in a role.")
class EventOrganizer:
    role: OrganizerRole = strawberry.field(description="Part the organizer plays.")
    event: Event = one_field(r.EVENT_BY_ID, "event_id", "The event.")

    @strawberry.field(description="The organizing organization or office.", metadata=planned(plans.ORGANIZER))
    async def organizer(self, root: strawberry.Parent[models.EventOrganizer], info: strawberry.Info) -> Party | None:
        return await resolve.organizer(root, info)

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.EventOrganizer)


@strawberry.type(description="An organization taking part in an event.")
class Participation:
    @strawberry.field(description="Global ID, named by `participationUpdate` and `participationArchive`.", metadata=reads("id"))
    def id(self, root: strawberry.Parent[models.Participation]) -> strawberry.ID:
        return strawberry.ID(global_id("Participation", root.id))

    version: int = version_field()
    archived_at: datetime | None = archived_at_field()
    role: ParticipationRole = strawberry.field(description="Part the organization plays.")
    event: Event = one_field(r.EVENT_BY_ID, "event_id", "The event.")
    organization: Organization | None = one_field(r.ORGANIZATION_BY_ID, "organization_id", "The organization.")

    @strawberry.field(
        description=(
            "Why the organization applied to take part: personal data. Null, with a FORBIDDEN error, unless the "
            "caller is UNODC staff or the coalition whose network the organization belongs to."
        ),
        metadata=planned(plans.JUSTIFICATION),
    )
    def justification(self, root: strawberry.Parent[models.Participation], info: strawberry.Info) -> str | None:
        require_personal_data(info.context.viewer, [root.organization_id])
        return root.justification

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Participation)


@strawberry.federation.type(
    keys=["id", "slug"],
    description="A call for organizations to apply to take part in one or more events.",
)
class ApplicationCall(DirectoryNode):
    model = models.ApplicationCall
    id: relay.NodeID[int]
    version: int = version_field()
    archived_at: datetime | None = archived_at_field()
    slug: str = strawberry.field(description="Stable, URL-safe identifier.")
    name: str = strawberry.field(description="Title of the call.")
    acronym: str | None = strawberry.field(description="Short name.")
    aliases: list[str] = strawberry.field(description="Other titles found in sources.")
    ecosoc_status_required: bool | None = strawberry.field(
        description="Whether applicants need ECOSOC consultative status; null when the source does not say."
    )
    reviewed_by: str | None = strawberry.field(description="Who reviews the applications, e.g. the Extended Bureau.")
    travel_support_available: bool | None = strawberry.field(description="Whether travel support can be requested.")
    description: str | None = strawberry.field(description="What the call is for.")
    source: str | None = strawberry.field(description="Where the facts come from.")
    verified: bool = strawberry.field(description="Whether the facts were checked against the source.")

    @strawberry.field(description="When applications open, in Vienna time (Europe/Vienna); null when unknown.")
    def opens_at(self, root: strawberry.Parent[models.ApplicationCall]) -> datetime | None:
        return resolve.in_vienna(root.opens_at)

    @strawberry.field(description="Deadline for applications, in Vienna time (Europe/Vienna); null when unknown.")
    def closes_at(self, root: strawberry.Parent[models.ApplicationCall]) -> datetime | None:
        return resolve.in_vienna(root.closes_at)

    @strawberry.field(description="Whether the call accepts applications at an instant (now when `at` is omitted).")
    def is_open(
        self,
        root: strawberry.Parent[models.ApplicationCall],
        at: Annotated[
            datetime | None,
            strawberry.argument(description="Instant to ask about, with a UTC offset. Omitted: now. null is refused."),
        ] = strawberry.UNSET,
    ) -> bool:
        return resolve.is_open(root, at)

    events = event_relation_field(Event, r.EVENTS_OF_CALL, EventFilter, EventOrder, "Events the call covers.")

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, **key: str) -> models.ApplicationCall | None:
        return await fetch_reference(info, "ApplicationCall", key)
