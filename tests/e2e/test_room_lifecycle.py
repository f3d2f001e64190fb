"""What REST changes to a room (storage reset, delete, rename) do to the real clients in it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script


def scenario(server: BackgroundServer, name: str) -> dict[str, Any]:
    return run_script(server, "e2e_room_lifecycle.mjs", ROOM="life", SCENARIO=name)


def test_deleting_storage_makes_clients_refetch(
    server: BackgroundServer, http: httpx.Client
) -> None:
    out = scenario(server, "deleteStorage")
    # Reconnected clients dropped the old content and wrote their initialStorage again.
    assert out["doc"] == {"liveblocksType": "LiveObject", "data": {
        "list": {"liveblocksType": "LiveList", "data": []},
        "meta": {"liveblocksType": "LiveObject", "data": {"v": 0}},
    }}
    # Live again afterwards, and in line with REST.
    assert out["after"]["data"]["list"]["data"] == ["new"]
    assert out["rest"] == out["after"]
    assert http.get("/v2/rooms/life-delete/storage").json() == out["after"]
    assert out["errors"] == []


def test_replacing_storage_makes_clients_load_the_new_one(
    server: BackgroundServer, http: httpx.Client
) -> None:
    out = scenario(server, "replaceStorage")
    assert out["before"]["data"]["version"] == 1
    assert "reconnecting" in out["statuses"]
    assert out["errors"] == []
    assert out["rest"] == http.get("/v2/rooms/life-replace/storage").json()
    assert out["rest"]["data"]["items"]["data"] == [2]
    assert out["doc"] == out["rest"]


@pytest.mark.parametrize(("name", "code"), [("deleteRoom", 4999), ("renameRoom", 4006)])
def test_deleting_or_renaming_the_room_stops_clients(
    server: BackgroundServer, name: str, code: int
) -> None:
    out = scenario(server, name)
    assert out["status"] == "disconnected"
    assert out["statuses"] == ["connected", "disconnected"]  # no reconnection attempt
    assert [error["code"] for error in out["errors"]] == [code]
    # The public-key client did not come back and create the room again.
    assert out["roomStatus"] == 404
