"""A deterministic synthetic directory at scale, for load tests and query plans.

``generate(organizations=N, seed=S)`` fills an already-migrated database
(Tortoise initialised by the caller) with N organizations and everything
around them, in the proportions of the real directory:

- organizations of every kind (mostly NGOs, about 2% umbrella networks, a few
  intergovernmental organizations) in countries of data/m49.csv drawn with a
  skew, with cities, founding years, ECOSOC statuses (mostly none), thematic
  areas and working languages;
- about 1.5 memberships per organization, some of them ended; a network
  belongs to 0-2 networks created before it, so networks of networks form a
  DAG in id order and never a cycle;
- about one UNODC office per 200 organizations, in a tree under one
  headquarters, some of them moved (two locations, one after the other);
- about one event per 20 organizations, with 1-3 date ranges, languages,
  organizers and about 5 participating organizations; partnerships.

The same seed and size, on the same starting database, give the same rows.
Every organization, office and event has ``source="synthetic"`` and a
``synthetic-org-000001``-style slug, so it can be told apart (and deleted).

Rows are built and inserted a chunk at a time with ``Model.bulk_create``, one
transaction per chunk, so memory stays flat at any size: across chunks only
three bytes per organization are kept (kind, founding year). ``bulk_create``
leaves primary keys unset, so ids are given here, counting up from the
largest id already in each table. A run that fails half-way leaves the chunks
it committed; run again with ``replace=True`` (``--replace``).
"""

from __future__ import annotations

import bisect
import csv
import importlib.util
import random
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, TypeVar

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import ValidationError
from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.countries import country_name
from domain.regions import M49_FILE
from models import (
    Event,
    EventDate,
    EventLanguage,
    EventOrganizer,
    GoverningBody,
    Membership,
    Office,
    OfficeLocation,
    Organization,
    OrganizationLanguage,
    OrganizationThematicArea,
    Participation,
    Partnership,
    ThematicArea,
)
from models.dates import PartialDate, partial_date_columns
from models.enums import (
    EcosocStatus,
    EventFormat,
    EventKind,
    Language,
    MembershipType,
    OfficeKind,
    OrganizationKind,
    OrganizerRole,
    ParticipationRole,
    PartnershipKind,
)
from models.validators import validate_country_code

