"""Event mutations: ``eventCreate``, ``eventUpdate``, ``eventArchive`` (administrators)."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any

import strawberry

from schema.enums import EventFormat, EventKind, OrganizerRole
from schema.event import Event
from schema.mutations.common import UserError, changes_of, id_of, user_errors_of
from services import events as service

IdArg = Annotated[strawberry.ID, strawberry.argument(description="The event's global ID.")]
VersionArg = Annotated[
    int, strawberry.argument(description="The `version` you read: the change is refused (CONFLICT) if it moved on since.")
]


@strawberry.input(description="One date range of an event, as precise as its source.")
class EventDateRangeInput:
    edtf: str = strawberry.field(
        description=(
            "The range in EDTF: 2023-03-13 (that day), 2023-03-13/2023-03-17 (every day from the first to the last), "
            "[2023-03-13..2023-03-17] (some day within), 2023-03 or 2023 (some day of that month or year)."
        )
    )
    start_time: time | None = strawberry.field(
        default=None, description="Starting time on the first day, Vienna local time unless it has a UTC offset."
    )
    end_time: time | None = strawberry.field(
        default=None, description="Ending time on the last day, Vienna local time unless it has a UTC offset."
    )


@strawberry.input(description="An organization or office organizing an event, in a role.")
class EventOrganizerInput:
    organizer: strawberry.ID = strawberry.field(description="Global ID of the organization or the office.")
    role: OrganizerRole = strawberry.field(default=OrganizerRole.LEAD, description="Part it plays (LEAD when omitted).")


@strawberry.input(
    description=(
        "Fields of an event to set; an omitted field stays as it is, a null clears it. `dates`, `languages` and "
        "`organizers`, when given, replace the event's own (at most 100 each)."
    )
)
class EventInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Title (required to create).")
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="Stable, URL-safe identifier; made from the name when omitted.")
    acronym: str | None = strawberry.field(default=strawberry.UNSET, description="Short name.")
    aliases: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Other titles found in sources.")
    kind: EventKind | None = strawberry.field(default=strawberry.UNSET, description="What happens at the event (required to create).")
    format: EventFormat | None = strawberry.field(default=strawberry.UNSET, description="How participants attend.")
    venue: str | None = strawberry.field(default=strawberry.UNSET, description="Building or room.")
    city: str | None = strawberry.field(default=strawberry.UNSET, description="City.")
    country: str | None = strawberry.field(default=strawberry.UNSET, description="ISO 3166-1 alpha-2 code of the venue's country.")
    audience: str | None = strawberry.field(default=strawberry.UNSET, description="Who may attend, when restricted.")
    session_number: int | None = strawberry.field(default=strawberry.UNSET, description="Number of the session, e.g. 66.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="What the event is about.")
    source: str | None = strawberry.field(default=strawberry.UNSET, description="Where the facts come from (URL or citation).")
    verified: bool | None = strawberry.field(default=strawberry.UNSET, description="Whether the facts were checked against the source.")
    margins_of: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Global ID of the event it is held in the margins of.")
    governing_body: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Global ID of the governing body whose event it is.")
    instrument: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Global ID of the instrument it is about.")
    programme: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Global ID of the programme it belongs to.")
    application_call: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Global ID of the call through which organizations apply."
    )
    dates: list[EventDateRangeInput] | None = strawberry.field(default=strawberry.UNSET, description="Its date ranges.")
    languages: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Its languages: AR, EN, FR, ES, RU, ZH (SP is read as ES)."
    )
    organizers: list[EventOrganizerInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Who organizes it, each in a role."
    )


def event_changes(input: EventInput) -> dict[str, Any]:
    """The fields the input sets, its date ranges and organizers as plain dicts."""
    changes = changes_of(input)
    for name in ("dates", "languages", "organizers"):
        if name in changes and changes[name] is None:
            changes[name] = []  # null clears the list, like an empty one
    if changes.get("dates") is not None:
        changes["dates"] = [
            {"edtf": item.edtf, "start_time": item.start_time, "end_time": item.end_time} for item in changes["dates"]
        ]
    if changes.get("organizers") is not None:
        changes["organizers"] = [{"organizer": str(item.organizer), "role": item.role} for item in changes["organizers"]]
    return changes


@strawberry.type(description="The result of `eventCreate`.")
class EventCreatePayload:
    event: Event | None = strawberry.field(description="The new event; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `eventUpdate`.")
class EventUpdatePayload:
    event: Event | None = strawberry.field(description="The event as changed; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `eventArchive`.")
class EventArchivePayload:
    event: Event | None = strawberry.field(description="The archived event; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type
class EventMutations:
    @strawberry.mutation(description="Add an event with its dates, languages and organizers (administrators).")
    async def event_create(
        self, info: strawberry.Info, input: Annotated[EventInput, strawberry.argument(description="Its fields.")]
    ) -> EventCreatePayload:
        result = await service.create_event(info.context.viewer, event_changes(input))
        return EventCreatePayload(event=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Change an event's fields, dates, languages or organizers (administrators).")
    async def event_update(
        self,
        info: strawberry.Info,
        id: IdArg,
        version: VersionArg,
        input: Annotated[EventInput, strawberry.argument(description="The fields to change.")],
    ) -> EventUpdatePayload:
        result = await service.update_event(info.context.viewer, id_of(id, "Event"), version, event_changes(input))
        return EventUpdatePayload(event=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Archive an event: it leaves public reads and the calendar, its history stays (administrators).")
    async def event_archive(self, info: strawberry.Info, id: IdArg, version: VersionArg) -> EventArchivePayload:
        result = await service.archive_event(info.context.viewer, id_of(id, "Event"), version)
        return EventArchivePayload(event=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]
