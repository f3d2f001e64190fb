"""Every seed limit, at its boundary: the last allowed value passes, the next is refused."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

Build = Callable[[int], dict[str, object]]


def body(**fields: object) -> dict[str, object]:
    return {"id": "limits", "defaultAccesses": ["room:write"], **fields}


CREATE_CASES: dict[str, tuple[Build, int, str]] = {
    "metadata entries": (
        lambda n: body(metadata={f"k{i}": "v" for i in range(n)}), 50, "50 entries"),
    "metadata key length": (lambda n: body(metadata={"k" * n: "v"}), 40, "40 characters"),
    "metadata value length": (lambda n: body(metadata={"k": "v" * n}), 256, "256 characters"),
    "metadata list item length": (
        lambda n: body(metadata={"k": ["ok", "v" * n]}), 256, "256 characters"),
    "usersAccesses entries": (
        lambda n: body(usersAccesses={f"u{i}": ["room:write"] for i in range(n)}), 100,
        "100 entries"),
    "groupsAccesses entries": (
        lambda n: body(groupsAccesses={f"g{i}": ["room:write"] for i in range(n)}), 100,
        "100 entries"),
    "usersAccesses id length on create": (
        lambda n: body(usersAccesses={"u" * n: ["room:write"]}), 40, "40 characters"),
    "groupsAccesses id length on create": (
        lambda n: body(groupsAccesses={"g" * n: ["room:write"]}), 40, "40 characters"),
    "room id length": (lambda n: {"id": "r" * n, "defaultAccesses": []}, 128, "128 characters"),
}


@pytest.mark.parametrize("case", sorted(CREATE_CASES))
def test_create_limit_boundary(http: httpx.Client, case: str) -> None:
    build, limit, words = CREATE_CASES[case]
    refused = http.post("/v2/rooms", json=build(limit + 1))
    assert refused.status_code == 422, refused.text
    assert words in refused.json()["message"]
    assert http.get("/v2/rooms").json()["data"] == []
    accepted = http.post("/v2/rooms", json=build(limit))
    assert accepted.status_code == 200, accepted.text


UPDATE_CASES: dict[str, tuple[Build, int, str]] = {
    "usersAccesses id length on update": (
        lambda n: {"usersAccesses": {"u" * n: ["room:write"]}}, 256, "256 characters"),
    "groupsAccesses id length on update": (
        lambda n: {"groupsAccesses": {"g" * n: ["room:write"]}}, 256, "256 characters"),
    "metadata entries after merge": (
        lambda n: {"metadata": {f"m{i}": "v" for i in range(n - 10)}}, 50, "50 entries"),
    "usersAccesses entries after merge": (
        lambda n: {"usersAccesses": {f"x{i}": ["room:read"] for i in range(n - 10)}}, 100,
        "100 entries"),
    "metadata key length on update": (lambda n: {"metadata": {"k" * n: "v"}}, 40, "40 characters"),
}


@pytest.mark.parametrize("case", sorted(UPDATE_CASES))
def test_update_limit_boundary(http: httpx.Client, case: str) -> None:
    build, limit, words = UPDATE_CASES[case]
    seed = body(
        metadata={f"s{i}": "v" for i in range(10)},
        usersAccesses={f"s{i}": ["room:write"] for i in range(10)},
    )
    assert http.post("/v2/rooms", json=seed).status_code == 200
    before = http.get("/v2/rooms/limits").json()
    refused = http.post("/v2/rooms/limits", json=build(limit + 1))
    assert refused.status_code == 422, refused.text
    assert words in refused.json()["message"]
    assert http.get("/v2/rooms/limits").json() == before
    accepted = http.post("/v2/rooms/limits", json=build(limit))
    assert accepted.status_code == 200, accepted.text


def test_every_known_permission_is_accepted(http: httpx.Client) -> None:
    from emulator.domain.permissions import ROOM_PERMISSIONS

    response = http.post("/v2/rooms", json=body(defaultAccesses=sorted(ROOM_PERMISSIONS)))
    assert response.status_code == 200


@pytest.mark.parametrize("permission", ["room:admin", "ROOM:WRITE", "*", "", "storage:*"])
def test_unknown_permissions_are_refused(http: httpx.Client, permission: str) -> None:
    for fields in (
        {"defaultAccesses": [permission]},
        {"usersAccesses": {"u": [permission]}},
        {"groupsAccesses": {"g": [permission]}},
    ):
        response = http.post("/v2/rooms", json={**body(), **fields})
        assert response.status_code == 422, response.text
        assert "permission" in response.json()["message"]
