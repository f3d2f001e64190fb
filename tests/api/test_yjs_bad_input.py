"""Bad Yjs input over REST and WebSocket gets a clear answer and changes nothing: garbage
or truncated base64, bytes that do not decode, mutated updates, v2 bytes flagged as v1,
unknown guids, wrong content types, oversize bodies (hypothesis)."""

from __future__ import annotations

import base64
import itertools

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map, Text, XmlElement, XmlFragment

from emulator.server import BackgroundServer
from tests.realtime.wsclient import public

ROOMS = itertools.count()


def valid_update() -> bytes:
    doc: Doc = Doc()  # type: ignore[type-arg]
    doc.get("t", type=Text).insert(0, "hello world")
    doc.get("m", type=Map)["k"] = 1
    doc.get("x", type=XmlFragment).children.append(XmlElement("p", {"a": "1"}))
    return bytes(doc.get_update())


VALID = valid_update()
V2 = bytes.fromhex("000005af87a9971c000001040b08747632207465787401070101000001010000")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


BAD_BYTES = st.one_of(
    st.binary(max_size=64),
    st.integers(0, len(VALID) - 1).map(lambda n: VALID[:n]),
    mutated(),
    st.just(V2),
)


def fresh_room(http: httpx.Client) -> str:
    room = f"bad-{next(ROOMS)}"
    http.post("/v2/rooms", json={"id": room, "defaultAccesses": ["room:write"]})
    seed = Doc()
    seed.get("t", type=Text).insert(0, "before")
    http.put(f"/v2/rooms/{room}/ydoc", content=seed.get_update(),
             headers={"Content-Type": "application/octet-stream"}).raise_for_status()
    return room


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BAD_BYTES, guid=st.sampled_from([None, "root", "unknown-guid"]),
       content_type=st.sampled_from(["application/octet-stream", None, "application/json"]))
def test_rest_put(http: httpx.Client, body: bytes, guid: str | None, content_type: str | None) -> None:
    room = fresh_room(http)
    before = http.get(f"/v2/rooms/{room}/ydoc-binary").content
    headers = {"Content-Type": content_type} if content_type else {}
    response = http.put(f"/v2/rooms/{room}/ydoc", content=body, headers=headers,
                        params={"guid": guid} if guid else {})
    assert response.status_code < 500, response.text
    if response.status_code != 200:
        assert response.status_code in (400, 422), response.text
        assert response.json()["error"] and response.json()["message"]
        assert http.get(f"/v2/rooms/{room}/ydoc-binary").content == before
    assert http.get(f"/v2/rooms/{room}/ydoc").status_code == 200


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BAD_BYTES, text=st.one_of(st.none(), st.text(max_size=20)),
       guid=st.sampled_from([None, "unknown-guid"]), v2=st.booleans())
def test_websocket_update(server: BackgroundServer, http: httpx.Client, body: bytes,
                          text: str | None, guid: str | None, v2: bool) -> None:
    room = fresh_room(http)
    before = http.get(f"/v2/rooms/{room}/ydoc-binary").content
    update = base64.b64encode(body).decode() if text is None else text
    message: dict[str, object] = {"type": 301, "update": update, "v2": v2}
    if guid:
        message["guid"] = guid
    with public(server.base_url, room) as client:
        client.receive_type(104)
        client.send(message)
        # The connection survives; a fetch still answers.
        client.send({"type": 300, "vector": "AA=="})
        replies = [client.receive_type(300)]
        while replies[-1]["isSync"] is False:  # the update was valid after all: its echo
            replies.append(client.receive_type(300))
    after = http.get(f"/v2/rooms/{room}/ydoc-binary").content
    if len(replies) == 1:
        assert after == before
    assert http.get(f"/v2/rooms/{room}/ydoc").status_code == 200


def test_oversize_put_is_413(http: httpx.Client, server: BackgroundServer) -> None:
    room = fresh_room(http)
    limit = server.state.config.max_body_bytes
    response = http.put(f"/v2/rooms/{room}/ydoc", content=b"\x01" * (limit + 1),
                        headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 413
    assert http.get(f"/v2/rooms/{room}/ydoc").json() == {"t": "before"}


def test_oversize_websocket_update_closes_1009(http: httpx.Client, server: BackgroundServer) -> None:
    room = fresh_room(http)
    limit = server.state.config.max_message_bytes
    with public(server.base_url, room) as client:
        client.receive_type(104)
        client.send({"type": 301, "update": "A" * (limit + 1)})
        assert client.close_code()[0] == 1009
    assert http.get(f"/v2/rooms/{room}/ydoc").json() == {"t": "before"}
