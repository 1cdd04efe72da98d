"""Apply parsed member lists (``domain.member_lists``) to the database.

Three steps, shared by the data loader (every ``data/networks/*.json`` at once)
and the member-list import (one list):

1. ``resolve`` (no database): which organization each record names, by the
   rules of ``domain.matching`` over the organizations already known
   (``known_organizations``). A network is named by its slug; a member that
   no known organization fits becomes a new organization with a slug made
   from its name, known from then on, so the next list naming it matches it;
2. ``save_organizations``: create the new organizations and give existing
   ones what the lists state about them (``stated_values``);
3. ``tie_reconciliation``: make the list's ties (members, and the networks it
   is ``partOf``) the rows of ``membership`` whose ``origin`` is the list's
   (``list:<network slug>``); rows of other origins are never touched.

Membership cycles are refused over everything stored (``stored_cycle``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tortoise.transactions import in_transaction

from domain.matching import KnownOrganization, Matcher, MatchError
from domain.member_lists import Facts, MemberList, MemberListError, Tie
from domain.memberships import find_cycle
from models import Membership, Organization, OrganizationName
from models.dates import partial_date_columns
from services.reconcile import Counts, Reconciliation, save_changes

ORGANIZATION_FIELDS = ("name", "acronym", "kind", "country", "city", "website", "source")
"""The organization fields a list can state (``source``: where the list names it)."""
TIE_KEY = ("member_id", "network_id")
"""A list ties an organization to a network at most once."""


class MembershipCycle(ValueError):
    """Networks would contain themselves; ``path`` is the cycle as slugs, member -> network."""

    def __init__(self, path: list[str]) -> None:
        super().__init__("memberships form a cycle (member -> network): " + " -> ".join(path))
        self.path = path


@dataclass(frozen=True)
class ResolvedList:
    """A member list with the slug of the organization each of its records names."""

    member_list: MemberList
    members: tuple[str, ...]
    """The slug each member record names, in order."""
    created: frozenset[str] = frozenset()
    """Slugs of the organizations this list introduces (not known before it)."""

    @property
    def network(self) -> str:
        """The slug of the list's network."""
        return self.member_list.network.slug

    @property
    def new_members(self) -> int:
        """How many members are organizations this list introduces."""
        return sum(slug in self.created for slug in self.members)


@dataclass
class NetworkReport:
    """What loading one list did: its members matched to known organizations or created, and its ties."""

    matched: int = 0
    created: int = 0
    ties: Counts = field(default_factory=Counts)


def known(slug: str, values: Mapping[str, Any], other_names: Iterable[str] = ()) -> KnownOrganization:
    """The matching view of an organization's values (``name``, ``aliases``, ``acronym``, ``country``, ``website``)."""
    names = (*(values.get("aliases") or ()), *other_names)
    return KnownOrganization(
        slug, values["name"], tuple(names), values.get("acronym"), values.get("country"), values.get("website")
    )


async def known_organizations() -> Matcher:
    """A matcher of every organization in the database, former names counted as names."""
    matcher, _ = await known_organizations_and_ids()
    return matcher


async def known_organizations_and_ids() -> tuple[Matcher, dict[str, int]]:
    """A matcher of every organization in the database, and each one's id by slug (two statements)."""
    former: dict[int, list[str]] = {}
    for organization_id, name in await OrganizationName.all().order_by("id").values_list("organization_id", "name"):
        former.setdefault(organization_id, []).append(name)
    rows = (
        await Organization.all().order_by("id").values("id", "slug", "name", "aliases", "acronym", "country", "website")
    )
    matcher = Matcher(known(row["slug"], row, former.get(row["id"], ())) for row in rows)
    return matcher, {row["slug"]: row["id"] for row in rows}


