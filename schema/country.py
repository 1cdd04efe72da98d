"""Countries, named by ISO 3166-1."""

from __future__ import annotations

import strawberry

from services.countries import country_name


@strawberry.type(description="A country or territory (ISO 3166-1).")
class Country:
    code: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. AT.")

    @strawberry.field(description="Common English name, e.g. Türkiye.")
    def name(self) -> str:
        return country_name(self.code)


def country_of(code: str | None) -> Country | None:
    """The Country for a stored code, or None."""
    return Country(code=code) if code else None
