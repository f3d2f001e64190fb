"""Loading fixture files: the demo workspace, schema files, and every way a fixture can be bad."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from typing import Any

import pytest

from emulator.config import Config
from emulator.domain.fixtures import FixtureError
from emulator.domain.yjs_json import document_json
from emulator.fixture_files import FixtureSource, read_fixture_paths
from emulator.state import EmulatorState

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo.json"
SCHEMA = "type Todo { text: string, done: boolean }\ntype Storage { todos: LiveList<LiveObject<Todo>> }"


def lson_todos(*todos: dict[str, Any]) -> dict[str, Any]:
    items = [{"liveblocksType": "LiveObject", "data": todo} for todo in todos]
    return {"liveblocksType": "LiveObject",
            "data": {"todos": {"liveblocksType": "LiveList", "data": items}}}


def write(tmp_path: pathlib.Path, name: str, content: Any) -> pathlib.Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def load(*paths: pathlib.Path) -> EmulatorState:
    state = EmulatorState(Config())
    state.load_startup_fixtures(read_fixture_paths([str(p) for p in paths]))
    return state


def test_demo_workspace_loads() -> None:
    state = load(DEMO)
    assert {room.id for room in state.rooms} == {
        "whiteboard", "todos", "private-notes", "meeting-notes", "design-review"}
    todos = state.rooms.get("todos")
    assert todos.schema_id == "todo-list@1"
    private = state.rooms.get("private-notes")
    assert private.default_accesses == [] and "alice" in private.users_accesses
    assert "leadership" in private.groups_accesses
    whiteboard = state.snapshot()["rooms"][0]
    assert whiteboard["storage"]["data"]["shapes"]["liveblocksType"] == "LiveMap"
    # A Tiptap-shaped Yjs document, carried by snapshots.
    notes = state.rooms.get("meeting-notes")
    assert document_json(state.yjs.docs(notes).root)["default"].startswith(
        '<heading level="1">Meeting notes</heading><paragraph>')
    assert [r["id"] for r in state.snapshot()["rooms"] if "yjs" in r] == ["meeting-notes"]
    # A room with comments: an open thread and a resolved one.
    threads = state.comments.threads(state.rooms.get("design-review"))
    assert [t.resolved for t in threads] == [False, True]


def test_demo_matches_the_published_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "fixtures" / "fixture.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(DEMO.read_text()), schema)
    jsonschema.validate(load(DEMO).snapshot(), schema)


def test_a_folder_loads_every_json_file(tmp_path: pathlib.Path) -> None:
    write(tmp_path, "a.json", {"rooms": [{"id": "a"}]})
    write(tmp_path, "b.json", {"rooms": [{"id": "b"}]})
    write(tmp_path, "notes.txt", "not a fixture")
    assert sorted(room.id for room in load(tmp_path).rooms) == ["a", "b"]


def test_schema_body_from_a_file(tmp_path: pathlib.Path) -> None:
    write(tmp_path, "todo.schema", SCHEMA)
    fixture = {"schemas": [{"name": "todo", "file": "todo.schema"}],
               "rooms": [{"id": "r", "schema": "todo@1", "storage": lson_todos()}]}
    state = load(write(tmp_path, "f.json", fixture))
    assert state.schemas.get("todo@1").body == SCHEMA


BAD: dict[str, tuple[Any, str, str]] = {
    "invalid JSON": ('{"rooms": [', "$", "invalid JSON at line 1"),
    "not an object": ([], "$", "must be a JSON object"),
    "unknown top-level field": ({"room": []}, "$.room", "unknown field 'room'"),
    "rooms not a list": ({"rooms": {}}, "$.rooms", "must be an array"),
    "unknown room field": ({"rooms": [{"id": "a", "color": "red"}]}, "$.rooms[0].color", "unknown field 'color'"),
    "room without id": ({"rooms": [{}]}, "$.rooms[0]", "id is required"),
    "duplicate room id": ({"rooms": [{"id": "a"}, {"id": "a"}]}, "$.rooms[1].id", "room 'a' is defined twice"),
    "bad permission": ({"rooms": [{"id": "a", "defaultAccesses": ["admin"]}]}, "$.rooms[0]", "invalid permission"),
    "metadata over the limit": ({"rooms": [{"id": "a", "metadata": {f"k{i}": "v" for i in range(51)}}]}, "$.rooms[0]", "50 entries"),
    "bad createdAt": ({"rooms": [{"id": "a", "createdAt": "yesterday"}]}, "$.rooms[0].createdAt", "ISO-8601"),
    "malformed storage": ({"rooms": [{"id": "a", "storage": {"liveblocksType": "LiveList", "data": []}}]}, "$.rooms[0].storage", "LiveObject"),
    "unknown liveblocksType": ({"rooms": [{"id": "a", "storage": {"liveblocksType": "LiveObject", "data": {"t": {"liveblocksType": "LiveText", "data": []}}}}]}, "$.rooms[0].storage", "LiveText"),
    "storage violating its schema": (
        {"schemas": [{"name": "todo", "body": SCHEMA}],
         "rooms": [{"id": "a", "schema": "todo@1", "storage": lson_todos({"text": "x", "done": "no"})}]},
        "$.rooms[0].storage", "root.todos[0].done"),
    "unknown schema": ({"rooms": [{"id": "a", "schema": "nope@1"}]}, "$.rooms[0].schema", "'nope@1' is not defined"),
    "invalid schema text": ({"schemas": [{"name": "s", "body": "type Storage { a: strin }"}]}, "$.schemas[0].body", "Did you mean 'string'?"),
    "bad schema name": ({"schemas": [{"name": "Bad Name", "body": "type Storage {}"}]}, "$.schemas[0].name", "not a valid schema name"),
    "duplicate schema": ({"schemas": [{"name": "s", "body": "type Storage {}"}] * 2}, "$.schemas[1]", "defined twice"),
    "body and file": ({"schemas": [{"name": "s", "body": "type Storage {}", "file": "x"}]}, "$.schemas[0]", "'body' or a path as 'file'"),
    "missing schema file": ({"schemas": [{"name": "s", "file": "missing.schema"}]}, "$.schemas[0].file", "cannot read schema file"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_fixture_names_file_path_and_reason(tmp_path: pathlib.Path, case: str) -> None:
    content, path, reason = BAD[case]
    good = write(tmp_path, "a-good.json", {"rooms": [{"id": "fine"}]})
    bad = write(tmp_path, "b-bad.json", content)
    state = EmulatorState(Config())
    with pytest.raises(FixtureError) as info:
        state.load_startup_fixtures(read_fixture_paths([str(good), str(bad)]))
    error = info.value
    assert error.source == str(bad)
    assert error.path == path
    assert reason in error.reason
    assert str(bad) in error.message and path in error.message
    assert len(state.rooms) == 0 and not list(state.schemas)  # nothing half-loaded


@pytest.mark.parametrize("case", ["unknown room field", "storage violating its schema", "duplicate room id", "invalid JSON"])
def test_cli_refuses_a_bad_fixture_with_exit_code_2(tmp_path: pathlib.Path, case: str) -> None:
    content, path, reason = BAD[case]
    bad = write(tmp_path, "bad.json", content)
    result = subprocess.run(
        [sys.executable, "-m", "emulator", "--port", "0", "--fixtures", str(bad)],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 2
    assert str(bad) in result.stderr and path in result.stderr and reason in result.stderr
    assert "Traceback" not in result.stderr


def test_loading_into_a_state_that_has_the_room_changes_nothing() -> None:
    state = load(DEMO)
    before = state.snapshot()
    with pytest.raises(FixtureError):
        state.load([FixtureSource({"rooms": [{"id": "new"}, {"id": "todos"}]}, "doc")])
    assert state.snapshot() == before


def test_reset_goes_back_to_the_fixtures_with_fresh_storage() -> None:
    state = load(DEMO)
    before = state.snapshot()
    state.rooms.get("whiteboard").document().root.data["zoomed"] = True
    state.delete_room("todos")
    state.reset()
    assert state.snapshot() == before
    state.reset(to_fixtures=False)
    assert len(state.rooms) == 0
