"""Dates as precise as their sources (``PartialDate``), and the fields that expose them."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from models.dates import PartialDate as PartialDateValue
from models.dates import read_partial_date
from plan.steps import READS
from schema.enums import DatePrecision


@strawberry.type(
    description=(
        "A date exactly as precise as its source: a day, a month, a year, or a window within which it falls "
        '("in 2010-11", "some day from 13 to 17 March", "on or before October 2020"). `edtf` is the Extended '
        "Date/Time Format of the Library of Congress (ISO 8601-2); `earliest` and `latest` are the days it can be."
    )
)
class PartialDate:
    edtf: str = strawberry.field(
        description="The date in EDTF: 2023-03-01 (a day), 2006-08 (a month), 2011 (a year), [2010..2011] "
        "(one of those years), [..2020-10] (on or before October 2020)."
    )
    precision: DatePrecision = strawberry.field(description="The unit the source states the date in.")
    earliest: date | None = strawberry.field(
        description='The earliest day it can be; null for "on or before" dates, whose start is open.'
    )
    latest: date = strawberry.field(description="The latest day it can be.")
    exact: bool = strawberry.field(description="Whether the date is known to the day.")

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, PartialDateValue)


def partial_date_field(prefix: str, description: str) -> Any:
    """A ``PartialDate`` field read from the column triple ``<prefix>_edtf/_earliest/_latest`` of the parent row."""

    def resolve(root: strawberry.Parent[Any]) -> PartialDateValue | None:
        return read_partial_date(root, prefix)

    return strawberry.field(
        resolver=resolve, graphql_type=PartialDate | None, description=description, metadata=date_columns(prefix)
    )


def date_columns(prefix: str) -> dict[str, Any]:
    """Field metadata: the resolver reads the column triple ``prefix`` (``plan.steps.READS``)."""
    return {READS: (f"{prefix}_edtf", f"{prefix}_earliest", f"{prefix}_latest")}


def year_of(value: PartialDateValue | None) -> int | None:
    """The year of a date known at least to the year; None otherwise."""
    return value.year if value is not None else None
