"""The Query root: Relay node lookups and each entity kind by ID, slug or page."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from plan import fields as plans
from queries import filters
from queries import tables as t
from queries.lists import BY_CLOSING, BY_START_DATE
from queries.pages import BY_NAME
from resolvers import lists, lookup
from schema.audit import AuditQuery
from schema.event import ApplicationCall, Event
from schema.fields import entity_field, filtered_list_field, planned
from schema.filters import (
    ApplicationCallFilter,
    EventFilter,
    EventOrder,
    GoverningBodyFilter,
    InstrumentFilter,
    OfficeFilter,
    OrganizationFilter,
    OrganizationOrder,
    ProgrammeFilter,
)
from schema.governance import GoverningBody, Instrument, Programme
from schema.networks import NetworkQuery
from schema.office import Office
from schema.organization import Organization, ThematicArea
from schema.search import SearchQuery
from schema.stats import StatsQuery


@strawberry.type(description="Read access to the partner directory of the UNODC Civil Society Unit.")
class Query(NetworkQuery, StatsQuery, SearchQuery, AuditQuery):
    @strawberry.field(description="Any entity by its global ID; null when it does not exist.", metadata=planned(plans.NODE))
    async def node(
        self, info: strawberry.Info, id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")]
    ) -> relay.Node | None:
        return (await lookup.fetch_by_global_ids(info, [id]))[0]

    @strawberry.field(
        description="Entities by global IDs (at most 100), in the order asked; null where missing.", metadata=planned(plans.NODES)
    )
    async def nodes(
        self,
        info: strawberry.Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs, of any types.")],
    ) -> list[relay.Node | None]:
        return await lookup.fetch_by_global_ids(info, ids)

    organization = entity_field(Organization, "An organization by global ID or slug.")
    organizations = filtered_list_field(
        Organization,
        lists.organizations,
        OrganizationFilter,
        OrganizationOrder,
        "Organizations, by name unless `orderBy` says otherwise.",
        plans.root_list(t.ORGANIZATION, filters.organization_where, BY_NAME, orderable=True),
    )
    office = entity_field(Office, "A UNODC office by global ID or slug.")
    offices = filtered_list_field(
        Office, lists.offices, OfficeFilter, None, "UNODC offices, by name.", plans.root_list(t.OFFICE, filters.office_where, BY_NAME, orderable=False)
    )
    governing_body = entity_field(GoverningBody, "A governing body by global ID or slug.")
    governing_bodies = filtered_list_field(
        GoverningBody,
        lists.governing_bodies,
        GoverningBodyFilter,
        None,
        "Governing bodies, by name.",
        plans.root_list(t.GOVERNING_BODY, filters.governing_body_where, BY_NAME, orderable=False),
    )
    instrument = entity_field(Instrument, "A convention or protocol by global ID or slug.")
    instruments = filtered_list_field(
        Instrument,
        lists.instruments,
        InstrumentFilter,
        None,
        "Conventions and protocols, by name.",
        plans.root_list(t.INSTRUMENT, filters.instrument_where, BY_NAME, orderable=False),
    )
    programme = entity_field(Programme, "A programme by global ID or slug.")
    programmes = filtered_list_field(
        Programme,
        lists.programmes,
        ProgrammeFilter,
        None,
        "Programmes, by name.",
        plans.root_list(t.PROGRAMME, filters.programme_where, BY_NAME, orderable=False),
    )
    event = entity_field(Event, "An event by global ID or slug.")
    events = filtered_list_field(
        Event,
        lists.events,
        EventFilter,
        EventOrder,
        "Events, earliest first unless `orderBy` says otherwise; events without known dates come last.",
        plans.root_list(t.EVENT, filters.event_where, BY_START_DATE, orderable=True),
    )
    application_call = entity_field(ApplicationCall, "A call for applications by global ID or slug.")
    application_calls = filtered_list_field(
        ApplicationCall,
        lists.application_calls,
        ApplicationCallFilter,
        None,
        "Calls for applications, by deadline.",
        plans.root_list(t.APPLICATION_CALL, filters.application_call_where, BY_CLOSING, orderable=False),
    )
    thematic_areas: list[ThematicArea] = strawberry.field(
        resolver=lists.thematic_areas,
        description="Every thematic area organizations work on, by name.",
        metadata=planned(plans.THEMATIC_AREA_LIST),
    )
