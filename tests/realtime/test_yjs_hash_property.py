"""Property: after every update of randomized 3-client sessions (text, array, map, XML,
offline batches), the emulator's remoteSnapshotHash equals the one JS yjs computes — in
the domain (v1 and v2 snapshot flavours) and in the echo each update gets over the wire."""

from __future__ import annotations

import base64
import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.domain.yjs_docs import RoomYDocs
from emulator.domain.yjs_json import document_json
from emulator.server import BackgroundServer
from tests.nodejs import run_node
from tests.realtime.wsclient import public

ROOMS = itertools.count()  # hypothesis replays a seed: each run gets a room of its own


def sessions(seed: int, steps: int = 150) -> dict[str, Any]:
    played: list[dict[str, Any]] = run_node("yjs_sessions.mjs", SEEDS=str(seed), STEPS=str(steps))
    return played[0]


@settings(max_examples=6, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=1, max_value=2**31 - 1))
def test_hash_equals_js_after_every_update(server: BackgroundServer, seed: int) -> None:
    played = sessions(seed)
    docs = RoomYDocs()
    room = f"hash-{next(ROOMS)}"
    with public(server.base_url, room) as client:
        client.receive_type(104)
        for step, received in enumerate(played["received"]):
            docs.apply(docs.root, base64.b64decode(received["update"]))
            assert docs.hash(docs.root) == received["hash"], step
            assert docs.hash(docs.root, v2=True) == received["hashV2"], step
            client.send({"type": 301, "update": received["update"], "v2": False})
            echo = client.receive_type(300)
            assert echo["remoteSnapshotHash"] == received["hash"], step
    # And the JSON view equals Yjs' toJSON of the server doc (empty roots are left out).
    js = played["json"]
    assert document_json(docs.root) == {key: value for key, value in js.items() if value}
    kinds = {"t": "ytext", "a": "yarray", "m": "ymap", "x": "yxmlfragment"}
    for key, kind in kinds.items():
        assert document_json(docs.root, key=key, kind=kind) == js[key], key
