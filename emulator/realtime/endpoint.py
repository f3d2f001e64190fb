"""The WebSocket endpoint at ``/v7`` and ``/v8`` that ``@liveblocks/client`` connects to."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from starlette.websockets import WebSocket

from ..state import EmulatorState
from .admission import Refused, admit
from .codes import CloseCode
from .live_room import InvalidMessage, LiveRoom
from .session import Session, Solo
from .telling import entered, frame_handled, left

WRITER_DRAIN_SECONDS = 5.0
PONG = Solo("pong")  # not JSON: never merged with other frames


def _close_reason(text: str) -> str:
    """Close reasons are limited to 123 bytes of UTF-8."""
    encoded = text.encode("utf-8")
    if len(encoded) <= 123:
        return text
    return encoded[:120].decode("utf-8", "ignore") + "…"


def parse_frame(text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidMessage("a frame must be JSON (or the text 'ping')") from None
    return data if isinstance(data, list) else [data]


async def websocket_endpoint(websocket: WebSocket) -> None:
    state: EmulatorState = websocket.app.state.emulator
    protocol_version = 8 if websocket.url.path.rstrip("/").endswith("8") else 7
    await websocket.accept()
    # Refusals come after the upgrade: a refused upgrade looks like a network
    # error to the client, which would retry forever.
    try:
        admission = admit(state, websocket.query_params)
        if state.live.connection_count(admission.room) >= state.config.max_connections_per_room:
            raise Refused(CloseCode.ROOM_FULL, "The room is full")
    except Refused as refusal:
        await websocket.close(refusal.code, _close_reason(refusal.reason))
        return
    room = admission.room
    live = state.live.live_room(room)
    session = live.join(admission.identity, protocol_version, state.config.outbox_frames)
    epoch = state.webhooks.dispatcher.epoch
    room.last_connection_ms = state.clock()
    entered(state, live, session)
    expiry = None
    if admission.expires_at is not None:
        # On the emulator's clock: a test that advances it past the expiry closes the socket.
        delay = max(0.0, admission.expires_at - state.clock() / 1000)
        expiry = state.call_later(
            delay, lambda: session.close(CloseCode.TOKEN_EXPIRED, "Token expired"))
    handle = _frame_handler(state, session, live)
    state.faults.ws.attach(session, live, handle)
    writer = asyncio.create_task(session.write_until_closed(websocket))
    try:
        await _read_until_closed(websocket, session, handle, state.config.idle_timeout_seconds)
    finally:
        state.faults.ws.detach(session)
        if expiry is not None:
            expiry.cancel()
        live.leave(session)
        if state.webhooks.dispatcher.epoch == epoch:  # not a client of a reset world
            left(state, live, session)  # once per connection, however it ended
        state.live.forget_if_empty(live)
        session.close(1000, "")
        try:
            await asyncio.wait_for(writer, WRITER_DRAIN_SECONDS)
        except (TimeoutError, asyncio.CancelledError):
            writer.cancel()


async def _read_until_closed(
    websocket: WebSocket, session: Session, handle: Callable[[str], None], idle_timeout: float
) -> None:
    # The idle timeout is real time: it watches the peer's heartbeat, which runs on the
    # client's clock, not on the emulator's (a test advancing it must not kill sockets).
    while not session.closed:
        try:
            message = await asyncio.wait_for(websocket.receive(), idle_timeout)
        except TimeoutError:
            session.close(1001, "No message received for too long")
            return
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text is None:
            session.close(CloseCode.INVALID_MESSAGE_FORMAT, "Binary frames are not supported")
            return
        if session.incoming_gate is not None:
            session.incoming_gate(text)  # an injected latency or pause (realtime/faults.py)
        else:
            handle(text)


def _frame_handler(
    state: EmulatorState, session: Session, live: LiveRoom
) -> Callable[[str], None]:
    def handle(text: str) -> None:
        if session.closed:
            return
        if text == "ping":
            session.heard()
            session.send(PONG)
            return
        try:
            messages = parse_frame(text)
            live.handle_frame(session, messages)
            frame_handled(state, live, session, messages)
        except InvalidMessage as error:
            session.close(CloseCode.INVALID_MESSAGE_FORMAT, _close_reason(str(error)))

    return handle
