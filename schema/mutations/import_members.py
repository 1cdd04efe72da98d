"""``networkMembersImport``: a coalition keeps its own member list; the answer is a diff (``services.member_import``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import strawberry

from domain.ids import global_id
from schema.enums import MembershipType, OrganizationKind, describe
from schema.mutations.common import UserError, user_errors_of
from services import member_import as service

MemberImportMode = service.Mode
describe(
    MemberImportMode,
    "How a submitted list relates to the network's current members.",
    {
        "MERGE": "Add and update the members the list names; leave the others as they are.",
        "REPLACE": "The list is the whole membership: open memberships of members it does not name end today.",
    },
)


@strawberry.input(description="A member's focal point: personal data, never public.")
class FocalPointRowInput:
    name: str = strawberry.field(description="The person's name.")
    title: str | None = strawberry.field(default=None, description="Their title or function.")
    email: str | None = strawberry.field(default=None, description="Their e-mail address.")
    phone: str | None = strawberry.field(default=None, description="Their telephone number.")


@strawberry.input(
    description=(
        "One member of the list, in the shape of the curated member lists (data/networks/*.json). It names an "
        "organization by `slug`, else by its website's domain, else by its name and country; none fits, one is created."
    )
)
class MemberRowInput:
    name: str = strawberry.field(description="The organization's name.")
    slug: str | None = strawberry.field(default=None, description="Pins the row to a known organization (when names are ambiguous).")
    acronym: str | None = strawberry.field(default=None, description="Short name.")
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 code of the headquarters.")
    city: str | None = strawberry.field(default=None, description="City of the headquarters.")
    website: str | None = strawberry.field(default=None, description="Web address; its domain identifies the organization.")
    kind: OrganizationKind | None = strawberry.field(default=None, description="What kind of body it is.")
    type: MembershipType = strawberry.field(default=MembershipType.MEMBER, description="How it belongs to the network.")
    since: str | None = strawberry.field(default=None, description="First day of membership, EDTF as precise as known: 2011, 2006-08, [2019..2020-03-04].")
    until: str | None = strawberry.field(default=None, description="Last day of membership, for a past member; null while it lasts.")
    source: str | None = strawberry.field(default=None, description="Where the row's facts come from; the network's submission when null.")
    focal_point: FocalPointRowInput | None = strawberry.field(default=None, description="Its focal point, added when it has none of that name or e-mail.")


@strawberry.input(description="A member list to import into a network.")
class NetworkMembersImportInput:
    network: str = strawberry.field(description="The network: its slug or global ID. A coalition key imports into its own only.")
    members: list[MemberRowInput] = strawberry.field(description=f"The rows, at most {service.MAX_ROWS:,}.")
    mode: MemberImportMode = strawberry.field(default=MemberImportMode.MERGE, description="MERGE (default) or REPLACE.")
    dry_run: bool = strawberry.field(default=False, description="Answer the diff and change nothing.")
    skip_invalid: bool = strawberry.field(
        default=False, description="Apply the valid rows and report the others; by default one bad row refuses the whole list."
    )


@strawberry.type(description="One field changed by an import, before and after (null for none; values as text).")
class FieldChange:
    field: str = strawberry.field(description="The field: an organization's (`website`), its membership's (`membership.since`), or `focalPoint`.")
    before: str | None = strawberry.field(description="The value before; null when empty.")
    after: str | None = strawberry.field(description="The value after; null when cleared. A focal point shows its name only.")


@strawberry.type(description="A row of the list and the organization it names.")
class MemberImportRow:
    index: int = strawberry.field(description="Position of the row in the list, from 0.")
    name: str = strawberry.field(description="The name the row gives.")
    slug: str = strawberry.field(description="The organization's slug (made from the name for a new one).")
    organization_id: strawberry.ID | None = strawberry.field(description="Its global ID; null for one a dry run would create.")
    matched_by: str | None = strawberry.field(description="How the row named a known organization: slug, website or name; null when created.")
    changes: list[FieldChange] = strawberry.field(description="What the row changes, field by field.")


@strawberry.type(description="A membership a REPLACE import ended: its member is no longer on the list.")
class EndedMembership:
    organization_id: strawberry.ID = strawberry.field(description="The former member's global ID.")
    slug: str = strawberry.field(description="The former member's slug.")
    name: str = strawberry.field(description="The former member's name.")
    since: str | None = strawberry.field(description="When the membership started (EDTF).")
    until: str = strawberry.field(description="Its last day (EDTF): the day of the import.")


@strawberry.type(description="A row that was not applied, with every reason.")
class RejectedMemberRow:
    index: int = strawberry.field(description="Position of the row in the list, from 0.")
    name: str | None = strawberry.field(description="The name the row gives, if any.")
    reasons: list[UserError] = strawberry.field(description="Why: each with the row's field path and a stable code.")


@strawberry.type(description="What an import did, or would do (a dry run, or a refused list).")
class MemberImportDiff:
    network_id: strawberry.ID = strawberry.field(description="The network's global ID.")
    network_slug: str = strawberry.field(description="The network's slug.")
    mode: MemberImportMode = strawberry.field(description="MERGE or REPLACE.")
    dry_run: bool = strawberry.field(description="Whether this was a dry run.")
    applied: bool = strawberry.field(description="Whether the changes were written (false for a dry run or a refused list).")
    created: list[MemberImportRow] = strawberry.field(description="Rows that created an organization (and its membership).")
    updated: list[MemberImportRow] = strawberry.field(description="Rows that changed a known organization, its membership or focal point.")
    unchanged: list[MemberImportRow] = strawberry.field(description="Rows that changed nothing.")
    ended: list[EndedMembership] = strawberry.field(description="Memberships ended because the list no longer names them (REPLACE only).")
    rejected: list[RejectedMemberRow] = strawberry.field(description="Rows not applied, with their reasons.")


@strawberry.type(description="The result of `networkMembersImport`.")
class NetworkMembersImportPayload:
    diff: MemberImportDiff | None = strawberry.field(description="The diff; null when the import was refused before its rows were read.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused (every rejected row, unless skipped); empty on success.")


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


def _rows(rows: list[service.RowResult]) -> list[MemberImportRow]:
    return [
        MemberImportRow(
            index=row.index,
            name=row.name,
            slug=row.slug,
            organization_id=strawberry.ID(global_id("Organization", row.organization_id)) if row.organization_id is not None else None,
            matched_by=row.matched_by,
            changes=[FieldChange(field=c.field, before=_text(c.before), after=_text(c.after)) for c in row.changes],
        )
        for row in rows
    ]


def diff_of(diff: service.ImportDiff) -> MemberImportDiff:
    """The GraphQL form of an import's diff."""
    return MemberImportDiff(
        network_id=strawberry.ID(global_id("Organization", diff.network_id)),
        network_slug=diff.network_slug,
        mode=diff.mode,
        dry_run=diff.dry_run,
        applied=diff.applied,
        created=_rows(diff.created),
        updated=_rows(diff.updated),
        unchanged=_rows(diff.unchanged),
        ended=[
            EndedMembership(
                organization_id=strawberry.ID(global_id("Organization", ended.organization_id)),
                slug=ended.slug,
                name=ended.name,
                since=ended.since,
                until=ended.until,
            )
            for ended in diff.ended
        ],
        rejected=[RejectedMemberRow(index=r.index, name=r.name, reasons=user_errors_of(r.reasons)) for r in diff.rejected],
    )


