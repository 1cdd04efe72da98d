"""Governing bodies, conventions and protocols, and UNODC programmes."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import models
from models.dates import read_partial_date
from queries import relations as r
from resolvers.lookup import fetch_reference
from schema.dates import date_columns, partial_date_field, year_of
from schema.enums import GoverningBodyKind, InstrumentKind, NgoAdmissionRule
from schema.fields import (
    archived_at_field,
    dated_relation_field,
    event_relation_field,
    one_field,
    relation_field,
    version_field,
)
from schema.filters import EventFilter, EventOrder
from schema.node import DirectoryNode
from schema.office import Office, Partnership
from schema.pagination import Connection

if TYPE_CHECKING:
    from schema.event import Event

EventRef = Annotated["Event", strawberry.lazy("schema.event")]
InstrumentSelf = Annotated["Instrument", strawberry.lazy("schema.governance")]
GoverningBodyRef = Annotated["GoverningBody", strawberry.lazy("schema.governance")]


@strawberry.federation.type(keys=["id", "slug"], description="A convention or a protocol supplementing one.")
class Instrument(DirectoryNode):
    model = models.Instrument
    id: relay.NodeID[int]
    version: int = version_field()
    archived_at: datetime | None = archived_at_field()
    slug: str = strawberry.field(description="Stable, URL-safe identifier, e.g. `uncac`.")
    name: str = strawberry.field(description="Official title.")
    acronym: str | None = strawberry.field(description="Short name, e.g. UNTOC.")
    aliases: list[str] = strawberry.field(description="Other names, e.g. the Palermo Convention.")
    kind: InstrumentKind = strawberry.field(description="Convention or protocol.")
    adopted = partial_date_field(
        "adopted", "When the instrument was adopted, as precise as the source; null when unknown."
    )
    in_force = partial_date_field(
        "in_force",
        "When the instrument entered into force, as precise as the source; null when not in force or unknown.",
    )

    @strawberry.field(
        description="Day of adoption; null when not known to the day.",
        deprecation_reason="Use `adopted`, which says how precise the date is.",
        metadata=date_columns("adopted"),
    )
    def adopted_on(self, root: strawberry.Parent[models.Instrument]) -> date | None:
        adopted = read_partial_date(root, "adopted")
        return adopted.latest if adopted is not None and adopted.exact else None

    @strawberry.field(
        description="Year of adoption; null when unknown.",
        deprecation_reason="Use `adopted`, which says how precise the date is.",
        metadata=date_columns("adopted"),
    )
    def adopted_year(self, root: strawberry.Parent[models.Instrument]) -> int | None:
        return year_of(read_partial_date(root, "adopted"))

    @strawberry.field(
        description="Day of entry into force; null when not in force or not known to the day.",
        deprecation_reason="Use `inForce`, which says how precise the date is.",
        metadata=date_columns("in_force"),
    )
    def in_force_on(self, root: strawberry.Parent[models.Instrument]) -> date | None:
        in_force = read_partial_date(root, "in_force")
        return in_force.latest if in_force is not None and in_force.exact else None

    description: str | None = strawberry.field(description="What the instrument covers.")
    source: str | None = strawberry.field(description="Where the facts come from.")
    verified: bool = strawberry.field(description="Whether the facts were checked against the source.")
    parent: Instrument | None = one_field(r.INSTRUMENT_BY_ID, "parent_id", "The convention a protocol supplements.")
    protocols: Connection[Instrument] = relation_field(
        InstrumentSelf, r.PROTOCOLS_OF_INSTRUMENT, "Protocols supplementing this convention, by name."
    )
    governing_bodies: Connection[GoverningBody] = relation_field(
        GoverningBodyRef, r.BODIES_OF_INSTRUMENT, "Bodies that serve this instrument, by name."
    )
    events = event_relation_field(
        EventRef, r.EVENTS_OF_INSTRUMENT, EventFilter, EventOrder, "Events about this instrument."
    )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, **key: str) -> models.Instrument | None:
        return await fetch_reference(info, "Instrument", key)


@strawberry.federation.type(
    keys=["id", "slug"],
    description="An intergovernmental body: a commission, a conference of the parties, a subsidiary body...",
)
class GoverningBody(DirectoryNode):
    model = models.GoverningBody
    id: relay.NodeID[int]
    version: int = version_field()
    archived_at: datetime | None = archived_at_field()
    slug: str = strawberry.field(description="Stable, URL-safe identifier, e.g. `cnd`.")
    name: str = strawberry.field(description="Official name.")
    acronym: str | None = strawberry.field(description="Short name, e.g. CCPCJ.")
    aliases: list[str] = strawberry.field(description="Other names found in sources.")
    kind: GoverningBodyKind = strawberry.field(description="Kind of body.")
    ngo_admission_rule: NgoAdmissionRule | None = strawberry.field(
        description="Which non-governmental organizations the body admits; null when not recorded."
    )
    established_by: str | None = strawberry.field(description="Resolution that created the body.")
    description: str | None = strawberry.field(description="What the body does.")
    source: str | None = strawberry.field(description="Where the facts come from.")
    verified: bool = strawberry.field(description="Whether the facts were checked against the source.")
    parent: GoverningBody | None = one_field(r.GOVERNING_BODY_BY_ID, "parent_id", "The body this one reports to.")
    subsidiary_bodies: Connection[GoverningBody] = relation_field(
        GoverningBodyRef, r.SUBSIDIARY_BODIES, "Bodies that report to this one, by name."
    )
    secretariat: Office | None = one_field(r.OFFICE_BY_ID, "secretariat_id", "UNODC office serving as secretariat.")
    instrument: Instrument | None = one_field(r.INSTRUMENT_BY_ID, "instrument_id", "Instrument the body serves.")
    events = event_relation_field(
        EventRef, r.EVENTS_OF_BODY, EventFilter, EventOrder, "Sessions and other events of the body."
    )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, **key: str) -> models.GoverningBody | None:
        return await fetch_reference(info, "GoverningBody", key)


@strawberry.federation.type(keys=["id", "slug"], description="A UNODC programme or project, e.g. SE4U or GLOU68.")
class Programme(DirectoryNode):
    model = models.Programme
    id: relay.NodeID[int]
    version: int = version_field()
    archived_at: datetime | None = archived_at_field()
    slug: str = strawberry.field(description="Stable, URL-safe identifier, e.g. `se4u`.")
    name: str = strawberry.field(description="Full name.")
    acronym: str | None = strawberry.field(description="Short name.")
    aliases: list[str] = strawberry.field(description="Other names found in sources.")
    code: str | None = strawberry.field(description="UNODC project code, e.g. GLOU68.")
    started = partial_date_field("started", "When the programme started, as precise as the source; null when unknown.")

    @strawberry.field(
        description="Year the programme started; null when unknown.",
        deprecation_reason="Use `started`, which says how precise the date is.",
        metadata=date_columns("started"),
    )
    def start_year(self, root: strawberry.Parent[models.Programme]) -> int | None:
        return year_of(read_partial_date(root, "started"))

    website: str | None = strawberry.field(description="Web address.")
    description: str | None = strawberry.field(description="What the programme does.")
    source: str | None = strawberry.field(description="Where the facts come from.")
    verified: bool = strawberry.field(description="Whether the facts were checked against the source.")
    office: Office | None = one_field(r.OFFICE_BY_ID, "office_id", "UNODC office that runs the programme.")
    partnerships: Connection[Partnership] = dated_relation_field(
        Partnership,
        r.PARTNERSHIPS_OF_PROGRAMME,
        "Partnerships under this programme, e.g. implementing partners, that may hold on `asOf` (today when "
        "omitted; every period with `asOf: null`), each with its `certainty`.",
    )
    events = event_relation_field(EventRef, r.EVENTS_OF_PROGRAMME, EventFilter, EventOrder, "Events of the programme.")

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, **key: str) -> models.Programme | None:
        return await fetch_reference(info, "Programme", key)
