"""SCHEMA_LANGUAGE.md §3: storage documents (Plain LSON) against a checked schema."""

from __future__ import annotations

from typing import Any

import pytest

from schema_lang import MISSING, Schema, Violation, load, validate, validate_at

TODO_SCHEMA = """
type Storage {
  todos: LiveList<LiveObject<Todo>>
  logo: LiveObject<Logo>
  tags: LiveList<string>
  meta?: Meta
  byId?: LiveMap<string, LiveObject<Todo> | null>
  scores?: number[]
}
type Todo { text: string, checked: boolean, status?: "open" | "done" | 3 }
type Logo { url: string, size?: number }
type Meta { owner: string | null, labels: string[] }
"""


def obj(**data: Any) -> dict[str, Any]:
    return {"liveblocksType": "LiveObject", "data": data}


def lst(*items: Any) -> dict[str, Any]:
    return {"liveblocksType": "LiveList", "data": list(items)}


def mp(**entries: Any) -> dict[str, Any]:
    return {"liveblocksType": "LiveMap", "data": entries}


def todo(**overrides: Any) -> dict[str, Any]:
    return obj(**{"text": "a", "checked": False, **overrides})


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load(TODO_SCHEMA)


def root(**overrides: Any) -> dict[str, Any]:
    data = {"todos": lst(todo()), "logo": obj(url="x"), "tags": lst("a"), **overrides}
    return obj(**{k: v for k, v in data.items() if v is not MISSING})


def messages(violations: list[Violation]) -> list[str]:
    return [str(v) for v in violations]


def test_a_valid_document_has_no_violations(schema: Schema) -> None:
    document = root(
        meta={"owner": None, "labels": ["x"]},
        byId=mp(a=todo(status="done"), b=None),
        scores=[1, 2.5, -3],
    )
    assert validate(schema, document) == []


def test_the_spec_examples(schema: Schema) -> None:
    document = root(
        todos=lst(todo(), todo(extra=1), todo(checked="yes"), obj(text="a")),
        logo={"url": "x"},
        tags=["a"],
    )
    assert messages(validate(schema, document)) == [
        "root.todos[1]: unexpected field 'extra' (type Todo has no such field)",
        'root.todos[2].checked: expected boolean, got string "yes"',
        "root.todos[3]: required field 'checked' is missing",
        "root.logo: expected LiveObject<Logo>, got a plain object",
        "root.tags: expected LiveList<string>, got a plain array",
    ]


def test_violation_is_a_frozen_path_and_message() -> None:
    violation = Violation("root.a", "expected string, got null")
    assert str(violation) == "root.a: expected string, got null"
    with pytest.raises(AttributeError):
        violation.path = "x"  # type: ignore[misc]


# The root


@pytest.mark.parametrize(
    ("document", "got"),
    [
        ({"todos": []}, "a plain object"),
        (lst(), "a LiveList"),
        (mp(), "a LiveMap"),
        (None, "null"),
        ("storage", 'string "storage"'),
    ],
)
def test_the_root_must_be_a_liveobject(schema: Schema, document: Any, got: str) -> None:
    assert messages(validate(schema, document)) == [
        f"root: expected LiveObject<Storage>, got {got}"
    ]


def test_the_root_must_match_storage(schema: Schema) -> None:
    assert messages(validate(schema, obj())) == [
        "root: required field 'todos' is missing",
        "root: required field 'logo' is missing",
        "root: required field 'tags' is missing",
    ]


# Scalars and literals


@pytest.mark.parametrize(
    ("type_text", "value", "got"),
    [
        ("string", 1, "number 1"),
        ("string", None, "null"),
        ("number", "1", 'string "1"'),
        ("number", True, "boolean true"),
        ("boolean", 0, "number 0"),
        ("boolean", "true", 'string "true"'),
        ("null", False, "boolean false"),
        ("null", {}, "a plain object"),
        ("string", [], "a plain array"),
        ("number", 1.5e300 * 1e10, "Infinity, which is not a JSON value"),
        ("number", float("nan"), "NaN, which is not a JSON value"),
    ],
)
def test_scalars_are_strict(type_text: str, value: Any, got: str) -> None:
    schema = load(f"type Storage {{ a: {type_text} }}")
    assert messages(validate(schema, obj(a=value))) == [f"root.a: expected {type_text}, got {got}"]


