"""Resolvers of networks of networks: memberships through other networks, shared networks, connections.

The walking is done in SQL (``queries.networks``), batched per request by
``loaders.networks``; organizations on the way are loaded through
``organization_by_id``, so the viewer's visibility applies to them too.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import strawberry

from domain.errors import ClientError, InvalidId
from domain.ids import parse_global_id
from loaders.networks import ReachKey
from models import Membership, Office, Organization, Partnership
from queries import networks
from queries import relations as r
from queries.networks import (
    MAX_DEPTH,
    ConnectionStep,
    Direction,
    Party,
    PartyKind,
    ReachedMembership,
    direct_membership,
    walk_page,
)
from queries.pages import Ordering, Page, SortKey, page_in_memory
from queries.relations import MEMBERS_OF_NETWORK, NETWORKS_OF_ORGANIZATION
from resolvers.arguments import AfterArg, BeforeArg, FirstArg, LastArg
from resolvers.lists import page_request
from resolvers.relations import page
from resolvers.time import AsOfListArg, as_of_day

DEFAULT_MAX_CONNECTION_DEPTH = 4

DepthArg = Annotated[
    int,
    strawberry.argument(
        description=(
            f"How many memberships to follow, from 1 (default: direct memberships only) to {MAX_DEPTH}. "
            "2 adds the organizations reached through one network in between, and so on."
        )
    ),
]
OrganizationIdArg = Annotated[strawberry.ID, strawberry.argument(description="Global ID of an organization.")]
FromArg = Annotated[
    strawberry.ID,
    strawberry.argument(name="from", description="Global ID of the organization or office to start from."),
]
ToArg = Annotated[
    strawberry.ID, strawberry.argument(name="to", description="Global ID of the organization or office to reach.")
]
MaxDepthArg = Annotated[
    int,
    strawberry.argument(
        description=(
            f"Longest chain to look for, in steps, from 1 to {MAX_DEPTH} (default {DEFAULT_MAX_CONNECTION_DEPTH})."
        )
    ),
]
def checked_depth(value: int, argument: str) -> int:
    """A depth argument, between 1 and ``MAX_DEPTH``; ClientError otherwise."""
    if not 1 <= value <= MAX_DEPTH:
        raise ClientError(f"`{argument}` must be between 1 and {MAX_DEPTH}; got {value}.")
    return value


async def _walk(
    root: Organization,
    info: strawberry.Info,
    direction: Direction,
    depth: int,
    as_of: Any,
    pagination: dict[str, Any],
) -> Page:
    """One page of the memberships reached from ``root``: a relation page at depth 1, a walk beyond."""
    day = as_of_day(as_of)
    depth = checked_depth(depth, "depth")
    if depth == 1:
        relation = MEMBERS_OF_NETWORK if direction is Direction.MEMBERS else NETWORKS_OF_ORGANIZATION
        found = await page(root, info, relation, pagination, day=day)
        return found.map(lambda row: direct_membership(row, root.id, direction))
    hops = await info.context.loaders.networks.membership_reach.load(ReachKey(direction, root.id, depth, day))
    return walk_page(hops, page_request(info, pagination))


# ------- Organization.networks / Organization.members -------


async def networks_of(
    root: Organization,
    info: strawberry.Info,
    depth: DepthArg = 1,
    as_of: AsOfListArg = strawberry.UNSET,
    first: FirstArg = None,
    after: AfterArg = None,
    last: LastArg = None,
    before: BeforeArg = None,
) -> Page:
    """Networks the organization belongs to, directly or through networks, nearest first."""
    pagination = {"first": first, "after": after, "last": last, "before": before}
    return await _walk(root, info, Direction.NETWORKS, depth, as_of, pagination)


async def members_of(
    root: Organization,
    info: strawberry.Info,
    depth: DepthArg = 1,
    as_of: AsOfListArg = strawberry.UNSET,
    first: FirstArg = None,
    after: AfterArg = None,
    last: LastArg = None,
    before: BeforeArg = None,
) -> Page:
    """Members of the network, directly or through member networks, nearest first."""
    pagination = {"first": first, "after": after, "last": last, "before": before}
    return await _walk(root, info, Direction.MEMBERS, depth, as_of, pagination)


# ------- Membership.distance / Membership.path -------


def membership_certainty(root: Membership | ReachedMembership) -> Any:
    """How certainly the chain to this membership held on the day walked; None outside a dated walk."""
    return root.certainty if isinstance(root, ReachedMembership) else None


def membership_distance(root: Membership | ReachedMembership) -> int:
    """How many memberships lead to this one from the organization asked about (1 = direct)."""
    return root.distance if isinstance(root, ReachedMembership) else 1


async def membership_path(root: Membership | ReachedMembership, info: strawberry.Info) -> list[Organization]:
    """The organizations from the one asked about to the one reached, both included.

    A membership read on its own (not through ``members``/``networks``) goes
    from the member to the network.
    """
    ids = root.path_ids if isinstance(root, ReachedMembership) else (root.member_id, root.network_id)
    found = await info.context.loaders.one(r.ORGANIZATION_BY_ID).load_many(list(ids))
    return [organization for organization in found if organization is not None]


# ------- Query.sharedNetworks -------


SHARED_ORDER = Ordering("shared", (SortKey("far", kind="int"), SortKey("near", kind="int"), SortKey("name")))
"""Shared networks, nearest first: by the longer of the two distances, then their sum, then by name."""


async def shared_networks(
    info: strawberry.Info,
    a: OrganizationIdArg,
    b: OrganizationIdArg,
    as_of: AsOfListArg = strawberry.UNSET,
    first: FirstArg = None,
    after: AfterArg = None,
    last: LastArg = None,
    before: BeforeArg = None,
) -> Page:
    """Networks both organizations belong to, directly or through other networks.

    Nearest first (by the longer of the two distances, then their sum), then
    by name. Empty when either organization is unknown or hidden from the viewer.
    """
    ids = [parse_global_id(value, "Organization")[1] for value in (a, b)]
    request = page_request(info, {"first": first, "after": after, "last": last, "before": before})
    loaders = info.context.loaders
    organizations = loaders.one(r.ORGANIZATION_BY_ID)
    common: dict[int, tuple[int, ...]] = {}
    if all(organization is not None for organization in await organizations.load_many(ids)):
        day = as_of_day(as_of)
        found = await loaders.networks.membership_reach.load_many([ReachKey(Direction.NETWORKS, pk, MAX_DEPTH, day) for pk in ids])
        common = networks.shared(found)
    rows = sorted(
        (
            {"far": max(common[o.id]), "near": sum(common[o.id]), "name": o.name, "id": o.id, "organization": o}
            for o in await organizations.load_many(sorted(common))
            if o is not None
        ),
        key=lambda row: (row["far"], row["near"], row["name"], row["id"]),
    )
    return page_in_memory(rows, SHARED_ORDER, request).map(lambda row: row["organization"])


# ------- Query.connection -------


_PARTY_KINDS = {"Organization": PartyKind.ORGANIZATION, "Office": PartyKind.OFFICE}


def _party(value: str) -> Party:
    type_name, pk = parse_global_id(value)
    if type_name not in _PARTY_KINDS:
        raise InvalidId(f"ID {value!r} belongs to a {type_name}; give an Organization or an Office.")
    return Party(_PARTY_KINDS[type_name], pk)


async def _load_party(info: strawberry.Info, party: Party) -> Organization | Office | None:
    relation = r.ORGANIZATION_BY_ID if party.kind is PartyKind.ORGANIZATION else r.OFFICE_BY_ID
    return await info.context.loaders.one(relation).load(party.id)


async def connection(
    info: strawberry.Info,
    source: FromArg,
    target: ToArg,
    max_depth: MaxDepthArg = DEFAULT_MAX_CONNECTION_DEPTH,
    as_of: AsOfListArg = strawberry.UNSET,
) -> list[ConnectionStep] | None:
    """The shortest chain of memberships and partnerships from ``source`` to ``target``.

    None when there is none within ``max_depth`` steps, or when either end is
    unknown or hidden from the viewer.
    """
    start, end = _party(source), _party(target)
    checked_depth(max_depth, "maxDepth")
    if any(party is None for party in await asyncio.gather(_load_party(info, start), _load_party(info, end))):
        return None
    return await networks.connection(
        start,
        end,
        max_depth=max_depth,
        as_of=as_of_day(as_of),
        viewer=info.context.viewer,
    )


async def step_reached(root: ConnectionStep, info: strawberry.Info) -> Organization | Office | None:
    """The organization or office a step arrives at."""
    return await _load_party(info, root.reached)


async def step_membership(root: ConnectionStep, info: strawberry.Info) -> Membership | None:
    """The membership a step follows; None for a partnership step."""
    if root.kind is not networks.LinkKind.MEMBERSHIP:
        return None
    return await info.context.loaders.one(r.MEMBERSHIP_BY_ID).load(root.link_id)


async def step_partnership(root: ConnectionStep, info: strawberry.Info) -> Partnership | None:
    """The partnership a step follows; None for a membership step."""
    if root.kind is not networks.LinkKind.PARTNERSHIP:
        return None
    return await info.context.loaders.one(r.PARTNERSHIP_BY_ID).load(root.link_id)
