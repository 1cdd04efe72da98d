"""Working out what a member-list import changes: its rows read, matched and compared, with batched reads only.

``Plan.make`` reads the rows (``domain.member_import``), names the organization
of each by the one matching rule (``domain.matching``), compares each with what
is stored, and fills the import's diff; ``services.member_import_write`` then
writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.matching import Candidate, Matcher, MatchError
from domain.member_import import FocalPointRow, ImportRow, lenient_facts, read_row
from domain.user_errors import UserError, UserErrorCode
from models import FocalPoint, Membership, Organization
from models.dates import partial_date_columns, today
from services import audit
from services.member_import_diff import (
    BATCH,
    FILLED_FIELDS,
    EndedMembership,
    FieldChange,
    ImportDiff,
    Mode,
    Progress,
    RejectedRow,
    RowResult,
    chunks,
)
from services.member_lists import filled_with, known_of, known_organizations_and_ids
from services.writes import Write


@dataclass
class Accepted:
    """An accepted row with what it changes."""

    row: ImportRow
    result: RowResult
    organization: Organization | None = None
    """The stored organization (None for one this import creates)."""
    organization_changes: dict[str, Any] = field(default_factory=dict)
    tie: Membership | None = None
    tie_changes: dict[str, Any] = field(default_factory=dict)
    focal_point: FocalPointRow | None = None


@dataclass
class Plan:
    """What an import will write, worked out with a few batched reads and no write."""

    w: Write
    network: Organization
    diff: ImportDiff
    progress: Progress
    accepted: list[Accepted] = field(default_factory=list)
    matcher: Matcher = field(default_factory=Matcher)
    ids: dict[str, int] = field(default_factory=dict)
    kept: set[int] = field(default_factory=set)
    """Members that rejected rows name: a REPLACE does not end them for the row's mistake."""
    ended: list[Membership] = field(default_factory=list)

    @property
    def source(self) -> str:
        """Where the facts of a row without a ``source`` come from: the network's submission."""
        return f"Member list submitted by {self.network.name} on {today().isoformat()}"

    @classmethod
    async def make(cls, w: Write, network: Organization, rows: Sequence[Any], diff: ImportDiff, progress: Progress) -> Plan:
        plan = cls(w, network, diff, progress)
        read: list[ImportRow] = []
        for index, raw in enumerate(rows):
            row, problems = read_row(index, raw)
            if row is None:
                name = raw.get("name") if isinstance(raw, dict) and isinstance(raw.get("name"), str) else None
                diff.rejected.append(RejectedRow(index, name, problems))
            else:
                read.append(row)
            if index % BATCH == BATCH - 1 and index + 1 < len(rows):
                progress("reading rows", index + 1, len(rows))
        progress("reading rows", len(rows), len(rows))
        await plan.match(read, rows)
        await plan.compare()
        if diff.mode is Mode.REPLACE:
            await plan.replaced(rows)
        diff.rejected.sort(key=_index)
        return plan

    # ------- which organization each row names -------

    async def match(self, read: list[ImportRow], rows: Sequence[Any]) -> None:
        matcher, self.ids = await known_organizations_and_ids()
        containing = await self.networks_containing()
        seen: dict[str, int] = {}
        for done, row in enumerate(read, 1):
            if done % BATCH == 0 and done < len(read):
                self.progress("matching", done, len(read))
            here = ("members", str(row.index))
            try:
                match = matcher.find(row.facts.candidate())
            except MatchError as error:
                unknown = row.facts.slug is not None and row.facts.slug not in matcher
                code = UserErrorCode.NOT_FOUND if unknown else UserErrorCode.AMBIGUOUS
                failure = UserError((*here, "slug") if unknown else here, str(error), code)
                self.diff.rejected.append(RejectedRow(row.index, row.facts.name, [failure]))
                continue
            if match is None:
                slug = matcher.new_slug(row.facts.name)
                matcher.add(known_of(row.facts, slug))
                self.accepted.append(Accepted(row, RowResult(row.index, row.facts.name, slug, None, None)))
                seen[slug] = row.index
                continue
            slug = match.organization.slug
            reason: UserError | None = None
            if slug == self.network.slug:
                reason = UserError(here, "The row names the network itself: a network cannot be its own member.", UserErrorCode.CYCLE)
            elif self.ids[slug] in containing:
                reason = UserError(here, f"{slug!r} contains {self.network.slug!r}: the network would contain itself.", UserErrorCode.CYCLE)
            elif slug in seen:
                reason = UserError(here, f"The same organization ({slug!r}) as members[{seen[slug]}].", UserErrorCode.DUPLICATE)
            if reason is not None:
                self.diff.rejected.append(RejectedRow(row.index, row.facts.name, [reason]))
                self.kept.add(self.ids[slug])
                continue
            matcher.add(filled_with(match.organization, row.facts))
            seen[slug] = row.index
            self.accepted.append(Accepted(row, RowResult(row.index, row.facts.name, slug, self.ids[slug], match.rule)))
        self.progress("matching", len(read), len(read))
        self.matcher = matcher

    async def networks_containing(self) -> set[int]:
        """The networks this network belongs to, at any depth and in any period (a member among them makes a cycle)."""
        parents: dict[int, set[int]] = {}
        for member, network in await Membership.all().using_db(self.w.connection).values_list("member_id", "network_id"):
            parents.setdefault(member, set()).add(network)
        found: set[int] = set()
        frontier = [self.network.id]
        while frontier:
            frontier = [parent for node in frontier for parent in parents.get(node, ()) if parent not in found]
            found.update(frontier)
        return found

    async def replaced(self, rows: Sequence[Any]) -> None:
        """REPLACE: the open memberships of members the list does not name are ended today."""
        kept = set(self.kept)
        for rejected in self.diff.rejected:
            # A member a rejected row still recognisably names is not ended for the row's mistake.
            facts = lenient_facts(rows[rejected.index])
            try:
                found = self.matcher.find(Candidate(facts.name, facts.slug, facts.country, facts.website)) if facts else None
            except MatchError:
                found = None
            if found is not None and found.organization.slug in self.ids:
                kept.add(self.ids[found.organization.slug])
        named = {item.result.organization_id for item in self.accepted} | kept
        open_ties = await Membership.filter(network_id=self.network.id, until_edtf__isnull=True).using_db(self.w.connection).order_by("id")
        self.ended = [tie for tie in open_ties if tie.member_id not in named]
        names: dict[int, tuple[str, str]] = {}
        for chunk in chunks([tie.member_id for tie in self.ended]):
            rows_found = await Organization.filter(id__in=list(chunk)).using_db(self.w.connection).values_list("id", "slug", "name")
            names.update((pk, (slug, name)) for pk, slug, name in rows_found)
        day = today().isoformat()
        self.diff.ended.extend(
            EndedMembership(tie.member_id, *names[tie.member_id], tie.since_edtf, self.end_of(tie, day)) for tie in self.ended
        )

    # ------- what each row changes -------

    async def compare(self) -> None:
        known = [item for item in self.accepted if item.result.organization_id is not None]
        ids = [item.result.organization_id for item in known]
        stored: dict[int, Organization] = {}
        for chunk in chunks(ids):
            stored.update((row.id, row) for row in await Organization.filter(id__in=list(chunk)).using_db(self.w.connection))
        ties: dict[int, list[Membership]] = {}
        for chunk in chunks(ids):
            query = Membership.filter(network_id=self.network.id, member_id__in=list(chunk))
            for tie in await query.using_db(self.w.connection).order_by("id"):
                ties.setdefault(tie.member_id, []).append(tie)
        people = await self.focal_points([item.result.organization_id for item in known if item.row.focal_point])
        accepted = []
        for item in self.accepted:
            organization_id = item.result.organization_id
            if organization_id is not None:
                item.organization = stored[organization_id]
                problem = self.tie(item, ties.get(organization_id, []))
                if problem is not None:
                    self.diff.rejected.append(RejectedRow(item.row.index, item.row.facts.name, [problem]))
                    self.kept.add(organization_id)
                    continue
                self.fill(item)
            else:
                item.result.changes.append(FieldChange("membership.type", None, item.row.type.value))
            self.focal_point(item, people.get(organization_id, []) if organization_id is not None else [])
            accepted.append(item)
            if organization_id is None:
                self.diff.created.append(item.result)
            elif item.result.changes:
                self.diff.updated.append(item.result)
            else:
                self.diff.unchanged.append(item.result)
        self.accepted = accepted

    @staticmethod
    def end_of(tie: Membership, day: str) -> str:
        """The last day of a membership ended today (its start, when it starts later)."""
        if tie.since_earliest is not None and tie.since_earliest.isoformat() > day:
            return tie.since_edtf or day
        return day

    def fill(self, item: Accepted) -> None:
        """A known organization gains the facts the row gives that it lacks (if the caller may complete it)."""
        assert item.organization is not None
        if not self.w.viewer.may_complete_organization(item.organization.id):
            return
        for name in FILLED_FIELDS:
            value = getattr(item.row.facts, name)
            if value is not None and getattr(item.organization, name) in (None, ""):
                item.organization_changes[name] = value
                item.result.changes.append(FieldChange(name, None, audit.json_value(value)))

    def tie(self, item: Accepted, ties: list[Membership]) -> UserError | None:
        """The membership the row states: the open one changed to it, or a new one."""
        row = item.row
        since = row.since.edtf if row.since else None
        tie = next((t for t in ties if t.until_edtf is None), None) or next((t for t in ties if t.since_edtf == since), None)
        if tie is None:
            item.result.changes.append(FieldChange("membership.type", None, row.type.value))
            return None
        item.tie = tie
        wanted: dict[str, Any] = {}
        if tie.type is not row.type:
            wanted["type"] = row.type
        if row.since is not None and tie.since_edtf != since:
            if any(t.since_edtf == since for t in ties if t is not tie):
                return UserError(("members", str(row.index), "since"), "Another period of this membership started then.", UserErrorCode.TAKEN)
            wanted.update(partial_date_columns("since", row.since))
        if tie.until_edtf != (row.until.edtf if row.until else None):
            wanted.update(partial_date_columns("until", row.until))
        if wanted:
            wanted["source"] = row.source or self.source
        item.tie_changes = wanted
        for name in ("type", "since_edtf", "until_edtf"):
            if name in wanted:
                label = "membership." + name.removesuffix("_edtf")
                item.result.changes.append(FieldChange(label, audit.json_value(getattr(tie, name)), audit.json_value(wanted[name])))
        return None

    async def focal_points(self, organization_ids: list[int | None]) -> dict[int, list[tuple[str, str | None]]]:
        """The focal points (name, e-mail) stored for these organizations."""
        found: dict[int, list[tuple[str, str | None]]] = {}
        wanted = [pk for pk in organization_ids if pk is not None]
        for chunk in chunks(wanted):
            rows = await FocalPoint.filter(organization_id__in=list(chunk)).using_db(self.w.connection).values_list("organization_id", "name", "email")
            for organization_id, name, email in rows:
                found.setdefault(organization_id, []).append((name, email))
        return found

    def focal_point(self, item: Accepted, stored: list[tuple[str, str | None]]) -> None:
        """A focal point the member does not have yet (by name or e-mail) is added; the diff names only the person."""
        person = item.row.focal_point
        if person is None:
            return
        names = {name.casefold() for name, _ in stored}
        emails = {email.casefold() for _, email in stored if email}
        if person.name.casefold() in names or (person.email and person.email.casefold() in emails):
            return
        item.focal_point = person
        item.result.changes.append(FieldChange("focalPoint", None, person.name))


def _index(rejected: RejectedRow) -> int:
    return rejected.index
