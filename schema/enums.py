"""GraphQL enums, each value described for GraphiQL's documentation pane."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types.enum import EnumValue

from domain import access
from models import dates, enums


def describe(enum_cls: type[Enum], description: str, values: dict[str, str]) -> None:
    """Register a model enum with the schema and attach a description to every value."""
    missing = {member.name for member in enum_cls} - values.keys()
    if missing:
        raise ValueError(f"{enum_cls.__name__}: no description for {sorted(missing)}")
    wrapped = strawberry.enum(enum_cls, description=description)
    for value in wrapped.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[value.name]


OrganizationKind = enums.OrganizationKind
describe(
    OrganizationKind,
    "What kind of body an organization is. The first eight are the kinds of civil society UNODC names.",
    {
        "NGO": "Non-governmental organization.",
        "COMMUNITY_GROUP": "Community-based group.",
        "LABOUR_UNION": "Labour or trade union.",
        "INDIGENOUS_GROUP": "Organization of an indigenous people.",
        "CHARITABLE_ORGANIZATION": "Charity.",
        "FAITH_BASED_ORGANIZATION": "Organization founded on a religious faith.",
        "PROFESSIONAL_ASSOCIATION": "Association of members of a profession.",
        "FOUNDATION": "Grant-making or operating foundation.",
        "ACADEMIA": "University, research institute or academic network.",
        "PRIVATE_SECTOR": "Company or business association.",
        "UMBRELLA_NETWORK": "Coalition or network whose members are organizations (it can itself belong to networks).",
        "INTERGOVERNMENTAL_ORGANIZATION": "Body of states, e.g. a development bank. Never holds ECOSOC NGO status.",
    },
)

EcosocStatus = enums.EcosocStatus
describe(
    EcosocStatus,
    "Consultative status with ECOSOC under resolution 1996/31.",
    {
        "GENERAL": "General consultative status (formerly Category I).",
        "SPECIAL": "Special consultative status (formerly Category II).",
        "ROSTER": "Roster status.",
        "NONE": "Known to hold no consultative status.",
    },
)

MembershipType = enums.MembershipType
describe(
    MembershipType,
    "How an organization belongs to a network.",
    {
        "ORDINARY": "Full, voting member.",
        "EXTRAORDINARY": "Member without a vote.",
        "AFFILIATED": "Affiliated group in the network's wider circle.",
        "HONORARY": "Honorary member.",
        "FOUNDING": "Founding member.",
        "COMMITTEE_OF": "The organization is a committee of the network (e.g. a committee of CoNGO).",
        "MEMBER": "Member whose category (ordinary, extraordinary...) the source does not state.",
        "LISTED": (
            "Listed by the network (e.g. on a regional platform of the UNCAC Coalition), which is not a claim of "
            "membership."
        ),
    },
)

OfficeKind = enums.OfficeKind
describe(
    OfficeKind,
    "Place of a UNODC office in the organization chart.",
    {
        "HEADQUARTERS": "UNODC as a whole, at its Vienna headquarters.",
        "DIVISION": "Division of UNODC headquarters.",
        "OFFICE_OF_DIRECTOR": "Office of a division's director.",
        "BRANCH": "Branch of a division.",
        "SECTION": "Section of a branch or division.",
        "UNIT": "Unit, the smallest part of the chart.",
        "REGIONAL_OFFICE": "Field office covering a region.",
        "COUNTRY_OFFICE": "Field office covering one country.",
        "PROGRAMME_OFFICE": "Field office of a programme.",
        "LIAISON_OFFICE": "Liaison office (New York, Brussels).",
    },
)

PartnershipKind = enums.PartnershipKind
describe(
    PartnershipKind,
    "Nature of a partnership with a UNODC office.",
    {
        "COLLABORATION": "Working together, without a formal instrument.",
        "MOU": "Partnership under a memorandum of understanding.",
        "IMPLEMENTING_PARTNER": "The partner carries out a programme's activities.",
        "DONOR": "The partner funds the work.",
    },
)

GoverningBodyKind = enums.GoverningBodyKind
describe(
    GoverningBodyKind,
    "Kind of intergovernmental body.",
    {
        "FUNCTIONAL_COMMISSION": "Functional commission of ECOSOC (CND, CCPCJ).",
        "CONFERENCE_OF_PARTIES": "Conference of the parties to a convention.",
        "SUBSIDIARY_BODY": "Body working under another, e.g. a working group or review group.",
        "AD_HOC_COMMITTEE": "Committee set up for one task, e.g. drafting a convention.",
        "TREATY_BODY": "Body created by a treaty, e.g. the INCB.",
        "CONGRESS": "The UN Crime Congress.",
    },
)

NgoAdmissionRule = enums.NgoAdmissionRule
describe(
    NgoAdmissionRule,
    "Which non-governmental organizations a governing body admits.",
    {
        "ECOSOC_ONLY": "Only organizations in consultative status with ECOSOC.",
        "RULE_17": "ECOSOC organizations, and other relevant ones unless a state objects (rule 17).",
        "ANY": "Any organization, whatever its status.",
        "BRIEFING_ONLY": "Not admitted as observers, but briefed in a separate meeting.",
    },
)

InstrumentKind = enums.InstrumentKind
describe(
    InstrumentKind,
    "Kind of legal instrument.",
    {"CONVENTION": "A convention.", "PROTOCOL": "A protocol supplementing a convention."},
)

EventKind = enums.EventKind
describe(
    EventKind,
    "What happens at an event.",
    {
        "SESSION": "Numbered session of a governing body.",
        "INTERSESSIONAL_CONSULTATION": "Consultation between sessions, often with stakeholders.",
        "WORKING_GROUP_MEETING": "Meeting of a working group.",
        "SIDE_EVENT": "Event beside a session.",
        "SPECIAL_EVENT": "Special event of a governing body.",
        "INFORMAL_DIALOGUE": "Informal dialogue between civil society and officials.",
        "NGO_BRIEFING": "Briefing for non-governmental organizations.",
        "CONSTRUCTIVE_DIALOGUE": "Dialogue of stakeholders and states parties under the UNTOC review mechanism.",
        "WORKSHOP": "Workshop.",
        "TRAINING": "Training.",
        "SELF_PACED_COURSE": "Course taken at one's own pace.",
        "LAUNCH": "Launch of a product, report or platform.",
        "PRESENTATION": "Presentation.",
    },
)

EventFormat = enums.EventFormat
describe(
    EventFormat,
    "How participants attend an event.",
    {
        "IN_PERSON": "On site only.",
        "ONLINE": "Online only.",
        "HYBRID": "On site and online.",
        "SELF_PACED": "Online, at the participant's own pace.",
    },
)

Language = enums.Language
describe(
    Language,
    "An official language of the United Nations (ISO 639-1 code, upper case). Inputs also accept SP for ES.",
    {"AR": "Arabic.", "EN": "English.", "FR": "French.", "ES": "Spanish.", "RU": "Russian.", "ZH": "Chinese."},
)
for _alias, _language in enums.LANGUAGE_ALIASES.items():
    # Inputs read the alias as its language; outputs always say the language's own code (the first name of a value).
    Language.__strawberry_definition__.values.append(  # type: ignore[attr-defined]
        EnumValue(
            name=_alias,
            value=_language.value,
            deprecation_reason=f"Write {_language.value}; {_alias} is read as {_language.value} and never returned.",
            description=f"{_language.name.title()} as some UNODC pages write it; read as {_language.value}.",
        )
    )

OrganizerRole = enums.OrganizerRole
describe(
    OrganizerRole,
    "Part an organizer plays in an event.",
    {
        "LEAD": "Lead organizer.",
        "CO_ORGANIZER": "Co-organizer.",
        "IN_COOPERATION_WITH": "Organized in cooperation with this party.",
        "SPONSOR": "Sponsor.",
        "SECRETARIAT": "Secretariat of the meeting.",
        "MODERATOR": "Moderator of the meeting.",
    },
)

ParticipationRole = enums.ParticipationRole
describe(
    ParticipationRole,
    "Part an organization plays at an event it takes part in.",
    {
        "OBSERVER": "Accredited observer.",
        "ATTENDEE": "Attendee.",
        "SPEAKER": "Speaker.",
        "PANELLIST": "Panellist.",
        "IMPLEMENTING_PARTNER": "Carries out the event with the organizers.",
    },
)

DatePrecision = dates.DatePrecision
describe(
    DatePrecision,
    "The unit a source states a date in.",
    {
        "DAY": "Known to the day (or to a window of days, e.g. some day from 13 to 17 March 2023).",
        "MONTH": "Known to the month only (or to a window of months).",
        "YEAR": "Known to the year only (or to a window of years, e.g. 2010-11).",
    },
)

Certainty = dates.Certainty
describe(
    Certainty,
    "How sure an answer for a day is (see README, Time).",
    {
        "CERTAIN": "It certainly holds on that day.",
        "UNCERTAIN": (
            "It may hold on that day: the day falls within the imprecision of a start or an end "
            "(e.g. a membership known to end in 2011, asked about a day in 2011), or before the day its start "
            "is known by."
        ),
    },
)

Role = access.Role
describe(
    Role,
    "What a caller may see and change (README: Changing the directory).",
    {
        "PUBLIC": "Anonymous: the public directory, without personal data, hidden or archived entries.",
        "COALITION": "A coalition's key: also its own network's hidden members and their personal data; writes its "
        "network's member list and its members' focal points.",
        "STAFF": "UNODC staff: reads everything, the audit log too; writes nothing.",
        "ADMIN": "Administrators: read and write everything.",
    },
)
