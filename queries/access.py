"""The access rules of ``domain.access`` in SQL: what every read statement adds for the viewer.

Every fetch goes through ``visible`` with the table it reads, so a new field
reading a table gets its rules without asking for them:

- ``organization`` rows that are hidden are left out unless the viewer may see them;
- a row of another table that points at a hidden organization (a membership,
  a partnership, an organizer...) is left out with it;
- rows of personal data (focal points) are left out unless the viewer may read them.
"""

from __future__ import annotations

from domain.access import Viewer
from queries.sql import Statement
from queries.tables import ORGANIZATION, Table


def visible(table: Table, alias: str, viewer: Viewer, statement: Statement) -> list[str]:
    """SQL conditions keeping only the rows of ``table`` (as ``alias``) the viewer may read."""
    conditions: list[str] = []
    if table.personal and not viewer.can_read_personal_data:
        conditions.append("1 = 0")
    if viewer.can_see_hidden_organizations:
        return conditions
    if table is ORGANIZATION:
        conditions.append(f"{alias}.hidden = {statement.false()}")
    for column in table.organization_columns:
        conditions.append(
            f"NOT EXISTS (SELECT 1 FROM organization hidden_organization"
            f" WHERE hidden_organization.id = {alias}.{column} AND hidden_organization.hidden = {statement.true()})"
        )
    return conditions


def hidden_organizations_sql(viewer: Viewer, statement: Statement) -> str | None:
    """SQL: the ids of the organizations the viewer may not see; None when the viewer may see them all."""
    if viewer.can_see_hidden_organizations:
        return None
    return f"SELECT hidden_organization.id FROM organization hidden_organization WHERE hidden_organization.hidden = {statement.true()}"


def visible_organization_sql(alias: str, viewer: Viewer, statement: Statement) -> str:
    """One condition: the organization ``alias`` may be shown to the viewer ("1 = 1" when all may)."""
    return " AND ".join(visible(ORGANIZATION, alias, viewer, statement)) or "1 = 1"
