"""Starting and ending memberships (of organizations in networks) and partnerships (of UNODC offices).

A membership is a network's to change: a COALITION key starts and ends the
memberships of its own network's members, never its own membership of a
parent network (that is the parent's); administrators change any. A
partnership is UNODC's: administrators only.

The rules are checked before anything is written and every problem is
reported (``services.writes``): the network must be a network, no network may
contain itself (directly or through others, over every stored membership),
dates are EDTF as precise as their source and a period cannot end before it
starts. Ending writes ``until`` only while it is still open, so two callers
ending the same tie at once cannot both succeed: the second is told CONFLICT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain import validation
from domain.access import Viewer
from domain.errors import InvalidId
from domain.ids import parse_global_id, with_article
from domain.memberships import find_cycle
from domain.user_errors import UserErrorCode
from models import Membership, Office, Organization, Partnership, Programme
from models.dates import PartialDate, partial_date_columns
from models.enums import MembershipType, OrganizationKind, PartnershipKind
from services.writes import Result, Write, write

SOURCE_LENGTH = 500
"""Longest source (URL or citation) a tie keeps."""


@dataclass(frozen=True)
class MembershipStart:
    """A new membership: ``member`` and ``network`` are global IDs of organizations; dates are EDTF text."""

    member: str
    network: str
    type: MembershipType = MembershipType.MEMBER
    since: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class TieEnd:
    """The end of an open tie: its two sides (global IDs), its last day (EDTF), and which period when several are open."""

    first: str
    second: str
    until: str
    since: str | None = None


@dataclass(frozen=True)
class PartnershipStart:
    """A new partnership of a UNODC office with an organization or another office (global IDs)."""

    office: str
    partner: str
    kind: PartnershipKind = PartnershipKind.COLLABORATION
    basis: str | None = None
    since: str | None = None
    source: str | None = None
    programme: str | None = None


def entity_id(w: Write, field: Sequence[str], value: str | None, *types: str) -> tuple[str, int] | None:
    """(type, primary key) of a global ID of one of ``types``; None after noting the problem."""
    if value is None:
        w.problem(field, "A value is required.", UserErrorCode.REQUIRED)
        return None
    try:
        type_name, pk = parse_global_id(value)
    except InvalidId as error:
        w.problem(field, str(error), UserErrorCode.INVALID)
        return None
    if type_name not in types:
        wanted = " or ".join(with_article(name) for name in types)
        w.problem(field, f"This ID names {with_article(type_name)}; {wanted} is expected here.", UserErrorCode.INVALID)
        return None
    return type_name, pk


def check_dates(w: Write, field: Sequence[str], since: str | None, until: str | None) -> None:
    """Note what is wrong with a period's ends (each as EDTF text) and with their order."""
    for name, value in (("since", since), ("until", until)):
        problem = validation.partial_date(value)
        if problem is not None:
            w.problem((*field, name), *problem)
    problem = validation.period(since, until)
    if problem is not None:
        w.problem((*field, "until"), *problem)


def check_source(w: Write, field: Sequence[str], source: str | None) -> None:
    problem = validation.text(source, longest=SOURCE_LENGTH)
    if problem is not None:
        w.problem((*field, "source"), *problem)


async def membership_cycle(w: Write, member_id: int, network_id: int) -> list[str] | None:
    """The cycle (as slugs, member -> network) that a membership of ``member_id`` in ``network_id`` would close."""
    edges: list[tuple[int, int]] = list(
        await Membership.all().using_db(w.connection).values_list("member_id", "network_id")
    )
    cycle = find_cycle([*edges, (member_id, network_id)])
    if cycle is None:
        return None
    slugs = dict(await Organization.filter(id__in=set(cycle)).using_db(w.connection).values_list("id", "slug"))
    return [slugs.get(pk, str(pk)) for pk in cycle]


def audit_values(row: Any, names: Sequence[str]) -> dict[str, Any]:
    """The named fields of a row, as the audit log records them."""
    return {name: getattr(row, name) for name in names}


MEMBERSHIP_FIELDS = ("member_id", "network_id", "type", "since_edtf", "until_edtf", "source", "origin")
PARTNERSHIP_FIELDS = (
    "office_id", "partner_organization_id", "partner_office_id", "programme_id", "kind", "basis",
    "since_edtf", "until_edtf", "source",
)  # fmt: skip


# ------- memberships -------


