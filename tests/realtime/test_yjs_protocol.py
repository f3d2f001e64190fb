"""Yjs over the WebSocket, frame by frame (YJS.md §1): FETCH_YDOC / UPDATE_YDOC, the exact
remoteSnapshotHash, subdocuments, permissions, v2 and bad input."""

from __future__ import annotations

import base64

import httpx
from pycrdt import Doc, Map, Text

from emulator.server import BackgroundServer
from tests.realtime.test_token_admission import access_token
from tests.realtime.wsclient import RawClient, public

# Text "t" <- "hello" by Yjs client 609814374, and the JS hash of that document (YJS.md §5).
HELLO = "AQHmjuSiAgAEAQF0BWhlbGxvAA=="
HELLO_HASH = "2EOQkzMOzU0QVKmwE5QAbJAC0qVdC9LXKxXlZvF44YE="
EMPTY_HASH = "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c="


def joined(server: BackgroundServer, room: str, **params: str) -> RawClient:
    client = public(server.base_url, room, **params) if not params else RawClient(
        server.base_url, room, **params)
    client.receive_type(104)
    return client


def fetch(client: RawClient, vector: str = "AA==", **more: object) -> dict[str, object]:
    client.send({"type": 300, "vector": vector, "v2": False, **more})
    return client.receive_type(300)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_fetch_of_an_empty_room(server: BackgroundServer) -> None:
    with joined(server, "y1") as client:
        assert fetch(client) == {"type": 300, "update": "AAA=", "isSync": True,
                                 "stateVector": "AA==", "v2": False,
                                 "remoteSnapshotHash": EMPTY_HASH}
        # The devtools' empty vector means "everything".
        assert fetch(client, "")["update"] == "AAA="


def test_update_is_echoed_to_all_with_the_js_hash(server: BackgroundServer) -> None:
    with joined(server, "y2") as a, joined(server, "y2") as b:
        a.send({"type": 301, "update": HELLO, "v2": False})
        expected = {"type": 300, "update": HELLO, "isSync": False, "stateVector": None,
                    "v2": False, "remoteSnapshotHash": HELLO_HASH}
        assert a.receive_type(300) == expected
        assert b.receive_type(300) == expected
        # A late joiner gets the whole document and the same hash.
        with joined(server, "y2") as c:
            reply = fetch(c)
            doc = Doc()
            doc.apply_update(base64.b64decode(reply["update"]))  # type: ignore[arg-type]
            assert str(doc.get("t", type=Text)) == "hello"
            assert reply["remoteSnapshotHash"] == HELLO_HASH
            assert reply["stateVector"] == "AeaO5KICBQ=="
            # Knowing everything, it is sent an empty diff.
            assert fetch(c, "AeaO5KICBQ==")["update"] == "AAA="


def test_subdocuments_by_guid(server: BackgroundServer, http: httpx.Client) -> None:
    root = Doc()
    child: Doc = Doc()  # type: ignore[type-arg]
    root.get("docs", type=Map)["child"] = child
    child.get("s", type=Text).insert(0, "inside")
    with joined(server, "y3") as a:
        # Unknown guid: no reply at all.
        a.send({"type": 300, "vector": "AA==", "guid": child.guid})
        a.expect_nothing()
        a.send({"type": 301, "update": b64(root.get_update())})
        a.receive_type(300)
        a.send({"type": 301, "update": b64(child.get_update()), "guid": child.guid})
        assert a.receive_type(300)["guid"] == child.guid
        reply = fetch(a, guid=child.guid)
        assert reply["guid"] == child.guid
        copy = Doc()
        copy.apply_update(base64.b64decode(reply["update"]))  # type: ignore[arg-type]
        assert str(copy.get("s", type=Text)) == "inside"
    binary = http.get("/v2/rooms/y3/ydoc-binary", params={"guid": child.guid}).content
    copy = Doc()
    copy.apply_update(binary)
    assert str(copy.get("s", type=Text)) == "inside"


