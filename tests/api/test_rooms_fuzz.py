"""Random JSON bodies and query strings at every rooms endpoint: never a 5xx, always a message."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
room_keys = st.sampled_from(
    ["id", "defaultAccesses", "metadata", "usersAccesses", "groupsAccesses", "organizationId",
     "engine", "update", "create", "newRoomId", "fromOrganizationId", "toOrganizationId"]
)
permission = st.sampled_from(["room:write", "room:read", "*:write", "bogus", ""])
plausible_bodies = st.dictionaries(
    room_keys,
    json_values
    | st.lists(permission, max_size=3)
    | st.dictionaries(st.text(max_size=50), st.lists(permission, max_size=2) | st.none(),
                      max_size=3),
    max_size=6,
)
bodies = plausible_bodies | json_values
room_ids = st.text(min_size=1, max_size=200) | st.sampled_from(["a", "a/b", "x" * 129])
query_params = st.lists(
    st.tuples(
        st.sampled_from(["limit", "startingAfter", "query", "userId", "groupIds", "organizationId",
                         "metadata.color", "idempotent", "other"]),
        st.text(max_size=40),
    ),
    max_size=6,
)
ENDPOINTS = [
    ("GET", "/v2/rooms"), ("POST", "/v2/rooms"), ("GET", "/v2/rooms/{id}"),
    ("POST", "/v2/rooms/{id}"), ("DELETE", "/v2/rooms/{id}"), ("POST", "/v2/rooms/{id}/upsert"),
    ("POST", "/v2/rooms/{id}/update-room-id"), ("POST", "/v2/rooms/{id}/update-organization-id"),
    ("GET", "/v2/rooms/{id}/prewarm"),
]


def send(
    http: httpx.Client, method: str, url: str, params: list[tuple[str, str]], body: Any, *,
    raw: bool,
) -> httpx.Response:
    """``body`` as JSON, or (raw) as text that may not be JSON at all."""
    if raw:
        content = (body if isinstance(body, str) else repr(body)).encode("utf-8", "replace")
        return http.request(method, url, params=params, content=content)
    return http.request(method, url, params=params, json=body)


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body: Any = response.json()
        assert isinstance(body, dict) and isinstance(body.get("message"), str) and body["message"]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    endpoint=st.sampled_from(ENDPOINTS), room_id=room_ids, body=bodies, params=query_params,
    raw=st.booleans(),
)
def test_no_input_breaks_a_rooms_endpoint(
    http: httpx.Client, endpoint: tuple[str, str], room_id: str, body: Any,
    params: list[tuple[str, str]], raw: bool,
) -> None:
    method, template = endpoint
    url = template.replace("{id}", quote(room_id, safe=""))
    check(send(http, method, url, params, body, raw=raw))


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(room_id=room_ids)
def test_any_created_room_can_be_fetched_back(http: httpx.Client, room_id: str) -> None:
    response = http.post("/v2/rooms?idempotent", json={"id": room_id, "defaultAccesses": []})
    check(response)
    if response.status_code == 200:
        fetched = http.get("/v2/rooms/" + quote(room_id, safe=""))
        assert fetched.status_code == 200
        assert fetched.json()["id"] == room_id
