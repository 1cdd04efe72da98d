"""Enumerations shared by the database models and the GraphQL schema.

Values are stored as their string value, so renaming a Python member is a
schema change while reordering members is not.
"""

from enum import Enum


class OrganizationKind(str, Enum):
    """What kind of body an organization is."""

    NGO = "NGO"
    COMMUNITY_GROUP = "COMMUNITY_GROUP"
    LABOUR_UNION = "LABOUR_UNION"
    INDIGENOUS_GROUP = "INDIGENOUS_GROUP"
    CHARITABLE_ORGANIZATION = "CHARITABLE_ORGANIZATION"
    FAITH_BASED_ORGANIZATION = "FAITH_BASED_ORGANIZATION"
    PROFESSIONAL_ASSOCIATION = "PROFESSIONAL_ASSOCIATION"
    FOUNDATION = "FOUNDATION"
    ACADEMIA = "ACADEMIA"
    PRIVATE_SECTOR = "PRIVATE_SECTOR"
    UMBRELLA_NETWORK = "UMBRELLA_NETWORK"
    INTERGOVERNMENTAL_ORGANIZATION = "INTERGOVERNMENTAL_ORGANIZATION"


class EcosocStatus(str, Enum):
    """Consultative status with the UN Economic and Social Council (res. 1996/31)."""

    GENERAL = "GENERAL"
    SPECIAL = "SPECIAL"
    ROSTER = "ROSTER"
    NONE = "NONE"


class MembershipType(str, Enum):
    """How an organization belongs to a network.

    ``MEMBER`` is a member whose category the source does not state; ``LISTED``
    is an organization a network lists (e.g. on a regional platform), which is
    not a claim of membership.
    """

    ORDINARY = "ORDINARY"
    EXTRAORDINARY = "EXTRAORDINARY"
    AFFILIATED = "AFFILIATED"
    HONORARY = "HONORARY"
    FOUNDING = "FOUNDING"
    COMMITTEE_OF = "COMMITTEE_OF"
    MEMBER = "MEMBER"
    LISTED = "LISTED"


class OfficeKind(str, Enum):
    """Place of a UNODC office in the organization chart."""

    HEADQUARTERS = "HEADQUARTERS"
    DIVISION = "DIVISION"
    OFFICE_OF_DIRECTOR = "OFFICE_OF_DIRECTOR"
    BRANCH = "BRANCH"
    SECTION = "SECTION"
    UNIT = "UNIT"
    REGIONAL_OFFICE = "REGIONAL_OFFICE"
    COUNTRY_OFFICE = "COUNTRY_OFFICE"
    PROGRAMME_OFFICE = "PROGRAMME_OFFICE"
    LIAISON_OFFICE = "LIAISON_OFFICE"


class PartnershipKind(str, Enum):
    """Nature of a partnership with a UNODC office."""

    COLLABORATION = "COLLABORATION"
    MOU = "MOU"
    IMPLEMENTING_PARTNER = "IMPLEMENTING_PARTNER"
    DONOR = "DONOR"


class GoverningBodyKind(str, Enum):
    """Kind of intergovernmental body."""

    FUNCTIONAL_COMMISSION = "FUNCTIONAL_COMMISSION"
    CONFERENCE_OF_PARTIES = "CONFERENCE_OF_PARTIES"
    SUBSIDIARY_BODY = "SUBSIDIARY_BODY"
    AD_HOC_COMMITTEE = "AD_HOC_COMMITTEE"
    TREATY_BODY = "TREATY_BODY"
    CONGRESS = "CONGRESS"


class NgoAdmissionRule(str, Enum):
    """Which non-governmental organizations a governing body admits."""

    ECOSOC_ONLY = "ECOSOC_ONLY"
    RULE_17 = "RULE_17"
    ANY = "ANY"
    BRIEFING_ONLY = "BRIEFING_ONLY"


class InstrumentKind(str, Enum):
    """Kind of legal instrument."""

    CONVENTION = "CONVENTION"
    PROTOCOL = "PROTOCOL"


class EventKind(str, Enum):
    """What happens at an event."""

    SESSION = "SESSION"
    INTERSESSIONAL_CONSULTATION = "INTERSESSIONAL_CONSULTATION"
    WORKING_GROUP_MEETING = "WORKING_GROUP_MEETING"
    SIDE_EVENT = "SIDE_EVENT"
    SPECIAL_EVENT = "SPECIAL_EVENT"
    INFORMAL_DIALOGUE = "INFORMAL_DIALOGUE"
    NGO_BRIEFING = "NGO_BRIEFING"
    CONSTRUCTIVE_DIALOGUE = "CONSTRUCTIVE_DIALOGUE"
    WORKSHOP = "WORKSHOP"
    TRAINING = "TRAINING"
    SELF_PACED_COURSE = "SELF_PACED_COURSE"
    LAUNCH = "LAUNCH"
    PRESENTATION = "PRESENTATION"


class EventFormat(str, Enum):
    """How participants attend an event."""

    IN_PERSON = "IN_PERSON"
    ONLINE = "ONLINE"
    HYBRID = "HYBRID"
    SELF_PACED = "SELF_PACED"


class Language(str, Enum):
    """The six official languages of the United Nations."""

    AR = "AR"
    EN = "EN"
    FR = "FR"
    ES = "ES"
    RU = "RU"
    ZH = "ZH"


LANGUAGE_ALIASES = {"SP": Language.ES}
"""Spellings found in source pages that stand for an official language code."""


class OrganizerRole(str, Enum):
    """Part an organizer plays in an event."""

    LEAD = "LEAD"
    CO_ORGANIZER = "CO_ORGANIZER"
    IN_COOPERATION_WITH = "IN_COOPERATION_WITH"
    SPONSOR = "SPONSOR"
    SECRETARIAT = "SECRETARIAT"
    MODERATOR = "MODERATOR"


class ParticipationRole(str, Enum):
    """Part an organization plays at an event it takes part in."""

    OBSERVER = "OBSERVER"
    ATTENDEE = "ATTENDEE"
    SPEAKER = "SPEAKER"
    PANELLIST = "PANELLIST"
    IMPLEMENTING_PARTNER = "IMPLEMENTING_PARTNER"


class KeyRole(str, Enum):
    """What an API key may do (``domain.access.Role``: anonymous callers have no key)."""

    COALITION = "COALITION"
    STAFF = "STAFF"
    ADMIN = "ADMIN"
