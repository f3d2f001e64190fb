"""Plumbing for browser tests: headless Chromium, pages bundled with esbuild, a static origin.

Chromium is the one tests/install_browser.py settles on (README's test command runs it).

Pages under test are bundled from the pinned npm packages in tests/node (esbuild is a pinned
devDependency there) and served from their own local origin, never the emulator's, so the
browser talks to the emulator cross-origin as it would to Liveblocks.

    with static_site(build_page(PAGES / "my_page.js", tmp_dir)) as site, chromium() as browser:
        page = browser.new_context().new_page()
        page.goto(site.url("index.html?room=r"))

Nothing here knows about a particular page or feature.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import pathlib
import subprocess
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tests.install_browser import find_chromium, playwright_has_chromium
from tests.nodejs import NODE_DIR, require_node

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
PAGES = pathlib.Path(__file__).resolve().parent / "pages"
ESBUILD = NODE_DIR / "node_modules" / ".bin" / "esbuild"


def require_chromium() -> str | None:
    """The Chromium to launch (None: Playwright's own); fails when there is none."""
    found = find_chromium()
    if found is None and not playwright_has_chromium():
        pytest.fail("Browser tests need Chromium: run `.venv/bin/python tests/install_browser.py`")
    return found


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright ``Browser``), closed at the end."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def build_page(
    entry: pathlib.Path,
    out_dir: pathlib.Path,
    *,
    html: str | None = None,
    node_env: str = "development",
    define: Mapping[str, str] | None = None,
) -> pathlib.Path:
    """Bundle ``entry`` (and what it imports from tests/node's packages) into ``out_dir``.

    Writes ``<entry stem>.js`` and an ``index.html`` that loads it (``html`` replaces the
    default body). Returns ``out_dir``, ready for ``static_site``.
    """
    require_node()
    if not ESBUILD.exists():
        pytest.fail("esbuild is missing: run `npm ci --prefix tests/node`")
    out_dir.mkdir(parents=True, exist_ok=True)
    bundle = out_dir / f"{entry.stem}.js"
    defines = {"process.env.NODE_ENV": f'"{node_env}"', **(define or {})}
    command = [
        str(ESBUILD), str(entry), "--bundle", "--format=esm", "--platform=browser",
        "--target=es2022", f"--outfile={bundle}", "--log-level=warning",
        *(f"--define:{name}={value}" for name, value in defines.items()),
    ]
    # The entry lives outside tests/node: imports resolve from tests/node's packages.
    env = {**os.environ, "NODE_PATH": str(NODE_DIR / "node_modules")}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise AssertionError(f"esbuild failed:\n{result.stdout}\n{result.stderr}")
    body = html if html is not None else "<div id=app></div>"
    (out_dir / "index.html").write_text(
        f'<!doctype html>\n<meta charset="utf-8">\n<title>{entry.stem}</title>\n<link rel="icon" href="data:,">\n{body}\n'
        f'<script type="module" src="{bundle.name}"></script>\n'
    )
    return out_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        # A rebuilt bundle must never come from the browser's cache.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class StaticSite:
    """A folder served over HTTP on 127.0.0.1 (an origin of its own)."""

    def __init__(self, folder: pathlib.Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def start(self) -> StaticSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextlib.contextmanager
def static_site(folder: pathlib.Path) -> Iterator[StaticSite]:
    site = StaticSite(folder).start()
    try:
        yield site
    finally:
        site.stop()

