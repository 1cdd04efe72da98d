"""A network's member list: the document a coalition submits, read into typed records.

The document (``data/networks/<network slug>.json``, and what the member-list
import accepts) is one JSON object; keys are left out when null::

    {
      "network": {"slug", "name", "acronym"?, "kind"?, "country"?, "city"?, "website"?, "source", "evidence"?},
      "partOf": [{"network": "<slug>", "type", "since"?, "until"?, "source", "evidence"?}],
      "members": [{"name", "slug"?, "acronym"?, "country"?, "city"?, "website"?, "kind"?,
                   "type", "since"?, "until"?, "source", "evidence"?}]
    }

``partOf`` lists the networks this network belongs to, ``members`` the
organizations that belong to it; each is a tie of a ``MembershipType``
(``MEMBER`` when the source does not state the category, ``LISTED`` for a
listing that claims no membership), dated in EDTF (``models.dates``), with
its ``source``. ``evidence`` quotes the source for the tie (``membership``,
``membershipRule``, ``type``) and for the facts the record states (``since``,
``name``, ``country``...): ``{"says": "<the source's words>", "source": "<address>"}``.
A member's ``slug`` pins it to a known organization (a curator's decision).

``parse`` checks the document: unknown keys, types, EDTF dates, ISO 3166-1
countries, sources, and that no organization appears twice (by the rules of
``domain.matching``); a ``MemberListError`` names the record and the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from domain.countries import is_country_code
from domain.matching import Candidate, KnownOrganization, Matcher, MatchError, website_domain
from models.base import list_origin
from models.dates import PartialDate
from models.enums import MembershipType, OrganizationKind
from models.validators import validate_slug

E = TypeVar("E", bound=Enum)

FACT_KEYS = ("name", "acronym", "kind", "country", "city", "website")
"""What a record may say about an organization (beside its slug)."""
TIE_KEYS = ("type", "since", "until", "source", "evidence")
"""What a record says about a tie."""
NETWORK_KEYS = frozenset({"slug", *FACT_KEYS, "source", "evidence"})
MEMBER_KEYS = frozenset({"slug", *FACT_KEYS, *TIE_KEYS})
PART_OF_KEYS = frozenset({"network", *TIE_KEYS})
DOCUMENT_KEYS = frozenset({"network", "partOf", "members"})
TIE_EVIDENCE = frozenset({"membership", "membershipRule", "type"})
"""Evidence keys about the tie itself; the others quote a fact the record states."""
MEMBER_EVIDENCE = frozenset({*FACT_KEYS, "since", "until", *TIE_EVIDENCE})
PART_OF_EVIDENCE = frozenset({"since", "until", *TIE_EVIDENCE})


class MemberListError(ValueError):
    """A member list that cannot be read: ``record`` says which record, ``problem`` which field and why."""

    def __init__(self, record: str, problem: str) -> None:
        super().__init__(f"{record}: {problem}")
        self.record = record
        self.problem = problem


@dataclass(frozen=True)
class Evidence:
    """The words of a source that state a fact, and the source's address."""

    says: str
    source: str


@dataclass(frozen=True)
class Facts:
    """What a record says about an organization; None where it says nothing."""

    name: str
    slug: str | None = None
    acronym: str | None = None
    kind: OrganizationKind | None = None
    country: str | None = None
    city: str | None = None
    website: str | None = None

    def candidate(self) -> Candidate:
        """The record as ``domain.matching`` reads it."""
        return Candidate(self.name, self.slug, self.country, self.website)


@dataclass(frozen=True)
class Tie:
    """A tie of a network's list: how, from when to when, and where that is said."""

    type: MembershipType
    source: str
    since: PartialDate | None = None
    until: PartialDate | None = None
    evidence: Mapping[str, Evidence] = field(default_factory=dict)


@dataclass(frozen=True)
class NetworkRecord:
    """The network whose list it is (``facts.slug`` is always set)."""

    facts: Facts
    source: str
    evidence: Mapping[str, Evidence] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """The network's slug."""
        assert self.facts.slug is not None
        return self.facts.slug


@dataclass(frozen=True)
class MemberRecord:
    """An organization the list names as belonging to the network."""

    index: int
    facts: Facts
    tie: Tie

    @property
    def label(self) -> str:
        """How messages name the record: ``members[3] ("Access Info Europe")``."""
        return f"members[{self.index}] ({self.facts.name!r})"


