"""Rooms over raw HTTP: seed filters, nextPage, auth, routing errors, odd ids."""

from __future__ import annotations

import httpx
import pytest

ROOM = {"defaultAccesses": ["room:write"]}


def make(http: httpx.Client, room_id: str, **fields: object) -> dict[str, object]:
    response = http.post("/v2/rooms", json={"id": room_id, **ROOM, **fields})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.text
    body: dict[str, str] = response.json()
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["error"], str) and body["error"]
    if code is not None:
        assert body["error"] == code
    return body


def test_room_shape(http: httpx.Client) -> None:
    room = make(http, "shape")
    assert set(room) == {
        "type", "id", "organizationId", "createdAt", "metadata",
        "defaultAccesses", "usersAccesses", "groupsAccesses",
    }
    assert room["type"] == "room"
    created = room["createdAt"]
    assert isinstance(created, str) and created.endswith("Z") and len(created) == 24


def test_seed_metadata_filters_are_anded(http: httpx.Client) -> None:
    make(http, "both", metadata={"color": "blue", "type": "whiteboard"})
    make(http, "color-only", metadata={"color": "blue", "type": "doc"})
    make(http, "type-only", metadata={"color": "red", "type": "whiteboard"})
    response = http.get("/v2/rooms?metadata.color=blue&metadata.type=whiteboard")
    assert [r["id"] for r in response.json()["data"]] == ["both"]


def test_seed_user_and_group_filters_are_ored(http: httpx.Client) -> None:
    make(http, "for-u", usersAccesses={"u": ["room:write"]})
    make(http, "for-a", groupsAccesses={"a": ["room:write"]})
    make(http, "for-b", groupsAccesses={"b": ["room:read"]})
    make(http, "for-c", groupsAccesses={"c": ["room:read"]})
    response = http.get("/v2/rooms", params={"groupIds": "a,b", "userId": "u"})
    assert [r["id"] for r in response.json()["data"]] == ["for-b", "for-a", "for-u"]


def test_following_next_page_walks_every_room(http: httpx.Client) -> None:
    ids = [f"r{i}" for i in range(47)]
    for room_id in ids:
        make(http, room_id, metadata={"k": "v"})
    make(http, "filtered-out", metadata={"k": "other"})
    url: str | None = "/v2/rooms?limit=10&metadata.k=v"
    seen: list[str] = []
    pages = 0
    while url:
        body = http.get(url).json()
        seen.extend(r["id"] for r in body["data"])
        assert (body["nextPage"] is None) == (body["nextCursor"] is None)
        url = body["nextPage"]
        pages += 1
    assert seen == list(reversed(ids))
    assert pages == 5


def test_paging_survives_deleting_the_cursor_room(http: httpx.Client) -> None:
    for i in range(6):
        make(http, f"d{i}")
    first = http.get("/v2/rooms?limit=3").json()
    assert [r["id"] for r in first["data"]] == ["d5", "d4", "d3"]
    assert http.delete("/v2/rooms/d3").status_code == 204
    second = http.get("/v2/rooms", params={"limit": 3, "startingAfter": first["nextCursor"]})
    assert [r["id"] for r in second.json()["data"]] == ["d2", "d1", "d0"]
    assert second.json()["nextCursor"] is None


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "99999999999999999999"])
def test_limit_out_of_range(http: httpx.Client, limit: str) -> None:
    assert_error(http.get("/v2/rooms", params={"limit": limit}), 422)


@pytest.mark.parametrize("limit", ["1", "100"])
def test_limit_bounds_accepted(http: httpx.Client, limit: str) -> None:
    assert http.get("/v2/rooms", params={"limit": limit}).status_code == 200


def test_bad_cursor(http: httpx.Client) -> None:
    assert_error(http.get("/v2/rooms?startingAfter=garbage"), 422)