def test_read_only_and_storage_none(server: BackgroundServer, http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "y4", "defaultAccesses": []})
    writer = RawClient(server.base_url, "y4", tok=access_token(http, "w", {"y4": ["room:write"]}))
    reader = RawClient(server.base_url, "y4", tok=access_token(
        http, "r", {"y4": ["room:read", "room:presence:write"]}))
    blind = RawClient(server.base_url, "y4", tok=access_token(
        http, "n", {"y4": ["room:write", "storage:none"]}))
    with writer, reader, blind:
        for client in (writer, reader, blind):
            client.receive_type(104)
        writer.send({"type": 301, "update": HELLO})
        assert writer.receive_type(300)["remoteSnapshotHash"] == HELLO_HASH
        assert reader.receive_type(300)["update"] == HELLO
        # The reader's updates change nothing and reach nobody.
        forged = Doc()
        forged.get("t", type=Text).insert(0, "forged")
        reader.send({"type": 301, "update": b64(forged.get_update())})
        writer.expect_nothing()
        assert http.get("/v2/rooms/y4/ydoc").json() == {"t": "hello"}
        # storage:none reads an empty document and is sent no updates.
        assert fetch(blind)["remoteSnapshotHash"] == EMPTY_HASH
        assert fetch(blind)["update"] == "AAA="
        writer.send({"type": 301, "update": "AAA="})
        writer.receive_type(300)
        blind.expect_nothing()


def test_v2_reads_and_refused_writes(server: BackgroundServer, http: httpx.Client) -> None:
    with joined(server, "y5") as a, joined(server, "y5") as v2:
        a.send({"type": 301, "update": HELLO})
        a.receive_type(300)
        assert v2.receive_type(300)["isSync"] is False
        reply = fetch(v2, v2=True)
        assert reply["v2"] is False and reply["update"] == HELLO and reply["isSync"] is True
        # A v2 write is dropped (logged), never applied as an empty v1 update.
        v2.send({"type": 301, "update": "AAAFr4eplxwAAAEECwh0djIgdGV4dAEHAQEAAAEBAAA=", "v2": True})
        a.expect_nothing()
        v2.expect_nothing()
        assert http.get("/v2/rooms/y5/ydoc").json() == {"t": "hello"}


def test_wrong_field_types_close_with_4000(server: BackgroundServer) -> None:
    for message in ({"type": 300}, {"type": 300, "vector": 1}, {"type": 301, "update": None},
                    {"type": 301, "update": "AAA=", "guid": 5},
                    {"type": 300, "vector": "AA==", "v2": None}):
        with joined(server, "y6") as client:
            client.send(message)
            assert client.close_code()[0] == 4000


def test_bad_updates_are_ignored(server: BackgroundServer, http: httpx.Client) -> None:
    with joined(server, "y7") as client:
        client.send({"type": 301, "update": HELLO})
        client.receive_type(300)
        for update in ("!!!", HELLO[:-6], b64(b"\xff\xff\xff"), "",
                       "AAAFr4eplxwAAAEECwh0djIgdGV4dAEHAQEAAAEBAAA="):
            client.send({"type": 301, "update": update})
        client.send({"type": 301, "update": HELLO, "guid": "no-such-subdoc"})
        client.expect_nothing()
        # Still connected, the document unchanged.
        assert fetch(client)["remoteSnapshotHash"] == HELLO_HASH
    assert http.get("/v2/rooms/y7/ydoc").json() == {"t": "hello"}


def test_yjs_only_room_lists_users_snapshots_and_resets(
    server: BackgroundServer, http: httpx.Client
) -> None:
    root = Doc()
    child: Doc = Doc()  # type: ignore[type-arg]
    root.get("docs", type=Map)["child"] = child
    child.get("s", type=Text).insert(0, "in the subdoc")
    with joined(server, "yjs-only") as client:
        client.send({"type": 301, "update": b64(root.get_update())})
        client.receive_type(300)
        client.send({"type": 301, "update": b64(child.get_update()), "guid": child.guid})
        client.receive_type(300)
        assert [r["id"] for r in http.get("/v2/rooms").json()["data"]] == ["yjs-only"]
        assert len(http.get("/v2/rooms/yjs-only/active_users").json()["data"]) == 1
        snapshot = http.get("/_emulator/snapshot").json()
        # A reset closes Yjs sessions like any other (4999: the client stops).
        assert http.post("/_emulator/reset").status_code in (200, 204)
        assert client.close_code()[0] == 4999
    assert http.get("/v2/rooms/yjs-only/ydoc").status_code == 404
    # The snapshot carries the root and the subdocument, and loads back.
    assert set(snapshot["rooms"][0]["yjs"]) == {"root", child.guid}
    assert http.post("/_emulator/fixtures", json=snapshot).status_code in (200, 204)
    assert http.get("/v2/rooms/yjs-only/ydoc").json() == {"docs": {"child": {}}}
    binary = http.get("/v2/rooms/yjs-only/ydoc-binary", params={"guid": child.guid}).content
    copy = Doc()
    copy.apply_update(binary)
    assert str(copy.get("s", type=Text)) == "in the subdoc"
