"""Former names, each with the days it was in use."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry

from models.names import NamePeriod
from resolvers.names import name_as_of
from resolvers.relations import many

AsOfArg = Annotated[
    date | None,
    strawberry.argument(description="A day: the former name in use then, else the current name. Omitted: today."),
]


@strawberry.type(description="A name an office or organization went by, from `validFrom` to `validTo` (inclusive).")
class FormerName:
    name: str = strawberry.field(description="The name.")
    valid_from: date | None = strawberry.field(description="First day in use; null when unknown.")
    valid_to: date | None = strawberry.field(description="Last day in use; null when unknown.")
    source: str | None = strawberry.field(description="Where the fact comes from.")

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, NamePeriod)


def dated_name_field(loader: str) -> Any:
    """``name(asOf: Date): String!`` of an entity whose former names ``loader`` loads."""

    def resolve(root: strawberry.Parent[Any], info: strawberry.Info, as_of: AsOfArg = None) -> str:
        return name_as_of(root, info, as_of, loader)  # type: ignore[return-value]

    return strawberry.field(resolver=resolve, description="Official name: the current one, or the one in use on `asOf`.")


def former_names_field(loader: str, label: str) -> Any:
    """``formerNames: [FormerName!]!``, oldest first."""
    return strawberry.field(
        resolver=many(loader), graphql_type=list[FormerName], description=f"Names the {label} went by before, oldest first."
    )