SOURCE = "synthetic"
"""The ``source`` of every generated organization, office, event, membership and partnership."""

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` after each chunk; ``done == total`` ends a stage.

Stages, in order: offices, organizations, memberships, events, then (with the
search index) search organization, search office, search event, and analyze.
"""

ORGANIZATIONS_PER_CHUNK = 2_000
EVENTS_PER_CHUNK = 500
INSERT_BATCH = 2_000
"""Rows per ``bulk_create`` batch."""

M = TypeVar("M", bound=Model)
T = TypeVar("T")


class SyntheticDataExists(RuntimeError):
    """The database already holds synthetic rows and replacing them was not asked for."""


# ------- proportions -------

K = OrganizationKind
KINDS: dict[OrganizationKind, tuple[float, tuple[str, ...]]] = {
    K.NGO: (62.0, ("Association", "Initiative", "Alliance", "Centre", "Society", "Forum", "Action Group", "Trust")),
    K.COMMUNITY_GROUP: (7.0, ("Community Group", "Neighbourhood Association", "Youth Group")),
    K.ACADEMIA: (6.0, ("Institute", "University Centre", "Research Centre", "Academy")),
    K.FOUNDATION: (5.0, ("Foundation",)),
    K.FAITH_BASED_ORGANIZATION: (4.0, ("Faith Council", "Interfaith Alliance")),
    K.PROFESSIONAL_ASSOCIATION: (4.0, ("Bar Association", "Medical Association", "Association of Practitioners")),
    K.PRIVATE_SECTOR: (3.5, ("Business Council", "Compliance Partners")),
    K.CHARITABLE_ORGANIZATION: (3.0, ("Charity", "Relief Fund")),
    K.LABOUR_UNION: (1.5, ("Workers' Union", "Trade Union")),
    K.INDIGENOUS_GROUP: (1.5, ("Indigenous Council", "Indigenous Peoples' Forum")),
    K.UMBRELLA_NETWORK: (2.0, ("Network", "Coalition", "Federation", "Platform")),
    K.INTERGOVERNMENTAL_ORGANIZATION: (0.5, ("Intergovernmental Commission", "Regional Organization")),
}
"""Share of each kind (percent) and the nouns its names use."""

_KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
_NETWORK = _KIND_CODE[K.UMBRELLA_NETWORK]
_IGO = _KIND_CODE[K.INTERGOVERNMENTAL_ORGANIZATION]

ECOSOC = (
    (EcosocStatus.NONE, 55), (None, 28), (EcosocStatus.SPECIAL, 14), (EcosocStatus.ROSTER, 2),
    (EcosocStatus.GENERAL, 1),
)
"""ECOSOC consultative status: mostly none (or not known), some special, few roster or general."""
THEMES_PER_ORGANIZATION = ((1, 20), (2, 40), (3, 20), (4, 20))
MEMBERSHIPS_PER_ORGANIZATION = ((0, 25), (1, 30), (2, 25), (3, 12), (4, 5), (5, 3))  # 1.51 on average
NETWORKS_PER_NETWORK = ((0, 40), (1, 40), (2, 20))
MEMBERSHIP_TYPES = (
    (MembershipType.ORDINARY, 80), (MembershipType.AFFILIATED, 8), (MembershipType.FOUNDING, 5),
    (MembershipType.EXTRAORDINARY, 3), (MembershipType.HONORARY, 2), (MembershipType.COMMITTEE_OF, 2),
)
PARTNERSHIP_KINDS = (
    (PartnershipKind.COLLABORATION, 55), (PartnershipKind.IMPLEMENTING_PARTNER, 25), (PartnershipKind.MOU, 15),
    (PartnershipKind.DONOR, 5),
)
EVENT_KINDS = (
    (EventKind.WORKSHOP, 20), (EventKind.TRAINING, 15), (EventKind.SIDE_EVENT, 12),
    (EventKind.WORKING_GROUP_MEETING, 8), (EventKind.NGO_BRIEFING, 8), (EventKind.SESSION, 5),
    (EventKind.SPECIAL_EVENT, 5), (EventKind.INFORMAL_DIALOGUE, 5), (EventKind.SELF_PACED_COURSE, 5),
    (EventKind.LAUNCH, 5), (EventKind.PRESENTATION, 5), (EventKind.CONSTRUCTIVE_DIALOGUE, 4),
    (EventKind.INTERSESSIONAL_CONSULTATION, 3),
)
EVENT_FORMATS = ((EventFormat.IN_PERSON, 50), (EventFormat.ONLINE, 25), (EventFormat.HYBRID, 20), (None, 5))
DATE_RANGES_PER_EVENT = ((1, 70), (2, 20), (3, 10))
ORGANIZERS_PER_EVENT = ((1, 55), (2, 30), (3, 15))
CO_ORGANIZER_ROLES = (
    (OrganizerRole.CO_ORGANIZER, 50), (OrganizerRole.IN_COOPERATION_WITH, 25), (OrganizerRole.SPONSOR, 15),
    (OrganizerRole.MODERATOR, 10),
)
PARTICIPATION_ROLES = (
    (ParticipationRole.ATTENDEE, 60), (ParticipationRole.OBSERVER, 15), (ParticipationRole.SPEAKER, 15),
    (ParticipationRole.PANELLIST, 7), (ParticipationRole.IMPLEMENTING_PARTNER, 3),
)
OFFICE_KINDS = (
    (OfficeKind.DIVISION, 6), (OfficeKind.OFFICE_OF_DIRECTOR, 2), (OfficeKind.BRANCH, 12), (OfficeKind.SECTION, 18),
    (OfficeKind.UNIT, 14), (OfficeKind.REGIONAL_OFFICE, 8), (OfficeKind.COUNTRY_OFFICE, 28),
    (OfficeKind.PROGRAMME_OFFICE, 10), (OfficeKind.LIAISON_OFFICE, 2),
)
"""Kinds of the offices after the first, the headquarters."""
OFFICE_PARENTS: dict[OfficeKind, tuple[OfficeKind, ...]] = {
    OfficeKind.BRANCH: (OfficeKind.DIVISION,),
    OfficeKind.SECTION: (OfficeKind.BRANCH, OfficeKind.DIVISION),
    OfficeKind.UNIT: (OfficeKind.SECTION, OfficeKind.BRANCH),
    OfficeKind.COUNTRY_OFFICE: (OfficeKind.REGIONAL_OFFICE,),
    OfficeKind.PROGRAMME_OFFICE: (OfficeKind.COUNTRY_OFFICE, OfficeKind.REGIONAL_OFFICE),
}
"""Where an office's parent is looked for (among offices created before it); the headquarters otherwise."""
FIELD_OFFICES = frozenset(
    {OfficeKind.REGIONAL_OFFICE, OfficeKind.COUNTRY_OFFICE, OfficeKind.PROGRAMME_OFFICE, OfficeKind.LIAISON_OFFICE}
)

THEMATIC_AREAS = (
    ("corruption", "Anti-Corruption"),
    ("drug-prevention", "Drug Prevention and Treatment"),
    ("alternative-development", "Alternative Development"),
    ("crime-prevention", "Crime Prevention and Criminal Justice"),
    ("trafficking-in-persons", "Trafficking in Persons"),
    ("smuggling-of-migrants", "Smuggling of Migrants"),
    ("terrorism-prevention", "Terrorism Prevention"),
    ("cybercrime", "Cybercrime"),
    ("firearms", "Firearms Trafficking"),
    ("wildlife-crime", "Wildlife and Forest Crime"),
    ("money-laundering", "Money Laundering"),
    ("gender-equality", "Gender Equality in Criminal Justice"),
)
"""Created only when the database has no thematic area yet; existing ones are used otherwise."""

LOCAL_LANGUAGES: dict[Language, str] = {
    Language.AR: "AE BH DZ EG IQ JO KW LB LY MA MR OM PS QA SA SD SO SY TN YE DJ KM",
    Language.RU: "RU BY KZ KG TJ UZ TM AM AZ GE MD UA",
    Language.ZH: "CN HK MO TW",
    Language.ES: "AR BO CL CO CR CU DO EC SV GT HN MX NI PA PY PE PR UY VE ES GQ",
    Language.FR: "FR BE CH LU MC SN CI ML BF NE TD CM CF CG CD GA GN BJ TG MG HT RW BI",
}
"""Countries where an official UN language other than English is the usual working language."""

_SYLLABLES = ("ka", "ri", "mo", "sa", "le", "na", "to", "vi", "du", "ba", "lo", "me", "ra", "ti", "go", "ne", "si",
              "pa", "ku", "zo", "an", "el", "or", "um", "tsa", "bel", "mar", "dan", "kel", "vor")

# Fixed, not today's date: the rows must not depend on when they are generated.
THIS_YEAR = 2025
EARLIEST_MEMBERSHIP = 1985
FIRST_EVENT_DAY = date(2015, 1, 1)
LAST_EVENT_DAY = date(2027, 6, 30)


# ------- small helpers -------


class _Choice:
    """A weighted choice among fixed values, cumulative weights computed once."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


def _zipf(count: int, exponent: float) -> list[float]:
    """Cumulative weights 1/(rank+1)^exponent: the first items are drawn most often."""
    return list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(count)))


def _skewed(rng: random.Random, cumulative: list[float]) -> int:
    """An index drawn with the cumulative weights ``cumulative``."""
    return bisect.bisect_left(cumulative, rng.random() * cumulative[-1])


def _stated(rng: random.Random, day: date) -> PartialDate:
    """A day as a source might state it: mostly to the day, sometimes only to the month or the year."""
    draw = rng.random()
    if draw < 0.8:
        return PartialDate.of_day(day)
    return PartialDate.parse(f"{day:%Y-%m}" if draw < 0.95 else f"{day:%Y}")


def _day(rng: random.Random, first: date, last: date) -> date:
    return date.fromordinal(rng.randint(first.toordinal(), max(first.toordinal(), last.toordinal())))


def _distinct(count: int, draw: Callable[[], T]) -> list[T]:
    """Up to ``count`` distinct values of ``draw()`` in the order drawn (a few tries each)."""
    found: list[T] = []
    for _ in range(4 * count):
        if len(found) == count:
            break
        value = draw()
        if value not in found:
            found.append(value)
    return found


def _chunks(total: int, size: int) -> Iterator[range]:
    """The numbers 1..total in consecutive ranges of at most ``size``."""
    for start in range(1, total + 1, size):
        yield range(start, min(start + size, total + 1))


def _initials(words: str) -> str:
    return "".join(word[0] for word in words.replace("-", " ").split() if word[0].isupper())


def _label(kind: OfficeKind | EventKind) -> str:
    """``COUNTRY_OFFICE`` → ``Country Office``."""
    return str(kind.value).replace("_", " ").title().replace(" Of ", " of the ")


# ------- countries and cities -------


@dataclass(frozen=True)
class _Country:
    code: str
    name: str
    cities: tuple[str, ...]
    city_weights: list[float]
    language: Language | None

    def city(self, rng: random.Random, capital: bool = False) -> str:
        return self.cities[0] if capital else self.cities[_skewed(rng, self.city_weights)]


def _accepted(code: str) -> bool:
    """Whether the models accept ``code``: M49 lists a few codes ISO 3166-1 does not (e.g. XK)."""
    try:
        validate_country_code(code)
    except ValidationError:
        return False
    return True


def _city_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4)))).capitalize()


def _countries(seed: int) -> list[_Country]:
    """Countries of data/m49.csv in a seeded order (the first ones get the most organizations), with made-up cities."""
    with M49_FILE.open(newline="", encoding="utf-8") as handle:
        codes = sorted(row["country"] for row in csv.DictReader(handle) if _accepted(row["country"]))
    languages = {code: language for language, codes_ in LOCAL_LANGUAGES.items() for code in codes_.split()}
    rng = random.Random(f"{SOURCE}:{seed}:countries")
    rng.shuffle(codes)
    countries = []
    for code in codes:
        cities = tuple(dict.fromkeys(_city_name(rng) for _ in range(rng.randint(3, 8))))
        countries.append(_Country(code, country_name(code), cities, _zipf(len(cities), 1.0), languages.get(code)))
    return countries


# ------- the generator -------


class _Generator:
    """One run: its random streams, id counters, and what later stages need of earlier ones."""

    def __init__(self, organizations: int, seed: int, progress: Progress | None) -> None:
        self.total = organizations
        self.seed = seed
        self.progress: Progress = progress or (lambda stage, done, total: None)
        self.countries = _countries(seed)
        self.country_weights = _zipf(len(self.countries), 0.8)
        self.vienna = next((c for c in self.countries if c.code == "AT"), self.countries[0])
        self.next_id: dict[type[Model], int] = {}
        self.counts: dict[str, int] = {}
        self.first_organization = 0
        self.themes: list[tuple[int, str]] = []  # (id, name)
        self.offices: list[int] = []
        self.governing_bodies: list[int] = []
        # Kept across chunks, a few bytes per organization.
        self.kinds = bytearray()
        self.founded = array("H")  # 0 when unknown
        self.networks: list[int] = []  # ids, ascending

    def rng(self, stage: str) -> random.Random:
        """A random stream per stage, so one stage's draws never shift another's."""
        return random.Random(f"{SOURCE}:{self.seed}:{stage}")

    async def prepare(self, connection: BaseDBAsyncClient, models: Sequence[type[Model]]) -> None:
        """Start each table's ids above its largest; note what already exists to link to."""
        for model in models:
            rows = await connection.execute_query_dict(f'SELECT MAX(id) AS top FROM "{model._meta.db_table}"')
            self.next_id[model] = int(rows[0]["top"] or 0) + 1
        self.first_organization = self.next_id[Organization]
        self.next_id[Organization] += self.total  # organization n gets first_organization + n - 1
        bodies: list[Any] = await GoverningBody.all().using_db(connection).values_list("id", flat=True)
        self.governing_bodies = sorted(int(pk) for pk in bodies)

    def new_id(self, model: type[Model]) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def organization_id(self, number: int) -> int:
        return self.first_organization + number - 1

    def country(self, rng: random.Random) -> _Country:
        return self.countries[_skewed(rng, self.country_weights)]

    async def insert(self, connection: BaseDBAsyncClient, model: type[M], rows: list[M]) -> None:
        if rows:
            await model.bulk_create(rows, batch_size=INSERT_BATCH, using_db=connection)
        table = model._meta.db_table
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    # ------- thematic areas and offices -------

    async def thematic_areas(self, connection: BaseDBAsyncClient) -> None:
        existing = await ThematicArea.all().using_db(connection).order_by("id").values_list("id", "name")
        if not existing:
            rows = [ThematicArea(id=self.new_id(ThematicArea), slug=slug, name=name) for slug, name in THEMATIC_AREAS]
            await self.insert(connection, ThematicArea, rows)
            existing = [(row.id, row.name) for row in rows]
        self.themes = [(int(pk), str(name)) for pk, name in existing]

    async def offices_and_locations(self, connection: BaseDBAsyncClient) -> None:
        rng = self.rng("offices")
        kinds = _Choice(OFFICE_KINDS)
        by_kind: dict[OfficeKind, list[int]] = {}
        offices: list[Office] = []
        locations: list[OfficeLocation] = []
        for number in range(1, max(1, self.total // 200) + 1):
            kind = OfficeKind.HEADQUARTERS if number == 1 else kinds(rng)
            parents = [pk for parent in OFFICE_PARENTS.get(kind, ()) for pk in by_kind.get(parent, [])[-20:]]
            headquarters = by_kind.get(OfficeKind.HEADQUARTERS, [None])[0]
            country = self.country(rng) if kind in FIELD_OFFICES else self.vienna
            name = f"Synthetic {_label(kind)} {number}" + (f" for {country.name}" if kind in FIELD_OFFICES else "")
            office = Office(
                id=self.new_id(Office), slug=f"synthetic-office-{number:06d}", name=name, kind=kind, source=SOURCE,
                parent_id=rng.choice(parents) if parents else headquarters,
                acronym=_initials(name)[:40] if rng.random() < 0.3 else None,
                project_codes=[f"SYN{number:05d}"] if rng.random() < 0.3 else [],
                **partial_date_columns("established", str(rng.randint(1997, 2022))),
                description=f"Synthetic {_label(kind).lower()} of the directory's scale data.",
            )
            offices.append(office)
            by_kind.setdefault(kind, []).append(office.id)
            locations.extend(self.locations(rng, office, country))
        self.offices = [office.id for office in offices]
        partnerships = [
            Partnership(id=self.new_id(Partnership), office_id=office, partner_office_id=other, source=SOURCE,
                        kind=PartnershipKind.COLLABORATION,
                        **_stated(rng, _day(rng, date(2000, 1, 1), date(THIS_YEAR, 1, 1))).columns("since"))
            for office, other in (rng.sample(self.offices, 2) for _ in range(len(self.offices) // 10))
        ]
        await self.insert(connection, Office, offices)
        await self.insert(connection, OfficeLocation, locations)
        await self.insert(connection, Partnership, partnerships)

    def locations(self, rng: random.Random, office: Office, country: _Country) -> list[OfficeLocation]:
        """Where an office has been: one place, or (15% of field offices) two, one after the other."""
        opened = office.established_earliest or date(2000, 1, 1)
        city = country.city(rng, capital=country is self.vienna or office.kind == OfficeKind.REGIONAL_OFFICE)
        if office.kind not in FIELD_OFFICES or rng.random() >= 0.15:
            return [OfficeLocation(id=self.new_id(OfficeLocation), office_id=office.id, city=city,
                                   country=country.code, **PartialDate.of_day(opened).columns("valid_from"))]
        moved = _day(rng, opened + timedelta(days=365), date(THIS_YEAR - 1, 12, 31))
        before = self.country(rng) if rng.random() < 0.5 else country
        return [
            OfficeLocation(id=self.new_id(OfficeLocation), office_id=office.id, city=before.city(rng),
                           country=before.code, **PartialDate.of_day(opened).columns("valid_from"),
                           **PartialDate.of_day(moved - timedelta(days=1)).columns("valid_to")),
            OfficeLocation(id=self.new_id(OfficeLocation), office_id=office.id, city=city,
                           country=country.code, **PartialDate.of_day(moved).columns("valid_from")),
        ]

    # ------- organizations, their thematic areas and languages -------

    async def organizations(self) -> None:
        rng = self.rng("organizations")
        choose = {
            "kind": _Choice([(kind, share) for kind, (share, _) in KINDS.items()]),
            "ecosoc": _Choice(ECOSOC),
            "themes": _Choice(THEMES_PER_ORGANIZATION),
        }
        for numbers in _chunks(self.total, ORGANIZATIONS_PER_CHUNK):
            organizations: list[Organization] = []
            themes: list[OrganizationThematicArea] = []
            languages: list[OrganizationLanguage] = []
            for number in numbers:
                organization, theme, country = self.organization(rng, choose, number)
                organizations.append(organization)
                self.kinds.append(_KIND_CODE[organization.kind])
                self.founded.append(organization.founded_earliest.year if organization.founded_earliest else 0)
                if organization.kind == K.UMBRELLA_NETWORK:
                    self.networks.append(organization.id)
                more = _distinct(choose["themes"](rng) - 1, lambda: rng.randrange(len(self.themes)))
                themes.extend(
                    OrganizationThematicArea(id=self.new_id(OrganizationThematicArea), organization_id=organization.id,
                                             thematic_area_id=self.themes[index][0])
                    for index in dict.fromkeys([theme, *more])
                )
                languages.extend(
                    OrganizationLanguage(id=self.new_id(OrganizationLanguage), organization_id=organization.id,
                                         language=language)
                    for language in self.working_languages(rng, country)
                )
            async with in_transaction() as connection:
                await self.insert(connection, Organization, organizations)
                await self.insert(connection, OrganizationThematicArea, themes)
                await self.insert(connection, OrganizationLanguage, languages)
            self.progress("organizations", numbers[-1], self.total)

    def organization(
        self, rng: random.Random, choose: dict[str, _Choice], number: int
    ) -> tuple[Organization, int, _Country | None]:
        """Organization ``number``, the index of its main thematic area, and its country."""
        kind: OrganizationKind = choose["kind"](rng)
        country = self.country(rng) if rng.random() > 0.01 else None
        theme = rng.randrange(len(self.themes))
        topic = self.themes[theme][1]
        noun = rng.choice(KINDS[kind][1])
        if kind == K.INTERGOVERNMENTAL_ORGANIZATION:
            founded = rng.randint(1945, 2010)
        else:
            founded = 0 if rng.random() < 0.05 else max(1850, THIS_YEAR - 1 - int(rng.expovariate(1 / 22)))
        status = None if kind == K.INTERGOVERNMENTAL_ORGANIZATION else choose["ecosoc"](rng)
        granted = None
        if status not in (None, EcosocStatus.NONE):
            granted = rng.randint(max(1946, founded), THIS_YEAR)
        city = None
        if country and rng.random() < 0.9:
            city = country.city(rng, capital=kind in (K.UMBRELLA_NETWORK, K.INTERGOVERNMENTAL_ORGANIZATION))
        seat = ""
        if country:
            seat = f"based in {city}, {country.name}," if city else f"based in {country.name},"
        slug = f"synthetic-org-{number:06d}"
        name = f"Synthetic {noun} {number} for {topic}"
        organization = Organization(
            id=self.organization_id(number), slug=slug, name=name, kind=kind, source=SOURCE, verified=False,
            acronym=f"{_initials(name)}{number}" if rng.random() < 0.4 else None,
            aliases=[f"{noun} {number}"] if rng.random() < 0.05 else [],
            description=" ".join(filter(None, [f"Synthetic {noun.lower()}", seat, f"working on {topic.lower()}."])),
            country=country.code if country else None, city=city,
            website=f"https://{slug}.example.org" if rng.random() < 0.6 else None,
            **partial_date_columns("founded", str(founded) if founded else None),
            ecosoc_status=status, ecosoc_since=granted,
            hidden=rng.random() < 0.005,
        )
        return organization, theme, country

    def working_languages(self, rng: random.Random, country: _Country | None) -> list[Language]:
        """The country's language (usually), English (usually, always without the first), now and then another."""
        languages = [country.language] if country and country.language and rng.random() < 0.85 else []
        if not languages or rng.random() < 0.75:
            languages.append(Language.EN)
        if rng.random() < 0.15:
            languages.append(rng.choice(list(Language)))
        return list(dict.fromkeys(languages))

    # ------- memberships and partnerships: every organization exists by now -------

    async def memberships(self) -> None:
        rng = self.rng("memberships")
        choose = {
            "per_organization": _Choice(MEMBERSHIPS_PER_ORGANIZATION),
            "per_network": _Choice(NETWORKS_PER_NETWORK),
            "type": _Choice(MEMBERSHIP_TYPES),
            "partnership": _Choice(PARTNERSHIP_KINDS),
        }
        popularity = _zipf(len(self.networks), 0.7)  # older networks have more members
        for numbers in _chunks(self.total, ORGANIZATIONS_PER_CHUNK):
            memberships: list[Membership] = []
            partnerships: list[Partnership] = []
            for number in numbers:
                memberships.extend(self.memberships_of(rng, choose, popularity, number))
                if rng.random() < 0.03:
                    kind = choose["partnership"](rng)
                    partnerships.append(Partnership(
                        id=self.new_id(Partnership), office_id=rng.choice(self.offices), kind=kind, source=SOURCE,
                        partner_organization_id=self.organization_id(number),
                        basis="Synthetic memorandum of understanding" if kind == PartnershipKind.MOU else None,
                        **_stated(rng, _day(rng, date(2005, 1, 1), date(THIS_YEAR - 1, 12, 31))).columns("since"),
                    ))
            async with in_transaction() as connection:
                await self.insert(connection, Membership, memberships)
                await self.insert(connection, Partnership, partnerships)
            self.progress("memberships", numbers[-1], self.total)

    def memberships_of(
        self, rng: random.Random, choose: dict[str, _Choice], popularity: list[float], number: int
    ) -> list[Membership]:
        """Memberships of organization ``number``: a network joins only networks created before it."""
        member = self.organization_id(number)
        kind = self.kinds[number - 1]
        if kind == _IGO or not self.networks:
            return []
        if kind == _NETWORK:
            earlier = bisect.bisect_left(self.networks, member)
            wanted = choose["per_network"](rng) if earlier else 0
            networks = _distinct(wanted, lambda: self.networks[rng.randrange(earlier)])
        else:
            networks = _distinct(choose["per_organization"](rng), lambda: self.networks[_skewed(rng, popularity)])
        rows = []
        for network in networks:
            founded = (self.founded[number - 1], self.founded[network - self.first_organization])
            joinable = max(EARLIEST_MEMBERSHIP, *founded)
            since = _day(rng, date(joinable, 1, 1), date(THIS_YEAR - 1, 12, 31)) if rng.random() > 0.05 else None
            until = _day(rng, since, date(THIS_YEAR, 6, 30)) if since and rng.random() < 0.15 else None
            rows.append(Membership(id=self.new_id(Membership), member_id=member, network_id=network,
                                   type=choose["type"](rng), source=SOURCE,
                                   **partial_date_columns("since", _stated(rng, since) if since else None),
                                   **partial_date_columns("until", _stated(rng, until) if until else None)))
        return rows

    # ------- events -------

    async def events(self) -> None:
        rng = self.rng("events")
        total = max(1, self.total // 20)
        choose = {
            "kind": _Choice(EVENT_KINDS),
            "format": _Choice(EVENT_FORMATS),
            "ranges": _Choice(DATE_RANGES_PER_EVENT),
            "organizers": _Choice(ORGANIZERS_PER_EVENT),
            "co_role": _Choice(CO_ORGANIZER_ROLES),
            "role": _Choice(PARTICIPATION_ROLES),
        }
        sessions: list[tuple[int, date | None]] = []  # (id, first day) of the sessions so far
        organizations = range(self.first_organization, self.first_organization + self.total)
        for numbers in _chunks(total, EVENTS_PER_CHUNK):
            rows: dict[type[Model], list[Any]] = {
                Event: [], EventDate: [], EventLanguage: [], EventOrganizer: [], Participation: []
            }
            for number in numbers:
                event = self.event(rng, choose, number, sessions, rows[EventDate])
                rows[Event].append(event)
                if event.kind == EventKind.SESSION:
                    sessions.append((event.id, event.first_date))
                rows[EventLanguage].extend(
                    EventLanguage(id=self.new_id(EventLanguage), event_id=event.id, language=language)
                    for language in dict.fromkeys([Language.EN, *rng.sample(list(Language), rng.choice((0, 0, 1, 2)))])
                )
                rows[EventOrganizer].extend(self.organizers(rng, choose, event))
                rows[Participation].extend(
                    Participation(id=self.new_id(Participation), event_id=event.id, organization_id=organization,
                                  role=choose["role"](rng))
                    for organization in rng.sample(organizations, min(self.total, rng.randint(1, 9)))
                )
            async with in_transaction() as connection:
                for model, batch in rows.items():
                    await self.insert(connection, model, batch)
            self.progress("events", numbers[-1], total)

    def event(
        self,
        rng: random.Random,
        choose: dict[str, _Choice],
        number: int,
        sessions: list[tuple[int, date | None]],
        dates: list[EventDate],
    ) -> Event:
        """Event ``number``; its date ranges are added to ``dates``.

        A side event is most often held in the margins of a recent session: in
        Vienna, on one of the session's first days.
        """
        event_id = self.new_id(Event)
        kind: EventKind = choose["kind"](rng)
        form = EventFormat.SELF_PACED if kind == EventKind.SELF_PACED_COURSE else choose["format"](rng)
        margins_of, session_day = None, None
        if kind == EventKind.SIDE_EVENT and sessions and rng.random() < 0.6:
            margins_of, session_day = rng.choice(sessions[-50:])
        country = None
        if form in (EventFormat.IN_PERSON, EventFormat.HYBRID):
            in_vienna = kind == EventKind.SESSION or margins_of is not None or rng.random() < 0.3
            country = self.vienna if in_vienna else self.country(rng)
        topic = self.themes[rng.randrange(len(self.themes))][1]
        if session_day is not None:
            day = session_day + timedelta(days=rng.randint(0, 2))
            ranges = [EventDate(id=self.new_id(EventDate), event_id=event_id, start_date=day, end_date=day)]
        else:
            ranges = self.event_dates(rng, choose, event_id, kind)
        dates.extend(ranges)
        governing_body = None
        if kind == EventKind.SESSION and self.governing_bodies:
            governing_body = rng.choice(self.governing_bodies)
        return Event(
            id=event_id, slug=f"synthetic-event-{number:06d}", name=f"Synthetic {_label(kind)} {number} on {topic}",
            kind=kind, format=form, source=SOURCE,
            description=f"Synthetic {_label(kind).lower()} on {topic.lower()}.",
            venue=f"Conference Room {rng.randint(1, 12)}" if country and rng.random() < 0.3 else None,
            city=country.city(rng, capital=country is self.vienna) if country else None,
            country=country.code if country else None,
            session_number=rng.randint(1, 70) if kind == EventKind.SESSION else None,
            margins_of_id=margins_of, governing_body_id=governing_body,
            first_date=ranges[0].start_date if ranges else None,
        )

    def event_dates(
        self, rng: random.Random, choose: dict[str, _Choice], event_id: int, kind: EventKind
    ) -> list[EventDate]:
        """1-3 ranges of a few days, weeks apart; one long range for a course; none (3%) when not scheduled yet."""
        if rng.random() < 0.03:
            return []
        start = _day(rng, FIRST_EVENT_DAY, LAST_EVENT_DAY - timedelta(days=200))
        if kind == EventKind.SELF_PACED_COURSE:
            end = start + timedelta(days=rng.randint(30, 180))
            return [EventDate(id=self.new_id(EventDate), event_id=event_id, start_date=start, end_date=end)]
        ranges = []
        for _ in range(choose["ranges"](rng)):
            end = start + timedelta(days=rng.randint(0, 4))
            ranges.append(EventDate(id=self.new_id(EventDate), event_id=event_id, start_date=start, end_date=end))
            start = end + timedelta(days=rng.randint(7, 90))
        return ranges

    def organizers(self, rng: random.Random, choose: dict[str, _Choice], event: Event) -> list[EventOrganizer]:
        """A lead (for a session: an office, as secretariat) and up to two others, offices or organizations."""
        session = event.kind == EventKind.SESSION
        rows = []
        for position in range(choose["organizers"](rng)):
            lead = OrganizerRole.SECRETARIAT if session else OrganizerRole.LEAD
            role = lead if position == 0 else choose["co_role"](rng)
            by_office = (session and position == 0) or rng.random() < 0.45
            rows.append(EventOrganizer(
                id=self.new_id(EventOrganizer), event_id=event.id, role=role,
                office_id=rng.choice(self.offices) if by_office else None,
                organization_id=None if by_office else self.organization_id(rng.randint(1, self.total)),
            ))
        return rows


# ------- before and after -------

_TABLES: tuple[type[Model], ...] = (
    ThematicArea, Office, OfficeLocation, Partnership, Organization, OrganizationThematicArea, OrganizationLanguage,
    Membership, Event, EventDate, EventLanguage, EventOrganizer, Participation,
)
_ENTITIES: tuple[type[Model], ...] = (Organization, Office, Event)


def _has_search_index() -> bool:
    """Whether full-text search is part of this build (its documents are written with the entities)."""
    return importlib.util.find_spec("services.search_index") is not None


async def synthetic_counts() -> dict[str, int]:
    """How many synthetic organizations, offices and events the database holds, by table."""
    return {model._meta.db_table: await model.filter(source=SOURCE).count() for model in _ENTITIES}


def _synthetic(model: type[Model]) -> Subquery:
    return Subquery(model.filter(source=SOURCE).values("id"))


def _linked(column: str, model: type[Model]) -> Q:
    """``column`` refers to a synthetic row of ``model``."""
    condition: dict[str, Any] = {f"{column}__in": _synthetic(model)}
    return Q(**condition)


async def delete_synthetic() -> dict[str, int]:
    """Delete every synthetic organization, office and event, and every row that refers to one; how many, by table.

    The rows that refer to them go first, one statement per table, rather than
    by cascade: a cascade looks the rows up once per deleted row, which is a
    scan of the table wherever the foreign key has no index.
    """
    organizations, offices, events = (Organization, Office, Event)
    dependents = (
        (Membership, _linked("member_id", organizations) | _linked("network_id", organizations)),
        (OrganizationThematicArea, _linked("organization_id", organizations)),
        (OrganizationLanguage, _linked("organization_id", organizations)),
        (Participation, _linked("organization_id", organizations) | _linked("event_id", events)),
        (EventOrganizer, _linked("organization_id", organizations) | _linked("office_id", offices)
         | _linked("event_id", events)),
        (EventDate, _linked("event_id", events)),
        (EventLanguage, _linked("event_id", events)),
        (Partnership, _linked("partner_organization_id", organizations) | _linked("office_id", offices)
         | _linked("partner_office_id", offices)),
        (OfficeLocation, _linked("office_id", offices)),
    )
    deleted: dict[str, int] = {}
    async with in_transaction() as connection:
        if _has_search_index():
            from models.search import SearchDocument

            for model in _ENTITIES:
                documents = SearchDocument.filter(entity_type=model.__name__, entity_id__in=_synthetic(model))
                await documents.using_db(connection).delete()
        for model, refers in dependents:
            deleted[model._meta.db_table] = await model.filter(refers).using_db(connection).delete()
        await Event.filter(_linked("margins_of_id", events)).using_db(connection).update(margins_of_id=None)
        # Office.parent is ON DELETE RESTRICT: cut the tree before felling it.
        await Office.filter(source=SOURCE).using_db(connection).update(parent_id=None)
        for model in (Event, Office, Organization):
            deleted[model._meta.db_table] = await model.filter(source=SOURCE).using_db(connection).delete()
    return deleted


async def _reset_sequences(connection: BaseDBAsyncClient) -> None:
    """Move PostgreSQL's id sequences past the ids given here (SQLite looks at MAX(rowid) by itself)."""
    if connection.capabilities.dialect != "postgres":
        return
    for model in _TABLES:
        table = model._meta.db_table
        await connection.execute_query(
            f"""SELECT setval(pg_get_serial_sequence('"{table}"', 'id'), MAX(id)) FROM "{table}" HAVING COUNT(*) > 0"""
        )


async def _index_for_search(generator: _Generator, ids: dict[str, range]) -> int:
    """Write the search documents of the new entities, a chunk at a time."""
    from services.search_index import reindex

    written = 0
    for entity_type, entity_ids in ids.items():
        for start in range(0, len(entity_ids), ORGANIZATIONS_PER_CHUNK):
            written += await reindex(entity_type, entity_ids[start : start + ORGANIZATIONS_PER_CHUNK])
            done = min(start + ORGANIZATIONS_PER_CHUNK, len(entity_ids))
            generator.progress(f"search {entity_type.lower()}", done, len(entity_ids))
    return written


async def _analyze(connection: BaseDBAsyncClient, tables: Sequence[str]) -> None:
    """Refresh the planner's statistics after the bulk load, rather than whenever autovacuum gets to it.

    On PostgreSQL, VACUUM also empties the pending list of GIN indexes, where
    every entry written since the last vacuum waits: until then the planner
    prices the full-text index too high to use it.
    """
    if connection.capabilities.dialect != "postgres":
        await connection.execute_script("ANALYZE")
        return
    words = ["search_word"] if "search_document" in tables else []  # filled by a trigger on search_document
    for table in [*tables, *words]:
        await connection.execute_script(f'VACUUM ANALYZE "{table}"')


async def generate(
    organizations: int = 20_000,
    seed: int = 1,
    progress: Progress | None = None,
    *,
    replace: bool = False,
    search_index: bool = True,
) -> dict[str, int]:
    """Add a synthetic directory of ``organizations`` organizations; rows inserted by table, and ``networks``.

    Raises SyntheticDataExists when synthetic rows are there already, unless
    ``replace`` (they are deleted first). With ``search_index`` (and search
    in this build), the new organizations, offices and events are indexed too.
    """
    if organizations < 1:
        raise ValueError("Generate at least one organization.")
    existing = {table: count for table, count in (await synthetic_counts()).items() if count}
    if existing and not replace:
        found = ", ".join(f"{count:,} {table}" for table, count in existing.items())
        raise SyntheticDataExists(
            f"The database already holds synthetic rows ({found}); replace them with --replace (replace=True)."
        )
    if existing:
        await delete_synthetic()

    generator = _Generator(organizations, seed, progress)
    connection = Tortoise.get_connection("default")
    async with in_transaction() as transaction:
        await generator.prepare(transaction, _TABLES)
        first_office, first_event = generator.next_id[Office], generator.next_id[Event]
        await generator.thematic_areas(transaction)
        await generator.offices_and_locations(transaction)
    generator.progress("offices", len(generator.offices), len(generator.offices))
    await generator.organizations()
    await generator.memberships()
    await generator.events()
    await _reset_sequences(connection)

    counts = dict(generator.counts)
    if search_index and _has_search_index():
        counts["search_document"] = await _index_for_search(generator, {
            "Organization": range(generator.first_organization, generator.first_organization + organizations),
            "Office": range(first_office, generator.next_id[Office]),
            "Event": range(first_event, generator.next_id[Event]),
        })
    generator.progress("analyze", 0, 1)
    await _analyze(connection, [table for table, count in counts.items() if count])
    generator.progress("analyze", 1, 1)
    counts["networks"] = len(generator.networks)
    return counts