async def start_membership(viewer: Viewer, start: MembershipStart) -> Result[Membership]:
    """Record that an organization belongs to a network from ``since`` on."""

    async def body(w: Write) -> Membership:
        member = entity_id(w, ("input", "member"), start.member, "Organization")
        network = entity_id(w, ("input", "network"), start.network, "Organization")
        w.reject_if_problems()
        assert member is not None and network is not None
        member_id, network_id = member[1], network[1]
        if not viewer.may_write_membership(member_id, network_id):
            raise w.refuse(("input", "network"), _membership_forbidden(viewer, member_id), UserErrorCode.FORBIDDEN)
        check_dates(w, ("input",), start.since, None)
        check_source(w, ("input",), start.source)
        found = await _organizations(w, {"member": member_id, "network": network_id})
        if member_id == network_id:
            w.problem(("input", "member"), "An organization cannot be a member of itself.", UserErrorCode.CYCLE)
        w.reject_if_problems()
        if found["network"].kind is not OrganizationKind.UMBRELLA_NETWORK:
            w.problem(("input", "network"), _not_a_network(found["network"]), UserErrorCode.NOT_A_NETWORK)
        open_tie = await _open_ties(w, Membership, member_id=member_id, network_id=network_id)
        if open_tie:
            since = f" (since {open_tie[0].since_edtf})" if open_tie[0].since_edtf else ""
            w.problem(
                ("input", "member"),
                f"{found['member'].name} is a member of {found['network'].name} already{since}: end that membership first.",
                UserErrorCode.TAKEN,
            )
        elif await Membership.filter(member_id=member_id, network_id=network_id, since_edtf=_edtf(start.since)).using_db(w.connection).exists():
            w.problem(("input", "since"), "A membership of this organization in this network started then already.", UserErrorCode.TAKEN)
        cycle = await membership_cycle(w, member_id, network_id)
        if cycle:
            w.problem(
                ("input", "member"), "A network would contain itself: " + " -> ".join(cycle), UserErrorCode.CYCLE
            )
        w.reject_if_problems()
        row = await Membership.create(
            member_id=member_id,
            network_id=network_id,
            type=start.type,
            source=start.source,
            **partial_date_columns("since", start.since),
            using_db=w.connection,
        )
        await w.audit("Membership", row.id, None, audit_values(row, MEMBERSHIP_FIELDS))
        return row

    return await write(viewer, "membershipStart", body)


async def end_membership(viewer: Viewer, end: TieEnd) -> Result[Membership]:
    """Record the last day of an organization's open membership of a network."""

    async def body(w: Write) -> Membership:
        member = entity_id(w, ("input", "member"), end.first, "Organization")
        network = entity_id(w, ("input", "network"), end.second, "Organization")
        w.reject_if_problems()
        assert member is not None and network is not None
        member_id, network_id = member[1], network[1]
        if not viewer.may_write_membership(member_id, network_id):
            raise w.refuse(("input", "network"), _membership_forbidden(viewer, member_id), UserErrorCode.FORBIDDEN)
        found = await _organizations(w, {"member": member_id, "network": network_id})
        w.reject_if_problems()
        row = await _the_open_tie(w, Membership, end, f"{found['member'].name} in {found['network'].name}", member_id=member_id, network_id=network_id)
        return await _end(w, row, end.until, MEMBERSHIP_FIELDS)

    return await write(viewer, "membershipEnd", body)


def _membership_forbidden(viewer: Viewer, member_id: int) -> str:
    if viewer.network_id is not None and member_id == viewer.network_id:
        return "A coalition's own membership of another network is that network's to change."
    if viewer.network_id is not None:
        return "A coalition key changes the memberships of its own network only."
    return "Only a network's coalition key or an administrator changes its memberships."


def _not_a_network(organization: Organization) -> str:
    kind = organization.kind.value if organization.kind else "unknown"
    return f"{organization.name} is not a network (its kind is {kind}); only networks have members."


# ------- partnerships -------


async def start_partnership(viewer: Viewer, start: PartnershipStart) -> Result[Partnership]:
    """Record that a UNODC office works with an organization or another office from ``since`` on (administrators)."""

    async def body(w: Write) -> Partnership:
        _require_admin(w)
        office = entity_id(w, ("input", "office"), start.office, "Office")
        partner = entity_id(w, ("input", "partner"), start.partner, "Organization", "Office")
        programme = entity_id(w, ("input", "programme"), start.programme, "Programme") if start.programme else None
        check_dates(w, ("input",), start.since, None)
        check_source(w, ("input",), start.source)
        problem = validation.text(start.basis, longest=300)
        if problem is not None:
            w.problem(("input", "basis"), *problem)
        w.reject_if_problems()
        assert office is not None and partner is not None
        sides = await _partnership_sides(w, office[1], partner)
        if programme is not None and not await Programme.filter(id=programme[1]).using_db(w.connection).exists():
            w.problem(("input", "programme"), "No programme has this ID.", UserErrorCode.NOT_FOUND)
        w.reject_if_problems()
        if await _open_ties(w, Partnership, office_id=office[1], **sides):
            w.problem(("input", "partner"), "This partnership is open already: end it first.", UserErrorCode.TAKEN)
        w.reject_if_problems()
        row = await Partnership.create(
            office_id=office[1],
            **sides,
            programme_id=programme[1] if programme else None,
            kind=start.kind,
            basis=start.basis,
            source=start.source,
            **partial_date_columns("since", start.since),
            using_db=w.connection,
        )
        await w.audit("Partnership", row.id, None, audit_values(row, PARTNERSHIP_FIELDS))
        return row

    return await write(viewer, "partnershipStart", body)


