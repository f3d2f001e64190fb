"""What a connection's writer puts on the wire: queued messages merged into array frames.

The client reads an array frame as its messages in order (@liveblocks/core
``parseServerMessages``), so merging is invisible to it — except for ROOM_STATE, which
it looks for as a lone object while connecting, and "pong", which is not JSON.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from websockets.sync.client import connect

from emulator.realtime.endpoint import PONG
from emulator.realtime.session import MERGE_LIMIT_CHARS, Identity, Session, Solo
from emulator.server import BackgroundServer
from tests.isolated_loop import run_isolated


class _Wire:
    """Stands for the WebSocket: records the frames the writer sends."""

    def __init__(self) -> None:
        self.frames: list[str] = []
        self.closed: tuple[int, str] | None = None

    async def send_text(self, text: str) -> None:
        self.frames.append(text)

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


def _written(*queued: str) -> _Wire:
    """Queue frames, then let the writer run until the session's close."""

    async def scenario() -> _Wire:
        session = Session(1, Identity(None, None, [], True, True, True), protocol_version=8)
        for text in queued:
            session.send(text)
        session.close(1000, "")
        wire = _Wire()
        await session.write_until_closed(wire)  # type: ignore[arg-type]
        return wire

    return run_isolated(scenario())


def _messages(frames: list[str]) -> list[Any]:
    out: list[Any] = []
    for frame in frames:
        data = json.loads(frame)
        out.extend(data if isinstance(data, list) else [data])
    return out


def test_queued_frames_go_out_as_one_array_in_order() -> None:
    queued = ['[{"type":201,"ops":[1]}]', '{"type":101,"actor":2}', "[]",
              '[{"type":100,"actor":2,"data":{}},{"type":103,"actor":2,"event":1}]']
    wire = _written(*queued)
    assert len(wire.frames) == 1
    assert _messages(wire.frames) == _messages(queued)
    assert wire.closed == (1000, "")


def test_a_lone_frame_goes_out_unchanged() -> None:
    wire = _written('{"type":101,"actor":2}')
    assert wire.frames == ['{"type":101,"actor":2}']


def test_solo_frames_are_never_merged() -> None:
    room_state = Solo('{"type":104,"actor":1}')
    wire = _written(room_state, '{"type":101,"actor":2}', '[{"type":102,"actor":3}]', PONG,
                    '{"type":101,"actor":4}')
    assert wire.frames == [room_state, '[{"type":101,"actor":2},{"type":102,"actor":3}]', "pong",
                           '{"type":101,"actor":4}']


def test_merged_frames_stay_under_the_limit() -> None:
    big = json.dumps([{"type": 200, "nodes": "x" * (MERGE_LIMIT_CHARS // 2)}])
    small = '{"type":101,"actor":2}'
    wire = _written(big, big, small, big)
    assert all(len(frame) <= MERGE_LIMIT_CHARS for frame in wire.frames)
    assert len(wire.frames) == 3  # big | big + small | big
    assert _messages(wire.frames) == _messages([big, big, small, big])


def test_room_state_arrives_alone_before_what_was_queued_with_it(
    server: BackgroundServer, http: httpx.Client
) -> None:
    # A REST presence makes the join queue ROOM_STATE and that presence together.
    assert http.post("/v2/rooms", json={"id": "solo", "defaultAccesses": ["room:write"]}).is_success
    body = {"userId": "agent", "data": {"status": "thinking"}, "ttl": 30}
    assert http.post("/v2/rooms/solo/presence", json=body).status_code == 204
    url = server.base_url.replace("http://", "ws://") + "/v8?roomId=solo&pubkey=pk_localdev"
    with connect(url) as connection:
        assert json.loads(connection.recv(timeout=5))["type"] == 104  # an object, not an array
        following = json.loads(connection.recv(timeout=5))
        assert _messages([json.dumps(following)])[0]["data"] == {"status": "thinking"}
