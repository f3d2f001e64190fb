"""Browser plumbing for the dashboard's tests: headless Chromium (the Debian package) through
Playwright, an emulator per test with the demo fixtures, a live @liveblocks/client driven
from the test, and a static server for pages of another origin.

(tests/browser/harness.py, being written for the client tests, was not on main yet: this is
the dashboard's own minimal one.)
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import pathlib
import queue
import subprocess
import threading
from collections.abc import Iterator
from typing import Any

from emulator.config import Config
from emulator.fixture_files import read_fixture_paths
from emulator.server import BackgroundServer
from tests.nodejs import NODE_DIR, require_node

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def static_site(folder: pathlib.Path) -> Iterator[str]:
    """Serve ``folder`` on another loopback port (another origin); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
