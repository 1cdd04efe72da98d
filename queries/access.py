"""The access rules of ``domain.access`` in SQL: what every read statement adds for the viewer.

Every fetch goes through ``visible`` with the table it reads, so a new field
reading a table gets its rules without asking for them:

- ``organization`` rows that are withheld (hidden, or archived) are left out
  unless the viewer sees everything, or they are in a coalition viewer's scope;
- a row of another table that points at a withheld organization (a membership,
  a partnership, an organizer...) is left out with it;
- archived offices, events, calls... are left out unless the viewer sees everything;
- rows of personal data (focal points) are left out unless the viewer may read
  the personal data of the organization they belong to.

Fields holding personal data inside a public row (a participation's
justification) are guarded where they are read (``resolvers.access``).
"""

from __future__ import annotations

from datetime import date

from domain.access import Role, Viewer
from queries.sql import Statement, fetch, statement
from queries.tables import ORGANIZATION, Table


def withheld_sql(alias: str, st: Statement) -> str:
    """An organization left out of public reads: hidden or archived. Written as the partial index
    ``organization_withheld`` states it, so that both databases use the index."""
    hidden = f"{alias}.hidden = 1" if st.sqlite else f"{alias}.hidden"
    return f"({hidden} OR {alias}.archived_at IS NOT NULL)"


def visible(table: Table, alias: str, viewer: Viewer, statement: Statement) -> list[str]:
    """SQL conditions keeping only the rows of ``table`` (as ``alias``) the viewer may read."""
    conditions: list[str] = []
    in_scope = viewer.role is Role.COALITION and bool(viewer.scope_ids)
    if table.personal and not viewer.sees_everything:
        owner = f"{alias}.{table.organization_columns[0]}"
        conditions.append(statement.any_of(owner, sorted(viewer.scope_ids)) if in_scope else "1 = 0")
    if viewer.sees_everything:
        return conditions
    if table is ORGANIZATION:
        kept = f"NOT {withheld_sql(alias, statement)}"
        conditions.append(f"({kept} OR {statement.any_of(f'{alias}.id', sorted(viewer.scope_ids))})" if in_scope else kept)
    elif table.archivable:
        conditions.append(f"{alias}.archived_at IS NULL")
    for column in table.organization_columns:
        withheld = f"SELECT 1 FROM organization withheld WHERE withheld.id = {alias}.{column} AND {withheld_sql('withheld', statement)}"
        if in_scope:
            withheld += f" AND NOT {statement.any_of('withheld.id', sorted(viewer.scope_ids))}"
        conditions.append(f"NOT EXISTS ({withheld})")
    return conditions


def hidden_organizations_sql(viewer: Viewer, statement: Statement) -> str | None:
    """SQL: the ids of the organizations the viewer may not see; None when the viewer may see them all."""
    if viewer.sees_everything:
        return None
    sql = f"SELECT withheld.id FROM organization withheld WHERE {withheld_sql('withheld', statement)}"
    if viewer.role is Role.COALITION and viewer.scope_ids:
        sql += f" AND NOT {statement.any_of('withheld.id', sorted(viewer.scope_ids))}"
    return sql


def withheld_rows_sql(table: Table, viewer: Viewer, statement: Statement) -> str | None:
    """SQL: the ids of the rows of ``table`` the viewer may not see (withheld organizations, archived rows);
    None when the viewer may see them all."""
    if table is ORGANIZATION:
        return hidden_organizations_sql(viewer, statement)
    if table.archivable and not viewer.sees_everything:
        return f"SELECT archived.id FROM {table.name} archived WHERE archived.archived_at IS NOT NULL"
    return None


def visible_organization_sql(alias: str, viewer: Viewer, statement: Statement) -> str:
    """One condition: the organization ``alias`` may be shown to the viewer ("1 = 1" when all may)."""
    return " AND ".join(visible(ORGANIZATION, alias, viewer, statement)) or "1 = 1"


SCOPE_TYPES = ("FOUNDING", "ORDINARY", "EXTRAORDINARY", "AFFILIATED", "HONORARY", "COMMITTEE_OF", "MEMBER")
"""Ties that make an organization part of a network's scope: every membership, not a platform's listing."""


async def network_scope(network_id: int, day: date) -> frozenset[int]:
    """A network and its members at any depth, by memberships that may hold on the day given (one statement).

    Withheld members count: a coalition sees its own hidden members.
    """
    st = statement()
    on = st.bind(day)
    sql = f"""
WITH RECURSIVE scope(id) AS (
    SELECT CAST({st.bind(network_id)} AS INTEGER)
  UNION
    SELECT m.member_id FROM membership m JOIN scope s ON m.network_id = s.id
    WHERE {st.any_of("m.type", list(SCOPE_TYPES))}
      AND (m.since_earliest IS NULL OR m.since_earliest <= {on})
      AND (m.until_latest IS NULL OR m.until_latest >= {on})
)
SELECT id FROM scope"""
    return frozenset(int(row["id"]) for row in await fetch(sql, st))
