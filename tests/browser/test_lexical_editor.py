"""A real editor in a real browser: a page bundling @liveblocks/react-lexical, opened twice in
headless Chromium against the emulator. Typing in one page appears in the other, both report
"synchronized", and GET …/ydoc shows the text."""

from __future__ import annotations

import pathlib
from urllib.parse import urlencode

import httpx
from playwright.sync_api import Page

from emulator.server import BackgroundServer
from tests.browser.harness import build_page, chromium, static_site
from tests.nodejs import NODE_DIR

WAIT_MS = 20000


def editor_text(page: Page) -> str:
    text: str = page.locator(".editor").inner_text()
    return text


def test_two_lexical_pages_edit_one_document(
    server: BackgroundServer, http: httpx.Client, tmp_path: pathlib.Path
) -> None:
    build_page(NODE_DIR / "browser_lexical.jsx", tmp_path, html='<div id="root"></div>',
               node_env="production")
    http.post("/v2/rooms", json={"id": "lexical", "defaultAccesses": ["room:write"]})
    with static_site(tmp_path) as site, chromium() as browser:
        url = site.url("index.html?" + urlencode({"base": server.base_url, "room": "lexical"}))
        one, two = browser.new_page(), browser.new_page()
        for page in (one, two):
            page.goto(url)
            page.wait_for_function("window.__sync === 'synchronized'", timeout=WAIT_MS)
        one.locator(".editor").click()
        one.keyboard.type("Hello from page one")
        two.wait_for_function(
            "document.querySelector('.editor').innerText.includes('Hello from page one')",
            timeout=WAIT_MS)
        two.locator(".editor").click()
        two.keyboard.press("End")
        two.keyboard.type(", and two")
        one.wait_for_function(
            "document.querySelector('.editor').innerText.includes('and two')", timeout=WAIT_MS)
        for page in (one, two):
            page.wait_for_function("window.__sync === 'synchronized'", timeout=WAIT_MS)
        assert editor_text(one) == editor_text(two)
        assert one.evaluate("window.__errors") == [] and two.evaluate("window.__errors") == []
    document = http.get("/v2/rooms/lexical/ydoc").json()
    assert "Hello from page one, and two" in document["root"], document
    # The editor reported itself to the emulator.
    docs = server.call(lambda: server.state.yjs.docs(server.state.rooms.get("lexical")))
    assert docs.text_editor == {"type": "lexical", "rootKey": "root"}
