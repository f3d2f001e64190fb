"""--state keeps rooms across restarts; -c runs a command against a fresh emulator."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys

import httpx
import pytest
from pycrdt import Doc, Text

from tests.test_cli import running

ROOT = pathlib.Path(__file__).resolve().parents[2]
AUTH = {"Authorization": "Bearer sk_localdev"}


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_state_is_written_on_a_clean_stop_and_loaded_again(
    tmp_path: pathlib.Path, stop: signal.Signals
) -> None:
    state_file = tmp_path / "sub" / "state.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--log-level", "warning",
         "--state", str(state_file), "--fixtures", str(ROOT / "fixtures" / "demo.json")],
        stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().split()[4]
    httpx.post(url + "/v2/rooms", json={"id": "kept", "defaultAccesses": []}, headers=AUTH)
    httpx.delete(url + "/v2/rooms/whiteboard", headers=AUTH)
    # A Yjs change is saved too (as a v1 update of the whole document).
    edit = Doc()
    edit.get("added", type=Text).insert(0, "saved")
    httpx.put(url + "/v2/rooms/meeting-notes/ydoc", content=edit.get_update(),
              headers={**AUTH, "Content-Type": "application/octet-stream"}).raise_for_status()
    # Comments are part of the state too.
    made = httpx.post(url + "/v2/rooms/kept/threads", headers=AUTH, json={"comment": {
        "userId": "u", "body": {"version": 1, "content": [
            {"type": "paragraph", "children": [{"text": "saved"}]}]}}}).json()
    process.send_signal(stop)
    assert process.wait(20) == 0
    saved = json.loads(state_file.read_text())
    assert {room["id"] for room in saved["rooms"]} == {
        "todos", "private-notes", "meeting-notes", "kept", "design-review"}
    assert not list(state_file.parent.glob(".state.json.*"))  # no temporary file left
    with running("--port", "0", "--log-level", "warning", "--state", str(state_file),
                 "--fixtures", str(ROOT / "fixtures" / "demo.json")) as (url, _):
        ids = {r["id"] for r in httpx.get(url + "/v2/rooms", headers=AUTH).json()["data"]}
        assert ids == {"todos", "private-notes", "meeting-notes", "kept", "design-review"}
        ydoc = httpx.get(url + "/v2/rooms/meeting-notes/ydoc", headers=AUTH).json()
        assert ydoc["added"] == "saved" and ydoc["default"].startswith("<heading")
        again = httpx.get(url + f"/v2/rooms/kept/threads/{made['id']}", headers=AUTH).json()
        assert again == made
        # A reset still goes back to the fixtures, not to the saved state.
        httpx.post(url + "/_emulator/reset", headers=AUTH)
        ids = {r["id"] for r in httpx.get(url + "/v2/rooms", headers=AUTH).json()["data"]}
        assert ids == {"todos", "private-notes", "meeting-notes", "whiteboard", "design-review"}


SCRIPT = """
import json, os, sys, urllib.request
keys = [k for k in os.environ if "LIVEBLOCKS" in k]
request = urllib.request.Request(os.environ["LIVEBLOCKS_BASE_URL"] + "/v2/rooms",
    headers={"Authorization": "Bearer " + os.environ["LIVEBLOCKS_SECRET_KEY"]})
rooms = json.load(urllib.request.urlopen(request))["data"]
print(json.dumps({"env": {k: os.environ[k] for k in keys}, "rooms": [r["id"] for r in rooms],
                  "args": sys.argv[1:]}))
sys.exit(int(os.environ.get("EXIT_WITH", "0")))
"""


def run_cmd(tmp_path: pathlib.Path, *extra: str, exit_with: int = 0) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    return subprocess.run(
        [sys.executable, "-m", "emulator", "--log-level", "warning",
         "--fixtures", str(ROOT / "fixtures" / "demo.json"),
         "-c", f"{sys.executable} {script}", *extra],
        capture_output=True, text=True, timeout=60, env={**os.environ, "EXIT_WITH": str(exit_with)},
    )


def test_cmd_passes_the_environment_and_the_exit_status(tmp_path: pathlib.Path) -> None:
    result = run_cmd(tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    env = out["env"]
    base_url = env["LIVEBLOCKS_BASE_URL"]
    assert base_url.startswith("http://127.0.0.1:") and not base_url.endswith(":1153")
    assert env["LIVEBLOCKS_SECRET_KEY"] == "sk_localdev"
    for prefix in ("", "NEXT_PUBLIC_", "VITE_", "PUBLIC_"):
        assert env[f"{prefix}LIVEBLOCKS_BASE_URL"] == base_url
        assert env[f"{prefix}LIVEBLOCKS_PUBLIC_KEY"] == "pk_localdev"
    assert sorted(out["rooms"]) == ["design-review", "meeting-notes", "private-notes", "todos", "whiteboard"]
    assert run_cmd(tmp_path, exit_with=3).returncode == 3


def test_cmd_extra_arguments_are_appended(tmp_path: pathlib.Path) -> None:
    result = run_cmd(tmp_path, "--", "one", "two words")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["args"] == ["one", "two words"]


def test_extra_arguments_need_cmd() -> None:
    result = subprocess.run([sys.executable, "-m", "emulator", "stray"], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2 and "--cmd" in result.stderr
