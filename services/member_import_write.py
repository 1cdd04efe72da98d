"""Writing a member-list import's changes with batched statements (a few per 500 rows) and its audit entries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models import AuditEntry, FocalPoint, Membership, Organization
from models.dates import partial_date_columns
from services import audit
from services.member_import_diff import BATCH, FILLED_FIELDS, chunks, import_origin
from services.member_import_plan import Accepted, Plan


async def apply(plan: Plan) -> None:
    """Create the new organizations, fill the known ones, write the ties and focal points, then the audit entries."""
    connection = plan.w.connection
    entries: list[AuditEntry | None] = []
    created = [item for item in plan.accepted if item.organization is None]
    total = len(created)
    for done, chunk in enumerate(chunks(created), 1):
        await Organization.bulk_create([_new_organization(plan, item) for item in chunk], using_db=connection)
        slugs = [item.result.slug for item in chunk]
        ids = dict(await Organization.filter(slug__in=slugs).using_db(connection).values_list("slug", "id"))
        for item in chunk:
            item.result.organization_id = ids[item.result.slug]
            entries.append(
                _entry(plan, "Organization", item.result.organization_id, None, _organization_values(plan, item))
            )
        plan.progress("organizations", min(done * BATCH, total), total)
    await _update_organizations(plan, entries)
    await _write_memberships(plan, entries)
    await _write_focal_points(plan, entries)
    made = [entry for entry in entries if entry is not None]
    for done, batch in enumerate(chunks(made), 1):
        await audit.record_many(list(batch), using=connection)
        plan.progress("audit log", min(done * BATCH, len(made)), len(made))


def _entry(
    plan: Plan,
    object_type: str,
    object_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    personal: bool = False,
) -> AuditEntry | None:
    return audit.entry(plan.w.viewer, plan.w.operation, object_type, object_id, before, after, personal=personal)


def _organization_values(plan: Plan, item: Accepted) -> dict[str, Any]:
    facts = item.row.facts
    values = {name: getattr(facts, name) for name in ("name", *FILLED_FIELDS)}
    return {"slug": item.result.slug, **values, "source": item.row.source or plan.source}


def _new_organization(plan: Plan, item: Accepted) -> Organization:
    return Organization(**_organization_values(plan, item))


async def _update_organizations(plan: Plan, entries: list[AuditEntry | None]) -> None:
    changed = [item for item in plan.accepted if item.organization is not None and item.organization_changes]
    now = datetime.now(UTC)
    fields: set[str] = set()
    for item in changed:
        organization = item.organization
        assert organization is not None
        before = {name: getattr(organization, name) for name in item.organization_changes}
        before["version"] = organization.version
        for name, value in item.organization_changes.items():
            setattr(organization, name, value)
        organization.version += 1
        organization.updated_at = now
        fields.update(item.organization_changes)
        entries.append(
            _entry(
                plan,
                "Organization",
                organization.id,
                before,
                {**item.organization_changes, "version": organization.version},
            )
        )
    for chunk in chunks(changed):
        await Organization.bulk_update(
            [item.organization for item in chunk if item.organization is not None],
            fields=sorted({*fields, "version", "updated_at"}),
            using_db=plan.w.connection,
        )


async def _write_memberships(plan: Plan, entries: list[AuditEntry | None]) -> None:
    connection = plan.w.connection
    origin = import_origin(plan.network.slug)
    new = [item for item in plan.accepted if item.tie is None]
    for done, chunk in enumerate(chunks(new), 1):
        await Membership.bulk_create([_new_tie(plan, item, origin) for item in chunk], using_db=connection)
        plan.progress("memberships", min(done * BATCH, len(new)), len(new))
    if new:
        query = Membership.filter(network_id=plan.network.id, origin=origin).order_by("id")
        stored = await query.using_db(connection).values_list("id", "member_id", "since_edtf")
        ids = {(member, since): pk for pk, member, since in stored}  # the newest row of a pair and start wins
        for item in new:
            since = item.row.since.edtf if item.row.since else None
            entries.append(
                _entry(
                    plan,
                    "Membership",
                    ids.get((item.result.organization_id, since)),
                    None,
                    _tie_values(plan, item, origin),
                )
            )
    changed = [item for item in plan.accepted if item.tie is not None and item.tie_changes]
    fields: set[str] = set()
    for item in changed:
        tie = item.tie
        assert tie is not None
        before = {name: getattr(tie, name) for name in item.tie_changes}
        for name, value in item.tie_changes.items():
            setattr(tie, name, value)
        fields.update(item.tie_changes)
        entries.append(_entry(plan, "Membership", tie.id, before, dict(item.tie_changes)))
    for chunk in chunks(changed):
        await Membership.bulk_update(
            [item.tie for item in chunk if item.tie is not None], fields=sorted(fields), using_db=connection
        )
    await _end_memberships(plan, entries)


async def _end_memberships(plan: Plan, entries: list[AuditEntry | None]) -> None:
    by_day: dict[str, list[Membership]] = {}
    for tie, ended in zip(plan.ended, plan.diff.ended, strict=True):
        by_day.setdefault(ended.until, []).append(tie)
        entries.append(_entry(plan, "Membership", tie.id, {"until_edtf": None}, {"until_edtf": ended.until}))
    for day, ties in by_day.items():
        for chunk in chunks(ties):
            ids = [tie.id for tie in chunk]
            await Membership.filter(id__in=ids).using_db(plan.w.connection).update(**partial_date_columns("until", day))


def _tie_values(plan: Plan, item: Accepted, origin: str) -> dict[str, Any]:
    row = item.row
    return {
        "member_id": item.result.organization_id,
        "network_id": plan.network.id,
        "type": row.type,
        **partial_date_columns("since", row.since),
        **partial_date_columns("until", row.until),
        "source": row.source or plan.source,
        "origin": origin,
    }


def _new_tie(plan: Plan, item: Accepted, origin: str) -> Membership:
    return Membership(**_tie_values(plan, item, origin))


async def _write_focal_points(plan: Plan, entries: list[AuditEntry | None]) -> None:
    items = [item for item in plan.accepted if item.focal_point is not None]
    connection = plan.w.connection
    for chunk in chunks(items):
        people = [FocalPoint(organization_id=item.result.organization_id, **vars(item.focal_point)) for item in chunk]
        await FocalPoint.bulk_create(people, using_db=connection)
        query = FocalPoint.filter(organization_id__in=[item.result.organization_id for item in chunk]).order_by("id")
        stored = await query.using_db(connection).values_list("id", "organization_id", "name")
        ids = {(organization_id, name): pk for pk, organization_id, name in stored}
        for item in chunk:
            person = item.focal_point
            assert person is not None
            pk = ids.get((item.result.organization_id, person.name))
            values = {"organization_id": item.result.organization_id, **vars(person)}
            entries.append(_entry(plan, "FocalPoint", pk, None, values, personal=True))
