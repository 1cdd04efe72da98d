"""Tortoise ORM models of the partner directory (app label ``models``)."""

from models.event import ApplicationCall, Event, EventDate, EventLanguage, EventOrganizer, Participation
from models.governance import GoverningBody, Instrument, Programme
from models.identity import ApiKey, AuditEntry
from models.names import OfficeName, OrganizationName
from models.office import Office, OfficeLocation, Partnership
from models.organization import (
    FocalPoint,
    Membership,
    Organization,
    OrganizationLanguage,
    OrganizationThematicArea,
    ThematicArea,
)
from models.search import SearchDocument as SearchDocument

__all__ = [
    "ApiKey",
    "ApplicationCall",
    "AuditEntry",
    "Event",
    "EventDate",
    "EventLanguage",
    "EventOrganizer",
    "FocalPoint",
    "GoverningBody",
    "Instrument",
    "Membership",
    "Office",
    "OfficeLocation",
    "OfficeName",
    "Organization",
    "OrganizationLanguage",
    "OrganizationName",
    "OrganizationThematicArea",
    "Participation",
    "Partnership",
    "Programme",
    "ThematicArea",
]
