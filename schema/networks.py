"""Networks of networks at the root: networks two organizations share, and how two parties connect."""

from __future__ import annotations

from enum import Enum

import strawberry

from queries import networks
from resolvers import networks as resolve
from resolvers.arguments import AfterArg, BeforeArg, FirstArg, LastArg
from resolvers.time import AsOfListArg
from schema.office import Partnership, Party
from schema.organization import Membership, Organization
from schema.pagination import Connection


def _enum(enum_cls: type[Enum], name: str, description: str, values: dict[str, str]) -> None:
    """Register a service enum under ``name``, with a description on every value."""
    wrapped = strawberry.enum(enum_cls, name=name, description=description)
    for value in wrapped.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[value.name]


ConnectionKind = networks.LinkKind
_enum(
    ConnectionKind,
    "ConnectionKind",
    "What a step of a connection follows.",
    {
        "MEMBERSHIP": "A membership of an organization in a network.",
        "PARTNERSHIP": "A partnership of a UNODC office with an organization or with another office.",
    },
)

ConnectionDirection = networks.LinkDirection
_enum(
    ConnectionDirection,
    "ConnectionDirection",
    "Which way a step goes along the membership or partnership it follows.",
    {
        "FORWARD": "From the member to its network, or from the UNODC office to its partner.",
        "BACKWARD": "From the network to its member, or from the partner to the UNODC office.",
    },
)


@strawberry.type(
    description=(
        "One step of a connection: the membership or partnership followed, which way, and the party it reaches."
    )
)
class ConnectionStep:
    position: int = strawberry.field(description="Place of the step in the chain: 1 for the step that leaves `from`.")
    kind: ConnectionKind = strawberry.field(description="Whether the step follows a membership or a partnership.")
    direction: ConnectionDirection = strawberry.field(description="Which way the step goes along its link.")
    reached: Party = strawberry.field(
        resolver=resolve.step_reached, description="The organization or office the step arrives at."
    )
    membership: Membership | None = strawberry.field(
        resolver=resolve.step_membership, description="The membership followed; null for a partnership step."
    )
    partnership: Partnership | None = strawberry.field(
        resolver=resolve.step_partnership, description="The partnership followed; null for a membership step."
    )


@strawberry.type(description="Root fields about networks of networks.")
class NetworkQuery:
    @strawberry.field(
        description=(
            "Networks both organizations belong to on `asOf`, directly or through other networks (up to 10 "
            "memberships away), nearest first (by the longer of the two distances, then their sum), then by name. "
            "Empty when either organization is unknown."
        )
    )
    async def shared_networks(
        self,
        info: strawberry.Info,
        a: resolve.OrganizationIdArg,
        b: resolve.OrganizationIdArg,
        as_of: AsOfListArg = strawberry.UNSET,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Organization]:
        return Connection(page=await resolve.shared_networks(info, a, b, as_of, first, after, last, before))
    connection: list[ConnectionStep] | None = strawberry.field(
        resolver=resolve.connection,
        description=(
            "The shortest chain of memberships and partnerships from one organization or UNODC office to another, "
            "following each link either way; null when there is none within `maxDepth` steps or either end is "
            "unknown, empty when `from` and `to` are the same. Among chains of the same length, each step prefers "
            "a membership to a partnership, then an organization to an office, then the lowest ID."
        ),
    )
