"""Former names, each with the days it was in use."""

from __future__ import annotations

from datetime import date

import strawberry

from models.names import NamePeriod


@strawberry.type(description="A name an office or organization went by, from `validFrom` to `validTo` (inclusive).")
class FormerName:
    name: str = strawberry.field(description="The name.")
    valid_from: date | None = strawberry.field(description="First day in use; null when unknown.")
    valid_to: date | None = strawberry.field(description="Last day in use; null when unknown.")
    source: str | None = strawberry.field(description="Where the fact comes from.")

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, NamePeriod)
