"""Yjs documents through the real @liveblocks/yjs provider and @liveblocks/node (YJS.md §5)."""

from __future__ import annotations

from emulator.server import BackgroundServer
from tests.nodejs import run_node


def test_yjs_providers_rest_and_read_only(server: BackgroundServer) -> None:
    out = run_node("e2e_yjs.mjs", timeout=90, BASE_URL=server.base_url, ROOM="yjs-e2e")
    assert out["initial"] == "synchronized"
    assert out["afterTwoEdits"] == "hello world"
    assert out["concurrentEqual"] and out["afterReconnect"] and out["lateJoiner"]
    assert out["binaryEqual"]
    assert out["subdocBinary"] == ">inside subdoc"
    assert out["json"]["docs"] == {"child": {}}
    assert out["json"]["t"] == out["jsonText"]
    # Maps and XML render exactly as Yjs' toJSON does, inferred or typed.
    assert out["jsonMap"] == out["expectedMap"] == out["json"]["m"] == {"k": 1, "nested": {"x": "y"}}
    assert out["jsonXml"] == out["expectedXml"] == out["json"]["default"]
    assert out["expectedXml"] == "<paragraph>Hi <bold>there</bold></paragraph>"
    versions = out["versions"]
    assert versions["listed"] == [versions["created"]] and versions["createdAtIsDate"]
    assert versions["text"] and versions["afterDelete"] == 0
    assert out["readerCanWrite"] is False
    assert out["readerEditReachedA"] is False and out["readerEditReachedRest"] is False
    assert out["v2Status"] == "synchronized"
    assert out["final"]["statuses"] == ["synchronized"] * 3