@pytest.mark.parametrize(
    ("type_text", "value"),
    [("string", ""), ("number", 0), ("number", -2.5), ("number", 10**30), ("boolean", False),
     ("null", None)],
)
def test_scalars_accept_their_json_type(type_text: str, value: Any) -> None:
    schema = load(f"type Storage {{ a: {type_text} }}")
    assert validate(schema, obj(a=value)) == []


def test_literals_need_exact_equality() -> None:
    schema = load("type Storage { s: \"done\", n: 200, b: true }")
    assert validate(schema, obj(s="done", n=200, b=True)) == []
    assert validate(schema, obj(s="done", n=200.0, b=True)) == []
    assert messages(validate(schema, obj(s="Done", n=201, b=1))) == [
        'root.s: expected "done", got string "Done"',
        "root.n: expected 200, got number 201",
        "root.b: expected true, got number 1",
    ]


def test_long_strings_are_shortened_in_messages() -> None:
    schema = load("type Storage { a: number }")
    (violation,) = validate(schema, obj(a="x" * 100))
    assert violation.message == f'expected number, got string "{"x" * 40}…"'


# Objects


def test_static_types_are_plain_objects(schema: Schema) -> None:
    document = root(meta=obj(owner=None, labels=[]))
    assert messages(validate(schema, document)) == [
        "root.meta: expected Meta (a plain object), got a LiveObject"
    ]


def test_optional_fields_may_be_absent_but_are_not_nullable(schema: Schema) -> None:
    assert validate(schema, root(logo=obj(url="x"))) == []
    assert messages(validate(schema, root(logo=obj(url="x", size=None)))) == [
        "root.logo.size: expected number, got null"
    ]


def test_object_literals() -> None:
    schema = load("type Storage { p: { x: number, y?: number } }")
    assert validate(schema, obj(p={"x": 1})) == []
    assert messages(validate(schema, obj(p={"y": 1, "z": 2}))) == [
        "root.p: required field 'x' is missing",
        "root.p: unexpected field 'z' (type { x: number, y?: number } has no such field)",
    ]
    assert messages(validate(schema, obj(p=obj(x=1)))) == [
        "root.p: expected { x: number, y?: number } (a plain object), got a LiveObject"
    ]


def test_extra_fields_are_rejected_on_liveobjects_too(schema: Schema) -> None:
    document = root(logo=obj(url="x", width=3))
    assert messages(validate(schema, document)) == [
        "root.logo: unexpected field 'width' (type Logo has no such field)"
    ]


# Arrays, LiveLists, LiveMaps


def test_arrays_are_plain_json_arrays(schema: Schema) -> None:
    assert messages(validate(schema, root(scores=lst(1)))) == [
        "root.scores: expected number[] (a plain array), got a LiveList"
    ]
    assert messages(validate(schema, root(scores=[1, "2", None]))) == [
        'root.scores[1]: expected number, got string "2"',
        "root.scores[2]: expected number, got null",
    ]


def test_livelist_items_are_checked(schema: Schema) -> None:
    assert messages(validate(schema, root(todos=lst(todo(), {"text": "a", "checked": True})))) == [
        "root.todos[1]: expected LiveObject<Todo>, got a plain object"
    ]


def test_a_livelist_of_static_objects_holds_plain_objects() -> None:
    schema = load("type Storage { points: LiveList<Point> }\ntype Point { x: number }")
    assert validate(schema, obj(points=lst({"x": 1}))) == []
    assert messages(validate(schema, obj(points=lst(obj(x=1))))) == [
        "root.points[0]: expected Point (a plain object), got a LiveObject"
    ]


def test_livemaps(schema: Schema) -> None:
    document = root(byId=mp(**{"a": todo(), "b c": 3, "d": obj(text=1, checked=True)}))
    assert messages(validate(schema, document)) == [
        'root.byId["b c"]: expected LiveObject<Todo> | null, got number 3',
        "root.byId.d.text: expected string, got number 1",
    ]
    assert messages(validate(schema, root(byId={"a": None}))) == [
        "root.byId: expected LiveMap<string, LiveObject<Todo> | null>, got a plain object"
    ]


