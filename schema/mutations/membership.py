"""Membership and partnership mutations: ``membershipStart``, ``membershipEnd``, ``partnershipStart``, ``partnershipEnd``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.enums import MembershipType, PartnershipKind
from schema.mutations.common import UserError, user_errors_of
from schema.office import Partnership
from schema.organization import Membership
from services import memberships as service

SINCE = "First day, EDTF as precise as the source: 2011, 2006-08, 2023-03-01, [2010..2011], [..2020-10]; null when unknown."
UNTIL = "Last day, EDTF as precise as the source (2011, 2006-08, 2023-03-01...); it cannot be before the start."
WHICH = "Which open period to end, by its `since` EDTF, when several are open (rare); otherwise leave it out."


@strawberry.input(description="A membership to start: an organization joins a network.")
class MembershipStartInput:
    member: strawberry.ID = strawberry.field(description="Global ID of the organization that joins.")
    network: strawberry.ID = strawberry.field(description="Global ID of the network (an UMBRELLA_NETWORK organization).")
    type: MembershipType = strawberry.field(default=MembershipType.MEMBER, description="How it belongs; MEMBER when unstated.")
    since: str | None = strawberry.field(default=None, description=SINCE)
    source: str | None = strawberry.field(default=None, description="Where the fact comes from (URL or citation).")


@strawberry.input(description="A membership to end: the last day an organization belonged to a network.")
class MembershipEndInput:
    member: strawberry.ID = strawberry.field(description="Global ID of the member organization.")
    network: strawberry.ID = strawberry.field(description="Global ID of the network.")
    until: str = strawberry.field(description=UNTIL)
    since: str | None = strawberry.field(default=None, description=WHICH)


@strawberry.input(description="A partnership to start: a UNODC office works with an organization or another office.")
class PartnershipStartInput:
    office: strawberry.ID = strawberry.field(description="Global ID of the UNODC office.")
    partner: strawberry.ID = strawberry.field(description="Global ID of the partner: an organization or another office.")
    kind: PartnershipKind = strawberry.field(default=PartnershipKind.COLLABORATION, description="Nature of the partnership.")
    basis: str | None = strawberry.field(default=None, description="Instrument it rests on, e.g. a memorandum of understanding.")
    since: str | None = strawberry.field(default=None, description=SINCE)
    source: str | None = strawberry.field(default=None, description="Where the fact comes from (URL or citation).")
    programme: strawberry.ID | None = strawberry.field(default=None, description="Global ID of the programme it serves, if any.")


@strawberry.input(description="A partnership to end: its last day.")
class PartnershipEndInput:
    office: strawberry.ID = strawberry.field(description="Global ID of the UNODC office.")
    partner: strawberry.ID = strawberry.field(description="Global ID of the partner organization or office.")
    until: str = strawberry.field(description=UNTIL)
    since: str | None = strawberry.field(default=None, description=WHICH)


@strawberry.type(description="The result of `membershipStart`.")
class MembershipStartPayload:
    membership: Membership | None = strawberry.field(description="The new membership; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `membershipEnd`.")
class MembershipEndPayload:
    membership: Membership | None = strawberry.field(description="The membership, now with its end; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `partnershipStart`.")
class PartnershipStartPayload:
    partnership: Partnership | None = strawberry.field(description="The new partnership; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of `partnershipEnd`.")
class PartnershipEndPayload:
    partnership: Partnership | None = strawberry.field(description="The partnership, now with its end; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type
class MembershipMutations:
    @strawberry.mutation(
        description=(
            "Start a membership. A coalition key starts memberships in its own network; administrators any. "
            "Refused when the network is not one, the organization is a member already, or a network would contain itself."
        )
    )
    async def membership_start(
        self, info: strawberry.Info, input: Annotated[MembershipStartInput, strawberry.argument(description="The membership.")]
    ) -> MembershipStartPayload:
        start = service.MembershipStart(str(input.member), str(input.network), input.type, input.since, input.source)
        result = await service.start_membership(info.context.viewer, start)
        return MembershipStartPayload(membership=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(
        description=(
            "End an open membership. A coalition key ends memberships in its own network (never its own membership "
            "of a parent network); administrators any. CONFLICT when another change ended it first."
        )
    )
    async def membership_end(
        self, info: strawberry.Info, input: Annotated[MembershipEndInput, strawberry.argument(description="Which membership, and its last day.")]
    ) -> MembershipEndPayload:
        end = service.TieEnd(str(input.member), str(input.network), input.until, input.since)
        result = await service.end_membership(info.context.viewer, end)
        return MembershipEndPayload(membership=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="Start a partnership of a UNODC office (administrators).")
    async def partnership_start(
        self, info: strawberry.Info, input: Annotated[PartnershipStartInput, strawberry.argument(description="The partnership.")]
    ) -> PartnershipStartPayload:
        start = service.PartnershipStart(
            str(input.office),
            str(input.partner),
            input.kind,
            input.basis,
            input.since,
            input.source,
            str(input.programme) if input.programme is not None else None,
        )
        result = await service.start_partnership(info.context.viewer, start)
        return PartnershipStartPayload(partnership=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]

    @strawberry.mutation(description="End an open partnership of a UNODC office (administrators).")
    async def partnership_end(
        self, info: strawberry.Info, input: Annotated[PartnershipEndInput, strawberry.argument(description="Which partnership, and its last day.")]
    ) -> PartnershipEndPayload:
        end = service.TieEnd(str(input.office), str(input.partner), input.until, input.since)
        result = await service.end_partnership(info.context.viewer, end)
        return PartnershipEndPayload(partnership=result.value, user_errors=user_errors_of(result.errors))  # type: ignore[arg-type]
