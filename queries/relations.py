"""Every relation the directory reads, by name: the one list both read paths import.

A relation is the rows of a table whose key column holds the key of a parent
(``queries.batch``). The resolvers load them through ``loaders``, the read
plans fetch them directly; both name a relation by importing it from here.
"""

from __future__ import annotations

from models.dates import MEMBERSHIP_PERIOD
from queries import tables as t
from queries.batch import Relation
from queries.pages import BY_ID, BY_NAME, Ordering, SortKey

BY_START = Ordering("start", (SortKey("start_date", kind="date"),))
"""Event date ranges, earliest first."""
BY_FIRST_KNOWN = Ordering("known", (SortKey("valid_from_earliest", nullable=True, kind="date"),))
"""Dated periods by the earliest day they can start; open starts (``[..X]``) and unknown ones last."""

# ------- entities by id and by slug -------

ORGANIZATION_BY_ID = Relation("organization by id", t.ORGANIZATION, "id")
ORGANIZATION_BY_SLUG = Relation("organization by slug", t.ORGANIZATION, "slug")
OFFICE_BY_ID = Relation("office by id", t.OFFICE, "id")
OFFICE_BY_SLUG = Relation("office by slug", t.OFFICE, "slug")
GOVERNING_BODY_BY_ID = Relation("governing body by id", t.GOVERNING_BODY, "id")
GOVERNING_BODY_BY_SLUG = Relation("governing body by slug", t.GOVERNING_BODY, "slug")
INSTRUMENT_BY_ID = Relation("instrument by id", t.INSTRUMENT, "id")
INSTRUMENT_BY_SLUG = Relation("instrument by slug", t.INSTRUMENT, "slug")
PROGRAMME_BY_ID = Relation("programme by id", t.PROGRAMME, "id")
PROGRAMME_BY_SLUG = Relation("programme by slug", t.PROGRAMME, "slug")
EVENT_BY_ID = Relation("event by id", t.EVENT, "id")
EVENT_BY_SLUG = Relation("event by slug", t.EVENT, "slug")
APPLICATION_CALL_BY_ID = Relation("application call by id", t.APPLICATION_CALL, "id")
APPLICATION_CALL_BY_SLUG = Relation("application call by slug", t.APPLICATION_CALL, "slug")
MEMBERSHIP_BY_ID = Relation("membership by id", t.MEMBERSHIP, "id")
PARTNERSHIP_BY_ID = Relation("partnership by id", t.PARTNERSHIP, "id")
THEMATIC_AREA_BY_ID = Relation("thematic area by id", t.THEMATIC_AREA, "id")

# ------- small lists of an entity (plain lists, bounded by nature) -------

DATES_OF_EVENT = Relation("dates of an event", t.EVENT_DATE, "event_id", BY_START)
LANGUAGES_OF_EVENT = Relation("languages of an event", t.EVENT_LANGUAGE, "event_id")
LANGUAGES_OF_ORGANIZATION = Relation("working languages of an organization", t.ORGANIZATION_LANGUAGE, "organization_id")
THEMATIC_AREAS_OF_ORGANIZATION = Relation(
    "thematic areas of an organization", t.ORGANIZATION_THEMATIC_AREA, "organization_id"
)
LOCATIONS_OF_OFFICE = Relation("locations of an office", t.OFFICE_LOCATION, "office_id", BY_FIRST_KNOWN)
FORMER_NAMES_OF_OFFICE = Relation("former names of an office", t.OFFICE_NAME, "office_id", BY_FIRST_KNOWN)
FORMER_NAMES_OF_ORGANIZATION = Relation(
    "former names of an organization", t.ORGANIZATION_NAME, "organization_id", BY_FIRST_KNOWN
)

# ------- relations that grow with the data (connections, paged per parent) -------

MEMBERS_OF_NETWORK = Relation("direct members of a network", t.MEMBERSHIP, "network_id", BY_ID, MEMBERSHIP_PERIOD)
NETWORKS_OF_ORGANIZATION = Relation(
    "networks an organization belongs to directly", t.MEMBERSHIP, "member_id", BY_ID, MEMBERSHIP_PERIOD
)
PARTNERSHIPS_OF_ORGANIZATION = Relation(
    "partnerships with an organization", t.PARTNERSHIP, "partner_organization_id", BY_ID, MEMBERSHIP_PERIOD
)
PARTNERSHIPS_OF_OFFICE = Relation("partnerships of an office", t.PARTNERSHIP, "office_id", BY_ID, MEMBERSHIP_PERIOD)
PARTNERSHIPS_WITH_OFFICE = Relation(
    "partnerships of other offices with an office", t.PARTNERSHIP, "partner_office_id", BY_ID, MEMBERSHIP_PERIOD
)
PARTNERSHIPS_OF_PROGRAMME = Relation(
    "partnerships under a programme", t.PARTNERSHIP, "programme_id", BY_ID, MEMBERSHIP_PERIOD
)
ORGANIZERS_OF_EVENT = Relation("organizers of an event", t.EVENT_ORGANIZER, "event_id")
EVENTS_ORGANIZED_BY_ORGANIZATION = Relation("events an organization organizes", t.EVENT_ORGANIZER, "organization_id")
EVENTS_ORGANIZED_BY_OFFICE = Relation("events an office organizes", t.EVENT_ORGANIZER, "office_id")
PARTICIPANTS_OF_EVENT = Relation("participants of an event", t.PARTICIPATION, "event_id")
PARTICIPATIONS_OF_ORGANIZATION = Relation("participations of an organization", t.PARTICIPATION, "organization_id")
FOCAL_POINTS_OF_ORGANIZATION = Relation("focal points of an organization", t.FOCAL_POINT, "organization_id")
CHILDREN_OF_OFFICE = Relation("offices within an office", t.OFFICE, "parent_id", BY_NAME)
PROGRAMMES_OF_OFFICE = Relation("programmes an office runs", t.PROGRAMME, "office_id", BY_NAME)
BODIES_SERVED_BY_OFFICE = Relation("governing bodies an office serves", t.GOVERNING_BODY, "secretariat_id", BY_NAME)
SUBSIDIARY_BODIES = Relation("bodies reporting to a body", t.GOVERNING_BODY, "parent_id", BY_NAME)
BODIES_OF_INSTRUMENT = Relation("bodies serving an instrument", t.GOVERNING_BODY, "instrument_id", BY_NAME)
PROTOCOLS_OF_INSTRUMENT = Relation("protocols supplementing a convention", t.INSTRUMENT, "parent_id", BY_NAME)
SIDE_EVENTS = Relation("events in the margins of an event", t.EVENT, "margins_of_id")
EVENTS_OF_BODY = Relation("events of a governing body", t.EVENT, "governing_body_id")
EVENTS_OF_INSTRUMENT = Relation("events about an instrument", t.EVENT, "instrument_id")
EVENTS_OF_PROGRAMME = Relation("events of a programme", t.EVENT, "programme_id")
EVENTS_OF_CALL = Relation("events a call covers", t.EVENT, "application_call_id")