@dataclass(frozen=True)
class PartOfRecord:
    """A network the list's network belongs to."""

    index: int
    network: str
    tie: Tie

    @property
    def label(self) -> str:
        """How messages name the record: ``partOf[0] ("congo")``."""
        return f"partOf[{self.index}] ({self.network!r})"


@dataclass(frozen=True)
class MemberList:
    """A parsed member list."""

    network: NetworkRecord
    part_of: tuple[PartOfRecord, ...] = ()
    members: tuple[MemberRecord, ...] = ()

    @property
    def origin(self) -> str:
        """The ``origin`` of the ties this list maintains (``list:<network slug>``)."""
        return list_origin(self.network.slug)


def parse(document: Any, name: str = "member list") -> MemberList:
    """Read and check a member list document (``name`` labels it in messages until its network is known)."""
    if not isinstance(document, dict):
        raise MemberListError(name, "expected a JSON object with network, partOf and members")
    _known_keys(document, DOCUMENT_KEYS, name)
    if "network" not in document:
        raise MemberListError(name, "network: required")
    network = _network(document["network"], f"{name} network")
    label = network.slug
    part_of = tuple(_part_of(item, index, label) for index, item in enumerate(_list(document, "partOf", label)))
    members = tuple(_member(item, index, label) for index, item in enumerate(_list(document, "members", label)))
    member_list = MemberList(network, part_of, members)
    _refuse_repeats(member_list)
    return member_list


# ------- records -------


def _network(record: Any, where: str) -> NetworkRecord:
    record = _object(record, where)
    _known_keys(record, NETWORK_KEYS, where)
    slug = _slug(record, where, required=True)
    where = f"network {slug!r}"
    facts = _facts(record, where, slug)
    return NetworkRecord(facts, _source(record, where), _evidence(record, where, frozenset(FACT_KEYS)))


def _member(record: Any, index: int, network: str) -> MemberRecord:
    where = f"{network} members[{index}]"
    record = _object(record, where)
    if isinstance(record.get("name"), str):
        where = f"{where} ({record['name']!r})"
    _known_keys(record, MEMBER_KEYS, where)
    facts = _facts(record, where, _slug(record, where, required=False))
    return MemberRecord(index, facts, _tie(record, where, MEMBER_EVIDENCE))


def _part_of(record: Any, index: int, network: str) -> PartOfRecord:
    where = f"{network} partOf[{index}]"
    record = _object(record, where)
    _known_keys(record, PART_OF_KEYS, where)
    parent = _text(record, "network", where, required=True)
    assert parent is not None
    _check(where, "network", parent, validate_slug)
    where = f"{where} ({parent!r})"
    return PartOfRecord(index, parent, _tie(record, where, PART_OF_EVIDENCE))


def _facts(record: Mapping[str, Any], where: str, slug: str | None) -> Facts:
    name = _text(record, "name", where, required=True)
    assert name is not None
    country = _text(record, "country", where)
    if country is not None and not is_country_code(country):
        raise MemberListError(where, f"country: {country!r} is not an ISO 3166-1 alpha-2 code (upper case, e.g. AT)")
    website = _text(record, "website", where)
    if website is not None and website_domain(website) is None:
        raise MemberListError(where, f"website: {website!r} is not a web address")
    return Facts(
        name=name,
        slug=slug,
        acronym=_text(record, "acronym", where),
        kind=_choice(record, "kind", OrganizationKind, where),
        country=country,
        city=_text(record, "city", where),
        website=website,
    )


def _tie(record: Mapping[str, Any], where: str, evidence: frozenset[str]) -> Tie:
    kind = _choice(record, "type", MembershipType, where)
    if kind is None:
        raise MemberListError(where, f"type: required, one of {', '.join(m.value for m in MembershipType)}")
    since, until = _date(record, "since", where), _date(record, "until", where)
    if since and until and since.earliest is not None and since.earliest > until.latest:
        raise MemberListError(where, f"until: {until.edtf!r} ends before since {since.edtf!r} can start")
    return Tie(kind, _source(record, where), since, until, _evidence(record, where, evidence))


# ------- values -------


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MemberListError(where, f"expected an object, not {value!r}")
    return value


