"""Cursor connections: every item exactly once, both directions, bad arguments refused."""

from __future__ import annotations

from typing import Any

import pytest

PAGE = """
query Page($first: Int, $after: String, $last: Int, $before: String) {
  organizations(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug name } }
  }
}
"""


async def _walk_forward(gql: Any, size: int) -> tuple[list[str], int]:
    slugs: list[str] = []
    after = None
    while True:
        page = (await gql.data(PAGE, {"first": size, "after": after}))["organizations"]
        slugs += [edge["node"]["slug"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return slugs, page["totalCount"]
        after = page["pageInfo"]["endCursor"]


async def test_forward_pages_cover_the_list_once_in_name_order(gql: Any) -> None:
    slugs, total = await _walk_forward(gql, 3)
    everything = (await gql.data(PAGE, {"first": 100}))["organizations"]
    assert total == everything["totalCount"] == len(slugs) == len(set(slugs)) > 3
    assert slugs[:100] == [edge["node"]["slug"] for edge in everything["edges"]]
    names = [edge["node"]["name"] for edge in everything["edges"]]
    assert names == sorted(names)


async def test_backward_pages_mirror_forward_pages(gql: Any) -> None:
    forward, _ = await _walk_forward(gql, 4)
    backward: list[str] = []
    before = None
    while True:
        page = (await gql.data(PAGE, {"last": 4, "before": before}))["organizations"]
        backward = [edge["node"]["slug"] for edge in page["edges"]] + backward
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert backward == forward


async def test_page_after_a_cursor_starts_right_after_it(gql: Any) -> None:
    first = (await gql.data(PAGE, {"first": 2}))["organizations"]
    second = (await gql.data(PAGE, {"first": 2, "after": first["edges"][1]["cursor"]}))["organizations"]
    everything = (await gql.data(PAGE, {"first": 4}))["organizations"]
    assert [e["node"]["slug"] for e in first["edges"] + second["edges"]] == [e["node"]["slug"] for e in everything["edges"]]
    assert second["pageInfo"]["hasPreviousPage"] is True


async def test_a_page_costs_one_select_and_one_count(gql: Any) -> None:
    first = (await gql.data(PAGE, {"first": 2}))["organizations"]
    cost = await gql.statements(PAGE, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    assert cost == 2


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 101}, "`first` must be between 0 and 100"),
        ({"first": -1}, "`first` must be between 0 and 100"),
        ({"first": 2, "last": 2}, "either `first` or `last`"),
        ({"after": "not-a-cursor"}, "is not valid"),
        ({"after": "WyJvdGhlciIsWzFdXQ"}, "another ordering"),
    ],
)
async def test_bad_pagination_arguments_get_a_clear_error(gql: Any, variables: dict[str, Any], message: str) -> None:
    body = await gql(PAGE, variables, errors=True)
    assert message in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] in {"BAD_USER_INPUT", "INVALID_CURSOR"}