def test_invalid_query_is_invalid_query(http: httpx.Client) -> None:
    for query in ["roomId", "roomId^", "color:'x'", "roomId^'a' OR roomId^'b'", "roomId<'a'",
                  "metadata['a':'b'", "roomId^'unterminated"]:
        assert_error(http.get("/v2/rooms", params={"query": query}), 422, "INVALID_QUERY")


def test_query_with_both_quote_styles_and_escapes(http: httpx.Client) -> None:
    make(http, "it's", metadata={"say": 'he said "hi"'})
    make(http, "other")
    by_id = http.get("/v2/rooms", params={"query": "roomId:\"it's\""}).json()
    assert [r["id"] for r in by_id["data"]] == ["it's"]
    by_meta = http.get("/v2/rooms", params={"query": "metadata['say']:'he said \"hi\"'"}).json()
    assert [r["id"] for r in by_meta["data"]] == ["it's"]


def test_list_valued_metadata_is_not_matched_by_query(http: httpx.Client) -> None:
    make(http, "listy", metadata={"tags": ["a"]})
    body = http.get("/v2/rooms", params={"query": "metadata['tags']:'a'"}).json()
    assert body["data"] == []


def test_missing_auth_is_401_and_wrong_is_403(anonymous_http: httpx.Client) -> None:
    assert_error(anonymous_http.get("/v2/rooms"), 401)
    assert_error(anonymous_http.get("/v2/rooms", headers={"Authorization": "Bearer sk_wrong"}), 403)
    assert_error(anonymous_http.get("/v2/rooms", headers={"Authorization": "sk_localdev"}), 403)
    assert_error(anonymous_http.get("/v2/rooms", headers={"Authorization": "Basic sk_localdev"}), 403)


def test_secret_in_query_string_is_not_accepted(anonymous_http: httpx.Client) -> None:
    for name in ("secret", "key", "token", "authorization"):
        assert_error(anonymous_http.get("/v2/rooms", params={name: "sk_localdev"}), 401)


def test_health_needs_no_auth(anonymous_http: httpx.Client) -> None:
    assert anonymous_http.get("/health").status_code == 200


def test_unknown_path_and_wrong_method(http: httpx.Client) -> None:
    assert_error(http.get("/v2/nothing-here"), 404, "NOT_FOUND")
    assert_error(http.get("/nothing-here"), 404)
    # "/" is the way to the dashboard (issue 16).
    assert http.get("/").headers["location"] == "/dashboard"
    body = assert_error(http.put("/v2/rooms"), 405, "METHOD_NOT_ALLOWED")
    assert "GET" in body["message"] and "POST" in body["message"]
    assert_error(http.patch("/v2/rooms/x"), 405)


def test_room_not_found_code(http: httpx.Client) -> None:
    assert_error(http.get("/v2/rooms/missing"), 404, "ROOM_NOT_FOUND")
    assert_error(http.post("/v2/rooms/missing", json={}), 404, "ROOM_NOT_FOUND")


def test_duplicate_is_room_already_exists(http: httpx.Client) -> None:
    make(http, "dup")
    assert_error(http.post("/v2/rooms", json={"id": "dup", **ROOM}), 409, "ROOM_ALREADY_EXISTS")


@pytest.mark.parametrize(
    "room_id",
    ["with/slash", "a/storage", "with space", "ünïcødé-房间", "emoji-🎉", "%2F", "a?b#c", "x" * 128, "..."],
)
def test_odd_room_ids_round_trip(http: httpx.Client, room_id: str) -> None:
    from urllib.parse import quote

    make(http, room_id)
    response = http.get("/v2/rooms/" + quote(room_id, safe=""))
    assert response.status_code == 200, response.text
    assert response.json()["id"] == room_id
    assert http.delete("/v2/rooms/" + quote(room_id, safe="")).status_code == 204
    assert http.get("/v2/rooms/" + quote(room_id, safe="")).status_code == 404


def test_overlong_id_is_refused(http: httpx.Client) -> None:
    assert_error(http.post("/v2/rooms", json={"id": "x" * 10_000, **ROOM}), 422)
    assert_error(http.get("/v2/rooms/" + "x" * 10_000), 404)


