"""Country names from ISO 3166-1 (pycountry)."""

from functools import lru_cache

import pycountry


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """The common name of a country when it has one (Türkiye, not Republic of Türkiye)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code (upper case)."""
    return pycountry.countries.get(alpha_2=code) is not None if len(code) == 2 and code.isupper() else False
