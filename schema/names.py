"""Names: the current one, former ones with the days they were in use, and the name on a day."""

from __future__ import annotations

from typing import Any

import strawberry

from models.names import NamePeriod
from plan import fields as plans
from plan.steps import PLAN
from queries.batch import Relation
from resolvers.names import DatedNameAnswer, name_as_of
from resolvers.relations import many
from resolvers.time import AsOfSingleArg
from schema.dates import partial_date_field
from schema.enums import Certainty


@strawberry.type(description="A name an office or organization went by, from `validFrom` to `validTo` (inclusive).")
class FormerName:
    name: str = strawberry.field(description="The name.")
    valid_from = partial_date_field("valid_from", "First day in use, as precise as the source; null when unknown.")
    valid_to = partial_date_field("valid_to", "Last day in use, as precise as the source; null when unknown.")
    source: str | None = strawberry.field(description="Where the fact comes from.")

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, NamePeriod)


@strawberry.type(description="The name an office or organization went by on a day, and how sure that is.")
class DatedName:
    name: str | None = strawberry.field(
        description="The name in use that day; null when it is uncertain which (see `candidates`) or unknown."
    )
    certainty: Certainty = strawberry.field(
        description="CERTAIN when `name` was certainly in use that day; UNCERTAIN otherwise."
    )
    candidates: list[str] = strawberry.field(
        description="Every name that may have been in use that day, oldest first (one when certain)."
    )

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, DatedNameAnswer)


def dated_name_field(former_names: Relation) -> Any:
    """``datedName(asOf: Date): DatedName!`` of an entity whose former names are the ``former_names`` relation."""

    async def resolve(root: strawberry.Parent[Any], info: strawberry.Info, as_of: AsOfSingleArg = strawberry.UNSET) -> Any:
        return await name_as_of(root, info, as_of, former_names)

    return strawberry.field(
        resolver=resolve,
        graphql_type=DatedName,
        metadata={PLAN: plans.dated_name(former_names)},
        description=(
            "The name in use on a day, as its former names' dates allow (`name` is today's). Where a rename is known "
            "only to the year or within a window, a day inside it is UNCERTAIN and lists both names."
        ),
    )


def former_names_field(former_names: Relation, label: str) -> Any:
    """``formerNames: [FormerName!]!``, oldest first."""
    return strawberry.field(
        resolver=many(former_names),
        graphql_type=list[FormerName],
        metadata={PLAN: plans.rows(former_names)},
        description=f"Names the {label} went by before, oldest first (those whose start is not known last).",
    )
