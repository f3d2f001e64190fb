"""Schemas over raw HTTP: create, get, update, delete, attach, detach, and what they refuse."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schema_lang
from emulator.domain.storage_formats import json_equal, live_list, live_map, live_object
from tests.api.test_rooms_http import assert_error, make
from tests.api.test_storage_http import EMPTY, get_storage, initialize, patch, storage_url
from tests.schema_lang.schema_strategies import draw_storage, draw_valid_document

TODOS = """
type Todo {
  text: string
  checked: boolean
}

type Storage {
  title?: string
  todos?: LiveList<LiveObject<Todo>>
}
"""
TODOS_V2 = TODOS.replace("title?: string", "title?: string | null")


def todo(text: str, checked: Any) -> dict[str, Any]:
    return live_object({"text": text, "checked": checked})


def todos(*items: dict[str, Any]) -> dict[str, Any]:
    return live_object({"todos": live_list(list(items))})


# The third todo's `checked` is a string.
BROKEN = todos(todo("a", True), todo("b", False), todo("c", "yes"))
VALID = todos(todo("a", True), todo("b", False))


def create(http: httpx.Client, name: str, body: str = TODOS) -> dict[str, Any]:
    response = http.post("/v2/schemas", json={"name": name, "body": body})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def attach(http: httpx.Client, room_id: str, schema_id: str) -> httpx.Response:
    return http.post(f"/v2/rooms/{room_id}/schema", json={"schema": schema_id})


def attached(http: httpx.Client, room_id: str) -> str | None:
    response = http.get(f"/v2/rooms/{room_id}/schema")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    schema_id: str = response.json()["id"]
    return schema_id


def assert_refused(response: httpx.Response, path: str) -> dict[str, Any]:
    body: dict[str, Any] = assert_error(response, 422, "SCHEMA_VALIDATION_FAILED")
    assert path in body["message"], body["message"]
    assert path in [violation["path"] for violation in body["violations"]]
    return body


# ---------------------------------------------------------------------- the whole flow


def test_schema_flow_end_to_end(http: httpx.Client) -> None:
    created = create(http, "todo-list")
    assert set(created) == {"id", "name", "version", "createdAt", "updatedAt", "body"}
    assert (created["id"], created["name"], created["version"]) == ("todo-list@1", "todo-list", 1)
    assert created["body"] == TODOS
    assert created["createdAt"] == created["updatedAt"] and created["createdAt"].endswith("Z")
    assert http.get("/v2/schemas/todo-list@1").json() == created

    make(http, "room")
    assert_error(http.get("/v2/rooms/room/schema"), 404)
    response = attach(http, "room", "todo-list@1")
    assert response.status_code == 200 and response.json() == {"schema": "todo-list@1"}
    assert http.get("/v2/rooms/room/schema").json() == created

    # Initializing storage that breaks the schema is refused with the path of the problem.
    assert_refused(http.post(storage_url("room"), json=BROKEN), "root.todos[2].checked")
    assert get_storage(http, "room") == EMPTY
    assert initialize(http, "room", VALID) == VALID

    # The version in use can be neither updated nor deleted.
    in_use = http.put("/v2/schemas/todo-list@1", json={"body": TODOS_V2})
    assert "room" in assert_error(in_use, 409)["message"]
    assert_error(http.delete("/v2/schemas/todo-list@1"), 409)
    assert_error(http.get("/v2/schemas/todo-list@2"), 404)

    detached = http.delete("/v2/rooms/room/schema")
    assert detached.status_code == 204 and detached.content == b""
    assert_error(http.get("/v2/rooms/room/schema"), 404)

    updated = http.put("/v2/schemas/todo-list@1", json={"body": TODOS_V2})
    assert updated.status_code == 200, updated.text
    assert updated.json()["id"] == "todo-list@2" and updated.json()["version"] == 2
    assert updated.json()["body"] == TODOS_V2
    assert http.get("/v2/schemas/todo-list@1").json() == created  # versions are immutable
    assert http.get("/v2/schemas/todo-list@2").json() == updated.json()

    for schema_id in ("todo-list@1", "todo-list@2"):
        deleted = http.delete(f"/v2/schemas/{schema_id}")
        assert deleted.status_code == 204 and deleted.content == b""
        assert_error(http.get(f"/v2/schemas/{schema_id}"), 404, "SCHEMA_NOT_FOUND")
        assert_error(http.delete(f"/v2/schemas/{schema_id}"), 404, "SCHEMA_NOT_FOUND")
    assert get_storage(http, "room") == VALID


def test_a_bare_name_means_the_latest_version(http: httpx.Client) -> None:
    create(http, "latest")
    http.put("/v2/schemas/latest@1", json={"body": TODOS_V2})
    assert http.get("/v2/schemas/latest").json()["id"] == "latest@2"
    make(http, "room")
    assert attach(http, "room", "latest").json() == {"schema": "latest@2"}


# ----------------------------------------------------------------------------- names


def test_valid_names(http: httpx.Client) -> None:
    for name in ["a", "a" * 64, "my-schema-2", "0", "-", "0-a-"]:
        assert create(http, name)["id"] == f"{name}@1"
        assert http.get(f"/v2/schemas/{name}@1").status_code == 200


def test_invalid_names_are_422(http: httpx.Client) -> None:
    names: list[Any] = ["", "a" * 65, "My", "a_b", "a b", "é", "a@1", "a.b", "a/b", "abc\n", "\na"]
    names += [None, 3, ["a"], {"a": 1}]
    for name in names:
        response = http.post("/v2/schemas", json={"name": name, "body": TODOS})
        assert "name" in assert_error(response, 422)["message"], name
    assert_error(http.post("/v2/schemas", json={"body": TODOS}), 422)
    assert_error(http.get("/v2/schemas/" + "a" * 65), 404)


def test_a_name_is_taken_once(http: httpx.Client) -> None:
    create(http, "once")
    message = assert_error(http.post("/v2/schemas", json={"name": "once", "body": TODOS}), 409)[
        "message"
    ]
    assert "once@1" in message


# ------------------------------------------------------------------------------ bodies


INVALID_BODIES = [
    ("type Storage { n: numbr }", 1, 19),
    ("type Storage {\n  n: number\n  m: \n}", 4, 1),
    ("", 1, 1),
    ("type storage { n: number }", 1, 6),
]


def test_an_invalid_body_is_422_invalid_schema_with_line_and_column(http: httpx.Client) -> None:
    create(http, "good")
    for body, line, column in INVALID_BODIES:
        response = http.post("/v2/schemas", json={"name": "bad", "body": body})
        error = assert_error(response, 422, "INVALID_SCHEMA")
        assert (error["line"], error["column"]) == (line, column), error
        assert error["message"].endswith(f"(at {line}:{column})")
        # The same on PUT, which then makes no new version.
        response = http.put("/v2/schemas/good@1", json={"body": body})
        error = assert_error(response, 422, "INVALID_SCHEMA")
        assert (error["line"], error["column"]) == (line, column)
    assert_error(http.get("/v2/schemas/bad@1"), 404)
    assert_error(http.get("/v2/schemas/good@2"), 404)


def test_a_body_that_is_not_text_is_422(http: httpx.Client) -> None:
    create(http, "good")
    for body in [None, 3, ["type Storage {}"], {"text": "type Storage {}"}]:
        for response in (
            http.post("/v2/schemas", json={"name": "other", "body": body}),
            http.put("/v2/schemas/good@1", json={"body": body}),
        ):
            assert "body" in assert_error(response, 422)["message"]
    assert_error(http.put("/v2/schemas/good@1", json={}), 422)
    assert_error(http.put("/v2/schemas/good@1", json=[TODOS]), 422)
    assert_error(http.get("/v2/schemas/other@1"), 404)


def test_odd_schema_ids_are_404(http: httpx.Client) -> None:
    create(http, "odd")
    for schema_id in ["odd@0", "odd@2", "odd@-1", "odd@x", "odd@1@1", "odd@ 1", "odd@²", "odd@١"]:
        for method in ("GET", "PUT", "DELETE"):
            response = http.request(method, f"/v2/schemas/{schema_id}", json={"body": TODOS})
            assert_error(response, 404, "SCHEMA_NOT_FOUND")
        assert_error(attach(http, "missing-room", schema_id), 404)
    make(http, "room")
    assert_error(attach(http, "room", "odd@²"), 404, "SCHEMA_NOT_FOUND")
    assert http.get("/v2/schemas/odd@1").status_code == 200


# ------------------------------------------------------------------- attach and detach


def test_attaching_to_non_matching_storage_is_refused_with_the_path(http: httpx.Client) -> None:
    create(http, "todo-list")
    make(http, "room")
    initialize(http, "room", BROKEN)
    body = assert_refused(attach(http, "room", "todo-list@1"), "root.todos[2].checked")
    assert "todo-list@1" in body["message"]
    assert attached(http, "room") is None
    assert http.delete("/v2/schemas/todo-list@1").status_code == 204  # not left attached


def test_attach_errors(http: httpx.Client) -> None:
    create(http, "todo-list")
    make(http, "room")
    assert_error(attach(http, "room", "nope@1"), 404, "SCHEMA_NOT_FOUND")
    assert_error(attach(http, "nope", "todo-list@1"), 404, "ROOM_NOT_FOUND")
    for body in [{}, {"schema": None}, {"schema": 1}, {"schema": ""}, [], "todo-list@1"]:
        assert_error(http.post("/v2/rooms/room/schema", json=body), 422)
    assert_error(http.post("/v2/rooms/room/schema", content=b"{"), 400)
    assert attached(http, "room") is None


def test_get_room_schema_when_none_is_attached_is_404(http: httpx.Client) -> None:
    make(http, "room")
    assert_error(http.get("/v2/rooms/room/schema"), 404)
    assert http.delete("/v2/rooms/room/schema").status_code == 204  # detaching nothing is fine


def test_attaching_another_schema_replaces_the_first(http: httpx.Client) -> None:
    create(http, "first")
    create(http, "second", TODOS_V2)
    make(http, "room")
    assert attach(http, "room", "first@1").status_code == 200
    assert attach(http, "room", "second@1").status_code == 200
    assert attached(http, "room") == "second@1"
    assert http.delete("/v2/schemas/first@1").status_code == 204
    assert_error(http.delete("/v2/schemas/second@1"), 409)


def test_deleting_a_room_detaches_its_schema(http: httpx.Client) -> None:
    create(http, "todo-list")
    make(http, "room")
    make(http, "other")
    attach(http, "room", "todo-list@1")
    attach(http, "other", "todo-list@1")
    assert http.delete("/v2/rooms/room").status_code == 204
    assert_error(http.delete("/v2/schemas/todo-list@1"), 409)  # still used by "other"
    assert http.delete("/v2/rooms/other").status_code == 204
    assert http.delete("/v2/schemas/todo-list@1").status_code == 204
    make(http, "room")  # a new room of the same id starts without a schema
    assert attached(http, "room") is None


def test_a_renamed_room_keeps_its_schema(http: httpx.Client) -> None:
    create(http, "todo-list")
    make(http, "old")
    attach(http, "old", "todo-list@1")
    assert http.post("/v2/rooms/old/update-room-id", json={"newRoomId": "new"}).status_code == 200
    assert attached(http, "new") == "todo-list@1"
    assert "'new'" in assert_error(http.delete("/v2/schemas/todo-list@1"), 409)["message"]
    assert_refused(http.post(storage_url("new"), json=BROKEN), "root.todos[2].checked")


# ------------------------------------------------------ what an attached schema refuses


BREAKING_PATCHES: list[tuple[list[dict[str, Any]], str]] = [
    ([{"op": "replace", "path": "/todos/1/checked", "value": "no"}], "root.todos[1].checked"),
    ([{"op": "remove", "path": "/todos/0/text"}], "root.todos[0]"),
    ([{"op": "add", "path": "/todos/-", "value": {"text": "c"}}], "root.todos[2]"),
    ([{"op": "add", "path": "/extra", "value": 1}], "root"),
    ([{"op": "add", "path": "/title", "value": None}], "root.title"),
    ([{"op": "replace", "path": "/todos", "value": [1]}], "root.todos[0]"),
    (
        [
            {"op": "add", "path": "/title", "value": "ok"},
            {"op": "add", "path": "/todos/0/checked", "value": 0},
        ],
        "root.todos[0].checked",
    ),
]


def test_a_patch_that_would_break_the_schema_is_refused(http: httpx.Client) -> None:
    create(http, "todo-list")
    make(http, "room")
    initialize(http, "room", VALID)
    attach(http, "room", "todo-list@1")
    for operations, path in BREAKING_PATCHES:
        assert_refused(patch(http, "room", operations), path)
        assert get_storage(http, "room") == VALID


def test_patches_that_keep_the_schema_apply(http: httpx.Client) -> None:
    create(http, "todo-list")
    make(http, "room")
    initialize(http, "room", VALID)
    attach(http, "room", "todo-list@1")
    response = patch(
        http,
        "room",
        [
            {"op": "add", "path": "/todos/-", "value": {"text": "c", "checked": False}},
            {"op": "replace", "path": "/todos/0/checked", "value": False},
            {"op": "add", "path": "/title", "value": "Launch"},
            {"op": "move", "from": "/todos/2", "path": "/todos/0"},
        ],
    )
    assert response.status_code == 200, response.text
    assert get_storage(http, "room", "json") == {
        "title": "Launch",
        "todos": [
            {"text": "c", "checked": False},
            {"text": "a", "checked": False},
            {"text": "b", "checked": False},
        ],
    }


def test_initialization_is_checked_against_live_types(http: httpx.Client) -> None:
    create(http, "todo-list")
    make(http, "room")
    attach(http, "room", "todo-list@1")
    plain_list = live_object({"todos": [{"text": "a", "checked": True}]})
    assert_refused(http.post(storage_url("room"), json=plain_list), "root.todos")
    as_map = live_object({"todos": live_map({"0": todo("a", True)})})
    assert_refused(http.post(storage_url("room"), json=as_map), "root.todos")
    assert get_storage(http, "room") == EMPTY


# --------------------------------------------------------- random schemas and storage


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_valid_schema_accepts_storage_built_for_it(
    http: httpx.Client, data: st.DataObject
) -> None:
    document = draw_valid_document(data)
    storage, _ = draw_storage(data, document)
    http.delete("/v2/rooms/random")  # which detaches the last example's schema
    http.delete("/v2/schemas/random@1")
    created = create(http, "random", schema_lang.format(document))
    assert created["body"] == schema_lang.format(document)
    make(http, "random")
    assert json_equal(initialize(http, "random", storage), storage)
    response = attach(http, "random", "random@1")
    assert response.status_code == 200, (response.text, created["body"], storage)
    # A field no schema declares is refused at the root.
    extra = [{"op": "add", "path": "/undeclared field", "value": 1}]
    assert_refused(patch(http, "random", extra), "root")
    assert json_equal(get_storage(http, "random"), storage)


def test_storage_deleted_while_attached_can_be_patched_back_into_shape(http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "reshape", "defaultAccesses": []})
    http.post("/v2/schemas", json={"name": "pair", "body": "type Storage { a: number, b: number }"})
    storage = {"liveblocksType": "LiveObject", "data": {"a": 1, "b": 2}}
    assert http.post("/v2/rooms/reshape/storage", json=storage).status_code == 200
    assert http.post("/v2/rooms/reshape/schema", json={"schema": "pair@1"}).status_code == 200
    assert http.delete("/v2/rooms/reshape/storage").status_code == 200
    # Each patch brings the storage closer to the schema: none adds a violation.
    assert http.patch("/v2/rooms/reshape/storage/json-patch",
                      json=[{"op": "add", "path": "/a", "value": 1}]).status_code == 200
    wrong = http.patch("/v2/rooms/reshape/storage/json-patch",
                       json=[{"op": "add", "path": "/b", "value": "two"}])
    assert wrong.status_code == 422 and "root.b" in wrong.json()["message"]
    assert http.patch("/v2/rooms/reshape/storage/json-patch",
                      json=[{"op": "add", "path": "/b", "value": 2}]).status_code == 200
    assert http.get("/v2/rooms/reshape/storage?format=json").json() == {"a": 1, "b": 2}
