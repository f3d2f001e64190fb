"""The new views are readable in light and dark mode: every piece of text in them has a
contrast of at least 4.5:1 with the background it is drawn on (WCAG AA; 3:1 for large
text), measured in Chromium from the computed colours."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from emulator.server import BackgroundServer
from emulator.webhook_receiver import WebhookReceiver
from tests.dashboard.conftest import PageProblems
from tests.dashboard.harness import rest

# Every text node's colour against the first opaque background behind it.
LOW_CONTRAST = """(root) => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility()) continue;
    const style = getComputedStyle(el);
    const a = lum(rgb(style.color).slice(0, 3)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) low.push(`${node.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
  }
  return low;
}"""

VIEWS = {
    "/dashboard/rooms/design-review": ["#panel-threads"],
    "/dashboard/rooms/meeting-notes": ["#panel-yjs"],
    "/dashboard/users?user=alice": ["#users-list", "#user-detail"],
    "/dashboard/webhooks": ["#webhook-endpoints", "#webhook-deliveries"],
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_new_views_are_readable(browser: Browser, emulator: BackgroundServer,
                                    scheme: str) -> None:
    with WebhookReceiver(emulator.state.webhooks.secret, statuses=[500]) as receiver, \
            rest(emulator) as http:
        http.post("/v2/inbox-notifications/trigger", json={
            "userId": "alice", "kind": "$deploy", "subjectId": "s", "activityData": {}})
        http.post("/v2/groups", json={"id": "team", "memberIds": ["alice"]})
        http.post("/_emulator/webhooks", json={"url": receiver.url, "id": "wh_c"})
        http.post("/v2/rooms", json={"id": "hooked", "defaultAccesses": []})
        receiver.wait_until(lambda requests: len(requests) >= 1)
        context = browser.new_context(base_url=emulator.base_url, color_scheme=scheme)
        page = context.new_page()
        problems = PageProblems()
        page.on("console", problems.console)
        page.on("requestfailed", problems.request_failed)
        low: dict[str, list[str]] = {}
        for path, sections in VIEWS.items():
            page.goto(path)
            expect(page.locator("#live-state")).to_have_text("live")
            for section in sections:
                page.locator(f"{section} details").evaluate_all(
                    "all => all.forEach(d => { d.open = true; })")
                found = page.locator(section).evaluate(LOW_CONTRAST)
                if found:
                    low[f"{path} {section}"] = found
        context.close()
    assert low == {}
    assert problems.problems == []
