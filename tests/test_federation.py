"""The directory as an Apollo Federation v2 subgraph: its SDL, `_entities`, and composition with Apollo's tools."""

from __future__ import annotations

import json
from itertools import cycle, islice
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    DirectiveNode,
    ObjectTypeDefinitionNode,
    SchemaDefinitionNode,
    StringValueNode,
    UnionTypeDefinitionNode,
    parse,
)

from schema import FEDERATION_VERSION
from tests.factories import global_id, scratch
from tests.federation.nodejs import HERE, compose

ENTITY_LISTS = {
    "Organization": "organizations",
    "Office": "offices",
    "GoverningBody": "governingBodies",
    "Instrument": "instruments",
    "Programme": "programmes",
    "Event": "events",
    "ApplicationCall": "applicationCalls",
}
"""Each entity type and the root field that lists it."""

ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Node { id }
    ... on Organization { slug }
    ... on Office { slug }
    ... on GoverningBody { slug }
    ... on Instrument { slug }
    ... on Programme { slug }
    ... on Event { slug }
    ... on ApplicationCall { slug }
  }
}
"""


async def _sdl(gql: Any) -> str:
    return str((await gql.data("{ _service { sdl } }"))["_service"]["sdl"])


async def _samples(gql: Any) -> dict[str, list[dict[str, str]]]:
    """Up to 100 entities of each type from the fixture data, as {"id", "slug"}."""
    fields = " ".join(f"{field}(first: 100) {{ nodes {{ id slug }} }}" for field in ENTITY_LISTS.values())
    data = await gql.data(f"{{ {fields} }}")
    samples = {type_name: data[field]["nodes"] for type_name, field in ENTITY_LISTS.items()}
    assert all(samples.values()), {name: len(rows) for name, rows in samples.items()}
    return samples


def _key_fields(definition: ObjectTypeDefinitionNode) -> list[str]:
    return [
        argument.value.value
        for directive in definition.directives or ()
        if directive.name.value == "key"
        for argument in directive.arguments or ()
        if argument.name.value == "fields" and isinstance(argument.value, StringValueNode)
    ]


async def test_sdl_declares_every_entity_with_id_and_slug_keys(gql: Any) -> None:
    document = parse(await _sdl(gql))
    objects = {d.name.value: d for d in document.definitions if isinstance(d, ObjectTypeDefinitionNode)}
    keyed = {name: _key_fields(definition) for name, definition in objects.items() if _key_fields(definition)}
    assert keyed == {name: ["id", "slug"] for name in ENTITY_LISTS}

    entity_union = next(
        d for d in document.definitions if isinstance(d, UnionTypeDefinitionNode) and d.name.value == "_Entity"
    )
    assert {member.name.value for member in entity_union.types or ()} == set(ENTITY_LISTS)

    schema_definition = next(d for d in document.definitions if isinstance(d, SchemaDefinitionNode))
    links = [d for d in schema_definition.directives or () if isinstance(d, DirectiveNode) and d.name.value == "link"]
    urls = [
        a.value.value
        for link in links
        for a in link.arguments or ()
        if a.name.value == "url" and isinstance(a.value, StringValueNode)
    ]
    assert urls == [f"https://specs.apollo.dev/federation/v{FEDERATION_VERSION}"]


async def test_entities_resolve_every_type_by_id_and_by_slug(gql: Any) -> None:
    samples = await _samples(gql)
    expected = [{"__typename": name, **rows[0]} for name, rows in samples.items()]
    by_id = [{"__typename": name, "id": rows[0]["id"]} for name, rows in samples.items()]
    by_slug = [{"__typename": name, "slug": rows[0]["slug"]} for name, rows in samples.items()]

    data = await gql.data(ENTITIES, {"representations": by_id + by_slug})

    assert data["_entities"] == expected + expected


async def test_hundred_representations_of_mixed_types_cost_one_statement_per_type(gql: Any) -> None:
    samples = await _samples(gql)
    rounds = max(len(rows) for rows in samples.values())
    distinct = [(name, rows[i]) for i in range(rounds) for name, rows in samples.items() if i < len(rows)]
    pairs = list(islice(cycle(distinct), 100))

    by_id = [{"__typename": name, "id": row["id"]} for name, row in pairs]
    by_slug = [{"__typename": name, "slug": row["slug"]} for name, row in pairs]
    body = await gql(ENTITIES, {"representations": by_id})

    assert body["data"]["_entities"] == [{"__typename": name, **row} for name, row in pairs]
    assert body["extensions"]["stats"]["sqlStatements"] == len(ENTITY_LISTS)
    assert await gql.statements(ENTITIES, {"representations": by_slug}) == len(ENTITY_LISTS)
    # Each key has its own loader: mixing keys costs one statement per type and key.
    mixed = [rep if i % 2 else by_slug[i] for i, rep in enumerate(by_id)]
    loads = {(rep["__typename"], "id" in rep) for rep in mixed}
    assert len(loads) > len(ENTITY_LISTS)
    assert await gql.statements(ENTITIES, {"representations": mixed}) == len(loads)


async def test_unknown_ids_and_slugs_resolve_to_null(gql: Any) -> None:
    representations = [{"__typename": name, "id": global_id(name, 987654321)} for name in ENTITY_LISTS]
    representations += [{"__typename": name, "slug": "no-such-slug"} for name in ENTITY_LISTS]

    data = await gql.data(ENTITIES, {"representations": representations})

    assert data["_entities"] == [None] * len(representations)


async def test_hidden_organizations_resolve_to_null(gql: Any) -> None:
    async with scratch("federation") as rows:
        shown = await rows.organization("shown")
        hidden = await rows.organization("hidden", hidden=True)
        representations = [
            {"__typename": "Organization", "id": global_id("Organization", hidden.id)},
            {"__typename": "Organization", "slug": hidden.slug},
            {"__typename": "Organization", "slug": shown.slug},
        ]
        data = await gql.data(ENTITIES, {"representations": representations})

    assert data["_entities"] == [
        None,
        None,
        {"__typename": "Organization", "id": global_id("Organization", shown.id), "slug": shown.slug},
    ]


MALFORMED = {
    "missing key": ({"__typename": "Organization"}, "needs an `id` or a `slug`", "BAD_USER_INPUT"),
    "null key": ({"__typename": "Event", "slug": None}, "needs an `id` or a `slug`", "BAD_USER_INPUT"),
    "number id": ({"__typename": "Office", "id": 7}, "must be a string, not a number", "BAD_USER_INPUT"),
    "array slug": ({"__typename": "Programme", "slug": ["a"]}, "must be a string, not an array", "BAD_USER_INPUT"),
    "object id": ({"__typename": "Instrument", "id": {"pk": 1}}, "must be a string, not an object", "BAD_USER_INPUT"),
    "malformed global ID": ({"__typename": "Organization", "id": "Organization:1"}, "is not a valid ID", "INVALID_ID"),
    "global ID of another type": (
        {"__typename": "Organization", "id": global_id("Office", 1)},
        "belongs to an Office, not an Organization",
        "INVALID_ID",
    ),
    "global ID of no entity type": (
        {"__typename": "Event", "id": global_id("Review", 1)},
        "is not a valid ID",
        "INVALID_ID",
    ),
    "unknown __typename": ({"__typename": "Review", "id": "1"}, "`Review` is not an entity type", "BAD_USER_INPUT"),
    "__typename of a non-entity type": (
        {"__typename": "Country", "code": "AT"},
        "`Country` is not an entity type",
        "BAD_USER_INPUT",
    ),
    "missing __typename": ({"slug": "x"}, "needs a `__typename`", "BAD_USER_INPUT"),
    "not an object": ("Organization:1", "must be an object", "BAD_USER_INPUT"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
async def test_a_malformed_representation_gets_its_own_error(gql: Any, case: str) -> None:
    representation, message, code = MALFORMED[case]
    samples = await _samples(gql)
    good = {"__typename": "Organization", **samples["Organization"][0]}
    representations = [
        {"__typename": "Organization", "slug": good["slug"]},
        representation,
        {"__typename": "Organization", "slug": good["slug"]},
    ]

    response = await gql.http.post(
        "/graphql", json={"query": ENTITIES, "variables": {"representations": representations}}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"]["_entities"] == [good, None, good]
    [error] = body["errors"]
    assert error["path"] == ["_entities", 1]
    assert message in error["message"]
    assert error["extensions"] == {"code": code}
    assert "Traceback" not in response.text and 'File "' not in response.text


@pytest.mark.node
async def test_composes_with_a_subgraph_extending_organizations_and_events(gql: Any, tmp_path: Path) -> None:
    directory = tmp_path / "directory.graphql"
    directory.write_text(await _sdl(gql))

    result = compose(("directory", directory), ("reviews", HERE / "reviews.graphql"))

    report = json.loads(result.stdout or "{}")
    assert result.returncode == 0 and report.get("errors") == [], result.stdout + result.stderr


@pytest.mark.node
async def test_composition_check_fails_on_a_conflicting_subgraph(gql: Any, tmp_path: Path) -> None:
    directory = tmp_path / "directory.graphql"
    directory.write_text(await _sdl(gql))
    conflicting = tmp_path / "conflicting.graphql"
    conflicting.write_text(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n'
        "type Query { topOrganization: Organization }\n"
        'type Organization @key(fields: "id") { id: ID! name: Int! }\n'
    )

    result = compose(("directory", directory), ("conflicting", conflicting))

    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["errors"] and any("Organization.name" in error["message"] for error in report["errors"]), report
