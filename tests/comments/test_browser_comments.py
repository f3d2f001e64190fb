"""A real browser: a small React app with @liveblocks/react-ui <Thread> and <Composer>
(tests/node/browser/comments_app.jsx), opened as three users in headless Chromium. A
comment typed in one page appears in the other, a reaction and resolving show in both,
the read-only user's composer is disabled, and no page logs an error."""

from __future__ import annotations

import pathlib
import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from emulator.server import BackgroundServer
from tests.browser.harness import build_page, chromium, static_site
from tests.nodejs import NODE_DIR

ROOM = "ui-comments"
WAIT_MS = 20_000  # a ceiling for slow CI machines, not a speed assertion


# The app imports @liveblocks/react-ui's stylesheet: esbuild writes it next to the bundle.
APP_HTML = '<link rel="stylesheet" href="comments_app.css"><div id="root"></div>'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = build_page(NODE_DIR / "browser" / "comments_app.jsx",
                     pathlib.Path(tmp_path_factory.mktemp("comments-app")),
                     html=APP_HTML, node_env="production")
    with static_site(out) as served:
        yield served.origin


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def open_as(browser: Browser, site: str, server: BackgroundServer, http: httpx.Client,
            user: str, scopes: list[str], problems: list[str]) -> Page:
    token = http.post("/v2/authorize-user", json={
        "userId": user, "permissions": {ROOM: scopes}}).json()["token"]
    page = browser.new_context().new_page()
    page.on("console", lambda m: problems.append(f"{user}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{user}: {e}"))
    query = urllib.parse.urlencode({"baseUrl": server.base_url, "room": ROOM, "token": token})
    page.goto(f"{site}/index.html?{query}")
    expect(page.locator(".new-thread")).to_be_visible(timeout=WAIT_MS)
    return page


def submit(page: Page, composer: Any, text: str) -> None:
    editor = composer.locator(".lb-composer-editor")
    editor.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_two_users_comment_in_the_browser(server: BackgroundServer, http: httpx.Client,
                                          site: str, browser: Browser) -> None:
    http.post("/v2/rooms", json={"id": ROOM, "defaultAccesses": []})
    problems: list[str] = []
    alice = open_as(browser, site, server, http, "alice", ["room:write"], problems)
    bob = open_as(browser, site, server, http, "bob", ["room:write"], problems)
    rita = open_as(browser, site, server, http, "rita", ["room:read", "room:presence:write"],
                   problems)

    # Alice starts a thread: it appears in Bob's page (WebSocket event + refetch).
    submit(alice, alice.locator(".new-thread"), "Hello from Alice")
    expect(bob.get_by_text("Hello from Alice")).to_be_visible(timeout=WAIT_MS)
    expect(rita.get_by_text("Hello from Alice")).to_be_visible(timeout=WAIT_MS)

    # Bob replies in the thread; Alice sees it.
    submit(bob, bob.locator(".lb-thread .lb-composer"), "Reply from Bob")
    expect(alice.get_by_text("Reply from Bob")).to_be_visible(timeout=WAIT_MS)

    # A reaction (added over REST, as an app backend would), then Alice toggles hers on in
    # the UI: both pages count two.
    thread = http.get(f"/v2/rooms/{ROOM}/threads").json()["data"][0]
    first = thread["comments"][0]["id"]
    http.post(f"/v2/rooms/{ROOM}/threads/{thread['id']}/comments/{first}/add-reaction",
              json={"emoji": "👍", "userId": "carol"})
    reaction = ".lb-comment-reaction:not(.lb-comment-reaction-add)"
    expect(alice.locator(reaction)).to_have_count(1, timeout=WAIT_MS)
    alice.locator(reaction).first.click()
    for page in (alice, bob):
        expect(page.locator(f"{reaction} .lb-comment-reaction-count")).to_have_text(
            "2", timeout=WAIT_MS)

    # Alice resolves the thread in the UI; Bob's page shows it resolved.
    alice.get_by_role("button", name="Resolve thread").click()
    expect(bob.locator(".lb-thread[data-resolved]")).to_have_count(1, timeout=WAIT_MS)
    expect(bob.get_by_role("button", name="Re-open thread")).to_be_visible(timeout=WAIT_MS)
    assert http.get(f"/v2/rooms/{ROOM}/threads/{thread['id']}").json()["resolved"] is True

    # The read-only user sees everything but may not write.
    rita_editor = rita.locator(".new-thread .lb-composer-editor")
    expect(rita_editor).to_have_attribute("data-disabled", "true", timeout=WAIT_MS)
    expect(rita_editor).to_have_attribute("contenteditable", "false")
    expect(rita.get_by_text("Reply from Bob")).to_be_visible(timeout=WAIT_MS)
    expect(alice.locator(".new-thread .lb-composer-editor[data-disabled]")).to_have_count(0)
    # react-ui shows the resolve toggle to readers too, disabled.
    expect(rita.get_by_role("button", name="Re-open thread")).to_be_disabled()
    expect(alice.get_by_role("button", name="Re-open thread")).to_be_enabled()

    assert problems == []
