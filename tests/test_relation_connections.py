"""Relationships that grow are connections: filtered, ordered, paged, and batched across parents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import models
from models.enums import GoverningBodyKind
from tests.factories import global_id, scratch

BODIES = """
query($ids: [ID!]!, $first: Int, $after: String, $filter: EventFilter, $order: EventOrder) {
  nodes(ids: $ids) {
    ... on GoverningBody {
      slug
      events(first: $first, after: $after, filter: $filter, orderBy: $order) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { slug startDate }
      }
    }
  }
}
"""


async def _bodies(rows: Any, count: int, events_each: int) -> list[str]:
    ids = []
    for i in range(count):
        body = await rows._keep(
            models.GoverningBody.create(slug=f"rel-body-{count}-{i}", name=f"Body {count}-{i}", kind=GoverningBodyKind.CONGRESS)
        )
        for j in range(events_each):
            await rows.event(f"rel-{count}-{i}-{j}", dt.date(2030, 1, 1 + j), governing_body=body)
        ids.append(global_id("GoverningBody", body.id))
    return ids


async def test_pages_of_many_parents_cost_the_same_statements(gql: Any) -> None:
    async with scratch("rel") as rows:
        three = await _bodies(rows, 3, 3)
        thirty = await _bodies(rows, 30, 3)
        small = await gql(BODIES, {"ids": three, "first": 2})
        large = await gql(BODIES, {"ids": thirty, "first": 2})
    # the bodies, the pages of all of them, their counts, and the events' dates
    assert small["extensions"]["stats"]["sqlStatements"] == large["extensions"]["stats"]["sqlStatements"] == 4
    for body in large["data"]["nodes"]:
        assert body["events"]["totalCount"] == 3
        assert len(body["events"]["nodes"]) == 2 and body["events"]["pageInfo"]["hasNextPage"] is True


async def test_a_relation_pages_filters_and_orders_like_the_root_list(gql: Any) -> None:
    async with scratch("relp") as rows:
        ids = await _bodies(rows, 1, 5)
        first = (await gql.data(BODIES, {"ids": ids, "first": 2}))["nodes"][0]["events"]
        rest = (await gql.data(BODIES, {"ids": ids, "first": 10, "after": first["pageInfo"]["endCursor"]}))["nodes"][0]["events"]
        window = (await gql.data(BODIES, {"ids": ids, "filter": {"dateFrom": "2030-01-04"}}))["nodes"][0]["events"]
        latest = (await gql.data(BODIES, {"ids": ids, "first": 1, "order": {"field": "START_DATE", "direction": "DESC"}}))
    dates = [n["startDate"] for n in first["nodes"] + rest["nodes"]]
    assert dates == ["2030-01-01", "2030-01-02", "2030-01-03", "2030-01-04", "2030-01-05"]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert [n["startDate"] for n in window["nodes"]] == ["2030-01-04", "2030-01-05"] and window["totalCount"] == 2
    assert latest["nodes"][0]["events"]["nodes"] == [{"slug": "relp-rel-1-0-4", "startDate": "2030-01-05"}]