def resolve(lists: Sequence[MemberList], matcher: Matcher) -> list[ResolvedList]:
    """Which organization each record of ``lists`` names; new ones are added to ``matcher``.

    Networks come first, so that a network with a list of its own is known by
    its slug before any member is matched. Raises ``MemberListError`` naming
    the record: an unknown or ambiguous organization, a member named twice or
    naming its own network, a ``partOf`` network that does not exist.
    """
    created: dict[str, set[str]] = {member_list.network.slug: set() for member_list in lists}
    for member_list in lists:
        network = member_list.network
        stored = matcher.get(network.slug)
        if stored is None:
            matcher.add(known_of(network.facts, network.slug))
            created[network.slug].add(network.slug)
        else:
            matcher.add(filled_with(stored, network.facts))
    resolved = []
    for member_list in lists:
        slugs = tuple(_member_slugs(member_list, matcher, created[member_list.network.slug]))
        for record in member_list.part_of:
            if record.network not in matcher:
                where = f"{member_list.network.slug} {record.label}"
                raise MemberListError(where, f"network: no organization has the slug {record.network!r}")
        resolved.append(ResolvedList(member_list, slugs, frozenset(created[member_list.network.slug])))
    _refuse_unstable(resolved, matcher)
    return resolved


def _refuse_unstable(resolved: Sequence[ResolvedList], matcher: Matcher) -> None:
    """Every member must name the same organization again among all of them, as the next load will see them.

    A record that named one organization when it was read may fit several
    once later records created more of that name ("Centre X" with no country,
    then a Ugandan and a Kenyan one): it would be ambiguous on the next load,
    so it is now.
    """
    for item in resolved:
        for slug, record in zip(item.members, item.member_list.members, strict=True):
            where = f"{item.network} {record.label}"
            try:
                match = matcher.find(record.facts.candidate())
            except MatchError as error:
                raise MemberListError(where, str(error)) from None
            if match is None or match.organization.slug != slug:
                again = "none" if match is None else repr(match.organization.slug)
                raise MemberListError(where, f"names {slug!r} now but would name {again} next time: pin it with a slug")


def _member_slugs(member_list: MemberList, matcher: Matcher, created: set[str]) -> Iterable[str]:
    """The slug each member names, creating new organizations in ``matcher`` (their slugs added to ``created``)."""
    network = member_list.network.slug
    seen: dict[str, str] = {network: f"the network {network!r} itself"}
    for record in member_list.members:
        where = f"{network} {record.label}"
        try:
            match = matcher.find(record.facts.candidate())
        except MatchError as error:
            raise MemberListError(where, str(error)) from None
        if match is None:
            slug = matcher.new_slug(record.facts.name)
            matcher.add(known_of(record.facts, slug))
            created.add(slug)
        else:
            slug = match.organization.slug
            matcher.add(filled_with(match.organization, record.facts))
        if slug in seen:
            raise MemberListError(where, f"names {slug!r}, which is also {seen[slug]}")
        seen[slug] = record.label
        yield slug


def known_of(facts: Facts, slug: str) -> KnownOrganization:
    """The matching view of an organization a record introduces."""
    return KnownOrganization(slug, facts.name, (), facts.acronym, facts.country, facts.website)


def filled_with(organization: KnownOrganization, facts: Facts) -> KnownOrganization:
    """``organization`` with the country, website and acronym a record gives where it has none, as saving will.

    So the next records are matched against what the organization will be,
    and a second load, which starts from the stored organizations, matches
    them the same way.
    """
    return replace(
        organization,
        country=organization.country or facts.country,
        website=organization.website or facts.website,
        acronym=organization.acronym or facts.acronym,
    )


def stated_values(resolved: Sequence[ResolvedList]) -> dict[str, dict[str, Any]]:
    """What the lists state about each organization they name: ``ORGANIZATION_FIELDS`` by slug.

    A field comes from the first record that states it: the networks' own
    records first, then the members, each in the order of ``resolved``.
    """
    records: list[tuple[str, Facts, str]] = []
    for item in resolved:
        network = item.member_list.network
        records.append((network.slug, network.facts, network.source))
    for item in resolved:
        for slug, record in zip(item.members, item.member_list.members, strict=True):
            records.append((slug, record.facts, record.tie.source))
    stated: dict[str, dict[str, Any]] = {}
    for slug, facts, source in records:
        values = stated.setdefault(slug, {})
        for name in ORGANIZATION_FIELDS:
            value = source if name == "source" else getattr(facts, name)
            if value is not None and values.get(name) is None:
                values[name] = value
    return stated


