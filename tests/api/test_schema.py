"""The published SDL matches the code; every type, field, argument and enum value is described."""
from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from hub.api.graphiql import EXAMPLE_DOCUMENT
from hub.api.schema import SDL_PATH, export_sdl, schema, sdl


def test_sdl_file_matches_the_code():
    assert SDL_PATH.exists(), "schema/schema.graphql is missing: run `ocop-hub schema export` (or `make schema`)"
    assert SDL_PATH.read_text(encoding="utf-8") == sdl(), (
        "schema/schema.graphql is out of date with hub/api: regenerate it with `ocop-hub schema export` "
        "(or `make schema`) and commit the result")


def test_export_sdl_writes_the_file(tmp_path):
    path = export_sdl(tmp_path / "out" / "schema.graphql")
    assert path.read_text(encoding="utf-8") == sdl()
    assert "type StatsBucket" in sdl() and "enum StatsDimension" in sdl()


def test_everything_has_a_description():
    missing = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "Float", "ID"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, (GraphQLObjectType, GraphQLInputObjectType)):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(graphql_type, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in graphql_type.values.items() if not value.description]
    assert not missing, f"undocumented: {missing}"


def test_example_document_runs(data):
    buckets = data(EXAMPLE_DOCUMENT)["stats"]
    assert buckets and all(b["key"]["province"]["code"] and b["key"]["stars"] for b in buckets)
