"""The Mutation root: one mixin per kind of object, each in its own module (``<object><Action>``)."""

from __future__ import annotations

import strawberry

from schema.mutations.application_call import ApplicationCallMutations
from schema.mutations.event import EventMutations
from schema.mutations.focal_point import FocalPointMutations
from schema.mutations.import_members import ImportMembersMutations
from schema.mutations.membership import MembershipMutations
from schema.mutations.office import OfficeMutations
from schema.mutations.organization import OrganizationMutations
from schema.mutations.participation import ParticipationMutations


@strawberry.type(
    description=(
        "Changes to the directory, for API keys that may make them. Each answers a payload with the changed "
        "object and `userErrors`: a refused change writes nothing."
    )
)
class Mutation(
    OrganizationMutations,
    OfficeMutations,
    EventMutations,
    ApplicationCallMutations,
    ParticipationMutations,
    FocalPointMutations,
    MembershipMutations,
    ImportMembersMutations,
):
    pass
