"""The official Node SDK (@liveblocks/node) reads and writes room storage against the emulator."""

from __future__ import annotations

import json

import httpx

from emulator.server import BackgroundServer
from tests.api.test_storage_http import SEED_DOC
from tests.contract.test_python_sdk_storage import JSON_VIEW
from tests.nodejs import run_node


def test_node_sdk_storage(server: BackgroundServer, http: httpx.Client) -> None:
    out = run_node(
        "storage_sdk.mjs",
        BASE_URL=server.base_url,
        SECRET="sk_localdev",
        DOCUMENT=json.dumps(SEED_DOC),
    )
    assert out["initialized"] == out["plain"] == out["plainExplicit"] == SEED_DOC
    assert out["json"] == JSON_VIEW
    assert out["again"]["status"] == 409 and out["again"]["message"]

    mutated = {
        "aLiveObject": {"a": 2, "b": {"k": "v"}},
        "aLiveList": ["b", "c", "a"],
        "aLiveMap": {"b": 2, "nested": {"list": [1, 2]}},
        "count": 1,
    }
    assert out["mutated"] == mutated
    assert out["mutatedPlain"]["data"]["aLiveObject"]["data"]["b"] == {
        "liveblocksType": "LiveMap",
        "data": {"k": "v"},
    }
    assert out["mutatedTwice"]["count"] == 2
    assert out["mutatedTwice"]["aLiveMap"]["nested"] == {"list": [2]}

    assert out["deleted"] is None
    assert out["afterDelete"] == {"liveblocksType": "LiveObject", "data": {}}
    assert out["reinitialized"] == {"liveblocksType": "LiveObject", "data": {"n": 1}}
    # What the SDK did is what GET storage shows.
    assert http.get("/v2/rooms/node-storage/storage?format=json").json() == {"n": 1}

    for call, error in out["missing"].items():
        assert error["status"] == 404 and "node-missing" in error["message"], call
