"""The Yjs REST API over raw HTTP: statuses, errors that change nothing, room lifecycle,
version history, the ydocUpdated event (YJS.md §2)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from emulator.domain.fixtures import FixtureError, parse_fixture
from emulator.server import BackgroundServer

BINARY = {"Content-Type": "application/octet-stream"}


def update_of(build: Any) -> bytes:
    doc: Doc = Doc()  # type: ignore[type-arg]
    build(doc)
    return bytes(doc.get_update())


def put(http: httpx.Client, room: str, body: bytes, **params: str) -> httpx.Response:
    return http.put(f"/v2/rooms/{room}/ydoc", content=body, headers=BINARY, params=params)


def make(http: httpx.Client, room: str) -> None:
    assert http.post("/v2/rooms", json={"id": room, "defaultAccesses": []}).status_code == 200


def hello(doc: Doc) -> None:  # type: ignore[type-arg]
    doc.get("t", type=Text).insert(0, "hello")


def test_fresh_room_and_missing_room(http: httpx.Client) -> None:
    make(http, "fresh")
    assert http.get("/v2/rooms/fresh/ydoc").json() == {}
    response = http.get("/v2/rooms/fresh/ydoc-binary")
    assert response.content == b"\x00\x00"
    assert response.headers["content-type"] == "application/octet-stream"
    for method, path in (("GET", "ydoc"), ("GET", "ydoc-binary"), ("PUT", "ydoc"),
                         ("GET", "versions"), ("POST", "versions")):
        response = http.request(method, f"/v2/rooms/nope/{path}", content=b"\x00\x00",
                                headers=BINARY)
        assert response.status_code == 404, (method, path)
        assert response.json()["error"] == "ROOM_NOT_FOUND"


def test_json_rendering(http: httpx.Client) -> None:
    make(http, "render")

    def build(doc: Doc) -> None:  # type: ignore[type-arg]
        text = doc.get("fmt", type=Text)
        text.insert(0, "bold", {"bold": True})
        text.insert(4, " plain", {"bold": None})
        doc.get("m", type=Map).update({"k": 1, "nested": Map({"x": 2.5})})
        doc.get("arr", type=Array).extend([1, None, True])
        fragment = doc.get("default", type=XmlFragment)
        paragraph = XmlElement("Paragraph", {"z": "1", "a": 2})
        fragment.children.append(paragraph)
        paragraph.children.append(XmlText("Hi"))

    assert put(http, "render", update_of(build)).json() == {"success": True}
    assert http.get("/v2/rooms/render/ydoc").json() == {
        "fmt": "bold plain", "m": {"k": 1, "nested": {"x": 2.5}}, "arr": [1, None, True],
        "default": '<paragraph a="2" z="1">Hi</paragraph>'}
    assert http.get("/v2/rooms/render/ydoc", params={"formatting": "true", "key": "fmt"}).json() == {
        "fmt": [{"key": "bold", "value": True}, "bold", {"key": "bold", "value": None}, " plain"]}
    assert http.get("/v2/rooms/render/ydoc", params={"key": "fmt", "type": "ytext"}).json() == "bold plain"
    assert http.get("/v2/rooms/render/ydoc", params={"key": "m", "type": "ymap"}).json() == {
        "k": 1, "nested": {"x": 2.5}}
    assert http.get("/v2/rooms/render/ydoc", params={"key": "absent"}).json() == {"absent": ""}
    assert http.get("/v2/rooms/render/ydoc", params={"type": "nope"}).status_code == 422


def test_bad_puts_change_nothing(http: httpx.Client) -> None:
    make(http, "bad")
    put(http, "bad", update_of(hello))
    before = http.get("/v2/rooms/bad/ydoc-binary").content
    assert http.put("/v2/rooms/bad/ydoc", content=update_of(hello)).status_code == 400
    assert http.put("/v2/rooms/bad/ydoc", json={"a": 1}).status_code == 400
    v2_update = bytes.fromhex("000005af87a9971c000001040b08747632207465787401070101000001010000")
    for body, params in ((b"", {}), (b"garbage!", {}), (update_of(hello)[:-3], {}),
                         (v2_update, {}), (update_of(hello), {"guid": "unknown"}),
                         (update_of(hello), {"encoder": "v2"})):
        response = put(http, "bad", body, **params)
        assert response.status_code == 422, (body, params, response.text)
        assert response.json()["error"] == "UNPROCESSABLE_ENTITY"
    assert http.get("/v2/rooms/bad/ydoc-binary").content == before
    assert http.get("/v2/rooms/bad/ydoc").json() == {"t": "hello"}


def test_lifecycle_delete_rename_storage(http: httpx.Client) -> None:
    make(http, "life")
    put(http, "life", update_of(hello))
    # Deleting the storage does not touch the Yjs document; renaming keeps it.
    assert http.delete("/v2/rooms/life/storage").status_code == 200
    assert http.post("/v2/rooms/life/update-room-id", json={"newRoomId": "life2"}).status_code == 200
    assert http.get("/v2/rooms/life2/ydoc").json() == {"t": "hello"}
    # Deleting the room drops it: a new room of that id starts empty.
    assert http.delete("/v2/rooms/life2").status_code == 204
    make(http, "life2")
    assert http.get("/v2/rooms/life2/ydoc").json() == {}
    assert [room["id"] for room in http.get("/v2/rooms").json()["data"]] == ["life2"]


def test_versions_in_both_spellings(http: httpx.Client) -> None:
    make(http, "ver")
    put(http, "ver", update_of(hello))
    first = http.post("/v2/rooms/ver/versions").json()["data"]["id"]
    put(http, "ver", update_of(lambda doc: doc.get("u", type=Text).insert(0, "more")))
    second = http.post("/v2/rooms/ver/version").json()["data"]["id"]
    listed = http.get("/v2/rooms/ver/versions").json()
    assert [v["id"] for v in listed["data"]] == [second, first] and listed["nextCursor"] is None
    assert listed["data"][0]["type"] == "historyVersion" and listed["data"][0]["kind"] == "yjs"
    page = http.get("/v2/rooms/ver/versions", params={"limit": 1}).json()
    assert [v["id"] for v in page["data"]] == [second] and page["nextCursor"] == second
    rest = http.get("/v2/rooms/ver/versions", params={"limit": 1, "cursor": second}).json()
    assert [v["id"] for v in rest["data"]] == [first] and rest["nextCursor"] is None
    for path in (f"versions/{first}/yjs", f"version/{first}"):
        doc = Doc()
        doc.apply_update(http.get(f"/v2/rooms/ver/{path}").content)
        assert str(doc.get("t", type=Text)) == "hello" and "u" not in list(doc.keys())
    assert http.delete(f"/v2/rooms/ver/versions/{first}").status_code == 204
    assert http.get(f"/v2/rooms/ver/version/{first}").status_code == 404
    assert http.delete(f"/v2/rooms/ver/versions/{first}").status_code == 404


def test_writes_emit_ydoc_updated(server: BackgroundServer, http: httpx.Client) -> None:
    make(http, "events")
    seen: list[tuple[str, dict[str, Any]]] = []
    unsubscribe = server.call(lambda: server.state.events.subscribe(
        lambda kind, data: seen.append((kind, data)) if kind == "ydocUpdated" else None))
    try:
        put(http, "events", update_of(hello))
        put(http, "events", b"\x00\x00")  # changes nothing: no event
    finally:
        server.call(unsubscribe)
    assert [(kind, data["roomId"]) for kind, data in seen] == [("ydocUpdated", "events")]


def test_fixture_refuses_bad_yjs() -> None:
    for yjs in ({"root": "!!"}, {"root": "AAAFr4eplxwAAAEE"}, ["x"], {"root": 1}):
        with pytest.raises(FixtureError) as refused:
            parse_fixture({"rooms": [{"id": "r", "yjs": yjs}]}, "inline", now_ms=0)
        assert refused.value.path == "$.rooms[0].yjs"
