"""Nested queries cost a fixed number of SQL statements, however many parents they fan out from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import models
from models.enums import OrganizationKind, OrganizerRole, ParticipationRole
from tests.factories import global_id, scratch, unpaged

THREE_LEVELS = """
query Coalitions($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Organization {
      name
      members(first: 10) { nodes {
        type
        member {
          name
          country { name }
          networks(first: 5) { nodes { network { name } } }
          organizedEvents(first: 5) { nodes { role event { name startDate } } }
          participations(first: 5) { nodes { role event { name } } }
        }
      } }
    }
  }
}
"""


async def _coalitions(rows: Any, count: int) -> list[str]:
    hub = await rows.organization(f"hub-{count}", kind=OrganizationKind.UMBRELLA_NETWORK)
    ids = []
    for i in range(count):
        coalition = await rows.organization(f"coalition-{count}-{i}", kind=OrganizationKind.UMBRELLA_NETWORK)
        for j in range(2):
            member = await rows.organization(f"member-{count}-{i}-{j}", country="KE")
            await rows.membership(member, coalition)
            await rows.membership(member, hub)
            event = await rows.event(f"event-{count}-{i}-{j}", dt.date(2023, 3, 1 + j))
            await models.EventOrganizer.create(event=event, organization=member, role=OrganizerRole.LEAD)
            await models.Participation.create(event=event, organization=member, role=ParticipationRole.SPEAKER)
        ids.append(global_id("Organization", coalition.id))
    return ids


async def test_three_level_query_costs_the_same_for_3_and_30_coalitions(gql: Any) -> None:
    async with scratch("nplus1") as rows:
        three = await _coalitions(rows, 3)
        thirty = await _coalitions(rows, 30)
        small = await gql(THREE_LEVELS, {"ids": three})
        large = await gql(THREE_LEVELS, {"ids": thirty})

    assert len(large["data"]["nodes"]) == 30
    first = unpaged(large["data"]["nodes"])[0]["members"][0]["member"]
    assert {n["network"]["name"] for n in first["networks"]} == {"nplus1 coalition-30-0", "nplus1 hub-30"}
    assert first["organizedEvents"][0]["role"] == "LEAD"
    assert first["participations"][0]["event"]["name"] == "event-30-0-0"
    small_cost = small["extensions"]["stats"]["sqlStatements"]
    large_cost = large["extensions"]["stats"]["sqlStatements"]
    assert small_cost == large_cost
    assert large_cost <= 10, large_cost  # one statement per relation and level, whatever the number of parents
