"""Minimal browser plumbing for the Comments UI test (until a shared tests/browser harness
lands on main): bundle a page with the pinned esbuild, serve it from its own local origin,
and launch headless Chromium (Debian's /usr/bin/chromium) through Playwright."""

from __future__ import annotations

import contextlib
import functools
import http.server
import pathlib
import subprocess
import threading
from collections.abc import Iterator

from tests.nodejs import NODE_DIR, require_node

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>comments</title>
<link rel="stylesheet" href="bundle.css"><link rel="icon" href="data:,"></head>
<body><div id="root"></div><script src="bundle.js"></script></body></html>"""


def bundle(entry: str, out_dir: pathlib.Path) -> None:
    """tests/node/<entry> and what it imports, as one script (and its CSS) plus index.html."""
    require_node()
    esbuild = NODE_DIR / "node_modules" / ".bin" / "esbuild"
    subprocess.run(
        [str(esbuild), str(NODE_DIR / entry), "--bundle", "--format=iife", "--jsx=automatic",
         "--define:process.env.NODE_ENV=\"production\"", "--log-level=warning",
         f"--outfile={out_dir / 'bundle.js'}"],
        cwd=NODE_DIR, check=True, timeout=180,
    )
    (out_dir / "index.html").write_text(PAGE)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_site(root: pathlib.Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (another origin than the emulator's); yields its URL."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