async def save_organizations(
    stated: Mapping[str, Mapping[str, Any]], *, overwrite: bool, counts: Counts
) -> dict[str, int]:
    """Create the organizations of ``stated`` that are not stored, and give the others the stated values.

    ``overwrite``: every stated field takes its stated value; otherwise only
    the fields still empty do. Returns the id of each organization by slug.
    """
    stored = {row.slug: row for row in await Organization.filter(slug__in=list(stated))}
    ids = {}
    for slug in sorted(stated):
        values = dict(stated[slug])
        row = stored.get(slug) or Organization(slug=slug)
        if row.pk is not None and not overwrite:
            values = {name: value for name, value in values.items() if getattr(row, name) in (None, "")}
        ids[slug] = (await save_changes(row, values, counts)).id
    return ids


async def organization_ids(slugs: Collection[str]) -> dict[str, int]:
    """The id of each stored organization of ``slugs``."""
    return dict(await Organization.filter(slug__in=list(slugs)).values_list("slug", "id"))


def tie_rows(resolved: ResolvedList, ids: Mapping[str, int]) -> list[dict[str, Any]]:
    """The ``membership`` values of a list's ties: its members in its network, its network in each ``partOf``."""
    network = ids[resolved.network]
    rows = [
        _tie_row(ids[slug], network, record.tie)
        for slug, record in zip(resolved.members, resolved.member_list.members, strict=True)
    ]
    rows.extend(_tie_row(network, ids[record.network], record.tie) for record in resolved.member_list.part_of)
    return rows


def _tie_row(member: int, network: int, tie: Tie) -> dict[str, Any]:
    return {
        "member_id": member,
        "network_id": network,
        "type": tie.type,
        **partial_date_columns("since", tie.since),
        **partial_date_columns("until", tie.until),
        "source": tie.source,
    }


async def tie_reconciliation(resolved: ResolvedList, ids: Mapping[str, int]) -> Reconciliation:
    """The stored ties of the list's origin, read, to become the list's ties."""
    return await Reconciliation.read(
        Membership, {"origin": resolved.member_list.origin}, TIE_KEY, tie_rows(resolved, ids)
    )


async def stored_cycle() -> list[str] | None:
    """A membership cycle among every stored membership, as slugs (member -> network); None when there is none."""
    edges: list[tuple[int, int]] = await Membership.all().values_list("member_id", "network_id")
    cycle = find_cycle(edges)
    if cycle is None:
        return None
    slugs = dict(await Organization.filter(id__in=set(cycle)).values_list("id", "slug"))
    return [slugs[organization_id] for organization_id in cycle]


async def apply_member_list(member_list: MemberList) -> NetworkReport:
    """Apply one list to the database in a transaction (the import): all or nothing.

    Known organizations keep their values and only gain the fields still
    empty; new ones are created. Raises ``MemberListError`` or
    ``MembershipCycle``, and then writes nothing.
    """
    async with in_transaction():
        [resolved] = resolve([member_list], await known_organizations())
        ids = await save_organizations(stated_values([resolved]), overwrite=False, counts=Counts())
        ids.update(await organization_ids({record.network for record in member_list.part_of} - ids.keys()))
        report = NetworkReport(len(resolved.members) - resolved.new_members, resolved.new_members)
        plan = await tie_reconciliation(resolved, ids)
        await plan.delete(report.ties)
        await plan.write(report.ties)
        cycle = await stored_cycle()
        if cycle:
            raise MembershipCycle(cycle)
    return report
