"""The schema as GraphiQL shows it: checked-in SDL, and a description on everything."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLUnionType

from schema import build_schema, print_sdl

ROOT = Path(__file__).resolve().parent.parent
FEDERATION_TYPES = {"_Service", "_Any", "_Entity", "_FieldSet", "link__Import", "link__Purpose", "federation__Scope"}


def test_checked_in_sdl_is_current() -> None:
    """schema.graphql is what the code prints; regenerate it with `make schema`."""
    assert (ROOT / "schema.graphql").read_text() == print_sdl(), "schema.graphql is stale: run `make schema`"


def _undocumented() -> list[str]:
    graphql_schema = build_schema()._schema
    missing: list[str] = []
    for name, type_ in graphql_schema.type_map.items():
        if name.startswith("__") or name in FEDERATION_TYPES or name.startswith("federation__"):
            continue
        named = (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType, GraphQLUnionType, GraphQLEnumType)
        if isinstance(type_, named) and not type_.description and name not in ("Query",):
            missing.append(name)
        if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in type_.fields.items():
                if field_name.startswith("_"):
                    continue
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing.extend(f"{name}.{field_name}({arg})" for arg, value in field.args.items() if not value.description)
        if isinstance(type_, GraphQLInputObjectType):
            missing.extend(f"{name}.{field}" for field, value in type_.fields.items() if not value.description)
        if isinstance(type_, GraphQLEnumType):
            missing.extend(f"{name}.{value}" for value, definition in type_.values.items() if not definition.description)
    return missing


def test_every_schema_element_has_a_description() -> None:
    assert _undocumented() == []
