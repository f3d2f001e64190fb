"""Random valid schemas, random storage for them, and single mutations of it."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import schema_lang
from schema_lang import MISSING, ast, load, validate, validate_at
from tests.schema_lang.schema_strategies import (
    Position,
    draw_storage,
    draw_valid_document,
    structure,
)

SETTINGS = settings(max_examples=200, deadline=None)

# A value of each kind, to put where that kind is not allowed.
PALETTE: dict[str, Any] = {
    "str": "zz",
    "num": 0.125,
    "bool": True,
    "null": None,
    "arr": [],
    "obj": {},
    "liveobj": {"liveblocksType": "LiveObject", "data": {}},
    "livelist": {"liveblocksType": "LiveList", "data": []},
    "livemap": {"liveblocksType": "LiveMap", "data": {}},
    "badlive": {"liveblocksType": "LiveText", "data": {}},
}


def accepted_kinds(node: ast.TypeExpr) -> set[str]:
    if isinstance(node, ast.UnionType):
        return set().union(*(accepted_kinds(m) for m in node.members))
    if isinstance(node, ast.LiteralType):
        value = node.value
        return {"bool" if isinstance(value, bool) else "str" if isinstance(value, str) else "num"}
    if isinstance(node, ast.TypeRef):
        return {"liveobj" if node.as_live_object else "obj"}
    return {
        ast.StringType: {"str"},
        ast.NumberType: {"num"},
        ast.BooleanType: {"bool"},
        ast.NullType: {"null"},
        ast.ArrayType: {"arr"},
        ast.ObjectLiteralType: {"obj"},
        ast.LiveListType: {"livelist"},
        ast.LiveMapType: {"livemap"},
    }[type(node)]


def is_node(value: Any, live_type: str) -> bool:
    return isinstance(value, dict) and value.get("liveblocksType") == live_type


def value_at(root: Any, position: Position) -> Any:
    return root if position.parent is None else position.parent[position.key]


def put(position: Position, value: Any) -> None:
    position.parent[position.key] = value


def object_fields(
    schema: schema_lang.Schema, position: Position, value: Any
) -> tuple[ast.FieldDef, ...] | None:
    """The fields of the object type that `value` (an object) matched at `position`."""
    live = is_node(value, "LiveObject")
    if not live and (not isinstance(value, dict) or "liveblocksType" in value):
        return None
    members = position.type.members if isinstance(position.type, ast.UnionType) else (
        position.type,
    )
    for member in members:
        if isinstance(member, ast.TypeRef) and member.as_live_object == live:
            return schema.types[member.ref.name].fields
        if isinstance(member, ast.ObjectLiteralType) and not live:
            return member.fields
    return None


def data_of(value: Any) -> dict[str, Any]:
    return value["data"] if is_node(value, "LiveObject") else value  # type: ignore[no-any-return]


@SETTINGS
@given(st.data())
def test_storage_generated_from_a_valid_schema_validates(data: st.DataObject) -> None:
    document = draw_valid_document(data)
    schema = load(schema_lang.format(document))
    assert structure(schema.ast) == structure(document)
    root, positions = draw_storage(data, document)
    assert validate(schema, root) == []
    for position in positions:
        if position.steps is not None:
            assert validate_at(schema, position.steps, value_at(root, position)) == [], position


@SETTINGS
@given(st.data())
def test_a_single_mutation_is_reported_at_its_path(data: st.DataObject) -> None:
    document = draw_valid_document(data)
    schema = load(schema_lang.format(document))
    root, positions = draw_storage(data, document)

    mutations: list[tuple[str, Position, Any]] = []
    for position in positions:
        value = value_at(root, position)
        accepted = accepted_kinds(position.type)
        if position.parent is not None:
            mutations += [("replace", position, kind) for kind in PALETTE if kind not in accepted]
            if is_node(value, "LiveObject") and "obj" not in accepted:
                mutations.append(("unwrap", position, None))  # plain object for a LiveObject
            if is_node(value, "LiveList") and "arr" not in accepted:
                mutations.append(("unwrap", position, None))  # plain array for a LiveList
            if isinstance(value, list) and "livelist" not in accepted:
                mutations.append(("wrap", position, None))  # LiveList for a plain array
        fields = object_fields(schema, position, value)
        if fields is not None:
            mutations.append(("extra", position, None))
            mutations += [("drop", position, f.name.name) for f in fields if not f.optional]

    action, position, arg = data.draw(st.sampled_from(mutations))
    value = value_at(root, position)
    if action == "replace":
        put(position, PALETTE[arg])
        expected_message = "expected "
    elif action == "unwrap":
        put(position, value["data"])
        expected_message = "expected "
    elif action == "wrap":
        put(position, {"liveblocksType": "LiveList", "data": value})
        expected_message = "expected "
    elif action == "extra":
        data_of(value)["zz-extra"] = 1
        expected_message = "unexpected field 'zz-extra' (type "
    else:
        del data_of(value)[arg]
        expected_message = f"required field '{arg}' is missing"

    violations = validate(schema, root)
    assert [v.path for v in violations] == [position.path], (action, violations)
    assert violations[0].message.startswith(expected_message), violations

    # The incremental check agrees, where the position is reachable through Live containers.
    if position.steps is not None and action in ("replace", "unwrap", "wrap"):
        assert validate_at(schema, position.steps, value_at(root, position)) == violations
    if position.steps is not None and action == "drop" and is_node(value, "LiveObject"):
        steps = [*position.steps, ("LiveObject", arg)]
        assert validate_at(schema, steps, MISSING) == violations