async def end_partnership(viewer: Viewer, end: TieEnd) -> Result[Partnership]:
    """Record the last day of an open partnership (administrators)."""

    async def body(w: Write) -> Partnership:
        _require_admin(w)
        office = entity_id(w, ("input", "office"), end.first, "Office")
        partner = entity_id(w, ("input", "partner"), end.second, "Organization", "Office")
        w.reject_if_problems()
        assert office is not None and partner is not None
        sides = await _partnership_sides(w, office[1], partner)
        w.reject_if_problems()
        row = await _the_open_tie(w, Partnership, end, "this partnership", office_id=office[1], **sides)
        return await _end(w, row, end.until, PARTNERSHIP_FIELDS)

    return await write(viewer, "partnershipEnd", body)


def _require_admin(w: Write) -> None:
    if not w.viewer.may_write_everything:
        raise w.refuse(None, "Partnerships with UNODC offices are changed by administrators.", UserErrorCode.FORBIDDEN)


async def _partnership_sides(w: Write, office_id: int, partner: tuple[str, int]) -> dict[str, int | None]:
    """The partner columns of a partnership, after noting a missing office or partner."""
    if not await Office.filter(id=office_id).using_db(w.connection).exists():
        w.problem(("input", "office"), "No office has this ID.", UserErrorCode.NOT_FOUND)
    type_name, partner_id = partner
    model: Any = Office if type_name == "Office" else Organization
    if not await model.filter(id=partner_id).using_db(w.connection).exists():
        w.problem(("input", "partner"), f"No {type_name.lower()} has this ID.", UserErrorCode.NOT_FOUND)
    if type_name == "Office" and partner_id == office_id:
        w.problem(("input", "partner"), "An office cannot be its own partner.", UserErrorCode.INVALID)
    if type_name == "Office":
        return {"partner_office_id": partner_id, "partner_organization_id": None}
    return {"partner_organization_id": partner_id, "partner_office_id": None}


# ------- shared -------


async def _organizations(w: Write, ids: dict[str, int]) -> dict[str, Organization]:
    """The organizations of ``ids`` (by input field), noting NOT_FOUND for those that do not exist."""
    rows = {row.id: row for row in await Organization.filter(id__in=set(ids.values())).using_db(w.connection)}
    found = {}
    for field, pk in ids.items():
        if pk in rows:
            found[field] = rows[pk]
        else:
            w.problem(("input", field), "No organization has this ID.", UserErrorCode.NOT_FOUND)
    return found


async def _open_ties(w: Write, model: Any, **sides: Any) -> list[Any]:
    return list(await model.filter(**sides, until_edtf__isnull=True).using_db(w.connection).order_by("id"))


async def _the_open_tie(w: Write, model: Any, end: TieEnd, label: str, **sides: Any) -> Any:
    """The one open period of a tie (the one that started ``end.since`` when given)."""
    open_ties = await _open_ties(w, model, **sides)
    if end.since is not None:
        open_ties = [row for row in open_ties if row.since_edtf == _edtf(end.since)]
    if not open_ties:
        raise w.refuse(("input",), f"There is no open {'membership of ' if model is Membership else ''}{label} to end.", UserErrorCode.NOT_FOUND)
    if len(open_ties) > 1:
        starts = ", ".join(row.since_edtf or "unknown" for row in open_ties)
        raise w.refuse(("input", "since"), f"Several periods are open (since {starts}): say which with `since`.", UserErrorCode.INVALID)
    return open_ties[0]


async def _end(w: Write, row: Any, until: str, fields: Sequence[str]) -> Any:
    """Write ``until`` on a tie that is still open; CONFLICT when another caller ended it first."""
    check_dates(w, ("input",), row.since_edtf, until)
    w.reject_if_problems()
    model = type(row)
    values = partial_date_columns("until", until)
    updated = await model.filter(id=row.id, until_edtf__isnull=True).using_db(w.connection).update(**values)
    if not updated:
        raise w.refuse(("input",), "It was ended meanwhile by another change: read it again.", UserErrorCode.CONFLICT)
    before = audit_values(row, fields)
    for name, value in values.items():
        setattr(row, name, value)
    await w.audit(model.__name__, row.id, before, audit_values(row, fields))
    return row


def _edtf(value: str | None) -> str | None:
    """EDTF text as stored (stripped), for comparisons."""
    return PartialDate.parse(value).edtf if value is not None and validation.partial_date(value) is None else value