# Unions


def test_unions_dispatch_on_the_kind_of_value() -> None:
    schema = load(
        "type Storage { u: string | number[] | A | LiveObject<B> | LiveList<string> | null }\n"
        "type A { a: number }\ntype B { b: number }"
    )
    for value in ["x", [1], {"a": 1}, obj(b=1), lst("x"), None]:
        assert validate(schema, obj(u=value)) == [], value
    assert messages(validate(schema, obj(u={"b": 1}))) == [
        "root.u: required field 'a' is missing",
        "root.u: unexpected field 'b' (type A has no such field)",
    ]
    assert messages(validate(schema, obj(u=obj(a=1)))) == [
        "root.u: required field 'b' is missing",
        "root.u: unexpected field 'a' (type B has no such field)",
    ]
    label = "string | number[] | A | LiveObject<B> | LiveList<string> | null"
    assert messages(validate(schema, obj(u=True))) == [f"root.u: expected {label}, got boolean true"]
    assert messages(validate(schema, obj(u=mp()))) == [f"root.u: expected {label}, got a LiveMap"]


def test_unions_of_literals(schema: Schema) -> None:
    assert validate(schema, root(todos=lst(todo(status=3), todo(status=3.0)))) == []
    assert messages(validate(schema, root(todos=lst(todo(status="closed"), todo(status=4))))) == [
        'root.todos[0].status: expected "open" | "done" | 3, got string "closed"',
        'root.todos[1].status: expected "open" | "done" | 3, got number 4',
    ]


# Unknown and malformed Live structures


@pytest.mark.parametrize(
    ("value", "got"),
    [
        ({"liveblocksType": "LiveText", "data": {}},
         'an object with an unsupported liveblocksType "LiveText"'),
        ({"liveblocksType": 3}, "an object with an unsupported liveblocksType 3"),
        ({"liveblocksType": "LiveObject"}, 'a malformed LiveObject (its "data" must be an object)'),
        ({"liveblocksType": "LiveList", "data": {}},
         'a malformed LiveList (its "data" must be an array)'),
        ({"liveblocksType": "LiveMap", "data": []},
         'a malformed LiveMap (its "data" must be an object)'),
    ],
)
def test_unknown_and_malformed_live_types_are_invalid(value: Any, got: str) -> None:
    schema = load("type Storage { a: LiveObject<A> | { x?: number } }\ntype A {}")
    (violation,) = validate(schema, obj(a=value))
    assert violation.path == "root.a"
    assert violation.message.endswith(f"got {got}")


def test_values_that_are_not_json(schema: Schema) -> None:
    schema = load("type Storage { a: string }")
    (violation,) = validate(schema, obj(a=object()))
    assert violation.message == "expected string, got a object, which is not a JSON value"
    assert validate(schema, obj(a=("x",))) != []


def test_every_violation_is_reported_in_document_order() -> None:
    schema = load("type Storage { items: LiveList<LiveObject<Item>> }\ntype Item { n: number }")
    items = [obj(n=i) if i % 3 else obj(n=str(i)) for i in range(30)]
    violations = validate(schema, obj(items=lst(*items)))
    assert [v.path for v in violations] == [f"root.items[{i}].n" for i in range(0, 30, 3)]


def test_deep_documents_do_not_recurse() -> None:
    depth = 3000
    lines = ["type Storage { next: LiveObject<T0> }"]
    lines += [f"type T{i} {{ next?: LiveObject<T{i + 1}> }}" for i in range(depth)]
    lines.append(f"type T{depth} {{ leaf: string }}")
    schema = load("\n".join(lines))
    document: dict[str, Any] = obj(leaf=1)
    for _ in range(depth + 1):
        document = obj(next=document)
    (violation,) = validate(schema, document)
    assert violation.path == "root" + ".next" * (depth + 1) + ".leaf"
    nested: Any = 1
    for _ in range(100_000):
        nested = [nested]
    assert len(validate(load("type Storage { a: number[][] }"), obj(a=nested))) == 1


# validate_at


def test_validate_at_the_root_is_validate(schema: Schema) -> None:
    document = root(logo={"url": "x"})
    assert validate_at(schema, [], document) == validate(schema, document)
    assert validate_at(schema, [], root()) == []


