"""The dashboard in headless Chromium, against an emulator per test holding the demo fixtures.

Live views are checked with a real @liveblocks/client (Node) in the room: what it does
shows up without a reload, and what the dashboard changes reaches it. Playwright's
``expect`` waits for each state (up to its default 5 s) instead of sleeping.
"""

from __future__ import annotations

import json
import pathlib
import re

from playwright.sync_api import Page, expect

from emulator.server import BackgroundServer
from tests.dashboard.demo import DEMO_ROOM_COUNT, DEMO_ROOM_IDS
from tests.dashboard.harness import LiveClient, open_live, rest


def test_root_redirects_and_the_demo_rooms_are_listed(page: Page) -> None:
    page.goto("/")
    assert page.url.endswith("/dashboard")
    rows = page.locator("#rooms-table tbody tr[data-room-row]")
    expect(rows).to_have_count(DEMO_ROOM_COUNT)
    for room_id in DEMO_ROOM_IDS:
        expect(page.locator(f'tr[data-room-row="{room_id}"]')).to_be_visible()


def test_search_narrows_by_id_prefix_and_by_metadata(page: Page) -> None:
    page.goto("/dashboard/rooms")
    page.get_by_label("Room id starts with").fill("white")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("#rooms-table tbody tr[data-room-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-room-row", "whiteboard")
    page.get_by_label("Room id starts with").fill("")
    page.get_by_label("Metadata").fill("kind=whiteboard")
    page.get_by_label("Metadata").press("Enter")  # keyboard only
    expect(rows).to_have_count(1)
    page.get_by_label("Metadata").fill("kind=nothing-like-it")
    page.get_by_label("Metadata").press("Enter")
    expect(rows).to_have_count(0)
    expect(page.locator("#rooms-table .empty")).to_be_visible()


def test_a_room_created_in_the_ui_is_there_over_rest_and_deleting_removes_it(
    page: Page, emulator: BackgroundServer
) -> None:
    page.goto("/dashboard/rooms")
    page.get_by_label("Room id", exact=True).fill("made in/the ui")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("h1")).to_have_text("made in/the ui")
    with rest(emulator) as http:
        room = http.get("/v2/rooms/made%20in%2Fthe%20ui")
        assert room.status_code == 200
        assert room.json()["defaultAccesses"] == ["room:write"]
        page.get_by_text("Delete this room").click()
        page.locator("#delete-room").click()
        page.wait_for_url(re.compile(r"/dashboard/rooms$"))
        expect(page.locator('tr[data-room-row="made in/the ui"]')).to_have_count(0)
        assert http.get("/v2/rooms/made%20in%2Fthe%20ui").status_code == 404


def test_metadata_edited_in_the_ui_is_what_rest_returns(
    page: Page, emulator: BackgroundServer
) -> None:
    page.goto("/dashboard/rooms/whiteboard")
    page.get_by_text("Edit metadata and accesses").click()
    page.get_by_label("Metadata (JSON object").fill('{"kind": "board", "owner": "alice"}')
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#panel-overview .panel-body")).to_contain_text('"owner": "alice"')
    with rest(emulator) as http:
        # "title" and "tags" were removed in the editor: the update sent them as null.
        assert http.get("/v2/rooms/whiteboard").json()["metadata"] == {
            "kind": "board", "owner": "alice"}


def test_a_client_and_its_presence_appear_live_and_leave_again(
    page: Page, live_client: LiveClient
) -> None:
    open_live(page, "/dashboard/rooms/whiteboard")
    expect(page.locator("#no-users")).to_be_visible()
    actor = live_client.send("enter", room="whiteboard", presence={"cursor": {"x": 1, "y": 2}})
    row = page.locator(f'#users-table tr[data-connection="{actor["connectionId"]}"]')
    expect(row.locator("[data-presence]")).to_have_text('{"cursor": {"x": 1, "y": 2}}')
    expect(page.locator("[data-connections]")).to_have_text("1")
    live_client.send("presence", data={"selected": "shape-1"})
    expect(row.locator("[data-presence]")).to_have_text(
        '{"cursor": {"x": 1, "y": 2}, "selected": "shape-1"}')
    live_client.send("leave")
    expect(page.locator("#no-users")).to_be_visible()
    expect(page.locator("[data-connections]")).to_have_text("0")


def test_a_livelist_push_shows_in_the_tree_and_a_tree_edit_reaches_the_client(
    page: Page, emulator: BackgroundServer, live_client: LiveClient
) -> None:
    with rest(emulator) as http:
        http.post("/v2/rooms", json={"id": "live", "defaultAccesses": ["room:write"]})
    open_live(page, "/dashboard/rooms/live")
    live_client.send("enter", room="live")
    live_client.send("push", list="items", value="first")
    item = page.locator('#storage-tree [data-pointer="/items/0"]')
    expect(item).to_contain_text('"first"')
    expect(page.locator('#storage-tree [data-pointer="/items"]')).to_contain_text("LiveList")
    item.click()  # fills the form with its path and value
    expect(page.locator("#patch-path")).to_have_value("/items/0")
    page.locator("#patch-value").fill('"edited in the dashboard"')
    page.get_by_role("button", name="Apply").click()
    answer = live_client.send("waitFor", key="items", equals=["edited in the dashboard"])
    assert answer["value"] == ["edited in the dashboard"]
    expect(item).to_contain_text('"edited in the dashboard"')
    # Appending with "-" and a nested object (becomes a LiveObject), keyboard only.
    page.locator("#patch-op").select_option("add")
    page.locator("#patch-path").fill("/items/-")
    page.locator("#patch-value").fill('{"text": "second"}')
    page.locator("#patch-value").press("Tab")
    page.keyboard.press("Enter")
    live_client.send("waitFor", key="items",
                     equals=["edited in the dashboard", {"text": "second"}])
    expect(page.locator('#storage-tree [data-pointer="/items/1"]')).to_contain_text("LiveObject")


