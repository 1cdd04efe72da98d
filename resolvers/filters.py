"""Filters of the root lists, turned into SQL conditions (Tortoise Q objects).

Conditions on related rows are subqueries (``id IN (SELECT ...)``), so the
list query never joins and never returns duplicates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.relay import GlobalID
from tortoise.expressions import Q, Subquery
from tortoise.models import Model

from models import (
    ApplicationCall,
    Event,
    EventDate,
    EventLanguage,
    EventOrganizer,
    GoverningBody,
    Instrument,
    Membership,
    Office,
    OfficeLocation,
    Organization,
    OrganizationLanguage,
    OrganizationThematicArea,
)
from models.dates import IN_FORCE_PERIOD, MEMBERSHIP_PERIOD, VALIDITY_PERIOD
from resolvers.errors import ClientError
from resolvers.lookup import parse_global_id, with_article
from resolvers.time import as_of_day
from domain.access import PUBLIC, Viewer, visible_organizations
from domain.countries import is_country_code
from queries.networks import MAX_DEPTH, Direction, reach
from domain.regions import countries_in
from queries.search import SearchQueryError, search_filter


def _values(items: list[Any] | None) -> list[Any] | None:
    return [getattr(item, "value", item) for item in items] if items else None


def _pk_from(value: str, type_name: str) -> int | None:
    """The primary key when ``value`` is a global ID of ``type_name``; None when it is a slug."""
    try:
        GlobalID.from_id(value)
    except Exception:  # noqa: BLE001 - anything that is not a global ID is taken as a slug
        return None
    return parse_global_id(value, type_name)[1]


def reference(column: str, model: type[Model], type_name: str, value: str) -> Q:
    """``column`` points at the entity named by a global ID or a slug."""
    pk = _pk_from(value, type_name)
    if pk is not None:
        return Q(**{column: pk})
    return Q(**{f"{column}__in": Subquery(model.filter(slug=value).values("id"))})


def _within(subquery_model: type[Model], key: str, *where: Q, **conditions: Any) -> Q:
    return Q(id__in=Subquery(subquery_model.filter(*where, **conditions).values(key)))


def _countries(codes: list[str]) -> list[str]:
    """Upper-cased ISO codes; ClientError naming any code that is not one."""
    normalized = [code.strip().upper() for code in codes]
    unknown = [code for code in normalized if not is_country_code(code)]
    if unknown:
        raise ClientError(f"Not ISO 3166-1 alpha-2 country codes: {', '.join(unknown)}.")
    return normalized


async def organization_conditions(filter: Any, viewer: Viewer = PUBLIC) -> Q:
    """Conditions of an OrganizationFilter (membership at depth > 1 costs one recursive query)."""
    if filter is None:
        return Q()
    conditions = []
    if kinds := _values(filter.kinds):
        conditions.append(Q(kind__in=kinds))
    if filter.countries:
        conditions.append(Q(country__in=_countries(filter.countries)))
    if filter.regions:
        countries = countries_in(filter.regions)
        if countries is None:
            raise ClientError(f"Unknown UN M49 area in {filter.regions}; use names like 'Eastern Africa' or codes like '014'.")
        conditions.append(Q(country__in=sorted(countries)))
    if statuses := _values(filter.ecosoc_statuses):
        conditions.append(Q(ecosoc_status__in=statuses))
    if filter.thematic_areas:
        conditions.append(_within(OrganizationThematicArea, "organization_id", thematic_area__slug__in=filter.thematic_areas))
    if languages := _values(filter.working_languages):
        conditions.append(_within(OrganizationLanguage, "organization_id", language__in=languages))
    if filter.verified is not None:
        conditions.append(Q(verified=filter.verified))
    if filter.member_of is not None:
        scope = filter.member_of
        conditions.append(await member_of(scope.network, scope.depth, as_of_day(scope.as_of), viewer))
    return Q(*conditions) if conditions else Q()


async def member_of(network: str, depth: int | None, as_of: date | None, viewer: Viewer) -> Q:
    """Members of a network on a day (every period for None): direct ones (a subquery) for depth 1,
    else through networks of networks. Memberships that may hold that day count.

    A network the viewer may not see has no members for them.
    """
    networks = _visible_organizations_named(network, viewer)
    if depth == 1:
        on_day = MEMBERSHIP_PERIOD.possible_q(as_of) if as_of is not None else Q()
        return _within(Membership, "member_id", on_day, network_id__in=networks)
    if depth is not None and not 1 <= depth <= MAX_DEPTH:
        raise ClientError(f"`depth` must be between 1 and {MAX_DEPTH}, or null for any depth; got {depth}.")
    starts = [row["id"] for row in await Organization.filter(id__in=networks).values("id")]
    reached = await reach(
        Direction.MEMBERS,
        starts,
        depth=depth or MAX_DEPTH,
        as_of=as_of,
        visible_only=not viewer.can_see_hidden_organizations,
    )
    member_ids = {hop.membership.member_id for hops in reached.values() for hop in hops}
    return Q(id__in=sorted(member_ids))


def _visible_organizations_named(value: str, viewer: Viewer) -> Subquery:
    """Ids of the organization named by a global ID or a slug, if the viewer may see it."""
    pk = _pk_from(value, "Organization")
    named = Q(id=pk) if pk is not None else Q(slug=value)
    return Subquery(Organization.filter(named, visible_organizations(viewer)).values("id"))


def _kind_and_parent(filter: Any, model: type[Model] | None = None, type_name: str = "") -> list[Q]:
    """The ``kinds`` condition, and the ``parent`` one when ``model`` has a parent of its own type."""
    conditions = []
    if kinds := _values(filter.kinds):
        conditions.append(Q(kind__in=kinds))
    if model is not None and filter.parent:
        conditions.append(reference("parent_id", model, type_name, filter.parent))
    return conditions


def office_conditions(filter: Any) -> Q:
    """Conditions of an OfficeFilter."""
    if filter is None:
        return Q()
    conditions = _kind_and_parent(filter, Office, "Office")
    day = as_of_day(filter.active_at)
    if filter.countries or (filter.active_at is not strawberry.UNSET and day is not None):
        located = VALIDITY_PERIOD.possible_q(day) if day is not None else Q()
        if filter.countries:
            located &= Q(country__in=_countries(filter.countries))
        conditions.append(Q(id__in=Subquery(OfficeLocation.filter(located).values("office_id"))))
    return Q(*conditions) if conditions else Q()


def open_calls(at: datetime) -> Subquery:
    """Calls for applications open at an instant: opened (or no opening known) and not yet closed."""
    if at.tzinfo is None:
        raise ClientError("`openForApplicationsAt` needs a UTC offset, e.g. 2023-02-01T12:00:00+01:00.")
    is_open = Q(Q(opens_at__isnull=True) | Q(opens_at__lte=at), Q(closes_at__isnull=True) | Q(closes_at__gt=at))
    return Subquery(ApplicationCall.filter(is_open).values("id"))


def event_conditions(filter: Any, viewer: Viewer = PUBLIC) -> Q:
    """Conditions of an EventFilter."""
    if filter is None:
        return Q()
    conditions = []
    if filter.date_from or filter.date_to:
        window = {}
        if filter.date_from:
            window["end_date__gte"] = filter.date_from
        if filter.date_to:
            window["start_date__lte"] = filter.date_to
        conditions.append(_within(EventDate, "event_id", **window))
    if kinds := _values(filter.kinds):
        conditions.append(Q(kind__in=kinds))
    if formats := _values(filter.formats):
        conditions.append(Q(format__in=formats))
    if languages := _values(filter.languages):
        conditions.append(_within(EventLanguage, "event_id", language__in=languages))
    if filter.governing_body:
        conditions.append(reference("governing_body_id", GoverningBody, "GoverningBody", filter.governing_body))
    if filter.instrument:
        conditions.append(reference("instrument_id", Instrument, "Instrument", filter.instrument))
    if filter.margins_of:
        conditions.append(reference("margins_of_id", Event, "Event", filter.margins_of))
    if filter.organizer:
        conditions.append(Q(id__in=Subquery(EventOrganizer.filter(_organizer(filter.organizer, viewer)).values("event_id"))))
    if filter.open_for_applications_at:
        conditions.append(Q(application_call_id__in=open_calls(filter.open_for_applications_at)))
    return Q(*conditions) if conditions else Q()


def _organizer(value: str, viewer: Viewer) -> Q:
    """Organizer rows of the organization (if the viewer may see it) or office named by ``value``."""
    try:
        type_name, pk = parse_global_id(value)
    except ClientError:
        return Q(organization_id__in=_visible_organizations_named(value, viewer)) | Q(
            office_id__in=Subquery(Office.filter(slug=value).values("id"))
        )
    if type_name == "Organization":
        return Q(organization_id__in=_visible_organizations_named(value, viewer))
    if type_name == "Office":
        return Q(office_id=pk)
    raise ClientError(f"An organizer is an Organization or an Office, not {with_article(type_name)}.")


async def search_conditions(entity_type: str, filter: Any, viewer: Viewer) -> Q:
    """The ``search`` of a filter as a condition on ids (one statement), or no condition."""
    text = getattr(filter, "search", None)
    if not text:
        return Q()
    try:
        return await search_filter(entity_type, text, viewer)
    except SearchQueryError as error:
        raise ClientError(str(error)) from error


def governing_body_conditions(filter: Any) -> Q:
    """Conditions of a GoverningBodyFilter (its search is applied by the caller)."""
    if filter is None:
        return Q()
    conditions = _kind_and_parent(filter, GoverningBody, "GoverningBody")
    return Q(*conditions) if conditions else Q()


def instrument_conditions(filter: Any) -> Q:
    """Conditions of an InstrumentFilter (its search is applied by the caller)."""
    if filter is None:
        return Q()
    conditions = _kind_and_parent(filter)
    if filter.in_force_at:
        conditions.append(Q(IN_FORCE_PERIOD.possible_q(filter.in_force_at), in_force_latest__isnull=False))
    return Q(*conditions) if conditions else Q()


def application_call_conditions(filter: Any) -> Q:
    """Conditions of an ApplicationCallFilter."""
    if filter is None or filter.open_at is None:
        return Q()
    return Q(id__in=open_calls(filter.open_at))