def test_validate_at_a_list_item(schema: Schema) -> None:
    path = [("LiveObject", "todos"), ("LiveList", 2)]
    assert validate_at(schema, path, todo()) == []
    assert messages(validate_at(schema, path, todo(checked="yes"))) == [
        'root.todos[2].checked: expected boolean, got string "yes"'
    ]
    assert messages(validate_at(schema, path, {"text": "a", "checked": True})) == [
        "root.todos[2]: expected LiveObject<Todo>, got a plain object"
    ]


def test_validate_at_a_field_deep_inside(schema: Schema) -> None:
    path = [("LiveObject", "todos"), ("LiveList", 0), ("LiveObject", "checked")]
    assert validate_at(schema, path, True) == []
    assert messages(validate_at(schema, path, "yes")) == [
        'root.todos[0].checked: expected boolean, got string "yes"'
    ]


def test_validate_at_a_map_entry_through_a_union(schema: Schema) -> None:
    assert validate_at(schema, [("LiveObject", "byId"), ("LiveMap", "k")], None) == []
    path = [("LiveObject", "byId"), ("LiveMap", "k"), ("LiveObject", "text")]
    assert validate_at(schema, path, "t") == []
    assert messages(validate_at(schema, path, 5)) == [
        "root.byId.k.text: expected string, got number 5"
    ]
    path = [("LiveObject", "byId"), ("LiveMap", "a b"), ("LiveObject", "text")]
    assert messages(validate_at(schema, path, 5)) == [
        'root.byId["a b"].text: expected string, got number 5'
    ]


def test_removing_keys(schema: Schema) -> None:
    todo_path = [("LiveObject", "todos"), ("LiveList", 2)]
    assert messages(validate_at(schema, [*todo_path, ("LiveObject", "checked")], MISSING)) == [
        "root.todos[2]: required field 'checked' is missing"
    ]
    assert validate_at(schema, [*todo_path, ("LiveObject", "status")], MISSING) == []
    assert validate_at(schema, todo_path, MISSING) == []
    assert validate_at(schema, [("LiveObject", "byId"), ("LiveMap", "x")], MISSING) == []
    assert validate_at(schema, [("LiveObject", "meta")], MISSING) == []
    assert messages(validate_at(schema, [], MISSING)) == [
        "root: the root LiveObject cannot be removed"
    ]
    assert repr(MISSING) == "MISSING"


def test_steps_that_do_not_exist_in_the_schema(schema: Schema) -> None:
    assert messages(validate_at(schema, [("LiveObject", "nope")], 1)) == [
        "root: unexpected field 'nope' (type Storage has no such field)"
    ]
    assert messages(validate_at(schema, [("LiveObject", "todos"), ("LiveMap", "k")], 1)) == [
        "root.todos: expected LiveList<LiveObject<Todo>>, got a LiveMap"
    ]
    assert messages(validate_at(schema, [("LiveList", 0)], 1)) == [
        "root: expected LiveObject<Storage>, got a LiveList"
    ]
    path = [("LiveObject", "meta"), ("LiveObject", "owner")]
    assert messages(validate_at(schema, path, "x")) == [
        "root.meta: expected Meta (a plain object), got a LiveObject"
    ]
    path = [("LiveObject", "byId"), ("LiveMap", "k"), ("LiveList", 0)]
    assert messages(validate_at(schema, path, "x")) == [
        "root.byId.k: expected LiveObject<Todo> | null, got a LiveList"
    ]
    path = [("LiveObject", "todos"), ("LiveList", "first")]
    assert messages(validate_at(schema, path, todo())) == [
        "root.todos: a LiveList step needs an index (int), got 'first'"
    ]


def test_an_unknown_container_kind_is_a_programming_error(schema: Schema) -> None:
    with pytest.raises(ValueError, match="unknown container kind 'LiveText'"):
        validate_at(schema, [("LiveText", "x")], 1)


def test_schema_introspection(schema: Schema) -> None:
    assert schema.root is schema.types["Storage"]
    assert schema.ast.definitions[0] is schema.root
    assert [f.name.name for f in schema.types["Todo"].fields] == ["text", "checked", "status"]
