"""Responses that need more than one request to reach (live connections, nested storage) match
the OpenAPI document too; schemathesis sends one request at a time from the demo fixtures."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import referencing
import referencing.jsonschema

from emulator.api.openapi import document
from emulator.server import BackgroundServer
from tests.realtime.wsclient import RawClient, public

SPEC = json.loads(json.dumps(document()))
REGISTRY: referencing.Registry[Any] = referencing.Registry().with_resource(
    "urn:openapi", referencing.Resource.from_contents(SPEC, referencing.jsonschema.DRAFT202012)
)
STORAGE = {
    "liveblocksType": "LiveObject",
    "data": {
        "title": "Board",
        "static": {"nested": [1, {"liveblocksType": "not live inside static data"}]},
        "shapes": {"liveblocksType": "LiveMap", "data": {
            "a": {"liveblocksType": "LiveObject", "data": {"x": 1}},
            "b": "a register",
        }},
        "order": {"liveblocksType": "LiveList", "data": ["a", None, {"liveblocksType": "LiveList", "data": []}]},
    },
}


def conforms(instance: Any, component: str) -> None:
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"urn:openapi#/components/schemas/{component}"}, registry=REGISTRY
    )
    validator.validate(instance)


def test_active_users_room_and_storage_with_live_clients(
    server: BackgroundServer, http: httpx.Client
) -> None:
    http.post("/v2/rooms", json={"id": "live", "defaultAccesses": ["room:write"]})
    token = http.post(
        "/v2/identify-user", json={"userId": "alice", "userInfo": {"name": "Alice"}}
    ).json()["token"]
    presence = {"userId": "bot", "data": {"cursor": None}, "userInfo": {"role": "bot"}, "ttl": 30}
    assert http.post("/v2/rooms/live/presence", json=presence).status_code == 204
    with public(server.base_url, "live") as anonymous, RawClient(
        server.base_url, "live", tok=token
    ) as alice:
        anonymous.receive()
        alice.receive()
        users = http.get("/v2/rooms/live/active-users").json()
        conforms(users, "ActiveUsers")
        assert sorted(str(user["id"]) for user in users["data"]) == ["None", "alice", "bot"]
        room = http.get("/v2/rooms/live").json()
        conforms(room, "Room")
        assert "lastConnectionAt" in room
        conforms(http.get("/v2/rooms").json(), "RoomList")


def test_nested_storage_in_every_format(http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "nested", "defaultAccesses": []})
    conforms(http.post("/v2/rooms/nested/storage", json=STORAGE).json(), "LiveObject")
    patch = [{"op": "add", "path": "/order/-", "value": {"made": ["by", "patch"]}}]
    assert http.patch("/v2/rooms/nested/storage/json-patch", json=patch).status_code == 200
    conforms(http.get("/v2/rooms/nested/storage").json(), "LiveObject")
    assert http.get("/v2/rooms/nested/storage?format=json").json()["order"][-1] == {
        "made": ["by", "patch"]
    }
    response = http.post("/v2/rooms/nested/request-storage-mutation")
    assert response.headers["content-type"] == "application/x-ndjson"
    first, *nodes, last = response.text.split("\n")
    assert last == "" and list(json.loads(first)) == ["actor"]
    assert {json.loads(line)[1]["type"] for line in nodes} == {0, 1, 2, 3}
    for line in nodes:
        conforms(json.loads(line), "SerializedNode")
    snapshot = http.get("/_emulator/snapshot").json()
    conforms(snapshot, "FixtureDocument")


def test_schema_attached_room_and_its_errors(http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "typed", "defaultAccesses": []})
    created = http.post("/v2/schemas", json={"name": "s", "body": "type Storage { n?: number }"})
    conforms(created.json(), "Schema")
    attached = http.post("/v2/rooms/typed/schema", json={"schema": "s@1"}).json()
    assert attached == {"schema": "s@1"}
    conforms(http.get("/v2/rooms/typed/schema").json(), "Schema")
    refused = http.post(
        "/v2/rooms/typed/storage", json={"liveblocksType": "LiveObject", "data": {"n": "x"}}
    )
    assert refused.status_code == 422
    conforms(refused.json(), "Error")
    assert refused.json()["violations"]
    bad_schema = http.post("/v2/schemas", json={"name": "t", "body": "type Storage {"})
    assert bad_schema.status_code == 422 and "line" in bad_schema.json()
    conforms(bad_schema.json(), "Error")
    bad_fixture = http.post("/_emulator/fixtures", json={"rooms": [{"id": ""}]})
    assert bad_fixture.status_code == 422 and "path" in bad_fixture.json()
    conforms(bad_fixture.json(), "Error")
    conforms(http.get("/_emulator/snapshot").json(), "FixtureDocument")
