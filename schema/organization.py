"""Organizations, the networks they form, and their focal points."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import models
from domain.ids import global_id
from models.dates import read_partial_date
from plan import fields as plans
from queries import relations as r
from queries.networks import Direction, ReachedMembership
from resolvers import lists
from resolvers import organizations as resolve
from resolvers.arguments import AfterArg, BeforeArg, FirstArg, LastArg
from resolvers.lookup import fetch_reference
from resolvers.networks import (
    DepthArg,
    members_of,
    membership_certainty,
    membership_distance,
    membership_path,
    networks_of,
)
from resolvers.time import AsOfListArg
from schema.country import COUNTRY, Country, country_of
from schema.dates import date_columns, partial_date_field, year_of
from schema.enums import Certainty, EcosocStatus, Language, MembershipType, OrganizationKind
from schema.fields import (
    archived_at_field,
    dated_relation_field,
    one_field,
    planned,
    reads,
    relation_field,
    version_field,
)
from schema.filters import OrganizationFilter
from schema.names import dated_name_field, former_names_field
from schema.node import DirectoryNode
from schema.pagination import Connection

if TYPE_CHECKING:
    from schema.event import EventOrganizer, Participation
    from schema.office import Partnership

EventOrganizerRef = Annotated["EventOrganizer", strawberry.lazy("schema.event")]
ParticipationRef = Annotated["Participation", strawberry.lazy("schema.event")]
PartnershipRef = Annotated["Partnership", strawberry.lazy("schema.office")]


@strawberry.type(description="A subject organizations work on, e.g. corruption or drug demand reduction.")
class ThematicArea:
    slug: str = strawberry.field(description="Stable identifier, e.g. `anti-corruption`.")
    name: str = strawberry.field(description="Name of the area.")

    @strawberry.field(description="Organizations working on this area, by name.")
    async def organizations(
        self,
        root: strawberry.Parent[models.ThematicArea],
        info: strawberry.Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Organization]:
        page = await lists.organizations(
            info,
            filter=OrganizationFilter(thematic_areas=[root.slug]),
            first=first,
            after=after,
            last=last,
            before=before,
        )
        return Connection(page=page)

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.ThematicArea)


@strawberry.type(description="A person who speaks for an organization. Personal data: only UNODC staff may read it.")
class FocalPoint:
    @strawberry.field(description="Global ID, named by `focalPointUpdate` and `focalPointArchive`.", metadata=reads("id"))
    def id(self, root: strawberry.Parent[models.FocalPoint]) -> strawberry.ID:
        return strawberry.ID(global_id("FocalPoint", root.id))

    version: int = version_field()
    archived_at: datetime | None = archived_at_field()
    name: str = strawberry.field(description="Full name.")
    title: str | None = strawberry.field(description="Position in the organization.")
    email: str | None = strawberry.field(description="E-mail address.")
    phone: str | None = strawberry.field(description="Telephone number.")

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.FocalPoint)


@strawberry.federation.type(
    keys=["id", "slug"],
    description=(
        "A civil society organization (NGO, community group, union, foundation...), an umbrella network of "
        "organizations, or an intergovernmental partner."
    ),
)
class Organization(DirectoryNode):
    model = models.Organization
    id: relay.NodeID[int]
    version: int = version_field()
    archived_at: datetime | None = archived_at_field()
    slug: str = strawberry.field(description="Stable, URL-safe identifier, e.g. `uncac-coalition`.")

    name: str = strawberry.field(description="Official name today; `datedName` gives the name on another day.")
    dated_name = dated_name_field(r.FORMER_NAMES_OF_ORGANIZATION)
    former_names = former_names_field(r.FORMER_NAMES_OF_ORGANIZATION, "organization")
    acronym: str | None = strawberry.field(description="Short name, e.g. VNGOC.")
    aliases: list[str] = strawberry.field(description="Other names and spellings found in sources.")
    kind: OrganizationKind | None = strawberry.field(description="What kind of body this is; null when no source says.")
    city: str | None = strawberry.field(description="City of the headquarters.")
    website: str | None = strawberry.field(description="Web address.")
    founded = partial_date_field(
        "founded", "When the organization was founded, as precise as the source; null when unknown."
    )

    @strawberry.field(
        description="Year the organization was founded; null when unknown or known only to a window of years.",
        deprecation_reason="Use `founded`, which says how precise the date is.",
        metadata=date_columns("founded"),
    )
    def year_founded(self, root: strawberry.Parent[models.Organization]) -> int | None:
        return year_of(read_partial_date(root, "founded"))

    ecosoc_status: EcosocStatus | None = strawberry.field(
        description="Consultative status with ECOSOC; null when unknown."
    )
    ecosoc_since: int | None = strawberry.field(description="Year the current ECOSOC status was granted.")
    description: str | None = strawberry.field(description="What the organization does.")
    source: str | None = strawberry.field(description="Where the facts come from (URL or citation).")
    verified: bool = strawberry.field(description="Whether the facts were checked against the source.")

    @strawberry.field(description="Country of the headquarters.", metadata=planned(COUNTRY))
    def country(self, root: strawberry.Parent[models.Organization]) -> Country | None:
        return country_of(root.country)

    thematic_areas: list[ThematicArea] = strawberry.field(  # type: ignore[assignment]  # resolver returns model rows, which the GraphQL type reads
        metadata=planned(plans.THEMATIC_AREAS),
        resolver=resolve.thematic_areas,
        description="Subjects the organization works on, by name.",
    )
    working_languages: list[Language] = strawberry.field(
        metadata=planned(plans.WORKING_LANGUAGES),
        resolver=resolve.working_languages,
        description="Languages the organization works in.",
    )

    @strawberry.field(
        description=(
            "Memberships of this organization in networks that may hold on `asOf` (today when omitted; every period "
            "with `asOf: null`), each with its `certainty`. With `depth` above 1, also the networks those networks "
            "belong to, and so on: each network reached appears once, at its shortest `distance`, with the "
            "membership of the last step and the `path` to it. Every direct membership is listed, one per period. "
            "Nearest first, then in the order they were recorded."
        ),
        metadata=planned(plans.walk(Direction.NETWORKS)),
    )
    async def networks(
        self,
        root: strawberry.Parent[models.Organization],
        info: strawberry.Info,
        depth: DepthArg = 1,
        as_of: AsOfListArg = strawberry.UNSET,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Membership]:
        return Connection(page=await networks_of(root, info, depth, as_of, first, after, last, before))

    @strawberry.field(
        description=(
            "Memberships of other organizations in this network that may hold on `asOf` (today when omitted; every "
            "period with `asOf: null`), each with its `certainty`. With `depth` above 1, also the members of member "
            "networks, and so on: each organization reached appears once, at its shortest `distance`, with the "
            "membership of the last step and the `path` to it. Every direct membership is listed, one per period. "
            "Nearest first, then in the order they were recorded."
        ),
        metadata=planned(plans.walk(Direction.MEMBERS)),
    )
    async def members(
        self,
        root: strawberry.Parent[models.Organization],
        info: strawberry.Info,
        depth: DepthArg = 1,
        as_of: AsOfListArg = strawberry.UNSET,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Membership]:
        return Connection(page=await members_of(root, info, depth, as_of, first, after, last, before))

    partnerships = dated_relation_field(
        PartnershipRef,
        r.PARTNERSHIPS_OF_ORGANIZATION,
        "Partnerships of UNODC offices with this organization that may hold on `asOf` (today when omitted; every "
        "period with `asOf: null`), each with its `certainty`.",
    )
    organized_events = relation_field(
        EventOrganizerRef,
        r.EVENTS_ORGANIZED_BY_ORGANIZATION,
        "Events this organization organizes, with its role in each.",
    )
    participations = relation_field(
        ParticipationRef,
        r.PARTICIPATIONS_OF_ORGANIZATION,
        "Events this organization takes part in, with its role in each.",
    )

    @strawberry.field(
        description=(
            "People who speak for the organization: personal data. Null, with a FORBIDDEN error, unless the caller "
            "is UNODC staff or the coalition whose network the organization belongs to (at any depth)."
        ),
        metadata=planned(plans.FOCAL_POINTS),
    )
    async def focal_points(
        self,
        root: strawberry.Parent[models.Organization],
        info: strawberry.Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[FocalPoint] | None:
        page = await resolve.focal_points(root, info, {"first": first, "after": after, "last": last, "before": before})
        return Connection(page=page)

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, **key: str) -> models.Organization | None:
        return await fetch_reference(info, "Organization", key)


@strawberry.type(
    description=(
        "An organization belonging to a network, itself an organization, for a period. Reached through "
        "`members` or `networks` with a `depth`, it is the last step of a chain of memberships."
    )
)
class Membership:
    type: MembershipType = strawberry.field(description="How the member belongs to the network.")
    since = partial_date_field("since", "First day of membership, as precise as the source; null when unknown.")
    until = partial_date_field(
        "until", "Last day of membership, as precise as the source; null while it lasts (as far as the sources say)."
    )
    certainty: Certainty | None = strawberry.field(
        resolver=membership_certainty,
        metadata=reads(),
        description=(
            "How sure it is that the membership (through every step of `path`) held on the day the list was asked "
            "for; null when listed for every period (`asOf: null`) or read outside `members`/`networks`."
        ),
    )
    source: str | None = strawberry.field(description="Where the fact comes from.")
    member: Organization | None = one_field(r.ORGANIZATION_BY_ID, "member_id", "The organization that belongs.")
    network: Organization | None = one_field(r.ORGANIZATION_BY_ID, "network_id", "The network it belongs to.")
    distance: int = strawberry.field(
        resolver=membership_distance,
        metadata=reads(),
        description=(
            "Number of memberships from the organization asked about to the one reached: 1 for a direct membership, "
            "2 through one network in between, and so on. Always 1 outside `members`/`networks`."
        ),
    )
    path: list[Organization] = strawberry.field(  # type: ignore[assignment]  # resolver returns model rows, which the GraphQL type reads
        metadata=planned(plans.PATH),
        resolver=membership_path,
        description=(
            "The organizations from the one asked about to the one reached, both included (`distance` + 1 of them). "
            "For a direct membership: [network, member] under `members`, [member, network] under `networks` and "
            "elsewhere."
        ),
    )

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, (models.Membership, ReachedMembership))
