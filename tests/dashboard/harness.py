"""What the dashboard's tests need besides the shared browser plumbing (tests/browser/harness.py:
Chromium, static sites of another origin): an emulator per test with the demo fixtures, and a
live @liveblocks/client driven from the test.
"""

from __future__ import annotations

import contextlib
import json
import pathlib
import queue
import subprocess
import threading
from collections.abc import Iterator
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from emulator.config import Config
from emulator.fixture_files import read_fixture_paths
from emulator.server import BackgroundServer
from tests.nodejs import NODE_DIR, require_node

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECRET = {"Authorization": "Bearer sk_localdev"}


def rest(server: BackgroundServer) -> httpx.Client:
    """A REST client of ``server`` with the secret key, as an app's backend calls it."""
    return httpx.Client(base_url=server.base_url, headers=SECRET, timeout=10)


def open_live(page: Page, path: str) -> None:
    """Open a dashboard page and wait until its event stream is connected."""
    page.goto(path)
    expect(page.locator("#live-state")).to_have_text("live")


@contextlib.contextmanager
def demo_emulator() -> Iterator[BackgroundServer]:
    """An emulator of its own, on a free loopback port, holding fixtures/demo.json."""
    server = BackgroundServer(Config(port=0, log_level="warning"))
    server.state.load_startup_fixtures(read_fixture_paths([str(ROOT / "fixtures" / "demo.json")]))
    with server:
        yield server


class LiveClient:
    """tests/node/dashboard_client.mjs: a real @liveblocks/client, one command at a time."""

    def __init__(self, base_url: str) -> None:
        self._process = subprocess.Popen(
            [require_node(), str(NODE_DIR / "dashboard_client.mjs")], cwd=NODE_DIR,
            env={"PATH": "/usr/bin:/bin", "BASE_URL": base_url}, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self._answers: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            if line.startswith("{"):
                self._answers.put(line)

    def send(self, cmd: str, **args: Any) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self._process.stdin.flush()
        try:
            answer: dict[str, Any] = json.loads(self._answers.get(timeout=30))
        except queue.Empty:
            raise AssertionError(f"the Node client did not answer {cmd}") from None
        assert answer["ok"], answer.get("error")
        return answer

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
