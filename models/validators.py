"""Field validators that Tortoise runs before every save."""

from functools import lru_cache

import pycountry
from tortoise.exceptions import ValidationError


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def validate_country_code(value: str | None) -> None:
    """Accept only ISO 3166-1 alpha-2 codes, upper case (e.g. ``AT``, ``TR``)."""
    if value is not None and value not in _country_codes():
        raise ValidationError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")


def validate_slug(value: str) -> None:
    """Accept lower-case ASCII letters, digits and single hyphens."""
    parts = value.split("-")
    if not value or not all(part and part.isascii() and part.isalnum() and part == part.lower() for part in parts):
        raise ValidationError(f"{value!r} is not a slug (lower-case letters, digits and hyphens)")


def validate_string_list(value: list[str] | None) -> None:
    """Accept a list of non-empty strings (aliases, project codes)."""
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValidationError("expected a list of non-empty strings")
