"""Regenerate the dashboard screenshots shown in the README, from the demo fixtures.

    .venv/bin/python docs/dashboard_screenshots.py [OUT_DIR]   # default docs/screenshots

Starts an emulator with fixtures/demo.json, puts a real @liveblocks/client in the
whiteboard room (so the room page shows a connected user and its presence), and saves
PNGs of the rooms list, a room, the threads of the design-review room, and the schema
editor showing a checker error, taken in headless Chromium at 1280 px wide, light and dark.
"""

from __future__ import annotations

import pathlib
import sys

from playwright.sync_api import expect

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.harness import chromium  # noqa: E402
from tests.dashboard.harness import LiveClient, demo_emulator  # noqa: E402


def main(out: pathlib.Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with demo_emulator() as server, chromium() as browser:
        client = LiveClient(server.base_url)
        try:
            client.send("enter", room="whiteboard",
                        presence={"cursor": {"x": 412, "y": 230}, "name": "Alice"})
            for scheme in ("light", "dark"):
                page = browser.new_page(base_url=server.base_url, color_scheme=scheme,
                                        viewport={"width": 1280, "height": 800})
                page.goto("/dashboard/rooms")
                page.screenshot(path=out / f"rooms-{scheme}.png")
                page.goto("/dashboard/rooms/whiteboard")
                expect(page.locator("#live-state")).to_have_text("live")
                page.screenshot(path=out / f"room-{scheme}.png", full_page=True)
                page.goto("/dashboard/rooms/design-review")
                page.locator("#panel-threads").screenshot(path=out / f"threads-{scheme}.png")
                page.goto("/dashboard/schemas?id=todo-list@1")
                body = page.locator("#schema-body")
                body.fill(body.input_value().replace("boolean", "bool"))
                expect(page.locator("#schema-gutter .error-line")).to_have_count(1)
                page.screenshot(path=out / f"schema-{scheme}.png")
                page.close()
        finally:
            client.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
