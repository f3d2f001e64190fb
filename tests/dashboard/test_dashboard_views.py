"""The dashboard's views of Yjs, threads, users and webhooks, in headless Chromium.

Each view is checked live: a change made over REST or by a real client shows without a
reload (Server-Sent Events), and what the view changes is what REST then returns. Buttons
are pressed from the keyboard where that is the point. The ``page`` fixture (conftest)
fails a test on any console error or failed request.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect
from pycrdt import Doc, Text

from emulator.server import BackgroundServer
from emulator.webhook_receiver import WebhookReceiver
from tests.dashboard.harness import LiveClient, open_live, rest

OPEN_THREAD = "th_demoOpenThread00000001"
RESOLVED_THREAD = "th_demoResolvedThread0001"


@pytest.fixture
def http(emulator: BackgroundServer) -> Iterator[httpx.Client]:
    with rest(emulator) as client:
        yield client


def paragraph(text: str) -> dict[str, object]:
    return {"version": 1, "content": [{"type": "paragraph", "children": [{"text": text}]}]}


# ------------------------------------------------------------------ Yjs


def test_the_yjs_document_follows_rest_and_a_client(
    page: Page, http: httpx.Client, live_client: LiveClient
) -> None:
    open_live(page, "/dashboard/rooms/meeting-notes")
    # The demo's Tiptap document (an XML fragment), as text and as JSON.
    expect(page.locator('[data-yjs-text="default"]')).to_contain_text("Meeting notes")
    expect(page.locator("#yjs-json")).to_contain_text("liveblocks_config")

    doc = Doc()
    doc.get("notes", type=Text).insert(0, "written over REST")
    put = http.put("/v2/rooms/meeting-notes/ydoc", content=doc.get_update(),
                   headers={"Content-Type": "application/octet-stream"})
    assert put.status_code == 200, put.text
    notes = page.locator('[data-yjs-text="notes"]')
    expect(notes).to_have_text("written over REST")

    live_client.send("enter", room="meeting-notes")
    live_client.send("yjsInsert", key="notes", index=0, text="A client says hi. ")
    expect(notes).to_have_text("A client says hi. written over REST")
    assert http.get("/v2/rooms/meeting-notes/ydoc").json()["notes"] == (
        "A client says hi. written over REST")


def test_a_room_without_yjs_says_so(page: Page) -> None:
    page.goto("/dashboard/rooms/whiteboard")
    expect(page.locator("#yjs-empty")).to_be_visible()
    expect(page.locator("#no-threads")).to_be_visible()


# ------------------------------------------------------------------ threads


def test_threads_show_resolve_state_reactions_and_follow_rest(
    page: Page, http: httpx.Client
) -> None:
    open_live(page, "/dashboard/rooms/design-review")
    open_thread = page.locator(f'li.thread[data-thread="{OPEN_THREAD}"]')
    resolved = page.locator(f'li.thread[data-thread="{RESOLVED_THREAD}"]')
    expect(open_thread.locator(".chip[data-resolved]")).to_have_text("open")
    expect(resolved.locator(".chip[data-resolved]")).to_have_text("resolved")
    first = open_thread.locator('[data-comment="cm_demoOpenComment0000001"]')
    expect(first).to_contain_text("Can we make the hero title bigger? bob")
    expect(first.locator('.reaction[data-emoji="👍"]')).to_contain_text("👍 2")
    expect(page.locator("#threads-count")).to_contain_text("2 threads, 1 resolved")

    # A comment and a reaction added over REST show without a reload.
    made = http.post(f"/v2/rooms/design-review/threads/{OPEN_THREAD}/comments",
                     json={"userId": "dave", "body": paragraph("Looks good to me")})
    assert made.status_code == 200, made.text
    comment_id = made.json()["id"]
    expect(open_thread.locator(f'[data-comment="{comment_id}"]')).to_contain_text(
        "Looks good to me")
    http.post(f"/v2/rooms/design-review/threads/{OPEN_THREAD}/comments/"
              "cm_demoOpenComment0000001/add-reaction",
              json={"userId": "dave", "emoji": "👍"})
    expect(first.locator('.reaction[data-emoji="👍"]')).to_contain_text("👍 3")

    # A new thread over REST appears too.
    http.post("/v2/rooms/design-review/threads",
              json={"comment": {"userId": "erin", "body": paragraph("A new thread")}})
    expect(page.locator("#threads-count")).to_contain_text("3 threads, 1 resolved")

    # Resolving from the keyboard is what REST then says; the focus stays on the button.
    button = open_thread.locator('button[data-action="toggle-resolved"]')
    button.focus()
    page.keyboard.press("Enter")
    expect(open_thread.locator(".chip[data-resolved]")).to_have_text("resolved")
    assert http.get(f"/v2/rooms/design-review/threads/{OPEN_THREAD}").json()["resolved"]
    expect(button).to_be_focused()
    expect(button).to_have_text("Reopen")
    page.keyboard.press("Enter")
    expect(open_thread.locator(".chip[data-resolved]")).to_have_text("open")


def test_many_threads_are_paged(page: Page, http: httpx.Client) -> None:
    http.post("/v2/rooms", json={"id": "busy", "defaultAccesses": []})
    for index in range(45):
        http.post("/v2/rooms/busy/threads",
                  json={"comment": {"userId": "u", "body": paragraph(f"thread {index}")}})
    page.goto("/dashboard/rooms/busy")
    expect(page.locator("li.thread")).to_have_count(20)
    expect(page.locator("#threads-count")).to_contain_text("page 1 of 3")
    page.get_by_role("link", name="Next threads").click()
    expect(page.locator("#threads-count")).to_contain_text("page 2 of 3")
    expect(page.locator("li.thread")).to_have_count(20)
    page.get_by_role("link", name="Next threads").click()
    expect(page.locator("li.thread")).to_have_count(5)
    expect(page.locator("li.thread").last).to_contain_text("thread 44")


# ------------------------------------------------------------------ users


def trigger(http: httpx.Client, user_id: str, subject: str) -> None:
    answer = http.post("/v2/inbox-notifications/trigger", json={
        "userId": user_id, "kind": "$deploy", "subjectId": subject,
        "activityData": {"build": 42}, "roomId": "design-review"})
    assert answer.status_code == 200, answer.text


def test_known_users_and_a_users_inbox_settings_and_groups_live(
    page: Page, http: httpx.Client
) -> None:
    open_live(page, "/dashboard/users")
    users = page.locator("#user-list")
    for known in ("alice", "bob", "carol"):  # the demo's comments
        expect(users.locator(f'li[data-user="{known}"]')).to_be_visible()
    # A user the emulator had never heard of appears when notified.
    trigger(http, "zed", "first")
    expect(users.locator('li[data-user="zed"]')).to_contain_text("1 unread")
    # So does a user a token was minted for.
    http.post("/v2/identify-user", json={"userId": "tina"})
    expect(users.locator('li[data-user="tina"]')).to_contain_text("token")

    # tina (known from her token) has no notifications or groups in the demo, unlike alice.
    users.get_by_role("link", name="tina", exact=True).click()
    expect(page.locator("#inbox-empty")).to_be_visible()
    expect(page.locator("#no-groups")).to_be_visible()
    trigger(http, "tina", "deploy-1")
    row = page.locator("#inbox-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("$deploy")
    expect(row).to_contain_text('"build": 42')
    expect(page.locator("#inbox-unread")).to_have_text("1 unread")

    http.post("/v2/groups", json={"id": "reviewers", "memberIds": ["tina", "bob"]})
    expect(page.locator('#user-groups [data-group="reviewers"]')).to_contain_text("2 members")
    http.post("/v2/users/tina/notification-settings", json={"email": {"thread": False}})
    expect(page.locator('#channel-settings tr[data-channel="email"]')).to_contain_text(
        "thread: off")

    # Mark read, then delete, from the keyboard; REST agrees.
    notification_id = row.get_attribute("data-notification")
    page.get_by_role("button", name=f"Mark {notification_id} as read").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#inbox-unread")).to_have_text("0 unread")
    got = http.get(f"/v2/users/tina/inbox-notifications/{notification_id}").json()
    assert got["readAt"] is not None
    page.get_by_role("button", name=f"Delete {notification_id}").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#inbox-empty")).to_be_visible()
    assert http.get(f"/v2/users/tina/inbox-notifications/{notification_id}"
                    ).status_code == 404


def test_a_big_inbox_is_paged(page: Page, http: httpx.Client) -> None:
    for index in range(60):
        trigger(http, "busy", f"subject-{index}")
    page.goto("/dashboard/users?user=busy")
    rows = page.locator("#inbox-table tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("subject-59")  # newest first
    page.get_by_role("link", name="Older notifications").click()
    expect(rows).to_have_count(10)
    expect(rows.last).to_contain_text("subject-0")


# ------------------------------------------------------------------ webhooks


def test_webhook_endpoints_deliveries_attempts_and_replay(
    page: Page, emulator: BackgroundServer, http: httpx.Client
) -> None:
    secret = emulator.state.webhooks.secret
    # The receiver answers 500 first, then 200: one failed attempt, then a replay.
    with WebhookReceiver(secret, statuses=[500]) as receiver:
        open_live(page, "/dashboard/webhooks")
        expect(page.locator("#no-endpoints")).to_be_visible()
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("Id (optional)").fill("wh_ui")
        page.get_by_label("Events (comma-separated").fill("roomCreated")
        page.get_by_role("button", name="Add").click()
        endpoint = page.locator('#endpoints-table tr[data-endpoint="wh_ui"]')
        expect(endpoint).to_contain_text(receiver.url)
        expect(endpoint).to_contain_text("roomCreated")
        assert http.get("/_emulator/webhooks/wh_ui").json()["subscribedEvents"] == [
            "roomCreated"]

        http.post("/v2/rooms", json={"id": "hooked", "defaultAccesses": []})
        delivery = page.locator("#deliveries-table tbody tr")
        expect(delivery).to_have_count(1)
        expect(delivery.locator("[data-last]")).to_contain_text("500")
        expect(delivery).to_have_attribute("data-status", "pending")  # a retry is due
        delivery.get_by_text("Details").click()
        expect(delivery.locator("[data-attempt]")).to_have_count(1)

        delivery.get_by_role("button", name="Replay").click()
        expect(delivery).to_have_attribute("data-status", "delivered")
        expect(delivery.locator("[data-attempts]")).to_have_text("2")
        expect(delivery.locator("[data-last]")).to_contain_text("200")
        # The details stayed open across the live re-render.
        expect(delivery.locator("[data-attempt]")).to_have_count(2)
        assert len(receiver.wait_for(1)) == 1

        page.locator("#filter-status").select_option("failed")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("#no-deliveries")).to_be_visible()

        page.get_by_role("button", name="Remove endpoint wh_ui").click()
        expect(page.locator("#no-endpoints")).to_be_visible()
        assert http.get("/_emulator/webhooks/wh_ui").status_code == 404