def _list(document: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise MemberListError(where, f"{key}: expected a list of objects")
    return value


def _known_keys(record: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(record) - allowed)
    if unknown:
        raise MemberListError(where, f"unknown keys {unknown}; expected some of {sorted(allowed)}")


def _text(record: Mapping[str, Any], key: str, where: str, required: bool = False) -> str | None:
    """A non-empty string (stripped); None for a key left out or null unless ``required``."""
    value = record.get(key)
    if value is None:
        if required:
            raise MemberListError(where, f"{key}: required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise MemberListError(where, f"{key}: expected a non-empty string, not {value!r}")
    return value.strip()


def _slug(record: Mapping[str, Any], where: str, required: bool) -> str | None:
    slug = _text(record, "slug", where, required)
    if slug is not None:
        _check(where, "slug", slug, validate_slug)
    return slug


def _source(record: Mapping[str, Any], where: str) -> str:
    source = _text(record, "source", where, required=True)
    assert source is not None
    return source


def _choice(record: Mapping[str, Any], key: str, enum: type[E], where: str) -> E | None:
    value = record.get(key)
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        raise MemberListError(where, f"{key}: {value!r} is not one of {', '.join(m.value for m in enum)}") from None


def _date(record: Mapping[str, Any], key: str, where: str) -> PartialDate | None:
    value = record.get(key)
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise MemberListError(where, f"{key}: {error}") from None


def _evidence(record: Mapping[str, Any], where: str, allowed: frozenset[str]) -> dict[str, Evidence]:
    """The record's evidence (keys among ``allowed``): about the tie, or about a fact the record states."""
    value = record.get("evidence")
    if value is None:
        return {}
    evidence = {}
    for key, item in _object(value, f"{where} evidence").items():
        if key not in allowed:
            raise MemberListError(where, f"evidence: unknown key {key!r}; expected some of {sorted(allowed)}")
        if key not in TIE_EVIDENCE and record.get(key) is None:
            raise MemberListError(where, f"evidence: {key!r} quotes a fact the record does not state")
        if not isinstance(item, dict) or set(item) != {"says", "source"}:
            raise MemberListError(where, f"evidence.{key}: expected {{'says': ..., 'source': ...}}, not {item!r}")
        says, source = item["says"], item["source"]
        if not all(isinstance(text, str) and text.strip() for text in (says, source)):
            raise MemberListError(where, f"evidence.{key}: 'says' and 'source' must be non-empty strings")
        evidence[key] = Evidence(says, source)
    return evidence


def _check(where: str, key: str, value: str, validate: Callable[[str], None]) -> None:
    try:
        validate(value)
    except Exception as error:
        raise MemberListError(where, f"{key}: {error}") from None


# ------- one organization, one record -------


def _refuse_repeats(member_list: MemberList) -> None:
    """No network twice in ``partOf``, no organization twice among the members (nor the network itself)."""
    _refuse_repeated_networks(member_list)
    _refuse_repeated_members(member_list)


def _refuse_repeated_networks(member_list: MemberList) -> None:
    network = member_list.network.slug
    seen: set[str] = set()
    for part_of in member_list.part_of:
        where = f"{network} {part_of.label}"
        if part_of.network == network:
            raise MemberListError(where, "network: a network cannot be part of itself")
        if part_of.network in seen:
            raise MemberListError(where, "network: listed twice in partOf")
        seen.add(part_of.network)


def _refuse_repeated_members(member_list: MemberList) -> None:
    network = member_list.network
    listed = Matcher([_known(network.facts, network.slug)])
    labels = {network.slug: f"the network {network.slug!r}"}
    pinned: dict[str, str] = {network.slug: labels[network.slug]}
    for record in member_list.members:
        where = f"{network.slug} {record.label}"
        facts = record.facts
        if facts.slug is not None and facts.slug in pinned:
            raise MemberListError(where, f"slug: {facts.slug!r} is also {pinned[facts.slug]}")
        try:
            match = listed.find(Candidate(facts.name, None, facts.country, facts.website))
        except MatchError as error:
            raise MemberListError(where, f"the same organization as another record: {error}") from None
        if match is not None:
            other = labels[match.organization.slug]
            raise MemberListError(where, f"the same organization as {other} (by {match.rule})")
        key = f"#{record.index}"
        listed.add(_known(facts, key))
        labels[key] = record.label
        if facts.slug is not None:
            pinned[facts.slug] = record.label


def _known(facts: Facts, key: str) -> KnownOrganization:
    return KnownOrganization(key, facts.name, (), facts.acronym, facts.country, facts.website)