def test_schema_errors_are_shown_at_their_line_and_column(
    page: Page, emulator: BackgroundServer
) -> None:
    page.goto("/dashboard/schemas")
    expect(page.locator("#schema-list")).to_contain_text("todo-list@1")
    expect(page.locator("#schema-diagnostic")).to_contain_text("accepts")
    page.locator("#schema-name").fill("from-the-ui")
    page.locator("#schema-body").fill("type Storage {\n  title: string\n  count: nubmer\n}\n")
    diagnostic = page.locator("#schema-diagnostic")
    expect(diagnostic).to_contain_text("Line 3, column 10")
    expect(diagnostic).to_contain_text("nubmer")
    expect(page.locator("#schema-gutter .error-line")).to_have_text("3")
    page.locator("#schema-body").fill("type Storage {\n  title: string\n  count: number\n}\n")
    expect(diagnostic).to_contain_text("accepts")
    expect(page.locator("#schema-gutter .error-line")).to_have_count(0)
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"id=from-the-ui%401$"))
    with rest(emulator) as http:
        assert http.get("/v2/schemas/from-the-ui@1").json()["body"].endswith("number\n}\n")


def test_the_attached_schema_and_its_verdict_are_shown(page: Page) -> None:
    page.goto("/dashboard/rooms/todos")
    expect(page.locator("#panel-schema .panel-body")).to_contain_text("todo-list@1")
    expect(page.locator("#panel-schema .panel-body")).to_contain_text("matches")


def test_reset_goes_back_to_the_fixtures_and_a_snapshot_downloads(
    page: Page, emulator: BackgroundServer, tmp_path: pathlib.Path
) -> None:
    with rest(emulator) as http:
        http.post("/v2/rooms", json={"id": "extra", "defaultAccesses": []})
        open_live(page, "/dashboard/admin")
        expect(page.locator("#admin-rooms")).to_have_text(str(DEMO_ROOM_COUNT + 1))
        with page.expect_download() as download:
            page.locator("#snapshot-link").click()
        saved = tmp_path / "snapshot.json"
        download.value.save_as(saved)
        snapshot = json.loads(saved.read_text())
        assert sorted(room["id"] for room in snapshot["rooms"]) == sorted(
            ["extra", *DEMO_ROOM_IDS])
        page.locator("#reset").click()
        expect(page.locator("#admin-rooms")).to_have_text(str(DEMO_ROOM_COUNT))
        assert http.get("/v2/rooms/extra").status_code == 404


def test_reset_from_elsewhere_reloads_an_open_room_list(
    page: Page, emulator: BackgroundServer
) -> None:
    with rest(emulator) as http:
        http.post("/v2/rooms", json={"id": "extra", "defaultAccesses": []})
        open_live(page, "/dashboard/rooms")
        expect(page.locator('tr[data-room-row="extra"]')).to_be_visible()
        http.post("/_emulator/reset")
        expect(page.locator('tr[data-room-row="extra"]')).to_have_count(0)


def test_a_minted_token_is_decoded_and_judged(page: Page) -> None:
    page.goto("/dashboard/tokens")
    page.locator("#mint-user").fill("alice")
    page.locator("#mint-permissions").fill('{"whiteboard": ["room:read", "room:presence:write"]}')
    page.get_by_role("button", name="Mint").click()
    verdict = page.locator("#token-verdict")
    expect(verdict).to_contain_text("A valid access token for 'alice'")
    expect(page.locator("#token-claims")).to_contain_text('"whiteboard"')
    token = page.locator("#decode-token").input_value()
    page.locator("#decode-token").fill(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))
    page.get_by_role("button", name="Decode").click()
    expect(verdict).to_contain_text("changed after the emulator signed it")
    page.locator("#decode-token").fill("not a token")
    page.get_by_role("button", name="Decode").click()
    expect(verdict).to_contain_text("not a JWT")
    expect(page.locator("#token-claims")).to_be_hidden()


def test_the_log_shows_rest_calls_and_client_messages_filtered(
    page: Page, emulator: BackgroundServer, live_client: LiveClient
) -> None:
    with rest(emulator) as http:
        http.get("/v2/rooms/whiteboard")
        http.get("/v2/rooms/nothing-here")
    live_client.send("enter", room="whiteboard", presence={"x": 1})
    page.goto("/dashboard/log?kind=rest")
    table = page.locator("#log-table")
    expect(table).to_contain_text("GET /v2/rooms/nothing-here")
    expect(table.locator("tr", has_text="/v2/rooms/nothing-here")).to_contain_text("404")
    expect(table.locator('tr[data-kind="ws"]')).to_have_count(0)
    page.locator("#log-kind").select_option("ws")
    page.locator("#log-room").fill("whiteboard")
    page.get_by_role("button", name="Filter").click()
    expect(table).to_contain_text("FETCH_STORAGE")
    expect(table.locator('tr[data-kind="rest"]')).to_have_count(0)
    expect(page.locator("#live-state")).to_have_text("live")
    presence_rows = table.locator("tr", has_text="UPDATE_PRESENCE")
    before = presence_rows.count()
    live_client.send("presence", data={"x": 2})  # shows up without a reload
    expect(presence_rows).to_have_count(before + 1)
