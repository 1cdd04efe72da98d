"""The Mutation root: one mixin per kind of object, each in its own module (``<object><Action>``)."""

from __future__ import annotations

import strawberry

from schema.mutations.import_members import ImportMembersMutations
from schema.mutations.membership import MembershipMutations
from schema.mutations.organization import OrganizationMutations


@strawberry.type(
    description=(
        "Changes to the directory, for API keys that may make them. Each answers a payload with the changed "
        "object and `userErrors`: a refused change writes nothing."
    )
)
class Mutation(OrganizationMutations, MembershipMutations, ImportMembersMutations):
    pass
