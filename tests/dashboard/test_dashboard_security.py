"""The dashboard's doors (emulator/dashboard/guard.py): loopback only, a local Host, changes
only with the token of a dashboard page and never from another origin; no CORS on any of
it; the secret key never reaches the browser; none of it is in /openapi.json."""

from __future__ import annotations

import asyncio
import concurrent.futures
import pathlib
import re

import httpx
import pytest
from playwright.sync_api import Browser

from emulator.api.features import FEATURES
from emulator.api.openapi import document
from emulator.app import create_app
from emulator.server import BackgroundServer
from tests.browser.harness import static_site
from tests.dashboard.demo import DEMO_ROOM_COUNT
from tests.dashboard.harness import demo_emulator

PAGES = ["/dashboard", "/dashboard/rooms", "/dashboard/rooms/todos", "/dashboard/schemas",
         "/dashboard/schemas?id=todo-list@1", "/dashboard/admin",
         "/dashboard/rooms/todos/panels/storage", "/dashboard/rooms/meeting-notes/panels/yjs",
         "/dashboard/rooms/design-review/panels/threads", "/dashboard/users",
         "/dashboard/users?user=alice", "/dashboard/users/list",
         "/dashboard/users/detail?user=bob",
         "/dashboard/webhooks", "/dashboard/webhooks/endpoints", "/dashboard/webhooks/deliveries"]


@pytest.fixture(scope="module")
def server() -> object:
    with demo_emulator() as server:
        yield server


def token_of(http: httpx.Client) -> str:
    match = re.search(r'name="dashboard-token" content="([^"]+)"', http.get("/dashboard").text)
    assert match
    return match.group(1)


def test_pages_hold_no_secret_and_send_no_cors_headers(server: BackgroundServer) -> None:
    with httpx.Client(base_url=server.base_url) as http:
        for path in PAGES:
            response = http.get(path, headers={"Origin": "http://localhost:3000"})
            assert response.status_code == 200, path
            assert "sk_localdev" not in response.text, path
            assert "access-control-allow-origin" not in response.headers, path
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        preflight = http.options("/dashboard/api/_emulator/reset", headers={
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-dashboard-token"})
        assert "access-control-allow-origin" not in preflight.headers


def test_changes_need_the_token_and_the_dashboards_own_origin(server: BackgroundServer) -> None:
    with httpx.Client(base_url=server.base_url) as http:
        token = token_of(http)
        reset = "/dashboard/api/_emulator/reset"
        assert http.post(reset).json()["error"] == "DASHBOARD_TOKEN_REQUIRED"
        assert http.post(reset, headers={"X-Dashboard-Token": "x" * 43}).status_code == 403
        refused = http.post(reset, headers={"X-Dashboard-Token": token,
                                            "Origin": "http://localhost:3000"})
        assert refused.json()["error"] == "DASHBOARD_ORIGIN_REFUSED"
        assert http.post("/dashboard/check-schema", json={"body": ""}).status_code == 403
        # Even reads through the forward need the token (nothing leaks to a blind GET).
        assert http.get("/dashboard/api/v2/rooms").status_code == 403
        ok = http.get("/dashboard/api/v2/rooms", headers={"X-Dashboard-Token": token})
        assert ok.status_code == 200 and len(ok.json()["data"]) == DEMO_ROOM_COUNT
        same_origin = http.post(reset, headers={"X-Dashboard-Token": token,
                                                "Origin": server.base_url})
        assert same_origin.status_code == 204


def test_a_foreign_host_name_is_refused(server: BackgroundServer) -> None:
    # A DNS-rebinding page reaches 127.0.0.1 under its own name.
    with httpx.Client(base_url=server.base_url) as http:
        for path in ("/dashboard", "/dashboard/events", "/dashboard/snapshot",
                     "/dashboard/users?user=alice", "/dashboard/webhooks/deliveries"):
            response = http.get(path, headers={"Host": "attacker.example"})
            assert response.status_code == 403
            assert response.json()["error"] == "DASHBOARD_HOST_REFUSED"


def test_clients_off_this_machine_are_refused() -> None:
    # A peer on the network, as when the emulator is bound to another interface (--host).
    async def ask() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=create_app(), client=("192.0.2.7", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as c:
            return await c.get("/dashboard"), await c.get("/health")

    # In a thread of its own: Playwright's sync API may hold an event loop in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        dashboard, health = pool.submit(asyncio.run, ask()).result()
    assert dashboard.status_code == 403
    assert dashboard.json()["error"] == "DASHBOARD_LOOPBACK_ONLY"
    assert health.status_code == 200


def test_no_dashboard_route_is_in_the_openapi_document() -> None:
    paths = set(document()["paths"])
    hidden = {e.path for f in FEATURES for e in f.endpoints if not e.in_openapi}
    assert all(path == "/" or path.startswith("/dashboard") for path in hidden)
    assert not any(path == "/" or path.startswith("/dashboard") for path in paths)


OTHER_ORIGIN = pathlib.Path(__file__).with_name("other_origin")


def test_a_page_of_another_origin_can_neither_read_nor_reset(browser: Browser) -> None:
    with demo_emulator() as server, static_site(OTHER_ORIGIN) as site, httpx.Client(
        base_url=server.base_url, headers={"Authorization": "Bearer sk_localdev"}
    ) as http:
        http.post("/v2/rooms", json={"id": "kept", "defaultAccesses": []})
        context = browser.new_context()
        page = context.new_page()
        page.goto(site.url(f"index.html?target={server.base_url}"))
        page.wait_for_function("window.done === true")
        results = page.evaluate("window.results")
        context.close()
        assert results == {
            "read page": "blocked: TypeError",
            "read with a guessed token": "blocked: TypeError",
            "reset with a guessed token": "blocked: TypeError",
            "reset without cors": "succeeded: opaque",  # sent, and refused: see below
            "events": "blocked: TypeError",
        }
        assert http.get("/v2/rooms/kept").status_code == 200  # no reset happened
