"""Who may read what: the one place that decides visibility and personal data.

Every read path (root lists, relationship fields, node lookups, federation
entities, search) asks this module, through ``queries.access``, which writes
its rules into every read statement, so a rule changes in one place only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(str, Enum):
    """What a caller is allowed to see."""

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

    @property
    def scope(self) -> str:
        """What this caller may see, as a key: callers with the same scope get the same answers.

        A response cache keys answers by it, so that no caller is served what
        another may see and it may not.
        """
        if self.role is Role.COALITION:
            return f"coalition:{self.network_id}"
        return "all" if self.can_see_hidden_organizations else "public"

    @property
    def can_read_personal_data(self) -> bool:
        """Focal points' names, e-mails and phones are for UNODC staff only."""
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def can_see_hidden_organizations(self) -> bool:
        """Organizations withheld from public view (e.g. for reprisal risk)."""
        return self.role in (Role.STAFF, Role.ADMIN)


PUBLIC = Viewer()
