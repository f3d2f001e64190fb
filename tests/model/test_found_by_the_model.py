"""Bugs the model-based test found, each pinned by a plain example."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.test_rooms_http import assert_error


def test_upsert_refuses_to_create_a_room_whose_id_is_too_long(http: httpx.Client) -> None:
    # POST /v2/rooms refuses a 129-character id; upsert created the room, whose snapshot then
    # could not be loaded back (fixtures check the id).
    too_long = "r" * 129
    body = assert_error(http.post(f"/v2/rooms/{too_long}/upsert", json={"update": {}}), 422)
    assert "128" in body["message"]
    assert http.get(f"/v2/rooms/{too_long}").status_code == 404
    assert http.get("/_emulator/snapshot").json()["rooms"] == []
    longest = "r" * 128
    assert http.post(f"/v2/rooms/{longest}/upsert", json={"update": {}}).status_code == 200


@pytest.mark.parametrize("create", [False, 0, "", [], "x"])
def test_upsert_refuses_a_create_that_is_not_an_object(http: httpx.Client, create: Any) -> None:
    # Falsy values were read as {} and the room was created.
    response = http.post("/v2/rooms/new/upsert", json={"update": {}, "create": create})
    assert "create must be a JSON object" in assert_error(response, 422)["message"]
    assert http.get("/v2/rooms/new").status_code == 404


def test_upsert_with_a_null_create_still_creates(http: httpx.Client) -> None:
    response = http.post("/v2/rooms/new/upsert", json={"update": {}, "create": None})
    assert response.status_code == 200, response.text
    assert response.json()["defaultAccesses"] == []
