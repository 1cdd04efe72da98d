"""The loaders of one request, created on first use."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any

from aiodataloader import DataLoader

from loaders.batch import MAX_BATCH, by_date_nulls_first, many_by, one_by
from loaders.networks import NetworkLoaders
from models import (
    ApplicationCall,
    Event,
    EventDate,
    EventLanguage,
    EventOrganizer,
    FocalPoint,
    GoverningBody,
    Instrument,
    Membership,
    Office,
    OfficeLocation,
    OfficeName,
    Organization,
    OrganizationLanguage,
    OrganizationName,
    OrganizationThematicArea,
    Participation,
    Partnership,
    Programme,
)
from domain.access import Viewer, visible_organizations


class Loaders:
    """One DataLoader per relationship, named ``<targets>_by_<key>``.

    Organizations are loaded only through ``organization_by_id`` and
    ``organization_by_slug``, which apply the viewer's visibility: a link row
    whose organization comes back None is dropped by the resolver.
    """

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self._pages: dict[tuple[str, str], DataLoader] = {}

    def pages(self, relationship: str, arguments: str, load: Callable[[list[Any]], Awaitable[list[Any]]]) -> DataLoader:
        """The loader of pages of one relationship for one set of arguments (filter, order, page).

        Parents asking for the same page of the same relationship share it, so
        a list of parents costs one batched statement.
        """
        key = (relationship, arguments)
        if key not in self._pages:
            self._pages[key] = DataLoader(load, max_batch_size=MAX_BATCH)
        return self._pages[key]

    # Organizations -------------------------------------------------------
    @cached_property
    def organization_by_id(self) -> DataLoader:
        return one_by(Organization, "id", visible_organizations(self.viewer))

    @cached_property
    def organization_by_slug(self) -> DataLoader:
        return one_by(Organization, "slug", visible_organizations(self.viewer))

    @cached_property
    def former_names_by_organization_id(self) -> DataLoader:
        return many_by(OrganizationName, "organization_id", sort_key=by_date_nulls_first("valid_from_earliest"))

    @cached_property
    def memberships_by_member_id(self) -> DataLoader:
        return many_by(Membership, "member_id")

    @cached_property
    def memberships_by_network_id(self) -> DataLoader:
        return many_by(Membership, "network_id")

    @cached_property
    def networks(self) -> NetworkLoaders:
        """Memberships through networks of networks, and link rows by id (loaders/networks.py)."""
        return NetworkLoaders(self.viewer)

    @cached_property
    def thematic_area_links_by_organization_id(self) -> DataLoader:
        return many_by(OrganizationThematicArea, "organization_id", related=("thematic_area",))

    @cached_property
    def language_links_by_organization_id(self) -> DataLoader:
        return many_by(OrganizationLanguage, "organization_id")

    @cached_property
    def partnerships_by_partner_organization_id(self) -> DataLoader:
        return many_by(Partnership, "partner_organization_id")

    @cached_property
    def organizer_roles_by_organization_id(self) -> DataLoader:
        return many_by(EventOrganizer, "organization_id")

    @cached_property
    def participations_by_organization_id(self) -> DataLoader:
        return many_by(Participation, "organization_id")

    @cached_property
    def focal_points_by_organization_id(self) -> DataLoader:
        return many_by(FocalPoint, "organization_id")

    # Offices -------------------------------------------------------------
    @cached_property
    def office_by_id(self) -> DataLoader:
        return one_by(Office, "id")

    @cached_property
    def office_by_slug(self) -> DataLoader:
        return one_by(Office, "slug")

    @cached_property
    def former_names_by_office_id(self) -> DataLoader:
        return many_by(OfficeName, "office_id", sort_key=by_date_nulls_first("valid_from_earliest"))

    @cached_property
    def offices_by_parent_id(self) -> DataLoader:
        return many_by(Office, "parent_id", order=("name", "id"))

    @cached_property
    def locations_by_office_id(self) -> DataLoader:
        return many_by(OfficeLocation, "office_id", sort_key=by_date_nulls_first("valid_from_earliest"))

    @cached_property
    def partnerships_by_office_id(self) -> DataLoader:
        return many_by(Partnership, "office_id")

    @cached_property
    def partnerships_by_partner_office_id(self) -> DataLoader:
        return many_by(Partnership, "partner_office_id")

    @cached_property
    def organizer_roles_by_office_id(self) -> DataLoader:
        return many_by(EventOrganizer, "office_id")

    @cached_property
    def programmes_by_office_id(self) -> DataLoader:
        return many_by(Programme, "office_id", order=("name", "id"))

    @cached_property
    def governing_bodies_by_secretariat_id(self) -> DataLoader:
        return many_by(GoverningBody, "secretariat_id", order=("name", "id"))

    # Governing bodies, instruments, programmes ---------------------------
    @cached_property
    def governing_body_by_id(self) -> DataLoader:
        return one_by(GoverningBody, "id")

    @cached_property
    def governing_body_by_slug(self) -> DataLoader:
        return one_by(GoverningBody, "slug")

    @cached_property
    def governing_bodies_by_parent_id(self) -> DataLoader:
        return many_by(GoverningBody, "parent_id", order=("name", "id"))

    @cached_property
    def governing_bodies_by_instrument_id(self) -> DataLoader:
        return many_by(GoverningBody, "instrument_id", order=("name", "id"))

    @cached_property
    def instrument_by_id(self) -> DataLoader:
        return one_by(Instrument, "id")

    @cached_property
    def instrument_by_slug(self) -> DataLoader:
        return one_by(Instrument, "slug")

    @cached_property
    def instruments_by_parent_id(self) -> DataLoader:
        return many_by(Instrument, "parent_id", order=("name", "id"))

    @cached_property
    def programme_by_id(self) -> DataLoader:
        return one_by(Programme, "id")

    @cached_property
    def programme_by_slug(self) -> DataLoader:
        return one_by(Programme, "slug")

    @cached_property
    def partnerships_by_programme_id(self) -> DataLoader:
        return many_by(Partnership, "programme_id")

    # Events --------------------------------------------------------------
    @cached_property
    def event_by_id(self) -> DataLoader:
        return one_by(Event, "id")

    @cached_property
    def event_by_slug(self) -> DataLoader:
        return one_by(Event, "slug")

    @cached_property
    def dates_by_event_id(self) -> DataLoader:
        return many_by(EventDate, "event_id", order=("start_date", "id"))

    @cached_property
    def language_links_by_event_id(self) -> DataLoader:
        return many_by(EventLanguage, "event_id")

    @cached_property
    def organizers_by_event_id(self) -> DataLoader:
        return many_by(EventOrganizer, "event_id")

    @cached_property
    def participations_by_event_id(self) -> DataLoader:
        return many_by(Participation, "event_id")

    @cached_property
    def application_call_by_id(self) -> DataLoader:
        return one_by(ApplicationCall, "id")

    @cached_property
    def application_call_by_slug(self) -> DataLoader:
        return one_by(ApplicationCall, "slug")

