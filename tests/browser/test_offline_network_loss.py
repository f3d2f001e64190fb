"""Liveblocks' e2e scenario "temporary network loss" (e2e/next-sandbox/test/offline.test.ts)
in headless Chromium against the emulator: two pages on one LiveList, page 1 goes offline
(the browser's offline emulation), both push, page 1 pushes more while reconnecting, comes
back: both pages, and the REST view, must show the same 7 items.

The scenario is timing-dependent by nature (which frames were on the wire when the network
went away), so it runs several times: OFFLINE_RUNS (env, default 3) times in the suite; e.g.
``OFFLINE_RUNS=30 .venv/bin/python -m pytest tests/browser/test_offline_network_loss.py -x``
for a longer series.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from emulator.server import BackgroundServer
from tests.browser.harness import PAGES, StaticSite, build_page, static_site

RUNS = int(os.environ.get("OFFLINE_RUNS", "3"))
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSite]:
    folder = build_page(PAGES / "offline_list.js", tmp_path_factory.mktemp("offline_list"))
    with static_site(folder) as served:
        yield served


class Page:
    """One browser context (its own network switch) with the sandbox page open."""

    def __init__(self, browser: Any, url: str) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.frames: list[str] = []  # the page's WebSocket traffic, for the failure message
        self.page.on("websocket", self._watch)
        self.page.goto(url)

    def _watch(self, socket: Any) -> None:
        index = sum(1 for frame in self.frames if frame.startswith("open"))
        self.frames.append(f"open {index}")
        socket.on("framesent", lambda payload: self.frames.append(f"{index} > {payload}"))
        socket.on("framereceived", lambda payload: self.frames.append(f"{index} < {payload}"))
        socket.on("close", lambda _: self.frames.append(f"close {index}"))

    def text(self, element: str) -> str:
        return str(self.page.locator(f"#{element}").text_content())

    def wait_text(self, element: str, expected: str) -> None:
        self.page.wait_for_function(
            "([id, text]) => document.getElementById(id)?.textContent === text",
            arg=[element, expected], timeout=TIMEOUT_MS,
        )

    def items(self) -> list[Any]:
        return list(json.loads(self.text("items")))

    def push(self) -> None:
        self.page.evaluate("window.app.push()")

    def clear(self) -> None:
        self.page.evaluate("window.app.clear()")

    def offline(self, value: bool) -> None:
        self.context.set_offline(value)

    def close(self) -> None:
        self.context.close()


def run_scenario(browser: Any, site: StaticSite, base_url: str, room: str) -> dict[str, Any]:
    url = site.url(f"index.html?room={room}&baseUrl={base_url}")
    page1, page2 = Page(browser, url), Page(browser, url)
    pages = (page1, page2)
    try:
        for page in pages:
            page.wait_text("socketStatus", "connected")
            page.wait_text("numItems", "0")
        page1.clear()
        for page in pages:
            page.wait_text("numItems", "0")

        page1.offline(True)
        for _ in range(3):
            page1.push()
        page1.wait_text("numItems", "3")
        page2.push()
        page2.push()
        page2.wait_text("numItems", "2")

        # The client notices the loss (no pong) and starts reconnecting.
        page1.wait_text("socketStatus", "reconnecting")
        for page in pages:
            page.wait_text("numOthers", "1")
        page1.push()
        page1.push()

        page1.offline(False)
        for page in pages:
            page.wait_text("socketStatus", "connected")
        with contextlib.suppress(PlaywrightTimeout):  # the assertions tell what each page shows
            for page in pages:
                page.wait_text("numItems", "7")
                page.wait_text("syncStatus", "synchronized")
        return {
            "items": [page.items() for page in pages],
            "frames": page1.frames,
        }
    finally:
        for page in pages:
            page.close()


@pytest.mark.parametrize("run", range(RUNS))
def test_temporary_network_loss(
    server: BackgroundServer, http: httpx.Client, browser: Any, site: StaticSite, run: int,
    tmp_path: pathlib.Path,
) -> None:
    room = f"offline-{run}"
    out = run_scenario(browser, site, server.base_url, room)
    first, second = out["items"]
    rest = http.get(f"/v2/rooms/{room}/storage?format=json").json()["items"]
    trace = tmp_path / "page1-frames.txt"
    trace.write_text("\n".join(out["frames"]))
    detail = f"page 1: {first}\npage 2: {second}\nREST: {rest}\npage 1's frames: {trace}"
    assert len(first) == 7, detail
    assert len(set(first)) == 7, detail
    assert first == second == rest, detail
