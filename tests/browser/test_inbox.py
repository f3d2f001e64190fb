"""A real browser: an inbox page (useInboxNotifications + <InboxNotification> + the unread
count from @liveblocks/react(-ui), tests/browser/pages/inbox_app.jsx) open as bob in headless
Chromium. alice comments through REST after the page has loaded; once the page remounts its
provider (the inbox is polled, never pushed), bob's notification of her comment shows,
unread; clicking it marks it read, which the backend then reads; no console errors."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from emulator.server import BackgroundServer
from tests.browser.harness import PAGES, StaticSite, build_page, static_site

ROOM = "ui-inbox"
WAIT_MS = 20_000  # a ceiling for slow CI machines, not a speed assertion
HTML = '<link rel="stylesheet" href="inbox_app.css"><div id="app"></div>'
BODY = {"version": 1, "content": [{"type": "paragraph", "children": [
    {"text": "Could you look at this, "}, {"type": "mention", "kind": "user", "id": "bob"},
    {"text": "?"}]}]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSite]:
    folder = build_page(PAGES / "inbox_app.jsx", tmp_path_factory.mktemp("inbox_app"),
                        html=HTML)
    with static_site(folder) as served:
        yield served


def test_bob_sees_alices_comment_in_his_inbox_and_reads_it(
    server: BackgroundServer, http: httpx.Client, site: StaticSite, browser: Any
) -> None:
    http.post("/v2/rooms", json={"id": ROOM, "defaultAccesses": [],
                                 "usersAccesses": {"alice": ["room:write"],
                                                   "bob": ["room:write"]}})
    token = http.post("/v2/identify-user", json={"userId": "bob"}).json()["token"]
    problems: list[str] = []
    page = browser.new_context().new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    query = urllib.parse.urlencode({"baseUrl": server.base_url, "token": token})
    page.goto(site.url(f"index.html?{query}"))
    expect(page.locator("#unread")).to_have_text("0", timeout=WAIT_MS)
    expect(page.locator(".lb-inbox-notification")).to_have_count(0)

    made = http.post(f"/v2/rooms/{ROOM}/threads", json={
        "comment": {"userId": "alice", "body": BODY}})
    assert made.status_code == 200, made.text
    thread_id = made.json()["id"]
    page.locator("#remount").click()

    notification = page.locator(".lb-inbox-notification")
    expect(notification).to_have_count(1, timeout=WAIT_MS)
    expect(notification).to_have_attribute("data-kind", "thread")
    expect(notification).to_have_attribute("data-unread", "")
    expect(notification).to_contain_text("Could you look at this")
    expect(page.locator("#unread")).to_have_text("1")

    # The click marks it read at once on the page, and (batched) through C32.
    with page.expect_response(lambda r: r.url.endswith("/v2/c/inbox-notifications/read"),
                              timeout=WAIT_MS) as marked:
        notification.click()
    assert marked.value.status == 204
    expect(notification).not_to_have_attribute("data-unread", "", timeout=WAIT_MS)
    expect(page.locator("#unread")).to_have_text("0", timeout=WAIT_MS)
    inbox = http.get("/v2/users/bob/inbox-notifications").json()["data"]
    assert [(n["threadId"], n["readAt"] is not None) for n in inbox] == [(thread_id, True)]
    assert problems == []
