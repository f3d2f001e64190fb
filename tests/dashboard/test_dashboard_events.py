"""The emulator-only events the dashboard's live views follow, told on ``state.events``:
``emulator.restChange`` (a REST change succeeded; never a read nor a refused call) and
``emulator.webhookAttempted`` (told once the attempt is in the delivery log). And what
views read without a browser: a huge Yjs text is cut, not sent whole; known users are
paged; an endpoint's answer is shown, escaped; the token-users record is bounded."""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from pycrdt import Doc, Text

from emulator.domain.activity import MAX_TOKEN_USERS, ActivityLog
from emulator.server import BackgroundServer
from emulator.webhook_receiver import WebhookReceiver
from emulator.webhooks import ATTEMPTED
from tests.dashboard.harness import demo_emulator, rest

CHANGE = "emulator.restChange"


@pytest.fixture
def server() -> Iterator[BackgroundServer]:
    with demo_emulator() as server:
        yield server


def listen(server: BackgroundServer, *types: str) -> queue.Queue[tuple[str, dict[str, Any]]]:
    heard: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()

    def listener(type: str, data: dict[str, Any]) -> None:
        if type in types:
            heard.put((type, data))

    server.call(lambda: server.state.events.subscribe(listener))
    return heard


def drained(heard: queue.Queue[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    found = []
    while not heard.empty():
        found.append(heard.get_nowait()[1])
    return found


def test_rest_changes_are_told_and_reads_and_refusals_are_not(server: BackgroundServer) -> None:
    heard = listen(server, CHANGE)
    with rest(server) as http:
        assert http.get("/v2/rooms/whiteboard").status_code == 200
        assert http.post("/v2/rooms", json={"id": 5}).status_code == 422
        assert http.post("/v2/rooms", json={"id": "told", "defaultAccesses": []}
                         ).status_code == 200
        # The response is sent before the event: the next request orders them.
        http.get("/health")
    assert drained(heard) == [{"method": "POST", "path": "/v2/rooms", "status": 200}]


def test_a_dashboard_change_is_told_under_its_rest_path(server: BackgroundServer) -> None:
    heard = listen(server, CHANGE)
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        page = http.get("/dashboard").text
        token = re.search(r'name="dashboard-token" content="([^"]+)"', page)
        assert token
        made = http.post("/dashboard/api/v2/rooms", json={"id": "from-ui", "defaultAccesses": []},
                         headers={"X-Dashboard-Token": token.group(1)})
        assert made.status_code == 200, made.text
        http.get("/health")
    assert drained(heard) == [{"method": "POST", "path": "/v2/rooms", "status": 200}]


def test_an_attempt_is_told_once_it_is_in_the_delivery_log(server: BackgroundServer) -> None:
    heard = listen(server, ATTEMPTED)
    logged: list[int] = []

    def attempts_when_told(type: str, data: dict[str, Any]) -> None:
        if type == ATTEMPTED:
            delivery = server.state.webhooks.dispatcher.deliveries[data["webhookId"]]
            logged.append(len(delivery.attempts))

    server.call(lambda: server.state.events.subscribe(attempts_when_told))
    with WebhookReceiver(server.state.webhooks.secret, statuses=[503]) as receiver, \
            rest(server) as http:
        http.post("/_emulator/webhooks", json={"url": receiver.url, "id": "wh_told",
                                               "subscribedEvents": ["roomCreated"]})
        http.post("/v2/rooms", json={"id": "hooked", "defaultAccesses": []})
        _, data = heard.get(timeout=10)
        assert data["status"] == 503
    assert logged == [1]


def test_a_huge_yjs_text_is_cut_in_the_panel(server: BackgroundServer) -> None:
    doc = Doc()
    doc.get("big", type=Text).insert(0, "x" * 150_000)
    with rest(server) as http:
        http.post("/v2/rooms", json={"id": "big-doc", "defaultAccesses": []})
        put = http.put("/v2/rooms/big-doc/ydoc", content=doc.get_update(),
                       headers={"Content-Type": "application/octet-stream"})
        assert put.status_code == 200
    panel = httpx.get(server.base_url + "/dashboard/rooms/big-doc/panels/yjs", timeout=30)
    assert panel.status_code == 200
    assert "50000 more characters not shown" in panel.text
    assert len(panel.text) < 250_000


def test_known_users_are_paged_and_a_bad_page_number_is_the_nearest_page(
    server: BackgroundServer,
) -> None:
    members = [f"member-{index:03}" for index in range(150)]
    with rest(server) as http:
        assert http.post("/v2/groups", json={"id": "crowd", "memberIds": members}
                         ).status_code == 200
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        first = http.get("/dashboard/users/list").text
        assert "page 1 of 2" in first and 'rel="next"' in first
        second = http.get("/dashboard/users/list?page=2").text
        assert "page 2 of 2" in second and 'data-user="member-149"' in second
        assert "page 2 of 2" in http.get("/dashboard/users/list?page=99").text
        assert "page 1 of 2" in http.get("/dashboard/users/list?page=x").text


def test_token_users_are_kept_newest_last_and_bounded() -> None:
    log = ActivityLog()
    for index in range(MAX_TOKEN_USERS + 5):
        log.note_token_user(f"user-{index}")
    log.note_token_user("user-10")  # seen again: moves to the end, not twice
    users = log.token_users()
    assert len(users) == MAX_TOKEN_USERS
    assert users[0] == "user-5" and users[-1] == "user-10"  # the first five fell off


class _Refusing(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = b"nope: <database> is down"
        self.send_response(500)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_the_deliveries_table_shows_the_answer_escaped(server: BackgroundServer) -> None:
    heard = listen(server, ATTEMPTED)
    refusing = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    threading.Thread(target=refusing.serve_forever, daemon=True).start()
    try:
        with rest(server) as http:
            http.post("/_emulator/webhooks", json={
                "url": f"http://127.0.0.1:{refusing.server_address[1]}/hook",
                "subscribedEvents": ["roomCreated"]})
            http.post("/v2/rooms", json={"id": "refused", "defaultAccesses": []})
            heard.get(timeout=10)
    finally:
        refusing.shutdown()
        refusing.server_close()
    table = httpx.get(server.base_url + "/dashboard/webhooks/deliveries", timeout=10).text
    assert 'data-status="pending"' in table  # a retry is due
    assert "nope: &lt;database&gt; is down" in table
    assert "500 · " in table
