"""A schema attached to a room guards what real clients write (REJECT_STORAGE_OP)."""

from __future__ import annotations

import httpx

from emulator.server import BackgroundServer
from tests.e2e.scripts import run_script


def test_schema_violating_ops_are_rejected_and_not_seen_by_others(
    server: BackgroundServer, http: httpx.Client
) -> None:
    # Production mode: a dev build throws on REJECT_STORAGE_OP, which stalls ws in Node.
    out = run_script(server, "e2e_schema.mjs", ROOM="schema-room", NODE_ENV="production")
    expected_reasons = {
        "wrongType": 'root.count: expected number, got string "many"',
        "unknownField": "root: unexpected field 'color'",
        "badListItem": "root.todos[0].text: expected string, got number 1",
        "replacedList": "root.todos[0]: expected LiveObject<Todo>",
    }
    for case, reason in expected_reasons.items():
        rejection = out[case]
        assert rejection["reason"].startswith("Storage change does not match schema 'todos@1'")
        assert reason in rejection["reason"], (case, rejection["reason"])
        assert rejection["more"] == 0
        # Rejected ops count as settled for the sender; the others and REST never saw them.
        assert rejection["storageStatus"] == "synchronized"
        assert rejection["bUnchanged"] is True, case
        assert rejection["restUnchanged"] is True, case
    assert out["rest"] == out["doc"]
    assert http.get("/v2/rooms/schema-room/storage", params={"format": "json"}).json() == {
        "title": "fine",
        "count": 2,
        "todos": [{"text": "ok", "done": False}],
    }
    assert out["errors"] == []
