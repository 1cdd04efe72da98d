"""Countries (ISO 3166-1) and the UN M49 areas they belong to."""

from __future__ import annotations

from functools import lru_cache

import strawberry

from domain.countries import country_name
from domain.regions import regions_of
from plan.steps import ColumnValue


@strawberry.type(description="A UN M49 geographic area: a region, sub-region or intermediate region.")
class Region:
    code: str = strawberry.field(description="Three-digit M49 code, e.g. 014.")
    name: str = strawberry.field(description="English name, e.g. Eastern Africa.")


@strawberry.type(description="A country or territory (ISO 3166-1).")
class Country:
    code: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. AT.")

    @strawberry.field(description="Common English name, e.g. Türkiye.")
    def name(self) -> str:
        return country_name(self.code)

    @strawberry.field(description="M49 region, e.g. Africa.")
    def region(self) -> Region | None:
        regions = regions_of(self.code)
        return Region(code=regions.region.code, name=regions.region.name) if regions else None

    @strawberry.field(description="M49 sub-region, e.g. Sub-Saharan Africa.")
    def sub_region(self) -> Region | None:
        regions = regions_of(self.code)
        return Region(code=regions.sub_region.code, name=regions.sub_region.name) if regions else None

    @strawberry.field(description="M49 intermediate region where there is one, e.g. Eastern Africa.")
    def intermediate_region(self) -> Region | None:
        regions = regions_of(self.code)
        area = regions.intermediate_region if regions else None
        return Region(code=area.code, name=area.name) if area else None


def country_of(code: str | None) -> Country | None:
    """The Country for a stored code, or None (one shared instance per code: a Country is never changed)."""
    return _country(code) if code else None


@lru_cache(maxsize=512)
def _country(code: str) -> Country:
    return Country(code=code)


COUNTRY = ColumnValue(country_of, ("country",))
"""The read-plan step of a ``country`` field read from a row's ``country`` code (``schema.fields.planned``)."""
