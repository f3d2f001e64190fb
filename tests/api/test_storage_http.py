"""Storage over raw HTTP: get (both formats), initialize, delete, JSON Patch, and their errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.domain.json_patch import apply_json_patch
from emulator.domain.storage_formats import from_plain_lson, json_equal, live_object
from emulator.json_text import dumps, loads
from emulator.server import BackgroundServer
from tests.api.test_rooms_http import assert_error, make
from tests.strategies import (
    RefError,
    draw_patch_op,
    lson_roots,
    plain_projection,
    ref_apply,
)

EMPTY = {"liveblocksType": "LiveObject", "data": {}}
# The seed's example document.
SEED_DOC = {
    "liveblocksType": "LiveObject",
    "data": {
        "aLiveObject": {"liveblocksType": "LiveObject", "data": {"a": 1}},
        "aLiveList": {"liveblocksType": "LiveList", "data": ["a", "b"]},
        "aLiveMap": {"liveblocksType": "LiveMap", "data": {"a": 1, "b": 2}},
    },
}
# Every storage and schema endpoint ({id}: a room id, {schema}: a schema id).
ENDPOINTS = [
    ("GET", "/v2/rooms/{id}/storage"),
    ("POST", "/v2/rooms/{id}/storage"),
    ("DELETE", "/v2/rooms/{id}/storage"),
    ("PATCH", "/v2/rooms/{id}/storage/json-patch"),
    ("POST", "/v2/rooms/{id}/request-storage-mutation"),
    ("POST", "/v2/rooms/{id}/send-message"),
    ("GET", "/v2/rooms/{id}/schema"),
    ("POST", "/v2/rooms/{id}/schema"),
    ("DELETE", "/v2/rooms/{id}/schema"),
    ("POST", "/v2/schemas"),
    ("GET", "/v2/schemas/{schema}"),
    ("PUT", "/v2/schemas/{schema}"),
    ("DELETE", "/v2/schemas/{schema}"),
]
ROOM_ENDPOINTS = [(method, path) for method, path in ENDPOINTS if "{id}" in path]
BODY_ENDPOINTS = [
    (method, path)
    for method, path in ENDPOINTS
    if method in ("POST", "PUT", "PATCH") and not path.endswith("request-storage-mutation")
]


def storage_url(room_id: str, suffix: str = "") -> str:
    return f"/v2/rooms/{room_id}/storage{suffix}"


def get_storage(http: httpx.Client, room_id: str, storage_format: str | None = None) -> Any:
    params = {} if storage_format is None else {"format": storage_format}
    response = http.get(storage_url(room_id), params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return loads(response.content)  # deep documents: json.loads would recurse too far


def initialize(http: httpx.Client, room_id: str, document: Any) -> Any:
    response = http.post(storage_url(room_id), content=dumps(document).encode())
    assert response.status_code == 200, response.text
    return loads(response.content)


def patch(http: httpx.Client, room_id: str, operations: Any) -> httpx.Response:
    return http.patch(storage_url(room_id, "/json-patch"), json=operations)


def make_once(http: httpx.Client, room_id: str) -> None:
    response = http.post("/v2/rooms?idempotent", json={"id": room_id, "defaultAccesses": []})
    assert response.status_code == 200, response.text


def reinitialize(http: httpx.Client, room_id: str, document: Any) -> None:
    assert http.delete(storage_url(room_id)).status_code == 200
    initialize(http, room_id, document)


# ------------------------------------------------------------------ get and initialize


def test_a_fresh_room_has_an_empty_live_object(http: httpx.Client) -> None:
    make(http, "fresh")
    assert get_storage(http, "fresh") == EMPTY
    assert get_storage(http, "fresh", "plain-lson") == EMPTY
    assert get_storage(http, "fresh", "json") == {}


def test_seed_example_round_trips_in_both_formats(http: httpx.Client) -> None:
    make(http, "seed")
    assert initialize(http, "seed", SEED_DOC) == SEED_DOC
    assert get_storage(http, "seed") == SEED_DOC
    assert get_storage(http, "seed", "json") == {
        "aLiveObject": {"a": 1},
        "aLiveList": ["a", "b"],
        "aLiveMap": {"a": 1, "b": 2},
    }


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=lson_roots)
def test_any_plain_lson_tree_round_trips(http: httpx.Client, document: dict[str, Any]) -> None:
    make_once(http, "round-trip")
    assert http.delete(storage_url("round-trip")).status_code == 200
    assert json_equal(initialize(http, "round-trip", document), document)
    assert json_equal(get_storage(http, "round-trip"), document)
    assert json_equal(get_storage(http, "round-trip", "json"), plain_projection(document))


def test_initializing_non_empty_storage_is_409_until_deleted(http: httpx.Client) -> None:
    make(http, "twice")
    initialize(http, "twice", live_object({"n": 1}))
    refused = http.post(storage_url("twice"), json=live_object({"n": 2}))
    assert "twice" in assert_error(refused, 409, "CANNOT_UPDATE_EXISTING_STORAGE")["message"]
    assert get_storage(http, "twice", "json") == {"n": 1}
    deleted = http.delete(storage_url("twice"))
    assert deleted.status_code == 200 and deleted.content == b""
    assert get_storage(http, "twice") == EMPTY
    assert initialize(http, "twice", live_object({"n": 2})) == live_object({"n": 2})


def test_initializing_empty_storage_again_is_allowed(http: httpx.Client) -> None:
    make(http, "empty-again")
    initialize(http, "empty-again", EMPTY)
    initialize(http, "empty-again", live_object({"n": 1}))
    assert get_storage(http, "empty-again", "json") == {"n": 1}


def test_deleting_empty_storage_is_fine(http: httpx.Client) -> None:
    make(http, "never")
    assert http.delete(storage_url("never")).status_code == 200
    assert get_storage(http, "never") == EMPTY


def test_storage_follows_a_renamed_room_and_dies_with_a_deleted_one(http: httpx.Client) -> None:
    make(http, "old")
    initialize(http, "old", live_object({"n": 1}))
    renamed = http.post("/v2/rooms/old/update-room-id", json={"newRoomId": "new"})
    assert renamed.status_code == 200
    assert get_storage(http, "new", "json") == {"n": 1}
    assert_error(http.get(storage_url("old")), 404, "ROOM_NOT_FOUND")
    assert http.delete("/v2/rooms/new").status_code == 204
    make(http, "new")
    assert get_storage(http, "new") == EMPTY


# ---------------------------------------------------------------------------- errors


def test_every_endpoint_needs_the_secret(anonymous_http: httpx.Client) -> None:
    wrong = {"Authorization": "Bearer sk_wrong"}
    basic = {"Authorization": "Basic c2tfbG9jYWxkZXY6"}
    for method, path in ENDPOINTS:
        url = path.format(id="r", schema="s@1")
        assert_error(anonymous_http.request(method, url, json={}), 401)
        assert_error(anonymous_http.request(method, url, json={}, headers=wrong), 403)
        assert_error(anonymous_http.request(method, url, json={}, headers=basic), 403)


def test_every_room_endpoint_404s_for_a_missing_room(http: httpx.Client) -> None:
    for method, path in ROOM_ENDPOINTS:
        body = [] if path.endswith("json-patch") else {}
        response = http.request(method, path.format(id="missing"), json=body)
        assert "missing" in assert_error(response, 404, "ROOM_NOT_FOUND")["message"], path


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
def test_bodies_that_are_not_json_are_400(http: httpx.Client, method: str, path: str) -> None:
    make(http, "bad-json")
    http.post("/v2/schemas", json={"name": "s", "body": "type Storage {}"})
    for content in [b"{nope", b"[", b"", b" ", b"\xff\xfe", b"NaN", b"[1, Infinity]", b"{} x"]:
        response = http.request(method, path.format(id="bad-json", schema="s@1"), content=content)
        assert_error(response, 400)
    assert get_storage(http, "bad-json") == EMPTY
    assert http.get("/v2/schemas/s@2").status_code == 404


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ([], "root"),
        ("LiveObject", "root"),
        ({"liveblocksType": "LiveList", "data": []}, "root"),
        ({"liveblocksType": "LiveMap", "data": {}}, "root"),
        ({"data": {}}, "root"),
        ({"liveblocksType": "LiveObject"}, "root"),
        ({"liveblocksType": "LiveObject", "data": []}, "root.data"),
        ({"liveblocksType": "LiveObject", "data": {}, "extra": 1}, "root"),
        (live_object({"t": {"liveblocksType": "LiveText", "data": []}}), "root.data.t"),
        (live_object({"l": {"liveblocksType": "LiveList"}}), "root.data.l"),
        (live_object({"l": {"liveblocksType": "LiveList", "data": {}}}), "root.data.l.data"),
        (live_object({"m": {"liveblocksType": "LiveMap", "data": [1]}}), "root.data.m.data"),
        (live_object({"o": {"liveblocksType": "LiveObject", "data": 3}}), "root.data.o.data"),
        (
            live_object(
                {
                    "todos": {
                        "liveblocksType": "LiveList",
                        "data": [live_object({}), live_object({}), {"liveblocksType": 1}],
                    }
                }
            ),
            "root.data.todos.data[2]",
        ),
        (
            live_object({"my key": {"liveblocksType": "LiveMap", "data": None}}),
            'root.data["my key"].data',
        ),
    ],
)
def test_malformed_plain_lson_is_422_naming_the_path(
    http: httpx.Client, document: Any, path: str
) -> None:
    make(http, "malformed")
    message = assert_error(http.post(storage_url("malformed"), json=document), 422)["message"]
    assert message.startswith(path + ":"), message
    assert get_storage(http, "malformed") == EMPTY


def test_an_unknown_format_is_422(http: httpx.Client) -> None:
    make(http, "formats")
    for value in ["xml", "", "JSON", "plain_lson", "json ", "plain-lson,json"]:
        response = http.get(storage_url("formats"), params={"format": value})
        message = assert_error(response, 422)["message"]
        assert "plain-lson" in message and "json" in message


def test_a_very_long_format_is_shortened_in_the_message(http: httpx.Client) -> None:
    make(http, "formats")
    response = http.get(storage_url("formats"), params={"format": "x" * 5000})
    assert len(assert_error(response, 422)["message"]) < 200


# ------------------------------------------------------------------------ JSON Patch


def test_json_patch_guide_example(http: httpx.Client) -> None:
    make(http, "guide")
    initialize(
        http, "guide", live_object({"count": 10, "log": {"liveblocksType": "LiveList", "data": []}})
    )
    response = patch(
        http,
        "guide",
        [
            {"op": "test", "path": "/count", "value": 10},
            {"op": "replace", "path": "/count", "value": 11},
            {"op": "add", "path": "/log/-", "value": "updated"},
            {"op": "add", "path": "/score", "value": 42},
            {"op": "add", "path": "/shape", "value": {"points": [[1, 2]], "fill": "red"}},
            {"op": "move", "from": "/score", "path": "/points"},
            {"op": "copy", "from": "/points", "path": "/again"},
            {"op": "remove", "path": "/again"},
        ],
    )
    assert response.status_code == 200 and response.content == b"", response.text
    assert get_storage(http, "guide", "json") == {
        "count": 11,
        "log": ["updated"],
        "shape": {"points": [[1, 2]], "fill": "red"},
        "points": 42,
    }
    # Nested objects and arrays given to add become LiveObjects and LiveLists.
    assert get_storage(http, "guide")["data"]["shape"] == live_object(
        {
            "points": {
                "liveblocksType": "LiveList",
                "data": [{"liveblocksType": "LiveList", "data": [1, 2]}],
            },
            "fill": "red",
        }
    )


def test_an_empty_patch_changes_nothing(http: httpx.Client) -> None:
    make(http, "noop")
    assert patch(http, "noop", []).status_code == 200
    assert get_storage(http, "noop") == EMPTY


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        ({"op": "add", "path": "/a", "value": 1}, "a JSON Patch must be an array"),
        ([{"op": "add", "path": "/a"}], "patch[0] (add /a): missing 'value'"),
        ([{"op": "frob", "path": "/a"}], "patch[0]: unknown op 'frob'"),
        ([{"op": "remove", "path": "/nope"}], "patch[0] (remove /nope): /nope does not exist"),
        ([{"op": "add", "path": "/plain/x", "value": 1}], "patch[0] (add /plain/x): /plain is"),
        ([{"op": "test", "path": "/n", "value": 2}], "patch[0] (test /n): value differs"),
        (
            [{"op": "replace", "path": "/n", "value": 5}, {"op": "test", "path": "/n", "value": 1}],
            "patch[1] (test /n): value differs",
        ),
        ([{"op": "remove", "path": ""}], 'patch[0] (remove ""): the storage root'),
    ],
)
def test_a_refused_patch_is_422_and_changes_nothing(
    http: httpx.Client, operations: Any, message: str
) -> None:
    make(http, "refused")
    document = live_object({"n": 1, "plain": {"x": 0}})
    initialize(http, "refused", document)
    body = assert_error(patch(http, "refused", operations), 422, "INVALID_STORAGE_MUTATION_REQUEST")
    assert body["message"].startswith(message), body["message"]
    assert get_storage(http, "refused") == document


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=lson_roots, data=st.data())
def test_random_patches_match_rfc6902_on_the_plain_projection(
    http: httpx.Client, document: dict[str, Any], data: st.DataObject
) -> None:
    # Ops are drawn against a replica of the tree the server will hold after the ops
    # before them, so that their paths cross only Live nodes (the guide's rule).
    replica = from_plain_lson(document)
    plain = plain_projection(document)
    applied: list[dict[str, Any]] = []
    failing = [*applied, {"op": "test", "path": "", "value": "never"}]
    for _ in range(data.draw(st.integers(1, 6))):
        operation = draw_patch_op(data, replica, plain)
        if operation is None:
            continue
        try:
            plain = ref_apply(plain, [operation])
        except RefError:  # e.g. a failing test: the API must refuse it at this point too
            failing = [*applied, operation]
            break
        apply_json_patch(replica, [operation])
        applied.append(operation)
    make_once(http, "patched")
    reinitialize(http, "patched", document)
    # A patch whose last op fails is refused as a whole...
    assert_error(patch(http, "patched", failing), 422, "INVALID_STORAGE_MUTATION_REQUEST")
    assert json_equal(get_storage(http, "patched"), document)
    # ...and the ops before it give what RFC 6902 gives on the plain projection.
    response = patch(http, "patched", applied)
    assert response.status_code == 200, response.text
    assert json_equal(get_storage(http, "patched", "json"), plain), applied


# ------------------------------------------------------------------------ deep trees


DEPTH = 3_000


def deep_chain(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = live_object({"leaf": True})
    for _ in range(depth):
        value = live_object({"c": value})
    return value


def test_storage_nested_deep_through_the_domain_still_gets(
    server: BackgroundServer, http: httpx.Client
) -> None:
    make(http, "deep")
    document = deep_chain(DEPTH)

    def store() -> None:
        server.state.rooms.get("deep").storage = from_plain_lson(document)

    server.call(store)
    assert json_equal(get_storage(http, "deep"), document)
    projected: Any = get_storage(http, "deep", "json")
    for _ in range(DEPTH):
        projected = projected["c"]
    assert projected == {"leaf": True}
    response = http.post("/v2/rooms/deep/request-storage-mutation")
    assert response.status_code == 200
    assert len(response.text.splitlines()) == DEPTH + 2  # the actor line, the root, DEPTH objects


def test_storage_nested_deep_through_http(http: httpx.Client) -> None:
    make(http, "deep-http")
    document = deep_chain(DEPTH)
    assert json_equal(initialize(http, "deep-http", document), document)
    path = "/c" * DEPTH + "/leaf"
    assert (
        patch(http, "deep-http", [{"op": "replace", "path": path, "value": False}]).status_code
        == 200
    )
    projected: Any = get_storage(http, "deep-http", "json")
    for _ in range(DEPTH):
        projected = projected["c"]
    assert projected == {"leaf": False}


def test_a_new_document_never_reuses_the_server_ids_of_the_one_it_replaces(
    http: httpx.Client,
) -> None:
    # Reconnecting clients keep nodes by id: a reused "si:" id would keep a stale value.
    make(http, "ids")
    document = {"liveblocksType": "LiveObject", "data": {
        "items": {"liveblocksType": "LiveList", "data": ["a", "b"]}}}

    def node_ids() -> set[str]:
        lines = http.post("/v2/rooms/ids/request-storage-mutation").text.splitlines()[1:]
        return {json.loads(line)[0] for line in lines} - {"root"}

    assert http.post("/v2/rooms/ids/storage", json=document).status_code == 200
    first = node_ids()
    assert http.delete("/v2/rooms/ids/storage").status_code == 200
    assert http.post("/v2/rooms/ids/storage", json=document).status_code == 200
    second = node_ids()
    assert len(first) == len(second) == 3 and not first & second
