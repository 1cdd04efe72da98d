"""Importing a network's member list (``networkMembersImport``, ``manage.py import-members``): a diff, all or nothing.

A coalition (or an administrator) sends rows (``domain.member_import``). Each
row names an organization by the one matching rule (``domain.matching``: a
slug, else the website's domain, else the normalized name plus country);
an organization no row of the directory fits is created. The answer is a
diff: the rows that created an organization, those that changed something
(field by field, before and after), those that changed nothing, the
memberships a REPLACE ended (members the list no longer names), and the
rows rejected, each with its reasons.

What an import changes:

- organizations: new ones are created; known ones only gain the facts they
  lack (a known value is never overwritten: the directory's own data wins,
  as when the curated lists are loaded), and from a coalition only when they
  are its network's members already (``Viewer.may_complete_organization``);
- the tie to the network: created, or its type and dates set to what the row
  states; new ties record the network as their maintainer (``origin``
  ``import:<network slug>``) and, without a row ``source``, the network's
  submission as their source;
- a focal point (personal data) is added when the member has none of that
  name or e-mail; stored personal data is never echoed in the diff;
- REPLACE only: the open memberships of the network that the list does not
  name are ended today (kept in the history, never deleted).

It all runs in one transaction with batched statements (a few per 500 rows,
whatever the list's length). A rejected row refuses the whole import unless
the caller asks to skip bad rows; a dry run makes the same changes and
rolls them back, so its diff is exactly what the import would do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from domain import validation
from domain.access import Viewer
from domain.errors import InvalidId
from domain.ids import parse_global_id
from domain.matching import Candidate, Matcher, MatchError
from domain.member_import import FocalPointRow, ImportRow, lenient_facts, read_row
from domain.user_errors import Rejected, UserError, UserErrorCode
from models import AuditEntry, FocalPoint, Membership, Organization
from models.dates import partial_date_columns, today
from models.enums import OrganizationKind
from services import audit
from services.member_lists import filled_with, known_of, known_organizations_and_ids
from services.search_index import reindex
from services.writes import Write, write

T = TypeVar("T")

MAX_ROWS = 10_000
"""Most rows one GraphQL import may carry (the command line takes any number)."""
BATCH = 500
"""Rows per batched statement (well under both databases' limits of bound values)."""
FILLED_FIELDS = ("acronym", "kind", "country", "city", "website")
"""Facts of a known organization an import may fill while they are empty."""

Progress = Callable[[str, int, int], None]
"""Told ``(stage, done, total)`` as an import goes (the command line draws a progress bar)."""


class Mode(str, Enum):
    """How a list relates to the network's current members."""

    MERGE = "MERGE"
    REPLACE = "REPLACE"


def import_origin(network_slug: str) -> str:
    """``origin`` of the ties an import creates: ``import:<network slug>`` (never touched by ``load-data``)."""
    return f"import:{network_slug}"


@dataclass(frozen=True)
class FieldChange:
    """One field of an organization, its membership (``membership.type``...) or focal point, before and after."""

    field: str
    before: Any
    after: Any


@dataclass
class RowResult:
    """What a row did: the organization it names (by slug; its id unless a dry run created it) and its changes."""

    index: int
    name: str
    slug: str
    organization_id: int | None
    matched_by: str | None
    """``slug``, ``website`` or ``name``; None for an organization the row created."""
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class EndedMembership:
    """A membership a REPLACE ended: the member no longer on the list."""

    organization_id: int
    slug: str
    name: str
    since: str | None
    until: str


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not applied, and why (each reason's ``field`` is its path in the input)."""

    index: int
    name: str | None
    reasons: list[UserError]


@dataclass
class ImportDiff:
    """The answer of an import, applied or not."""

    network_id: int
    network_slug: str
    mode: Mode
    dry_run: bool
    applied: bool = False
    created: list[RowResult] = field(default_factory=list)
    updated: list[RowResult] = field(default_factory=list)
    unchanged: list[RowResult] = field(default_factory=list)
    ended: list[EndedMembership] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


@dataclass
class ImportResult:
    """The diff (None when the import was refused before reading its rows) and the problems that refused it."""

    diff: ImportDiff | None
    errors: list[UserError]


class _DryRun(Rejected):
    """Rolls a dry run's transaction back once its diff is known."""


async def import_members(
    viewer: Viewer,
    network: str,
    rows: Sequence[Any],
    *,
    mode: Mode = Mode.MERGE,
    dry_run: bool = False,
    skip_invalid: bool = False,
    max_rows: int | None = MAX_ROWS,
    progress: Progress | None = None,
    operation: str = "networkMembersImport",
) -> ImportResult:
    """Import ``rows`` into ``network`` (a slug or a global ID) as ``viewer``; see the module."""
    diffs: list[ImportDiff] = []

    async def body(w: Write) -> ImportDiff:
        target = await _network(w, network)
        if max_rows is not None and len(rows) > max_rows:
            raise w.refuse(
                ("input", "members"),
                f"{len(rows):,} rows; one request takes at most {max_rows:,} (the command line takes any number).",
                UserErrorCode.TOO_MANY,
            )
        diff = ImportDiff(target.id, target.slug, mode, dry_run)
        diffs.append(diff)
        plan = await _Plan.make(w, target, rows, diff, progress or _quiet)
        if diff.rejected and not skip_invalid:
            for rejected in diff.rejected:
                for reason in rejected.reasons:
                    w.problem(("input", *(reason.field or ())), reason.message, reason.code)
            w.reject_if_problems()
        await plan.apply()
        if dry_run:
            raise _DryRun([])
        diff.applied = True
        return diff

    result = await write(viewer, operation, body)
    diff = diffs[0] if diffs else None
    if diff is not None and not diff.applied:
        for row in diff.created:
            row.organization_id = None  # rolled back: it does not exist
    if diff is not None and diff.applied:
        changed = [row.organization_id for row in (*diff.created, *diff.updated) if row.organization_id is not None]
        if changed:
            await reindex("Organization", changed)
    return ImportResult(diff, result.errors)


async def _network(w: Write, reference: str) -> Organization:
    """The network of the import, by slug or global ID, after checking the caller may change its list."""
    where = ("input", "network")
    if validation.slug(reference) is None:
        row = await Organization.filter(slug=reference).using_db(w.connection).first()
    else:
        try:
            _, pk = parse_global_id(reference, "Organization")
        except InvalidId as error:
            raise w.refuse(where, str(error), UserErrorCode.INVALID) from None
        row = None if not w.viewer.may_write_network(pk) else await Organization.filter(id=pk).using_db(w.connection).first()
        if row is None and w.viewer.may_write_network(pk):
            raise w.refuse(where, "No organization has this ID.", UserErrorCode.NOT_FOUND)
    if row is None or not w.viewer.may_write_network(row.id):
        if w.viewer.may_write_everything:
            raise w.refuse(where, f"No organization has the slug {reference!r}.", UserErrorCode.NOT_FOUND)
        raise w.refuse(
            where, "A coalition key imports into its own network only; administrators into any.", UserErrorCode.FORBIDDEN
        )
    if row.kind is not OrganizationKind.UMBRELLA_NETWORK:
        raise w.refuse(where, f"{row.name} is not a network: only networks have member lists.", UserErrorCode.NOT_A_NETWORK)
    if row.archived_at is not None:
        raise w.refuse(where, f"{row.name} is archived.", UserErrorCode.ARCHIVED)
    return row


def _quiet(stage: str, done: int, total: int) -> None:
    """No progress to show."""


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    """``items`` in slices of ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Accepted:
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
class _Plan:
    """What an import will write, worked out with a few batched reads and no write."""

    w: Write
    network: Organization
    diff: ImportDiff
    progress: Progress
    accepted: list[_Accepted] = field(default_factory=list)
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
    async def make(cls, w: Write, network: Organization, rows: Sequence[Any], diff: ImportDiff, progress: Progress) -> _Plan:
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
                self.accepted.append(_Accepted(row, RowResult(row.index, row.facts.name, slug, None, None)))
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
            self.accepted.append(_Accepted(row, RowResult(row.index, row.facts.name, slug, self.ids[slug], match.rule)))
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

    def fill(self, item: _Accepted) -> None:
        """A known organization gains the facts the row gives that it lacks (if the caller may complete it)."""
        assert item.organization is not None
        if not self.w.viewer.may_complete_organization(item.organization.id):
            return
        for name in FILLED_FIELDS:
            value = getattr(item.row.facts, name)
            if value is not None and getattr(item.organization, name) in (None, ""):
                item.organization_changes[name] = value
                item.result.changes.append(FieldChange(name, None, audit.json_value(value)))

    def tie(self, item: _Accepted, ties: list[Membership]) -> UserError | None:
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

    def focal_point(self, item: _Accepted, stored: list[tuple[str, str | None]]) -> None:
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

    # ------- writing it -------

    async def apply(self) -> None:
        connection = self.w.connection
        entries: list[AuditEntry | None] = []
        created = [item for item in self.accepted if item.organization is None]
        total = len(created)
        for done, chunk in enumerate(chunks(created), 1):
            await Organization.bulk_create([self.new_organization(item) for item in chunk], using_db=connection)
            slugs = [item.result.slug for item in chunk]
            ids = dict(await Organization.filter(slug__in=slugs).using_db(connection).values_list("slug", "id"))
            for item in chunk:
                item.result.organization_id = ids[item.result.slug]
                entries.append(self.entry("Organization", item.result.organization_id, None, self.organization_values(item)))
            self.progress("organizations", min(done * BATCH, total), total)
        await self.update_organizations(entries)
        await self.write_memberships(entries)
        await self.write_focal_points(entries)
        made = [entry for entry in entries if entry is not None]
        for done, batch in enumerate(chunks(made), 1):
            await audit.record_many(list(batch), using=connection)
            self.progress("audit log", min(done * BATCH, len(made)), len(made))

    def entry(
        self, object_type: str, object_id: int | None, before: dict[str, Any] | None, after: dict[str, Any] | None,
        *, personal: bool = False,
    ) -> AuditEntry | None:  # fmt: skip
        return audit.entry(self.w.viewer, self.w.operation, object_type, object_id, before, after, personal=personal)

    def organization_values(self, item: _Accepted) -> dict[str, Any]:
        facts = item.row.facts
        values = {name: getattr(facts, name) for name in ("name", *FILLED_FIELDS)}
        return {"slug": item.result.slug, **values, "source": item.row.source or self.source}

    def new_organization(self, item: _Accepted) -> Organization:
        return Organization(**self.organization_values(item))

    async def update_organizations(self, entries: list[AuditEntry | None]) -> None:
        changed = [item for item in self.accepted if item.organization is not None and item.organization_changes]
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
            entries.append(self.entry("Organization", organization.id, before, {**item.organization_changes, "version": organization.version}))
        for chunk in chunks(changed):
            await Organization.bulk_update(
                [item.organization for item in chunk if item.organization is not None],
                fields=sorted({*fields, "version", "updated_at"}),
                using_db=self.w.connection,
            )

    async def write_memberships(self, entries: list[AuditEntry | None]) -> None:
        connection = self.w.connection
        origin = import_origin(self.network.slug)
        new = [item for item in self.accepted if item.tie is None]
        for done, chunk in enumerate(chunks(new), 1):
            await Membership.bulk_create([self.new_tie(item, origin) for item in chunk], using_db=connection)
            self.progress("memberships", min(done * BATCH, len(new)), len(new))
        if new:
            stored = await Membership.filter(network_id=self.network.id, origin=origin).using_db(connection).values_list("id", "member_id", "since_edtf")
            ids = {(member, since): pk for pk, member, since in stored}
            for item in new:
                since = item.row.since.edtf if item.row.since else None
                entries.append(self.entry("Membership", ids.get((item.result.organization_id, since)), None, self.tie_values(item, origin)))
        changed = [item for item in self.accepted if item.tie is not None and item.tie_changes]
        fields: set[str] = set()
        for item in changed:
            tie = item.tie
            assert tie is not None
            before = {name: getattr(tie, name) for name in item.tie_changes}
            for name, value in item.tie_changes.items():
                setattr(tie, name, value)
            fields.update(item.tie_changes)
            entries.append(self.entry("Membership", tie.id, before, dict(item.tie_changes)))
        for chunk in chunks(changed):
            await Membership.bulk_update([item.tie for item in chunk if item.tie is not None], fields=sorted(fields), using_db=connection)
        await self.end_memberships(entries)

    async def end_memberships(self, entries: list[AuditEntry | None]) -> None:
        by_day: dict[str, list[Membership]] = {}
        for tie, ended in zip(self.ended, self.diff.ended, strict=True):
            by_day.setdefault(ended.until, []).append(tie)
            entries.append(self.entry("Membership", tie.id, {"until_edtf": None}, {"until_edtf": ended.until}))
        for day, ties in by_day.items():
            for chunk in chunks(ties):
                ids = [tie.id for tie in chunk]
                await Membership.filter(id__in=ids).using_db(self.w.connection).update(**partial_date_columns("until", day))

    def tie_values(self, item: _Accepted, origin: str) -> dict[str, Any]:
        row = item.row
        return {
            "member_id": item.result.organization_id,
            "network_id": self.network.id,
            "type": row.type,
            **partial_date_columns("since", row.since),
            **partial_date_columns("until", row.until),
            "source": row.source or self.source,
            "origin": origin,
        }

    def new_tie(self, item: _Accepted, origin: str) -> Membership:
        return Membership(**self.tie_values(item, origin))

    async def write_focal_points(self, entries: list[AuditEntry | None]) -> None:
        items = [item for item in self.accepted if item.focal_point is not None]
        connection = self.w.connection
        for chunk in chunks(items):
            people = [FocalPoint(organization_id=item.result.organization_id, **vars(item.focal_point)) for item in chunk]
            await FocalPoint.bulk_create(people, using_db=connection)
            stored = await FocalPoint.filter(organization_id__in=[item.result.organization_id for item in chunk]).using_db(connection).values_list("id", "organization_id", "name")
            ids = {(organization_id, name): pk for pk, organization_id, name in stored}
            for item in chunk:
                person = item.focal_point
                assert person is not None
                pk = ids.get((item.result.organization_id, person.name))
                values = {"organization_id": item.result.organization_id, **vars(person)}
                entries.append(self.entry("FocalPoint", pk, None, values, personal=True))


def _index(rejected: RejectedRow) -> int:
    return rejected.index