@pytest.mark.parametrize(
    "body",
    [b"{", b"not json", b"\xff\xfe", b"[" * 100_000, b""],
)
def test_malformed_json_is_400(http: httpx.Client, body: bytes) -> None:
    assert_error(http.post("/v2/rooms", content=body), 400)


@pytest.mark.parametrize(
    "body",
    [[], "room", 1, {"id": 5, **ROOM}, {"id": ".", **ROOM}, {"id": "..", **ROOM}, {"id": "x"}, {"defaultAccesses": []},
     {"id": "x", "defaultAccesses": "room:write"}, {"id": "x", "defaultAccesses": [1]},
     {"id": "x", "defaultAccesses": ["room:admin"]}, {"id": "", **ROOM},
     {"id": "x", **ROOM, "metadata": []}, {"id": "x", **ROOM, "metadata": {"k": 1}},
     {"id": "x", **ROOM, "metadata": {"k": ["a", 1]}}, {"id": "x", **ROOM, "usersAccesses": []},
     {"id": "x", **ROOM, "usersAccesses": {"a": "room:write"}},
     {"id": "x", **ROOM, "groupsAccesses": {"": ["room:write"]}},
     {"id": "x", **ROOM, "organizationId": 3}, {"id": "x", **ROOM, "engine": 3}],
)
def test_wrong_types_are_422_and_create_nothing(http: httpx.Client, body: object) -> None:
    assert_error(http.post("/v2/rooms", json=body), 422)
    assert http.get("/v2/rooms").json()["data"] == []


def test_update_with_null_maps_clears_them(http: httpx.Client) -> None:
    make(http, "clr", metadata={"a": "b"}, usersAccesses={"u": ["room:write"]},
         groupsAccesses={"g": ["room:write"]})
    body = http.post("/v2/rooms/clr", json={"usersAccesses": None, "groupsAccesses": None,
                                            "metadata": None, "defaultAccesses": None}).json()
    assert body["usersAccesses"] == {} and body["groupsAccesses"] == {}
    assert body["metadata"] == {} and body["defaultAccesses"] == []


def test_refused_update_changes_nothing(http: httpx.Client) -> None:
    make(http, "keep", metadata={"a": "b"})
    before = http.get("/v2/rooms/keep").json()
    assert_error(http.post("/v2/rooms/keep", json={"metadata": {"a": None, "b": 3}}), 422)
    assert_error(http.post("/v2/rooms/keep", json={"defaultAccesses": ["bad"]}), 422)
    assert http.get("/v2/rooms/keep").json() == before


def test_repeated_query_params_do_not_break(http: httpx.Client) -> None:
    make(http, "rep")
    response = http.get("/v2/rooms?limit=5&limit=7&userId=a&userId=b&query=&query=")
    assert response.status_code == 200


def test_upsert_requires_update(http: httpx.Client) -> None:
    assert_error(http.post("/v2/rooms/new/upsert", json={"create": ROOM}), 422)
    assert http.get("/v2/rooms/new").status_code == 404


def test_upsert_refused_merge_creates_nothing(http: httpx.Client) -> None:
    metadata = {f"k{i}": "v" for i in range(30)}
    more = {f"m{i}": "v" for i in range(30)}
    response = http.post(
        "/v2/rooms/merge/upsert",
        json={"create": {**ROOM, "metadata": metadata}, "update": {"metadata": more}},
    )
    assert_error(response, 422)
    assert http.get("/v2/rooms/merge").status_code == 404


def test_update_organization_id(http: httpx.Client) -> None:
    make(http, "org")
    body = {"fromOrganizationId": "default", "toOrganizationId": "acme"}
    assert http.post("/v2/rooms/org/update-organization-id", json=body).json()[
        "organizationId"] == "acme"
    assert_error(http.post("/v2/rooms/org/update-organization-id", json=body), 409)
