"""UN M49 geographic regions of countries, from data/m49.csv.

The table maps each ISO 3166-1 alpha-2 code to its M49 region (e.g. Africa),
sub-region (Sub-Saharan Africa) and intermediate region (Eastern Africa), as
the UN Statistics Division's standard defines them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

M49_FILE = Path(__file__).resolve().parent.parent / "data" / "m49.csv"


@dataclass(frozen=True)
class Region:
    """An M49 area: its three-digit code and English name."""

    code: str
    name: str


@dataclass(frozen=True)
class CountryRegions:
    """Where a country sits in the M49 hierarchy."""

    region: Region
    sub_region: Region
    intermediate_region: Region | None


@lru_cache(maxsize=1)
def _table() -> dict[str, CountryRegions]:
    with M49_FILE.open(newline="", encoding="utf-8") as handle:
        return {
            row["country"]: CountryRegions(
                Region(row["region_code"], row["region"]),
                Region(row["sub_region_code"], row["sub_region"]),
                Region(row["intermediate_region_code"], row["intermediate_region"]) if row["intermediate_region_code"] else None,
            )
            for row in csv.DictReader(handle)
        }


def regions_of(country: str) -> CountryRegions | None:
    """The M49 areas of a country, None for codes outside the table (e.g. Antarctica)."""
    return _table().get(country)


def _areas(regions: CountryRegions) -> Iterable[Region]:
    yield regions.region
    yield regions.sub_region
    if regions.intermediate_region is not None:
        yield regions.intermediate_region


def known_areas() -> dict[str, Region]:
    """Every area by lower-cased name and by code."""
    areas: dict[str, Region] = {}
    for regions in _table().values():
        for area in _areas(regions):
            areas[area.name.lower()] = area
            areas[area.code] = area
    return areas


def countries_in(areas: Iterable[str]) -> set[str] | None:
    """Country codes inside any of the areas (names or M49 codes, any level); None if one is unknown."""
    wanted = set()
    known = known_areas()
    for area in areas:
        match = known.get(area.strip().lower())
        if match is None:
            return None
        wanted.add(match.code)
    return {country for country, regions in _table().items() if any(a.code in wanted for a in _areas(regions))}