def row_of(row: MemberRowInput) -> dict[str, Any]:
    """A row as the import service reads it: the member-list keys, text values."""
    values: dict[str, Any] = {
        "name": row.name, "slug": row.slug, "acronym": row.acronym, "country": row.country, "city": row.city,
        "website": row.website, "kind": row.kind.value if row.kind else None, "type": row.type.value,
        "since": row.since, "until": row.until, "source": row.source,
    }  # fmt: skip
    if row.focal_point is not None:
        values["focalPoint"] = vars(row.focal_point)
    return values


@strawberry.type
class ImportMembersMutations:
    @strawberry.mutation(
        description=(
            "Import a network's member list (its coalition's key, or an administrator). Rows name organizations by "
            "slug, website domain, or name and country; unknown ones are created. Answers the diff: created, updated "
            "(field by field), unchanged, ended (REPLACE) and rejected rows. All or nothing unless `skipInvalid`; "
            "`dryRun` changes nothing."
        )
    )
    async def network_members_import(
        self, info: strawberry.Info, input: Annotated[NetworkMembersImportInput, strawberry.argument(description="The list and how to apply it.")]
    ) -> NetworkMembersImportPayload:
        result = await service.import_members(
            info.context.viewer,
            input.network,
            [row_of(row) for row in input.members],
            mode=input.mode,
            dry_run=input.dry_run,
            skip_invalid=input.skip_invalid,
        )
        diff = diff_of(result.diff) if result.diff is not None else None
        return NetworkMembersImportPayload(diff=diff, user_errors=user_errors_of(result.errors))
