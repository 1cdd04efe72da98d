"""Who may read and write what: the one place that decides it.

Callers are anonymous (PUBLIC) or hold an API key with a role:

- PUBLIC sees no personal data (focal points, application justifications),
  no hidden and no archived organization, office, event or call;
- COALITION speaks for one network: it also sees the hidden organizations and
  the personal data within its network (the network and its members at any
  depth, its ``scope``), and may write that network's membership data and its
  members' focal points; nothing of other networks;
- STAFF (the UNODC intranet) reads everything and writes nothing;
- ADMIN reads and writes everything.

Every read path (root lists, relationship fields, lookups, ``node``,
federation entities, search, statistics, the calendar) asks this module
through ``queries.access``, which writes the rules into every read statement;
every write asks ``may_write_*`` here. A rule changes in one place only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from domain.errors import Forbidden


class Role(str, Enum):
    """What a caller is allowed to see and change."""

    PUBLIC = "PUBLIC"
    COALITION = "COALITION"
    STAFF = "STAFF"
    ADMIN = "ADMIN"


@dataclass(frozen=True)
class Viewer:
    """The caller of one request. Anonymous callers are PUBLIC."""

    role: Role = Role.PUBLIC
    network_id: int | None = None
    """For a COALITION caller: the network organization it speaks for."""
    scope_ids: frozenset[int] = field(default_factory=frozenset)
    """For a COALITION caller: its network and the network's members at any depth, as of the request."""
    key_id: int | None = None
    """The API key the caller sent, if any."""
    name: str = "anonymous"
    """Who the caller is, for the audit log: the key's name, or the command that writes."""

    @property
    def scope(self) -> str:
        """What this caller may see, as a key: callers with the same scope get the same answers.

        A response cache keys answers by it, so that no caller is served what
        another may see and it may not.
        """
        if self.role is Role.COALITION:
            return f"coalition:{self.network_id}"
        return "all" if self.sees_everything else "public"

    # ------- reading -------

    @property
    def sees_everything(self) -> bool:
        """UNODC staff and administrators read every row and every field."""
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def can_read_personal_data(self) -> bool:
        """Whether the caller may read personal data of every organization (else at most of its scope's)."""
        return self.sees_everything

    @property
    def can_see_hidden_organizations(self) -> bool:
        """Whether the caller sees every organization withheld from public view (else at most its scope's)."""
        return self.sees_everything

    def may_read_personal_data_of(self, organization_id: int | None) -> bool:
        """Whether the caller may read the personal data (focal points, justifications) of one organization."""
        if self.sees_everything:
            return True
        return self.role is Role.COALITION and organization_id in self.scope_ids

    def may_read_all_personal_data_of(self, organization_ids: Iterable[int | None]) -> bool:
        """Whether the caller may read the personal data of every one of these organizations."""
        return all(self.may_read_personal_data_of(organization_id) for organization_id in organization_ids)

    def may_see_organization(self, organization_id: int, *, hidden: bool, archived: bool) -> bool:
        """Whether the caller may see an organization: one withheld (hidden or archived) only staff and the
        coalition whose scope it is in (``queries.access.visible`` writes the same rule in SQL)."""
        if not (hidden or archived) or self.sees_everything:
            return True
        return self.role is Role.COALITION and organization_id in self.scope_ids

    @property
    def may_read_audit_log(self) -> bool:
        """UNODC staff and administrators read the audit log; the personal data in its entries is shown to
        whoever may read the personal data of the organization it belongs to (``may_read_personal_data_of``)."""
        return self.sees_everything

    # ------- writing -------

    @property
    def may_write_everything(self) -> bool:
        """Administrators change anything."""
        return self.role is Role.ADMIN

    def may_write_network(self, network_id: int) -> bool:
        """Whether the caller may change the membership data of a network (its member list)."""
        return self.may_write_everything or (self.role is Role.COALITION and self.network_id == network_id)

    def may_write_membership(self, member_id: int, network_id: int) -> bool:
        """Whether the caller may start or end a membership: of its own network's members, never its own
        membership of a parent network (that is the parent's to change)."""
        if self.may_write_everything:
            return True
        return self.role is Role.COALITION and network_id == self.network_id and member_id != self.network_id

    def may_complete_organization(self, organization_id: int) -> bool:
        """Whether a member-list import may fill the empty facts (acronym, website...) of a known organization:
        administrators any, a coalition only those of its network's members (a newcomer's stay as they are)."""
        if self.may_write_everything:
            return True
        return self.role is Role.COALITION and organization_id in self.scope_ids

    @property
    def may_write_some_focal_points(self) -> bool:
        """Whether the caller changes any focal points at all (administrators; a coalition, its scope's)."""
        return self.may_write_everything or self.role is Role.COALITION

    def may_write_focal_points_of(self, organization_id: int) -> bool:
        """Whether the caller may change the focal points of an organization: its network's members' (any depth)."""
        if self.may_write_everything:
            return True
        return self.role is Role.COALITION and organization_id in self.scope_ids


PERSONAL_DATA_DENIED = (
    "Personal data of this organization is for UNODC staff and for the coalition whose network it belongs to."
)


def require_personal_data(viewer: Viewer, organization_ids: Iterable[int | None]) -> None:
    """Raise ``Forbidden`` unless the caller may read the personal data of every one of these organizations."""
    if not viewer.may_read_all_personal_data_of(organization_ids):
        raise Forbidden(PERSONAL_DATA_DENIED)


PUBLIC = Viewer()
"""The anonymous caller."""

COMMAND_LINE = Viewer(Role.ADMIN, name="command line")
"""The writer of the command-line tools (``manage.py``): an administrator without a key."""
