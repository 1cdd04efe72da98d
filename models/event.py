"""Events, their dates and organizers, calls for applications and participation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint, UniqueConstraint
from tortoise.models import Model

from models.base import Entity
from models.enums import EventFormat, EventKind, Language, OrganizerRole, ParticipationRole
from models.validators import validate_country_code

if TYPE_CHECKING:
    from models.governance import GoverningBody, Instrument, Programme
    from models.office import Office
    from models.organization import Organization


class ApplicationCall(Entity):
    """A call for organizations to apply to take part in one or more events."""

    opens_at = fields.DatetimeField(null=True)
    closes_at = fields.DatetimeField(null=True)
    ecosoc_status_required = fields.BooleanField(null=True, description="Null when the source does not say")
    reviewed_by = fields.CharField(max_length=200, null=True)
    travel_support_available = fields.BooleanField(null=True)

    class Meta:
        table = "application_call"
        indexes = (("closes_at",),)
        constraints = (CheckConstraint(check="opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at", name="application_call_order"),)


class Event(Entity):
    """A meeting, session, course or launch. Its days are EventDate rows."""

    kind = fields.CharEnumField(EventKind, max_length=40)
    format = fields.CharEnumField(EventFormat, max_length=20, null=True)
    venue = fields.CharField(max_length=200, null=True, description="Building or room")
    city = fields.CharField(max_length=120, null=True)
    country = fields.CharField(max_length=2, null=True, validators=[validate_country_code])
    audience = fields.CharField(max_length=200, null=True, description="Who may attend, when restricted")
    session_number = fields.IntField(null=True)
    margins_of: fields.ForeignKeyNullableRelation[Event] = fields.ForeignKeyField("models.Event", related_name="side_events", null=True, on_delete=fields.SET_NULL)
    margins_of_id: int | None
    governing_body: fields.ForeignKeyNullableRelation[GoverningBody] = fields.ForeignKeyField("models.GoverningBody", related_name="events", null=True, on_delete=fields.SET_NULL)
    governing_body_id: int | None
    instrument: fields.ForeignKeyNullableRelation[Instrument] = fields.ForeignKeyField("models.Instrument", related_name="events", null=True, on_delete=fields.SET_NULL)
    instrument_id: int | None
    programme: fields.ForeignKeyNullableRelation[Programme] = fields.ForeignKeyField("models.Programme", related_name="events", null=True, on_delete=fields.SET_NULL)
    programme_id: int | None
    application_call: fields.ForeignKeyNullableRelation[ApplicationCall] = fields.ForeignKeyField("models.ApplicationCall", related_name="events", null=True, on_delete=fields.SET_NULL)
    application_call_id: int | None
    first_date = fields.DateField(null=True, description="Earliest day of any date range, kept for ordering")

    class Meta:
        table = "event"
        indexes = (
            ("margins_of_id",),
            ("governing_body_id",),
            ("instrument_id",),
            ("programme_id",),
            ("application_call_id",),
            ("first_date", "id"),
            ("name", "id"),
        )
        constraints = (CheckConstraint(check="margins_of_id IS NULL OR margins_of_id <> id", name="event_not_own_margin"),)


class EventDate(Model):
    """One date range (inclusive) of an event, with optional Vienna local times."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField("models.Event", related_name="dates", on_delete=fields.CASCADE)
    event_id: int
    start_date = fields.DateField()
    end_date = fields.DateField()
    start_time = fields.TimeField(null=True)
    end_time = fields.TimeField(null=True)
    exact = fields.BooleanField(
        default=True,
        db_default=True,
        description="True when the event runs on every day of the range, false when only known to fall within it",
    )

    class Meta:
        table = "event_date"
        indexes = (("event_id", "start_date"), ("start_date", "end_date"))
        constraints = (CheckConstraint(check="start_date <= end_date", name="event_date_order"),)


class EventLanguage(Model):
    """A language an event is held or offered in."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField("models.Event", related_name="language_links", on_delete=fields.CASCADE)
    event_id: int
    language = fields.CharEnumField(Language, max_length=2)

    class Meta:
        table = "event_language"
        constraints = (UniqueConstraint(fields=("event_id", "language"), name="event_language_unique"),)
        indexes = (("language", "event_id"),)


class EventOrganizer(Model):
    """An organization or office organizing an event, in a role."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField("models.Event", related_name="organizers", on_delete=fields.CASCADE)
    event_id: int
    organization: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField("models.Organization", related_name="organized", null=True, on_delete=fields.CASCADE)
    organization_id: int | None
    office: fields.ForeignKeyNullableRelation[Office] = fields.ForeignKeyField("models.Office", related_name="organized", null=True, on_delete=fields.CASCADE)
    office_id: int | None
    role = fields.CharEnumField(OrganizerRole, max_length=30, default=OrganizerRole.LEAD)

    class Meta:
        table = "event_organizer"
        indexes = (("event_id", "id"), ("organization_id", "id"), ("office_id", "id"))
        constraints = (CheckConstraint(check="(organization_id IS NULL) <> (office_id IS NULL)", name="event_organizer_one_party"),)


class Participation(Model):
    """An organization taking part in an event."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField("models.Organization", related_name="participations", on_delete=fields.CASCADE)
    organization_id: int
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField("models.Event", related_name="participations", on_delete=fields.CASCADE)
    event_id: int
    role = fields.CharEnumField(ParticipationRole, max_length=30, default=ParticipationRole.ATTENDEE)
    justification = fields.TextField(
        null=True, description="Personal data: why the organization applied (for UNODC staff and its own coalition)"
    )
    version = fields.IntField(default=1, db_default=1, description="Raised by every update: a write names the version it read")
    archived_at = fields.DatetimeField(null=True, description="When it was archived (archived rows leave every read but staff's)")

    class Meta:
        table = "participation"
        indexes = (("event_id", "id"), ("organization_id", "id"))
        constraints = (UniqueConstraint(fields=("organization_id", "event_id", "role"), name="participation_unique"),)
